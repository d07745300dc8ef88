# SPDX-License-Identifier: GPL-2.0
# parallel: fio verify on xvda, then wait to be destroyed.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
fio_verify xvda 16M
gmark VERIFIED lanes="$(cat /sys/module/xenbus/parameters/watch_lanes 2>/dev/null)"
sleep 600
