# SPDX-License-Identifier: GPL-2.0
# verify TYPE [KERNEL [FRONT_PARAM...]]: fio random writes of mixed sizes
# with crc32c verification through the PV block path; FRONT_PARAMs
# (name=value) go to our frontend's insmod.
# shellcheck shell=bash
guest_create v type="$1" vcpus=2 kernel="${2:-612}" front="${TB_FRONT:-stock}" \
	script=verify disk="phy:/dev/nullb1,xvda,w" fparams="${*:3}"
guest_finish v 240
