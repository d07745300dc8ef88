# SPDX-License-Identifier: GPL-2.0
# soak TYPE [SECONDS]: for SECONDS (600 by default; make soak
# DURATION=...), fio verify rounds on the guest's xvda (a loop device in
# dom0) while dom0, every 5 to 20 seconds, does one of these at random:
# attach or detach a second disk xvdb (on which the guest runs short fio
# verify jobs whenever it is there; detached under I/O, those fail, as
# they should), xl save + xl restore the guest, grow xvda's backing file
# by 16 MiB.  Every xvda round must verify; the guest must stay up; a
# summary line at the end.  Not in make check.
# shellcheck shell=bash
secs=${2:-600}
img=/tmp/soak.img
tb_loop "$img" 256M
loop=$TB_LOOP
# shellcheck disable=SC2064
trap "busybox losetup -d $loop; rm -f $img /tmp/sk.save" EXIT
guest_create sk type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=soak \
	args="$secs" disk="phy:$loop,xvda,w"
guest_wait sk SOAK-START 180
attached=0 attaches=0 detaches=0 saves=0 resizes=0 size=256
t0=$(date +%s)
while ! grep -q '^@@G SOAK-DONE' "$XLOG/guest-sk.log"; do
	grep -q '^@@G FAIL' "$XLOG/guest-sk.log" && guest_finish sk 60
	guest_alive sk || fail "guest sk died $(( $(date +%s) - t0 ))s into the soak (see its console)"
	sleep $((5 + RANDOM % 16))
	grep -q '^@@G SOAK-DONE' "$XLOG/guest-sk.log" && break
	case $((RANDOM % 3)) in
	0)
		if [ $attached = 0 ]; then
			xl block-attach sk 'phy:/dev/nullb2,xvdb,w' || fail "xl block-attach failed"
			attached=1 attaches=$((attaches + 1))
		else
			timeout 60 xl block-detach sk xvdb || fail "xl block-detach failed"
			attached=0 detaches=$((detaches + 1))
		fi
		;;
	1)
		xl save sk /tmp/sk.save >/dev/null || fail "xl save failed"
		xl restore /tmp/sk.save >/dev/null || fail "xl restore failed"
		rm -f /tmp/sk.save
		saves=$((saves + 1))
		;;
	2)
		size=$((size + 16))
		if ! truncate -s ${size}M "$img" || ! busybox losetup -c "$loop"; then
			fail "growing $img to ${size}M failed"
		fi
		resizes=$((resizes + 1))
		;;
	esac
done
if [ $attached = 1 ]; then
	timeout 60 xl block-detach sk xvdb || fail "the last xl block-detach failed"
fi
guest_say sk END
guest_finish sk 300
tb_msg "soak: $(( $(date +%s) - t0 ))s, $(sed -n 's/^@@G SOAK-DONE //p' "$XLOG/guest-sk.log" | tr -d '\r'); dom0: $attaches attaches, $detaches detaches, $saves saves and restores, $resizes resizes (xvda now ${size} MiB)"
