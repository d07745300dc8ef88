# SPDX-License-Identifier: GPL-2.0
# xw_latency SAMPLES: while guest f floods its data/tb-flood (test module
# xen-watchstall in f), dom0 writes a node of guest q's data directory
# SAMPLES times, 20 ms apart, and times each write to the start of its
# watch callback (xen-watchstall in dom0, the watch in q's lane; f's
# flood watched too, 200 us per callback).  Sends
# bench/xenwatch/latency-SAMPLES: the samples in microseconds.
# shellcheck shell=bash
samples=$1 P=/sys/module/xen_watchstall/parameters
trap 'xl destroy f 2>/dev/null; xl destroy q 2>/dev/null; rmmod xen-watchstall 2>/dev/null' EXIT
guest_create q type=pv vcpus=1 mem=256 script=xw_idle disk="phy:/dev/nullb1,xvda,w"
guest_wait q READY 120
guest_create f type=pv vcpus=2 mem=256 script=flood args="10000000 200" \
	disk="phy:/dev/ram0,xvdz,r"
guest_wait f READY 120
insmod /tb/mod/test/xen-watchstall.ko flood_domid="$(xl domid f)" flood_delay_us=200 ||
	fail "cannot load xen-watchstall"
xl block-detach f xvdz || fail "cannot signal f to flood"
guest_wait f FLOODING 60
sleep 5
ev0=$(cat $P/flood_events)
rmmod xen-watchstall
insmod /tb/mod/test/xen-watchstall.ko flood_domid="$(xl domid f)" flood_delay_us=200 \
	lat_domid="$(xl domid q)" lat_samples="$samples" lat_interval_ms=20 ||
	fail "cannot load xen-watchstall"
t0=$(date +%s)
while [ "$(cat $P/lat_done)" -lt "$samples" ]; do
	[ $(($(date +%s) - t0)) -lt 600 ] || break
	sleep 1
done
guest_alive f || fail "f's flood ended before the samples did"
tb_msg "latency: $(cat $P/lat_done) samples in $(($(date +%s) - t0))s, flood events seen before $ev0"
cp /sys/kernel/debug/xen-watchstall/latency_us /tmp/latency
tb_file "bench/xenwatch/latency-$samples" /tmp/latency
