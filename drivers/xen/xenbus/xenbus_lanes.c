// SPDX-License-Identifier: GPL-2.0
/*
 * xenbus watch lanes: watch callbacks run per other domain, in parallel.
 *
 * With one xenwatch thread, one slow callback (a backend waiting for a
 * stuck guest, a hung device removal) holds up every other device's
 * setup and teardown.  Here each watch event goes to a lane:
 *
 * - a device's watches (the other end's state, registered by xenbus, and
 *   the driver's own, registered with xenbus_watch_path()) to the lane of
 *   the device's other domain, given when the watch is registered;
 * - the backend bus watch ("backend") to the lane of the domain that each
 *   event's path names (backend/<type>/<domid>/...);
 * - every other watch to the legacy lane.
 *
 * A lane runs its callbacks one at a time, in the order their events
 * arrived, so the callers' cross-watch serialization holds: blkback's two
 * watches both reaching xen_update_blkif_status(), netback's hotplug and
 * state watches, device_unregister() reached from the bus watch and from
 * the other end's watch.  Lanes run in parallel as work items of one
 * bounded workqueue (xenbus.watch_lanes at once), not a thread each.  A
 * callback stuck longer than xenbus.watch_stuck_ms gives its worker back:
 * the watchdog raises the workqueue's bound by one for each (up to twice
 * the usual), so that one stuck lane slows no other domain's.
 *
 * Queued events are bounded (XSA-349): per lane and in all, in events and
 * in bytes.  An event for a watch and path already queued is merged into
 * the queued one (the callback reads the node when it runs).  An event
 * past a bound is dropped and its lane marked for resync: once drained,
 * the lane fires each of its watches once, as registering it does, and
 * rescans its domain's part of the backend bus.
 *
 * Lifetimes: a lane lives while a watch is registered in it or it has
 * work; a registered watch has one struct xs_lane_watch.  Everything here
 * but the work items themselves is under xs_lanes_lock, a spinlock taken
 * by the xenbus reader thread, the lane workers, (un)registration, the
 * watchdog and debugfs, never from interrupts.
 */

#define pr_fmt(fmt) "xenbus: " fmt

#include <linux/debugfs.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/interface/xen.h>
#include <xen/xenbus.h>

#include "xenbus_lanes.h"

/* Callbacks one lane runs before it lets other lanes have its worker. */
#define XS_LANE_BATCH		16
/* WQ_UNBOUND_MAX_ACTIVE: the most work items a workqueue runs at once. */
#define XS_LANES_MAX_ACTIVE	512
/* How often the watchdog looks at running callbacks, at most. */
#define XS_WATCHDOG_MAX_MS	1000

static unsigned int xs_watch_lanes = CONFIG_XEN_WATCH_LANES;
module_param_named(watch_lanes, xs_watch_lanes, uint, 0444);
MODULE_PARM_DESC(watch_lanes,
		 "Watch callbacks run at once, each domain's in its own lane (0: one xenwatch thread runs them all)");

/* Bounds and the warning: may change at run time, read with READ_ONCE(). */
static unsigned int xs_lane_max_events = 1024;
module_param_named(watch_lane_max_events, xs_lane_max_events, uint, 0644);
MODULE_PARM_DESC(watch_lane_max_events, "Watch events queued in one lane, at most");

static unsigned int xs_lane_max_kib = 256;
module_param_named(watch_lane_max_kib, xs_lane_max_kib, uint, 0644);
MODULE_PARM_DESC(watch_lane_max_kib, "KiB of watch events queued in one lane, at most");

static unsigned int xs_max_events = 65536;
module_param_named(watch_max_events, xs_max_events, uint, 0644);
MODULE_PARM_DESC(watch_max_events, "Watch events queued in all lanes, at most");

static unsigned int xs_max_kib = 16384;
module_param_named(watch_max_kib, xs_max_kib, uint, 0644);
MODULE_PARM_DESC(watch_max_kib, "KiB of watch events queued in all lanes, at most");

static unsigned int xs_warn_ms = 5000;
module_param_named(watch_warn_ms, xs_warn_ms, uint, 0644);
MODULE_PARM_DESC(watch_warn_ms, "Warn when a watch callback runs longer (ms, 0: never)");

static unsigned int xs_stuck_ms = 1000;
module_param_named(watch_stuck_ms, xs_stuck_ms, uint, 0644);
MODULE_PARM_DESC(watch_stuck_ms,
		 "A watch callback running longer (ms) no longer counts against watch_lanes (0: always counts)");

/**
 * struct xs_queue_stats - what a lane (or all lanes) holds and has held
 * @events: events queued
 * @peak_events: the most ever queued
 * @bytes: bytes of the queued events
 * @peak_bytes: the most ever
 * @merged: events merged into a queued event for the same watch and path
 * @dropped: events dropped because a bound was reached
 * @resyncs: resyncs run after dropping
 */
