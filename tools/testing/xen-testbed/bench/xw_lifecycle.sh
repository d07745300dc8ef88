# SPDX-License-Identifier: GPL-2.0
# xw_lifecycle N STALL_MS [REP]: create N guests with one disk each at once,
# wait until each sees its disk, destroy them all at once; with STALL_MS,
# a watch callback of another guest's lane (s, test module
# xen-watchstall) stalls that long from just before the creates.  Sends
# bench/xenwatch/lifecycle-N-STALL_MS: one line per guest (its xl create
# and xl destroy times, and whether it came up) and the phase's total;
# with REP, bench/xenwatch/lifecycle-N-STALL_MS-REP (repeats).
# shellcheck shell=bash
n=$1 ms=$2 rep=${3:-} cfg=/sys/kernel/config/nullb
out=/tmp/lifecycle P=/sys/module/xen_watchstall/parameters
lanes=$(cat /sys/module/xenbus/parameters/watch_lanes)
cleanup() {
	for ((g = 0; g < n; g++)); do xl destroy "l$g" 2>/dev/null; done
	xl destroy s 2>/dev/null
	rmmod xen-watchstall 2>/dev/null
	for ((g = 0; g < n; g++)); do
		[ -d "$cfg/nullb$((g + 10))" ] || continue
		echo 0 >"$cfg/nullb$((g + 10))/power"
		rmdir "$cfg/nullb$((g + 10))"
	done
}
trap cleanup EXIT
for ((g = 0; g < n; g++)); do
	if ! mkdir "$cfg/nullb$((g + 10))" || ! (cd "$cfg/nullb$((g + 10))" &&
		echo 1024 >size && echo 1 >power); then
		fail "cannot make a disk for guest $g"
	fi
done
if [ "$ms" -gt 0 ]; then
	guest_create s type=pv vcpus=1 mem=256 script=xw_idle disk="phy:/dev/nullb1,xvda,w"
	guest_wait s READY 120
	insmod /tb/mod/test/xen-watchstall.ko stall_domid="$(xl domid s)" ||
		fail "cannot load xen-watchstall"
	xenstore-write "/local/domain/$(xl domid s)/data/tb-stall" "$ms"
	for ((i = 0; i < 40; i++)); do
		[ "$(cat $P/stalls_begun)" = 1 ] && break
		sleep 0.5
	done
fi
t0=$(date +%s%N)
for ((g = 0; g < n; g++)); do
	(
		name=l$g
		a=$(date +%s%N)
		if guest_create "$name" type=pv vcpus=1 mem=256 script=xw_idle \
			disk="phy:/dev/nullb$((g + 10)),xvda,w" >/tmp/$name.create 2>&1; then
			echo "$name create_ms $((($(date +%s%N) - a) / 1000000))" >/tmp/$name.res
		else
			echo "$name create_failed $((($(date +%s%N) - a) / 1000000))" >/tmp/$name.res
		fi
	) &
done
wait
up=0
for ((g = 0; g < n; g++)); do
	# A guest whose devices never came (one xenwatch thread behind the
	# stall: libxl gives up on them) is a figure, not a failure: the
	# subshell keeps guest_wait's fail from ending the scenario.
	if grep -q create_ms "/tmp/l$g.res" && (guest_wait "l$g" READY 240); then
		up=$((up + 1))
	fi
done
ready_ms=$((($(date +%s%N) - t0) / 1000000))
for ((g = 0; g < n; g++)); do
	(
		a=$(date +%s%N)
		xl destroy "l$g" 2>/dev/null
		echo "l$g destroy_ms $((($(date +%s%N) - a) / 1000000))" >>/tmp/l$g.res
	) &
done
wait
total_ms=$((($(date +%s%N) - t0) / 1000000))
stall_over=$([ "$ms" -gt 0 ] && cat $P/stalls_done || echo -)
{
	echo "lanes $lanes guests $n stall_ms $ms up $up ready_ms $ready_ms total_ms $total_ms stall_over_at_end $stall_over"
	cat /tmp/l*.res
} >$out
cat $out
tb_file "bench/xenwatch/lifecycle-$n-$ms${rep:+-$rep}" $out
