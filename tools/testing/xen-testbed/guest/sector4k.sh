# SPDX-License-Identifier: GPL-2.0
# sector4k SECTORS: xvda is backed by a disk of 4096-byte logical blocks;
# it must have SECTORS 512-byte sectors and 4096-byte logical and physical
# blocks, and fio verify with writes of 4 KiB to 1 MiB must pass.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
q=/sys/block/xvda/queue
lbs=$(cat $q/logical_block_size) pbs=$(cat $q/physical_block_size)
got=$(cat /sys/block/xvda/size)
echo "xvda: $got sectors, logical block $lbs, physical block $pbs"
[ "$lbs" -eq 4096 ] || gfail "xvda has logical block size $lbs, expected 4096"
[ "$pbs" -eq 4096 ] || gfail "xvda has physical block size $pbs, expected 4096"
[ "$got" -eq "$1" ] || gfail "xvda has $got sectors, expected $1"
gmark SIZED "$got"
FIO_BSSPLIT=4k/50:16k/20:64k/15:256k/10:1m/5 fio_verify xvda 64M --numjobs=1
gmark OK verified
