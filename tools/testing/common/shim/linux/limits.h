/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: glibc's <limits.h> includes <linux/limits.h> for NAME_MAX
 * and friends, so pass through to the uapi copy, then add the kernel's.
 */
#ifndef _SHIM_LINUX_LIMITS_H
#define _SHIM_LINUX_LIMITS_H

#include_next <linux/limits.h>
#include <limits.h>
#include <stdint.h>

#define U8_MAX		UINT8_MAX
#define U16_MAX		UINT16_MAX
#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX
#define S16_MAX		INT16_MAX
#define S16_MIN		INT16_MIN
#define S64_MAX		INT64_MAX

#endif
