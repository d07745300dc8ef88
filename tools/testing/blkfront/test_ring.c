// SPDX-License-Identifier: GPL-2.0
/*
 * Ring sizes and the per-ring id free list.
 */
#include "../../../drivers/block/xen-blkfront/blkfront-proto.c"
#include "../common/test.h"

static void ring_sizes(void)
{
	static const unsigned int want[] = { 32, 64, 128, 256, 512 };
	unsigned int order;

	/* The arithmetic behind the numbers: a 64-byte header, 112-byte slots. */
	CHECK_EQ(offsetof(struct blkif_sring, ring), 64);
	CHECK_EQ(sizeof(union blkif_sring_entry), 112);
	for (order = 0; order <= 4; order++)
		CHECK_EQ(blkfront_ring_size(order), want[order]);
	CHECK_EQ(blkfront_ring_size(5), 0);
	CHECK_EQ(blkfront_ring_size(UINT_MAX), 0);
}

static void get_all_then_full(void)
{
	struct blkfront_ids ids;
	bool seen[32] = { false };
	unsigned int i;
	int id;

	CHECK_EQ(blkfront_ids_init(&ids, 32, GFP_KERNEL), 0);
	CHECK_EQ(blkfront_ids_in_flight(&ids), 0);
	for (i = 0; i < 32; i++) {
		id = blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL);
		CHECK(id >= 0 && id < 32);
		if (id >= 0 && id < 32) {
			CHECK(!seen[id]);
			seen[id] = true;
		}
	}
	CHECK_EQ(blkfront_ids_in_flight(&ids), 32);
	CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL), -ENOSPC);
	CHECK_EQ(blkfront_id_put(&ids, 17), 0);
	CHECK_EQ(blkfront_ids_in_flight(&ids), 31);
	/* LIFO: the id just freed comes back first. */
	CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_WRITE, false, NULL), 17);
	CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL), -ENOSPC);
	blkfront_ids_destroy(&ids);
	CHECK(!ids.ent);
	blkfront_ids_destroy(&ids);
}

static void double_free(void)
{
	struct blkfront_ids ids;
	int a, b;

	CHECK_EQ(blkfront_ids_init(&ids, 8, GFP_KERNEL), 0);
	a = blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL);
	b = blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL);
	CHECK_EQ(blkfront_id_put(&ids, a), 0);
	CHECK_WARNS(1, CHECK_EQ(blkfront_id_put(&ids, a), -EINVAL));
	/* The free list is intact: 7 free ids, each handed out once. */
	CHECK_EQ(blkfront_ids_in_flight(&ids), 1);
	CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL), a);
	CHECK_WARNS(1, CHECK_EQ(blkfront_id_put(&ids, 5), -EINVAL));
	CHECK_EQ(blkfront_id_put(&ids, b), 0);
	CHECK_EQ(blkfront_id_put(&ids, a), 0);
	CHECK_EQ(blkfront_ids_in_flight(&ids), 0);
	blkfront_ids_destroy(&ids);
}

static void put_out_of_range(void)
{
	struct blkfront_ids ids;

	CHECK_EQ(blkfront_ids_init(&ids, 8, GFP_KERNEL), 0);
	CHECK_WARNS(1, CHECK_EQ(blkfront_id_put(&ids, 8), -EINVAL));
	CHECK_WARNS(1, CHECK_EQ(blkfront_id_put(&ids, UINT_MAX), -EINVAL));
	CHECK_EQ(ids.nr_free, 8);
	blkfront_ids_destroy(&ids);
}

static void init_limits_and_enomem(void)
{
	struct blkfront_ids ids;

	CHECK_EQ(blkfront_ids_init(&ids, 0, GFP_KERNEL), -EINVAL);
	CHECK_EQ(blkfront_ids_init(&ids, 65537, GFP_KERNEL), -EINVAL);
	shim_fail_alloc(1);
	CHECK_EQ(blkfront_ids_init(&ids, 32, GFP_KERNEL), -ENOMEM);
	CHECK(!ids.ent);
	CHECK_EQ(ids.size, 0);
	/* A failed table has no ids: get must not touch it. */
	CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL), -ENOSPC);
	blkfront_ids_destroy(&ids);
	CHECK_EQ(blkfront_ids_init(&ids, 65536, GFP_KERNEL), 0);
	CHECK_EQ(ids.nr_free, 65536);
	blkfront_ids_destroy(&ids);
}

static void walk_and_priv(void)
{
	struct blkfront_ids ids;
	int cookie[8];
	int i;

	CHECK_EQ(blkfront_ids_init(&ids, 8, GFP_KERNEL), 0);
	for (i = 0; i < 8; i++)
		CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_WRITE, false,
					 &cookie[i]), i);
	CHECK_EQ(blkfront_id_put(&ids, 0), 0);
	CHECK_EQ(blkfront_id_put(&ids, 3), 0);
	CHECK_EQ(blkfront_id_put(&ids, 7), 0);
	CHECK_EQ(blkfront_ids_next_in_flight(&ids, 0), 1);
	CHECK_EQ(blkfront_ids_next_in_flight(&ids, 3), 4);
	CHECK_EQ(blkfront_ids_next_in_flight(&ids, 7), -ENOENT);
	CHECK_EQ(blkfront_ids_next_in_flight(&ids, 100), -ENOENT);
	CHECK(blkfront_id_priv(&ids, 4) == &cookie[4]);
	CHECK(!blkfront_id_priv(&ids, 3));
	CHECK(!blkfront_id_priv(&ids, 8));

	blkfront_ids_reset(&ids);
	CHECK_EQ(blkfront_ids_in_flight(&ids), 0);
	CHECK_EQ(blkfront_ids_next_in_flight(&ids, 0), -ENOENT);
	CHECK(!blkfront_id_priv(&ids, 4));
	for (i = 0; i < 8; i++)
		CHECK(blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL) >= 0);
	CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_READ, false, NULL), -ENOSPC);
	blkfront_ids_destroy(&ids);
}

static void corrupt_free_list_warns(void)
{
	struct blkfront_ids ids;

	CHECK_EQ(blkfront_ids_init(&ids, 4, GFP_KERNEL), 0);
	ids.free_head = 9;
	CHECK_WARNS(1, CHECK_EQ(blkfront_id_get(&ids, BLKIF_OP_READ, false,
						NULL), -ENOSPC));
	blkfront_ids_destroy(&ids);
}

int main(void)
{
	RUN(ring_sizes);
	RUN(get_all_then_full);
	RUN(double_free);
	RUN(put_out_of_range);
	RUN(init_limits_and_enomem);
	RUN(walk_and_priv);
	RUN(corrupt_free_list_warns);
	return t_done();
}
