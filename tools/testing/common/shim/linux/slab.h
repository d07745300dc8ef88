/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: allocations are counted so leaks show, and the n-th
 * allocation from now can be made to fail (shim_fail_alloc(n)).
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL	0x1u
#define GFP_NOIO	0x2u
#define GFP_ATOMIC	0x4u

extern long shim_allocs_live;
extern unsigned long shim_allocs_total;
void shim_fail_alloc(unsigned long nth);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *p);

#endif
