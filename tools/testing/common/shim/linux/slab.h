/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: allocations are counted (shim_allocs_live, and the
 * bytes in shim_bytes_live, highest in shim_bytes_peak) so leaks and
 * memory use show, and the n-th allocation from now can be made to fail
 * (shim_fail_alloc(n)).  The counters are updated under a lock: read
 * them when no other thread allocates.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL	0x1u
#define GFP_NOIO	0x2u
#define GFP_ATOMIC	0x4u
#define __GFP_HIGH	0x8u
#define __GFP_NOWARN	0x10u

extern long shim_allocs_live;
extern unsigned long shim_allocs_total;
extern long shim_bytes_live;
extern long shim_bytes_peak;
void shim_fail_alloc(unsigned long nth);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *p);

#endif
