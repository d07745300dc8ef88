# SPDX-License-Identifier: GPL-2.0
# bench_usb_guest TAG RUNTIME RAMP FRONT WORKLOAD...: with FRONT's xen-hcd
# (stock or ours), run the workloads on the USB disk and send each fio
# JSON result to the host as bench/TAG/NAME.json (bench_guestlib.sh).
# shellcheck shell=sh
. /tb/guest/workloads.sh
. /tb/guest/bench_guestlib.sh
tag=$1 front=$4
export BENCH_RUNTIME="$2" BENCH_RAMP="$3"
shift 4
usb_load_hcd "$front"
dev=$(usb_wait_disk) || gfail "no USB disk after 60s"
# The whole disk: fio's default size is larger than it.
BENCH_SIZE=$(($(cat "/sys/block/$dev/size") * 512))
export BENCH_SIZE
bench_guest_workloads "$tag" "$dev" 1 1 modules "$@"
