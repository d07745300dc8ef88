# SPDX-License-Identifier: GPL-2.0
# usb_qusb [SIZE]: a guest's USB disk through QEMU's userspace PV USB
# backend (xl's type=qusb: hw/usb/xen-usb.c in Debian's qemu-system-xen,
# run by libxl as the guest's device model in dom0, reaching the disk
# QEMU gives dom0 through libusb): fio verify over SIZE of it in the
# guest, through Linux's xen-hcd (the baseline) or, as "ours/usb_qusb",
# ours.  The controllers are QEMU's (xenstore backend kind qusb, none of
# our backend's vusb), the guest's devices went through them, and the
# device model ends with the guest.
# shellcheck shell=bash
tb_qusb_guest u usb_pv "${1:-8M} ${TB_FRONT:-stock}"
[ "$(xl usb-list u | awk '$1 == "1" { print $2; exit }')" = qusb ] ||
	fail "controller 1 is not a qusb controller: $(xl usb-list u | tr '\n' ' ')"
port=$(xenstore-read "/local/domain/0/backend/qusb/$QUSB_DOMID/1/port/1" 2>/dev/null)
[ "$port" = "$USB_BUSID" ] ||
	fail "port 1 of QEMU's controller 1 holds '$port' in xenstore, not $USB_BUSID"
[ -z "$(xenstore-ls "/local/domain/0/backend/vusb/$QUSB_DOMID" 2>/dev/null)" ] ||
	fail "a vusb (kernel backend) controller was made for the guest"
guest_finish u 300
tb_qusb_dm_gone
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
