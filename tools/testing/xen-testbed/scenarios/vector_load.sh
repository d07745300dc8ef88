# SPDX-License-Identifier: GPL-2.0
# vector_load TYPE [SECONDS]: the guests' block frontend (ours with
# "ours/", Linux's with "stock/") with its channels on vectors of their
# own (patches/xen on the hypervisor, xen.evtchn_vectors on in the guest)
# under the benchmark's heaviest load, fio 4k random reads at queue depth
# 32 with one job per vCPU for SECONDS (30) of guest time, then fio
# verify (guest/vecload.sh).  make check runs it under QEMU's instruction
# counter on Debian's QEMU, whose emulated SVM delivers some vectors a
# second time into a handler that has interrupts disabled: Linux's
# frontend hung there until the vector domain's flow handler dropped such
# a repeat (Documentation/evtchn-vector.rst).
# shellcheck shell=bash
tb_need_patched_xen
tb_mark vector_load "$*"
guest_create vl type="${1:-pvh}" vcpus=2 front="${TB_FRONT:-stock}" script=vecload \
	args="${2:-30}" disk="phy:/dev/nullb1,xvda,w"
guest_finish vl 600
tb_msg "vl (${TB_FRONT:-stock}): $(grep -E -o 'during fio: .*' "$XLOG/guest-vl.log" | head -n1)"
tb_logs_clean
