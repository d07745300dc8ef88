// SPDX-License-Identifier: GPL-2.0
/*
 * Unregistering a watch: from its own callback, from a callback of the
 * same lane, from another lane while the watch's callback runs or while
 * another callback of its lane waits for a lock the caller holds (the
 * device_lock() case), during suspend, and against a flood, with every
 * unregistered watch poisoned so a late callback shows.  Suspend: the
 * lanes quiesce around it, the caller's lane excepted, and every event
 * queued meanwhile runs once after.
 */
#include "lanes_test.h"

#define TW_MAGIC	0x7761746368ULL

struct tw {
	struct xenbus_watch w;
	u64 magic;
	char node[64];
	unsigned long calls;
	/* What the callback does. */
	struct xw_gate *gate;		/* waits here first, if set */
	pthread_mutex_t *lock;		/* then takes and drops this */
	struct tw *unregister;		/* then unregisters this watch */
	struct tw *freeze;		/* or suspends, and unregisters it */
	unsigned long returned;		/* its unregister returned */
};

static unsigned long late_callbacks;

/* Called for a watch already unregistered: nothing may call it. */
static void poisoned_cb(struct xenbus_watch *w, const char *path,
			const char *token)
{
	__atomic_add_fetch(&late_callbacks, 1, __ATOMIC_SEQ_CST);
}

/* Unregister @t and poison it, as a caller freeing it would. */
static void tw_unregister(struct tw *t)
{
	xw_unregister(&t->w);
	t->magic = 0;
	t->w.callback = poisoned_cb;
	__atomic_add_fetch(&t->returned, 1, __ATOMIC_RELEASE);
}

static void tw_suspend(struct tw *t);

static void tw_cb(struct xenbus_watch *w, const char *path, const char *token)
{
	struct tw *t = container_of(w, struct tw, w);

	if (t->magic != TW_MAGIC)
		__atomic_add_fetch(&late_callbacks, 1, __ATOMIC_SEQ_CST);
	if (strcmp(path, t->node)) {
		if (t->gate)
			xw_gate_wait(t->gate);
		if (t->lock) {
			pthread_mutex_lock(t->lock);
			pthread_mutex_unlock(t->lock);
		}
		if (t->unregister)
			tw_unregister(t->unregister);
		if (t->freeze)
			tw_suspend(t->freeze);
	}
	__atomic_add_fetch(&t->calls, 1, __ATOMIC_RELEASE);
}

static void tw_init(struct tw *t, const char *node)
{
	memset(t, 0, sizeof(*t));
	t->magic = TW_MAGIC;
	snprintf(t->node, sizeof(t->node), "%s", node);
	t->w.node = t->node;
	t->w.callback = tw_cb;
}

/* Register @t in lane @domid; its first event (at its node) passes. */
static void tw_start(struct tw *t, const char *node, int domid)
{
	tw_init(t, node);
	CHECK_EQ(xw_register(&t->w, domid), 0);
	xw_wait_idle();
	t->calls = 0;
}

static void fire(struct tw *t, const char *leaf)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/%s", t->node, leaf);
	xw_fire(&t->w, path);
}

static void begin(void)
{
	late_callbacks = 0;
	xw_start(8);
}

/* A callback unregisters its own watch, with events queued behind it. */
static void unregister_self(void)
{
	struct tw a;

	begin();
	tw_start(&a, "/local/domain/1/a", 1);
	a.unregister = &a;
	fire(&a, "1");
	fire(&a, "2");
	fire(&a, "3");
	xw_wait_idle();
	CHECK_EQ(a.returned, 1);
	CHECK_EQ(a.calls, 1);
	CHECK_EQ(late_callbacks, 0);
	xw_stop();
}

/*
 * A callback of lane 1 unregisters another watch of lane 1, whose
 * events wait behind it: no waiting, and its events are dropped.
 */
static void unregister_same_lane(void)
{
	struct tw a, b;

	begin();
	tw_start(&a, "/local/domain/1/a", 1);
	tw_start(&b, "/local/domain/1/b", 1);
	a.unregister = &b;
	fire(&a, "1");
	fire(&b, "1");
	fire(&b, "2");
	xw_wait_idle();
	CHECK_EQ(b.returned, 1);
	CHECK_EQ(b.calls, 0);
	CHECK_EQ(late_callbacks, 0);
	xw_unregister(&a.w);
	xw_stop();
}

/*
 * A callback of lane 1 unregisters a watch of lane 2 whose callback
 * runs (stuck at a gate): it waits until that callback returns.
 */
static void unregister_other_lane_running(void)
{
	struct xw_gate gate;
	struct tw a, b;

	begin();
	xw_gate_init(&gate);
	tw_start(&a, "/local/domain/1/a", 1);
	tw_start(&b, "/local/domain/2/b", 2);
	a.unregister = &b;
	b.gate = &gate;
	fire(&b, "1");
	CHECK(xw_gate_has_waiters(&gate, 1));
	fire(&a, "1");
	xw_sleep_us(100000);
	/* Still running b's callback: the unregister cannot be over. */
	CHECK_EQ(__atomic_load_n(&b.returned, __ATOMIC_ACQUIRE), 0);
	xw_gate_open(&gate);
	CHECK(xw_wait_count(&b.returned, 1));
	xw_wait_idle();
	CHECK_EQ(b.calls, 1);
	CHECK_EQ(late_callbacks, 0);
	xw_unregister(&a.w);
	xw_stop();
}

/*
 * device_lock(): a thread holds a lock and unregisters watch b of lane
 * 2, while lane 2 runs another watch's callback, c, that waits for the
 * lock.  The unregister must not wait for c, or neither ends; b's queued
 * event is dropped.
 */
