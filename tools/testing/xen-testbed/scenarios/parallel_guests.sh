# SPDX-License-Identifier: GPL-2.0
# parallel_guests TYPE [N]: N guests (default 3, at most 4), each with a
# disk of its own, created at once; each runs fio verify, with watch lanes
# on in its kernel; then all are destroyed at once.  dom0's watch lanes
# (or its single thread) set up and take down every device: no backend
# device, thread or domain is left, no dom0 task is stuck.
# shellcheck shell=bash
n=${2:-3}
disks=(/dev/nullb1 /dev/nullb2 /dev/nullb3 /dev/ram0)
[ "$n" -le ${#disks[@]} ] || fail "parallel_guests: at most ${#disks[@]} guests"
t0=$(date +%s)
for ((g = 0; g < n; g++)); do
	(guest_create "p$g" type="$1" vcpus=1 mem=256 script=parallel \
		disk="phy:${disks[g]},xvda,w") >"/tmp/p$g.create" 2>&1 &
done
wait
for ((g = 0; g < n; g++)); do
	grep -q '^@@G BOOTED' "$XLOG/guest-p$g.log" 2>/dev/null ||
		fail "p$g was not created: $(tail -n2 "/tmp/p$g.create" | tr '\n' ' ')"
done
tb_msg "$n guests created at once in $(($(date +%s) - t0))s"
doms=""
for ((g = 0; g < n; g++)); do
	guest_wait "p$g" VERIFIED 240
	grep -q '^@@G VERIFIED lanes=[1-9]' "$XLOG/guest-p$g.log" ||
		fail "p$g runs no watch lanes: $(grep -m1 '^@@G VERIFIED' "$XLOG/guest-p$g.log")"
	doms="$doms $(xl domid "p$g")"
done
t0=$(date +%s)
for ((g = 0; g < n; g++)); do
	xl destroy "p$g" &
done
wait
for d in $doms; do
	vbd_gone "$d" || fail "backend device vbd-$d-51712 still there 30s after its guest went"
	[ -z "$(blkback_threads "$d")" ] || fail "backend threads of domain $d left"
done
tb_msg "$n guests destroyed at once in $(($(date +%s) - t0))s"
[ "$(xl list | awk 'NR > 2' | wc -l)" -eq 0 ] || fail "domains left: $(xl list | awk 'NR > 2 { print $1 }')"
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck in D state: $stuck"
for ((g = 0; g < n; g++)); do
	guest_dump "p$g"
done
