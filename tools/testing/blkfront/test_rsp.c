// SPDX-License-Identifier: GPL-2.0
/*
 * Response validation against a hostile backend.
 */
#include "../../../drivers/block/xen-blkfront/blkfront-proto.c"
#include "../common/test.h"

static struct xenpv_ids ids;

static void setup(unsigned int size)
{
	CHECK_EQ(xenpv_ids_init(&ids, size, GFP_KERNEL), 0);
}

static struct blkif_response rsp(u64 id, u8 op, s16 status)
{
	return (struct blkif_response){ .id = id, .operation = op,
					.status = status };
}

static void valid_response(void)
{
	struct blkfront_done done;
	struct blkif_response r;
	int cookie, id;

	setup(32);
	id = xenpv_id_get(&ids, BLKIF_OP_WRITE, 0, &cookie);
	r = rsp(id, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done), BLKFRONT_RSP_OK);
	CHECK_EQ(done.id, id);
	CHECK_EQ(done.op, BLKIF_OP_WRITE);
	CHECK(!done.indirect);
	CHECK_EQ(done.error, 0);
	CHECK(done.priv == &cookie);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 0);
	xenpv_ids_destroy(&ids);
}

static void status_to_errno(void)
{
	static const struct { s16 status; int error; } map[] = {
		{ BLKIF_RSP_OKAY, 0 },
		{ BLKIF_RSP_ERROR, -EIO },
		{ BLKIF_RSP_EOPNOTSUPP, -EOPNOTSUPP },
	};
	struct blkfront_done done;
	struct blkif_response r;
	unsigned int i;
	int id;

	setup(4);
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		id = xenpv_id_get(&ids, BLKIF_OP_FLUSH_DISKCACHE, 0,
				  NULL);
		r = rsp(id, BLKIF_OP_FLUSH_DISKCACHE, map[i].status);
		CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done),
			 BLKFRONT_RSP_OK);
		CHECK_EQ(done.error, map[i].error);
	}
	xenpv_ids_destroy(&ids);
}

static void unknown_status(void)
{
	static const s16 bad[] = { 1, -3, 2, S16_MAX, S16_MIN };
	struct blkfront_done done;
	struct blkif_response r;
	unsigned int i;
	int err = 12345, cookie, id;

	setup(4);
	id = xenpv_id_get(&ids, BLKIF_OP_READ, 0, &cookie);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r = rsp(id, BLKIF_OP_READ, bad[i]);
		CHECK_EQ(blkfront_check_rsp(&ids, &r, &err),
			 BLKFRONT_RSP_BAD_STATUS);
		CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done),
			 BLKFRONT_RSP_BAD_STATUS);
	}
	CHECK_EQ(err, 12345);
	/* Nothing was completed: the id is still in flight. */
	CHECK_EQ(xenpv_ids_in_flight(&ids), 1);
	CHECK(xenpv_id_priv(&ids, id) == &cookie);
	CHECK_EQ(xenpv_ids_next_in_flight(&ids, 0), id);
	xenpv_ids_destroy(&ids);
}

static void bad_id(void)
{
	static const u64 bad[] = { 32, 33, 1ULL << 32, (1ULL << 32) + 3,
				   U64_MAX };
	struct blkfront_done done;
	struct blkif_response r;
	unsigned int i;

	setup(32);
	for (i = 0; i < 32; i++)
		xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* (1 << 32) + 3 must not be taken for id 3. */
		r = rsp(bad[i], BLKIF_OP_READ, BLKIF_RSP_OKAY);
		CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done),
			 BLKFRONT_RSP_BAD_ID);
		CHECK_EQ(done.id, 0);
		CHECK(!done.priv);
	}
	CHECK_EQ(xenpv_ids_in_flight(&ids), 32);
	xenpv_ids_destroy(&ids);
}

static void id_not_in_flight(void)
{
	struct blkfront_done done;
	struct blkif_response r;
	int id;

	setup(8);
	/* Never handed out. */
	r = rsp(5, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done),
		 BLKFRONT_RSP_STALE_ID);
	/* Answered twice: the second answer is refused. */
	id = xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL);
	r = rsp(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done), BLKFRONT_RSP_OK);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done),
		 BLKFRONT_RSP_STALE_ID);
	CHECK_EQ(ids.nr_free, 8);
	xenpv_ids_destroy(&ids);
}

