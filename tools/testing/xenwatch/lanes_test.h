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
#include "lanes_shared.h"

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

/* Start the lanes, @at_once callbacks at a time, and the reader. */
static inline void xw_start(unsigned int at_once)
{
	WRITE_ONCE(xs_watch_lanes, at_once);
	CHECK_EQ(xs_lanes_init(), 0);
	xw_reader_start();
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
	destroy_workqueue(xw_reset_lanes());
	shim_log_clear();
	xw_default_bounds();
}

#endif
