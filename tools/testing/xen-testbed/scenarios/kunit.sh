# SPDX-License-Identifier: GPL-2.0
# kunit [TYPE...]: the KUnit suites of tools/testing/xen-kunit (the
# protocol cores' userspace tests, compiled into kernel modules, and the
# suites of the watch lanes and the event channel vectors) run in dom0's
# kernel, then in a guest of each TYPE with 2 vCPUs (its kernel is the
# testbed's 6.12 too, as a guest; the vectors' suite moves IRQs between
# CPUs, and needs a PVH guest's local APIC).  Each side's cases go to the
# host as TAP (kunit/dom0.tap, kunit/guest-TYPE.tap), where make check
# counts each one; a case that fails fails the scenario.
# shellcheck shell=bash
sh /tb/common/kunit-run.sh /tmp/kunit.tap || fail "KUnit in dom0: see the log above"
tb_file kunit/dom0.tap /tmp/kunit.tap
! grep -q '^not ok' /tmp/kunit.tap || fail "KUnit: $(grep -m1 '^not ok' /tmp/kunit.tap)"
for type in "$@"; do
	guest_create "ku$type" type="$type" vcpus=2 front=none disk=none \
		script=kunit args="$type"
	guest_finish "ku$type" 300
done
