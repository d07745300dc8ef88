/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a spinlock is a mutex that knows its owner, so that
 * lockdep_assert_held() really checks (a miss is a WARN).
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include <pthread.h>

#include <linux/bug.h>

typedef struct {
	pthread_mutex_t m;
	pthread_t owner;
	int held;
} spinlock_t;

#define DEFINE_SPINLOCK(x)	spinlock_t x = { PTHREAD_MUTEX_INITIALIZER, 0, 0 }

static inline void spin_lock(spinlock_t *l)
{
	pthread_mutex_lock(&l->m);
	__atomic_store_n(&l->owner, pthread_self(), __ATOMIC_RELAXED);
	__atomic_store_n(&l->held, 1, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&l->m);
}

static inline bool shim_lock_mine(spinlock_t *l)
{
	return __atomic_load_n(&l->held, __ATOMIC_RELAXED) &&
	       pthread_equal(__atomic_load_n(&l->owner, __ATOMIC_RELAXED),
			     pthread_self());
}

#endif
