# SPDX-License-Identifier: GPL-2.0
# bench_guest TAG RUNTIME WORKLOAD...: run the benchmark workloads on
# xvda and send each fio JSON result to the host as bench/TAG/NAME.json.
# shellcheck shell=sh
. /tb/guest/workloads.sh
tag=$1
export BENCH_RUNTIME="$2"
shift 2
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
q=$(nr_queues xvda)
printf 'vcpus=%s\nqueues=%s\nkernel=%s\n' "$(nproc)" "$q" "$(uname -r)" >/tmp/meta
gfile "bench/$tag/meta" /tmp/meta
for w in "$@"; do
	gmark BENCH "$w"
	cat /proc/interrupts >/tmp/irq.before
	run_workload "$w" "$(nproc)" /dev/xvda /tmp/out.json ||
		gfail "fio $w failed: $(tail -n 3 /tmp/out.json)"
	gfile "bench/$tag/$w.json" /tmp/out.json
	# Where the work went, for the notes: interrupts per CPU before and
	# after, and our frontend's queue counters.
	{
		echo "== before"; cat /tmp/irq.before
		echo "== after"; cat /proc/interrupts
		echo "== queues"; front_stats xvda 2>/dev/null
	} >/tmp/irq.txt
	gfile "bench/$tag/$w.irq" /tmp/irq.txt
done
# Module symbols, to name module code in an instruction profile; Debian's
# kernel, whose package has no System.map, sends all its code symbols.
case "$tag" in
*-deb61) grep -i '^[0-9a-f]* t ' /proc/kallsyms >/tmp/guest.ksyms ;;
*) grep '\[' /proc/kallsyms >/tmp/guest.ksyms ;;
esac
gfile "bench/$tag/guest.ksyms" /tmp/guest.ksyms
gmark OK
