# SPDX-License-Identifier: GPL-2.0
# soak SECONDS: fio verify rounds of 64 MiB on xvda for SECONDS, each of
# which must verify ("@@G ROUND N" after each, dom0 watches them come);
# meanwhile a short fio verify job on xvdb whenever it is there (dom0
# attaches and detaches it at random): a job cut by a detach fails with
# an I/O error and is only counted, but one that read back other data
# than it wrote, or failed while its disk stayed, fails the soak.  Then
# SOAK-DONE with the counts, no kernel warning, and the end when dom0
# says END.
# shellcheck shell=sh
secs=${1:-600}
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
# Which frontend serves the disks: ours has its debugfs directory.
front=stock
[ -d /sys/kernel/debug/xen-blkfront ] && front=ours
gmark SOAK-START "frontend $front"
end=$(($(date +%s) + secs))
mismatch='verify failed|bad magic header|verify type mismatch'
(
	ok=0 cut=0
	echo "0 0" >/tmp/xvdb.count
	while [ ! -e /tmp/stop ]; do
		if [ -e /sys/block/xvdb ] && wait_disk xvdb 5; then
			seq=$(cat /sys/block/xvdb/diskseq)
			if fio --name=sb --filename=/dev/xvdb --allow_file_create=0 \
				--ioengine=libaio --direct=1 --rw=randwrite --bs=64k \
				--iodepth=8 --size=8M --verify=crc32c --verify_fatal=1 \
				--do_verify=1 >/tmp/sb.out 2>&1; then
				ok=$((ok + 1))
			elif grep -q -E "$mismatch" /tmp/sb.out; then
				# A detach fails I/O; it never changes data.
				echo "fio on xvdb read back other data than it wrote:" \
					"$(grep -m1 -E "$mismatch" /tmp/sb.out)" >/tmp/xvdb.bad
			elif ! wait_gone xvdb 30 &&
				[ "$(cat /sys/block/xvdb/diskseq)" = "$seq" ]; then
				echo "fio on xvdb failed, and the same disk is still there 30s on (no detach):" \
					"$(grep -m1 -i error /tmp/sb.out)" >/tmp/xvdb.bad
			else
				cut=$((cut + 1))
				grep -m1 -i error /tmp/sb.out >/tmp/xvdb.cut
			fi
			echo "$ok $cut" >/tmp/xvdb.count
		fi
		sleep 1
	done
) &
bg=$!
rounds=0
while [ "$(date +%s)" -lt "$end" ] && [ ! -e /tmp/xvdb.bad ]; do
	fio_verify xvda 64M
	rounds=$((rounds + 1))
	gmark "ROUND $rounds"
done
touch /tmp/stop
wait $bg
[ -e /tmp/xvdb.bad ] && gfail "$(cat /tmp/xvdb.bad)"
read -r ok cut </tmp/xvdb.count
last=""
[ "$cut" -gt 0 ] && last=" (the last: $(cat /tmp/xvdb.cut))"
gmark SOAK-DONE "frontend $front; $rounds xvda verify rounds passed, xvda $(cat /sys/block/xvda/size) sectors;" \
	"xvdb jobs: $ok passed, $cut cut by a detach$last"
hear END 600
gkernel_clean
gmark OK
