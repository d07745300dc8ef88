// SPDX-License-Identifier: GPL-2.0
/*
 * Lanes: which lane an event goes to, order within a lane, lanes in
 * parallel, a stuck callback holding up its own lane only, a blkback-like
 * two-watch rendezvous, lanes freed once unused, the slow callback
 * warning and debugfs.
 */
#include "lanes_test.h"

#define NR_DOMS		40

/* What the callbacks of one domain's lane saw. */
struct dom {
	unsigned long last_seq;
	unsigned long calls;
	int inside;		/* callbacks of the lane running now */
	unsigned long bad_order;
	unsigned long overlaps;
};

static struct dom doms[NR_DOMS + 1];
static int running_now, running_max;

/* A test watch: a domain, a gate its callback may wait at, counters. */
struct tw {
	struct xenbus_watch w;
	char node[64];
	int domid;
	struct xw_gate *gate;	/* wait here on a path ending "/stall" */
	unsigned long calls;
	unsigned long after;	/* events at a path ending "/after" */
};

static unsigned long path_seq(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? strtoul(p + 1, NULL, 10) : 0;
}

static bool path_ends(const char *path, const char *word)
{
	const char *p = strrchr(path, '/');

	return p && !strcmp(p + 1, word);
}

/* Count the callback in its domain's lane, and check its order. */
static void dom_event(int domid, const char *path)
{
	struct dom *d = &doms[domid];
	unsigned long seq = path_seq(path);
	int now;

	if (__atomic_add_fetch(&d->inside, 1, __ATOMIC_SEQ_CST) != 1)
		__atomic_add_fetch(&d->overlaps, 1, __ATOMIC_SEQ_CST);
	now = __atomic_add_fetch(&running_now, 1, __ATOMIC_SEQ_CST);
	if (now > __atomic_load_n(&running_max, __ATOMIC_SEQ_CST))
		__atomic_store_n(&running_max, now, __ATOMIC_SEQ_CST);
	if (seq) {
		if (seq <= d->last_seq)
			d->bad_order++;
		d->last_seq = seq;
		xw_sleep_us(seq % 7 * 20);
	}
	__atomic_sub_fetch(&running_now, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&d->calls, 1, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&d->inside, 1, __ATOMIC_SEQ_CST);
}

static void tw_cb(struct xenbus_watch *w, const char *path, const char *token)
{
	struct tw *t = container_of(w, struct tw, w);

	(void)token;
	if (t->gate && path_ends(path, "stall"))
		xw_gate_wait(t->gate);
	if (path_ends(path, "after"))
		__atomic_add_fetch(&t->after, 1, __ATOMIC_RELEASE);
	if (t->domid >= 0)
		dom_event(t->domid, path);
	__atomic_add_fetch(&t->calls, 1, __ATOMIC_RELEASE);
}

/* The backend bus watch's callback: the domain is in the path. */
static void bus_cb(struct xenbus_watch *w, const char *path,
		   const char *token)
{
	int domid = xs_path_domid(w->node, path);

	(void)token;
	if (domid > 0 && domid <= NR_DOMS)
		dom_event(domid, path);
}

static struct xenbus_watch bus = { .node = "backend", .callback = bus_cb };

static void tw_init(struct tw *t, int domid, const char *fmt)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->node, sizeof(t->node), fmt, domid);
	t->w.node = t->node;
	t->w.callback = tw_cb;
	t->domid = domid;
}

static void reset_doms(void)
{
	memset(doms, 0, sizeof(doms));
	running_now = 0;
	running_max = 0;
}

