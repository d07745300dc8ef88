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
if [ "$TB_FRONT" = ours ]; then
	check_irq_placement xvda
	d=/sys/bus/xen/devices/vbd-51712
	echo "sysfs: driver_state $(cat $d/driver_state) rings $(cat $d/rings) hw_queues $(cat $d/hw_queues)" \
		"ring_pages $(cat $d/ring_pages) max_segments $(cat $d/max_segments)" \
		"persistent $(cat $d/persistent) bounce $(cat $d/bounce)"
	[ "$(cat $d/driver_state)" = connected ] ||
		gfail "sysfs driver_state is $(cat $d/driver_state)"
	if [ "$(cat $d/rings)" -ne "$got" ] || [ "$(cat $d/hw_queues)" -ne "$got" ]; then
		gfail "sysfs shows $(cat $d/rings) rings for $got hardware queues"
	fi
fi
gmark OK "queues=$got"
