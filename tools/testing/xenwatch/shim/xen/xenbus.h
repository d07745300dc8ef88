/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: what xenbus_lanes.c takes from <xen/xenbus.h>, as
 * Linux 6.12 has it; xenbus_directory() reads the fake xenstore
 * (harness.c).
 */
#ifndef _SHIM_XEN_XENBUS_H
#define _SHIM_XEN_XENBUS_H

#include <linux/list.h>
#include <linux/types.h>

struct xenbus_watch {
	struct list_head list;
	const char *node;
	unsigned int nr_pending;
	bool (*will_handle)(struct xenbus_watch *watch,
			    const char *path, const char *token);
	void (*callback)(struct xenbus_watch *watch,
			 const char *path, const char *token);
};

struct xenbus_transaction {
	u32 id;
};

#define XBT_NIL ((struct xenbus_transaction) { 0 })

char **xenbus_directory(struct xenbus_transaction t, const char *dir,
			const char *node, unsigned int *num);

#endif
