// SPDX-License-Identifier: GPL-2.0
/*
 * The request producer check: how many requests may be consumed, and the
 * producer values only a hostile frontend writes.
 */
#include "../../../drivers/block/xen-blkback/blkback-proto.c"
#include "../common/test.h"

static unsigned int avail;

static enum xenpv_prod_verdict prod(RING_IDX req_prod, RING_IDX req_cons,
				    RING_IDX rsp_prod_pvt, unsigned int size)
{
	avail = 12345;
	return blkback_check_req_prod(req_prod, req_cons, rsp_prod_pvt, size,
				      &avail);
}

/* A producer check: the indexes, the verdict and the requests to consume. */
struct prod_case {
	RING_IDX req_prod, req_cons, rsp_prod_pvt;
	unsigned int size;
	enum xenpv_prod_verdict want;
	unsigned int avail;		/* 0 unless the verdict is OK */
};

static void check_prods(const struct prod_case *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, c++) {
		T_CASE("prod(%#x, %#x, %#x, %u)", c->req_prod, c->req_cons,
		       c->rsp_prod_pvt, c->size);
		CHECK_EQ(prod(c->req_prod, c->req_cons, c->rsp_prod_pvt,
			      c->size), c->want);
		CHECK_EQ(avail, c->avail);
	}
	T_CASE_END();
}

