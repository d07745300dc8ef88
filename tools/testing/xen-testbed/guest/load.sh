# SPDX-License-Identifier: GPL-2.0
# load: mixed random I/O on xvda until dom0 destroys the domain.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
fio --name=load --filename=/dev/xvda --allow_file_create=0 --ioengine=libaio --direct=1 \
	--rw=randrw --bssplit=4k/50:64k/30:1m/20 --iodepth=32 --numjobs=2 \
	--time_based --runtime=600 --size=256M >/tmp/fio.out 2>&1 &
wait_io xvda 500 120 || gfail "fio did not get going on xvda within 120s: $(tail -n 3 /tmp/fio.out | tr '\n' ' ')"
gmark FIO-START
wait
gfail "fio ended before dom0 destroyed the domain: $(tail -n 3 /tmp/fio.out | tr '\n' ' ')"
