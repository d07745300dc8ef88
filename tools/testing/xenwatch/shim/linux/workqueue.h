/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a workqueue is a pool of threads taking work items from
 * one FIFO, at most max_active at once (workqueue_set_max_active() may
 * change it); a work item queued while pending is not queued
 * again.  Delayed work is queued by a timer thread when due.
 */
#ifndef _SHIM_LINUX_WORKQUEUE_H
#define _SHIM_LINUX_WORKQUEUE_H

#include <stdbool.h>

#include <linux/list.h>

struct workqueue_struct;
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;
	work_func_t func;
	bool pending;
};

struct delayed_work {
	struct work_struct work;
	struct workqueue_struct *wq;
	unsigned long due;
	bool timer;
};

#define WQ_UNBOUND	0x1u
#define WQ_MEM_RECLAIM	0x2u

#define __WORK_INITIALIZER(n, f) \
	{ .entry = LIST_HEAD_INIT((n).entry), .func = (f) }
#define DECLARE_DELAYED_WORK(n, f) \
	struct delayed_work n = { .work = __WORK_INITIALIZER((n).work, f) }
#define INIT_WORK(w, f) do {						\
	INIT_LIST_HEAD(&(w)->entry);					\
	(w)->func = (f);						\
	(w)->pending = false;						\
} while (0)

extern struct workqueue_struct *system_wq;

struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags,
					 int max_active, ...);
/* The most work items @wq runs at once, from now on. */
void workqueue_set_max_active(struct workqueue_struct *wq, int max_active);
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay);
/* Wait until @wq has nothing queued or running. */
void flush_workqueue(struct workqueue_struct *wq);
void destroy_workqueue(struct workqueue_struct *wq);

#endif
