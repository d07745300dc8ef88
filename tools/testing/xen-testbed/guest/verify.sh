# SPDX-License-Identifier: GPL-2.0
# verify [SIZE]: fio random writes of mixed sizes (512 B to 1 MiB) over
# SIZE of xvda, every block checked with crc32c.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
fio_verify xvda "${1:-96M}" --numjobs=1
gmark OK verified
