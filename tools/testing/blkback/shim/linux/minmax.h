/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim, on top of tools/testing/common/shim: clamp_t().
 */
#ifndef _SHIM_BLKBACK_LINUX_MINMAX_H
#define _SHIM_BLKBACK_LINUX_MINMAX_H

#include_next <linux/minmax.h>

#define clamp_t(type, val, lo, hi)	min_t(type, max_t(type, val, lo), hi)

#endif