static void unregister_lock_held(void)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct xw_gate gate;
	struct tw b, c;

	begin();
	xw_gate_init(&gate);
	tw_start(&b, "/local/domain/2/b", 2);
	tw_start(&c, "/local/domain/2/c", 2);
	c.gate = &gate;
	c.lock = &lock;
	pthread_mutex_lock(&lock);
	fire(&c, "1");
	CHECK(xw_gate_has_waiters(&gate, 1));
	xw_gate_open(&gate);
	fire(&b, "1");
	xw_sync();
	tw_unregister(&b);
	pthread_mutex_unlock(&lock);
	xw_wait_idle();
	CHECK_EQ(c.calls, 1);
	CHECK_EQ(b.calls, 0);
	CHECK_EQ(late_callbacks, 0);
	xw_unregister(&c.w);
	xw_stop();
}

/*
 * What do_suspend() does, from a callback of the legacy lane: quiesce
 * (waiting for lane 3's running callback, stuck at a gate, to return),
 * unregister a watch of lane 2 (which must not wait), register one again,
 * then thaw.
 */
static struct tw *suspend_again;
static unsigned long suspended, quiesced;

static void tw_suspend(struct tw *t)
{
	xs_lanes_quiesce();
	__atomic_store_n(&quiesced, 1, __ATOMIC_RELEASE);
	tw_unregister(t);
	CHECK_EQ(xw_register(&suspend_again->w, 2), 0);
	fire(suspend_again, "queued");
	xw_sync();
	/* Frozen: the events wait, the registration event among them. */
	CHECK_EQ(suspend_again->calls, 0);
	xs_lanes_thaw();
	__atomic_store_n(&suspended, 1, __ATOMIC_RELEASE);
}

/* Wait until a quiesce has begun; false after 30 s. */
static bool wait_frozen(void)
{
	unsigned int ms, frozen = 0;

	for (ms = 0; ms < 30000 && !frozen; ms++) {
		spin_lock(&xs_lanes_lock);
		frozen = xs_frozen;
		spin_unlock(&xs_lanes_lock);
		xw_sleep_us(1000);
	}
	return frozen;
}

static void suspend_quiesces(void)
{
	struct tw ctl, old, fresh, busy;
	struct xw_gate gate;

	begin();
	xw_gate_init(&gate);
	suspended = 0;
	quiesced = 0;
	tw_start(&ctl, "control/shutdown", XS_LANE_LEGACY);
	tw_start(&old, "/local/domain/0/backend/vbd/5/0", 2);
	tw_start(&busy, "/local/domain/3/x", 3);
	tw_init(&fresh, "/local/domain/0/backend/vbd/5/0/state");
	suspend_again = &fresh;
	ctl.freeze = &old;
	busy.gate = &gate;
	fire(&busy, "1");
	CHECK(xw_gate_has_waiters(&gate, 1));
	fire(&ctl, "suspend");
	CHECK(wait_frozen());
	/* Frozen, waiting for lane 3: these wait in lane 2. */
	fire(&old, "1");
	fire(&old, "2");
	xw_sync();
	xw_sleep_us(100000);
	/* Lane 3's callback has not returned: suspend waits. */
	CHECK_EQ(__atomic_load_n(&quiesced, __ATOMIC_ACQUIRE), 0);
	xw_gate_open(&gate);
	CHECK(xw_wait_count(&suspended, 1));
	xw_wait_idle();
	CHECK_EQ(old.calls, 0);
	/* The registration event and the one queued, each once. */
	CHECK_EQ(fresh.calls, 2);
	CHECK_EQ(late_callbacks, 0);
	xw_unregister(&ctl.w);
	xw_unregister(&busy.w);
	xw_unregister(&fresh.w);
	xw_stop();
}

#define STRESS_WATCHES	32
#define STRESS_ROUNDS	300

struct stress {
	struct tw t[STRESS_WATCHES];
	bool live[STRESS_WATCHES];
	unsigned int seed;
};

static void *stress_thread(void *arg)
{
	struct stress *s = arg;
	char node[64];
	int r, i;

	for (r = 0; r < STRESS_ROUNDS; r++) {
		i = rand_r(&s->seed) % STRESS_WATCHES;
		if (s->live[i]) {
			tw_unregister(&s->t[i]);
			s->live[i] = false;
			continue;
		}
		snprintf(node, sizeof(node), "/local/domain/%d/s/%d",
			 i % 5 + 1, i);
		tw_init(&s->t[i], node);
		if (xw_register(&s->t[i].w, i % 5 + 1))
			continue;
		s->live[i] = true;
		fire(&s->t[i], "a");
		fire(&s->t[i], "b");
	}
	for (i = 0; i < STRESS_WATCHES; i++)
		if (s->live[i])
			tw_unregister(&s->t[i]);
	return NULL;
}

/* Four threads register and unregister while their events run. */
static void unregister_stress(void)
{
	static struct stress s[4];
	pthread_t th[4];
	int i;

	begin();
	for (i = 0; i < 4; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].seed = i + 1;
		pthread_create(&th[i], NULL, stress_thread, &s[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	xw_wait_idle();
	CHECK_EQ(late_callbacks, 0);
	xw_stop();
}

int main(void)
{
	xw_default_bounds();
	RUN(unregister_self);
	RUN(unregister_same_lane);
	RUN(unregister_other_lane_running);
	RUN(unregister_lock_held);
	RUN(suspend_quiesces);
	RUN(unregister_stress);
	return t_done();
}
