# SPDX-License-Identifier: GPL-2.0
# What dom0's benchmark scenarios share (bench.sh, bench_usb.sh): they set
# tag, ramp and runtime first.
# shellcheck shell=bash
# shellcheck disable=SC2154 # tag, ramp and runtime are the caller's

# bench_mfns: dom0's machine frames, once per boot, when profiling: the
# profile's reader tells dom0's code from the guest's by them
# (tools/testing/xen-mfnmap).
bench_mfns() {
	[ -n "${BENCH_PROF:-}" ] && [ ! -f /run/tb-mfns ] || return 0
	insmod /tb/mod/test/xen-mfnmap.ko || fail "cannot load xen-mfnmap"
	cat /sys/kernel/debug/xen-mfnmap >/run/tb-mfns || fail "cannot read dom0's frames"
	rmmod xen-mfnmap
	tb_file "bench/dom0.mfns" /run/tb-mfns
}

# dom0_symbols: dom0's module symbols, to name code in a profile with
# prof/report.py; with BENCH_SYMS=all, all its code symbols (Debian's
# kernel comes without a System.map; the guest's likewise).
dom0_symbols() {
	[ -n "${BENCH_PROF:-}" ] || return 0
	if [ "${BENCH_SYMS:-}" = all ]; then
		grep -i '^[0-9a-f]* t ' /proc/kallsyms >/tmp/dom0.ksyms
	else
		grep '\[' /proc/kallsyms >/tmp/dom0.ksyms
	fi
	tb_file "bench/$tag/dom0.ksyms" /tmp/dom0.ksyms
}

# bench_measure W: sleep through workload W, whose first I/O went out
# about now ("@@G IO W", bench_io), with a profile window inside it if
# asked for: from a tenth of a second after the ramp for BENCH_PROF
# seconds (bench.py: the runtime less 1.5).  fio counts its ramp and
# runtime from its job's start, before the first I/O: windows of
# BENCH_PROF = runtime - 1 from a quarter second after the ramp reached
# 0.1 to 0.3 s past fio's end in a fifth of the rows (runs hb6 and hb7 of
# 2026-12-06, prof/report.py's process count), so the window now ends
# about half a second earlier.  The caller's next bench_wait sleeps
# through the rest.
bench_measure() {
	local w=$1
	if [ -n "${BENCH_PROF:-}" ]; then
		sleep "$ramp.1"
		echo "@@PROF start $tag-$w"
		sleep "$BENCH_PROF"
		echo "@@PROF stop $tag-$w"
	else
		sleep "$((ramp + runtime))"
	fi
}

# bench_io NAME W: after "@@G BENCH W", wait for "@@G IO W", the first
# I/O of workload W, which follows within a second or two: polled every
# 50 ms and without bench_wait's look at the guest (an xl command costs
# dom0 0.3 s), since bench_measure times the profile window from here.
bench_io() {
	local i
	for ((i = 0; i < 600; i++)); do
		grep -q "^@@G IO $2[[:space:]]*\$" "$XLOG/guest-$1.log" 2>/dev/null && return 0
		sleep 0.05
	done
	bench_wait "$1" "IO $2"
}

# bench_wait NAME WORD: wait (up to 10 minutes) for "@@G WORD" on the
# guest's console, cheaply: only a grep per half second, and a look at
# whether the guest still lives every ten.
bench_wait() {
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -q "^@@G $2" "$XLOG/guest-$1.log" 2>/dev/null && return 0
		if ((i % 10 == 9)) && ! guest_alive "$1"; then
			guest_dump "$1"
			fail "guest $1 ended before it printed '$2'"
		fi
		sleep 0.5
	done
	guest_dump "$1"
	fail "guest $1 did not print '$2' within 600s"
}
