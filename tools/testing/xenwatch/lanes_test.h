/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each test program of the xenwatch suite includes this first: the
 * dispatcher's source file, unchanged, so its static state is reachable,
 * the test framework, the harness, and starting and stopping the lanes
 * around a test case.
 */
#ifndef XW_LANES_TEST_H
#define XW_LANES_TEST_H

#include <unistd.h>

#include "../../../drivers/xen/xenbus/xenbus_lanes.c"
#include "../common/test.h"
#include "harness.h"

/* Stop at the first data race ThreadSanitizer sees. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "halt_on_error=1:second_deadlock_stack=1";
}

/* A test that hangs (a deadlock) fails instead: its summary is missing. */
__attribute__((constructor)) static void xw_alarm(void)
{
	alarm(300);
}

/* Bounds of the tests, unless a test sets its own. */
static inline void xw_default_bounds(void)
{
	WRITE_ONCE(xs_lane_max_events, 1024);
	WRITE_ONCE(xs_lane_max_kib, 256);
	WRITE_ONCE(xs_max_events, 65536);
	WRITE_ONCE(xs_max_kib, 16384);
	WRITE_ONCE(xs_warn_ms, 0);
}

/* Start the lanes, @at_once callbacks at a time, and the reader. */
static inline void xw_start(unsigned int at_once)
{
	WRITE_ONCE(xs_watch_lanes, at_once);
	CHECK_EQ(xs_lanes_init(), 0);
	xw_reader_start();
}

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

/* Wait until every event was handed over and every lane is idle. */
static inline void xw_wait_idle(void)
{
	unsigned int ms;

	xw_sync();
	for (ms = 0; ms < 30000 && !xw_lanes_idle(); ms++)
		xw_sleep_us(1000);
	CHECK(xw_lanes_idle());
}

/* The debugfs file's text; free() it. */
static inline char *xw_debugfs(void)
{
	struct seq_file m = { NULL, 0, 0 };

	xs_lanes_show(&m, NULL);
	return m.buf;
}

/*
 * Stop: every watch must be unregistered by now.  Nothing may be left
 * queued, and no lane but the legacy one; the state is reset for the
 * next test case.
 */
static inline void xw_stop(void)
{
	xw_wait_idle();
	xw_reader_stop();
	flush_workqueue(xs_lanes_wq);
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
	spin_unlock(&xs_lanes_lock);
	destroy_workqueue(xs_lanes_wq);
	spin_lock(&xs_lanes_lock);
	xs_lanes_wq = NULL;
	spin_unlock(&xs_lanes_lock);
	shim_log_clear();
	xw_default_bounds();
}

#endif
