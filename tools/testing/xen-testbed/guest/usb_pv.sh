# SPDX-License-Identifier: GPL-2.0
# usb_pv [SIZE [stock|ours]]: a USB disk behind Linux's xen-hcd (stock)
# or ours: the disk appears, fio verify over SIZE of it.
# shellcheck shell=sh
usb_load_hcd "${2:-stock}"
dev=$(usb_wait_disk) || gfail "no USB disk after 60s"
gmark "USB disk $dev: $(cat "/sys/block/$dev/size") sectors, $(cat "/sys/block/$dev/device/model" 2>/dev/null)"
fio_verify "$dev" "${1:-8M}" --numjobs=1
gmark OK verified
