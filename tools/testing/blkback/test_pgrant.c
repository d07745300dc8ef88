// SPDX-License-Identifier: GPL-2.0
/*
 * The persistent grant pool: the bound, pins, LRU reclaim, idle reclaim
 * and a randomized run against a simple model.
 */
#include "../../../drivers/block/xen-blkback/blkback-proto.c"
#include "../common/test.h"

static struct blkback_pgrant_pool pool;

/* Take everything back, as a ring being torn down does. */
static void drain(void)
{
	u32 slots[64];
	unsigned int n, i;

	while ((n = blkback_pgrant_reclaim(&pool, ARRAY_SIZE(slots), 0, 0,
					   slots)))
		for (i = 0; i < n; i++)
			blkback_pgrant_release(&pool, slots[i]);
	blkback_pgrant_destroy(&pool);
}

static void init_limits(void)
{
	u32 slot;

	CHECK_EQ(blkback_pgrant_init(&pool, 0, 1, GFP_KERNEL), 0);
	CHECK_EQ(blkback_pgrant_add(&pool, 5), -ENOSPC);
	CHECK_EQ(blkback_pgrant_get(&pool, 5), -ENOENT);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 0);
	CHECK_EQ(blkback_pgrant_reclaim(&pool, 4, 0, 0, &slot), 0);
	blkback_pgrant_destroy(&pool);
	blkback_pgrant_destroy(&pool);

	CHECK_EQ(blkback_pgrant_init(&pool, BLKBACK_MAX_PGRANT + 1, 1, GFP_KERNEL),
		 -EINVAL);
	CHECK_EQ(blkback_pgrant_init(&pool, BLKBACK_MAX_PGRANT, 1, GFP_KERNEL), 0);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), BLKBACK_MAX_PGRANT);
	blkback_pgrant_destroy(&pool);

	shim_fail_alloc(1);
	CHECK_EQ(blkback_pgrant_init(&pool, 16, 1, GFP_KERNEL), -ENOMEM);
	shim_fail_alloc(2);
	CHECK_EQ(blkback_pgrant_init(&pool, 16, 1, GFP_KERNEL), -ENOMEM);
	CHECK(!pool.ent && !pool.hash);
}

static void add_get_put(void)
{
	int a, b;

	CHECK_EQ(blkback_pgrant_init(&pool, 4, 0x1234, GFP_KERNEL), 0);
	CHECK_EQ(blkback_pgrant_get(&pool, 5), -ENOENT);
	a = blkback_pgrant_add(&pool, 5);
	CHECK(a >= 0 && a < 4);
	CHECK_EQ(blkback_pgrant_add(&pool, 5), -EEXIST);
	CHECK_EQ(blkback_pgrant_get(&pool, 5), a);	/* pinned twice */
	b = blkback_pgrant_add(&pool, 0xffffffffu);
	CHECK(b >= 0 && b != a);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 2);
	CHECK_EQ(pool.ent[a].pins, 2);
	CHECK_EQ(pool.ent[a].gref, 5);

	blkback_pgrant_put(&pool, a, 1);
	CHECK_EQ(pool.nr_lru, 0);
	blkback_pgrant_put(&pool, a, 2);
	CHECK_EQ(pool.nr_lru, 1);
	/* Unpinned, still mapped and found. */
	CHECK_EQ(blkback_pgrant_get(&pool, 5), a);
	CHECK_EQ(pool.nr_lru, 0);
	blkback_pgrant_put(&pool, a, 3);
	blkback_pgrant_put(&pool, b, 3);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 2);
	drain();
}

