# SPDX-License-Identifier: GPL-2.0
# What the guests' benchmark scripts share (bench_guest.sh,
# bench_usb_guest.sh).
# shellcheck shell=sh

# io_mark DEV W: print "@@G IO W" once DEV's I/O counters move, that is
# when fio's first I/O of workload W went out (its ramp began a little
# before, at its job's start); dom0 times the profile window from that,
# not from fio's start, whose setup (the process, its job processes, the
# libaio contexts) takes a varying part of a second.  Gives up after a
# minute.
io_mark() {
	read -r idle <"/sys/block/$1/stat"
	n=0
	while read -r now <"/sys/block/$1/stat" && [ "$now" = "$idle" ]; do
		n=$((n + 1))
		[ "$n" -lt 1200 ] || return 0
		sleep 0.05
	done
	gmark IO "$2"
}

# bench_guest_workloads TAG DEV JOBS QUEUES SYMS WORKLOAD...: send the
# stack's meta (QUEUES: DEV's hardware queues), then run each workload
# on /dev/DEV with JOBS fio jobs and send its fio JSON result to the host
# as bench/TAG/NAME.json, with NAME.irq beside it; "@@G BENCH NAME" marks
# the start of each, "@@G IO NAME" the start of its I/O (io_mark; dom0
# sleeps through the workload from there).  SYMS "all" sends all the
# kernel's code symbols at the end, else only its modules'; "@@G OK" last.
bench_guest_workloads() {
	tag=$1 dev=$2 jobs=$3 syms=$5
	printf 'vcpus=%s\nqueues=%s\nkernel_release=%s\n' "$(nproc)" "$4" "$(uname -r)" >/tmp/meta
	gfile "bench/$tag/meta" /tmp/meta
	shift 5
	for w in "$@"; do
		cat /proc/interrupts >/tmp/irq.before
		gmark BENCH "$w"
		io_mark "$dev" "$w" &
		run_workload "$w" "$jobs" "/dev/$dev" /tmp/out.json ||
			gfail "fio $w failed: $(tail -n 3 /tmp/out.json)"
		kill $! 2>/dev/null
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
