# SPDX-License-Identifier: GPL-2.0
# detach_load TYPE: xl block-detach of a disk while fio runs on it.  The
# backend lets go of it (device and threads gone), the guest carries on
# without it, and once the guest is gone no dying domain (leaked grant
# mapping) and no stuck dom0 task is left.
# shellcheck shell=bash
guest_create dt type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=detach_load \
	disk="phy:/dev/nullb1,xvda,w"
domid=$(xl domid dt) || fail "no domain id for dt"
guest_wait dt FIO-START 180
sleep 4
[ -n "$(blkback_threads "$domid")" ] || fail "no backend threads for domain $domid while fio runs"
t0=$(date +%s)
xl block-detach dt xvda || tb_msg "xl block-detach returned an error (the frontend may have refused)"
for ((i = 0; i < 60; i++)); do
	[ -z "$(blkback_threads "$domid")" ] &&
		[ ! -e "/sys/bus/xen-backend/devices/vbd-$domid-51712" ] && break
	sleep 0.5
done
tb_msg "detached under load in $(( $(date +%s) - t0 ))s"
left=$(blkback_threads "$domid" | tr '\n' ' ')
[ -z "$left" ] || fail "backend threads left after detaching xvda: $left"
[ -e "/sys/bus/xen-backend/devices/vbd-$domid-51712" ] &&
	fail "backend device vbd-$domid-51712 still there 30s after xl block-detach"
guest_finish dt 180
for ((i = 0; i < 20; i++)); do
	[ "$(xl list | awk 'NR > 2' | wc -l)" -eq 0 ] && break
	sleep 0.5
done
if [ "$(xl list | awk 'NR > 2' | wc -l)" -ne 0 ]; then
	xl list
	fail "a domain is left after the guest ended (leaked grant mappings keep a dying domain)"
fi
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck in D state: $stuck"
