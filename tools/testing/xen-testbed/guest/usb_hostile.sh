# SPDX-License-Identifier: GPL-2.0
# usb_hostile FATAL...: no USB frontend; xen-usbhostile binds the
# guest's vusb controller (dom0 attached the USB disk to its port 1 and
# the USB audio device to port 2) and sends dom0's backend bad requests,
# once per FATAL attack (scenarios/usb_hostile.sh names them), each
# round ending with that protocol violation: the module is
# loaded, runs, closes the controller, is unbound and unloaded, and the
# next round connects again.  Every attack must get the outcome the
# module expects (each round runs whatever the last one found, and the
# failure names every wrong one); this guest's kernel must not complain.
# shellcheck shell=sh
ko=/tb/mod/test/xen-usbhostile.ko
p=/sys/module/xen_usbhostile/parameters
[ -f $ko ] || gfail "no $ko in the guest image (scripts/build-testbed-modules.sh builds it)"
i=0
until [ -e /sys/bus/xen/devices/vusb-0 ]; do
	i=$((i + 1))
	[ $i -gt 600 ] && gfail "no vusb-0 controller after 60s"
	sleep 0.1
done
n=0
seen=0
bad=""
[ $# -gt 0 ] || gfail "no attack named"
for f in "$@"; do
	insmod $ko fatal="$f" || gfail "insmod xen-usbhostile fatal=$f failed"
	i=0
	while [ "$(cat $p/done)" -lt 1 ]; do
		i=$((i + 1))
		[ $i -gt 1200 ] && gfail "xen-usbhostile fatal=$f did not finish within 120s"
		sleep 0.1
	done
	total=$(cat $p/total)
	wrong=$(cat $p/wrong)
	echo "usb_hostile: round $f: $total attacks, $wrong wrong"
	# This round's lines of the module.
	lines=$(dmesg | grep 'xen-usbhostile: ' | tail -n +$((seen + 1)))
	seen=$((seen + $(echo "$lines" | wc -l)))
	echo "$lines" | sed 's/^\[[^]]*\] //'
	[ "$total" -gt 1 ] || bad="$bad round $f: no attack ran;"
	# The next rounds run all the same: every wrong outcome is told.
	[ "$wrong" -eq 0 ] ||
		bad="$bad round $f: $(echo "$lines" | grep WRONG | sed 's/.*xen-usbhostile: attack //' | tr '\n' ';')"
	echo vusb-0 >/sys/bus/xen/drivers/xen-usbhostile/unbind ||
		gfail "unbinding vusb-0 from xen-usbhostile failed"
	rmmod xen_usbhostile || gfail "rmmod xen-usbhostile failed after the unbind"
	n=$((n + 1))
done
[ -z "$bad" ] || gfail "wrong outcomes:$bad"
gkernel_clean
gmark "HOSTILE-DONE rounds=$n"
