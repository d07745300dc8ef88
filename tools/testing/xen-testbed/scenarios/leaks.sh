# SPDX-License-Identifier: GPL-2.0
# leaks TYPE [CYCLES [GUESTS]]: CYCLES (100) attach/detach cycles of a
# second disk (xvdb) of a running guest, each waiting for the frontend to
# connect (its partition scan under way), then GUESTS (20) create/destroy
# cycles of a guest with a disk; before and after, counts of what dom0
# and the guest hold: our backend's and frontend's censuses (devices,
# rings, pages, arrays), free grant references in the guest, grants of
# the guest dom0 has mapped (Xen's view), backend threads, ballooned
# pages, slab.  Every count must be back where it was (slab within
# TB_LEAK_SLAB_KB, 256 by default, of noise).  For our backend, behind
# our frontend (ours+ours/) or Linux's (stock+ours/: the guest counts
# all but our frontend's census).  TB_LEAK_PLANT=1 leaves a third disk
# (xvdc) attached from the first count to the second, a leak planted to
# show that both dom0's and the guest's checks fail on one.
# Its whole list needs more than one scenario timeout:
# tb: timeout x3
# shellcheck shell=bash
cycles=${2:-100} guests=${3:-20} slab_kb=${TB_LEAK_SLAB_KB:-256}
front=${TB_FRONT:-stock}
if [ "$(tb_backend)" != ours ]; then
	fail "leaks counts our backend's census (run it as ours+ours/ or stock+ours/)"
