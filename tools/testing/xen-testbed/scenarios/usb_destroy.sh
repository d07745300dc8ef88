# SPDX-License-Identifier: GPL-2.0
# usb_destroy: xl destroy of a guest while fio reads its USB disk through
# our backend.  Afterwards the controller is gone, our backend's census
# holds nothing (no ring grant mapped, no URB, no buffer page), the
# domain is gone (a grant left mapped keeps it dying), no dom0 task is
# stuck, no warning is logged, the disk is still dom0's, the next guest
# given the disk verifies data on it (the backend resets the device when
# that guest enumerates it: the destroy left its bulk-only transport in
# the middle of a command), and the backend unloads.
# shellcheck shell=bash
tb_usb_guest u usb_load "${TB_FRONT:-stock}"
domid=$(xl domid u) || fail "no domain id for u"
guest_wait u LOADED 120
sleep 1
n=$(tb_usb_stat "$domid" bulk_req)
tb_msg "under load: $(tb_usb_stat "$domid" inflight) requests in flight, $n bulk requests so far"
[ "${n:-0}" -gt 0 ] || fail "no bulk request reached the backend while fio ran"
xl destroy u || fail "xl destroy u failed"
for ((i = 0; i < 60; i++)); do
	[ ! -e "/sys/bus/xen-backend/devices/vusb-$domid-0" ] &&
		[ "$(xl list | awk 'NR > 2' | wc -l)" -eq 0 ] && break
	sleep 0.5
done
[ -e "/sys/bus/xen-backend/devices/vusb-$domid-0" ] &&
	fail "backend device vusb-$domid-0 still there 30s after xl destroy"
[ "$(xl list | awk 'NR > 2' | wc -l)" -eq 0 ] ||
	fail "domains left 30s after xl destroy (a grant left mapped keeps a dying domain): $(xl list | awk 'NR > 2 { print $1 }' | tr '\n' ' ')"
tb_usb_census_wait ctrls rings urbs buf_pages
tb_msg "census after the destroy: $(tr '\n' ' ' </sys/kernel/debug/xen-usbback/census)"
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck after xl destroy: $stuck"
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
[ -e "/sys/bus/usb/devices/$USB_BUSID" ] || fail "the USB disk $USB_BUSID left dom0"
tb_msg "$USB_BUSID after the destroy: driver $(basename "$(readlink "/sys/bus/usb/devices/$USB_BUSID:1.0/driver")")"
guest_create u2 disk=none front=none script=usb_pv args="8M ${TB_FRONT:-stock}"
xl usbctrl-attach u2 type=pv version=2 ports=4 ||
	fail "xl usbctrl-attach type=pv for the next guest failed"
tb_usb_attach u2
domid=$(xl domid u2) || fail "no domain id for u2"
guest_wait u2 "USB disk" 90
tb_msg "next guest: $(tb_usb_stat "$domid" dev_resets) device reset(s) for its enumeration"
guest_finish u2 300
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
rmmod xen-usbback || fail "xen-usbback does not unload once its guest is gone"
