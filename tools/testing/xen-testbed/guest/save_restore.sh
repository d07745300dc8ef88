# SPDX-License-Identifier: GPL-2.0
# save_restore [SIZE [RINGS]]: fio writes SIZE with crc32c headers while
# dom0 saves and restores the domain, then verifies every block in a
# second pass.  WRITE-DONE tells dom0 whether the save fell in the write
# phase.  With RINGS, the backend came back offering RINGS queues.
# shellcheck shell=sh
size=${1:-128M} rings=${2:-}
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
gmark FIO-START
fio_verify xvda "$size" --do_verify=0
gmark WRITE-DONE
fio_verify xvda "$size" --verify_only
if [ -n "$rings" ]; then
	if [ "$TB_FRONT" = ours ]; then
		# The hardware queues stay; the rings follow the backend.
		front_stats xvda
		got=$(($(front_stats xvda | wc -l) - 1))
	else
		got=$(nr_queues xvda)
	fi
	[ "$got" -eq "$rings" ] || gfail "$got rings after the restore, the backend offers $rings"
fi
gmark OK
