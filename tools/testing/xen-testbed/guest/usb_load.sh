# SPDX-License-Identifier: GPL-2.0
# usb_load [stock|ours]: fio reads the USB disk (4k random, QD8) until
# dom0 destroys the domain.
# shellcheck shell=sh
usb_load_hcd "${1:-stock}"
dev=$(usb_wait_disk) || gfail "no USB disk after 60s"
fio --name=load --filename="/dev/$dev" --rw=randread --bs=4k --iodepth=8 --direct=1 \
	--ioengine=libaio --time_based --runtime=600 >/tmp/load.out 2>&1 &
wait_io "$dev" 50 60 || gfail "fio did not get going on /dev/$dev within 60s"
gmark LOADED
wait
gfail "fio ended before dom0 destroyed the domain: $(tail -n 3 /tmp/load.out | tr '\n' ' ')"
