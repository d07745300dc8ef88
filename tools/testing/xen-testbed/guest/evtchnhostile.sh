# SPDX-License-Identifier: GPL-2.0
# evtchnhostile [EXPECT]: the test module xen-evtchnhostile
# (tools/testing/xen-evtchnhostile) checks EVTCHNOP_bind_vector from this
# guest: delivery on its own vector, rebinds, mask and unmask, close, and
# every bad argument, port and a rebind storm.  EXPECT 1: the feature must
# be offered (PVH on the patched Xen), 0: must not (PV, or Debian's Xen).
# Every check must come out as specified, and this guest's kernel must
# not complain, nor take an interrupt on a vector nobody owns.
# shellcheck shell=sh
ko=/tb/mod/test/xen-evtchnhostile.ko
p=/sys/module/xen_evtchnhostile/parameters
[ -f $ko ] || gfail "no $ko in the guest image (scripts/build-testbed-modules.sh builds it)"
echo "event channels: $(dmesg | grep -m1 -o -E 'Using (FIFO-based|2-level) ABI')"
# The module's lines on the console as they come: a hang shows where.
echo 7 >/proc/sys/kernel/printk
insmod $ko expect_feature="${1:--1}" ||
	gfail "insmod xen-evtchnhostile failed: $(dmesg | tail -n 2 | tr '\n' ' ')"
echo 4 >/proc/sys/kernel/printk
[ "$(cat $p/done)" = 1 ] || gfail "xen-evtchnhostile did not finish"
read -r total <$p/total
read -r wrong <$p/wrong
echo "evtchnhostile: $total checks, $wrong wrong, feature $(cat $p/feature)"
[ "$total" -gt 0 ] || gfail "xen-evtchnhostile made no check"
[ "$wrong" -eq 0 ] ||
	gfail "$wrong of $total checks wrong: $(dmesg | grep 'xen-evtchnhostile: .*WRONG' | sed 's/.*xen-evtchnhostile: //' | head -n 5 | tr '\n' ';')"
rmmod xen_evtchnhostile || gfail "rmmod xen-evtchnhostile failed"
gkernel_clean 'No irq handler for vector'
gmark EVTCHN-DONE "total=$total"
