/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: glibc's <errno.h> includes <linux/errno.h> itself, so
 * pass through to the kernel's uapi copy, which has the same numbers.
 */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
