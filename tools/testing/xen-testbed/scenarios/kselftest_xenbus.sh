# SPDX-License-Identifier: GPL-2.0
# kselftest_xenbus [lanes|off]: the xenbus selftest (xen_xenbus_test of
# tools/testing/selftests/xen) in dom0, as a user runs it on a real host,
# with the test module xen-watchstall given by path: a watch callback
# that stalls in one domain's lane must not hold up another domain's
# watch events.  Its TAP output goes to the host as
# kselftest/dom0-xenbus.tap, where make check counts it.  "lanes" (the
# default) needs the test to pass; "off", for a dom0 booted with
# xenbus.watch_lanes=0, needs it to skip and say why.
# shellcheck shell=bash
mode=${1:-lanes}
XEN_SELFTEST_WATCHSTALL=/tb/mod/test/xen-watchstall.ko \
	/tb/kselftest/xen/xen_xenbus_test >/tmp/xenbus.tap 2>&1
rc=$?
cat /tmp/xenbus.tap
tb_file kselftest/dom0-xenbus.tap /tmp/xenbus.tap
[ $rc -eq 0 ] || fail "xen_xenbus_test: $(grep -m1 '^not ok' /tmp/xenbus.tap)"
case $mode in
lanes) ! grep -q '^ok .* # SKIP' /tmp/xenbus.tap ||
	fail "xen_xenbus_test skipped: $(grep -m1 '# SKIP' /tmp/xenbus.tap)" ;;
off) grep -q '^ok .*stalled_watch # SKIP .*watch_lanes=0' /tmp/xenbus.tap ||
	fail "xen_xenbus_test did not skip for xenbus.watch_lanes=0" ;;
*) fail "kselftest_xenbus: unknown mode $mode" ;;
esac
