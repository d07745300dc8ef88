# SPDX-License-Identifier: GPL-2.0
# evtchn_restore TYPE: a TYPE (pvh) guest with 2 vCPUs, its block
# frontend's channels on vectors of their own (xen.evtchn_vectors, on the
# patched Xen), saved and restored (xl save, xl restore) while fio writes;
# guest/evtchnvec.sh then verifies every block and checks the new
# channels' IRQs, and that no event of a vector IRQ (xenstore's and the
# console's survive the restore) came through the upcall afterwards.
# shellcheck shell=bash
tb_need_patched_xen
tb_mark evtchn_restore "$*"
guest_create er type="${1:-pvh}" vcpus=2 front="${TB_FRONT:-stock}" script=evtchnvec \
	args=restore disk="phy:/dev/nullb2,xvda,w"
guest_wait_writing er
t0=$(date +%s)
xl save er /tmp/er.save || fail "xl save failed"
guest_alive er && fail "domain still running after xl save"
xl restore /tmp/er.save || fail "xl restore failed"
rm -f /tmp/er.save
tb_msg "saved and restored in $(($(date +%s) - t0))s"
guest_finish er 300
tb_logs_clean
