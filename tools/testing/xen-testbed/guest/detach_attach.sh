# SPDX-License-Identifier: GPL-2.0
# detach_attach: write checked data, let dom0 detach xvda and attach it
# again, then verify the data through the new device.
# shellcheck shell=sh
job="--name=da --filename=/dev/xvda --allow_file_create=0 --ioengine=libaio --direct=1 --rw=randwrite --bs=64k --iodepth=8 --size=32M --verify=crc32c --verify_fatal=1"
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
# shellcheck disable=SC2086
fio $job --do_verify=0 >/tmp/fio.out 2>&1 || gfail "fio write failed"
gmark WRITTEN
wait_gone xvda 120 || gfail "xvda still present 120s after WRITTEN"
gmark DETACHED
wait_disk xvda 120 || gfail "xvda did not come back within 120s"
# shellcheck disable=SC2086
fio $job --verify_only >/tmp/fio.out 2>&1 || {
	cat /tmp/fio.out
	gfail "data written before detach does not verify after attach"
}
gmark OK
