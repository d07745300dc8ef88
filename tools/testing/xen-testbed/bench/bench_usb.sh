# SPDX-License-Identifier: GPL-2.0
# bench_usb FRONT BACK REP: the USB disk QEMU gives dom0 (testbed.py
# --usb: EHCI, 64 MiB), passed to a PV guest (1 vCPU) through BACK
# ("ours": our kernel backend, xen-usbback, xl's type=pv; "qusb": QEMU's
# userspace backend, xl's type=qusb, the guest's device model in dom0,
# which needs testbed.py --qemu-dm) and read there by FRONT's xen-hcd
# ("stock": Linux's, "ours"), for each of $BENCH_WORKLOADS (the usb-*
# workloads of workloads.sh) over the whole disk.  Results as bench.sh's,
# under bench/TAG/ with disk "usb".
# shellcheck shell=bash
front=$1 back=$2 rep=$3
dom0=${TB_DOM0_KERNEL:-612}
ramp=${BENCH_RAMP:-1} runtime=${BENCH_RUNTIME:-3}
. /tb/scenarios/workloads.sh
. /tb/scenarios/benchlib.sh

case "$back" in
ours) setup=tb_usb_guest ;;
qusb) setup=tb_qusb_guest ;;
*) fail "bench_usb: unknown backend $back (ours, qusb)" ;;
esac
tag=$front-$back-pv-612-usb-d$dom0-v1-r$rep
printf '%s\n' "frontend=$front" "backend=$back" "type=pv" "kernel=612" "disk=usb" \
	"dom0=$dom0" "dom0_release=$(uname -r)" "vcpus=1" "rep=$rep" "delivery=-" \
	"ramp=$ramp" "runtime=$runtime" "prof=${BENCH_PROF:-}" >/tmp/stack
tb_file "bench/$tag/stack" /tmp/stack
bench_mfns

$setup b bench_usb_guest "$tag $runtime $ramp $front $BENCH_WORKLOADS" vcpus=1
for w in $BENCH_WORKLOADS; do
	bench_wait b "BENCH $w"
	bench_io b "$w"
	bench_measure "$w"
done
# Where QEMU's code lies in its address space, to name dom0's user-space
# instructions of the qusb rows by library (prof/report.py): copied now,
# while the guest still runs (the device model ends with it), and sent
# once the guest is gone (its console's lines would cut into the file).
rm -f /tmp/qemu.maps
if [ "$back" = qusb ] && [ -n "${BENCH_PROF:-}" ]; then
	dm=$(pgrep -f "xen-domid $QUSB_DOMID " | head -n 1)
	[ -z "$dm" ] || cat "/proc/$dm/maps" >/tmp/qemu.maps
fi
bench_wait b OK
dom0_symbols
guest_finish b 300
[ ! -s /tmp/qemu.maps ] || tb_file "bench/$tag/qemu.maps" /tmp/qemu.maps
if [ "$back" = ours ]; then
	tb_usb_census_wait urbs
else
	tb_qusb_dm_gone
fi
