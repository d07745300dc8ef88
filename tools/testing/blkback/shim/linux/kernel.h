/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim, on top of tools/testing/common/shim: the kernel's
 * <linux/kernel.h> also gives snprintf().
 */
#ifndef _SHIM_BLKBACK_LINUX_KERNEL_H
#define _SHIM_BLKBACK_LINUX_KERNEL_H

#include_next <linux/kernel.h>
#include <stdio.h>

#endif
