# SPDX-License-Identifier: GPL-2.0
# hostile [ATTACK...]: no block frontend; xen-blkhostile binds the guest's
# vbd device (dom0 attaches it once the module is loaded) and sends dom0's
# backend malformed requests (all of its attacks, or those named).  Every
# attack must get an outcome the module's table expects, the module must
# close the device (xenbus state Closed), unbind and unload, and this
# guest's kernel must not complain.
# shellcheck shell=sh
ko=/tb/mod/test/xen-blkhostile.ko
p=/sys/module/xen_blkhostile/parameters
xb=/sys/bus/xen/devices/vbd-51712
[ "$TB_FRONT" = none ] || gfail "hostile needs front=none (a frontend would own xvda), not $TB_FRONT"
[ -f $ko ] || gfail "no $ko in the guest image (scripts/build-testbed-modules.sh builds it)"
attacks=$(echo "$*" | tr ' ' ',')
insmod $ko ${attacks:+attacks=$attacks} ||
	gfail "insmod xen-blkhostile failed: $(dmesg | tail -n 2 | tr '\n' ' ')"
gmark HOSTILE-READY
# dom0 attaches the disk when it wants the attacks; each attack waits at
# most 10 s for its outcome, the close at most 20 s.
i=0
while [ "$(cat $p/done)" -lt 1 ]; do
	i=$((i + 1))
	if [ $i -gt 2400 ]; then
		dmesg | grep 'xen-blkhostile'
		gfail "xen-blkhostile did not finish within 240s"
	fi
	sleep 0.1
done
gmark HOSTILE-RAN
dmesg | grep 'xen-blkhostile: '
total=$(cat $p/total)
wrong=$(cat $p/wrong)
state=$(cat $xb/state)
echo "hostile: $total attacks, $wrong wrong, our xenbus state $state"
[ "$total" -gt 0 ] || gfail "xen-blkhostile ran no attack"
[ "$wrong" -eq 0 ] ||
	gfail "$wrong wrong outcome(s) in $total attacks: $(dmesg | grep -E 'xen-blkhostile: .*(WRONG|before connecting)' | sed 's/.*xen-blkhostile: //' | tr '\n' ';')"
[ "$state" = Closed ] || gfail "xen-blkhostile left its device in state $state, not Closed"
# A bound xenbus device holds the module: unbinding runs remove().
echo vbd-51712 >/sys/bus/xen/drivers/xen-blkhostile/unbind ||
	gfail "unbinding vbd-51712 from xen-blkhostile failed"
rmmod xen_blkhostile || gfail "rmmod xen-blkhostile failed after the unbind"
gkernel_clean
gmark HOSTILE-DONE "total=$total"
