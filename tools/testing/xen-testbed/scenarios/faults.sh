# SPDX-License-Identifier: GPL-2.0
# faults TYPE [STEP...]: fault injection in our frontend and our backend
# (both built with XENPV_FAULT_INJECTION; the knobs are debugfs's
# xen-blkfront/fault/KIND/ in the guest and xen-blkback/fault/KIND/ in
# dom0, KIND one of grant alloc evtchn xs_write xs_txn).  A guest (fl)
# with xvda; each STEP is SIDE:KIND:WHEN (or SIDE.KIND.WHEN, as a
# scenario's name must spell it: results are named after it and ':'
# ends the file part), all of the list below by default:
#   SIDE:KIND:connect  one fault of KIND is armed in SIDE (front or back)
#       and xvdb attached: its connection must fail cleanly (the fault
#       fired, an error node says why, the guest stays up), xvdb detach
#       cleanly; attached again with no fault, fio verify on it passes.
#   SIDE:KIND:io  xvdb attached with no fault, fio verify started on it,
#       then 200 faults of KIND armed in SIDE: its I/O may fail (EIO to
#       fio) or wait, never hang or crash; once they are used up, fio
#       verify on the same connection passes.
# At the end our backend's census (dom0) and our frontend's census with
# the guest's free grant references must be back where they started.
# For our frontend and our backend (ours+ours/).
# Its whole list needs more than one scenario timeout:
# tb: timeout x4
# shellcheck shell=bash
ALL="front:grant:connect front:alloc:connect front:evtchn:connect
front:xs_write:connect front:xs_txn:connect back:grant:connect
back:alloc:connect back:evtchn:connect back:xs_write:connect
back:xs_txn:connect front:grant:io front:alloc:io back:grant:io
back:alloc:io"
steps=$(echo "${*:2}" | tr . :)
[ -n "$steps" ] || steps=$ALL
if [ "$(tb_backend)" != ours ] || [ "${TB_FRONT:-stock}" != ours ]; then
	fail "faults injects into our drivers (run it as ours+ours/)"
fi
fdir=/sys/kernel/debug/xen-blkback/fault
[ -d $fdir/grant ] || fail "no $fdir: our backend was built without XENPV_FAULT_INJECTION"
census=/sys/kernel/debug/xen-blkback/census

guest_create fl type="$1" vcpus=2 front=ours script=faults \
	args="$(echo "$steps" | tr '\n' ' ')" disk="phy:/dev/nullb1,xvda,w"
guest_wait fl FAULTS-READY 180
dom=$(xl domid fl) || fail "no domain id for fl"
glog=$XLOG/guest-fl.log
be=/sys/bus/xen-backend/devices/vbd-$dom-51728
fe_err=/local/domain/$dom/error/device/vbd/51728/error
be_err=/local/domain/0/error/backend/vbd/$dom/51728/error
cp $census /tmp/census.before
# since: the guest's console since N0 lines.
since() { tail -n +$((n0 + 1)) "$glog" | tr -d '\r'; }
# arm KIND N: N faults of KIND in dom0's backend, every call failing.
arm() {
	echo 0 >$fdir/"$1"/verbose
	echo "$2" >$fdir/"$1"/times
	echo 100 >$fdir/"$1"/probability
}
# disarm KIND N: off; prints how many of the N armed faults fired.
disarm() {
	local left
	echo 0 >$fdir/"$1"/probability
	left=$(cat $fdir/"$1"/times)
	echo 1 >$fdir/"$1"/times
	echo $(($2 - left))
}
# detach: xvdb away, and its backend device gone.
detach() {
	local t
	timeout 60 xl block-detach fl xvdb >/dev/null 2>&1 ||
		tb_msg "$step: xl block-detach of xvdb did not end cleanly"
	for ((t = 0; t < 100; t++)); do
		[ -e "$be" ] || return 0
		sleep 0.3
	done
	fail "$step: xvdb's backend device still there 30s after detaching it"
}
attach() { xl block-attach fl 'phy:/dev/nullb2,xvdb,w' >/tmp/attach.log 2>&1; }
# error_of NODE [SECONDS]: the error node's text once written.
error_of() {
	local t
	for ((t = 0; t < ${2:-30} * 2; t++)); do
		xenstore-read "$1" 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}

n=0
for step in $steps; do
	n=$((n + 1))
	IFS=: read -r side kind when <<<"$step"
	xenstore-rm "/local/domain/$dom/error/device/vbd/51728" 2>/dev/null
	xenstore-rm "/local/domain/0/error/backend/vbd/$dom/51728" 2>/dev/null
	n0=$(wc -l <"$glog")
	guest_wait fl "S$n-ARMED " 120
	if [ "$when" = connect ]; then
		[ "$side" = back ] && arm "$kind" 1
		attach || tb_msg "$step: xl block-attach failed: $(tail -n1 /tmp/attach.log)"
		node=$fe_err
		[ "$side" = back ] && node=$be_err
		why=$(error_of "$node") || fail "$step: no error node ($node) 30s after the fault"
		[ "$side" = back ] && fired=$(disarm "$kind" 1)
		detach
		guest_alive fl || fail "guest fl died at $step (see its console)"
		guest_say fl "S$n-DISARM"
		guest_wait fl "S$n-DISARMED " 60
		[ "$side" = front ] && fired=$(since | sed -n "s/^@@G S$n-DISARMED fired=//p")
		[ "${fired:-0}" -ge 1 ] || fail "$step: the armed fault did not fire"
		tb_msg "$step: the connection failed cleanly: $why"
		attach || fail "$step: xl block-attach after the fault failed: $(tail -n1 /tmp/attach.log)"
	else
		attach || fail "$step: xl block-attach failed: $(tail -n1 /tmp/attach.log)"
		guest_wait fl "S$n-IO-START " 120
		[ "$side" = back ] && arm "$kind" 200
		guest_say fl "S$n-GO"
		guest_wait fl "S$n-IO-DONE " 300
		[ "$side" = back ] && fired=$(disarm "$kind" 200)
		[ "$side" = front ] && fired=$(since | sed -n "s/^@@G S$n-IO-DONE fired=\([0-9]*\).*/\1/p")
		[ "${fired:-0}" -ge 1 ] || fail "$step: the armed faults did not fire (no I/O reached them)"
		tb_msg "$step: $fired faults during I/O; $(since | sed -n "s/^@@G S$n-IO-DONE fired=[0-9]* //p")"
		# Only now may the guest check that xvdb works again: until
		# disarm() the backend's faults were still armed (the check
		# once began first, and failed, in a make check of 2026-12-05).
		guest_say fl "S$n-AFTER"
	fi
	guest_wait fl "S$n-IO " 300
	res=$(since | sed -n "s/^@@G S$n-IO //p" | head -n1)
	[ "$res" = ok ] || fail "$step: xvdb after the fault: $res"
	detach
	guest_alive fl || fail "guest fl died at $step (see its console)"
done
cp $census /tmp/census.after
guest_say fl END
guest_finish fl 300
moved=$(paste /tmp/census.before /tmp/census.after | awk '$2 != $4 { printf "%s %s -> %s; ", $1, $2, $4 }')
tb_msg "backend census after $n steps: $(tr '\n' ' ' </tmp/census.after)"
[ -z "$moved" ] || fail "our backend holds more after the faults: $moved"
