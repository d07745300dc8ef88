// SPDX-License-Identifier: GPL-2.0
/*
 * xenbus watch lanes selftest, run in dom0 on a kernel with the lanes
 * (xenbus.watch_lanes, two or more at once):
 *
 *   stalled_watch    a watch callback that stalls in one domain's lane
 *                    does not hold up another domain's watch events; the
 *                    stalled lane's next event waits behind the stall
 *                    (its order kept) and runs once the stall ends
 *
 * The stall comes from the test-only module xen-watchstall
 * (tools/testing/xen-watchstall in this project's tree): its watches in
 * the lanes of two domain ids, by default 32001 and 32002, which need not
 * be running domains (their nodes under /local/domain/ are made for the
 * test and removed after).  Environment:
 *
 *   XEN_SELFTEST_WATCHSTALL     xen-watchstall.ko's path, or a module
 *                               name for modprobe (default xen-watchstall)
 *   XEN_SELFTEST_STALL_DOMID    the domain whose lane stalls (32001)
 *   XEN_SELFTEST_OTHER_DOMID    the domain whose events must go on (32002)
 *   XEN_SELFTEST_WATCH_EVENTS   events of the other domain (20)
 *   XEN_SELFTEST_WATCH_TIMEOUT  seconds to wait for them, and for each
 *                               other step, before calling it a hang (30;
 *                               at most 45: the test's own timeout is
 *                               WATCH_TEST_TIMEOUT)
 *
 * Uses xenstore-write, xenstore-rm and xenstore-exists (xenstore-utils).
 */
#include <fcntl.h>
#include <stdarg.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#define WS_PARAMS	"/sys/module/xen_watchstall/parameters"
#define LANES_PARAM	"/sys/module/xenbus/parameters/watch_lanes"
#define NO_MODULE	\
	"helper module xen-watchstall not found: set XEN_SELFTEST_WATCHSTALL=PATH.ko"
/*
 * The harness kills a test that runs longer, with no teardown: the stall
 * would stay.  Six waits of XEN_SELFTEST_WATCH_TIMEOUT at most fit in it.
 */
#define WATCH_TEST_TIMEOUT	300
#define WAIT_MAX		45
/* DOMID_FIRST_RESERVED: domain ids are below. */
#define DOMID_LIMIT	0x7ff0

FIXTURE(lanes) {
	int stall_dom, other_dom;
	bool loaded;
	/* Whether /local/domain/ID existed before: then only our nodes go. */
	bool had_stall_dom, had_other_dom;
};

static long ws_param(const char *name)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", WS_PARAMS, name);
	return xen_read_num(p);
}

static int ws_set(const char *name, const char *value)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", WS_PARAMS, name);
	return xen_write_str(p, value);
}

/* XEN_SELFTEST_WATCH_TIMEOUT, within 1 to WAIT_MAX seconds. */
static int wait_seconds(void)
{
	long t = xen_env_num("XEN_SELFTEST_WATCH_TIMEOUT", 30);

	return t < 1 ? 1 : t > WAIT_MAX ? WAIT_MAX : t;
}

/* Wait until parameter @name is at least @min; false after @seconds. */
static bool ws_wait(const char *name, long min, int seconds)
{
	for (int i = 0; i < seconds * 10; i++) {
		if (ws_param(name) >= min)
			return true;
		usleep(100000);
	}
	return ws_param(name) >= min;
}

