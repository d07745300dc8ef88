# SPDX-License-Identifier: GPL-2.0
# queues TYPE VCPUS [KERNEL]: a TYPE (pv|pvh) guest with VCPUS vCPUs sees
# xvda with one hardware queue per vCPU.
# shellcheck shell=bash
guest_create q type="$1" vcpus="$2" kernel="${3:-612}" front="${TB_FRONT:-stock}" \
	script=queues disk="phy:/dev/nullb0,xvda,w"
guest_finish q 180
