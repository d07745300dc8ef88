/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the compiler barrier the protocol core puts between a
 * copy out of shared memory and the use of the copy, and __packed.
 */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#define barrier()	__asm__ __volatile__("" : : : "memory")
#define __packed	__attribute__((__packed__))

#endif
