/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the barriers between a ring's shared indexes and its
 * slots.  The tests run the other end in the same thread, so a full
 * barrier stands in for each.
 */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H

#define virt_mb()	__sync_synchronize()
#define virt_rmb()	__sync_synchronize()
#define virt_wmb()	__sync_synchronize()

#endif
