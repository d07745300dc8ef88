# SPDX-License-Identifier: GPL-2.0
# stalled_lane TYPE [stuck]: in dom0 a watch callback of guest a's lane
# sleeps (test module xen-watchstall, a watch on a's data/tb-stall) as a
# backend waiting for a stuck guest does: TB_STALL_MS (default 30000) ms,
# and on until guest b has gone.  Meanwhile b is created with a disk, runs
# fio verify and goes, while an event of a's lane waits behind the stall;
# once the stall ends, that event runs, dom0 has logged the stall with its
# path, and a's devices work: its token disk detaches and fio verify on
# its disk passes.
# With "stuck", dom0 must run one xenwatch thread (xenbus.watch_lanes=0 on
# its command line): the scenario passes only if b cannot be created
# before the stall ends, which is what the single thread does and what
# this scenario must see to be worth anything.
# shellcheck shell=bash
mode=${2:-lanes} ms=${TB_STALL_MS:-30000}
P=/sys/module/xen_watchstall/parameters
lanes=$(cat /sys/module/xenbus/parameters/watch_lanes 2>/dev/null) ||
	fail "dom0's kernel has no watch lanes (xenbus.watch_lanes)"
case $mode in
lanes) [ "$lanes" -gt 0 ] || fail "dom0 runs one xenwatch thread (xenbus.watch_lanes=0)" ;;
stuck) [ "$lanes" -eq 0 ] ||
	fail "dom0 runs watch lanes ($lanes at once); boot it with xenbus.watch_lanes=0" ;;
*) fail "stalled_lane: unknown mode $mode" ;;
esac
mark="tb: stalled_lane $* begins ($(date +%s))"
echo "$mark" >/dev/kmsg

guest_create a type="$1" vcpus=1 mem=256 script=stalled \
	disk="phy:/dev/nullb2,xvda,w;phy:/dev/ram0,xvdz,r"
guest_wait a READY 120
adom=$(xl domid a) || fail "no domain id for a"
insmod /tb/mod/test/xen-watchstall.ko stall_domid="$adom" ||
	fail "cannot load xen-watchstall"
# However this ends, the module goes once its stall is over.
trap 'echo 0 >$P/stall_hold; for ((i = 0; i < 120; i++)); do
	[ "$(cat $P/stalls_done)" = "$(cat $P/stalls_begun)" ] && break; sleep 1; done
	rmmod xen-watchstall' EXIT
# Held until b has gone: b's life takes longer than 30 s on a busy host.
echo 1 >$P/stall_hold
xenstore-write "/local/domain/$adom/data/tb-stall" "$ms"
for ((i = 0; i < 40; i++)); do
	[ "$(cat $P/stalls_begun)" = 1 ] && break
	sleep 0.5
done
[ "$(cat $P/stalls_begun)" = 1 ] || fail "the stall did not begin within 20s"
t0=$(date +%s%N)
tb_msg "a's lane (domain $adom) stalls for $ms ms"
xenstore-write "/local/domain/$adom/data/tb-after/x" 1

# b's whole life, in a shell of its own: in the stuck case it fails.
(
	guest_create b type="$1" vcpus=1 mem=256 script=verify args=32M \
		disk="phy:/dev/nullb1,xvda,w"
	bdom=$(xl domid b)
	echo "created $(( ($(date +%s%N) - t0) / 1000000 ))" >/tmp/b.times
	guest_finish b 120
	vbd_gone "$bdom" || fail "b's backend device is still there 30s after b ended"
	echo "gone $(( ($(date +%s%N) - t0) / 1000000 ))" >>/tmp/b.times
)
brc=$?
done_then=$(cat $P/stalls_done) after_then=$(cat $P/after_events)
echo 0 >$P/stall_hold
why=$(cat /tmp/tb-reason 2>/dev/null)
rm -f /tmp/tb-reason
tb_msg "b: $(tr '\n' ' ' </tmp/b.times 2>/dev/null) (ms since the stall began), exit $brc${why:+: $why}"
if [ "$mode" = stuck ]; then
	# One thread: b's life cannot fit in the stall.
	[ $brc -ne 0 ] || [ "$done_then" -ne 0 ] ||
		fail "b was created, verified and gone while the only xenwatch thread was stalled"
	tb_msg "as expected with one xenwatch thread, b could not live during the stall"
	xl destroy b 2>/dev/null
else
	[ $brc -eq 0 ] || fail "b during the stall: $why"
	[ "$done_then" -eq 0 ] || fail "the stall was over before b was gone"
	[ "$after_then" -eq 0 ] ||
		fail "an event of a's lane ran while a callback of that lane was stalled"
fi

for ((i = 0; i < ms / 500 + 60; i++)); do
	[ "$(cat $P/stalls_done)" = 1 ] && break
	sleep 0.5
done
[ "$(cat $P/stalls_done)" = 1 ] || fail "the stall never ended"
for ((i = 0; i < 60; i++)); do
	[ "$(cat $P/after_events)" -ge 1 ] && break
	sleep 0.5
done
[ "$(cat $P/after_events)" -ge 1 ] || fail "a's lane did not go on after the stall"
if [ "$mode" = lanes ]; then
	warn=$(dmesg | sed -n "/$mark/,\$p" |
		grep -m1 "watch callback for /local/domain/$adom/data/tb-stall (lane $adom) has run for")
	[ -n "$warn" ] || fail "dom0 did not warn about the stalled callback"
	tb_msg "dom0: ${warn#*] }"
fi
# a's devices work again: its token disk goes, its disk verifies.
xl block-detach a xvdz || fail "xl block-detach a xvdz failed after the stall"
guest_finish a 180
