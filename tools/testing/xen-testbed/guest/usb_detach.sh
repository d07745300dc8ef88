# SPDX-License-Identifier: GPL-2.0
# usb_detach [stock|ours]: fio reads the USB disk until dom0 detaches it
# (or QEMU unplugs it: usb_unplug);
# the disk must go, then come back (dom0 attaches it again) and verify.
# shellcheck shell=sh
usb_load_hcd "${1:-stock}"
dev=$(usb_wait_disk) || gfail "no USB disk after 60s"
fio --name=load --filename="/dev/$dev" --rw=randread --bs=4k --iodepth=8 --direct=1 \
	--ioengine=libaio --time_based --runtime=300 >/tmp/load.out 2>&1 &
pid=$!
gmark LOADED
wait_gone "$dev" 120 || gfail "/dev/$dev still there 120s after the detach"
wait "$pid"
gmark "GONE (fio under load: $(grep -m1 -o 'err=[ 0-9]*' /tmp/load.out))"
dev=$(usb_wait_disk) || gfail "the disk did not come back after 60s"
fio_verify "$dev" 8M
gmark OK verified
