// SPDX-License-Identifier: GPL-2.0
/*
 * Ring sizes, and the frontend's state and counter tables.  (The ring's
 * request ids are the xenpv core's: tools/testing/xenpv.)
 */
#include "../../../drivers/block/xen-blkfront/blkfront-proto.c"
#include "../common/test.h"

/*
 * blkfront_ring_size() sizes the id table and the tag set; the module's
 * glue sizes the ring with FRONT_RING_INIT() on the pages it shares: the
 * two must agree for every order the driver uses.
 */
static void ring_sizes(void)
{
	static u8 pages[XENPV_BLK_GRANT_SIZE << XENPV_BLK_MAX_RING_ORDER]
		__aligned(4096);
	struct blkif_sring *sring = (struct blkif_sring *)pages;
	struct blkif_front_ring front;
	unsigned int order;

	for (order = 0; order <= XENPV_BLK_MAX_RING_ORDER; order++) {
		T_CASE("order %u", order);
		SHARED_RING_INIT(sring);
		FRONT_RING_INIT(&front, sring, XENPV_BLK_GRANT_SIZE << order);
		CHECK_EQ(blkfront_ring_size(order), RING_SIZE(&front));
		/* Every slot lies inside the pages. */
		CHECK((u8 *)RING_GET_REQUEST(&front, RING_SIZE(&front) - 1) +
		      sizeof(union blkif_sring_entry) <=
		      pages + (XENPV_BLK_GRANT_SIZE << order));
	}
	T_CASE_END();
	CHECK_EQ(blkfront_ring_size(XENPV_BLK_MAX_RING_ORDER + 1), 0);
	CHECK_EQ(blkfront_ring_size(UINT_MAX), 0);
}

/* The table is the documentation: the properties the driver relies on. */
static void state_table(void)
{
	const struct xenpv_states *sm = &blkfront_states;
	unsigned int s;

	CHECK_EQ(xenpv_states_check(sm, BF_WAIT_BACKEND), 0);
	CHECK_EQ(sm->nr, BF_NR_STATES);
	/* Closed is the end; broken only closes. */
	CHECK_EQ(sm->table[BF_CLOSED].next, 0);
	CHECK_EQ(sm->table[BF_BROKEN].next, BIT(BF_CLOSED));
	for (s = 0; s < BF_CLOSED; s++) {
		T_CASE("%s", sm->table[s].name);
		CHECK(sm->table[s].next & BIT(BF_CLOSED));
		if (s != BF_BROKEN)
			CHECK(sm->table[s].next & BIT(BF_BROKEN));
	}
	T_CASE_END();
	/* Only the backend's Connected makes a disk take I/O. */
	for (s = 0; s < BF_NR_STATES; s++)
		if (s != BF_INITIALISED)
			CHECK(!(sm->table[s].next & BIT(BF_CONNECTED)));
}

static void counter_table(void)
{
	CHECK_EQ(xenpv_stats_check(blkfront_stat_desc, BLKFRONT_NR_STATS), 0);
	CHECK(blkfront_stat_desc[BLKFRONT_STAT_SPLIT].flags & XENPV_STAT_SYSFS);
}

static const struct t_case_def t_cases[] = {
	T_CASE_DEF(ring_sizes),
	T_CASE_DEF(state_table),
	T_CASE_DEF(counter_table),
	{}
};

T_SUITE(xen_blkfront_ring, t_cases, NULL);
