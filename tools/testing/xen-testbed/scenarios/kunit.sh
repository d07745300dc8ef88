# SPDX-License-Identifier: GPL-2.0
# kunit: the KUnit suites of tools/testing/xen-kunit (the protocol cores'
# userspace tests, compiled into kernel modules) run in dom0's kernel:
# each module is loaded, which runs its suite, and every case's result
# is read from debugfs.  The results go to the host as TAP
# (kunit/dom0.tap), where make check counts each case; a case that fails
# fails the scenario.
# shellcheck shell=bash
mods=(/tb/mod/test/*-kunit.ko)
[ -e "${mods[0]}" ] || fail "no KUnit module in /tb/mod/test (make testbed-modules)"
[ -d /sys/kernel/debug/kunit ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -d /sys/kernel/debug/kunit ] || fail "no /sys/kernel/debug/kunit: a kernel without CONFIG_KUNIT_DEBUGFS"
: >/tmp/kunit.tap
for m in "${mods[@]}"; do
	name=$(basename "$m" .ko)
	insmod "$m" || fail "insmod $name failed"
	for d in /sys/kernel/debug/kunit/*/; do
		suite=$(basename "$d")
		grep -qx "$suite" /tmp/kunit.seen 2>/dev/null && continue
		echo "$suite" >>/tmp/kunit.seen
		cat "$d/results"
		# Each case is a parameter of the suite's one test, two levels
		# in: "        ok 3 name".
		sed -n "s/^        \(\(not \)\{0,1\}ok\) \([0-9]*\) \(.*\)\$/\1 \3 $suite.\4/p" \
			"$d/results" >>/tmp/kunit.tap
	done
	rmmod "$name" || fail "rmmod $name failed"
done
rm -f /tmp/kunit.seen
cat /tmp/kunit.tap
tb_file kunit/dom0.tap /tmp/kunit.tap
[ -s /tmp/kunit.tap ] || fail "no KUnit case reported a result"
! grep -q '^not ok' /tmp/kunit.tap || fail "KUnit: $(grep -m1 '^not ok' /tmp/kunit.tap)"