/* Events of 40 domains, in two watches each, interleaved. */
static void order_per_lane(void)
{
	static struct tw w[NR_DOMS + 1];
	unsigned long want = 0, got = 0;
	char path[96];
	int d, i;

	reset_doms();
	xw_start(8);
	CHECK_EQ(xw_register(&bus, XS_LANE_BY_PATH), 0);
	for (d = 1; d <= NR_DOMS; d++) {
		tw_init(&w[d], d, "/local/domain/%d/data");
		CHECK_EQ(xw_register(&w[d].w, d), 0);
	}
	xw_wait_idle();
	reset_doms();
	for (i = 0; i < 4000; i++) {
		d = t_rng() % NR_DOMS + 1;
		if (t_rng() & 1)
			snprintf(path, sizeof(path), "/local/domain/%d/data/ev/%lu",
				 d, xw_next_seq(d));
		else
			snprintf(path, sizeof(path), "backend/vbd/%d/51712/%lu",
				 d, xw_next_seq(d));
		xw_write(path, "x");
		want++;
	}
	xw_wait_idle();
	for (d = 1; d <= NR_DOMS; d++) {
		T_CASE("domain %d", d);
		CHECK_EQ(doms[d].bad_order, 0);
		CHECK_EQ(doms[d].overlaps, 0);
		got += doms[d].calls;
		xw_unregister(&w[d].w);
	}
	T_CASE_END();
	CHECK_EQ(got, want);
	/* Lanes ran side by side. */
	CHECK(running_max > 1);
	xw_unregister(&bus);
	xw_stop();
}

/*
 * One callback of lane 1 is stuck; with two workers, the other lanes
 * still run everything, and lane 1's next event waits its turn.
 */
static void stuck_lane(void)
{
	static struct tw w[NR_DOMS + 1];
	struct xw_gate gate;
	char path[96];
	int d, i;

	reset_doms();
	xw_gate_init(&gate);
	xw_start(2);
	for (d = 1; d <= 20; d++) {
		tw_init(&w[d], d, "/local/domain/%d/data");
		w[d].gate = d == 1 ? &gate : NULL;
		CHECK_EQ(xw_register(&w[d].w, d), 0);
	}
	xw_wait_idle();
	xw_write("/local/domain/1/data/stall", "1");
	CHECK(xw_gate_has_waiters(&gate, 1));
	xw_write("/local/domain/1/data/after", "1");
	for (d = 2; d <= 20; d++) {
		for (i = 0; i < 5; i++) {
			snprintf(path, sizeof(path), "/local/domain/%d/data/%lu",
				 d, xw_next_seq(d));
			xw_write(path, "x");
		}
	}
	for (d = 2; d <= 20; d++)
		CHECK(xw_wait_count(&w[d].calls, 6));
	CHECK_EQ(__atomic_load_n(&w[1].after, __ATOMIC_ACQUIRE), 0);
	xw_gate_open(&gate);
	CHECK(xw_wait_count(&w[1].after, 1));
	for (d = 1; d <= 20; d++)
		xw_unregister(&w[d].w);
	xw_stop();
}

/*
 * blkback's pattern: the backend's physical-device watch and the
 * frontend's state watch both call one check-then-connect function.
 * In one lane they never overlap, and each device connects once.
 */
struct bdev {
	struct tw phys;
	struct tw state;
	bool connected;
	unsigned long connects;
};

static struct bdev bdevs[101];

static void bdev_update(struct bdev *b)
{
	char *phys = xw_read(b->phys.node);
	char *state = xw_read(b->state.node);

	if (phys && state && !strcmp(state, "4") && !b->connected) {
		xw_sleep_us(50);
		b->connected = true;
		b->connects++;
	}
	free(phys);
	free(state);
}

static void bdev_phys_cb(struct xenbus_watch *w, const char *path,
			 const char *token)
{
	(void)path;
	(void)token;
	bdev_update(container_of(w, struct bdev, phys.w));
}

static void bdev_state_cb(struct xenbus_watch *w, const char *path,
			  const char *token)
{
	(void)path;
	(void)token;
	bdev_update(container_of(w, struct bdev, state.w));
}

