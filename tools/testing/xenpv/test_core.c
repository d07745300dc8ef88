// SPDX-License-Identifier: GPL-2.0
/*
 * The xenpv core: request ids, producer index checks, state tables and
 * counter tables.
 */
#include <linux/kernel.h>
#include <linux/limits.h>
#include <xen/interface/io/blkif.h>
#include <xenpv/core.h>

#include "../common/test.h"

/* ---- Request ids ----------------------------------------------------------- */

static void get_all_then_full(void)
{
	struct xenpv_ids ids;
	bool seen[32] = { false };
	unsigned int i;
	int id;

	CHECK_EQ(xenpv_ids_init(&ids, 32, GFP_KERNEL), 0);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 0);
	for (i = 0; i < 32; i++) {
		id = xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL);
		CHECK(id >= 0 && id < 32);
		if (id >= 0 && id < 32) {
			CHECK(!seen[id]);
			seen[id] = true;
		}
	}
	CHECK_EQ(xenpv_ids_in_flight(&ids), 32);
	CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL), -ENOSPC);
	CHECK_EQ(xenpv_id_put(&ids, 17), 0);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 31);
	/* LIFO: the id just freed comes back first. */
	CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_WRITE, 0, NULL), 17);
	CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL), -ENOSPC);
	xenpv_ids_destroy(&ids);
	CHECK(!ids.ent);
	xenpv_ids_destroy(&ids);
}

static void double_free(void)
{
	struct xenpv_ids ids;
	int a, b;

	CHECK_EQ(xenpv_ids_init(&ids, 8, GFP_KERNEL), 0);
	a = xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL);
	b = xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL);
	CHECK_EQ(xenpv_id_put(&ids, a), 0);
	CHECK_WARNS(1, CHECK_EQ(xenpv_id_put(&ids, a), -EINVAL));
	/* The free list is intact: 7 free ids, each handed out once. */
	CHECK_EQ(xenpv_ids_in_flight(&ids), 1);
	CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL), a);
	CHECK_WARNS(1, CHECK_EQ(xenpv_id_put(&ids, 5), -EINVAL));
	CHECK_EQ(xenpv_id_put(&ids, b), 0);
	CHECK_EQ(xenpv_id_put(&ids, a), 0);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 0);
	xenpv_ids_destroy(&ids);
}

static void put_out_of_range(void)
{
	struct xenpv_ids ids;

	CHECK_EQ(xenpv_ids_init(&ids, 8, GFP_KERNEL), 0);
	CHECK_WARNS(1, CHECK_EQ(xenpv_id_put(&ids, 8), -EINVAL));
	CHECK_WARNS(1, CHECK_EQ(xenpv_id_put(&ids, UINT_MAX), -EINVAL));
	CHECK_EQ(ids.nr_free, 8);
	xenpv_ids_destroy(&ids);
}

static void init_limits_and_enomem(void)
{
	struct xenpv_ids ids;

	CHECK_EQ(xenpv_ids_init(&ids, 0, GFP_KERNEL), -EINVAL);
	CHECK_EQ(xenpv_ids_init(&ids, 65537, GFP_KERNEL), -EINVAL);
	shim_fail_alloc(1);
	CHECK_EQ(xenpv_ids_init(&ids, 32, GFP_KERNEL), -ENOMEM);
	CHECK(!ids.ent);
	CHECK_EQ(ids.size, 0);
	/* A failed table has no ids: get must not touch it. */
	CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL), -ENOSPC);
	xenpv_ids_destroy(&ids);
	CHECK_EQ(xenpv_ids_init(&ids, 65536, GFP_KERNEL), 0);
	CHECK_EQ(ids.nr_free, 65536);
	xenpv_ids_destroy(&ids);
}

static void walk_and_priv(void)
{
	struct xenpv_ids ids;
	int cookie[8];
	int i;

	CHECK_EQ(xenpv_ids_init(&ids, 8, GFP_KERNEL), 0);
	for (i = 0; i < 8; i++)
		CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_WRITE, 0,
				      &cookie[i]), i);
	CHECK_EQ(xenpv_id_put(&ids, 0), 0);
	CHECK_EQ(xenpv_id_put(&ids, 3), 0);
	CHECK_EQ(xenpv_id_put(&ids, 7), 0);
	CHECK_EQ(xenpv_ids_next_in_flight(&ids, 0), 1);
	CHECK_EQ(xenpv_ids_next_in_flight(&ids, 3), 4);
	CHECK_EQ(xenpv_ids_next_in_flight(&ids, 7), -ENOENT);
	CHECK_EQ(xenpv_ids_next_in_flight(&ids, 100), -ENOENT);
	CHECK(xenpv_id_priv(&ids, 4) == &cookie[4]);
	CHECK(!xenpv_id_priv(&ids, 3));
	CHECK(!xenpv_id_priv(&ids, 8));

	xenpv_ids_reset(&ids);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 0);
	CHECK_EQ(xenpv_ids_next_in_flight(&ids, 0), -ENOENT);
	CHECK(!xenpv_id_priv(&ids, 4));
	for (i = 0; i < 8; i++)
		CHECK(xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL) >= 0);
	CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL), -ENOSPC);
	xenpv_ids_destroy(&ids);
}