static void bound_respected(void)
{
	unsigned int i, max_taken = 0, mapped_plain = 0;
	u32 slots[8];
	int s, n, j;

	CHECK_EQ(blkback_pgrant_init(&pool, 8, 99, GFP_KERNEL), 0);
	for (i = 0; i < 8; i++)
		CHECK(blkback_pgrant_add(&pool, 1000 + i) >= 0);
	CHECK_EQ(blkback_pgrant_add(&pool, 2000), -ENOSPC);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 0);
	for (i = 0; i < 8; i++)
		blkback_pgrant_put(&pool, blkback_pgrant_get(&pool, 1000 + i), i);
	for (i = 0; i < 8; i++)
		blkback_pgrant_put(&pool, i, 8);

	/* A frontend that never reuses a grant: the pool stays at 8. */
	for (i = 0; i < 10000; i++) {
		s = blkback_pgrant_add(&pool, 3000 + i);
		if (s == -ENOSPC) {
			mapped_plain++;
			n = blkback_pgrant_reclaim(&pool, 2, i, 0, slots);
			for (j = 0; j < n; j++)
				blkback_pgrant_release(&pool, slots[j]);
			continue;
		}
		CHECK(s >= 0);
		blkback_pgrant_put(&pool, s, i);
		max_taken = max(max_taken, pool.nr_live + pool.nr_reclaim);
	}
	CHECK_EQ(max_taken, 8);
	CHECK(mapped_plain > 0);
	CHECK(pool.nr_live + pool.nr_reclaim <= 8);
	drain();
}

static void reclaim_order(void)
{
	u32 slots[4];
	int a, b, c, d;

	CHECK_EQ(blkback_pgrant_init(&pool, 4, 7, GFP_KERNEL), 0);
	a = blkback_pgrant_add(&pool, 10);
	b = blkback_pgrant_add(&pool, 11);
	c = blkback_pgrant_add(&pool, 12);
	d = blkback_pgrant_add(&pool, 13);
	blkback_pgrant_put(&pool, c, 10);
	blkback_pgrant_put(&pool, a, 20);
	blkback_pgrant_put(&pool, d, 30);
	blkback_pgrant_put(&pool, b, 40);
	/* a is used again: it becomes the most recent. */
	CHECK_EQ(blkback_pgrant_get(&pool, 10), a);
	blkback_pgrant_put(&pool, a, 50);

	CHECK_EQ(blkback_pgrant_reclaim(&pool, 2, 100, 0, slots), 2);
	CHECK_EQ(slots[0], c);
	CHECK_EQ(slots[1], d);
	/* Being reclaimed: not found, slot not free yet. */
	CHECK_EQ(blkback_pgrant_get(&pool, 12), -ENOENT);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 0);
	CHECK_EQ(blkback_pgrant_add(&pool, 12), -ENOSPC);
	blkback_pgrant_release(&pool, c);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 1);
	/* The same grant may be mapped again while the old slot unmaps. */
	CHECK_EQ(blkback_pgrant_add(&pool, 13), c);
	blkback_pgrant_put(&pool, c, 60);
	blkback_pgrant_release(&pool, d);

	CHECK_EQ(blkback_pgrant_reclaim(&pool, 4, 100, 0, slots), 3);
	CHECK_EQ(slots[0], b);
	CHECK_EQ(slots[1], a);
	CHECK_EQ(slots[2], c);
	blkback_pgrant_release(&pool, a);
	blkback_pgrant_release(&pool, b);
	blkback_pgrant_release(&pool, c);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 4);
	drain();
}

static void pinned_never_reclaimed(void)
{
	u32 slots[8];
	int s[8], i, n;

	CHECK_EQ(blkback_pgrant_init(&pool, 8, 3, GFP_KERNEL), 0);
	for (i = 0; i < 8; i++)
		s[i] = blkback_pgrant_add(&pool, i);
	CHECK_EQ(blkback_pgrant_reclaim(&pool, 8, 1000, 0, slots), 0);
	for (i = 0; i < 8; i += 2)
		blkback_pgrant_put(&pool, s[i], i);
	n = blkback_pgrant_reclaim(&pool, 8, 1000, 0, slots);
	CHECK_EQ(n, 4);
	for (i = 0; i < n; i++) {
		CHECK_EQ(slots[i] % 2, 0);
		CHECK_EQ(pool.ent[slots[i]].pins, 0);
		blkback_pgrant_release(&pool, slots[i]);
	}
	/* The pinned ones are all still there. */
	for (i = 1; i < 8; i += 2) {
		CHECK_EQ(blkback_pgrant_get(&pool, i), s[i]);
		blkback_pgrant_put(&pool, s[i], 0);
		blkback_pgrant_put(&pool, s[i], 0);
	}
	drain();
}

