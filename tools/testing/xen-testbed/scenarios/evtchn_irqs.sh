# SPDX-License-Identifier: GPL-2.0
# evtchn_irqs TYPE VCPUS [on]: the guests' block frontend (ours with
# "ours/", Linux's with "stock/") in a TYPE (pvh, or hvm: Debian's
# qemu-system-xen as device model, direct kernel boot) guest with VCPUS vCPUs
# (as many queues), its channels as interrupts of their own
# (EVTCHNOP_bind_vector, patches/xen on the hypervisor, the
# xen-events-vectors step of patches/series in the guest kernel), and
# the same guest with xen.evtchn_vectors=0 on the upcall, side by side
# (only the first with "on"): guest/evtchnvec.sh checks the IRQs, where
# they are counted, smp_affinity and fio verify across a vCPU hotplug.
# Their disks are memory backed (nullb2, nullb3): fio verify reads data
# back.
# shellcheck shell=bash
tb_need_patched_xen
tb_mark evtchn_irqs "$*"
type=${1:-pvh} vcpus=${2:-2} only=${3:-} front=${TB_FRONT:-stock}
case "$only" in
"" | on) ;;
*) fail "evtchn_irqs: the third argument is 'on' or nothing, not '$only'" ;;
esac

guests=von
guest_create von type="$type" vcpus="$vcpus" front="$front" script=evtchnvec args=on \
	disk="phy:/dev/nullb2,xvda,w"
if [ -z "$only" ]; then
	guests="von voff"
	guest_create voff type="$type" vcpus="$vcpus" front="$front" script=evtchnvec args=off \
		disk="phy:/dev/nullb3,xvda,w" extra="xen.evtchn_vectors=0"
fi
for g in $guests; do
	guest_finish "$g" 300
	tb_msg "$g ($front): $(grep -E -o 'during fio: .*' "$XLOG/guest-$g.log" | head -n1)"
done
tb_logs_clean
