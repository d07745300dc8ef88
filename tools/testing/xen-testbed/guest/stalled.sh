# SPDX-License-Identifier: GPL-2.0
# stalled: ready with xvda and the token disk xvdz; once dom0 detaches
# xvdz (after its stall), fio verify on xvda.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
wait_disk xvdz 30 || gfail "no /dev/xvdz after 30s"
gmark READY lanes="$(cat /sys/module/xenbus/parameters/watch_lanes 2>/dev/null)"
wait_signal 240
fio_verify xvda 32M
gmark OK verified after the stall
