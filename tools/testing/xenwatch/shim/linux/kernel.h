/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the common kernel.h, and what xenbus_lanes.c adds. */
#ifndef _SHIM_XW_LINUX_KERNEL_H
#define _SHIM_XW_LINUX_KERNEL_H

#include_next <linux/kernel.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/printk.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define clamp(v, lo, hi)	min(max(v, lo), hi)

static inline int kstrtoul(const char *s, unsigned int base,
			   unsigned long *res)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	*res = strtoul(s, &end, base);
	return *end ? -EINVAL : 0;
}

char *kasprintf(gfp_t gfp, const char *fmt, ...) __printf(2, 3);
char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap);

#endif
