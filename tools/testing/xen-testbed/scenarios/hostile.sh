# SPDX-License-Identifier: GPL-2.0
# hostile TYPE [MODE]: a hostile frontend (tools/testing/xen-blkhostile, in
# guest hh, front=none, its disk attached MODE: w, or r for read-only, which
# adds a write to it) sends dom0's backend malformed requests while another
# guest (hv) runs fio verify on its own disk.  Every attack gets an
# outcome the module expects; dom0 stays up and logs the broken ring of
# hh's device (our backend: "broke ring", Linux's: "Frontend provided
# bogus ring requests"), not of hv's; hv's data verifies; no dom0 task is
# stuck and no kernel warning is logged; hh's backend device is gone once
# hh is.
# shellcheck shell=bash
# Only dom0's kernel messages from here on count.
mark="tb: hostile $* begins ($(date +%s))"
echo "$mark" >/dev/kmsg
since_mark() { dmesg | sed -n "/$mark/,\$p"; }
# devt_hex DEV: DEV's kernel dev_t in hex, as Linux's backend logs it.
devt_hex() {
	local mm
	mm=$(stat -L -c '%t %T' "$1") || return 1
	printf '%04x' $(((0x${mm% *} << 20) | 0x${mm#* }))
}

# hh boots without its disk: it gets it, and attacks, once hv's fio runs.
guest_create hh type="$1" vcpus=1 front=none script=hostile disk=none
guest_wait hh HOSTILE-READY 120
victim_create hv "$1" 2
vdom=$(xl domid hv) || fail "no domain id for hv"
# (Read now: a PVH guest that triple-faults is restarted by xl.)
hdom=$(xl domid hh) || fail "no domain id for hh"
mode=${2:-w}
xl block-attach hh "phy:/dev/nullb2,xvda,$mode" || fail "xl block-attach hh xvda failed"
guest_wait hh HOSTILE-RAN 280
d=$(xl domid hh 2>/dev/null)
[ -z "$d" ] || [ "$d" = "$hdom" ] ||
	fail "hh restarted during the attacks (domain $hdom became $d; see its console)"
victim_stop hv "hh's attacks (domain $hdom)"
guest_wait hh DONE 60
# Read-only: the write must have been tried (and judged by the module).
if [ "$mode" = r ] && ! grep -q 'attack write_ro: .* ok' "$XLOG/guest-hh.log"; then
	fail "no write to hh's read-only disk was tried and refused"
fi
for ((i = 0; i < 60; i++)); do guest_alive hh || break; sleep 0.5; done
guest_alive hh && xl destroy hh

# The backend's word on hh's device, and none on hv's.
klog=$(since_mark)
case "$(tb_backend)" in
ours)
	line=$(echo "$klog" | grep -m1 "vbd-$hdom-51712: .*frontend .* broke the protocol")
	other=$(echo "$klog" | grep -m1 "vbd-$vdom-51712: .*frontend .* broke the protocol")
	nbad=$(echo "$klog" | grep -c "vbd-$hdom-51712: ring [0-9]*: request ")
	tb_msg "our backend logged $nbad bad requests of hh (ratelimited)" ;;
*)
	# Linux's backend names the backing device (its dev_t), not the domain.
	line=$(echo "$klog" | grep -m1 "Frontend provided bogus ring requests.*dev=$(devt_hex /dev/nullb2)\$")
	other=$(echo "$klog" | grep -m1 "Frontend provided bogus ring requests.*dev=$(devt_hex /dev/nullb1)\$") ;;
esac
[ -n "$line" ] || fail "the $(tb_backend) backend logged no broken ring for hh's device"
tb_msg "$(tb_backend) backend: ${line#*] }"
[ -z "$other" ] || fail "the backend also broke hv's ring: ${other#*] }"

for ((i = 0; i < 60; i++)); do
	[ -e "/sys/bus/xen-backend/devices/vbd-$hdom-51712" ] || break
	sleep 0.5
done
[ -e "/sys/bus/xen-backend/devices/vbd-$hdom-51712" ] &&
	fail "backend device vbd-$hdom-51712 still there 30s after hh ended"

stuck=$(stuck_tasks)
[ -z "$stuck" ] || fail "dom0 tasks stuck in D state: $stuck"
warn=$(since_mark | grep -m1 -E 'WARNING:|BUG:|Oops|rcu: INFO|blocked for more than|Call Trace')
[ -z "$warn" ] || fail "dom0 kernel: $warn"
guest_finish hh 10