struct xs_queue_stats {
	unsigned int events;
	unsigned int peak_events;
	size_t bytes;
	size_t peak_bytes;
	unsigned long merged;
	unsigned long dropped;
	unsigned long resyncs;
};

/**
 * struct xs_lane - the watch events of one other domain, run in order
 * @node: in xs_lanes, keyed by @domid
 * @domid: the other domain, or XS_LANE_LEGACY
 * @events: queued events, oldest first
 * @watches: the struct xs_lane_watch registered in this lane
 * @q: what is queued, and statistics
 * @ran: callbacks run
 * @refs: watches registered in this lane
 * @scheduled: @work is queued or running; only its worker clears it
 * @resync: events were dropped: resync once @events is empty
 * @resyncing: the worker is building the resync events, lock dropped
 * @warned: the callback running has been reported as slow
 * @running: the event whose callback runs, or NULL
 * @worker: the task running @running or the resync, or NULL
 * @since: jiffies when @running started
 * @work: runs the lane's callbacks on xs_lanes_wq
 *
 * Every field but @work is under xs_lanes_lock.
 */
struct xs_lane {
	struct hlist_node node;
	int domid;
	struct list_head events;
	struct list_head watches;
	struct xs_queue_stats q;
	unsigned long ran;
	unsigned int refs;
	bool scheduled;
	bool resync;
	bool resyncing;
	bool warned;
	struct xs_watch_event *running;
	struct task_struct *worker;
	unsigned long since;
	struct work_struct work;
};

/**
 * struct xs_lane_watch - a registered watch and its lane
 * @node: in xs_lane_watches, keyed by @watch; unhashed once unregistering
 * @lane_list: in @lane->watches, or in xs_path_watches
 * @watch: the watch
 * @lane: its lane, or NULL: each event's lane from its path
 * @gone: being unregistered: no more events, and none from a resync
 *
 * Under xs_lanes_lock.  An entry leaves @lane_list only once no callback
 * of @watch runs and no lane it can fire in is resyncing, so a resync may
 * walk the list with the lock dropped between entries.
 */
struct xs_lane_watch {
	struct hlist_node node;
	struct list_head lane_list;
	struct xenbus_watch *watch;
	struct xs_lane *lane;
	bool gone;
};

static void xs_lane_work(struct work_struct *work);
static void xs_lanes_watchdog(struct work_struct *work);

static DEFINE_SPINLOCK(xs_lanes_lock);
/* Lanes by domain, the legacy lane among them once used. */
static DEFINE_HASHTABLE(xs_lanes, 8);
/* Registered watches by address (their token). */
static DEFINE_HASHTABLE(xs_lane_watches, 8);
/* Queued events by watch and path, for merging. */
static DEFINE_HASHTABLE(xs_queued, 10);
/* Watches whose events each go to the lane their path names. */
static LIST_HEAD(xs_path_watches);
static struct xs_queue_stats xs_totals;
static unsigned int xs_nr_lanes;
/* xs_lanes_quiesce() calls not yet thawed: no callback may start. */
static unsigned int xs_frozen;
/* A lane ready for the reader thread, allocated outside the lock. */
static struct xs_lane *xs_spare_lane;
static bool xs_watchdog_armed;
/* Set once by xs_lanes_init(); until then events wait in their lanes. */
static struct workqueue_struct *xs_lanes_wq;
/* Workers added to xs_lanes_wq's bound for stuck callbacks (watchdog's). */
static unsigned int xs_lanes_extra;
/* Woken whenever a callback or resync ends. */
static DECLARE_WAIT_QUEUE_HEAD(xs_lanes_waitq);
static DECLARE_DELAYED_WORK(xs_watchdog, xs_lanes_watchdog);

static struct xs_lane xs_legacy_lane = {
	.domid = XS_LANE_LEGACY,
	.events = LIST_HEAD_INIT(xs_legacy_lane.events),
	.watches = LIST_HEAD_INIT(xs_legacy_lane.watches),
	.work = __WORK_INITIALIZER(xs_legacy_lane.work, xs_lane_work),
};

/**
 * xs_lanes_enabled - do watch callbacks run in lanes?
 *
 * Return: false when xenbus.watch_lanes=0 (one xenwatch thread).
 */
bool xs_lanes_enabled(void)
{
	return READ_ONCE(xs_watch_lanes) != 0;
}

static const char *xs_lane_name(const struct xs_lane *lane, char *buf,
				size_t len)
{
	if (lane->domid == XS_LANE_LEGACY)
		return "legacy";
	snprintf(buf, len, "%d", lane->domid);
	return buf;
}

/* ---- Lanes ---------------------------------------------------------- */

