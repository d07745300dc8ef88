# SPDX-License-Identifier: GPL-2.0
# restore_segs TYPE [THEN]: xl save while fio writes large blocks with
# crc32c headers, then xl restore onto a backend that offers fewer
# indirect segments than the one the guest left.  THEN "ours" (default):
# the guest connects to our backend's 256 segments and writes 1 MiB
# blocks, our backend comes back with max_indirect_segments=32; "stock":
# the guest connects to our backend reloaded with 512 (its frontend asks
# for 512 too) and writes 2 MiB blocks, Linux's backend (256) serves the
# restore.  Either way fio writes 128 blocks (128 or 256 MiB).  Every
# block verifies, the disk takes the new limit, and (our frontend) the
# requests made for the old limit were split.
# shellcheck shell=bash
then=${2:-ours}
case "$then" in
ours) before=256 after=32 bs=1m size=128M fparams="" ;;
stock) before=512 after=256 bs=2m size=256M fparams="max_indirect_segments=512" ;;
*) fail "restore_segs: THEN is ours or stock, not $then" ;;
esac
if [ "$(tb_backend)" != ours ] || [ "${TB_FRONT:-stock}" != ours ]; then
	fail "restore_segs is for our frontend on our backend (run it as ours+ours/)"
fi
if [ "$before" != 256 ]; then
	tb_backend_until_exit rs 4 max_indirect_segments="$before" ||
		fail "cannot reload our backend with max_indirect_segments=$before"
fi
# A slow disk (every request takes half a second): the writes in flight
# when the guest suspends are still in flight when it is saved, whatever
# the load.  A fast one may finish them all while the guest freezes.
cfg=/sys/kernel/config/nullb/nullbslow
[ -d "$cfg" ] && { echo 0 >"$cfg/power"; rmdir "$cfg"; }
if ! mkdir "$cfg" || ! (cd "$cfg" && echo 256 >size && echo 1 >memory_backed &&
	echo 2 >irqmode && echo 500000000 >completion_nsec && echo 1 >power); then
	fail "creating a slow null_blk disk failed"
fi
guest_create rs type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=restore_segs \
	args="$size $bs $before $after" disk="phy:/dev/nullbslow,xvda,w" fparams="$fparams"
domid=$(xl domid rs) || fail "no domain id for rs"
guest_wait rs FIO-START 180
# Save in the thick of it: two dozen requests done, 16 writes in flight.
for ((i = 0; i < 240; i++)); do
	[ "$(vbd_stat rs 51712 wr_req 2>/dev/null || echo 0)" -ge 24 ] && break
	sleep 0.25
done
grep -q '^@@G WRITE-DONE' "$XLOG/guest-rs.log" &&
	fail "the guest's write phase ended before xl save began; make it longer"
xl save rs /tmp/rs.save || fail "xl save failed"
guest_alive rs && fail "domain still running after xl save"
case "$then" in
ours)
	tb_backend_until_exit rs 4 max_indirect_segments="$after" ||
		fail "cannot reload our backend with max_indirect_segments=$after" ;;
stock)
	tb_load_backend stock || fail "cannot load Linux's backend for the restore" ;;
esac
tb_msg "domain $domid saved; restoring onto the $(tb_backend) backend offering $after segments"
xl restore /tmp/rs.save || fail "xl restore failed"
rm -f /tmp/rs.save
guest_finish rs 300
if ! echo 0 >"$cfg/power" || ! rmdir "$cfg"; then
	fail "removing /dev/nullbslow failed"
fi
