# SPDX-License-Identifier: GPL-2.0
# discard_flush: discard a written range and read back zeros; send cache
# flushes (fsync) and FUA writes (O_DSYNC); then wait for dom0 to read
# the backend's counters before powering off.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
wait_disk xvdz 30 || gfail "no token disk /dev/xvdz after 30s"
q=/sys/block/xvda/queue
echo "discard_max_bytes=$(cat $q/discard_max_bytes) granularity=$(cat $q/discard_granularity) write_cache=$(cat $q/write_cache) fua=$(cat $q/fua 2>/dev/null)"
[ "$(cat $q/discard_max_bytes)" -gt 0 ] || gfail "xvda does not support discard"
[ "$(cat $q/write_cache)" = "write back" ] || gfail "xvda has no volatile write cache to flush"
dd if=/dev/urandom of=/tmp/pat bs=1M count=4 2>/dev/null
dd if=/tmp/pat of=/dev/xvda bs=1M oflag=direct 2>/dev/null || gfail "write failed"
cmp -n 4194304 /tmp/pat /dev/xvda || gfail "data read back differs from data written"
blkdiscard -o 0 -l 4194304 /dev/xvda || gfail "blkdiscard failed"
dd if=/dev/xvda of=/tmp/back bs=1M count=4 iflag=direct 2>/dev/null
cmp -n 4194304 /tmp/back /dev/zero || gfail "discarded range does not read back as zeros"
fio --name=flush --filename=/dev/xvda --allow_file_create=0 --rw=write --bs=4k --size=1M --direct=1 \
	--fsync=1 >/tmp/fio.out 2>&1 || gfail "fio with fsync failed"
fio --name=fua --filename=/dev/xvda --allow_file_create=0 --rw=write --bs=4k --size=1M --direct=1 \
	--sync=dsync >/tmp/fio.out 2>&1 || gfail "fio with O_DSYNC failed"
gmark FLUSHED
wait_signal 120
gmark OK