static struct xs_lane *xs_lane_alloc(gfp_t gfp)
{
	struct xs_lane *lane = kzalloc(sizeof(*lane), gfp);

	if (lane) {
		INIT_LIST_HEAD(&lane->events);
		INIT_LIST_HEAD(&lane->watches);
		INIT_WORK(&lane->work, xs_lane_work);
	}
	return lane;
}

static struct xs_lane *xs_lane_find(int domid)
{
	struct xs_lane *lane;

	lockdep_assert_held(&xs_lanes_lock);
	hash_for_each_possible(xs_lanes, lane, node, domid)
		if (lane->domid == domid)
			return lane;
	return NULL;
}

/*
 * Lane @domid, made from *@spare (taken, set to NULL) when it has none
 * yet, else allocated without sleeping.  NULL: out of memory.
 */
static struct xs_lane *xs_lane_get(int domid, struct xs_lane **spare)
{
	struct xs_lane *lane = xs_lane_find(domid);

	if (lane)
		return lane;
	if (domid == XS_LANE_LEGACY) {
		lane = &xs_legacy_lane;
	} else if (*spare) {
		lane = *spare;
		*spare = NULL;
	} else {
		lane = xs_lane_alloc(GFP_ATOMIC | __GFP_NOWARN);
		if (!lane)
			return NULL;
	}
	lane->domid = domid;
	hash_add(xs_lanes, &lane->node, domid);
	xs_nr_lanes++;
	return lane;
}

/* Unhash @lane if nothing needs it any more; true: the caller frees it. */
static bool xs_lane_unused(struct xs_lane *lane)
{
	lockdep_assert_held(&xs_lanes_lock);
	if (lane == &xs_legacy_lane || lane->refs || lane->scheduled ||
	    lane->resync || !list_empty(&lane->events))
		return false;
	hash_del(&lane->node);
	xs_nr_lanes--;
	return true;
}

/* Have a worker run @lane, unless one does or callbacks are frozen. */
static void xs_lane_kick(struct xs_lane *lane)
{
	lockdep_assert_held(&xs_lanes_lock);
	if (lane->scheduled || xs_frozen || !xs_lanes_wq)
		return;
	lane->scheduled = true;
	queue_work(xs_lanes_wq, &lane->work);
}

/*
 * The domain that an event's @path names under a by-path watch on @node:
 * <node>/<type>/<domid>[/...].  XS_LANE_LEGACY when it names none.
 */
static int xs_path_domid(const char *node, const char *path)
{
	size_t n = strlen(node);
	unsigned int domid = 0, digits = 0;

	if (strncmp(path, node, n) || path[n] != '/')
		return XS_LANE_LEGACY;
	path = strchr(path + n + 1, '/');
	if (!path)
		return XS_LANE_LEGACY;
	for (path++; *path >= '0' && *path <= '9'; path++) {
		if (++digits > 5)
			return XS_LANE_LEGACY;
		domid = domid * 10 + (*path - '0');
	}
	if (!digits || (*path && *path != '/') || domid >= DOMID_FIRST_RESERVED)
		return XS_LANE_LEGACY;
	return domid;
}

/* ---- Queued events -------------------------------------------------- */

static size_t xs_event_size(const struct xs_watch_event *ev)
{
	/* As the reader allocates them: the body and a NUL. */
	return sizeof(*ev) + ev->len + 1;
}

static u32 xs_event_key(const struct xenbus_watch *watch, const char *path)
{
	return full_name_hash(watch, path, strlen(path));
}

static void xs_stats_add(struct xs_queue_stats *q, size_t size)
{
	q->events++;
	q->bytes += size;
	q->peak_events = max(q->peak_events, q->events);
	q->peak_bytes = max(q->peak_bytes, q->bytes);
}

static void xs_stats_sub(struct xs_queue_stats *q, size_t size)
{
	q->events--;
	q->bytes -= size;
}

/* Is there room in @lane, and in all lanes, for @size more bytes? */
static bool xs_lane_has_room(const struct xs_lane *lane, size_t size)
{
	size_t lane_max = (size_t)READ_ONCE(xs_lane_max_kib) << 10;
	size_t all_max = (size_t)READ_ONCE(xs_max_kib) << 10;

	return lane->q.events < READ_ONCE(xs_lane_max_events) &&
	       lane->q.bytes + size <= lane_max &&
	       xs_totals.events < READ_ONCE(xs_max_events) &&
	       xs_totals.bytes + size <= all_max;
}

static void xs_lane_add(struct xs_lane *lane, struct xs_watch_event *ev)
{
	size_t size = xs_event_size(ev);

	lockdep_assert_held(&xs_lanes_lock);
	list_add_tail(&ev->list, &lane->events);
	hash_add(xs_queued, &ev->merge, xs_event_key(ev->handle, ev->path));
	xs_stats_add(&lane->q, size);
	xs_stats_add(&xs_totals, size);
	ev->handle->nr_pending++;
	xs_lane_kick(lane);
}

