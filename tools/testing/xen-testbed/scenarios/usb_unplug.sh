# SPDX-License-Identifier: GPL-2.0
# usb_unplug: the USB disk is pulled out of dom0 (QEMU's monitor unplugs
# it from the EHCI: testbed.py does what "@@TB QEMU unplug" asks) while
# fio reads it in the guest, then plugged in again.  The backend drops the
# device from its port (the guest sees the disk go); once it is back on
# the same physical port, which port/1 still names, the backend puts it
# on the guest's port again and fio verify passes on it.  Meanwhile no
# dom0 task is stuck and nothing is leaked; at the end the census is
# empty and the backend unloads.  Run it last among the USB scenarios:
# the disk comes back with another device number.
# shellcheck shell=bash
# usb_there_wait 0|1: wait (30 s at most) until dom0 has (1) or has
# not (0) the disk.
usb_there_wait() {
	local i
	for ((i = 0; i < 60; i++)); do
		if [ -e "/sys/bus/usb/devices/$USB_BUSID/product" ]; then
			# Addressed, so that the backend can take it.
			[ "$1" = 1 ] &&
				[ "$(cat "/sys/bus/usb/devices/$USB_BUSID/devnum")" != 0 ] &&
				return 0
		else
			[ "$1" = 0 ] && return 0
		fi
		sleep 0.5
	done
	return 1
}
tb_usb_guest u usb_detach "${TB_FRONT:-stock}"
domid=$(xl domid u) || fail "no domain id for u"
guest_wait u LOADED 120
tb_msg "under load: $(tb_usb_stat "$domid" inflight) requests in flight"
echo "@@TB QEMU unplug"
usb_there_wait 0 || fail "the USB disk $USB_BUSID is still in dom0 30s after QEMU's unplug"
tb_usb_census_wait urbs buf_pages
dmesg | grep -q "vusb-$domid-0: port 1: $USB_BUSID left" ||
	fail "the backend did not drop the unplugged disk from port 1"
guest_wait u GONE 120
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck after the unplug: $stuck"
tb_msg "after the unplug: $(tb_usb_stat "$domid" urb_err) URB errors, census $(tr '\n' ' ' </sys/kernel/debug/xen-usbback/census)"
echo "@@TB QEMU replug"
usb_there_wait 1 || fail "the USB disk did not come back to dom0 within 30s of QEMU's replug"
tb_msg "back in dom0: $USB_BUSID, device $(cat "/sys/bus/usb/devices/$USB_BUSID/devnum")"
guest_finish u 300
[ "$(dmesg | grep -c "vusb-$domid-0: port 1: $USB_BUSID (")" -ge 2 ] ||
	fail "the backend did not put the disk back on port 1"
tb_usb_census_wait ctrls rings urbs buf_pages
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
rmmod xen-usbback || fail "xen-usbback does not unload once its guest is gone"