static void wrong_op(void)
{
	struct blkfront_done done;
	struct blkif_response r;
	int err, id, ind;

	setup(8);
	id = xenpv_id_get(&ids, BLKIF_OP_READ, 0, NULL);
	r = rsp(id, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_check_rsp(&ids, &r, &err), BLKFRONT_RSP_BAD_OP);
	r = rsp(id, BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_check_rsp(&ids, &r, &err), BLKFRONT_RSP_BAD_OP);

	/* An indirect write is answered with its indirect op, WRITE. */
	ind = xenpv_id_get(&ids, BLKIF_OP_WRITE, BLKFRONT_ID_INDIRECT, NULL);
	r = rsp(ind, BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done), BLKFRONT_RSP_BAD_OP);
	r = rsp(ind, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done), BLKFRONT_RSP_BAD_OP);
	r = rsp(ind, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done), BLKFRONT_RSP_OK);
	CHECK(done.indirect);
	CHECK_EQ(done.op, BLKIF_OP_WRITE);
	CHECK_EQ(done.error, -EIO);

	r = rsp(id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK_EQ(blkfront_complete_rsp(&ids, &r, &done), BLKFRONT_RSP_OK);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 0);
	xenpv_ids_destroy(&ids);
}

static void producer_jumps(void)
{
	CHECK_EQ(blkfront_check_rsp_prod(100, 100, 32, 0), BLKFRONT_RSP_OK);
	CHECK_EQ(blkfront_check_rsp_prod(105, 100, 32, 5), BLKFRONT_RSP_OK);
	CHECK_EQ(blkfront_check_rsp_prod(106, 100, 32, 5),
		 BLKFRONT_RSP_PROD_UNASKED);
	CHECK_EQ(blkfront_check_rsp_prod(132, 100, 32, 32), BLKFRONT_RSP_OK);
	CHECK_EQ(blkfront_check_rsp_prod(133, 100, 32, 32),
		 BLKFRONT_RSP_PROD_OVERRUN);
	/* A producer behind the consumer moved backwards. */
	CHECK_EQ(blkfront_check_rsp_prod(99, 100, 32, 32),
		 BLKFRONT_RSP_PROD_BACKWARDS);
	/* Indexes wrap around 2^32 as a matter of course. */
	CHECK_EQ(blkfront_check_rsp_prod(0x00000002u, 0xfffffff0u, 32, 20),
		 BLKFRONT_RSP_OK);
	CHECK_EQ(blkfront_check_rsp_prod(0x00000002u, 0xfffffff0u, 32, 17),
		 BLKFRONT_RSP_PROD_UNASKED);
	CHECK_EQ(blkfront_check_rsp_prod(0x80000000u, 0, 512, 512),
		 BLKFRONT_RSP_PROD_BACKWARDS);
	CHECK_EQ(blkfront_check_rsp_prod(0x7fffffffu, 0, 512, 512),
		 BLKFRONT_RSP_PROD_OVERRUN);
}

static void verdict_strings(void)
{
	unsigned int i, j;

	for (i = 0; i <= BLKFRONT_RSP_BAD_STATUS; i++) {
		CHECK(blkfront_verdict_str(i));
		CHECK(strlen(blkfront_verdict_str(i)) > 1);
		for (j = 0; j < i; j++)
			CHECK(strcmp(blkfront_verdict_str(i),
				     blkfront_verdict_str(j)) != 0);
	}
	CHECK(!strcmp(blkfront_verdict_str(BLKFRONT_RSP_OK), "ok"));
	CHECK(!strcmp(blkfront_verdict_str(BLKFRONT_RSP_BAD_STATUS + 1),
		      "unknown"));
	CHECK(!strcmp(blkfront_verdict_str(-1), "unknown"));
}

/* A whole ring's worth of traffic with a backend that answers in reverse. */
static void full_ring_out_of_order(void)
{
	struct blkfront_done done;
	struct blkif_response r;
	int id[32], i, fails = 0;

	setup(32);
	for (i = 0; i < 32; i++)
		id[i] = xenpv_id_get(&ids, i & 1 ? BLKIF_OP_WRITE :
				     BLKIF_OP_READ,
				     i & 2 ? BLKFRONT_ID_INDIRECT : 0, &id[i]);
	for (i = 31; i >= 0; i--) {
		r = rsp(id[i], i & 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ, 0);
		if (blkfront_complete_rsp(&ids, &r, &done) != BLKFRONT_RSP_OK ||
		    done.priv != &id[i] || done.indirect != !!(i & 2))
			fails++;
	}
	CHECK_EQ(fails, 0);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 0);
	xenpv_ids_destroy(&ids);
}

static const struct t_case_def t_cases[] = {
	T_CASE_DEF(valid_response),
	T_CASE_DEF(status_to_errno),
	T_CASE_DEF(unknown_status),
	T_CASE_DEF(bad_id),
	T_CASE_DEF(id_not_in_flight),
	T_CASE_DEF(wrong_op),
	T_CASE_DEF(producer_jumps),
	T_CASE_DEF(verdict_strings),
	T_CASE_DEF(full_ring_out_of_order),
	{}
};

T_SUITE(xen_blkfront_response, t_cases, NULL);