static void corrupt_free_list_warns(void)
{
	struct xenpv_ids ids;

	CHECK_EQ(xenpv_ids_init(&ids, 4, GFP_KERNEL), 0);
	ids.free_head = 9;
	CHECK_WARNS(1, CHECK_EQ(xenpv_id_get(&ids, BLKIF_OP_READ, 0,
					     NULL), -ENOSPC));
	xenpv_ids_destroy(&ids);
}

static void id_check_verdicts(void)
{
	struct xenpv_ids ids;
	const struct xenpv_id *e;
	int cookie, a, b;

	CHECK_EQ(xenpv_ids_init(&ids, 8, GFP_KERNEL), 0);
	a = xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL);
	b = xenpv_id_get(&ids, BLKIF_OP_WRITE, 0x41 | XENPV_ID_BUSY, &cookie);
	CHECK_EQ(xenpv_id_check(&ids, a, BLKIF_OP_READ), XENPV_ID_OK);
	CHECK_EQ(xenpv_id_check(&ids, b, BLKIF_OP_WRITE), XENPV_ID_OK);
	CHECK_EQ(xenpv_id_check(&ids, b, BLKIF_OP_READ), XENPV_ID_WRONG_OP);
	CHECK_EQ(xenpv_id_check(&ids, 5, BLKIF_OP_READ), XENPV_ID_STALE);
	CHECK_EQ(xenpv_id_check(&ids, 8, BLKIF_OP_READ), XENPV_ID_RANGE);
	CHECK_EQ(xenpv_id_check(&ids, 1ULL << 32, BLKIF_OP_READ),
		 XENPV_ID_RANGE);
	/* The caller's flags are kept, the core's bit stays the core's. */
	e = xenpv_id_entry(&ids, b);
	CHECK(e && e->priv == &cookie && e->op == BLKIF_OP_WRITE);
	CHECK_EQ(e->flags, 0x41 | XENPV_ID_BUSY);
	CHECK(!xenpv_id_entry(&ids, 5));
	CHECK_EQ(xenpv_id_put(&ids, b), 0);
	CHECK_EQ(xenpv_id_check(&ids, b, BLKIF_OP_WRITE), XENPV_ID_STALE);
	CHECK(strcmp(xenpv_id_str(XENPV_ID_STALE), xenpv_id_str(XENPV_ID_OK)));
	CHECK(xenpv_id_str(99)[0]);
	xenpv_ids_destroy(&ids);
}

/* ---- Producer indexes ---------------------------------------------------- */

static void producer_indexes(void)
{
	static const struct {
		u32 prod, cons;
		unsigned int size, room;
		enum xenpv_prod_verdict want;
		unsigned int avail;
	} cases[] = {
		{ 10, 10, 32, 32, XENPV_PROD_OK, 0 },
		{ 42, 10, 32, 32, XENPV_PROD_OK, 32 },
		{ 43, 10, 32, 32, XENPV_PROD_OVERRUN, 0 },
		{ 15, 10, 32, 4, XENPV_PROD_UNASKED, 0 },
		{ 14, 10, 32, 4, XENPV_PROD_OK, 4 },
		{ 9, 10, 32, 32, XENPV_PROD_BACKWARDS, 0 },
		/* Indexes wrap around 2^32. */
		{ 3, 0xfffffffeU, 32, 8, XENPV_PROD_OK, 5 },
		{ 0xfffffffeU, 3, 32, 8, XENPV_PROD_BACKWARDS, 0 },
		{ 0x80000010U, 0x10, 512, 512, XENPV_PROD_BACKWARDS, 0 },
		{ 0x7fffffffU, 0, 512, 512, XENPV_PROD_OVERRUN, 0 },
	};
	unsigned int i, avail;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("prod %u cons %u", cases[i].prod, cases[i].cons);
		avail = 77;
		CHECK_EQ(xenpv_check_prod(cases[i].prod, cases[i].cons,
					  cases[i].size, cases[i].room, &avail),
			 cases[i].want);
		CHECK_EQ(avail, cases[i].avail);
		CHECK(xenpv_prod_str(cases[i].want)[0]);
	}
	T_CASE_END();
	CHECK(xenpv_prod_str(99)[0]);
}

/* ---- State tables ----------------------------------------------------------- */

