# SPDX-License-Identifier: GPL-2.0
# xw_idle: say READY once xvda is there, then wait to be destroyed.
# shellcheck shell=sh
wait_disk xvda 120 || gfail "no /dev/xvda after 120s"
gmark READY
sleep 3600
