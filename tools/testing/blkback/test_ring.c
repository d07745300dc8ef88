// SPDX-License-Identifier: GPL-2.0
/*
 * The request producer check: how many requests may be consumed, and the
 * producer values only a hostile frontend writes.
 */
#include "../../../drivers/block/xen-blkback/blkback-proto.c"
#include "../common/test.h"

static unsigned int avail;

static enum blkback_ring_verdict prod(RING_IDX req_prod, RING_IDX req_cons,
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
	enum blkback_ring_verdict want;
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
		{ 0, 0, 0, 32, BLKBACK_RING_OK, 0 },
		{ 5, 0, 0, 32, BLKBACK_RING_OK, 5 },
		/* Ten consumed, not yet answered: 22 more may come. */
		{ 32, 10, 0, 32, BLKBACK_RING_OK, 22 },
		{ 10, 10, 0, 32, BLKBACK_RING_OK, 0 },
		/* All answered, a full ring of new requests. */
		{ 132, 100, 100, 32, BLKBACK_RING_OK, 32 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
}

static void overrun(void)
{
	static const struct prod_case cases[] = {
		{ 33, 0, 0, 32, BLKBACK_RING_PROD_OVERRUN, 0 },
		{ 33, 10, 0, 32, BLKBACK_RING_PROD_OVERRUN, 0 },
		{ 513, 0, 0, 512, BLKBACK_RING_PROD_OVERRUN, 0 },
		{ 512, 0, 0, 512, BLKBACK_RING_OK, 512 },
		{ 0x80000000u, 0, 0, 32, BLKBACK_RING_PROD_OVERRUN, 0 },
		/* One behind an empty ring is 2^32 - 1 ahead. */
		{ 99, 100, 100, 32, BLKBACK_RING_PROD_OVERRUN, 0 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
	CHECK(strstr(blkback_ring_verdict_str(BLKBACK_RING_PROD_OVERRUN),
		     "ahead"));
}

static void backwards(void)
{
	static const struct prod_case cases[] = {
		{ 9, 10, 0, 32, BLKBACK_RING_PROD_BACKWARDS, 0 },
		{ 0, 32, 0, 32, BLKBACK_RING_PROD_BACKWARDS, 0 },
		{ 31, 32, 0, 32, BLKBACK_RING_PROD_BACKWARDS, 0 },
		{ 32, 32, 0, 32, BLKBACK_RING_OK, 0 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
	CHECK(strstr(blkback_ring_verdict_str(BLKBACK_RING_PROD_BACKWARDS),
		     "backwards"));
}

static void wrap_around(void)
{
	static const struct prod_case cases[] = {
		{ 5, 0xfffffffau, 0xfffffff0u, 32, BLKBACK_RING_OK, 11 },
		{ 0x10, 0xfffffffau, 0xfffffff0u, 32, BLKBACK_RING_OK, 22 },
		{ 0x11, 0xfffffffau, 0xfffffff0u, 32,
		  BLKBACK_RING_PROD_OVERRUN, 0 },
		{ 0xfffffff9u, 0xfffffffau, 0xfffffff0u, 32,
		  BLKBACK_RING_PROD_BACKWARDS, 0 },
	};

	check_prods(cases, ARRAY_SIZE(cases));
}

static void own_state_warns(void)
{
	CHECK_WARNS(1, CHECK_EQ(prod(40, 40, 0, 32), BLKBACK_RING_BAD_STATE));
	CHECK_WARNS(1, CHECK_EQ(prod(0, 0, 0, 0), BLKBACK_RING_BAD_STATE));
	CHECK_WARNS(1, CHECK_EQ(prod(0, 0, 0, 48), BLKBACK_RING_BAD_STATE));
	CHECK_EQ(avail, 0);
	CHECK(strcmp(blkback_ring_verdict_str(BLKBACK_RING_BAD_STATE),
		     "unknown ring verdict"));
	CHECK(!strcmp(blkback_ring_verdict_str(99), "unknown ring verdict"));
	CHECK(!strcmp(blkback_ring_verdict_str(BLKBACK_RING_OK), "ok"));
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
				enum blkback_ring_verdict want;
				long ahead = (long)used + d;

				if (ahead > (long)size || ahead < 0)
					want = BLKBACK_RING_PROD_OVERRUN;
				else if (d < 0)
					want = BLKBACK_RING_PROD_BACKWARDS;
				else
					want = BLKBACK_RING_OK;
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
		    BLKBACK_RING_OK)
			break;
		consumed += avail;
	}
	CHECK_EQ(round, 0);
	CHECK_EQ(consumed, 0);
}

int main(void)
{
	RUN(ordinary);
	RUN(overrun);
	RUN(backwards);
	RUN(wrap_around);
	RUN(own_state_warns);
	RUN(exhaustive_small_ring);
	RUN(hostile_producer_stops);
	return t_done();
}
