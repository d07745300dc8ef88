/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a wait queue is a wake-up counter.  wait_event()
 * evaluates its condition with no lock of its own held (the condition
 * may take the caller's locks, as in the kernel), and sleeps only if no
 * wake-up came since it last looked.
 */
#ifndef _SHIM_LINUX_WAIT_H
#define _SHIM_LINUX_WAIT_H

#include <pthread.h>

struct wait_queue_head {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned long seq;
};

typedef struct wait_queue_head wait_queue_head_t;

#define DECLARE_WAIT_QUEUE_HEAD(name)					\
	struct wait_queue_head name = { PTHREAD_MUTEX_INITIALIZER,	\
					PTHREAD_COND_INITIALIZER, 0 }

void shim_wake_up(struct wait_queue_head *q);
void shim_wait_for(struct wait_queue_head *q, unsigned long seen);

#define wake_up_all(q)	shim_wake_up(q)
#define wake_up(q)	shim_wake_up(q)
#define wait_event(q, cond) do {					\
	for (;;) {							\
		unsigned long __seen =					\
			__atomic_load_n(&(q).seq, __ATOMIC_ACQUIRE);	\
		if (cond)						\
			break;						\
		shim_wait_for(&(q), __seen);				\
	}								\
} while (0)

#endif
