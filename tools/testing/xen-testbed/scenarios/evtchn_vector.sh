# SPDX-License-Identifier: GPL-2.0
# evtchn_vector TYPE: EVTCHNOP_bind_vector (patches/xen, booted with
# testbed.py --xen patched) from guests that attack it while another guest
# (hv, PV) runs fio verify on its own disk.  xen-evtchnhostile runs in a
# TYPE (pvh) guest with the FIFO event channel ABI (e1), in one with the
# 2-level ABI (e2, xen.fifo_events=0), where the feature must be offered,
# and in a PV guest (e3), side by side, where it must not be offered and
# every call must fail with -EOPNOTSUPP or an argument error.  Every
# check must pass, hv must verify data all along, and Xen and dom0 must
# stay up without a warning.
# shellcheck shell=bash
tb_need_patched_xen
tb_mark evtchn_vector "$*"
type=${1:-pvh}

victim_create hv pv 2

# The three run side by side, while hv verifies.
guest_create e1 type="$type" vcpus=2 front=none script=evtchnhostile args=1 disk=none
guest_create e2 type="$type" vcpus=2 front=none script=evtchnhostile args=1 disk=none \
	extra="xen.fifo_events=0"
guest_create e3 type=pv vcpus=2 front=none script=evtchnhostile args=0 disk=none
guest_finish e1 240
tb_msg "e1 ($type, FIFO): $(grep -o 'evtchnhostile: .*' "$XLOG/guest-e1.log" | head -n1)"
guest_finish e2 240
grep -q 'Using 2-level ABI' "$XLOG/guest-e2.log" ||
	fail "e2 did not use the 2-level event channel ABI"
tb_msg "e2 ($type, 2-level): $(grep -o 'evtchnhostile: .*' "$XLOG/guest-e2.log" | head -n1)"
guest_finish e3 120
tb_msg "e3 (pv): $(grep -o 'evtchnhostile: .*' "$XLOG/guest-e3.log" | head -n1)"

victim_stop hv "the three guests' checks"
xl info >/dev/null || fail "xl info failed after the attacks"
stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck in D state: $stuck"
tb_logs_clean 'Assertion|FATAL|Panic|Xen BUG|Xen WARN|lost event'
