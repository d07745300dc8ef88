# SPDX-License-Identifier: GPL-2.0
# soak SECONDS: fio verify rounds of 64 MiB on xvda for SECONDS, each of
# which must verify; meanwhile a short fio verify job on xvdb whenever it
# is there (dom0 attaches and detaches it at random: jobs cut by a
# detach fail, and are only counted).  Then SOAK-DONE with the counts,
# and the end when dom0 says END.
# shellcheck shell=sh
secs=${1:-600}
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
gmark SOAK-START
end=$(($(date +%s) + secs))
(
	ok=0 bad=0
	echo "0 0" >/tmp/xvdb.count
	while [ ! -e /tmp/stop ]; do
		if [ -e /sys/block/xvdb ] && wait_disk xvdb 5; then
			if fio --name=sb --filename=/dev/xvdb --allow_file_create=0 \
				--ioengine=libaio --direct=1 --rw=randwrite --bs=64k \
				--iodepth=8 --size=8M --verify=crc32c --do_verify=1 \
				>/tmp/sb.out 2>&1; then
				ok=$((ok + 1))
			else
				bad=$((bad + 1))
			fi
			echo "$ok $bad" >/tmp/xvdb.count
		fi
		sleep 1
	done
) &
bg=$!
rounds=0
while [ "$(date +%s)" -lt "$end" ]; do
	fio_verify xvda 64M
	rounds=$((rounds + 1))
done
touch /tmp/stop
wait $bg
read -r ok bad </tmp/xvdb.count
gmark SOAK-DONE "$rounds xvda verify rounds passed, xvda $(cat /sys/block/xvda/size) sectors; xvdb jobs: $ok passed, $bad cut"
hear END 600
gmark OK
