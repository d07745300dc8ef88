# SPDX-License-Identifier: GPL-2.0
# evtchnvec on|off|restore: the block frontend's queues (ours, or Linux's
# with front=stock), their event channels delivered as interrupts of their
# own (xen.evtchn_vectors, on the patched Xen) or through the upcall (off:
# xen.evtchn_vectors=0, today's behaviour).
#   - each queue's channel is its own IRQ, of the vector domain's chip
#     (xen-dyn-vector-lateeoi) when on, of the upcall's (xen-dyn-lateeoi)
#     when off;
#   - with one fio job pinned to each vCPU, each channel's interrupts are
#     all counted on the vCPU of its effective affinity, and with our
#     frontend that is a vCPU blk-mq maps to its queue; when on, none of
#     them came through the upcall (the kernel logs each one that does);
# on and off:
#   - writing queue 0's smp_affinity moves its counts to another vCPU;
#   - fio verify passes while vCPU 1 goes offline and comes back, three
#     times; afterwards our frontend's channels are back on their queues'
#     vCPUs (rehome_irqs), Linux's stay where genirq put them.
# restore (on, dom0 saves and restores the guest while fio writes):
#   - every block verifies; the new channels pass the checks above again,
#     and no event of any vector IRQ came through the upcall: the IRQs
#     that survive a restore (xenstore's, the console's) are bound to
#     their vectors again.
# shellcheck shell=sh
mode=$1 front=${TB_FRONT:-ours}
case "$mode" in
on | restore) chip=xen-dyn-vector-lateeoi param=Y ;;
off) chip=xen-dyn-lateeoi param=N ;;
*) gfail "evtchnvec: on, off or restore, not '$mode'" ;;
esac
n=$(nproc)
[ "$n" -ge 2 ] || gfail "needs 2 vCPUs or more, has $n"
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
dmesg | grep -E -o 'xen:events: .*(vector|upcall).*' | head -n 2
got=$(cat /sys/module/xen/parameters/evtchn_vectors) ||
	gfail "no xen.evtchn_vectors parameter: a kernel without the xen-events-vectors step of patches/series?"
[ "$got" = "$param" ] || gfail "xen.evtchn_vectors reads $got, expected $param"
grep -q '^ *HYP:' /proc/interrupts || gfail "no HYP (upcall) line in /proc/interrupts"

# queue_irq N: the IRQ number of our frontend's queue N's channel.
queue_irq() {
	awk -v name="blkif-[0-9]+-r$1\$" '$NF ~ name { sub(":", "", $1); print $1; exit }' /proc/interrupts
}

# queue_irqs: the IRQs of xvda's channels, queue 0's first.  Ours names
# them blkif-VDEV-rN.  Linux's names them all "blkif" and binds ring 0
# first; each takes the lowest free IRQ number, so /proc/interrupts (in
# IRQ order) lists them in ring order.
queue_irqs() {
	if [ "$front" = ours ]; then
		for q in /sys/block/xvda/mq/[0-9]*; do
			queue_irq "${q##*/}"
		done
	else
		awk '$NF == "blkif" { sub(":", "", $1); print $1 }' /proc/interrupts
	fi
}

# eff_cpu IRQ: the one vCPU the IRQ is delivered on.
eff_cpu() {
	cut -d, -f1 </proc/irq/"$1"/effective_affinity_list | cut -d- -f1
}

# on_queue_cpu IRQ Q: IRQ is delivered on a vCPU blk-mq maps to queue Q.
on_queue_cpu() {
	case ",$(tr -d ' ' </sys/block/xvda/mq/"$2"/cpu_list)," in
	*",$(eff_cpu "$1"),"*) return 0 ;;
	esac
	return 1
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

# all_on CPU COUNTS: every count of the per-vCPU COUNTS is CPU's, and
# there is one at least.
all_on() {
	mine=$(echo "$2" | cut -d' ' -f$(($1 + 1)))
	[ "$mine" -gt 0 ] && [ "$mine" -eq "$(sum "$2")" ]
}

# An event of a vector IRQ that the upcall delivered is logged (rarely
# right, at its binding); the upcall counter cannot tell, as one upcall
# carries the timer's and other channels' events together.
upcalled() {
	dmesg | grep -c 'came through the upcall, not on its vector'
}

