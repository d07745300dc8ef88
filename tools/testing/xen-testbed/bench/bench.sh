# SPDX-License-Identifier: GPL-2.0
# bench FRONT BACK VCPUS REP [TYPE [KERNEL [DISK [WORKLOADS [DELIVERY]]]]]:
# run the workloads (WORKLOADS, "+" between them, or else
# $BENCH_WORKLOADS) for one stack, in a guest of TYPE (pv or pvh) running
# KERNEL (612, the testbed's, or deb61, Debian 12's own), on DISK:
# softirq (nullb0, which completes in a softirq, null_blk's default) or
# inline (nullb4, which completes in the submitter).  DELIVERY, for a
# PVH guest on the patched Xen: "vectors" (each event channel its own
# interrupt vector, the kernel's default there) or "upcall"
# (xen.evtchn_vectors=0 on the guest's command line, Xen's per-vCPU
# upcall vector); the guest checks that its disk's channels are
# delivered that way.  FRONT=none BACK=none is native: fio in dom0 on the
# disk.  Results go to the host under bench/TAG/ (TAG names all of the
# above but the workloads, and dom0's kernel): WORKLOAD.json, and "stack"
# with the settings.
#
# dom0 stays asleep while fio measures: it looks for the guest's marker
# of the next workload only in the ramp before it.  With BENCH_PROF set
# (testbed.py --profile), it has the profiler count a BENCH_PROF-second
# window inside each workload (bench_measure).
# shellcheck shell=bash
front=$1 back=$2 vcpus=$3 rep=$4 type=${5:-pv} kernel=${6:-612} disk=${7:-softirq}
[ -n "${8:-}" ] && BENCH_WORKLOADS=${8//+/ }
delivery=${9:-} extra=
case "$delivery" in
"") ;;
upcall) extra=xen.evtchn_vectors=0 ;;
vectors) ;;
*) fail "bench: unknown delivery $delivery (upcall or vectors)" ;;
esac
dom0=${TB_DOM0_KERNEL:-612}
ramp=${BENCH_RAMP:-1} runtime=${BENCH_RUNTIME:-3}
. /tb/scenarios/workloads.sh
. /tb/scenarios/benchlib.sh

case "$disk" in
softirq) dev=nullb0 ;;
inline) dev=nullb4 ;;
*) fail "bench: unknown disk $disk (softirq or inline)" ;;
esac
if [ "$front" = none ]; then
	tag=none-none-$disk-d$dom0-v$vcpus-r$rep
else
	tag=$front-$back-$type-$kernel-$disk-d$dom0-v$vcpus-r$rep${delivery:+-$delivery}
fi
printf '%s\n' "frontend=$front" "backend=$back" "type=$type" "kernel=$kernel" \
	"disk=$disk" "dom0=$dom0" "dom0_release=$(uname -r)" "vcpus=$vcpus" \
	"rep=$rep" "delivery=${delivery:--}" "ramp=$ramp" "runtime=$runtime" \
	"prof=${BENCH_PROF:-}" >/tmp/stack
[ "$front" = none ] && echo "queues=$(cat "/sys/kernel/config/nullb/$dev/submit_queues")" \
	>>/tmp/stack
tb_file "bench/$tag/stack" /tmp/stack

bench_mfns

if [ "$front" = none ]; then
	for w in $BENCH_WORKLOADS; do
		tb_msg "bench $tag $w"
		grep BLOCK: /proc/softirqs >/tmp/softirq.txt
		bench_measure "$w" &
		BENCH_RUNTIME=$runtime BENCH_RAMP=$ramp run_workload "$w" "$vcpus" \
			"/dev/$dev" /tmp/out.json || fail "fio $w in dom0 failed"
		wait
		# Block softirqs raised during the run: none means null_blk's
		# completion ran in the submitter's context either way.
		grep BLOCK: /proc/softirqs >>/tmp/softirq.txt
		tb_file "bench/$tag/$w.json" /tmp/out.json
		tb_file "bench/$tag/$w.softirq" /tmp/softirq.txt
	done
	dom0_symbols
	exit 0
fi

[ "$(tb_backend)" = "$back" ] || tb_load_backend "$back" ||
	fail "cannot load the $back backend"
guest_create b type="$type" vcpus="$vcpus" mem=384 kernel="$kernel" \
	front="$front" fparams="${BENCH_FPARAMS:-}" extra="$extra" \
	script=bench_guest args="$tag $runtime $ramp ${BENCH_SYMS:-modules} ${delivery:--} $BENCH_WORKLOADS" \
	disk="phy:/dev/$dev,xvda,w"
if [ -n "${BENCH_PIN:-}" ]; then
	# dom0 on CPU 0, the guest on CPU 1.
	if ! xl vcpu-pin Domain-0 all 0 || ! xl vcpu-pin b all 1; then
		fail "xl vcpu-pin failed"
	fi
fi
# CPU seconds of dom0 and the guest around the workloads, for the notes.
xl list >/tmp/xl.before
for w in $BENCH_WORKLOADS; do
	bench_wait b "BENCH $w"
	bench_io b "$w"
	bench_measure "$w"
done
bench_wait b OK
{ cat /tmp/xl.before; xl list; } >/tmp/xl.txt
tb_file "bench/$tag/cpu.txt" /tmp/xl.txt
dom0_symbols
guest_finish b 300
