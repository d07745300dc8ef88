/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the bit searches and counts the protocol cores use. */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H

#include <linux/bits.h>

/* The lowest set bit of a non-zero word, as the kernel's. */
static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

static inline unsigned int hweight32(unsigned int w)
{
	return __builtin_popcount(w);
}

#endif