static void xs_lane_del(struct xs_lane *lane, struct xs_watch_event *ev)
{
	size_t size = xs_event_size(ev);

	lockdep_assert_held(&xs_lanes_lock);
	list_del(&ev->list);
	hash_del(&ev->merge);
	xs_stats_sub(&lane->q, size);
	xs_stats_sub(&xs_totals, size);
	ev->handle->nr_pending--;
}

/*
 * Merge @ev into a queued event for the same watch and path, if there is
 * one: @ev is freed and true returned.
 */
static bool xs_lane_merge(struct xs_lane *lane, struct xs_watch_event *ev)
{
	struct xs_watch_event *old;

	lockdep_assert_held(&xs_lanes_lock);
	hash_for_each_possible(xs_queued, old, merge,
			       xs_event_key(ev->handle, ev->path)) {
		if (old->handle == ev->handle && !strcmp(old->path, ev->path)) {
			lane->q.merged++;
			xs_totals.merged++;
			kfree(ev);
			return true;
		}
	}
	return false;
}

/* Drop @ev, past a bound: @lane resyncs once it has drained. */
static void xs_lane_overflow(struct xs_lane *lane, struct xs_watch_event *ev)
{
	char name[12];

	lockdep_assert_held(&xs_lanes_lock);
	lane->q.dropped++;
	xs_totals.dropped++;
	if (!lane->resync)
		pr_warn_ratelimited("watch lane %s full (%u events, %zu bytes; all lanes %u, %zu): dropping events from %s on, resync once drained\n",
				    xs_lane_name(lane, name, sizeof(name)),
				    lane->q.events, lane->q.bytes,
				    xs_totals.events, xs_totals.bytes,
				    ev->path);
	lane->resync = true;
	xs_lane_kick(lane);
	kfree(ev);
}

/* Queue @ev from the reader in @lane: merged, queued or dropped. */
static void xs_lane_queue(struct xs_lane *lane, struct xs_watch_event *ev)
{
	if (xs_lane_merge(lane, ev))
		return;
	if (!xs_lane_has_room(lane, xs_event_size(ev)))
		xs_lane_overflow(lane, ev);
	else
		xs_lane_add(lane, ev);
}

/* Drop the queued events of @watch in @lane, or in every lane if NULL. */
static void xs_drop_events(struct xenbus_watch *watch, struct xs_lane *lane)
{
	struct xs_watch_event *ev, *tmp;
	struct xs_lane *l;
	int bkt;

	lockdep_assert_held(&xs_lanes_lock);
	hash_for_each(xs_lanes, bkt, l, node) {
		if (lane && l != lane)
			continue;
		list_for_each_entry_safe(ev, tmp, &l->events, list) {
			if (ev->handle != watch)
				continue;
			xs_lane_del(l, ev);
			kfree(ev);
		}
	}
}

/* ---- Registered watches --------------------------------------------- */

static struct xs_lane_watch *xs_lane_watch_find(struct xenbus_watch *watch)
{
	struct xs_lane_watch *lw;

	lockdep_assert_held(&xs_lanes_lock);
	hash_for_each_possible(xs_lane_watches, lw, node, (unsigned long)watch)
		if (lw->watch == watch)
			return lw;
	return NULL;
}

/* The watch whose token (its address, as register_xenbus_watch() writes it) is @token. */
static struct xs_lane_watch *xs_lane_watch_by_token(const char *token)
{
	unsigned long addr;

	if (kstrtoul(token, 16, &addr))
		return NULL;
	return xs_lane_watch_find((struct xenbus_watch *)addr);
}

/**
 * xs_lanes_register - give a watch about to be registered its lane
 * @watch: the watch, not registered yet
 * @domid: the other domain whose lane runs its callbacks, XS_LANE_LEGACY
 *	for the legacy lane, or XS_LANE_BY_PATH for each event the lane of
 *	the domain its path names (@watch->node/<type>/<domid>/...)
 *
 * Called before the watch is set in xenstore, which fires it at once.
 *
 * Return: 0, or -ENOMEM.
 */
int xs_lanes_register(struct xenbus_watch *watch, int domid)
{
	struct xs_lane *spare = NULL, *lane;
	struct xs_lane_watch *lw;

	lw = kzalloc(sizeof(*lw), GFP_NOIO | __GFP_HIGH);
	if (domid >= 0)
		spare = xs_lane_alloc(GFP_NOIO | __GFP_HIGH);
	if (!lw || (domid >= 0 && !spare))
		goto out_nomem;

	spin_lock(&xs_lanes_lock);
	lw->watch = watch;
	if (domid == XS_LANE_BY_PATH) {
		list_add_tail(&lw->lane_list, &xs_path_watches);
	} else {
		lane = xs_lane_get(domid, &spare);
		lane->refs++;
		list_add_tail(&lw->lane_list, &lane->watches);
		lw->lane = lane;
	}
	hash_add(xs_lane_watches, &lw->node, (unsigned long)watch);
	spin_unlock(&xs_lanes_lock);
	kfree(spare);
	return 0;

out_nomem:
	kfree(spare);
	kfree(lw);
	return -ENOMEM;
}

