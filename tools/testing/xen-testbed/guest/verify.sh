# SPDX-License-Identifier: GPL-2.0
# verify [SIZE]: fio random writes of mixed sizes (512 B to 1 MiB) over
# SIZE of xvda, every block checked with crc32c.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
fio_verify xvda "${1:-96M}" --numjobs=1
if [ "$TB_FRONT" = ours ]; then
	front_stats xvda
	pg=$(front_stat_sum xvda pgrants) || gfail "no pgrants column in debugfs"
	case " $TB_FPARAMS " in
	*" trusted=0 "*)
		# Bounce pages, with or without persistent grants.
		[ "$pg" -gt 0 ] || gfail "no bounce pages used with trusted=0" ;;
	*" max_persistent_grants=0 "*)
		[ "$pg" -eq 0 ] || gfail "$pg persistent grants with max_persistent_grants=0" ;;
	*)
		# Both backends offer feature-persistent.
		[ "$pg" -gt 0 ] || gfail "no persistent grants in use" ;;
	esac
fi
gmark OK verified
