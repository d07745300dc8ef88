# SPDX-License-Identifier: GPL-2.0
# detach_attach TYPE: xl block-detach and block-attach of a written disk;
# the data verifies through the re-attached device.
# shellcheck shell=bash
guest_create da type="$1" vcpus=2 front="${TB_FRONT:-stock}" script=detach_attach \
	disk="phy:/dev/nullb3,xvda,w"
guest_wait da WRITTEN 180
xl block-detach da xvda || fail "xl block-detach da xvda failed"
guest_wait da DETACHED 120
xl block-list da
xl block-attach da 'phy:/dev/nullb3,xvda,w' || fail "xl block-attach da failed"
guest_finish da 180