/* Runs a callback of @watch, or a resync it can fire in, in another task? */
static bool xs_lane_busy_with(const struct xs_lane *lane,
			      const struct xenbus_watch *watch)
{
	if (!lane->worker || lane->worker == current)
		return false;
	return lane->resyncing || lane->running->handle == watch;
}

static bool xs_watch_busy(struct xenbus_watch *watch, struct xs_lane *lane)
{
	struct xs_lane *l;
	bool busy = false;
	int bkt;

	spin_lock(&xs_lanes_lock);
	if (lane) {
		busy = xs_lane_busy_with(lane, watch);
	} else {
		hash_for_each(xs_lanes, bkt, l, node)
			busy = busy || xs_lane_busy_with(l, watch);
	}
	spin_unlock(&xs_lanes_lock);
	return busy;
}

/**
 * xs_lanes_unregister - forget a watch that xenstore no longer fires
 * @watch: the watch, registered with xs_lanes_register()
 *
 * Waits until no callback of @watch runs, unless the caller runs in the
 * same lane (a callback may unregister its own watch or another of its
 * lane), then drops the watch's queued events.  It waits for nothing
 * else: other callbacks of the lane may take locks the caller holds
 * (device_lock() while a driver is unbound), and are no concern of the
 * caller, who only needs @watch left alone before freeing it.
 */
void xs_lanes_unregister(struct xenbus_watch *watch)
{
	struct xs_lane_watch *lw;
	struct xs_lane *lane;
	bool unused = false;

	spin_lock(&xs_lanes_lock);
	lw = xs_lane_watch_find(watch);
	if (WARN_ON_ONCE(!lw)) {
		spin_unlock(&xs_lanes_lock);
		return;
	}
	hash_del(&lw->node);
	lw->gone = true;
	lane = lw->lane;
	spin_unlock(&xs_lanes_lock);

	wait_event(xs_lanes_waitq, !xs_watch_busy(watch, lane));

	spin_lock(&xs_lanes_lock);
	list_del(&lw->lane_list);
	xs_drop_events(watch, lane);
	watch->nr_pending = 0;
	if (lane) {
		lane->refs--;
		unused = xs_lane_unused(lane);
	}
	spin_unlock(&xs_lanes_lock);
	kfree(lw);
	if (unused)
		kfree(lane);
}

/* ---- Reader side ---------------------------------------------------- */

/* The lane of an event for @lw at @path; NULL when out of memory. */
static struct xs_lane *xs_event_lane(struct xs_lane_watch *lw,
				     const char *path)
{
	if (lw->lane)
		return lw->lane;
	return xs_lane_get(xs_path_domid(lw->watch->node, path),
			   &xs_spare_lane);
}

/**
 * xs_lanes_watch_msg - queue a watch event from xenstore in its lane
 * @event: the event, with @path and @token set; taken over
 *
 * Called by the xenbus reader thread, which may sleep here.  The event is
 * queued in its watch's lane if the watch's will_handle() wants it and a
 * bound lets it, merged into a queued event for the same watch and path,
 * or dropped.
 *
 * Return: 0.
 */
int xs_lanes_watch_msg(struct xs_watch_event *event)
{
	struct xs_lane *spare = NULL, *lane;
	struct xs_lane_watch *lw;
	struct xenbus_watch *w;

	if (!READ_ONCE(xs_spare_lane))
		spare = xs_lane_alloc(GFP_NOIO | __GFP_HIGH);

	spin_lock(&xs_lanes_lock);
	if (spare && !xs_spare_lane) {
		WRITE_ONCE(xs_spare_lane, spare);
		spare = NULL;
	}
	lw = xs_lane_watch_by_token(event->token);
	w = lw ? lw->watch : NULL;
	if (!w || (w->will_handle &&
		   !w->will_handle(w, event->path, event->token)))
		goto drop;
	event->handle = w;
	lane = xs_event_lane(lw, event->path);
	if (!lane) {
		pr_err_ratelimited("out of memory for a watch lane: event for %s dropped\n",
				   event->path);
		goto drop;
	}
	xs_lane_queue(lane, event);
	spin_unlock(&xs_lanes_lock);
	kfree(spare);
	return 0;

drop:
	spin_unlock(&xs_lanes_lock);
	kfree(spare);
	kfree(event);
	return 0;
}

