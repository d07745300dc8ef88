// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the xenbus watch lanes (drivers/xen/xenbus/xenbus_lanes.c).
 *
 * The dispatcher's source is compiled into this module, so the module has
 * lanes of its own, apart from the running kernel's, on a workqueue of
 * its own.  The cases play the xenbus reader: each event is made as the
 * reader makes it, with the watch's token, and handed to
 * xs_lanes_watch_msg(); callbacks run on real kernel workers.  Checked:
 * which lane each event goes to (a watch's domain, the domain its path
 * names, the legacy lane), order and no overlap within a lane, merging,
 * will_handle(), the bounds per lane and in all lanes in events and in
 * KiB (the event past a bound dropped, its lane resynced once drained:
 * the lane's watches fire once at their own nodes), and a stalled
 * callback holding up its own lane only, unregistering in another lane
 * included.  No case reads or writes xenstore.
 *
 * The userspace harness (tools/testing/xenwatch) runs the same file
 * under ThreadSanitizer with a fake xenstore, and more cases; this suite
 * runs it in a kernel, on the kernel's own workqueues and scheduler.
 */
#include "../../../drivers/xen/xenbus/xenbus_lanes.c"
#include "../common/test.h"
#include "../xenwatch/lanes_shared.h"

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>

/* How long a case waits for callbacks before it calls it a hang. */
#define KL_TIMEOUT_MS	30000
#define KL_DOMS		8

/* What the callbacks of one domain's lane saw. */
struct kl_dom {
	unsigned long last_seq;
	atomic_t inside;	/* callbacks of the lane running now */
	atomic_t overlaps;
	atomic_t bad_order;
};

/* A test watch and what its callbacks saw. */
struct kl_watch {
	struct xenbus_watch w;
	char node[48];
	int lane;		/* its lane: a domain, legacy or by path */
	struct kl_dom *dom;	/* order checked here, if set */
	atomic_t calls;
	atomic_t at_node;	/* callbacks at its own node: resyncs */
	atomic_t after;		/* callbacks at a path ending "/after" */
	atomic_t wrong_lane;	/* callbacks run by another lane's worker */
};

static struct kl_dom kl_doms[KL_DOMS + 1];

/* The stall: a callback at a path ending "/stall" waits for kl_gate. */
static DECLARE_COMPLETION(kl_entered);
static DECLARE_COMPLETION(kl_gate);
static bool kl_stall_over;

static bool kl_path_ends(const char *path, const char *leaf)
{
	const char *p = strrchr(path, '/');

	return p && !strcmp(p + 1, leaf);
}

/* The lane whose worker runs the caller, or INT_MIN. */
static int kl_current_lane(void)
{
	struct xs_lane *lane;
	int bkt, domid = INT_MIN;

	spin_lock(&xs_lanes_lock);
	hash_for_each(xs_lanes, bkt, lane, node)
		if (lane->worker == current)
			domid = lane->domid;
	spin_unlock(&xs_lanes_lock);
	return domid;
}

/* Events carry their domain's sequence number as their last component. */
static void kl_dom_event(struct kl_dom *d, const char *path)
{
	const char *leaf = strrchr(path, '/');
	unsigned long seq;

	if (atomic_inc_return(&d->inside) != 1)
		atomic_inc(&d->overlaps);
	if (leaf && !kstrtoul(leaf + 1, 10, &seq)) {
		if (seq <= d->last_seq)
			atomic_inc(&d->bad_order);
		d->last_seq = seq;
		udelay(seq % 7 * 20);
	}
	atomic_dec(&d->inside);
}

static void kl_stall(void)
{
	complete(&kl_entered);
	wait_for_completion_timeout(&kl_gate, msecs_to_jiffies(KL_TIMEOUT_MS));
	WRITE_ONCE(kl_stall_over, true);
}

static void kl_cb(struct xenbus_watch *w, const char *path, const char *token)
{
	struct kl_watch *kw = container_of(w, struct kl_watch, w);
	int lane = kw->lane;

	if (lane == XS_LANE_BY_PATH)
		lane = xs_path_domid(w->node, path);
	if (kl_current_lane() != lane)
		atomic_inc(&kw->wrong_lane);
	if (!strcmp(path, w->node))
		atomic_inc(&kw->at_node);
	else if (kl_path_ends(path, "stall"))
		kl_stall();
	else if (kl_path_ends(path, "after"))
		atomic_inc(&kw->after);
	if (kw->dom)
		kl_dom_event(kw->dom, path);
	atomic_inc(&kw->calls);
}

static void kl_init(struct kl_watch *kw, int lane, const char *node)
{
	memset(kw, 0, sizeof(*kw));
	strscpy(kw->node, node, sizeof(kw->node));
	kw->w.node = kw->node;
	kw->w.callback = kl_cb;
	kw->lane = lane;
}

/* Register @kw in @lane, watching /local/domain/@domid/@leaf. */
static void kl_register(struct kl_watch *kw, int lane, int domid,
			const char *leaf)
{
	char node[48];

	snprintf(node, sizeof(node), "/local/domain/%d/%s", domid, leaf);
	kl_init(kw, lane, node);
	CHECK_EQ(xs_lanes_register(&kw->w, lane), 0);
}

/* An event for @w at the path printed from @fmt, as the reader hands it. */
static __printf(2, 3)
void kl_fire(struct xenbus_watch *w, const char *fmt, ...)
{
	struct xs_watch_event *ev;
	char path[256];
	LIST_HEAD(evs);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	/* The resync's events are made as the reader makes them. */
	xs_resync_event(w, &evs, "%s", path);
	ev = list_first_entry_or_null(&evs, struct xs_watch_event, list);
	CHECK(ev);
	if (ev) {
		list_del(&ev->list);
		CHECK_EQ(xs_lanes_watch_msg(ev), 0);
	}
}

/* The size the bounds count for an event of @w at a path @plen long. */
static size_t kl_event_size(struct xenbus_watch *w, size_t plen)
{
	char token[sizeof(w) * 2 + 1];

	snprintf(token, sizeof(token), "%lX", (long)w);
	return sizeof(struct xs_watch_event) + plen + 1 + strlen(token) + 1 + 1;
}

/* Lane @domid's statistics, or NULL when it has no lane. */
static struct xs_queue_stats *kl_q(int domid)
{
	struct xs_lane *lane;

	spin_lock(&xs_lanes_lock);
	lane = xs_lane_find(domid);
	spin_unlock(&xs_lanes_lock);
	CHECK(lane);
	return lane ? &lane->q : NULL;
}

static long kl_queued(int domid)
{
	struct xs_queue_stats *q = kl_q(domid);

	return q ? (long)q->events : -1;
}

static long kl_dropped(int domid)
{
	struct xs_queue_stats *q = kl_q(domid);

	return q ? (long)q->dropped : -1;
}

/* Wait until @done(@arg), at most KL_TIMEOUT_MS; false on a hang. */
static bool kl_wait(bool (*done)(atomic_t *, int), atomic_t *arg, int n)
{
	unsigned long end = jiffies + msecs_to_jiffies(KL_TIMEOUT_MS);

	while (!done(arg, n) && time_before(jiffies, end))
		usleep_range(2000, 5000);
	return done(arg, n);
}

static bool kl_idle_done(atomic_t *unused, int n)
{
	return xw_lanes_idle();
}

static bool kl_count_done(atomic_t *count, int n)
{
	return atomic_read(count) == n;
}

static bool kl_extra_done(atomic_t *unused, int n)
{
	return !READ_ONCE(xs_lanes_extra);
}

/* Wait until every lane is idle. */
static bool kl_wait_idle(void)
{
	return kl_wait(kl_idle_done, NULL, 0);
}

/* Wait until *@count is @n. */
static bool kl_wait_count(atomic_t *count, int n)
{
	return kl_wait(kl_count_done, count, n);
}

/* Start this module's lanes, @at_once callbacks at a time. */
static void kl_start(unsigned int at_once)
{
	struct workqueue_struct *wq;

	memset(kl_doms, 0, sizeof(kl_doms));
	wq = alloc_workqueue("xenwatch-kunit", WQ_UNBOUND | WQ_MEM_RECLAIM,
			     at_once);
	KUNIT_ASSERT_NOT_NULL(t_kunit, wq);
	WRITE_ONCE(xs_watch_lanes, at_once);
	spin_lock(&xs_lanes_lock);
	xs_lanes_wq = wq;
	spin_unlock(&xs_lanes_lock);
}

/*
 * Stop: every watch is unregistered by now.  Nothing may be left queued,
 * no lane but the legacy one; the state is reset for the next case.
 */
static void kl_stop(void)
{
	CHECK(kl_wait_idle());
	flush_workqueue(xs_lanes_wq);
	/* The watchdog is this module's code: it must not outlive a case. */
	cancel_delayed_work_sync(&xs_watchdog);
	spin_lock(&xs_lanes_lock);
	xs_watchdog_armed = false;
	WRITE_ONCE(xs_lanes_extra, 0);
	spin_unlock(&xs_lanes_lock);
	destroy_workqueue(xw_reset_lanes());
}

/* Before each case: the default bounds, and no watchdog unless asked. */
static void kl_setup(void)
{
	xw_default_bounds();
	WRITE_ONCE(xs_stuck_ms, 0);
}

/* ---- Which lane ------------------------------------------------------- */

static void path_names_lane(void)
{
	xw_check_path_cases();
}

/*
 * Each event is queued in its lane (seen while the lanes are frozen) and
 * run by that lane's worker; an event for no registered watch is dropped;
 * a lane with no watch goes once it has run.
 */
static void lane_per_domain(void)
{
	struct kl_watch a, a2, b, leg, bus;
	struct xenbus_watch stranger = { .node = "nowhere" };

	kl_start(4);
	kl_register(&a, 1, 1, "data");
	kl_register(&a2, 1, 1, "device/vbd/0/state");
	kl_register(&b, 2, 2, "data");
	kl_register(&leg, XS_LANE_LEGACY, 0, "control");
	/* Never set in xenstore: no case reads it (a resync would). */
	kl_init(&bus, XS_LANE_BY_PATH, "kunit-backend");
	CHECK_EQ(xs_lanes_register(&bus.w, XS_LANE_BY_PATH), 0);
	xs_lanes_quiesce();
	kl_fire(&a.w, "/local/domain/1/data/x");
	kl_fire(&b.w, "/local/domain/2/data/x");
	kl_fire(&a2.w, "/local/domain/1/device/vbd/0/state");
	kl_fire(&leg.w, "/local/domain/0/control/shutdown");
	kl_fire(&bus.w, "kunit-backend/vbd/3/51712/state");
	kl_fire(&bus.w, "kunit-backend/vbd");
	kl_fire(&stranger, "nowhere/x");

	CHECK_EQ(kl_queued(1), 2);
	CHECK_EQ(kl_queued(2), 1);
	CHECK_EQ(kl_queued(3), 1);
	CHECK_EQ(kl_queued(XS_LANE_LEGACY), 2);
	CHECK_EQ(xs_totals.events, 6);
	CHECK_EQ(xs_nr_lanes, 4);
	CHECK_EQ(xs_totals.dropped, 0);
	CHECK_EQ(a.w.nr_pending, 1);
	CHECK_EQ(bus.w.nr_pending, 2);
	xs_lanes_thaw();

	CHECK(kl_wait_idle());
	CHECK_EQ(atomic_read(&a.calls) + atomic_read(&a2.calls), 2);
	CHECK_EQ(atomic_read(&b.calls), 1);
	CHECK_EQ(atomic_read(&leg.calls), 1);
	CHECK_EQ(atomic_read(&bus.calls), 2);
	CHECK_EQ(atomic_read(&a.wrong_lane) + atomic_read(&a2.wrong_lane) +
		 atomic_read(&b.wrong_lane) + atomic_read(&leg.wrong_lane) +
		 atomic_read(&bus.wrong_lane), 0);
	/* Lane 3 had no watch: gone; 1, 2 and the legacy lane stay. */
	CHECK_EQ(xs_nr_lanes, 3);
	xs_lanes_unregister(&a.w);
	CHECK_EQ(xs_nr_lanes, 3);
	xs_lanes_unregister(&a2.w);
	xs_lanes_unregister(&b.w);
	xs_lanes_unregister(&leg.w);
	xs_lanes_unregister(&bus.w);
	CHECK_EQ(xs_nr_lanes, 1);
	kl_stop();
}

/* ---- Order ------------------------------------------------------------ */

/*
 * Two watches in each of eight lanes, 800 events interleaved at random:
 * in each lane they run one at a time, in the order they came, all run.
 */
static void order_in_lane(void)
{
	static struct kl_watch w[KL_DOMS + 1][2];
	unsigned long seq[KL_DOMS + 1] = {};
	int d, i, j, calls = 0;

	kl_start(4);
	for (d = 1; d <= KL_DOMS; d++) {
		kl_register(&w[d][0], d, d, "data");
		kl_register(&w[d][1], d, d, "device/vif/0");
		w[d][0].dom = &kl_doms[d];
		w[d][1].dom = &kl_doms[d];
	}
	t_rng_state = 0x5eed1a9e5ULL;
	for (i = 0; i < 800; i++) {
		d = t_rng() % KL_DOMS + 1;
		j = t_rng() & 1;
		kl_fire(&w[d][j].w, "%s/ev/%lu", w[d][j].node, ++seq[d]);
	}
	CHECK(kl_wait_idle());
	for (d = 1; d <= KL_DOMS; d++) {
		T_CASE("domain %d", d);
		CHECK_EQ(atomic_read(&kl_doms[d].bad_order), 0);
		CHECK_EQ(atomic_read(&kl_doms[d].overlaps), 0);
		CHECK_EQ(atomic_read(&w[d][0].wrong_lane) +
			 atomic_read(&w[d][1].wrong_lane), 0);
		calls += atomic_read(&w[d][0].calls) +
			 atomic_read(&w[d][1].calls);
		xs_lanes_unregister(&w[d][0].w);
		xs_lanes_unregister(&w[d][1].w);
	}
	T_CASE_END();
	CHECK_EQ(calls, 800);
	kl_stop();
}

/* ---- Merging and will_handle() ---------------------------------------- */

/* While frozen, 100 events at one path queue one; unregistering drops it. */
static void merge_and_unregister(void)
{
	struct kl_watch a, b;
	int i;

	kl_start(4);
	kl_register(&a, 1, 1, "data");
	kl_register(&b, 1, 1, "device");
	xs_lanes_quiesce();
	for (i = 0; i < 100; i++)
		kl_fire(&a.w, "/local/domain/1/data/key");
	CHECK_EQ(a.w.nr_pending, 1);
	CHECK_EQ(kl_queued(1), 1);
	CHECK_EQ(kl_q(1) ? (long)kl_q(1)->merged : -1, 99);
	/* b's events at the same path are b's own. */
	kl_fire(&b.w, "/local/domain/1/data/key");
	kl_fire(&b.w, "/local/domain/1/device/x");
	CHECK_EQ(kl_queued(1), 3);
	xs_lanes_unregister(&b.w);
	CHECK_EQ(kl_queued(1), 1);
	CHECK_EQ(xs_totals.events, 1);
	xs_lanes_thaw();
	CHECK(kl_wait_idle());
	CHECK_EQ(atomic_read(&a.calls), 1);
	CHECK_EQ(atomic_read(&b.calls), 0);
	CHECK_EQ(a.w.nr_pending, 0);
	xs_lanes_unregister(&a.w);
	kl_stop();
}

/* frontend_will_handle(): at most one event of the watch pending. */
static bool kl_one_pending(struct xenbus_watch *w, const char *path,
			   const char *token)
{
	return w->nr_pending == 0;
}

static void will_handle_filters(void)
{
	struct kl_watch a;
	int i;

	kl_start(4);
	kl_init(&a, 4, "/local/domain/4/device/vbd/0");
	a.w.will_handle = kl_one_pending;
	CHECK_EQ(xs_lanes_register(&a.w, 4), 0);
	xs_lanes_quiesce();
	for (i = 0; i < 10; i++)
		kl_fire(&a.w, "/local/domain/4/device/vbd/0/k%d", i);
	CHECK_EQ(kl_queued(4), 1);
	/* Not wanted is not dropped past a bound: no resync. */
	CHECK_EQ(kl_dropped(4), 0);
	xs_lanes_thaw();
	CHECK(kl_wait_idle());
	CHECK_EQ(atomic_read(&a.calls), 1);
	CHECK_EQ(atomic_read(&a.at_node), 0);
	xs_lanes_unregister(&a.w);
	kl_stop();
}

/* ---- Bounds ----------------------------------------------------------- */

/*
 * A lane full at 4 events drops the rest, the other lane takes its own;
 * once drained, the full lane resyncs: its watch fires at its node.
 */
static void lane_event_bound(void)
{
	struct kl_watch a, b;
	int i;

	kl_start(4);
	kl_register(&a, 1, 1, "data");
	kl_register(&b, 2, 2, "data");
	a.dom = &kl_doms[1];
	WRITE_ONCE(xs_lane_max_events, 4);
	xs_lanes_quiesce();
	for (i = 1; i <= 10; i++)
		kl_fire(&a.w, "/local/domain/1/data/%d", i);
	for (i = 1; i <= 3; i++)
		kl_fire(&b.w, "/local/domain/2/data/%d", i);
	CHECK_EQ(kl_queued(1), 4);
	CHECK_EQ(kl_dropped(1), 6);
	CHECK_EQ(kl_queued(2), 3);
	CHECK_EQ(kl_dropped(2), 0);
	CHECK_EQ(xs_totals.dropped, 6);
	xs_lanes_thaw();
	CHECK(kl_wait_idle());
	/* The four queued, in order, then the resync at a's node. */
	CHECK_EQ(atomic_read(&a.calls), 5);
	CHECK_EQ(atomic_read(&a.at_node), 1);
	CHECK_EQ(kl_doms[1].last_seq, 4);
	CHECK_EQ(atomic_read(&kl_doms[1].bad_order), 0);
	CHECK_EQ(atomic_read(&b.calls), 3);
	CHECK_EQ(atomic_read(&b.at_node), 0);
	CHECK_EQ(kl_q(1) ? (long)kl_q(1)->resyncs : -1, 1);
	CHECK_EQ(kl_q(2) ? (long)kl_q(2)->resyncs : -1, 0);
	xs_lanes_unregister(&a.w);
	xs_lanes_unregister(&b.w);
	kl_stop();
}

/* A path of @len characters under @node, numbered @i. */
static void kl_long_path(char *buf, size_t size, const char *node, int i,
			 size_t len)
{
	size_t n = snprintf(buf, size, "%s/%d/", node, i);

	if (n < len && len < size) {
		memset(buf + n, 'k', len - n);
		buf[len] = '\0';
	}
}

/* A lane bound in KiB: what is queued stays within it, the rest drops. */
static void lane_kib_bound(void)
{
	struct kl_watch a;
	char path[256];
	size_t size = kl_event_size(&a.w, 200);
	unsigned int fits = 1024 / size;
	int i;

	kl_start(4);
	kl_register(&a, 1, 1, "data");
	WRITE_ONCE(xs_lane_max_kib, 1);
	xs_lanes_quiesce();
	for (i = 0; i < 20; i++) {
		kl_long_path(path, sizeof(path), a.node, i + 10, 200);
		kl_fire(&a.w, "%s", path);
	}
	CHECK(fits > 1 && fits < 20);
	CHECK_EQ(kl_queued(1), fits);
	CHECK(kl_q(1) && kl_q(1)->bytes <= 1024);
	CHECK_EQ(kl_q(1) ? kl_q(1)->bytes : 0, fits * size);
	CHECK_EQ(kl_dropped(1), 20 - fits);
	xs_lanes_thaw();
	CHECK(kl_wait_idle());
	CHECK_EQ(atomic_read(&a.calls), fits + 1);
	CHECK_EQ(atomic_read(&a.at_node), 1);
	xs_lanes_unregister(&a.w);
	kl_stop();
}

/*
 * The bounds of all lanes: 6 events in all, then 1 KiB in all.  The
 * lane that met the bound drops and resyncs; the lanes before it keep
 * theirs and do not resync.
 */
static void all_lanes_bound(void)
{
	struct kl_watch w[4];
	char path[256];
	size_t size = kl_event_size(&w[1].w, 100);
	unsigned int fits = 1024 / size;
	int d, i;

	kl_start(4);
	for (d = 1; d <= 3; d++)
		kl_register(&w[d], d, d, "data");
	WRITE_ONCE(xs_max_events, 6);
	xs_lanes_quiesce();
	for (d = 1; d <= 3; d++)
		for (i = 1; i <= 3; i++)
			kl_fire(&w[d].w, "/local/domain/%d/data/%d", d, i);
	CHECK_EQ(xs_totals.events, 6);
	CHECK_EQ(kl_queued(1), 3);
	CHECK_EQ(kl_queued(2), 3);
	CHECK_EQ(kl_queued(3), 0);
	CHECK_EQ(kl_dropped(3), 3);
	xs_lanes_thaw();
	CHECK(kl_wait_idle());
	CHECK_EQ(atomic_read(&w[1].calls), 3);
	CHECK_EQ(atomic_read(&w[2].calls), 3);
	CHECK_EQ(atomic_read(&w[3].calls), 1);
	CHECK_EQ(atomic_read(&w[1].at_node) + atomic_read(&w[2].at_node), 0);
	CHECK_EQ(atomic_read(&w[3].at_node), 1);

	/* Now in KiB: lane 1 takes 2 events, lane 2 the room left. */
	WRITE_ONCE(xs_max_events, 65536);
	WRITE_ONCE(xs_max_kib, 1);
	xs_lanes_quiesce();
	for (i = 0; i < 2; i++) {
		kl_long_path(path, sizeof(path), w[1].node, i, 100);
		kl_fire(&w[1].w, "%s", path);
	}
	for (i = 0; i < 20; i++) {
		kl_long_path(path, sizeof(path), w[2].node, i, 100);
		kl_fire(&w[2].w, "%s", path);
	}
	CHECK(fits > 2 && fits < 22);
	CHECK_EQ(xs_totals.events, fits);
	CHECK(xs_totals.bytes <= 1024);
	CHECK_EQ(kl_queued(1), 2);
	CHECK_EQ(kl_queued(2), fits - 2);
	CHECK_EQ(kl_dropped(1), 0);
	CHECK_EQ(kl_dropped(2), 20 - (fits - 2));
	xs_lanes_thaw();
	CHECK(kl_wait_idle());
	CHECK_EQ(atomic_read(&w[1].at_node), 0);
	CHECK_EQ(atomic_read(&w[2].at_node), 1);
	for (d = 1; d <= 3; d++)
		xs_lanes_unregister(&w[d].w);
	kl_stop();
}

/* ---- A stalled lane --------------------------------------------------- */

/*
 * With two workers, one callback of lane 1 stalls: lanes 2 to 8 still
 * run all their events, and a watch of lane 2 can be unregistered, while
 * lane 1's next event waits behind the stall; it runs once the stall
 * ends.
 */
static void stalled_lane(void)
{
	static struct kl_watch w[KL_DOMS + 1];
	bool all_ran = true, over;
	int d, i;

	reinit_completion(&kl_entered);
	reinit_completion(&kl_gate);
	WRITE_ONCE(kl_stall_over, false);
	kl_start(2);
	for (d = 1; d <= KL_DOMS; d++)
		kl_register(&w[d], d, d, "data");
	kl_fire(&w[1].w, "/local/domain/1/data/stall");
	CHECK(wait_for_completion_timeout(&kl_entered,
					  msecs_to_jiffies(KL_TIMEOUT_MS)));
	kl_fire(&w[1].w, "/local/domain/1/data/after");
	for (d = 2; d <= KL_DOMS; d++)
		for (i = 0; i < 5; i++)
			kl_fire(&w[d].w, "/local/domain/%d/data/%d", d, i);
	for (d = 2; d <= KL_DOMS; d++) {
		T_CASE("lane %d", d);
		all_ran = kl_wait_count(&w[d].calls, 5) && all_ran;
		CHECK_EQ(atomic_read(&w[d].calls), 5);
	}
	T_CASE_END();
	xs_lanes_unregister(&w[2].w);
	/* All of that while lane 1 was still stalled. */
	over = READ_ONCE(kl_stall_over);
	CHECK(!over);
	CHECK(all_ran);
	CHECK_EQ(atomic_read(&w[1].after), 0);
	CHECK_EQ(kl_queued(1), 1);

	complete(&kl_gate);
	CHECK(kl_wait_count(&w[1].after, 1));
	over = READ_ONCE(kl_stall_over);
	CHECK(over);
	for (d = 1; d <= KL_DOMS; d++)
		if (d != 2)
			xs_lanes_unregister(&w[d].w);
	kl_stop();
}

/*
 * One worker, and lane 1's callback stuck past watch_stuck_ms: the
 * watchdog gives the workqueue one more worker, lane 2's event runs
 * meanwhile, and the extra worker goes once the stall ends.
 */
static void stuck_gives_back(void)
{
	struct kl_watch a, b;
	bool over;

	reinit_completion(&kl_entered);
	reinit_completion(&kl_gate);
	WRITE_ONCE(kl_stall_over, false);
	kl_start(1);
	WRITE_ONCE(xs_stuck_ms, 30);
	kl_register(&a, 1, 1, "data");
	kl_register(&b, 2, 2, "data");
	kl_fire(&a.w, "/local/domain/1/data/stall");
	CHECK(wait_for_completion_timeout(&kl_entered,
					  msecs_to_jiffies(KL_TIMEOUT_MS)));
	kl_fire(&b.w, "/local/domain/2/data/x");
	CHECK(kl_wait_count(&b.calls, 1));
	over = READ_ONCE(kl_stall_over);
	CHECK(!over);
	CHECK_EQ(READ_ONCE(xs_lanes_extra), 1);
	complete(&kl_gate);
	CHECK(kl_wait_idle());
	CHECK(kl_wait(kl_extra_done, NULL, 0));
	xs_lanes_unregister(&a.w);
	xs_lanes_unregister(&b.w);
	kl_stop();
}

static const struct t_case_def kl_cases[] = {
	T_CASE_DEF(path_names_lane),
	T_CASE_DEF(lane_per_domain),
	T_CASE_DEF(order_in_lane),
	T_CASE_DEF(merge_and_unregister),
	T_CASE_DEF(will_handle_filters),
	T_CASE_DEF(lane_event_bound),
	T_CASE_DEF(lane_kib_bound),
	T_CASE_DEF(all_lanes_bound),
	T_CASE_DEF(stalled_lane),
	T_CASE_DEF(stuck_gives_back),
	{}
};

T_SUITE(xenbus_watch_lanes, kl_cases, kl_setup);
