/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the userspace lanes tests (lanes_test.h) and the KUnit suite
 * (tools/testing/xen-kunit/xenbus-lanes-kunit.c) share: the default
 * bounds, the by-path lane table, whether the lanes are idle, and
 * checking that a case left the lanes empty and resetting them for the
 * next.  Included after
 * drivers/xen/xenbus/xenbus_lanes.c and ../common/test.h.
 */
#ifndef XW_LANES_SHARED_H
#define XW_LANES_SHARED_H

/* The bounds of Documentation/xenwatch.rst, and no watchdog. */
static inline void xw_default_bounds(void)
{
	WRITE_ONCE(xs_lane_max_events, 1024);
	WRITE_ONCE(xs_lane_max_kib, 256);
	WRITE_ONCE(xs_max_events, 65536);
	WRITE_ONCE(xs_max_kib, 16384);
	WRITE_ONCE(xs_warn_ms, 0);
}

struct xw_path_case {
	const char *node;
	const char *path;
	int domid;
};

static const struct xw_path_case xw_path_cases[] = {
	{ "backend", "backend/vbd/5/51712/state", 5 },
	{ "backend", "backend/vbd/5/51712", 5 },
	{ "backend", "backend/vbd/5", 5 },
	{ "backend", "backend/vbd/05/1", 5 },
	{ "backend", "backend/vif/0/0", 0 },
	{ "backend", "backend/vbd/32751", 32751 },
	{ "backend", "backend/vbd/32752/0", XS_LANE_LEGACY },
	{ "backend", "backend/vbd/123456", XS_LANE_LEGACY },
	{ "backend", "backend/vbd/5x/1", XS_LANE_LEGACY },
	{ "backend", "backend/vbd//1", XS_LANE_LEGACY },
	{ "backend", "backend/vbd", XS_LANE_LEGACY },
	{ "backend", "backend", XS_LANE_LEGACY },
	{ "backend", "backendx/vbd/5/1", XS_LANE_LEGACY },
	{ "backend", "backend/vbd/-1/1", XS_LANE_LEGACY },
	{ "/local/domain/0/backend", "/local/domain/0/backend/vif/7/0", 7 },
};

/* A by-path watch's event goes to the lane of the domain its path names. */
static inline void xw_check_path_cases(void)
{
	const struct xw_path_case *c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xw_path_cases); i++) {
		c = &xw_path_cases[i];
		T_CASE("%s under %s", c->path, c->node);
		CHECK_EQ(xs_path_domid(c->node, c->path), c->domid);
	}
	T_CASE_END();
}

/* No lane has work queued, scheduled or running, nor a resync due. */
static inline bool xw_lanes_idle(void)
{
	struct xs_lane *lane;
	bool idle = true;
	int bkt;

	spin_lock(&xs_lanes_lock);
	hash_for_each(xs_lanes, bkt, lane, node)
		idle = idle && !lane->scheduled && !lane->resync &&
		       list_empty(&lane->events);
	spin_unlock(&xs_lanes_lock);
	return idle;
}

/*
 * Once every watch is unregistered and the lanes' workqueue is flushed:
 * nothing may be left queued, and no lane but the legacy one.  Resets the
 * state for the next case; returns the workqueue, for the caller to
 * destroy.
 */
static inline struct workqueue_struct *xw_reset_lanes(void)
{
	struct workqueue_struct *wq;

	spin_lock(&xs_lanes_lock);
	CHECK(xs_nr_lanes <= 1);
	CHECK_EQ(xs_totals.events, 0);
	CHECK_EQ(xs_totals.bytes, 0);
	CHECK_EQ(xs_frozen, 0);
	CHECK(list_empty(&xs_path_watches));
	CHECK(list_empty(&xs_legacy_lane.watches));
	kfree(xs_spare_lane);
	xs_spare_lane = NULL;
	memset(&xs_totals, 0, sizeof(xs_totals));
	memset(&xs_legacy_lane.q, 0, sizeof(xs_legacy_lane.q));
	xs_legacy_lane.ran = 0;
	wq = xs_lanes_wq;
	xs_lanes_wq = NULL;
	spin_unlock(&xs_lanes_lock);
	return wq;
}

#endif