static void state_tables(void)
{
	struct xenpv_state t[4] = {
		{ "a", BIT(1) }, { "b", BIT(2) | BIT(3) }, { "c", BIT(3) },
		{ "d", 0 },
	};
	struct xenpv_states sm = { .table = t, .nr = 4, .peer = "backend" };

	CHECK_EQ(xenpv_states_check(&sm, 0), 0);
	CHECK_EQ(xenpv_states_check(&sm, 1), -EINVAL);	/* a unreachable */
	CHECK_EQ(xenpv_states_check(&sm, 4), -EINVAL);
	t[2].next |= BIT(2);				/* c -> c */
	CHECK_EQ(xenpv_states_check(&sm, 0), -EINVAL);
	t[2].next = BIT(4);				/* beyond the table */
	CHECK_EQ(xenpv_states_check(&sm, 0), -EINVAL);
	t[2].next = BIT(3);
	t[3].name = NULL;
	CHECK_EQ(xenpv_states_check(&sm, 0), -EINVAL);
	t[3].name = "";
	CHECK_EQ(xenpv_states_check(&sm, 0), -EINVAL);
	t[3].name = "d";
	t[1].next = BIT(2);				/* d unreachable */
	t[2].next = 0;
	CHECK_EQ(xenpv_states_check(&sm, 0), -EINVAL);
	t[2].next = BIT(3);
	CHECK_EQ(xenpv_states_check(&sm, 0), 0);
	sm.nr = 9;
	CHECK_EQ(xenpv_states_check(&sm, 0), -EINVAL);
	sm.nr = 4;
	sm.peer = NULL;
	CHECK_EQ(xenpv_states_check(&sm, 0), -EINVAL);
	CHECK(!strcmp(xenpv_state_name(&sm, 2), "c"));
	CHECK(!strcmp(xenpv_state_name(&sm, 4), "?"));
}

static void state_moves(void)
{
	static const struct xenpv_state t[4] = {
		{ "a", BIT(1) }, { "b", BIT(2) }, { "c", BIT(3) }, { "d", 0 },
	};
	struct xenpv_states sm = { .table = t, .nr = 4, .peer = "frontend" };

	CHECK(xenpv_state_allowed(&sm, 0, 1));
	CHECK(xenpv_state_allowed(&sm, 2, 3));
	/* Not allowed, or out of the table: a bug of the driver. */
	CHECK_WARNS(1, CHECK(!xenpv_state_allowed(&sm, 0, 2)));
	CHECK_WARNS(1, CHECK(!xenpv_state_allowed(&sm, 3, 0)));
	CHECK_WARNS(1, CHECK(!xenpv_state_allowed(&sm, 4, 1)));
	CHECK_WARNS(1, CHECK(!xenpv_state_allowed(&sm, 1, 4)));
}

/* ---- Counter tables --------------------------------------------------------- */

static void counter_tables(void)
{
	struct xenpv_stat desc[3] = {
		{ "reads", XENPV_STAT_SYSFS }, { "writes", 0 },
		{ "bad_req2", XENPV_STAT_SYSFS },
	};
	u64 sum[3] = { 1, 2, 3 }, v[3] = { 10, 20, 30 };

	CHECK_EQ(xenpv_stats_check(desc, 3), 0);
	/* A counter the table forgot has no name. */
	desc[1].name = NULL;
	CHECK_EQ(xenpv_stats_check(desc, 3), -EINVAL);
	desc[1].name = "reads";
	CHECK_EQ(xenpv_stats_check(desc, 3), -EINVAL);
	desc[1].name = "Writes";
	CHECK_EQ(xenpv_stats_check(desc, 3), -EINVAL);
	desc[1].name = "wr-req";
	CHECK_EQ(xenpv_stats_check(desc, 3), -EINVAL);
	desc[1].name = "writes";
	desc[2].flags = 0x80;
	CHECK_EQ(xenpv_stats_check(desc, 3), -EINVAL);
	desc[2].flags = 0;
	CHECK_EQ(xenpv_stats_check(desc, 3), 0);
	xenpv_stats_add(sum, v, 3);
	CHECK_EQ(sum[0], 11);
	CHECK_EQ(sum[2], 33);
	xenpv_stat_add(&v[1], 5);
	CHECK_EQ(v[1], 25);
}

static const struct t_case_def t_cases[] = {
	T_CASE_DEF(get_all_then_full),
	T_CASE_DEF(double_free),
	T_CASE_DEF(put_out_of_range),
	T_CASE_DEF(init_limits_and_enomem),
	T_CASE_DEF(walk_and_priv),
	T_CASE_DEF(corrupt_free_list_warns),
	T_CASE_DEF(id_check_verdicts),
	T_CASE_DEF(producer_indexes),
	T_CASE_DEF(state_tables),
	T_CASE_DEF(state_moves),
	T_CASE_DEF(counter_tables),
	{}
};

T_SUITE(xenpv_core, t_cases, NULL);
