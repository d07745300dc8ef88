# SPDX-License-Identifier: GPL-2.0
# soak TYPE [SECONDS]: for SECONDS (600 by default; make soak
# DURATION=...), fio verify rounds on the guest's xvda (a loop device in
# dom0) while dom0, every 5 to 20 seconds, does one of these at random:
# attach or detach a second disk xvdb (on which the guest runs short fio
# verify jobs whenever it is there; detached under I/O, those fail, as
# they should), xl save + xl restore the guest, grow xvda's backing file
# by 16 MiB.  Every xvda round must verify, and one must end at least
# every TB_SOAK_STALL seconds (300); after each step its disks must be
# Connected again within 60 s, and a resize must reach xenstore within
# 10 s and the guest by the end; the guest must stay up and log no
# kernel warning.  A summary line at the end, also when it fails.  Not
# in make check.  TB_SOAK_BREAK=corrupt breaks it on purpose: at every
# step dom0 also overwrites 1 MiB of the first 64 (where the guest's
# rounds verify) in xvda's backing file, which the soak must catch.
# shellcheck shell=bash
secs=${2:-600} stall=${TB_SOAK_STALL:-300}
img=/tmp/soak.img
glog=$XLOG/guest-sk.log
tb_loop "$img" 256M
loop=$TB_LOOP
attached=0 attaches=0 detaches=0 saves=0 resizes=0 size=256
t0=$(date +%s)
# summary: the counts so far, one line.
summary() {
	local res
	res=$(sed -n 's/^@@G SOAK-DONE //p' "$glog" 2>/dev/null | tr -d '\r')
	tb_msg "soak ($(tb_backend) backend): $(( $(date +%s) - t0 ))s," \
		"${res:-$(grep -c '^@@G ROUND' "$glog" 2>/dev/null) xvda verify rounds passed (unfinished)};" \
		"dom0: $attaches attaches, $detaches detaches, $saves saves and restores," \
		"$resizes resizes (xvda now $size MiB)"
}
# shellcheck disable=SC2064
trap "summary; xl destroy sk 2>/dev/null; busybox losetup -d $loop; rm -f $img /tmp/sk.save" EXIT

# connected DEVID: the guest's disk DEVID is Connected on both ends,
# within 60 s.
connected() {
	local dom t
	for ((t = 0; t < 120; t++)); do
		dom=$(xl domid sk 2>/dev/null) &&
			[ "$(xenstore-read "/local/domain/0/backend/vbd/$dom/$1/state" 2>/dev/null)" = 4 ] &&
			[ "$(xenstore-read "/local/domain/$dom/device/vbd/$1/state" 2>/dev/null)" = 4 ] &&
			return 0
		sleep 0.5
	done
	return 1
}

# poll_sectors N: xvda's backend says it has N sectors, within 10 s.
poll_sectors() {
	local dom t
	dom=$(xl domid sk) || return 1
	for ((t = 0; t < 20; t++)); do
		[ "$(xenstore-read "/local/domain/0/backend/vbd/$dom/51712/sectors" 2>/dev/null)" = "$1" ] &&
			return 0
		sleep 0.5
	done
	return 1
}

# check_guest: fail now if the guest failed, died or stopped verifying.
last_round=0 last_t=$t0
check_guest() {
	local r
	if grep -q '^@@G FAIL' "$glog"; then
		guest_finish sk 60
		fail "guest sk failed"
	fi
	guest_alive sk || fail "guest sk died $(( $(date +%s) - t0 ))s into the soak (see its console)"
	r=$(grep -c '^@@G ROUND' "$glog")
	if [ "$r" != "$last_round" ]; then
		last_round=$r last_t=$(date +%s)
	elif [ $(( $(date +%s) - last_t )) -gt "$stall" ]; then
		guest_dump sk
		fail "no xvda verify round ended for ${stall}s (round $r): its I/O hangs"
	fi
}

# step_fail REASON: a step of dom0's failed; the guest's own failure, if
# it has one, is the reason (a guest that stopped on bad data cannot be
# saved, for one).
step_fail() {
	check_guest
	fail "$*"
}

guest_create sk type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=soak \
	args="$secs" disk="phy:$loop,xvda,w"
guest_wait sk SOAK-START 180
tb_msg "soak for ${secs}s: $(sed -n 's/^@@G SOAK-START //p' "$glog" | tr -d '\r'), $(tb_backend) backend"
while ! grep -q '^@@G SOAK-DONE' "$glog"; do
	check_guest
	sleep $((5 + RANDOM % 16))
	grep -q '^@@G SOAK-DONE' "$glog" && break
	check_guest
	if [ "${TB_SOAK_BREAK:-}" = corrupt ]; then
		dd if=/dev/urandom of="$img" bs=1M count=1 seek=$((RANDOM % 64)) \
			conv=notrunc 2>/dev/null || fail "corrupting $img failed"
	fi
	case $((RANDOM % 3)) in
	0)
		if [ $attached = 0 ]; then
			xl block-attach sk 'phy:/dev/nullb2,xvdb,w' || step_fail "xl block-attach failed"
			attached=1 attaches=$((attaches + 1))
			connected 51728 || step_fail "xvdb not Connected 60s after its attach"
		else
			timeout 60 xl block-detach sk xvdb || step_fail "xl block-detach failed"
			attached=0 detaches=$((detaches + 1))
		fi
		;;
	1)
		xl save sk /tmp/sk.save >/dev/null || step_fail "xl save failed"
		xl restore /tmp/sk.save >/dev/null || step_fail "xl restore failed"
		rm -f /tmp/sk.save
		saves=$((saves + 1))
		connected 51712 || step_fail "xvda not Connected 60s after xl restore"
		if [ $attached = 1 ] && ! connected 51728; then
			step_fail "xvdb not Connected 60s after xl restore"
		fi
		;;
	2)
		size=$((size + 16))
		if ! truncate -s ${size}M "$img" || ! busybox losetup -c "$loop"; then
			step_fail "growing $img to ${size}M failed"
		fi
		resizes=$((resizes + 1))
		poll_sectors $((size * 2048)) ||
			step_fail "xvda's backend did not write its new size ($((size * 2048)) sectors) within 10s"
		;;
	esac
done
if [ $attached = 1 ]; then
	timeout 60 xl block-detach sk xvdb || fail "the last xl block-detach failed"
	attached=0 detaches=$((detaches + 1))
fi
sectors=$(sed -n 's/^@@G SOAK-DONE .*xvda \([0-9]*\) sectors.*/\1/p' "$glog")
[ "$sectors" = $((size * 2048)) ] ||
	fail "the guest's xvda has ${sectors:-?} sectors at the end, not $((size * 2048)) (${size} MiB)"
guest_say sk END
guest_finish sk 300
