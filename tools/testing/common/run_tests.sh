#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh PROG...: run each test program, show its lines, and end
# with the total "N passed, N failed"; exit non-zero on any failure.  A
# program that dies before its own summary counts as one failure.
pass=0
fail=0
for t in "$@"; do
	out=$(./"$t" 2>&1)
	rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	case $last in
	[0-9]*" passed, "[0-9]*" failed")
		printf '%s\n' "$out" | sed '$d'
		echo "# $t: $last"
		p=${last%% passed*}
		f=${last#*passed, }
		f=${f%% failed}
		pass=$((pass + p))
		fail=$((fail + f))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			fail=$((fail + 1))
		fi
		;;
	*)
		printf '%s\n' "$out"
		echo "not ok - $t died (exit $rc) before its summary"
		fail=$((fail + 1))
		;;
	esac
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
