# SPDX-License-Identifier: GPL-2.0
# kunit-run.sh OUT: load each KUnit module of /tb/mod/test (the suites of
# tools/testing/xen-kunit), which runs its suite, unload it, and write one
# TAP line per case to OUT ("ok N SUITE.CASE"); the suites' KTAP goes to
# stdout.  Run by dom0 (scenario kunit) and by a guest (guest/kunit.sh)
# alike, with busybox's sh; exits non-zero, saying why, when a module
# cannot be loaded or no case reported.
# shellcheck shell=sh
out=$1 seen=/tmp/kunit.seen
: >"$out"
: >"$seen"
[ -d /sys/kernel/debug/kunit ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -d /sys/kernel/debug/kunit ] ||
	{ echo "no /sys/kernel/debug/kunit: a kernel without CONFIG_KUNIT_DEBUGFS"; exit 1; }
for m in /tb/mod/test/*-kunit.ko; do
	[ -e "$m" ] || { echo "no KUnit module in /tb/mod/test (make testbed-modules)"; exit 1; }
	name=$(basename "$m" .ko)
	insmod "$m" || { echo "insmod $name failed"; exit 1; }
	for d in /sys/kernel/debug/kunit/*/; do
		suite=$(basename "$d")
		grep -qx "$suite" "$seen" && continue
		echo "$suite" >>"$seen"
		cat "$d/results"
		# Each case is a parameter of the suite's one test, two levels
		# in: "        ok 3 name".
		sed -n "s/^        \(\(not \)\{0,1\}ok\) \([0-9]*\) \(.*\)\$/\1 \3 $suite.\4/p" \
			"$d/results" >>"$out"
	done
	rmmod "$name" || { echo "rmmod $name failed"; exit 1; }
done
rm -f "$seen"
[ -s "$out" ] || { echo "no KUnit case reported a result"; exit 1; }
