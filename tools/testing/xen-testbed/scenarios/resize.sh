# SPDX-License-Identifier: GPL-2.0
# resize TYPE: grow the backing device (a loop device on a file in dom0)
# while the guest has it; the guest's xvda takes the new size, and the
# new space reads back what was written to it.
# shellcheck shell=bash
img=/tmp/resize.img
tb_loop "$img" 64M
loop=$TB_LOOP
guest_create rs type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=resize \
	args="131072 262144" disk="phy:$loop,xvda,w"
guest_wait rs SIZED 180
truncate -s 128M "$img" || fail "growing $img failed"
busybox losetup -c "$loop" || fail "losetup -c $loop failed"
tb_msg "$loop grown to $(blockdev --getsz "$loop") sectors"
guest_finish rs 180
busybox losetup -d "$loop"
rm -f "$img"
