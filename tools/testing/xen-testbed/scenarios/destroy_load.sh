# SPDX-License-Identifier: GPL-2.0
# destroy_load TYPE: xl destroy while fio runs in the guest.  Afterwards
# dom0 has no backend thread or device left for that domain, the domain
# is gone from xl list (a grant mapping left behind would keep it there
# as a dying domain), no dom0 task is stuck, and, with no other guest,
# the block backend module unloads (it is loaded again afterwards).
# shellcheck shell=bash
guest_create dl type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=load \
	disk="phy:/dev/nullb1,xvda,w"
domid=$(xl domid dl) || fail "no domain id for dl"
guest_wait dl FIO-START 180
sleep 4
n=$(blkback_threads "$domid" | wc -l)
tb_msg "domain $domid: $n backend threads under load"
[ "$n" -gt 0 ] || fail "no backend threads for domain $domid while fio runs"
xl destroy dl || fail "xl destroy dl failed"
for ((i = 0; i < 60; i++)); do
	[ -z "$(blkback_threads "$domid")" ] &&
		[ ! -e "/sys/bus/xen-backend/devices/vbd-$domid-51712" ] &&
		[ "$(xl list | awk 'NR > 2' | wc -l)" -eq 0 ] && break
	sleep 0.5
done
left=$(blkback_threads "$domid" | tr '\n' ' ')
[ -z "$left" ] || fail "backend threads of destroyed domain $domid left: $left"
[ -e "/sys/bus/xen-backend/devices/vbd-$domid-51712" ] &&
	fail "backend device vbd-$domid-51712 still there 30s after xl destroy"
if [ "$(xl list | awk 'NR > 2' | wc -l)" -ne 0 ]; then
	xl list
	fail "domains other than dom0 left 30s after xl destroy (leaked grant mappings keep a dying domain)"
fi
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck in D state after xl destroy: $stuck"
back=$(tb_backend)
rmmod xen-blkback || fail "rmmod xen-blkback failed with no guest left"
tb_load_backend "$back" || fail "reloading the $back backend failed"
