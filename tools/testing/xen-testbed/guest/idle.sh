# SPDX-License-Identifier: GPL-2.0
# idle: wait until dom0 is done with this guest (it destroys it).
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
gmark IDLE
sleep 3600
