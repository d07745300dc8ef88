# SPDX-License-Identifier: GPL-2.0
# detach_busy: keep xvda busy with fio until dom0 detaches it; fio must
# then fail (not hang), xvda must go, and xen-blkfront must unload.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
fio --name=busy --filename=/dev/xvda --allow_file_create=0 --ioengine=libaio --direct=1 \
	--rw=randrw --bs=64k --iodepth=16 --size=64M --time_based --runtime=300 \
	--numjobs=2 >/tmp/fio.out 2>&1 &
pid=$!
sleep 3
kill -0 "$pid" 2>/dev/null || gfail "fio ended before the detach: $(tail -n 2 /tmp/fio.out)"
gmark BUSY
wait_gone xvda 60 || gfail "xvda still present 60s after BUSY"
i=0
while kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && gfail "fio still running 30s after xvda went away (I/O hung?)"
	sleep 0.1
done
wait "$pid" && gfail "fio reported success on a disk that went away under it"
echo "fio ended: $(grep -m1 -i -E 'error|err=' /tmp/fio.out)"
# The toolstack removes the xenbus device once both ends are closed; a
# bound device holds a reference on the module.
i=0
for d in /sys/bus/xen/devices/vbd-*; do
	while [ -e "$d" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && gfail "xenbus device ${d##*/} still there 30s after the detach"
		sleep 0.1
	done
done
# Teardown may hold the module for a moment (Linux's frontend releases the
# disk from a work item); a leak holds it for good.
i=0
while ! rmmod xen-blkfront 2>/dev/null && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
if grep -q '^xen_blkfront ' /proc/modules; then
	grep xen_blkfront /proc/modules
	dmesg | tail -n 20
	gfail "xen-blkfront does not unload after the detach"
fi
gmark OK
