/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: each thread is a task; current is the calling one. */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

struct task_struct {
	char comm[16];
};

struct task_struct *shim_current(void);
#define current shim_current()

#endif
