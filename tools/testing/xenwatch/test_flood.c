// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded under a flood (XSA-349): repeated events merge, will_handle()
 * still filters, the bounds per lane and in all hold (memory measured by
 * the allocator, not by the dispatcher's own counters), and a lane that
 * dropped events resyncs once drained: its watches fire at their nodes
 * and the bus watch rescans the lane's domain.
 */
#include "lanes_test.h"

#define MAX_SEEN	64

/* A watch that records the paths of its callbacks. */
struct rec {
	struct xenbus_watch w;
	char node[64];
	unsigned long calls;
	char seen[MAX_SEEN][64];
	unsigned int nr_seen;
	char last[64];
	unsigned int delay_us;
};

static void rec_cb(struct xenbus_watch *w, const char *path, const char *token)
{
	struct rec *r = container_of(w, struct rec, w);

	(void)token;
	if (r->nr_seen < MAX_SEEN)
		snprintf(r->seen[r->nr_seen++], sizeof(r->seen[0]), "%s", path);
	snprintf(r->last, sizeof(r->last), "%s", path);
	if (r->delay_us)
		xw_sleep_us(r->delay_us);
	__atomic_add_fetch(&r->calls, 1, __ATOMIC_RELEASE);
}

static void rec_init(struct rec *r, const char *node)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->node, sizeof(r->node), "%s", node);
	r->w.node = r->node;
	r->w.callback = rec_cb;
}

/* Was @path seen by @r? */
static bool rec_saw(const struct rec *r, const char *path)
{
	unsigned int i;

	for (i = 0; i < r->nr_seen; i++)
		if (!strcmp(r->seen[i], path))
			return true;
	return false;
}

/* Register @r in lane @domid and let its first event (at its node) pass. */
static void rec_start(struct rec *r, const char *node, int domid)
{
	rec_init(r, node);
	CHECK_EQ(xw_register(&r->w, domid), 0);
	xw_wait_idle();
	r->nr_seen = 0;
	r->calls = 0;
}

/* Freeze, then write "v" @n times, at @fmt printed with 0, 1, ... */
static void write_frozen(const char *fmt, int n)
{
	char path[96];
	int i;

	xs_lanes_quiesce();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), fmt, i);
		xw_write(path, "v");
	}
	xw_sync();
}

static struct xs_lane *lane_of(int domid)
{
	struct xs_lane *lane;

	spin_lock(&xs_lanes_lock);
	lane = xs_lane_find(domid);
	spin_unlock(&xs_lanes_lock);
	return lane;
}

/* While frozen, 1,000 writes to one node queue one event. */
static void merge_repeats(void)
{
	struct rec r;
	char *text;

	xw_start(4);
	rec_start(&r, "/local/domain/2/data", 2);
	write_frozen("/local/domain/2/data/key", 1000);
	CHECK_EQ(r.w.nr_pending, 1);
	CHECK_EQ(lane_of(2)->q.events, 1);
	CHECK_EQ(lane_of(2)->q.merged, 999);
	text = xw_debugfs();
	CHECK(strstr(text, "lane 2 queued 1 "));
	CHECK(strstr(text, " merged 999 "));
	free(text);
	xs_lanes_thaw();
	xw_wait_idle();
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.w.nr_pending, 0);
	xw_unregister(&r.w);
	xw_rm("/local");
	xw_stop();
}

/* frontend_will_handle(): at most one event pending. */
static bool one_pending(struct xenbus_watch *w, const char *path,
			const char *token)
{
	return w->nr_pending == 0;
}

static void will_handle_kept(void)
{
	struct rec r;

	xw_start(4);
	rec_init(&r, "/local/domain/4/device/vbd/0");
	r.w.will_handle = one_pending;
	CHECK_EQ(xw_register(&r.w, 4), 0);
	xw_wait_idle();
	r.nr_seen = 0;
	write_frozen("/local/domain/4/device/vbd/0/k%d", 100);
	CHECK_EQ(r.w.nr_pending, 1);
	xs_lanes_thaw();
	xw_wait_idle();
	CHECK_EQ(r.nr_seen, 1);
	CHECK(rec_saw(&r, "/local/domain/4/device/vbd/0/k0"));
	xw_unregister(&r.w);
	xw_rm("/local");
	xw_stop();
}

/*
 * Past the lane's bound, events are dropped; once the lane drains, the
 * watch fires at its node, after the events that got in.
 */
static void overflow_resyncs(void)
{
	char path[64];
	struct rec r;
	int i;

	xw_start(4);
	rec_start(&r, "/local/domain/5/data", 5);
	WRITE_ONCE(xs_lane_max_events, 8);
	write_frozen("/local/domain/5/data/%d", 20);
	CHECK_EQ(lane_of(5)->q.events, 8);
	CHECK_EQ(lane_of(5)->q.dropped, 12);
	CHECK_EQ(shim_log_count("watch lane 5 full"), 1);
	xs_lanes_thaw();
	xw_wait_idle();
	CHECK_EQ(r.nr_seen, 9);
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "/local/domain/5/data/%d", i);
		CHECK(!strcmp(r.seen[i], path));
	}
	CHECK(!strcmp(r.seen[8], "/local/domain/5/data"));
	CHECK_EQ(xs_totals.resyncs, 1);
	xw_unregister(&r.w);
	xw_rm("/local");
	xw_stop();
}