static void rendezvous(void)
{
	int d, round;

	xw_start(16);
	for (d = 1; d <= 100; d++) {
		struct bdev *b = &bdevs[d];

		memset(b, 0, sizeof(*b));
		tw_init(&b->phys, -1, "backend/vbd/%d/0/physical-device");
		tw_init(&b->state, -1, "/local/domain/%d/device/vbd/0/state");
		b->phys.w.callback = bdev_phys_cb;
		b->state.w.callback = bdev_state_cb;
		CHECK_EQ(xw_register(&b->phys.w, d), 0);
		CHECK_EQ(xw_register(&b->state.w, d), 0);
	}
	for (round = 0; round < 3; round++) {
		for (d = 1; d <= 100; d++) {
			xw_write(bdevs[d].state.node, "4");
			xw_write(bdevs[d].phys.node, "8:1");
		}
	}
	xw_wait_idle();
	for (d = 1; d <= 100; d++) {
		T_CASE("device of domain %d", d);
		CHECK_EQ(bdevs[d].connects, 1);
		xw_unregister(&bdevs[d].phys.w);
		xw_unregister(&bdevs[d].state.w);
	}
	T_CASE_END();
	xw_rm("backend");
	xw_rm("/local");
	xw_stop();
}

/* The backend bus watch's events go to the lane their path names. */
static void by_path(void)
{
	struct xw_gate gate;
	struct tw w7;

	xw_check_path_cases();

	/* While lane 7 is stuck, the bus's events of 7 wait, of 8 run. */
	reset_doms();
	xw_gate_init(&gate);
	xw_start(4);
	tw_init(&w7, 7, "/local/domain/%d/data");
	w7.gate = &gate;
	CHECK_EQ(xw_register(&w7.w, 7), 0);
	CHECK_EQ(xw_register(&bus, XS_LANE_BY_PATH), 0);
	xw_wait_idle();
	reset_doms();
	xw_write("/local/domain/7/data/stall", "1");
	CHECK(xw_gate_has_waiters(&gate, 1));
	xw_write("backend/vbd/7/1/1", "x");
	xw_write("backend/vbd/8/1/1", "x");
	CHECK(xw_wait_count(&doms[8].calls, 1));
	/* Lane 7 has run nothing but the stuck callback. */
	CHECK_EQ(__atomic_load_n(&doms[7].calls, __ATOMIC_ACQUIRE), 0);
	xw_gate_open(&gate);
	CHECK(xw_wait_count(&doms[7].calls, 2));
	xw_unregister(&w7.w);
	xw_unregister(&bus);
	xw_rm("backend");
	xw_stop();
}

/* A lane lives while it has a watch or work, then goes. */
static void lanes_freed(void)
{
	static struct tw w[11];
	char path[64];
	int d;

	xw_start(4);
	CHECK_EQ(xw_register(&bus, XS_LANE_BY_PATH), 0);
	for (d = 1; d <= 10; d++) {
		tw_init(&w[d], -1, "/local/domain/%d/data");
		CHECK_EQ(xw_register(&w[d].w, d), 0);
	}
	xw_wait_idle();
	/* Ten lanes, and the legacy one (the bus watch fired at "backend"). */
	CHECK_EQ(xs_nr_lanes, 11);
	for (d = 11; d <= 30; d++) {
		snprintf(path, sizeof(path), "backend/vbd/%d/0", d);
		xw_write(path, "x");
	}
	xw_wait_idle();
	/* The bus's lanes went once they had run. */
	CHECK_EQ(xs_nr_lanes, 11);
	for (d = 1; d <= 10; d++)
		xw_unregister(&w[d].w);
	CHECK_EQ(xs_nr_lanes, 1);
	xw_unregister(&bus);
	xw_rm("backend");
	xw_stop();
}