/* ---- Lane workers --------------------------------------------------- */

static void xs_watchdog_arm(void)
{
	unsigned int warn_ms = READ_ONCE(xs_warn_ms);
	unsigned int stuck_ms = READ_ONCE(xs_stuck_ms);
	unsigned int period;

	lockdep_assert_held(&xs_lanes_lock);
	if (xs_watchdog_armed ||
	    (!warn_ms && !stuck_ms && !READ_ONCE(xs_lanes_extra)))
		return;
	if (!warn_ms || (stuck_ms && stuck_ms < warn_ms))
		warn_ms = stuck_ms;
	period = clamp(warn_ms / 2, 10U, (unsigned int)XS_WATCHDOG_MAX_MS);
	xs_watchdog_armed = true;
	queue_delayed_work(system_wq, &xs_watchdog, msecs_to_jiffies(period));
}

/* Run the callback of @ev, first in @lane, with the lock dropped. */
static void xs_lane_run(struct xs_lane *lane, struct xs_watch_event *ev)
	__must_hold(&xs_lanes_lock)
{
	struct xenbus_watch *watch = ev->handle;
	char name[12];

	xs_lane_del(lane, ev);
	lane->running = ev;
	lane->worker = current;
	lane->since = jiffies;
	lane->warned = false;
	xs_watchdog_arm();
	spin_unlock(&xs_lanes_lock);

	/* @watch may be gone once this returns. */
	watch->callback(watch, ev->path, ev->token);

	spin_lock(&xs_lanes_lock);
	if (lane->warned)
		pr_warn("watch callback for %s (lane %s) returned after %u ms\n",
			ev->path, xs_lane_name(lane, name, sizeof(name)),
			jiffies_to_msecs(jiffies - lane->since));
	lane->running = NULL;
	lane->worker = NULL;
	lane->ran++;
	wake_up_all(&xs_lanes_waitq);
	kfree(ev);
}

/* A resync event: @watch fired at the path printed from @fmt. */
static __printf(3, 4)
void xs_resync_event(struct xenbus_watch *watch, struct list_head *evs,
		     const char *fmt, ...)
{
	struct xs_watch_event *ev;
	char token[sizeof(watch) * 2 + 1];
	size_t plen, tlen;
	va_list ap;
	char *path;

	va_start(ap, fmt);
	path = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!path)
		return;
	snprintf(token, sizeof(token), "%lX", (long)watch);
	plen = strlen(path) + 1;
	tlen = strlen(token) + 1;
	ev = kmalloc(sizeof(*ev) + plen + tlen + 1, GFP_KERNEL);
	if (ev) {
		memcpy(ev->body, path, plen);
		memcpy(ev->body + plen, token, tlen);
		ev->len = plen + tlen;
		ev->path = ev->body;
		ev->token = ev->body + plen;
		ev->handle = watch;
		list_add_tail(&ev->list, evs);
	}
	kfree(path);
}

/*
 * Domain @domid's part of the bus that by-path @watch covers, as events:
 * each <node>/<type>/<domid> (xenbus removes the devices of a domain
 * gone) and each device under it.
 */
static void xs_rescan_domain(struct xenbus_watch *watch, int domid,
			     struct list_head *evs)
{
	unsigned int nt, nd, i, j;
	char **types, **devs, *dir;

	types = xenbus_directory(XBT_NIL, watch->node, "", &nt);
	if (IS_ERR(types))
		return;
	for (i = 0; i < nt; i++) {
		dir = kasprintf(GFP_KERNEL, "%s/%s/%d", watch->node, types[i],
				domid);
		if (!dir)
			break;
		xs_resync_event(watch, evs, "%s", dir);
		devs = xenbus_directory(XBT_NIL, dir, "", &nd);
		for (j = 0; !IS_ERR(devs) && j < nd; j++)
			xs_resync_event(watch, evs, "%s/%s", dir, devs[j]);
		if (!IS_ERR(devs))
			kfree(devs);
		kfree(dir);
	}
	kfree(types);
}

/*
 * The resync events of @lane for the watches on list @watches: each
 * watch fires at its own node, as registering it does, and a by-path
 * watch rescans the lane's domain.  The lock is dropped around each
 * watch: entries stay listed while @lane is resyncing.
 */
static void xs_resync_watches(struct xs_lane *lane, struct list_head *watches,
			      struct list_head *evs)
	__must_hold(&xs_lanes_lock)
{
	struct xs_lane_watch *lw;
	struct xenbus_watch *w;

	list_for_each_entry(lw, watches, lane_list) {
		if (lw->gone)
			continue;
		w = lw->watch;
		spin_unlock(&xs_lanes_lock);
		if (lw->lane)
			xs_resync_event(w, evs, "%s", w->node);
		else if (lane->domid >= 0)
			xs_rescan_domain(w, lane->domid, evs);
		spin_lock(&xs_lanes_lock);
	}
}

