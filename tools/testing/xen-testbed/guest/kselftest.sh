# SPDX-License-Identifier: GPL-2.0
# kselftest SAVE_WAIT NAME: the frontend's Xen selftests on xvda (theirs
# to write), waiting up to SAVE_WAIT seconds for dom0 to save and restore
# this guest; the TAP output goes to the host as kselftest/guest-NAME.tap.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
XEN_SELFTEST_DISK=xvda XEN_SELFTEST_SAVE_WAIT=$1 \
	/tb/kselftest/xen/xen_blkfront_test >/tmp/guest.tap 2>&1 &
pid=$!
# The tests' progress on the console, for dom0 to see the wait begin.
tail -f /tmp/guest.tap &
tailpid=$!
wait $pid
rc=$?
kill $tailpid
gfile "kselftest/guest-$2.tap" /tmp/guest.tap
[ $rc -eq 0 ] || gfail "the guest's selftests: $(grep -m1 '^not ok' /tmp/guest.tap)"
