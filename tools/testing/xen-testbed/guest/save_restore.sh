# SPDX-License-Identifier: GPL-2.0
# save_restore [SIZE]: fio writes SIZE with crc32c headers while dom0
# saves and restores the domain, then verifies every block in a second
# pass.  WRITE-DONE tells dom0 whether the save fell in the write phase.
# shellcheck shell=sh
size=${1:-192M}
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
gmark FIO-START
fio_verify xvda "$size" --do_verify=0
gmark WRITE-DONE
fio_verify xvda "$size" --verify_only
gmark OK
