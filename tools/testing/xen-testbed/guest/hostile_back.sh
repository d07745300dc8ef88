# SPDX-License-Identifier: GPL-2.0
# hostile_back: fio verify on xvda the whole time, in rounds of 8 MiB at
# 2 MB/s until dom0 detaches the token disk xvdz; each time dom0 attaches
# xvdb (served by a hostile backend), "@@G XVDB-DISK N" with its size,
# fio verify on it too, bounded, and "@@G XVDB-IO N ok|failed"; waits
# for xvdb to go; ends when dom0 detaches the token disk xvdz, with
# xvda's verify done.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
wait_disk xvdz 30 || gfail "no token disk /dev/xvdz after 30s"
gmark FIO-START
(
	r=0
	while :; do
		fio_verify xvda 8M --rate=2m
		r=$((r + 1))
		[ -e /sys/block/xvdz ] || break
	done
	echo "$r" >/tmp/xvda.rc
) &
pid=$!
n=0
while [ -e /sys/block/xvdz ]; do
	if [ -e /sys/block/xvdb ]; then
		n=$((n + 1))
		gmark "XVDB-SEEN $n"
		there=0
		wait_disk xvdb 5 && there=1 &&
			gmark "XVDB-DISK $n $(cat /sys/block/xvdb/size) sectors of" \
				"$(cat /sys/block/xvdb/queue/logical_block_size) bytes, $(nr_queues xvdb) queues"
		if [ $there = 1 ] && timeout 40 fio --name=hb --filename=/dev/xvdb \
			--allow_file_create=0 --ioengine=libaio --direct=1 \
			--rw=randwrite --bs=4k --iodepth=8 --size=2M \
			--verify=crc32c --verify_fatal=1 --do_verify=1 \
			>/tmp/hb.out 2>&1; then
			gmark "XVDB-IO $n ok"
		else
			gmark "XVDB-IO $n failed: $(grep -m1 -i -E 'error|verify' /tmp/hb.out)"
		fi
		wait_gone xvdb 90 || gmark "XVDB-STUCK $n"
	fi
	sleep 0.2
done
wait $pid
[ -f /tmp/xvda.rc ] || gfail "xvda's fio verify failed while xvdb was attacked"
gmark OK "xvdb appeared $n times, xvda verified $(cat /tmp/xvda.rc) rounds"
