# SPDX-License-Identifier: GPL-2.0
# detach_busy TYPE: xl block-detach of a disk the guest has open and busy:
# the detach completes, the guest's I/O fails instead of hanging, the disk
# goes away and the frontend module unloads.
# shellcheck shell=bash
guest_create db type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=detach_busy \
	disk="phy:/dev/nullb2,xvda,w"
guest_wait db BUSY 120
xl block-detach db xvda || fail "xl block-detach of a busy disk failed"
guest_finish db 180
