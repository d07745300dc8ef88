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

static void ordinary(void)
{
	CHECK_EQ(prod(0, 0, 0, 32), BLKBACK_RING_OK);
	CHECK_EQ(avail, 0);
	CHECK_EQ(prod(5, 0, 0, 32), BLKBACK_RING_OK);
	CHECK_EQ(avail, 5);
	/* Ten consumed, not yet answered: 22 more may come. */
	CHECK_EQ(prod(32, 10, 0, 32), BLKBACK_RING_OK);
	CHECK_EQ(avail, 22);
	CHECK_EQ(prod(10, 10, 0, 32), BLKBACK_RING_OK);
	CHECK_EQ(avail, 0);
	/* All answered, a full ring of new requests. */
	CHECK_EQ(prod(132, 100, 100, 32), BLKBACK_RING_OK);
	CHECK_EQ(avail, 32);
}

static void overrun(void)
{
	CHECK_EQ(prod(33, 0, 0, 32), BLKBACK_RING_PROD_OVERRUN);
	CHECK_EQ(avail, 0);
	CHECK_EQ(prod(33, 10, 0, 32), BLKBACK_RING_PROD_OVERRUN);
	CHECK_EQ(prod(513, 0, 0, 512), BLKBACK_RING_PROD_OVERRUN);
	CHECK_EQ(prod(512, 0, 0, 512), BLKBACK_RING_OK);
	CHECK_EQ(prod(0x80000000u, 0, 0, 32), BLKBACK_RING_PROD_OVERRUN);
	/* One behind an empty ring is 2^32 - 1 ahead. */
	CHECK_EQ(prod(99, 100, 100, 32), BLKBACK_RING_PROD_OVERRUN);
	CHECK(strstr(blkback_ring_verdict_str(BLKBACK_RING_PROD_OVERRUN),
		     "ahead"));
}

static void backwards(void)
{
	CHECK_EQ(prod(9, 10, 0, 32), BLKBACK_RING_PROD_BACKWARDS);
	CHECK_EQ(avail, 0);
	CHECK_EQ(prod(0, 32, 0, 32), BLKBACK_RING_PROD_BACKWARDS);
	CHECK_EQ(prod(31, 32, 0, 32), BLKBACK_RING_PROD_BACKWARDS);
	CHECK_EQ(prod(32, 32, 0, 32), BLKBACK_RING_OK);
	CHECK(strstr(blkback_ring_verdict_str(BLKBACK_RING_PROD_BACKWARDS),
		     "backwards"));
}

static void wrap_around(void)
{
	CHECK_EQ(prod(5, 0xfffffffau, 0xfffffff0u, 32), BLKBACK_RING_OK);
	CHECK_EQ(avail, 11);
	CHECK_EQ(prod(0x10, 0xfffffffau, 0xfffffff0u, 32), BLKBACK_RING_OK);
	CHECK_EQ(avail, 22);
	CHECK_EQ(prod(0x11, 0xfffffffau, 0xfffffff0u, 32),
		 BLKBACK_RING_PROD_OVERRUN);
	CHECK_EQ(prod(0xfffffff9u, 0xfffffffau, 0xfffffff0u, 32),
		 BLKBACK_RING_PROD_BACKWARDS);
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
