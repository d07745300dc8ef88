# SPDX-License-Identifier: GPL-2.0
# verify TYPE [KERNEL]: fio random writes of mixed sizes with crc32c
# verification through the PV block path.
# shellcheck shell=bash
guest_create v type="$1" vcpus=2 kernel="${2:-612}" front="${TB_FRONT:-stock}" \
	script=verify disk="phy:/dev/nullb1,xvda,w"
guest_finish v 240