static void idle_reclaim(void)
{
	u32 slots[4];
	int a, b, c;

	CHECK_EQ(blkback_pgrant_init(&pool, 4, 3, GFP_KERNEL), 0);
	a = blkback_pgrant_add(&pool, 1);
	b = blkback_pgrant_add(&pool, 2);
	c = blkback_pgrant_add(&pool, 3);
	blkback_pgrant_put(&pool, a, 0);
	blkback_pgrant_put(&pool, b, 50);
	blkback_pgrant_put(&pool, c, 100);
	CHECK_EQ(blkback_pgrant_reclaim(&pool, 4, 59, 60, slots), 0);
	CHECK_EQ(blkback_pgrant_reclaim(&pool, 4, 120, 60, slots), 2);
	CHECK_EQ(slots[0], a);
	CHECK_EQ(slots[1], b);
	blkback_pgrant_release(&pool, a);
	blkback_pgrant_release(&pool, b);
	CHECK_EQ(blkback_pgrant_reclaim(&pool, 4, 160, 60, slots), 1);
	CHECK_EQ(slots[0], c);
	blkback_pgrant_release(&pool, c);
	/* The clock wraps, as jiffies do. */
	a = blkback_pgrant_add(&pool, 4);
	blkback_pgrant_put(&pool, a, ULONG_MAX - 5);
	CHECK_EQ(blkback_pgrant_reclaim(&pool, 4, 5, 16, slots), 0);
	CHECK_EQ(blkback_pgrant_reclaim(&pool, 4, 10, 16, slots), 1);
	CHECK_EQ(slots[0], a);
	blkback_pgrant_release(&pool, a);
	drain();
}

static void abort_and_misuse(void)
{
	int a;

	CHECK_EQ(blkback_pgrant_init(&pool, 2, 3, GFP_KERNEL), 0);
	a = blkback_pgrant_add(&pool, 77);
	blkback_pgrant_abort(&pool, a);
	CHECK_EQ(blkback_pgrant_get(&pool, 77), -ENOENT);
	CHECK_EQ(blkback_pgrant_nr_free(&pool), 2);

	a = blkback_pgrant_add(&pool, 77);
	CHECK_EQ(blkback_pgrant_get(&pool, 77), a);
	CHECK_WARNS(1, blkback_pgrant_abort(&pool, a));	/* two pins */
	blkback_pgrant_put(&pool, a, 0);
	blkback_pgrant_put(&pool, a, 0);
	CHECK_WARNS(1, blkback_pgrant_put(&pool, a, 0));	/* no pin left */
	CHECK_WARNS(1, blkback_pgrant_abort(&pool, a));
	CHECK_WARNS(1, blkback_pgrant_put(&pool, 2, 0));	/* out of range */
	CHECK_WARNS(1, blkback_pgrant_release(&pool, a));	/* not reclaimed */
	CHECK_WARNS(1, blkback_pgrant_release(&pool, 9));
	CHECK_EQ(pool.ent[a].state, BLKBACK_PGRANT_LIVE);
	/* Destroying with a grant still mapped leaks it: warn. */
	CHECK_WARNS(1, blkback_pgrant_destroy(&pool));
}

