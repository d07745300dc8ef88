# SPDX-License-Identifier: GPL-2.0
# discard_flush TYPE: discard, cache flush and FUA writes from the guest
# reach the backend (its statistics count them).
# shellcheck shell=bash
guest_create df type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=discard_flush \
	disk="phy:/dev/nullb2,xvda,w;phy:/dev/ram0,xvdz,r"
guest_wait df FLUSHED 180
ds=$(vbd_stat df 51712 ds_req) || fail "no backend statistics for df's xvda"
fl=$(vbd_stat df 51712 f_req)
wr=$(vbd_stat df 51712 wr_req)
tb_msg "backend counters: ds_req=$ds f_req=$fl wr_req=$wr"
[ "$ds" -gt 0 ] || fail "backend saw no discard request (ds_req=0)"
[ "$fl" -gt 0 ] || fail "backend saw no flush request (f_req=0)"
xl block-detach df xvdz || fail "xl block-detach of the token disk failed"
guest_finish df 120
