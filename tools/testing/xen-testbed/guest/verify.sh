# SPDX-License-Identifier: GPL-2.0
# verify [SIZE [until]]: fio random writes of mixed sizes (512 B to 1 MiB)
# over SIZE of xvda, every block checked with crc32c.  With "until",
# rounds of that until dom0 says STOP (victim_stop): a victim whose I/O
# lasts as long as the attack beside it, however fast the machine is.
# shellcheck shell=sh
wait_disk xvda 30 || gfail "no /dev/xvda after 30s"
if [ "${2:-}" = until ]; then
	gmark VERIFYING
	rm -f /tmp/stop
	(
		n=0
		while [ ! -e /tmp/stop ]; do
			fio_verify xvda "$1" --numjobs=1
			n=$((n + 1))
			echo "$n" >/tmp/rounds
		done
	) &
	bg=$!
	hear STOP 1200
	touch /tmp/stop
	wait $bg || gfail "fio verify failed in round $(($(cat /tmp/rounds 2>/dev/null || echo 0) + 1))"
	gmark "VERIFIED $(cat /tmp/rounds) rounds"
else
	fio_verify xvda "${1:-64M}" --numjobs=1
fi
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
