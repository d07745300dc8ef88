# SPDX-License-Identifier: GPL-2.0
# watch_flood TYPE [WRITES]: guest f rewrites nodes of its data/tb-flood,
# in turn over 200 nodes, WRITES times (default 100000); dom0 watches them
# (test module xen-watchstall) with a callback that has no will_handle()
# and takes 50 ms, so that events pile up, under lowered bounds (a lane
# 64 events or 32 KiB, all lanes 256 events or 128 KiB).  Guest v runs
# fio verify rounds on its disk from before the flood until after it,
# and 5 s into the flood (its queues full within the first second) dom0
# attaches and detaches a second disk of v's (work for v's lane, which xl
# must see done in its usual time).
# dom0's queued watch events never exceed the bounds (debugfs peaks, and
# samples taken every second), f's lane drops events and resyncs, every
# round of v's verifies, and once the flood is over every lane has
# drained.
# shellcheck shell=bash
writes=${2:-100000}
B=/sys/module/xenbus/parameters P=/sys/module/xen_watchstall/parameters
D=/sys/kernel/debug/xenbus/watch_lanes
[ -r "$D" ] || fail "dom0 has no watch lanes ($D)"
saved=$(for k in watch_lane_max_events watch_lane_max_kib watch_max_events watch_max_kib; do
	echo "$k $(cat "$B/$k")"; done)
restore() {
	rmmod xen-watchstall 2>/dev/null
	echo "$saved" | while read -r k v; do echo "$v" >"$B/$k"; done
}
trap restore EXIT
echo 64 >$B/watch_lane_max_events
echo 32 >$B/watch_lane_max_kib
echo 256 >$B/watch_max_events
echo 128 >$B/watch_max_kib

guest_create f type="$1" vcpus=2 mem=256 script=flood args="$writes 200" \
	disk="phy:/dev/ram0,xvdz,r"
victim_create v "$1" 1
guest_wait f READY 120
fdom=$(xl domid f) || fail "no domain id for f"
insmod /tb/mod/test/xen-watchstall.ko flood_domid="$fdom" flood_delay_us=50000 ||
	fail "cannot load xen-watchstall"
resync0=$(cat $P/flood_resyncs)
# field LANE FIELD: a field of LANE's line in debugfs ("all": all lanes).
field() { awk -v l="$1" -v f="$2" '($1 == "lane" && $2 == l) || ($1 == "all" && l == "all") {
	for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' "$D"; }
# The peaks and drops so far (debugfs counts since boot): earlier
# scenarios ran under the default bounds.
peak0=$(field all peak) peakb0=$(field all peak_bytes) dropped0=$(field all dropped)
xl block-detach f xvdz || fail "cannot signal f to flood"
guest_wait f FLOODING 60
max_bytes=0 max_events=0 t0=$(date +%s) lane_work=
# Sample dom0's queues until f's flood is done.
while ! grep -q '^@@G FLOODED' "$XLOG/guest-f.log" 2>/dev/null; do
	b=$(field all bytes) e=$(field all queued)
	((${b:-0} > max_bytes)) && max_bytes=$b
	((${e:-0} > max_events)) && max_events=$e
	# f powers off right after it says FLOODED, which xenconsoled may
	# not have written to its log yet.
	if ! guest_alive f; then
		sleep 2
		grep -q '^@@G FLOODED' "$XLOG/guest-f.log" || fail "guest f died during its flood"
		break
	fi
	t=$(($(date +%s) - t0))
	((t < 400)) || fail "f's flood of $writes writes did not end within 400s"
	if [ -z "$lane_work" ] && ((t >= 5)); then
		s=$(date +%s%N)
		xl block-attach v "phy:/dev/nullb2,xvdz,r" ||
			fail "cannot attach a disk to v during the flood"
		xl block-detach v xvdz || fail "cannot detach v's disk during the flood"
		lane_work=$((($(date +%s%N) - s) / 1000000))
		grep -q '^@@G FLOODED' "$XLOG/guest-f.log" 2>/dev/null &&
			fail "f's flood ended before v's disk was attached and detached: raise WRITES"
	fi
	sleep 1
done
[ -n "$lane_work" ] || fail "f's flood ended before v's disk was attached and detached: raise WRITES"
tb_msg "v's disk attached and detached in ${lane_work} ms during the flood"
victim_stop v "f's flood"
guest_finish f 120
flooded=$(grep -m1 '^@@G FLOODED' "$XLOG/guest-f.log" | cut -d' ' -f3-)
tb_msg "f's flood: $flooded in $(($(date +%s) - t0))s"
[ "${flooded%% *}" -ge "$writes" ] || fail "f wrote ${flooded%% *} times, not $writes"
for ((i = 0; i < 120; i++)); do
	[ "$(field all queued)" = 0 ] && break
	sleep 0.5
done
tb_msg "dom0 lanes: $(sed -n 2p "$D")"
tb_msg "f's lane: $(grep "^lane $fdom " "$D" || echo gone)"
tb_msg "dom0 callbacks: $(cat $P/flood_events) events, $(($(cat $P/flood_resyncs) - resync0)) resyncs; sampled peak $max_events events, $max_bytes bytes"
[ "$(field all queued)" = 0 ] || fail "dom0's lanes did not drain after the flood: $(sed -n 2p "$D")"
peak=$(field all peak_bytes) peakev=$(field all peak)
if [ "$peak0" -le 256 ] && [ "$peakb0" -le $((128 << 10)) ]; then
	[ "$peak" -le $((128 << 10)) ] || fail "dom0 queued $peak bytes of watch events, over 128 KiB"
	[ "$peakev" -le 256 ] || fail "dom0 queued $peakev watch events, over 256"
else
	tb_msg "dom0's peaks before the flood ($peak0 events, $peakb0 bytes) were over its bounds: samples only"
fi
((max_bytes <= 128 << 10)) || fail "sampled $max_bytes bytes queued, over 128 KiB"
[ "$(field all dropped)" -gt "$dropped0" ] || fail "the flood never reached a bound: it tested nothing"
[ "$(cat $P/flood_events)" -gt 0 ] || fail "dom0 saw none of f's writes"
[ $(($(cat $P/flood_resyncs) - resync0)) -gt 0 ] || fail "f's lane dropped events but never resynced"
