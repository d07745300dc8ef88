# SPDX-License-Identifier: GPL-2.0
# faults STEP...: the guest's half of scenarios/faults.sh.  For each
# SIDE:KIND:WHEN step it arms our frontend's faults (front steps), says
# so, and follows dom0: at connect, xvdb's connection fails while armed;
# when dom0 says Sn-DISARM it disarms and counts what fired; during I/O,
# fio verify runs on xvdb while 200 faults are armed (by it, or by dom0 in
# the backend) and may fail: a new connection's first requests fill its
# pool of persistent grants, which takes pages and grants.  Then, once
# dom0 says Sn-AFTER (it has disarmed the backend's faults), fio verify
# on xvdb must pass.  At the end our frontend's census and the
# free grant references must be what they were at the start.
# shellcheck shell=sh
f=/sys/kernel/debug/xen-blkfront/fault
insmod /tb/mod/test/xenpv-census.ko || gfail "insmod xenpv-census failed"
[ -d $f/grant ] || gfail "no $f: our frontend was built without XENPV_FAULT_INJECTION"
count() {
	echo "grefs_free $(cat /sys/kernel/debug/xenpv-census/grant_refs_free)"
	sed 's/^/front_/' /sys/kernel/debug/xen-blkfront/census
}
# arm KIND N / disarm KIND N (prints how many fired), as in dom0.
arm() {
	echo 0 >$f/"$1"/verbose
	echo "$2" >$f/"$1"/times
	echo 100 >$f/"$1"/probability
}
disarm() {
	echo 0 >$f/"$1"/probability
	left=$(cat $f/"$1"/times)
	echo 1 >$f/"$1"/times
	echo $(($2 - left))
}
# io: fio verify of xvdb, mixed sizes up to 1 MiB; "ok" or why not.
io() {
	if timeout "${2:-120}" fio --name=fl --filename=/dev/xvdb --allow_file_create=0 \
		--ioengine=libaio --direct=1 --rw=randwrite --bssplit=4k/50:64k/25:1m/25 \
		--iodepth=8 --size="$1" --verify=crc32c --verify_fatal=1 --do_verify=1 \
		>/tmp/fl.out 2>&1; then
		echo ok
	else
		echo "failed: $(grep -m1 -i -E 'error|verify' /tmp/fl.out)"
	fi
}
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
count >/tmp/before
gmark FAULTS-READY
n=0
for step in "$@"; do
	n=$((n + 1))
	side=${step%%:*} when=${step##*:} kind=${step#*:}
	kind=${kind%:*}
	if [ "$when" = connect ]; then
		[ "$side" = front ] && arm "$kind" 1
		gmark "S$n-ARMED $step"
		hear "S$n-DISARM" 120
		fired=0
		[ "$side" = front ] && fired=$(disarm "$kind" 1)
		gmark "S$n-DISARMED fired=$fired"
	else
		gmark "S$n-ARMED $step"
		wait_disk xvdb 60 || gfail "no /dev/xvdb 60s after $step's attach"
		[ "$side" = front ] && arm "$kind" 200
		gmark "S$n-IO-START $step"
		hear "S$n-GO" 120
		res=$(io 16M)
		fired=0
		[ "$side" = front ] && fired=$(disarm "$kind" 200)
		gmark "S$n-IO-DONE fired=$fired fio $res"
		# The backend's faults stay armed until dom0 has read that
		# line: the check after the fault waits for its word.
		hear "S$n-AFTER" 120
	fi
	wait_disk xvdb 60 || gfail "no /dev/xvdb 60s after $step's faults"
	gmark "S$n-IO $(io 4M)"
	wait_gone xvdb 120 || gfail "xvdb still there 120s after $step"
done
hear END 120
count >/tmp/after
paste /tmp/before /tmp/after | while read -r k a _ b; do
	echo "guest $k: $a -> $b"
done
bad=$(paste /tmp/before /tmp/after | awk '$2 != $4 { print $1 ": " $2 " -> " $4 }' | tr '\n' ' ')
[ -z "$bad" ] || gfail "the guest holds more after the faults: $bad"
gmark OK