/* Grants that all share one bucket: lookups and removals stay exact. */
static void collisions(void)
{
	unsigned int i, found = 0;
	grant_ref_t g[64], x;
	u32 slots[64];
	int n;

	CHECK_EQ(blkback_pgrant_init(&pool, 64, 0xabcdef, GFP_KERNEL), 0);
	for (i = 0, x = 0; i < 64; x++)
		if (blkback_pgrant_bucket(&pool, x) == 5)
			g[i++] = x;
	for (i = 0; i < 64; i++)
		blkback_pgrant_put(&pool, blkback_pgrant_add(&pool, g[i]), i);
	/* The oldest half goes, from all over the chain. */
	n = blkback_pgrant_reclaim(&pool, 32, 64, 0, slots);
	CHECK_EQ(n, 32);
	for (i = 0; i < 64; i++) {
		int s = blkback_pgrant_get(&pool, g[i]);

		if (s < 0)
			continue;
		found++;
		CHECK_EQ(pool.ent[s].gref, g[i]);
		CHECK(i >= 32);
		blkback_pgrant_put(&pool, s, 100);
	}
	CHECK_EQ(found, 32);
	while (n--)
		blkback_pgrant_release(&pool, slots[n]);
	drain();
}

/* 32 random bits: the low half of t_rng()'s. */
static u32 rng(void)
{
	return t_rng();
}

#define M_CAP	16
#define M_GREFS	40

/* Model: per gref, mapped or not, its pins, its unpin time. */
struct model {
	bool live[M_GREFS];
	u32 pins[M_GREFS];
	unsigned long used[M_GREFS];
	int slot[M_GREFS];
	unsigned int nr_live;
};

static void random_step(struct model *m, unsigned long now)
{
	unsigned int g = rng() % M_GREFS, i, n, oldest;
	u32 slots[4];
	int s;

	switch (rng() % 4) {
	case 0:		/* a segment uses grant g */
		s = blkback_pgrant_get(&pool, g);
		if (m->live[g]) {
			CHECK_EQ(s, m->slot[g]);
			m->pins[g]++;
			break;
		}
		CHECK_EQ(s, -ENOENT);
		s = blkback_pgrant_add(&pool, g);
		if (m->nr_live == M_CAP) {
			CHECK_EQ(s, -ENOSPC);
			break;
		}
		CHECK(s >= 0);
		m->live[g] = true;
		m->pins[g] = 1;
		m->slot[g] = s;
		m->nr_live++;
		break;
	case 1:
	case 2:		/* a segment completes */
		if (!m->live[g] || !m->pins[g])
			break;
		blkback_pgrant_put(&pool, m->slot[g], now);
		if (!--m->pins[g])
			m->used[g] = now;
		break;
	case 3:		/* reclaim the least recently used unpinned grants */
		n = blkback_pgrant_reclaim(&pool, rng() % 4, now, 0, slots);
		for (i = 0; i < n; i++) {
			for (g = 0; g < M_GREFS; g++)
				if (m->live[g] && m->slot[g] == (int)slots[i])
					break;
			CHECK(g < M_GREFS && !m->pins[g]);
			if (g == M_GREFS)
				return;
			for (oldest = 0; oldest < M_GREFS; oldest++)
				CHECK(!m->live[oldest] || m->pins[oldest] ||
				      m->used[oldest] >= m->used[g]);
			m->live[g] = false;
			m->nr_live--;
			blkback_pgrant_release(&pool, slots[i]);
		}
		break;
	}
}

static void random_against_model(void)
{
	static struct model m;
	unsigned long now;
	unsigned int g;

	t_rng_state = 0x2545f4914f6cdd1dULL;
	CHECK_EQ(blkback_pgrant_init(&pool, M_CAP, 42, GFP_KERNEL), 0);
	for (now = 1; now <= 200000 && !t_checks_failed; now++) {
		random_step(&m, now);
		CHECK_EQ(pool.nr_live, m.nr_live);
		CHECK(pool.nr_live + pool.nr_reclaim <= M_CAP);
	}
	for (g = 0; g < M_GREFS; g++)
		for (; m.live[g] && m.pins[g]; m.pins[g]--)
			blkback_pgrant_put(&pool, m.slot[g], now);
	CHECK_EQ(pool.nr_lru, pool.nr_live);
	drain();
}

int main(void)
{
	RUN(init_limits);
	RUN(add_get_put);
	RUN(bound_respected);
	RUN(reclaim_order);
	RUN(pinned_never_reclaimed);
	RUN(idle_reclaim);
	RUN(abort_and_misuse);
	RUN(collisions);
	RUN(random_against_model);
	return t_done();
}
