# SPDX-License-Identifier: GPL-2.0
# bench FRONT BACK VCPUS REP [TYPE [KERNEL]]: run $BENCH_WORKLOADS for one
# stack, in a guest of TYPE (pv) running KERNEL (612, the testbed's, or
# deb61, Debian 12's own).  FRONT=none BACK=none is native: fio in dom0 on
# the backing device.  Results go to the host as
# bench/FRONT-BACK-vVCPUS-rREP[-KERNEL]/WORKLOAD.json (KERNEL if not 612).
# shellcheck shell=bash
front=$1 back=$2 vcpus=$3 rep=$4 type=${5:-pv} kernel=${6:-612}
tag=$front-$back-v$vcpus-r$rep
[ "$kernel" = 612 ] || tag=$tag-$kernel
. /tb/scenarios/workloads.sh

# prof_window: an instruction profile (testbed.py --profile) of
# BENCH_PROF seconds of the workload just started, after its ramp, and
# dom0's module symbols to name it with; see prof/report.py.
prof_window() {
	sleep $((${BENCH_RAMP:-2} + 1))
	echo "@@PROF snap $tag-a"
	sleep "$BENCH_PROF"
	echo "@@PROF snap $tag-b"
	grep '\[' /proc/kallsyms >/tmp/dom0.ksyms
	tb_file "bench/$tag/dom0.ksyms" /tmp/dom0.ksyms
}

if [ "$front" = none ]; then
	printf 'vcpus=%s\nqueues=%s\nkernel=%s\n' "$vcpus" \
		"$(cat /sys/kernel/config/nullb/nullb0/submit_queues)" "$(uname -r)" >/tmp/meta
	tb_file "bench/$tag/meta" /tmp/meta
	for w in $BENCH_WORKLOADS; do
		tb_msg "bench $tag $w"
		# The profile covers the first workload, as in a guest.
		[ -n "${BENCH_PROF:-}" ] && [ "$w" = "${BENCH_WORKLOADS%% *}" ] &&
			prof_window &
		BENCH_RUNTIME=${BENCH_RUNTIME:-10} run_workload "$w" "$vcpus" /dev/nullb0 \
			/tmp/out.json || fail "fio $w in dom0 failed"
		wait
		tb_file "bench/$tag/$w.json" /tmp/out.json
	done
	exit 0
fi
[ "$(tb_backend)" = "$back" ] || tb_load_backend "$back" ||
	fail "cannot load the $back backend"
guest_create b type="$type" vcpus="$vcpus" mem=384 kernel="$kernel" \
	front="$front" fparams="${BENCH_FPARAMS:-}" \
	script=bench_guest args="$tag ${BENCH_RUNTIME:-10} $BENCH_WORKLOADS" \
	disk="phy:/dev/nullb0,xvda,w"
if [ -n "${BENCH_PIN:-}" ]; then
	# For a profile split by domain: dom0 on CPU 0, the guest on CPU 1.
	if ! xl vcpu-pin Domain-0 all 0 || ! xl vcpu-pin b all 1; then
		fail "xl vcpu-pin failed"
	fi
fi
guest_wait b BENCH 120
# CPU seconds of dom0 and the guest around the workloads, for the notes.
xl list >/tmp/xl.before
[ -n "${BENCH_PROF:-}" ] && prof_window
guest_wait b OK 900
{ cat /tmp/xl.before; xl list; } >/tmp/xl.txt
tb_file "bench/$tag/cpu.txt" /tmp/xl.txt
guest_finish b 900
