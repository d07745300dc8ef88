# SPDX-License-Identifier: GPL-2.0
# backend_pool TYPE: this project's backend with a persistent grant pool
# far smaller than the frontend's working set and a short idle time: the
# data still verifies, and the backend's debugfs shows the pool filling
# up, segments mapped the ordinary way meanwhile, and grants reclaimed.
# Other scenarios get the backend loaded as before.
# shellcheck shell=bash
back=$(tb_backend)
TB_BACK_PARAMS="max_persistent_grants=32 persistent_grant_idle_ms=500" \
	tb_load_backend ours || fail "loading our backend with a small pool failed"
guest_create bp type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=verify \
	disk="phy:/dev/nullb1,xvda,w" args="48M"
domid=$(xl domid bp) || fail "no domain id for bp"
f=/sys/kernel/debug/xen-blkback/vbd-$domid-51712/rings
rm -f /tmp/bp.rings /tmp/bp.try
for ((i = 0; i < 480; i++)); do
	# Keep the last sample taken while the rings were up: the guest's
	# console can show OK after the device has already closed.
	if cp "$f" /tmp/bp.try 2>/dev/null && grep -q '^[0-9]' /tmp/bp.try; then
		cp /tmp/bp.try /tmp/bp.rings
	fi
	grep -q '^@@G OK' "$XLOG/guest-bp.log" 2>/dev/null && break
	guest_alive_now "$i" bp || break
	sleep 0.5
done
[ -s /tmp/bp.rings ] || fail "no debugfs rings file for vbd-$domid-51712"
cat /tmp/bp.rings
guest_finish bp 240
sum() { awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
	/^#/ { next } k { s += $k } END { print s + 0 }' /tmp/bp.rings; }
tb_msg "pool: mapped $(sum pgrant_map), full $(sum pgrant_full), reclaimed $(sum pgrant_reclaim)"
[ "$(sum pgrant_map)" -gt 0 ] || fail "no persistent grant was mapped"
[ "$(sum pgrant_full)" -gt 0 ] || fail "the pool of 32 never filled up"
[ "$(sum pgrant_reclaim)" -gt 0 ] || fail "no persistent grant was reclaimed"
tb_load_backend "$back" || fail "reloading the $back backend failed"
