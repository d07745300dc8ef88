# SPDX-License-Identifier: GPL-2.0
# detach_load: fio on xvda until dom0 detaches it; xvda must go away and
# the guest go on (fio's I/O errors are expected).
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
fio --name=load --filename=/dev/xvda --allow_file_create=0 --ioengine=libaio --direct=1 \
	--rw=randrw --bssplit=4k/50:64k/30:1m/20 --iodepth=32 --numjobs=2 \
	--time_based --runtime=600 --size=256M >/tmp/fio.out 2>&1 &
pid=$!
wait_io xvda 500 120 || gfail "fio did not get going on xvda within 120s: $(tail -n 3 /tmp/fio.out | tr '\n' ' ')"
gmark FIO-START
wait_gone xvda 150 || gfail "xvda still present 150s after FIO-START"
i=0
while kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && gfail "fio still running 30s after xvda went away"
	sleep 0.1
done
grep -q 'func=open' /tmp/fio.out && gfail "fio had not opened xvda before the detach"
echo "fio ended after the detach: $(grep -m1 -i error /tmp/fio.out)"
gmark OK detached under load
