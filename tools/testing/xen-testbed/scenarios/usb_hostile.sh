# SPDX-License-Identifier: GPL-2.0
# usb_hostile [FATAL...]: a hostile USB frontend (tools/testing/
# xen-usbhostile, in guest hh, its controller's port 1 holding the USB
# disk) sends our backend bad requests, one protocol violation per round
# (guest/usb_hostile.sh), while another guest (hv) runs fio verify on its
# block disk.  Every attack gets the outcome the module expects; the
# backend logs one broken protocol per round for hh's controller; dom0
# stays up, hv verifies data all along, no dom0 task is stuck, no warning is
# logged, the backend's census is empty once hh is gone, and the backend
# unloads.  (usb_pv, later in the same boot, then serves a guest.)
# shellcheck shell=bash
mark="tb: usb_hostile $* begins ($(date +%s))"
echo "$mark" >/dev/kmsg
rounds=$(echo "${*:-too_many_segs seg_past_page seg_too_long dup_id prod_jump}" | wc -w)
victim_create hv pv 1 32M
tb_usb_guest hh usb_hostile "$*"
hdom=$(xl domid hh) || fail "no domain id for hh"
guest_wait hh HOSTILE-DONE 300
klog=$(dmesg | sed -n "/$mark/,\$p")
nbroke=$(echo "$klog" | grep -c "vusb-$hdom-0: .*broke the protocol")
echo "$klog" | grep "vusb-$hdom-0: .*broke the protocol"
[ "$nbroke" -eq "$rounds" ] ||
	fail "our backend logged $nbroke broken protocols of hh's controller, not $rounds (one a round)"
tb_msg "hh's controller: $(echo "$klog" | grep -c "vusb-$hdom-0: refused") refusals and $(echo "$klog" | grep -c "vusb-$hdom-0: request .*grant copy") failed grant copies logged"
victim_stop hv "hh's attacks (domain $hdom)"
guest_finish hh 60
tb_usb_census_wait ctrls rings urbs buf_pages
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck: $stuck"
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
[ -e "/sys/bus/usb/devices/$USB_BUSID" ] || fail "the USB disk $USB_BUSID left dom0"
rmmod xen-usbback || fail "xen-usbback does not unload once its guest is gone"
