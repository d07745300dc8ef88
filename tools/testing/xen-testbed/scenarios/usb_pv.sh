# SPDX-License-Identifier: GPL-2.0
# usb_pv [SIZE]: a guest's USB disk through our kernel backend: xl
# usbctrl-attach type=pv, usbdev-attach of the USB disk QEMU gives dom0
# (EHCI), fio verify over SIZE of it in the guest, through Linux's
# xen-hcd or, as "ours/usb_pv", ours; then the backend unloads.
# shellcheck shell=bash
tb_usb_guest u usb_pv "${1:-8M} ${TB_FRONT:-stock}"
guest_finish u 300
dmesg | grep -q "vusb-[0-9]*-0: port 1: $USB_BUSID" ||
	fail "the backend never put $USB_BUSID on port 1"
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
ls /sys/bus/usb/drivers/usbback/
rmmod xen-usbback || fail "xen-usbback does not unload once its guest is gone"
