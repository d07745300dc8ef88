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
[ "$delivery" = - ] || check_delivery "$delivery"
bench_guest_workloads "$tag" xvda "$(nproc)" "$(nr_queues xvda)" "$syms" "$@"
