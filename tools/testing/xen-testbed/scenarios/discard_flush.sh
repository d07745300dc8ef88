# SPDX-License-Identifier: GPL-2.0
# discard_flush TYPE [BACKEND_PARAM...]: discard, cache flush and FUA
# writes from the guest reach the backend (its statistics count them).
# BACKEND_PARAMs (name=value) reload our backend with them for this
# scenario, e.g. feature_flush_cache=0 to offer write barriers only.
# shellcheck shell=bash
if [ $# -gt 1 ]; then
	[ "$(tb_backend)" = ours ] ||
		fail "backend parameters need our backend, not $(tb_backend)"
	tb_backend_until_exit df "${TB_BACK_MAX_QUEUES:-4}" "${@:2}" ||
		fail "loading the backend with ${*:2} failed"
fi
guest_create df type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=discard_flush \
	disk="phy:/dev/nullb2,xvda,w;phy:/dev/ram0,xvdz,r"
guest_wait df FLUSHED 180
ds=$(vbd_stat df 51712 ds_req) || fail "no backend statistics for df's xvda"
fl=$(vbd_stat df 51712 f_req)
wr=$(vbd_stat df 51712 wr_req)
tb_msg "backend counters: ds_req=$ds f_req=$fl wr_req=$wr"
[ "$ds" -gt 0 ] || fail "backend saw no discard request (ds_req=0)"
[ "$fl" -gt 0 ] || fail "backend saw no flush request (f_req=0)"
if [ $# -gt 1 ]; then
	be=/local/domain/0/backend/vbd/$(xl domid df)/51712
	tb_msg "offered: feature-flush-cache=$(xenstore-read "$be/feature-flush-cache")" \
		"feature-barrier=$(xenstore-read "$be/feature-barrier")"
fi
xl block-detach df xvdz || fail "xl block-detach of the token disk failed"
guest_finish df 120