/* The bus watch's resync rescans its lane's domain, and only it. */
static void overflow_rescans_bus(void)
{
	static const char * const nodes[] = {
		"backend/vbd/5/51712/state", "backend/vbd/5/51728/state",
		"backend/vif/5/0/state", "backend/vbd/6/51712/state",
	};
	static const char * const want[] = {
		"backend/vbd/5", "backend/vbd/5/51712", "backend/vbd/5/51728",
		"backend/vif/5", "backend/vif/5/0",
	};
	struct rec r;
	unsigned int i;

	xw_start(4);
	for (i = 0; i < ARRAY_SIZE(nodes); i++)
		xw_write(nodes[i], "1");
	rec_start(&r, "backend", XS_LANE_BY_PATH);
	WRITE_ONCE(xs_lane_max_events, 4);
	write_frozen("backend/vbd/5/51712/k%d", 10);
	xs_lanes_thaw();
	xw_wait_idle();
	CHECK_EQ(r.nr_seen, 4 + ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		T_CASE("%s", want[i]);
		CHECK(rec_saw(&r, want[i]));
	}
	T_CASE_END();
	CHECK(!rec_saw(&r, "backend/vbd/6/51712"));
	xw_unregister(&r.w);
	xw_rm("backend");
	xw_stop();
}

/* When all lanes together are full, an innocent lane resyncs too. */
static void total_bound(void)
{
	struct rec a, b;

	xw_start(4);
	rec_start(&a, "/local/domain/7/data", 7);
	rec_start(&b, "/local/domain/8/data", 8);
	WRITE_ONCE(xs_max_events, 10);
	write_frozen("/local/domain/7/data/%d", 10);
	xw_write("/local/domain/8/data/x", "v");
	xw_sync();
	CHECK_EQ(xs_totals.events, 10);
	CHECK_EQ(lane_of(8)->q.dropped, 1);
	xs_lanes_thaw();
	xw_wait_idle();
	CHECK_EQ(a.nr_seen, 10);
	CHECK_EQ(b.nr_seen, 1);
	CHECK(rec_saw(&b, "/local/domain/8/data"));
	xw_unregister(&a.w);
	xw_unregister(&b.w);
	xw_rm("/local");
	xw_stop();
}

#define FLOODERS	8
#define FLOOD_EVENTS	1000000

/*
 * A million events from eight domains, each to 4,096 nodes in turn,
 * while a ninth domain's watch sees a write every 1,000; the first
 * 100,000 arrive while the lanes are frozen.  The memory the
 * allocator holds stays under the bound of all lanes (plus the events
 * being run and the lanes), and the ninth domain misses nothing: every
 * write reached it, or it resynced after the last one it missed.
 */
static void flood_million(void)
{
	static struct rec flood[FLOODERS];
	size_t cap = 256 << 10, slack = 16 << 10;
	long base, peak;
	struct rec victim;
	unsigned long victim_writes = 0;
	char path[80];
	int i, d;

	xw_start(8);
	for (d = 0; d < FLOODERS; d++) {
		snprintf(path, sizeof(path), "/local/domain/%d/data", d + 10);
		rec_start(&flood[d], path, d + 10);
		flood[d].delay_us = 20;
	}
	rec_start(&victim, "/local/domain/9/data", 9);
	WRITE_ONCE(xs_lane_max_events, 256);
	WRITE_ONCE(xs_lane_max_kib, 64);
	WRITE_ONCE(xs_max_events, 1024);
	WRITE_ONCE(xs_max_kib, cap >> 10);
	xw_sync();
	base = shim_bytes_live;
	shim_bytes_peak = base;
	/*
	 * The first tenth arrives while the lanes are frozen, so the bounds
	 * are reached however fast this machine runs the callbacks.
	 */
	xs_lanes_quiesce();
	for (i = 0; i < FLOOD_EVENTS; i++) {
		if (i == FLOOD_EVENTS / 10)
			xs_lanes_thaw();
		d = i % FLOODERS;
		snprintf(path, sizeof(path), "%s/%d", flood[d].node,
			 (i / FLOODERS) % 4096);
		xw_fire(&flood[d].w, path);
		if (i % 1000 == 999) {
			snprintf(path, sizeof(path), "/local/domain/9/data/%lu",
				 ++victim_writes);
			xw_fire(&victim.w, path);
			xw_sync();
		}
	}
	xw_wait_idle();
	peak = shim_bytes_peak;
	printf("#   flood: peak %ld bytes over the start, bound %zu; ",
	       peak - base, cap);
	printf("dropped %lu, merged %lu, resyncs %lu\n", xs_totals.dropped,
	       xs_totals.merged, xs_totals.resyncs);
	CHECK(peak - base <= (long)(cap + slack));
	CHECK(xs_totals.dropped > 0);
	CHECK(xs_totals.resyncs > 0);
	CHECK(xs_totals.peak_bytes <= cap);
	printf("#   the ninth domain: %lu writes, %lu callbacks, %lu dropped\n",
	       victim_writes, victim.calls, lane_of(9)->q.dropped);
	/* Its last callback saw its last write, or resynced after it. */
	snprintf(path, sizeof(path), "/local/domain/9/data/%lu", victim_writes);
	CHECK(!strcmp(victim.last, path) || !strcmp(victim.last, victim.node));
	CHECK_EQ(victim.calls + lane_of(9)->q.dropped,
		 victim_writes + lane_of(9)->q.resyncs);
	for (d = 0; d < FLOODERS; d++)
		xw_unregister(&flood[d].w);
	xw_unregister(&victim.w);
	xw_stop();
}

int main(void)
{
	xw_default_bounds();
	RUN(merge_repeats);
	RUN(will_handle_kept);
	RUN(overflow_resyncs);
	RUN(overflow_rescans_bus);
	RUN(total_bound);
	RUN(flood_million);
	return t_done();
}
