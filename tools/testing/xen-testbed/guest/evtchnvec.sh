# SPDX-License-Identifier: GPL-2.0
# evtchnvec on|off: our blkfront's queues, their event channels delivered
# as interrupts of their own (xen.evtchn_vectors, on the patched Xen) or
# through the upcall (off: xen.evtchn_vectors=0, today's behaviour).
#   - each queue's channel is its own IRQ, of the vector domain's chip
#     (xen-dyn-vector-lateeoi) when on, of the upcall's (xen-dyn-lateeoi)
#     when off;
#   - with one fio job pinned to each vCPU, each queue's interrupts are
#     counted on a vCPU blk-mq maps to it; when on, none of them came
#     through the upcall (the kernel logs each one that does);
#   - writing queue 0's smp_affinity moves its counts to the other vCPU;
#   - fio verify passes while vCPU 1 goes offline and comes back, three
#     times.
# shellcheck shell=sh
mode=$1
case "$mode" in
on) chip=xen-dyn-vector-lateeoi param=Y ;;
off) chip=xen-dyn-lateeoi param=N ;;
*) gfail "evtchnvec: on or off, not '$mode'" ;;
esac
n=$(nproc)
[ "$n" -ge 2 ] || gfail "needs 2 vCPUs or more, has $n"
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
dmesg | grep -E -o 'xen:events: .*(vector|upcall).*' | head -n 2
got=$(cat /sys/module/xen/parameters/evtchn_vectors) ||
	gfail "no xen.evtchn_vectors parameter: a kernel without the xen-events-vectors step of patches/series?"
[ "$got" = "$param" ] || gfail "xen.evtchn_vectors reads $got, expected $param"

# queue_irq N: the IRQ number of queue N's channel (from /proc/interrupts).
queue_irq() {
	awk -v name="blkif-[0-9]+-r$1\$" '$NF ~ name { sub(":", "", $1); print $1; exit }' /proc/interrupts
}

# irq_deltas BEFORE AFTER PATTERN: per-vCPU counts (space separated) taken
# between the two /proc/interrupts snapshots by the lines whose first or
# last field matches PATTERN.
irq_deltas() {
	awk -v n="$n" -v pat="$3" '
		$1 ~ pat || $NF ~ pat { for (c = 0; c < n; c++) d[c] += (FILENAME == ARGV[1] ? -1 : 1) * $(c + 2) }
		END { for (c = 0; c < n; c++) printf "%d%s", d[c], (c < n - 1 ? " " : "\n") }' "$1" "$2"
}

sum() { echo "$*" | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }'; }

grep -q '^ *HYP:' /proc/interrupts || gfail "no HYP (upcall) line in /proc/interrupts"
irqs=""
for q in /sys/block/xvda/mq/[0-9]*; do
	i=${q##*/}
	irq=$(queue_irq "$i")
	[ -n "$irq" ] || gfail "queue $i: no blkif-*-r$i line in /proc/interrupts"
	c=$(awk -v n="$n" -v k="$irq:" '$1 == k { print $(n + 2) }' /proc/interrupts)
	echo "  queue $i: irq $irq, chip $c, affinity $(cat /proc/irq/"$irq"/effective_affinity_list)"
	[ "$c" = "$chip" ] || gfail "queue $i: irq $irq has chip $c, expected $chip"
	case " $irqs " in *" $irq "*) gfail "queue $i shares irq $irq" ;; esac
	irqs="$irqs $irq"
done

check_irq_placement xvda
blk=$(irq_deltas /tmp/irq.before /tmp/irq.after 'blkif-[0-9]+-r[0-9]+$')
hyp=$(irq_deltas /tmp/irq.before /tmp/irq.after '^HYP:$')
echo "during fio: queue interrupts per vCPU $blk; upcalls (HYP) per vCPU $hyp"
[ "$(sum "$blk")" -gt 0 ] || gfail "no queue interrupts during fio"
# An event of a vector IRQ that the upcall delivered is logged (rarely
# right, at its binding); the upcall counter cannot tell, as one upcall
# carries the timer's and other channels' events together.
upcalled() {
	dmesg | grep -c 'came through the upcall, not on its vector'
}
if [ "$mode" = on ] && [ "$(upcalled)" -gt 0 ]; then
	gfail "events of vector IRQs came through the upcall: $(dmesg | grep -m1 'came through the upcall')"
fi

# Queue 0's channel moved to another vCPU than its blk-mq one.
irq=$(queue_irq 0)
home=$(tr -d ' ' </sys/block/xvda/mq/0/cpu_list | cut -d, -f1 | cut -d- -f1)
dest=$(((home + 1) % n))
echo "$dest" >/proc/irq/"$irq"/smp_affinity_list ||
	gfail "writing $dest to irq $irq's smp_affinity_list failed"
eff=$(cat /proc/irq/"$irq"/effective_affinity_list)
[ "$eff" = "$dest" ] || gfail "irq $irq: effective affinity $eff after writing $dest"
cat /proc/interrupts >/tmp/irq.before
fio --name=moved --filename=/dev/xvda --allow_file_create=0 --ioengine=libaio --direct=1 \
	--rw=randread --bs=4k --iodepth=8 --size=64M --number_ios=2000 \
	--cpus_allowed="$home" >/tmp/fio.out 2>&1 ||
	gfail "fio on cpu $home failed: $(tail -n 2 /tmp/fio.out)"
cat /proc/interrupts >/tmp/irq.after
moved=$(irq_deltas /tmp/irq.before /tmp/irq.after 'blkif-[0-9]+-r0$')
echo "queue 0 (irq $irq) moved from cpu $home to $dest: its interrupts per vCPU $moved"
on_dest=$(echo "$moved" | cut -d' ' -f$((dest + 1)))
on_home=$(echo "$moved" | cut -d' ' -f$((home + 1)))
if [ "$on_dest" -eq 0 ] || [ "$on_home" -ne 0 ]; then
	gfail "queue 0's interrupts per vCPU $moved, expected all on cpu $dest"
fi

# vCPU 1 offline and back, three times, both queues' channels on it each
# time, while fio verifies: no I/O lost.  On the upcall, an event Xen
# queued for vCPU 1 before its channels moved off it is raised again on
# the new vCPU (the xen-events-fifo-offline step of patches/series);
# Linux dropped it, and the ring waited for it for good.
(
	for r in 1 2 3; do
		for i in $irqs; do
			echo 1 >/proc/irq/"$i"/smp_affinity_list || echo "irq $i: cannot move it to cpu 1"
		done
		sleep 1
		echo 0 >/sys/devices/system/cpu/cpu1/online || echo "offlining cpu1 failed ($r)"
		sleep 1
		echo 1 >/sys/devices/system/cpu/cpu1/online || echo "onlining cpu1 failed ($r)"
	done
) &
fio_verify xvda 96M --numjobs=1
wait
[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 1 ] || gfail "cpu1 did not come back"
echo "hotplug: $(dmesg | grep -c 'Raising pending event') queued events raised again," \
	"$(dmesg | grep -c 'Dropping pending event') dropped"
dmesg | grep -m 2 -E '(Raising|Dropping) pending event'
for i in $irqs; do
	echo "  irq $i: affinity $(cat /proc/irq/"$i"/effective_affinity_list) after the hotplug"
done
[ "$(upcalled)" -eq 0 ] ||
	gfail "events came through the upcall after the move or the hotplug: $(dmesg | grep -m1 'came through the upcall')"
gkernel_clean 'timed out|timeout|No irq handler|nobody cared'
gmark OK "evtchn_vectors=$got queues=$(nr_queues xvda)"
