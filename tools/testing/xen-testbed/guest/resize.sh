# SPDX-License-Identifier: GPL-2.0
# resize OLD NEW: xvda has OLD sectors; after dom0 grows the backing
# device it must show NEW within 120s (I/O keeps going meanwhile: some
# backends look at the size only when they have work), and the new last
# MiB must read back what is written there.
# shellcheck shell=sh
old=$1 new=$2
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
got=$(cat /sys/block/xvda/size)
[ "$got" -eq "$old" ] || gfail "xvda has $got sectors before the resize, expected $old"
gmark SIZED "$got"
t0=$(date +%s)
while [ "$(cat /sys/block/xvda/size)" -ne "$new" ]; do
	[ $(($(date +%s) - t0)) -gt 120 ] &&
		gfail "xvda has $(cat /sys/block/xvda/size) sectors 120s after SIZED, expected $new"
	dd if=/dev/xvda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
	sleep 0.5
done
echo "xvda: $old -> $(cat /sys/block/xvda/size) sectors after $(($(date +%s) - t0))s"
last=$((new / 2048 - 1))
dd if=/dev/urandom of=/tmp/pat bs=1M count=1 2>/dev/null
dd if=/tmp/pat of=/dev/xvda bs=1M seek=$last count=1 conv=fsync 2>/dev/null ||
	gfail "writing the last MiB of the grown xvda failed"
dd if=/dev/xvda of=/tmp/back bs=1M skip=$last count=1 iflag=direct 2>/dev/null ||
	gfail "reading the last MiB of the grown xvda failed"
cmp -s /tmp/pat /tmp/back || gfail "the last MiB of the grown xvda reads back different data"
gmark OK "resized $old -> $new"