fi
census=/sys/kernel/debug/xen-blkback/census
bal=/sys/devices/system/xen_memory/xen_memory0/info
# mapped DOMID: the grants of DOMID mapped by other domains, as Xen says.
mapped() {
	xl dmesg -c >/dev/null
	xl debug-keys g
	sleep 0.5
	xl dmesg | awk -v d="$1" '/grant-table for remote d/ { on = ($0 ~ ("remote d" d " ")) }
		on && /^\(XEN\) *\[0x/ { n++ } END { print n + 0 }'
}
# kthreads: kernel threads (children of kthreadd) but the kworkers,
# which come and go with the load.
kthreads() {
	cat /proc/[0-9]*/stat 2>/dev/null | sed -n 's/^[0-9]* (\(.*\)) . 2 .*/\1/p' |
		awk '!/^kworker\// { n++ } END { print n + 0 }'
}
# dom0_count [DOMID]: dom0's counts, one "name value" a line.
dom0_count() {
	sed 's/^/back_/' "$census"
	echo "back_threads $(ps -eo comm= | awk '/\.vbd/ { n++ } END { print n + 0 }')"
	echo "kthreads $(kthreads)"
	echo "balloon_kb $(( $(cat $bal/low_kb) + $(cat $bal/high_kb) ))"
	awk '/^Slab:/ { print "slab_kb " $2 }' /proc/meminfo
	[ -n "${1:-}" ] && echo "mapped $(mapped "$1")"
	return 0
}
# compare BEFORE AFTER: the counts that moved, empty if none did.  Two
# are high-water marks, not holdings: a page the backend mapped a grant
# into goes back to the balloon's list when freed, so ballooned pages
# grow by the most pages ever mapped at once (a few KiB, within
# TB_LEAK_BALLOON_KB, 64 by default); and the guest's grants mapped by
# dom0 include xvda's persistent grants, which may only be fewer.
compare() {
	paste "$1" "$2" | awk -v slab="$slab_kb" -v bal="${TB_LEAK_BALLOON_KB:-64}" '
		$1 == "slab_kb" { if ($4 - $2 > slab) print $1 ": " $2 " -> " $4; next }
		$1 == "balloon_kb" { if ($4 - $2 > bal) print $1 ": " $2 " -> " $4; next }
		$1 == "mapped" { if ($4 > $2) print $1 ": " $2 " -> " $4; next }
		$2 != $4 { print $1 ": " $2 " -> " $4 }' | tr '\n' ' '
}

guest_create lk type="$1" vcpus=2 front="$front" script=leaks args="$slab_kb $front" \
	disk="phy:/dev/nullb1,xvda,w"
guest_wait lk LEAKS-READY 180
dom=$(xl domid lk) || fail "no domain id for lk"
be=/sys/bus/xen-backend/devices/vbd-$dom-51728
# cycle: attach xvdb, wait for its connection, detach it, wait it out.
cycle() {
	local t
	xl block-attach lk 'phy:/dev/nullb2,xvdb,w' || fail "block-attach failed at cycle $1"
	for ((t = 0; t < 100; t++)); do
		[ "$(xenstore-read "/local/domain/0/backend/vbd/$dom/51728/state" 2>/dev/null)" = 4 ] && break
		sleep 0.1
	done
	[ $t -lt 100 ] || fail "xvdb did not connect within 10s at cycle $1"
	xl block-detach lk xvdb || fail "block-detach failed at cycle $1"
	for ((t = 0; t < 100; t++)); do
		[ -e "$be" ] || break
		sleep 0.1
	done
	[ ! -e "$be" ] || fail "xvdb's backend device still there 10s after detach at cycle $1"
}
# Two cycles first, so that what is made once (caches, the grant table
# grown to its size) is made before counting.
cycle warm1
cycle warm2
dom0_count "$dom" >/tmp/dom0.before
guest_say lk COUNT-BEFORE
guest_wait lk COUNTED-BEFORE 60
if [ "${TB_LEAK_PLANT:-0}" = 1 ]; then
	xl block-attach lk 'phy:/dev/nullb3,xvdc,w' || fail "block-attach of the planted xvdc failed"
	tb_msg "planted a leak: xvdc stays attached (TB_LEAK_PLANT=1)"
fi
t0=$(date +%s)
for ((c = 1; c <= cycles; c++)); do
	cycle "$c"
done
tb_msg "$cycles attach/detach cycles in $(( $(date +%s) - t0 ))s"
dom0_count "$dom" >/tmp/dom0.after
moved=$(compare /tmp/dom0.before /tmp/dom0.after)
tb_msg "dom0 after $cycles cycles: $(paste /tmp/dom0.before /tmp/dom0.after | awk '{ printf "%s %s->%s; ", $1, $2, $4 }')"
guest_say lk COUNT-AFTER
# Both sides' verdicts in one line: the guest's first, dom0's after it.
gerr=""
if ! (guest_finish lk 120); then
	gerr=$(cat /tmp/tb-reason)
fi
[ -z "$moved" ] || fail "${gerr:+$gerr; }dom0 holds more after $cycles attach/detach cycles: $moved"
[ -z "$gerr" ] || fail "$gerr"

# Whole guests: each one's disk connected, then destroyed.
dom0_count >/tmp/dom0.before
t0=$(date +%s)
for ((g = 1; g <= guests; g++)); do
	guest_create lg type="$1" vcpus=1 front="$front" script=idle disk="phy:/dev/nullb1,xvda,w"
	guest_wait lg IDLE 120
	xl destroy lg || fail "xl destroy failed at guest $g"
	for ((t = 0; t < 100; t++)); do
		[ "$(xl list | awk 'NR > 2' | wc -l)" -eq 0 ] && break
		sleep 0.1
	done
	[ "$(xl list | awk 'NR > 2' | wc -l)" -eq 0 ] ||
		fail "a domain is left 10s after destroying guest $g (a dying domain: grants still mapped)"
done
tb_msg "$guests guests created and destroyed in $(( $(date +%s) - t0 ))s"
dom0_count >/tmp/dom0.after
moved=$(compare /tmp/dom0.before /tmp/dom0.after)
tb_msg "dom0 after $guests guests: $(paste /tmp/dom0.before /tmp/dom0.after | awk '{ printf "%s %s->%s; ", $1, $2, $4 }')"
[ -z "$moved" ] || fail "dom0 holds more after $guests guests: $moved"
