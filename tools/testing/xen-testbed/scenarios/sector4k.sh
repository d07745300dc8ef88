# SPDX-License-Identifier: GPL-2.0
# sector4k TYPE: a disk of 4096-byte logical blocks (a null_blk device
# made for the scenario): the backend offers sector-size and
# physical-sector-size 4096 and the size in 512-byte sectors, the guest's
# xvda takes them, and fio verify in multiples of 4 KiB passes.
# shellcheck shell=bash
cfg=/sys/kernel/config/nullb/nullb4k
mb=128
[ -d "$cfg" ] && { echo 0 >"$cfg/power"; rmdir "$cfg"; }
if ! mkdir "$cfg" || ! (cd "$cfg" && echo "$mb" >size && echo 1 >memory_backed &&
	echo 4096 >blocksize && echo 1 >power); then
	fail "creating a null_blk disk of 4096-byte blocks failed"
fi
[ "$(cat /sys/block/nullb4k/queue/logical_block_size)" -eq 4096 ] ||
	fail "null_blk did not make /dev/nullb4k with 4096-byte blocks"
guest_create s4 type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=sector4k \
	args="$((mb * 2048))" disk="phy:/dev/nullb4k,xvda,w"
guest_wait s4 SIZED 180
be=/local/domain/0/backend/vbd/$(xl domid s4)/51712
ss=$(xenstore-read "$be/sector-size") || fail "no sector-size in $be"
ps=$(xenstore-read "$be/physical-sector-size") || ps=none
sz=$(xenstore-read "$be/sectors") || fail "no sectors in $be"
tb_msg "backend offers sector-size=$ss physical-sector-size=$ps sectors=$sz"
[ "$ss" -eq 4096 ] || fail "backend offers sector-size $ss for a 4096-byte-block disk"
[ "$sz" -eq $((mb * 2048)) ] || fail "backend offers $sz sectors, expected $((mb * 2048))"
guest_finish s4 240
if ! echo 0 >"$cfg/power" || ! rmdir "$cfg"; then
	fail "removing /dev/nullb4k failed"
fi
