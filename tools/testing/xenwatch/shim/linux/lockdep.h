/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_LOCKDEP_H
#define _SHIM_LINUX_LOCKDEP_H

#include <linux/spinlock.h>

#define lockdep_assert_held(l)	WARN_ON(!shim_lock_mine(l))

#endif
