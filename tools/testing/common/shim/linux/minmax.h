/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: min()/max() refuse operands of different types, as the
 * 6.1 kernel's do, so type slips fail here before they fail in a build.
 */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#define __shim_cmp(x, y, op) ({				\
	typeof(x) __x = (x);				\
	typeof(y) __y = (y);				\
	(void)(&__x == &__y);				\
	__x op __y ? __x : __y; })

#define min(x, y)		__shim_cmp(x, y, <)
#define max(x, y)		__shim_cmp(x, y, >)
#define min3(x, y, z)		min(min(x, y), z)
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))

#endif
