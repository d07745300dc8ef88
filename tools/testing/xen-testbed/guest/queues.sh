# SPDX-License-Identifier: GPL-2.0
# queues [EXPECTED]: xvda has one blk-mq hardware queue per vCPU
# (or EXPECTED queues when given).
# shellcheck shell=sh

# check_irq_placement DEV: with one fio job pinned to each vCPU, the
# interrupts of every ring N (our frontend names them blkif-VDEV-rN) are
# taken on a vCPU that blk-mq maps to hardware queue N.
check_irq_placement() {
	cat /proc/interrupts >/tmp/irq.before
	fio --name=irq --filename="/dev/$1" --allow_file_create=0 --ioengine=libaio --direct=1 \
		--rw=randread --bs=4k --iodepth=8 --size=64M --time_based \
		--runtime=3 --numjobs="$(nproc)" --cpus_allowed="0-$(($(nproc) - 1))" \
		--cpus_allowed_policy=split >/tmp/fio.out 2>&1 ||
		gfail "fio for the interrupt placement failed: $(tail -n 2 /tmp/fio.out)"
	cat /proc/interrupts >/tmp/irq.after
	n=$(nproc)
	for q in /sys/block/"$1"/mq/[0-9]*; do
		i=${q##*/}
		# The CPU that took most of this queue's interrupts during fio.
		cpu=$(awk -v n="$n" -v name="blkif-[0-9]+-r$i\$" '
			$NF ~ name { k = $1; for (c = 0; c < n; c++) v[FILENAME, k, c] = $(c + 2); keys[k] = 1 }
			END { for (k in keys) for (c = 0; c < n; c++) {
				d = v["/tmp/irq.after", k, c] - v["/tmp/irq.before", k, c]
				if (d > best) { best = d; bc = c } }
			if (best > 0) print bc }' /tmp/irq.before /tmp/irq.after)
		[ -n "$cpu" ] || gfail "queue $i: no interrupts named blkif-*-r$i during fio"
		list=$(tr -d ' ' <"$q/cpu_list")
		echo "  queue $i: interrupts on cpu $cpu, blk-mq cpus $list"
		case ",$list," in
		*",$cpu,"*) ;;
		*) gfail "queue $i: interrupts on cpu $cpu, not on one of its cpus ($list)" ;;
		esac
	done
}

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
