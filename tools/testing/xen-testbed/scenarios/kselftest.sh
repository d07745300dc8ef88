# SPDX-License-Identifier: GPL-2.0
# kselftest TYPE: the Xen selftests (tools/testing/selftests/xen), as a
# user runs them on a real host: in a TYPE guest with 2 vCPUs, the
# frontend's tests on its disk xvda, which they may write, waiting for a
# save and restore of the guest; meanwhile in dom0, the backend's tests,
# attaching and detaching a second disk (xvdc) of that guest; then dom0
# saves and restores the guest.  Both TAP outputs go to the host
# (kselftest/guest-FRONT-TYPE.tap, kselftest/dom0-BACK-TYPE.tap), where
# make check counts each test; a test that fails fails the scenario.
# shellcheck shell=bash
guest_create ks type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=kselftest \
	args="120 ${TB_FRONT:-stock}-$1" disk="phy:/dev/nullb1,xvda,w"
for ((i = 0; i < 600; i++)); do
	grep -q "waiting up to .* saved and restored" "$XLOG/guest-ks.log" 2>/dev/null && break
	guest_alive_now "$i" ks || break
	sleep 0.5
done
grep -q "waiting up to .* saved and restored" "$XLOG/guest-ks.log" 2>/dev/null ||
	{ guest_dump ks; fail "the guest's selftests never waited for the save"; }
XEN_SELFTEST_DOMAIN=ks XEN_SELFTEST_ATTACH="phy:/dev/nullb2,xvdc,w" \
	/tb/kselftest/xen/xen_blkback_test >/tmp/dom0.tap 2>&1
rc=$?
cat /tmp/dom0.tap
tb_file "kselftest/dom0-$(tb_backend)-$1.tap" /tmp/dom0.tap
xl save ks /tmp/ks.save || fail "xl save failed"
xl restore /tmp/ks.save || fail "xl restore failed"
rm -f /tmp/ks.save
guest_finish ks 300
[ $rc -eq 0 ] || fail "dom0's selftests: $(grep -m1 '^not ok' /tmp/dom0.tap)"
