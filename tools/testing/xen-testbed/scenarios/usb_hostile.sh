# SPDX-License-Identifier: GPL-2.0
# usb_hostile [FATAL...]: a hostile USB frontend (tools/testing/
# xen-usbhostile, in guest hh, its controller's port 1 holding the USB
# disk and port 2 QEMU's USB audio device, which has an isochronous
# endpoint) sends our backend bad requests, one protocol violation per
# round (guest/usb_hostile.sh; default: every one in the table below),
# while another guest (hv) runs fio verify on its block disk.  Every
# attack gets the outcome the module expects; the backend logs one
# broken protocol per round for hh's controller, in the words the table
# gives for that round's violation; dom0 stays up, hv verifies data all
# along, no dom0 task is stuck, no warning is logged, the backend's
# census is empty once hh is gone, both USB devices are still in dom0,
# and the backend unloads.  (usb_pv, later in the same boot, then serves
# a guest.)
# shellcheck shell=bash
mark="tb: usb_hostile $* begins ($(date +%s))"
echo "$mark" >/dev/kmsg
# The module's protocol violations (uh_violations[] in hostile.c), in
# the order a default run sends them, and what the backend's log line
# says of each.
order=(too_many_segs seg_past_page seg_too_long dup_id prod_jump
	iso_no_packets iso_too_many_packets iso_descs_short iso_no_desc_segs
	iso_desc_past_page iso_too_many_segs iso_packet_past_buffer)
declare -A why=(
	[too_many_segs]="too many segments"
	[seg_past_page]="segment beyond its frame"
	[seg_too_long]="segments not the buffer's length"
	[dup_id]="id already in flight"
	[prod_jump]="URB ring: bad request producer"
	[iso_no_packets]="bad isochronous packet count (0,"
	[iso_too_many_packets]="bad isochronous packet count (1025,"
	[iso_descs_short]="descriptor segments not the packets'"
	[iso_no_desc_segs]="descriptor segments not the packets'"
	[iso_desc_past_page]="descriptor segments not the packets'"
	[iso_too_many_segs]="too many segments (17,"
	[iso_packet_past_buffer]="iso packet beyond the buffer 3"
)
attacks=("$@")
[ $# -gt 0 ] || attacks=("${order[@]}")
for a in "${attacks[@]}"; do
	[ -n "${why[$a]:-}" ] || fail "no such attack: $a (usb_hostile knows: ${order[*]})"
done
victim_create hv pv 1 32M
tb_usb_guest hh usb_hostile "${attacks[*]}"
read -r abus aaddr abusid <<<"$(tb_usb_find "QEMU USB Audio")"
[ -n "$abusid" ] || fail "no QEMU USB audio device in dom0 (testbed.py --usb)"
xl usbdev-attach hh hostbus="$abus" hostaddr="$aaddr" controller=0 port=2 ||
	fail "xl usbdev-attach of the audio device $abusid failed"
hdom=$(xl domid hh) || fail "no domain id for hh"
guest_wait hh HOSTILE-DONE 300
klog=$(dmesg | sed -n "/$mark/,\$p")
# (No process substitution: dom0 has no /dev/fd.)
lines=$(echo "$klog" | grep "vusb-$hdom-0: .*broke the protocol")
broke=()
[ -z "$lines" ] || mapfile -t broke <<<"$lines"
printf '%s\n' "${broke[@]}"
[ "${#broke[@]}" -eq "${#attacks[@]}" ] ||
	fail "our backend logged ${#broke[@]} broken protocols of hh's controller, not ${#attacks[@]} (one a round)"
for i in "${!attacks[@]}"; do
	[[ "${broke[$i]}" == *"${why[${attacks[$i]}]}"* ]] ||
		fail "round ${attacks[$i]}: the backend failed hh's controller for another reason: ${broke[$i]#*broke the protocol }"
done
tb_msg "hh's controller: $(echo "$klog" | grep -c "vusb-$hdom-0: refused") refusals and $(echo "$klog" | grep -c "vusb-$hdom-0: request .*grant copy") failed grant copies logged, $(echo "$klog" | grep -c "vusb-$hdom-0: .*broke the protocol") broken protocols as expected"
victim_stop hv "hh's attacks (domain $hdom)"
guest_finish hh 60
tb_usb_census_wait ctrls rings urbs buf_pages
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck: $stuck"
tb_usb_dmesg_clean || fail "dom0 logged a warning or a bug (above)"
for d in "$USB_BUSID" "$abusid"; do
	[ -e "/sys/bus/usb/devices/$d" ] || fail "the USB device $d left dom0"
done
rmmod xen-usbback || fail "xen-usbback does not unload once its guest is gone"
