# SPDX-License-Identifier: GPL-2.0
# kunit TYPE: the KUnit suites in this guest's kernel; the cases go to the
# host as kunit/guest-TYPE.tap.
# shellcheck shell=sh
sh /tb/common/kunit-run.sh /tmp/kunit.tap || gfail "KUnit in the guest: see the log above"
gfile "kunit/guest-$1.tap" /tmp/kunit.tap
! grep -q '^not ok' /tmp/kunit.tap || gfail "KUnit: $(grep -m1 '^not ok' /tmp/kunit.tap)"
