# SPDX-License-Identifier: GPL-2.0
# queues [EXPECTED]: xvda has one blk-mq hardware queue per vCPU
# (or EXPECTED queues when given).
# shellcheck shell=sh
want=${1:-$(nproc)}
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
got=$(nr_queues xvda)
echo "xvda: $got hardware queues, $(nproc) vCPUs:"
for q in /sys/block/xvda/mq/[0-9]*; do
	echo "  queue ${q##*/}: cpus $(cat "$q/cpu_list")"
done
[ "$got" -eq "$want" ] || gfail "xvda has $got hardware queues, expected $want"
dd if=/dev/xvda of=/dev/null bs=1M count=4 iflag=direct 2>/dev/null || gfail "read from xvda failed"
gmark OK "queues=$got"