/* Resync @lane after dropped events, with the lock dropped meanwhile. */
static void xs_lane_resync(struct xs_lane *lane)
	__must_hold(&xs_lanes_lock)
{
	struct xs_watch_event *ev, *tmp;
	struct xs_lane_watch *lw;
	unsigned int n = 0;
	char name[12];
	LIST_HEAD(evs);

	lane->resync = false;
	lane->resyncing = true;
	lane->worker = current;
	lane->q.resyncs++;
	xs_totals.resyncs++;
	xs_resync_watches(lane, &lane->watches, &evs);
	xs_resync_watches(lane, &xs_path_watches, &evs);

	list_for_each_entry_safe(ev, tmp, &evs, list) {
		list_del(&ev->list);
		lw = xs_lane_watch_find(ev->handle);
		if (!lw || lw->gone || xs_lane_merge(lane, ev)) {
			if (!lw || lw->gone)
				kfree(ev);
			continue;
		}
		xs_lane_add(lane, ev);
		n++;
	}
	pr_info_ratelimited("watch lane %s resynced after dropping events: %u events\n",
			    xs_lane_name(lane, name, sizeof(name)), n);
	lane->resyncing = false;
	lane->worker = NULL;
	wake_up_all(&xs_lanes_waitq);
}

static void xs_lane_work(struct work_struct *work)
{
	struct xs_lane *lane = container_of(work, struct xs_lane, work);
	unsigned int budget = XS_LANE_BATCH;
	struct xs_watch_event *ev;
	bool unused;

	spin_lock(&xs_lanes_lock);
	while (!xs_frozen) {
		if (!budget--) {
			/* Let the other lanes have a worker: to the back. */
			queue_work(xs_lanes_wq, &lane->work);
			spin_unlock(&xs_lanes_lock);
			return;
		}
		ev = list_first_entry_or_null(&lane->events,
					      struct xs_watch_event, list);
		if (ev)
			xs_lane_run(lane, ev);
		else if (lane->resync)
			xs_lane_resync(lane);
		else
			break;
	}
	lane->scheduled = false;
	unused = xs_lane_unused(lane);
	spin_unlock(&xs_lanes_lock);
	if (unused)
		kfree(lane);
}

/*
 * Give the workqueue one more worker for each of @stuck callbacks, up to
 * twice watch_lanes (and WQ_UNBOUND_MAX_ACTIVE): a stuck lane no longer
 * takes a worker from the others.  Called by the watchdog only.
 */
static void xs_lanes_set_extra(unsigned int stuck)
{
	unsigned int lanes = READ_ONCE(xs_watch_lanes);

	if (!xs_lanes_wq)
		return;
	stuck = min3(stuck, lanes, (unsigned int)XS_LANES_MAX_ACTIVE - lanes);
	if (stuck == xs_lanes_extra)
		return;
	WRITE_ONCE(xs_lanes_extra, stuck);
	workqueue_set_max_active(xs_lanes_wq, lanes + stuck);
}

static void xs_lanes_watchdog(struct work_struct *work)
{
	unsigned int ms, stuck = 0, warn_ms = READ_ONCE(xs_warn_ms);
	unsigned int stuck_ms = READ_ONCE(xs_stuck_ms);
	struct xs_lane *lane;
	bool running = false;
	char name[12];
	int bkt;

	spin_lock(&xs_lanes_lock);
	hash_for_each(xs_lanes, bkt, lane, node) {
		if (!lane->running)
			continue;
		running = true;
		ms = jiffies_to_msecs(jiffies - lane->since);
		if (stuck_ms && ms >= stuck_ms)
			stuck++;
		if (lane->warned || !warn_ms || ms < warn_ms)
			continue;
		lane->warned = true;
		pr_warn("watch callback for %s (lane %s) has run for %u ms; the lane's other watches wait\n",
			lane->running->path,
			xs_lane_name(lane, name, sizeof(name)), ms);
	}
	xs_watchdog_armed = false;
	spin_unlock(&xs_lanes_lock);
	xs_lanes_set_extra(stuck);
	spin_lock(&xs_lanes_lock);
	if (running || xs_lanes_extra)
		xs_watchdog_arm();
	spin_unlock(&xs_lanes_lock);
}

/* ---- Suspend -------------------------------------------------------- */

static bool xs_lanes_busy(void)
{
	struct xs_lane *lane;
	bool busy = false;
	int bkt;

	spin_lock(&xs_lanes_lock);
	hash_for_each(xs_lanes, bkt, lane, node)
		busy = busy || (lane->worker && lane->worker != current);
	spin_unlock(&xs_lanes_lock);
	return busy;
}