static void ordinary(void)
{
	static const struct prod_case cases[] = {
		{ 0, 0, 0, 32, XENPV_PROD_OK, 0 },
		{ 5, 0, 0, 32, XENPV_PROD_OK, 5 },
		/* Ten consumed, not yet answered: 22 more may come. */
		{ 32, 10, 0, 32, XENPV_PROD_OK, 22 },
		{ 10, 10, 0, 32, XENPV_PROD_OK, 0 },
		/* All answered, a full ring of new requests. */
		{ 132, 100, 100, 32, XENPV_PROD_OK, 32 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
}

static void overrun(void)
{
	static const struct prod_case cases[] = {
		{ 33, 0, 0, 32, XENPV_PROD_OVERRUN, 0 },
		{ 513, 0, 0, 512, XENPV_PROD_OVERRUN, 0 },
		{ 512, 0, 0, 512, XENPV_PROD_OK, 512 },
		/* Ten unanswered: only 22 response slots are free. */
		{ 33, 10, 0, 32, XENPV_PROD_UNASKED, 0 },
		{ 32, 10, 0, 32, XENPV_PROD_OK, 22 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
	CHECK(strstr(xenpv_prod_str(XENPV_PROD_OVERRUN), "ahead"));
}

static void backwards(void)
{
	static const struct prod_case cases[] = {
		{ 9, 10, 0, 32, XENPV_PROD_BACKWARDS, 0 },
		{ 0, 32, 0, 32, XENPV_PROD_BACKWARDS, 0 },
		{ 31, 32, 0, 32, XENPV_PROD_BACKWARDS, 0 },
		{ 32, 32, 0, 32, XENPV_PROD_OK, 0 },
		/* One behind an empty ring, half the index space ahead. */
		{ 99, 100, 100, 32, XENPV_PROD_BACKWARDS, 0 },
		{ 0x80000000u, 0, 0, 32, XENPV_PROD_BACKWARDS, 0 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
	CHECK(strstr(xenpv_prod_str(XENPV_PROD_BACKWARDS), "backwards"));
}

static void wrap_around(void)
{
	static const struct prod_case cases[] = {
		{ 5, 0xfffffffau, 0xfffffff0u, 32, XENPV_PROD_OK, 11 },
		{ 0x10, 0xfffffffau, 0xfffffff0u, 32, XENPV_PROD_OK, 22 },
		{ 0x11, 0xfffffffau, 0xfffffff0u, 32, XENPV_PROD_UNASKED, 0 },
		{ 0xfffffff9u, 0xfffffffau, 0xfffffff0u, 32,
		  XENPV_PROD_BACKWARDS, 0 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
}

/* Our own indexes inconsistent: a bug of ours, it warns, the ring stops. */
static void own_state_warns(void)
{
	CHECK_WARNS(1, CHECK_EQ(prod(40, 40, 0, 32), XENPV_PROD_OVERRUN));
	CHECK_WARNS(1, CHECK_EQ(prod(0, 0, 0, 0), XENPV_PROD_OVERRUN));
	CHECK_WARNS(1, CHECK_EQ(prod(0, 0, 0, 48), XENPV_PROD_OVERRUN));
	CHECK_EQ(avail, 0);
}

/* Every producer against a small ring, all base values, by brute force. */
static void exhaustive_small_ring(void)
{
	static const RING_IDX bases[] = { 0, 7, 0x7ffffffeu, 0xfffffffdu };
	const unsigned int size = 4;
	unsigned int b, used, bad = 0;
	int d;

	for (b = 0; b < ARRAY_SIZE(bases); b++) {
		RING_IDX rsp = bases[b];

		for (used = 0; used <= size; used++) {
			for (d = -8; d <= 12; d++) {
				RING_IDX cons = rsp + used;
				RING_IDX p = cons + d;
				enum xenpv_prod_verdict want;
				long ahead = (long)used + d;

				if (d < 0)
					want = XENPV_PROD_BACKWARDS;
				else if (d > (int)size)
					want = XENPV_PROD_OVERRUN;
				else if (ahead > (long)size)
					want = XENPV_PROD_UNASKED;
				else
					want = XENPV_PROD_OK;
				if (prod(p, cons, rsp, size) != want ||
				    avail != (want ? 0 : (unsigned int)d) ||
				    (!want && used + avail > size))
					bad++;
			}
		}
	}
	CHECK_EQ(bad, 0);
}

/* A frontend that keeps claiming a huge producer: no progress, no loop. */
static void hostile_producer_stops(void)
{
	RING_IDX cons = 0, rsp = 0;
	unsigned int round, consumed = 0;

	for (round = 0; round < 100; round++) {
		if (prod(rsp + 1000 + round, cons, rsp, 32) !=
		    XENPV_PROD_OK)
			break;
		consumed += avail;
	}
	CHECK_EQ(round, 0);
	CHECK_EQ(consumed, 0);
}

/* The table is the documentation: the properties the driver relies on. */
static void state_table(void)
{
	const struct xenpv_states *sm = &blkback_states;
	unsigned int s;

	CHECK_EQ(xenpv_states_check(sm, BB_WAIT_DEVICE), 0);
	CHECK_EQ(sm->nr, BB_NR_STATES);
	/* Every state closes; only connected breaks; closed starts over. */
	for (s = 0; s < BB_CLOSED; s++) {
		T_CASE("%s", sm->table[s].name);
		CHECK(sm->table[s].next & BIT(BB_CLOSED));
		CHECK_EQ(!!(sm->table[s].next & BIT(BB_BROKEN)), s == BB_CONNECTED);
	}
	T_CASE_END();
	CHECK(sm->table[BB_CLOSED].next & BIT(BB_READY));
	/* Rings are mapped only once the backing device is open. */
	for (s = 0; s < BB_NR_STATES; s++)
		CHECK_EQ(!!(sm->table[s].next & BIT(BB_CONNECTED)), s == BB_READY);
}

/* Linux's backend's statistics/ files, no more, no fewer. */
static void counter_table(void)
{
	static const char *const linux_files[] = {
		"oo_req", "rd_req", "wr_req", "f_req", "ds_req", "rd_sect",
		"wr_sect",
	};
	unsigned int i, j, n = 0;

	CHECK_EQ(xenpv_stats_check(blkback_stat_desc, BLKBACK_NR_STATS), 0);
	for (i = 0; i < BLKBACK_NR_STATS; i++) {
		if (!(blkback_stat_desc[i].flags & XENPV_STAT_SYSFS))
			continue;
		n++;
		for (j = 0; j < ARRAY_SIZE(linux_files); j++)
			if (!strcmp(blkback_stat_desc[i].name, linux_files[j]))
				break;
		CHECK(j < ARRAY_SIZE(linux_files));
	}
	CHECK_EQ(n, ARRAY_SIZE(linux_files));
}

static const struct t_case_def t_cases[] = {
	T_CASE_DEF(ordinary),
	T_CASE_DEF(overrun),
	T_CASE_DEF(backwards),
	T_CASE_DEF(wrap_around),
	T_CASE_DEF(own_state_warns),
	T_CASE_DEF(exhaustive_small_ring),
	T_CASE_DEF(hostile_producer_stops),
	T_CASE_DEF(state_table),
	T_CASE_DEF(counter_table),
	{}
};

T_SUITE(xen_blkback_ring, t_cases, NULL);
