# SPDX-License-Identifier: GPL-2.0
# bench_usb_guest TAG RUNTIME RAMP FRONT WORKLOAD...: with FRONT's xen-hcd
# (stock or ours), run the workloads on the USB disk and send each fio
# JSON result to the host as bench/TAG/NAME.json, as bench_guest.sh does.
# shellcheck shell=sh
. /tb/guest/workloads.sh
tag=$1 front=$4
export BENCH_RUNTIME="$2" BENCH_RAMP="$3"
shift 4
usb_load_hcd "$front"
dev=$(usb_wait_disk) || gfail "no USB disk after 60s"
printf 'vcpus=%s\nqueues=1\nkernel_release=%s\n' "$(nproc)" "$(uname -r)" >/tmp/meta
gfile "bench/$tag/meta" /tmp/meta
# The whole disk: fio's default size is larger than it.
size=$(($(cat "/sys/block/$dev/size") * 512))
for w in "$@"; do
	cat /proc/interrupts >/tmp/irq.before
	gmark BENCH "$w"
	BENCH_SIZE=$size run_workload "$w" 1 "/dev/$dev" /tmp/out.json ||
		gfail "fio $w failed: $(tail -n 3 /tmp/out.json)"
	gfile "bench/$tag/$w.json" /tmp/out.json
	{
		echo "== before"; cat /tmp/irq.before
		echo "== after"; cat /proc/interrupts
	} >/tmp/irq.txt
	gfile "bench/$tag/$w.irq" /tmp/irq.txt
done
grep '\[' /proc/kallsyms >/tmp/guest.ksyms
gfile "bench/$tag/guest.ksyms" /tmp/guest.ksyms
gmark OK
