# SPDX-License-Identifier: GPL-2.0
# hostile_back TYPE [ATTACK[@AFTER]...]: a guest (hb) with two disks.  xvda,
# served by dom0's usual backend, runs fio verify the whole time; xvdb is
# served by the test module xen-blkhostile-back (tools/testing/), loaded
# before the backend, which breaks the protocol in one way per attach:
# each ATTACK (the whole list below by default, or all but those given as
# -ATTACK) attaches xvdb, the guest runs fio verify on it while it lasts,
# dom0 detaches it.  AFTER is how many requests the module serves well
# before a ring attack (default 4: past the partition table; 0 attacks
# the partition scan of the disk's creation, which a frontend must not
# wait for in its xenbus thread).
# For our frontend every attack must end as the table says:
#   works  xvdb's fio verify passes, nothing logged, no error node;
#   fails  the disk fails with exactly one line from vbd-51728 on the
#          guest's console and the device's error node written;
#   closes the disk goes away, its I/O fails, nothing logged as an error.
# Whatever the frontend, the guest must stay up and xvda's data verify.
# Each attack's line says where its time went ("in A+B+C ms": attach to
# outcome, xl block-detach, the backend device's going).
# With Linux's frontend (stock/) the outcomes are only reported (see
# Documentation/testbed.rst), and an attack after which xvdb cannot be
# detached, or its I/O never ends, leaves its guest to the next attack
# no more: a new guest takes over.
# Its whole list needs more than one scenario timeout:
# tb: timeout x3
# shellcheck shell=bash
ALL="none sectors_huge sectors_junk sector_size_odd sector_size_zero
sector_size_huge persistent_two queues_zero queues_huge ring_order_huge
ring_pages_odd indirect_huge rsp_unknown_id rsp_dup_id rsp_stale_id
rsp_bad_op rsp_bad_status rsp_early prod_jump prod_rewind flip_initwait
closing_inflight resize_ok resize_junk sector_size_change feature_change
closing_inflight@0 rsp_bad_status@0"
attacks=${*:2}
# Only -ATTACK arguments: the whole list but those.
if [ -n "$attacks" ] && ! printf '%s\n' "${@:2}" | grep -q -v '^-'; then
	skip=" ${attacks//-/} " attacks=""
	for a in $ALL; do
		[ "${skip/ $a /}" = "$skip" ] && attacks+="$a "
	done
fi
[ -n "$attacks" ] || attacks=$ALL
front=${TB_FRONT:-stock}
# Linux's frontend warns at KERN_WARNING too: show it on the console.
[ "$front" = ours ] || export TB_GUEST_LOGLEVEL=${TB_GUEST_LOGLEVEL:-5}
mod=/tb/mod/test/xen-blkhostile-back.ko
p=/sys/module/xen_blkhostile_back/parameters

# expect ATTACK: what our frontend must make of it.
expect() {
	case "$1" in
	none | queues_huge | ring_order_huge | indirect_huge | resize_ok) echo works ;;
	closing_inflight) echo closes ;;
	*) echo fails ;;
	esac
}

[ -f $mod ] || fail "no $mod in dom0 (scripts/build-testbed-modules.sh builds it)"
back=$(tb_backend)
# Loaded first, it sees every vbd first; it takes only xvdb's.
rmmod xen-blkback 2>/dev/null
insmod $mod || fail "insmod xen-blkhostile-back failed"
# shellcheck disable=SC2064
trap "xl destroy hb 2>/dev/null; sleep 1; rmmod xen_blkhostile_back; tb_load_backend $back >/dev/null" EXIT
tb_load_backend "$back" || fail "reloading the $back backend after the hostile one failed"

