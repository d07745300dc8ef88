# SPDX-License-Identifier: GPL-2.0
# bench_guest TAG RUNTIME RAMP SYMS DELIVERY WORKLOAD...: run the
# benchmark workloads on xvda and send each fio JSON result to the host
# as bench/TAG/NAME.json.  "@@G BENCH NAME" marks the start of each (dom0
# sleeps through it).  SYMS "all" sends all the kernel's code symbols at
# the end, else only its modules'.  DELIVERY "vectors" or "upcall": first
# check that xvda's event channels are delivered that way ("-": any).
# shellcheck shell=sh
. /tb/guest/workloads.sh
. /tb/guest/bench_guestlib.sh
tag=$1 syms=$4 delivery=$5
export BENCH_RUNTIME="$2" BENCH_RAMP="$3"
shift 5
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
case "$delivery" in
vectors) param=Y chip=xen-dyn-vector-lateeoi ;;
upcall) param=N chip=xen-dyn-lateeoi ;;
*) param= ;;
esac
if [ -n "$param" ]; then
	got=$(cat /sys/module/xen/parameters/evtchn_vectors 2>/dev/null)
	[ "$got" = "$param" ] || gfail "xen.evtchn_vectors is '$got', not $param ($delivery)"
	# Both frontends name their channels blkif...
	awk '$NF ~ /^blkif/ { sub(":", "", $1); print $1 }' /proc/interrupts >/tmp/blkif.irqs
	[ -s /tmp/blkif.irqs ] || gfail "no IRQ of xvda in /proc/interrupts"
	while read -r irq; do
		got=$(cat "/sys/kernel/irq/$irq/chip_name")
		[ "$got" = "$chip" ] || gfail "xvda's IRQ $irq is on $got, not $chip ($delivery)"
	done </tmp/blkif.irqs
fi
bench_guest_workloads "$tag" xvda "$(nproc)" "$(nr_queues xvda)" "$syms" "$@"
