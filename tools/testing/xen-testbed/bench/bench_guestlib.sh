# SPDX-License-Identifier: GPL-2.0
# What the guests' benchmark scripts share (bench_guest.sh,
# bench_usb_guest.sh).
# shellcheck shell=sh

# bench_guest_workloads TAG DEV JOBS QUEUES SYMS WORKLOAD...: send the
# stack's meta (QUEUES: DEV's hardware queues), then run each workload
# on /dev/DEV with JOBS fio jobs and send its fio JSON result to the host
# as bench/TAG/NAME.json, with NAME.irq beside it; "@@G BENCH NAME" marks
# the start of each (dom0 sleeps through it).  SYMS "all" sends all the
# kernel's code symbols at the end, else only its modules'; "@@G OK" last.
bench_guest_workloads() {
	tag=$1 dev=$2 jobs=$3 syms=$5
	printf 'vcpus=%s\nqueues=%s\nkernel_release=%s\n' "$(nproc)" "$4" "$(uname -r)" >/tmp/meta
	gfile "bench/$tag/meta" /tmp/meta
	shift 5
	for w in "$@"; do
		cat /proc/interrupts >/tmp/irq.before
		gmark BENCH "$w"
		run_workload "$w" "$jobs" "/dev/$dev" /tmp/out.json ||
			gfail "fio $w failed: $(tail -n 3 /tmp/out.json)"
		gfile "bench/$tag/$w.json" /tmp/out.json
		# Where the work went, for the notes: interrupts per CPU before
		# and after, and our block frontend's queue counters.
		{
			echo "== before"; cat /tmp/irq.before
			echo "== after"; cat /proc/interrupts
			echo "== queues"; front_stats "$dev" 2>/dev/null
		} >/tmp/irq.txt
		gfile "bench/$tag/$w.irq" /tmp/irq.txt
	done
	# Module symbols, to name module code in an instruction profile.
	# All code symbols only when asked: Debian's kernel comes without a
	# System.map, but the console takes minutes to carry its symbols.
	if [ "$syms" = all ]; then
		grep -i '^[0-9a-f]* t ' /proc/kallsyms >/tmp/guest.ksyms
	else
		grep '\[' /proc/kallsyms >/tmp/guest.ksyms
	fi
	gfile "bench/$tag/guest.ksyms" /tmp/guest.ksyms
	gmark OK
}
