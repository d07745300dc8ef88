/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a jiffy is a millisecond of CLOCK_MONOTONIC. */
#ifndef _SHIM_LINUX_JIFFIES_H
#define _SHIM_LINUX_JIFFIES_H

#define HZ 1000

unsigned long shim_jiffies(void);
#define jiffies			shim_jiffies()
#define msecs_to_jiffies(ms)	((unsigned long)(ms))
#define jiffies_to_msecs(j)	((unsigned int)(j))

#endif
