# SPDX-License-Identifier: GPL-2.0
# usb_xfer: isochronous and interrupt transfers through our backend.
# QEMU's USB audio device (full speed, an isochronous OUT endpoint) and
# tablet (an interrupt IN endpoint), on dom0's xHCI, go to ports 1 and 2
# of a guest's controller (type=auto, which must pick pv: our backend is
# loaded); in the guest, usbxfer (tools/testing/xen-usbxfer) streams 64 isochronous URBs of 8 packets to
# the audio device, each packet answered whole and without error, and
# leaves an interrupt URB pending on the idle tablet, then cancels it (an
# unlink through the backend).  Then the backend's census is empty, dom0
# logged no warning, and the backend unloads.
# shellcheck shell=bash
trap tb_usb_log EXIT
tb_load_usbback || fail "cannot load xen-usbback"
read -r abus aaddr abusid <<<"$(tb_usb_find "QEMU USB Audio")"
read -r tbus taddr tbusid <<<"$(tb_usb_find "QEMU USB Tablet")"
{ [ -n "$abusid" ] && [ -n "$tbusid" ]; } ||
	fail "no QEMU USB audio device or tablet in dom0 (testbed.py --usb)"
tb_msg "audio $abusid, tablet $tbusid, $(cat "/sys/bus/usb/devices/$abusid/speed") Mb/s"
guest_create ux disk=none front=none script=usb_xfer args="${TB_FRONT:-stock}"
# type=auto: libxl picks pv because /sys/bus/usb/drivers/usbback exists.
xl usbctrl-attach ux type=auto version=2 ports=4 ||
	fail "xl usbctrl-attach type=auto failed"
ctype=$(xl usb-list ux | awk '$1 == "0" { print $2; exit }')
[ "$ctype" = pv ] || fail "xl usbctrl-attach type=auto made a $ctype controller, not pv"
xl usbdev-attach ux hostbus="$abus" hostaddr="$aaddr" controller=0 port=1 ||
	fail "xl usbdev-attach of the audio device failed"
xl usbdev-attach ux hostbus="$tbus" hostaddr="$taddr" controller=0 port=2 ||
	fail "xl usbdev-attach of the tablet failed"
xl usb-list ux
domid=$(xl domid ux) || fail "no domain id for ux"
guest_wait ux XFER-DONE 240
tb_msg "guest: $(grep -E -o '(iso|intr): .*' "$XLOG/guest-ux.log" | tr -d '\r' | tr '\n' ';')"
tb_msg "backend: $(tb_usb_stat "$domid" iso_req) isochronous, $(tb_usb_stat "$domid" int_req) interrupt, $(tb_usb_stat "$domid" unlink_req) unlink requests, $(tb_usb_stat "$domid" bad_req) refused"
[ "$(tb_usb_stat "$domid" iso_req)" -ge 64 ] ||
	fail "the backend took fewer isochronous requests than the guest sent"
[ "$(tb_usb_stat "$domid" unlink_req)" -ge 1 ] ||
	fail "no unlink request reached the backend for the cancelled interrupt URB"
guest_say ux COUNTED
guest_finish ux 120
tb_usb_census_wait ctrls rings urbs buf_pages
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
rmmod xen-usbback || fail "xen-usbback does not unload once its guest is gone"
