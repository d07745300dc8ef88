# SPDX-License-Identifier: GPL-2.0
# The benchmark's fio workloads, shared by dom0 (native) and guests.
# shellcheck shell=sh

# workload_args NAME VCPUS: print fio's arguments for workload NAME.
workload_args() {
	case "$1" in
	randread-4k-qd32) echo "--rw=randread --bs=4k --iodepth=32 --numjobs=$2" ;;
	randwrite-4k-qd32) echo "--rw=randwrite --bs=4k --iodepth=32 --numjobs=$2" ;;
	read-128k-qd8) echo "--rw=read --bs=128k --iodepth=8 --numjobs=1" ;;
	randread-4k-qd1) echo "--rw=randread --bs=4k --iodepth=1 --numjobs=1" ;;
	# The USB disk's (bench_usb.sh): 64 KiB is usbif's largest transfer.
	usb-randread-4k-qd16) echo "--rw=randread --bs=4k --iodepth=16 --numjobs=1" ;;
	usb-read-64k-qd4) echo "--rw=read --bs=64k --iodepth=4 --numjobs=1" ;;
	*) return 1 ;;
	esac
}

# run_workload NAME VCPUS DEV OUT: run one workload on DEV, fio JSON to OUT,
# over its first $BENCH_SIZE (1G).
# Job i runs on CPU i (a one-job workload on CPU 0): where the scheduler
# happens to put and move the jobs would otherwise change the cost of the
# same stack from one run to the next by a few percent.
run_workload() {
	a=$(workload_args "$1" "$2") || return 1
	# shellcheck disable=SC2086
	fio --name="$1" --filename="$3" --allow_file_create=0 --ioengine=libaio --direct=1 \
		--cpus_allowed="0-$(($2 - 1))" --cpus_allowed_policy=split \
		--time_based --runtime="${BENCH_RUNTIME:-3}" \
		--ramp_time="${BENCH_RAMP:-1}" --size="${BENCH_SIZE:-1G}" --group_reporting \
		--randrepeat=0 --eta=never --output-format=json --output="$4" $a
}