# start_guest: (again) the guest, its xvda's fio verify started.
start_guest() {
	guest_create hb type="$1" vcpus=2 front="$front" script=hostile_back \
		disk="phy:/dev/nullb1,xvda,w;phy:/dev/nullb3,xvdz,r"
	guest_wait hb FIO-START 180
	dom=$(xl domid hb) || fail "no domain id for hb"
	errnode=/local/domain/$dom/error/device/vbd/51728/error
	fstate=/local/domain/$dom/device/vbd/51728/state
}
start_guest "$1"
glog=$XLOG/guest-hb.log
bad=0 i=0 summary="" died=0
# since: the guest's console since this attack's attach.
since() { tail -n +$((n0 + 1)) "$glog" | tr -d '\r'; }
for spec in $attacks; do
	a=${spec%@*}
	after=4
	[ "$spec" != "$a" ] && after=${spec#*@}
	i=$((i + 1))
	echo "$after" >$p/after
	echo "$a" >$p/attack || fail "the module does not know attack $a"
	xenstore-rm "/local/domain/$dom/error/device/vbd/51728" 2>/dev/null
	fired0=$(cat $p/fired)
	n0=$(wc -l <"$glog")
	t0=$(date +%s%N)
	xl block-attach hb 'phy:/dev/nullb2,xvdb,w' || fail "xl block-attach of xvdb ($a) failed"
	# The guest says how its I/O went, or the frontend gave up connecting
	# (an error node, and no disk for the guest), or it closed before the
	# guest saw a disk (the backend closed during the partition scan).
	for ((t = 0; t < 90; t++)); do
		since | grep -q '^@@G XVDB-IO ' && break
		if [ $t -ge 4 ] && ! since | grep -q '^@@G XVDB-SEEN'; then
			[ $t -ge 10 ] && xenstore-read "$errnode" >/dev/null 2>&1 && break
			[ "$(xenstore-read "$fstate" 2>/dev/null)" = 6 ] && break
		fi
		guest_alive_now "$t" hb || break
		sleep 0.5
	done
	io=$(since | sed -n 's/^@@G XVDB-IO [0-9]* //p' | head -n1)
	disk=$(since | sed -n 's/^@@G XVDB-DISK [0-9]* //p' | head -n1)
	err=$(xenstore-read "$errnode" 2>/dev/null)
	fired=$(( $(cat $p/fired) - fired0 ))
	t1=$(date +%s%N)
	timeout 60 xl block-detach hb xvdb >/dev/null 2>&1 ||
		tb_msg "attack $a: xl block-detach of xvdb did not end cleanly"
	t2=$(date +%s%N)
	for ((t = 0; t < 60; t++)); do
		[ -e "/sys/bus/xen-backend/devices/vbd-$dom-51728" ] || break
		sleep 0.5
	done
	# Where an attack's time went: attach to outcome, xl block-detach,
	# the backend device's going.
	took="$(( (t1 - t0) / 1000000 ))+$(( (t2 - t1) / 1000000 ))+$(( ($(date +%s%N) - t2) / 1000000 )) ms"
	if [ "$front" = ours ]; then
		lines=$(since | grep -c 'vbd-51728: ')
		line=$(since | grep -m1 'vbd-51728: ' | sed 's/.*vbd-51728: //')
	else
		# Linux's frontend logs in its own words, often without the
		# device's name: its lines about the disk, but the block
		# layer's I/O errors.
		since | grep -v -e '^@@G' -e 'I/O error, dev xvdb' |
			grep -E 'vbd-51728|xvdb|blkfront|blkif|xenwatch|blocked for more' >/tmp/hb.lines
		lines=$(wc -l </tmp/hb.lines)
		line=$(head -n 2 /tmp/hb.lines | paste -sd'|' -)
	fi
	case "$io" in
	ok*) got=works ;;
	*) if [ -n "$err" ]; then got=fails; else got=closes; fi ;;
	esac
	[ "$a" != none ] && [ "$fired" -lt 1 ] && got="$got (attack did not fire)"
	if ! guest_alive hb; then
		[ "$front" = ours ] && fail "guest hb died at attack $a (see its console)"
		# Linux's frontend: say so, and go on with a new guest.
		guest_dump hb
		tb_msg "attack $spec: the guest died (see its console above)"
		summary="$summary $spec=guest-died"
		died=$((died + 1))
		start_guest "$1"
		continue
	fi
	if [ -e "/sys/bus/xen-backend/devices/vbd-$dom-51728" ]; then
		[ "$front" = ours ] &&
			fail "xvdb's backend device still there 30s after detaching it ($a)"
		# Linux's frontend: what the guest's tasks wait on (sysrq w,
		# at a console log level that shows it), then a new guest.
		xl sysrq hb 9
		xl sysrq hb w
		sleep 3
		guest_dump hb
		tb_msg "attack $spec: xvdb could not be detached (the frontend hangs; the guest's blocked tasks are above); disk ${disk:-none}; io ${io:-none}; error node ${err:+set}; $lines line(s)${line:+: $line}; a new guest"
		summary="$summary $spec=detach-hangs"
		xl destroy hb
		sleep 2
		start_guest "$1"
		continue
	fi
	if [ "$front" != ours ] && [ -n "$disk" ] && [ -z "$io" ]; then
		# The guest's fio on xvdb never ended: its I/O hangs, and the
		# old disk, still open, would meet the next attack's attach.
		xl sysrq hb 9
		xl sysrq hb w
		sleep 3
		guest_dump hb
		tb_msg "attack $spec: $got, but xvdb's I/O never ended (the guest's blocked tasks are above); disk $disk; error node ${err:+set}; $lines line(s)${line:+: $line}; a new guest"
		summary="$summary $spec=$got+io-hangs"
		xl destroy hb
		sleep 2
		start_guest "$1"
		continue
	fi
	tb_msg "attack $spec: $got in $took; disk ${disk:-none}; io ${io:-none}; error node ${err:+set}; $lines line(s)${line:+: $line}"
	summary="$summary $spec=$got"
	[ "$front" = ours ] || continue
	want=$(expect "$a")
	if [ "$got" != "$want" ]; then
		tb_msg "attack $spec: WRONG, want $want"
		bad=$((bad + 1))
	elif [ "$want" = fails ] && [ "$lines" -ne 1 ]; then
		tb_msg "attack $spec: WRONG, $lines lines from vbd-51728, want one"
		bad=$((bad + 1))
	elif [ "$want" != fails ] && [ "$lines" -ne 0 ]; then
		tb_msg "attack $spec: WRONG, $lines lines from vbd-51728, want none"
		bad=$((bad + 1))
	fi
done
tb_msg "hostile backend, $front frontend:$summary; $died guests died"
xl block-detach hb xvdz || fail "detaching the token disk failed"
guest_finish hb 300
[ "$bad" -eq 0 ] || fail "$bad of $i attacks did not end as they should (see the MSG lines)"