/* A callback running past watch_warn_ms is named, in the log and debugfs. */
static void slow_callback(void)
{
	struct xw_gate gate;
	unsigned int ms;
	struct tw w;
	char *text;

	xw_gate_init(&gate);
	xw_start(4);
	WRITE_ONCE(xs_warn_ms, 30);
	tw_init(&w, 3, "/local/domain/%d/data");
	w.domid = -1;
	w.gate = &gate;
	CHECK_EQ(xw_register(&w.w, 3), 0);
	xw_write("/local/domain/3/data/stall", "1");
	CHECK(xw_gate_has_waiters(&gate, 1));
	for (ms = 0; ms < 30000 && !shim_log_count("has run for"); ms++)
		xw_sleep_us(1000);
	CHECK_EQ(shim_log_count("callback for /local/domain/3/data/stall (lane 3) has run for"),
		 1);
	text = xw_debugfs();
	CHECK(strstr(text, "\nlane 3 queued 0 "));
	CHECK(strstr(text, "running /local/domain/3/data/stall\n"));
	CHECK(strstr(text, "running_ms "));
	CHECK(strstr(text, "warn_ms 30\n"));
	free(text);
	xw_gate_open(&gate);
	xw_wait_idle();
	CHECK_EQ(shim_log_count("/local/domain/3/data/stall (lane 3) returned after"), 1);
	text = xw_debugfs();
	CHECK(!strstr(text, "running "));
	free(text);
	xw_unregister(&w.w);
	xw_rm("/local");
	xw_stop();
}

/* debugfs's stuck_extra, polled until it is @want (5 s at most). */
static bool stuck_extra_is(unsigned int want)
{
	char key[32], *text;
	bool found = false;
	int ms;

	snprintf(key, sizeof(key), " stuck_extra %u ", want);
	for (ms = 0; ms < 5000 && !found; ms++) {
		text = xw_debugfs();
		found = strstr(text, key);
		free(text);
		if (!found)
			xw_sleep_us(1000);
	}
	return found;
}

/*
 * Two lanes at once, both stuck: with watch_stuck_ms, the watchdog gives
 * the workqueue a worker for each, so a third domain's callback runs
 * meanwhile, and takes them back once they return; with 0, the third
 * waits for a stuck one to end.
 */
static void stuck_gives_back(void)
{
	struct xw_gate gate[2];
	struct tw w[4];
	int d;

	for (int pass = 0; pass < 2; pass++) {
		xw_start(2);
		WRITE_ONCE(xs_stuck_ms, pass ? 0 : 30);
		for (d = 1; d <= 3; d++) {
			tw_init(&w[d], d, "/local/domain/%d/data");
			w[d].domid = -1;
			if (d < 3) {
				xw_gate_init(&gate[d - 1]);
				w[d].gate = &gate[d - 1];
			}
			CHECK_EQ(xw_register(&w[d].w, d), 0);
		}
		xw_wait_idle();
		xw_write("/local/domain/1/data/stall", "1");
		xw_write("/local/domain/2/data/stall", "1");
		CHECK(xw_gate_has_waiters(&gate[0], 1));
		CHECK(xw_gate_has_waiters(&gate[1], 1));
		xw_write("/local/domain/3/data/after", "1");
		if (!pass) {
			CHECK(xw_wait_count(&w[3].after, 1));
			CHECK(stuck_extra_is(2));
		} else {
			xw_sleep_us(300000);
			CHECK_EQ(__atomic_load_n(&w[3].after, __ATOMIC_ACQUIRE), 0);
		}
		xw_gate_open(&gate[0]);
		xw_gate_open(&gate[1]);
		CHECK(xw_wait_count(&w[3].after, 1));
		if (!pass)
			CHECK(stuck_extra_is(0));
		for (d = 1; d <= 3; d++)
			xw_unregister(&w[d].w);
		xw_rm("/local");
		xw_stop();
	}
	WRITE_ONCE(xs_stuck_ms, 1000);
}

int main(void)
{
	xw_default_bounds();
	RUN(by_path);
	RUN(order_per_lane);
	RUN(stuck_lane);
	RUN(rendezvous);
	RUN(lanes_freed);
	RUN(slow_callback);
	RUN(stuck_gives_back);
	return t_done();
}