/**
 * xs_lanes_quiesce - stop every lane but the caller's
 *
 * For suspend, itself a watch callback: once this returns, no callback
 * runs but the caller's, and none starts until xs_lanes_thaw().  Events
 * keep arriving and are queued, bounded as always.
 */
void xs_lanes_quiesce(void)
{
	spin_lock(&xs_lanes_lock);
	xs_frozen++;
	spin_unlock(&xs_lanes_lock);
	wait_event(xs_lanes_waitq, !xs_lanes_busy());
}

/**
 * xs_lanes_thaw - undo xs_lanes_quiesce()
 *
 * The lanes run what they queued meanwhile, in order.
 */
void xs_lanes_thaw(void)
{
	struct xs_lane *lane;
	int bkt;

	spin_lock(&xs_lanes_lock);
	if (!WARN_ON_ONCE(!xs_frozen) && !--xs_frozen) {
		hash_for_each(xs_lanes, bkt, lane, node)
			if (!list_empty(&lane->events) || lane->resync)
				xs_lane_kick(lane);
	}
	spin_unlock(&xs_lanes_lock);
}

/* ---- debugfs and start-up ------------------------------------------- */

static void xs_show_queue(struct seq_file *m, const struct xs_queue_stats *q)
{
	seq_printf(m, " queued %u bytes %zu peak %u peak_bytes %zu merged %lu dropped %lu resyncs %lu",
		   q->events, q->bytes, q->peak_events, q->peak_bytes,
		   q->merged, q->dropped, q->resyncs);
}

static void xs_show_lane(struct seq_file *m, const struct xs_lane *lane)
{
	char name[12];

	seq_printf(m, "lane %s", xs_lane_name(lane, name, sizeof(name)));
	xs_show_queue(m, &lane->q);
	seq_printf(m, " ran %lu", lane->ran);
	if (lane->running)
		seq_printf(m, " running_ms %u running %s",
			   jiffies_to_msecs(jiffies - lane->since),
			   lane->running->path);
	else if (lane->resyncing)
		seq_puts(m, " resyncing");
	seq_putc(m, '\n');
}

/* debugfs xenbus/watch_lanes: the bounds, all lanes, then each lane. */
static int xs_lanes_show(struct seq_file *m, void *unused)
{
	struct xs_lane *lane;
	int bkt;

	spin_lock(&xs_lanes_lock);
	seq_printf(m, "lanes %u at_once %u frozen %u lane_max_events %u lane_max_kib %u max_events %u max_kib %u stuck_ms %u stuck_extra %u warn_ms %u\n",
		   xs_nr_lanes, READ_ONCE(xs_watch_lanes), xs_frozen,
		   READ_ONCE(xs_lane_max_events), READ_ONCE(xs_lane_max_kib),
		   READ_ONCE(xs_max_events), READ_ONCE(xs_max_kib),
		   READ_ONCE(xs_stuck_ms), READ_ONCE(xs_lanes_extra),
		   READ_ONCE(xs_warn_ms));
	seq_puts(m, "all");
	xs_show_queue(m, &xs_totals);
	seq_putc(m, '\n');
	hash_for_each(xs_lanes, bkt, lane, node)
		xs_show_lane(m, lane);
	spin_unlock(&xs_lanes_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xs_lanes);

/**
 * xs_lanes_init - start the lanes' workqueue
 *
 * On failure the lanes are off (xenbus.watch_lanes=0) and the caller
 * starts the xenwatch thread instead.
 *
 * Return: 0, or -ENOMEM.
 */
int xs_lanes_init(void)
{
	unsigned int max = clamp(xs_watch_lanes, 1U,
				 (unsigned int)XS_LANES_MAX_ACTIVE);
	struct workqueue_struct *wq;
	struct xs_lane *lane;
	struct dentry *dir;
	int bkt;

	wq = alloc_workqueue("xenwatch", WQ_UNBOUND | WQ_MEM_RECLAIM, max);
	if (!wq) {
		pr_warn("no workqueue for the watch lanes: one xenwatch thread runs every callback\n");
		WRITE_ONCE(xs_watch_lanes, 0);
		return -ENOMEM;
	}
	WRITE_ONCE(xs_watch_lanes, max);
	spin_lock(&xs_lanes_lock);
	xs_lanes_wq = wq;
	hash_for_each(xs_lanes, bkt, lane, node)
		if (!list_empty(&lane->events))
			xs_lane_kick(lane);
	spin_unlock(&xs_lanes_lock);

	dir = debugfs_create_dir("xenbus", NULL);
	debugfs_create_file("watch_lanes", 0400, dir, NULL, &xs_lanes_fops);
	pr_info("watch callbacks run in per-domain lanes, %u at once\n", max);
	return 0;
}
