# SPDX-License-Identifier: GPL-2.0
# save_restore: a rate-limited fio write+verify job long enough for dom0
# to save and restore the domain in the middle of its write phase.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
gmark FIO-START
fio_verify xvda 64M --rate_iops=100000,60
gmark OK
