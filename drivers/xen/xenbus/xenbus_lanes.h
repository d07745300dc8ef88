/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenbus watch lanes: watch callbacks run per other domain, in parallel.
 *
 * The xenbus reader thread hands each watch event to a lane; each lane
 * runs its callbacks one at a time and in order, on a bounded workqueue.
 * A device's watches (the other end's state, the driver's own) run in the
 * lane of the device's other domain, the backend bus watch in the lane of
 * the domain each event's path names, and every other watch in the legacy
 * lane.  Documentation/xenwatch.rst has the rules and the parameters.
 */
#ifndef _XENBUS_XENBUS_LANES_H
#define _XENBUS_XENBUS_LANES_H

#include <linux/list.h>
#include <linux/types.h>

struct xenbus_watch;

/**
 * struct xs_watch_event - one watch event, from the reader to a callback
 * @list: in the single thread's queue or in its lane's queue
 * @len: length of @body
 * @handle: the watch it fires
 * @path: the node that changed, in @body
 * @token: the watch's token, in @body
 * @merge: lanes only: in the table of queued events, for merging a
 *	repeated event for the same watch and path into the queued one
 * @body: "path\0token\0"
 */
struct xs_watch_event {
	struct list_head list;
	unsigned int len;
	struct xenbus_watch *handle;
	const char *path;
	const char *token;
	struct hlist_node merge;
	char body[];
};

/* Lanes of a watch, besides a domain id: see xs_lanes_register(). */
#define XS_LANE_LEGACY		(-1)
#define XS_LANE_BY_PATH		(-2)

bool xs_lanes_enabled(void);
int xs_lanes_init(void);
int xs_lanes_register(struct xenbus_watch *watch, int domid);
void xs_lanes_unregister(struct xenbus_watch *watch);
int xs_lanes_watch_msg(struct xs_watch_event *event);
void xs_lanes_quiesce(void);
void xs_lanes_thaw(void);

#endif /* _XENBUS_XENBUS_LANES_H */