static int xs_cmd(const char *fmt, ...)
{
	char cmd[4096], out[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return xen_run_line(cmd, out, sizeof(out));
}

static bool xs_exists(int domid)
{
	return !xs_cmd("xenstore-exists /local/domain/%d 2>/dev/null", domid);
}

/* Why the helper module cannot be loaded, or NULL; @cmd: how to load it. */
static const char *ws_load_cmd(char *cmd, size_t len, int stall, int other)
{
	const char *mod = getenv("XEN_SELFTEST_WATCHSTALL");
	const char *args = "stall_domid=%d flood_domid=%d flood_delay_us=0";
	char fmt[256], out[64];
	size_t n;

	if (!mod || !*mod)
		mod = "xen-watchstall";
	n = strlen(mod);
	if (n > 3 && !strcmp(mod + n - 3, ".ko")) {
		if (access(mod, R_OK))
			return "XEN_SELFTEST_WATCHSTALL: no such module file";
		snprintf(fmt, sizeof(fmt), "insmod '%s' %s 2>&1", mod, args);
	} else {
		snprintf(cmd, len, "modprobe -n '%s' 2>&1", mod);
		if (xen_run_line(cmd, out, sizeof(out)))
			return NO_MODULE;
		snprintf(fmt, sizeof(fmt), "modprobe '%s' %s 2>&1", mod, args);
	}
	snprintf(cmd, len, fmt, stall, other);
	return NULL;
}

/* Why this test cannot run here, or NULL. */
static const char *lanes_why_not(int stall, int other)
{
	const char *why = xen_why_not(true);
	char buf[32];
	long lanes;

	if (why)
		return why;
	if (xen_read_line(LANES_PARAM, buf, sizeof(buf)))
		return "this kernel has no xenbus watch lanes (no xenbus.watch_lanes)";
	lanes = xen_read_num(LANES_PARAM);
	if (lanes == 0)
		return "watch lanes are off (xenbus.watch_lanes=0): one xenwatch thread";
	if (lanes == 1)
		return "xenbus.watch_lanes=1: one callback at a time, a stall holds up every lane";
	if (!xen_have_tool("xenstore-write") || !xen_have_tool("xenstore-rm") ||
	    !xen_have_tool("xenstore-exists"))
		return "needs xenstore-write, xenstore-rm and xenstore-exists (xenstore-utils)";
	if (stall <= 0 || other <= 0 || stall >= DOMID_LIMIT ||
	    other >= DOMID_LIMIT || stall == other)
		return "XEN_SELFTEST_{STALL,OTHER}_DOMID: two different ids, 1 to 32751";
	if (xen_dir_exists("/sys/module/xen_watchstall"))
		return "xen-watchstall is loaded already: unload it first";
	return NULL;
}

FIXTURE_SETUP(lanes)
{
	const char *why;
	char cmd[512], out[256];

	self->stall_dom = xen_env_num("XEN_SELFTEST_STALL_DOMID", 32001);
	self->other_dom = xen_env_num("XEN_SELFTEST_OTHER_DOMID", 32002);
	why = lanes_why_not(self->stall_dom, self->other_dom);
	if (!why)
		why = ws_load_cmd(cmd, sizeof(cmd), self->stall_dom, self->other_dom);
	if (why)
		SKIP(return, "%s", why);
	self->had_stall_dom = xs_exists(self->stall_dom);
	self->had_other_dom = xs_exists(self->other_dom);
	ASSERT_EQ(0, xen_run_line(cmd, out, sizeof(out)))
		TH_LOG("loading xen-watchstall: %s", out);
	self->loaded = true;
}

/* Remove what the test wrote under /local/domain/@domid. */
static void xs_clean(int domid, bool existed)
{
	static const char *const nodes[] = { "tb-stall", "tb-after", "tb-flood" };

	if (!existed) {
		xs_cmd("xenstore-rm /local/domain/%d 2>/dev/null", domid);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
		xs_cmd("xenstore-rm /local/domain/%d/data/%s 2>/dev/null", domid, nodes[i]);
}

FIXTURE_TEARDOWN(lanes)
{
	int timeout = wait_seconds();

	if (!self->loaded)
		return;
	/* The stall ends before the module goes (its callback is its code). */
	ws_set("stall_hold", "0");
	for (int i = 0; i < timeout * 10; i++) {
		if (ws_param("stalls_done") >= ws_param("stalls_begun"))
			break;
		usleep(100000);
	}
	xs_cmd("rmmod xen_watchstall 2>&1");
	xs_clean(self->stall_dom, self->had_stall_dom);
	xs_clean(self->other_dom, self->had_other_dom);
}

/* Write @n nodes under @domid's data/tb-flood, one event each. */
static int flood_write(int domid, int n)
{
	char cmd[4096];
	size_t len;
	int i;

	len = snprintf(cmd, sizeof(cmd), "xenstore-write");
	for (i = 0; i < n && len < sizeof(cmd) - 64; i++)
		len += snprintf(cmd + len, sizeof(cmd) - len,
				" /local/domain/%d/data/tb-flood/%d %d", domid, i, i);
	snprintf(cmd + len, sizeof(cmd) - len, " 2>&1");
	return i < n ? -E2BIG : xs_cmd("%s", cmd);
}

TEST_F_TIMEOUT(lanes, stalled_watch, WATCH_TEST_TIMEOUT)
{
	int timeout = wait_seconds();
	int n = xen_env_num("XEN_SELFTEST_WATCH_EVENTS", 20);
	int a = self->stall_dom, b = self->other_dom;
	long before;

	ASSERT_GT(n, 0) TH_LOG("XEN_SELFTEST_WATCH_EVENTS must be at least 1");
	ASSERT_LE(n, 50) TH_LOG("XEN_SELFTEST_WATCH_EVENTS: 50 at most");
	/* Registering fired each watch once, at its own node: let it run. */
	ASSERT_TRUE(ws_wait("flood_resyncs", 1, timeout))
		TH_LOG("domain %d's watch never fired after registering", b);
	before = ws_param("flood_events");

	/* A stall in a's lane, held until this test lets go. */
	ASSERT_EQ(0, ws_set("stall_hold", "1"));
	ASSERT_EQ(0, xs_cmd("xenstore-write /local/domain/%d/data/tb-stall 1 2>&1", a));
	ASSERT_TRUE(ws_wait("stalls_begun", 1, timeout))
		TH_LOG("the stall in domain %d's lane did not begin within %d s", a, timeout);
	/* An event of a's lane, to wait behind the stall. */
	ASSERT_EQ(0, xs_cmd("xenstore-write /local/domain/%d/data/tb-after/x 1 2>&1", a));

	ASSERT_EQ(0, flood_write(b, n));
	EXPECT_TRUE(ws_wait("flood_events", before + n, timeout))
		TH_LOG("domain %d's lane ran %ld of %d events in %d s while %d's stalled",
		       b, ws_param("flood_events") - before, n, timeout, a);
	ksft_print_msg("domain %d's lane ran %ld events while domain %d's lane was stalled\n",
		       b, ws_param("flood_events") - before, a);
	EXPECT_EQ(0, ws_param("stalls_done"))
		TH_LOG("the stall ended before the other lane's events ran");
	EXPECT_EQ(0, ws_param("after_events"))
		TH_LOG("an event of domain %d's lane ran while its lane was stalled", a);

	/* Released, the stalled lane goes on with its waiting event. */
	ASSERT_EQ(0, ws_set("stall_hold", "0"));
	EXPECT_TRUE(ws_wait("stalls_done", 1, timeout))
		TH_LOG("the stall did not end within %d s of its release", timeout);
	EXPECT_TRUE(ws_wait("after_events", 1, timeout))
		TH_LOG("domain %d's lane did not go on after the stall", a);
}

TEST_HARNESS_MAIN