# check_channels: one IRQ of the expected chip per queue, each counted on
# its own vCPU (with ours: one of its queue's) during fio; sets $irqs.
check_channels() {
	irqs=$(queue_irqs | tr '\n' ' ')
	# shellcheck disable=SC2086
	set -- $irqs
	[ $# -eq "$(nr_queues xvda)" ] ||
		gfail "$# channel IRQs ($irqs) for $(nr_queues xvda) queues of the $front frontend"
	seen=""
	for irq in $irqs; do
		c=$(awk -v n="$n" -v k="$irq:" '$1 == k { print $(n + 2) }' /proc/interrupts)
		echo "  irq $irq: chip $c, affinity $(cat /proc/irq/"$irq"/effective_affinity_list)"
		[ "$c" = "$chip" ] || gfail "irq $irq has chip $c, expected $chip"
		case " $seen " in *" $irq "*) gfail "two queues share irq $irq" ;; esac
		seen="$seen $irq"
	done
	if [ "$front" = ours ]; then
		check_irq_placement xvda
	else
		irq_fio xvda
	fi
	for irq in $irqs; do
		d=$(irq_deltas /tmp/irq.before /tmp/irq.after "^$irq:\$")
		echo "  irq $irq: interrupts per vCPU $d, effective affinity $(eff_cpu "$irq")"
		all_on "$(eff_cpu "$irq")" "$d" ||
			gfail "irq $irq: interrupts per vCPU $d, expected all on cpu $(eff_cpu "$irq")"
	done
	blk=$(irq_deltas /tmp/irq.before /tmp/irq.after 'blkif(-[0-9]+-r[0-9]+)?$')
	hyp=$(irq_deltas /tmp/irq.before /tmp/irq.after '^HYP:$')
	echo "during fio: queue interrupts per vCPU $blk; upcalls (HYP) per vCPU $hyp"
	if [ "$param" = Y ] && [ "$(upcalled)" -gt 0 ]; then
		gfail "events of vector IRQs came through the upcall: $(dmesg | grep -m1 'came through the upcall')"
	fi
}

# check_move: queue 0's channel moved to another vCPU than its own, fio
# issuing on a vCPU blk-mq maps to queue 0: its interrupts follow.
check_move() {
	irq=${irqs%% *}
	home=$(tr -d ' ' </sys/block/xvda/mq/0/cpu_list | cut -d, -f1 | cut -d- -f1)
	dest=$((($(eff_cpu "$irq") + 1) % n))
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
	moved=$(irq_deltas /tmp/irq.before /tmp/irq.after "^$irq:\$")
	echo "queue 0 (irq $irq) moved to cpu $dest, fio on cpu $home: its interrupts per vCPU $moved"
	all_on "$dest" "$moved" || gfail "queue 0's interrupts per vCPU $moved, expected all on cpu $dest"
}

# check_hotplug: vCPU 1 offline and back, three times, every queue's
# channel on it each time, while fio verifies: no I/O lost.  On the
# upcall, an event Xen queued for vCPU 1 before its channels moved off it
# is raised again on the new vCPU (the xen-events-fifo-offline step of
# patches/series); Linux dropped it, and the ring waited for it for good.
# Then our frontend moves each channel back to its queue's first vCPU
# once one of that queue's is online again (rehome_irqs, from a work
# item: give it a moment).
check_hotplug() {
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
	sleep 1
	for irq in $irqs; do
		echo "  irq $irq: affinity $(cat /proc/irq/"$irq"/effective_affinity_list) after the hotplug"
	done
	[ "$front" = ours ] || return 0
	dmesg | grep -E 'back on cpu' | tail -n 2
	i=0
	for irq in $irqs; do
		t=0
		while ! on_queue_cpu "$irq" "$i"; do
			t=$((t + 1))
			[ $t -gt 50 ] &&
				gfail "queue $i: irq $irq still on cpu $(eff_cpu "$irq") after the hotplug, its vCPUs are $(cat /sys/block/xvda/mq/$i/cpu_list)"
			sleep 0.1
		done
		i=$((i + 1))
	done
}

# check_restore: dom0 saves and restores the guest while fio writes.
check_restore() {
	gmark FIO-START
	fio_verify xvda 192M --do_verify=0
	gmark WRITE-DONE
	fio_verify xvda 192M --verify_only
	dmesg | grep -q 'suspending xenstore' ||
		gfail "the guest's kernel logged no suspend: was it saved and restored?"
	echo "after the restore:"
	check_channels
	grep -E 'xenbus|hvc_console|xencons' /proc/interrupts
}

check_channels
case "$mode" in
on | off)
	check_move
	check_hotplug
	;;
restore) check_restore ;;
esac
if [ "$param" = Y ] && [ "$(upcalled)" -gt 0 ]; then
	gfail "events of vector IRQs came through the upcall: $(dmesg | grep -m1 'came through the upcall')"
fi
gkernel_clean 'timed out|timeout|No irq handler|nobody cared'
gmark OK "front=$front mode=$mode evtchn_vectors=$got queues=$(nr_queues xvda)"
