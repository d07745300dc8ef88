# SPDX-License-Identifier: GPL-2.0
# restore_segs SIZE BS BEFORE AFTER: fio writes SIZE in BS blocks with
# crc32c headers while dom0 saves the domain and restores it onto a
# backend offering AFTER indirect segments instead of BEFORE, then
# verifies every block.  max_sectors_kb is raised to the hardware limit
# first, so that each block is one request of BEFORE segments.
# shellcheck shell=sh
size=$1 bs=$2 before=$3 after=$4
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
q=/sys/block/xvda/queue
segs=$(cat $q/max_segments)
[ "$segs" -eq "$before" ] || gfail "xvda takes $segs segments per request before the save, not $before"
cat $q/max_hw_sectors_kb >$q/max_sectors_kb
gmark FIO-START
FIO_BSSPLIT=$bs/100 fio_verify xvda "$size" --do_verify=0
gmark WRITE-DONE
FIO_BSSPLIT=$bs/100 fio_verify xvda "$size" --verify_only
segs=$(cat $q/max_segments)
echo "xvda after the restore: max_segments $segs, max_hw_sectors_kb $(cat $q/max_hw_sectors_kb)"
[ "$segs" -eq "$after" ] || gfail "xvda still takes $segs segments per request, the backend offers $after"
if [ "$TB_FRONT" = ours ]; then
	front_stats xvda
	split=$(front_stat_sum xvda split) || gfail "no split column in debugfs"
	[ "$split" -gt 0 ] || gfail "no request made for $before segments was split"
fi
gmark OK
