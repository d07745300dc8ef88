# SPDX-License-Identifier: GPL-2.0
# leaks SLAB_KB FRONT: count what the guest holds (free grant references,
# our frontend's census when FRONT is ours, kernel threads but kworkers,
# slab) when dom0 says
# COUNT-BEFORE (before its attach/detach cycles of xvdb) and again when
# it says COUNT-AFTER; the frontend's census must be back exactly,
# threads too, the free grant references at least, slab within SLAB_KB.
# shellcheck shell=sh
slab_kb=${1:-256} front=${2:-ours}
insmod /tb/mod/test/xenpv-census.ko || gfail "insmod xenpv-census failed"
count() {
	echo "grefs_free $(cat /sys/kernel/debug/xenpv-census/grant_refs_free)"
	[ "$front" = ours ] && sed 's/^/front_/' /sys/kernel/debug/xen-blkfront/census
	echo "kthreads $(cat /proc/[0-9]*/stat 2>/dev/null | sed -n 's/^[0-9]* (\(.*\)) . 2 .*/\1/p' |
		awk '!/^kworker\// { n++ } END { print n + 0 }')"
	awk '/^Slab:/ { print "slab_kb " $2 }' /proc/meminfo
}
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
gmark LEAKS-READY
hear COUNT-BEFORE 300
count >/tmp/before
gmark COUNTED-BEFORE
hear COUNT-AFTER 1800
sleep 1
count >/tmp/after
paste /tmp/before /tmp/after | while read -r k a _ b; do
	echo "guest $k: $a -> $b"
done
# Free grant references may grow: the frontend holds xvda's persistent
# grants too, and Linux's gives back those our backend has unmapped
# while idle (dom0's "mapped" falls with it).
bad=$(paste /tmp/before /tmp/after | awk -v slab="$slab_kb" '
	$1 == "slab_kb" { if ($4 - $2 > slab) print $1 ": " $2 " -> " $4; next }
	$1 == "grefs_free" { if ($4 < $2) print $1 ": " $2 " -> " $4; next }
	$2 != $4 { print $1 ": " $2 " -> " $4 }' | tr '\n' ' ')
[ -z "$bad" ] || gfail "the guest holds more after the cycles: $bad"
gmark OK
