// SPDX-License-Identifier: GPL-2.0
/*
 * Recovery planning after resume or migration, and the wire op choice.
 */
#include "../../../drivers/block/xen-blkfront/blkfront-proto.c"
#include "../common/test.h"

#define NSEG	64

static struct blkfront_seg pages[NSEG];	/* NSEG whole 4 KiB pages */
static struct blkfront_seg sectors[NSEG];	/* NSEG single sectors */

static void make_segs(void)
{
	unsigned int i;

	for (i = 0; i < NSEG; i++) {
		pages[i] = (struct blkfront_seg){ .chunk = i, .first_sect = 0,
						  .last_sect = 7 };
		sectors[i] = (struct blkfront_seg){ .chunk = i, .first_sect = 2,
						    .last_sect = 2 };
	}
}

/* A new connection: 2 queues of 32 slots, 512-byte sectors, no extras. */
static struct blkfront_params conn(void)
{
	return (struct blkfront_params){
		.nr_rings = 2, .ring_order = 0, .ring_size = 32,
		.max_indirect_segs = 0, .max_segs = 11,
		.sector_size = 512, .physical_sector_size = 512,
	};
}

static const struct blkfront_seg *sectors_of(void)
{
	return sectors;
}

static struct blkfront_inflight rw(enum blkfront_req_kind kind,
				   unsigned int nr_segs, unsigned int ring)
{
	return (struct blkfront_inflight){ .kind = kind, .nr_segs = nr_segs,
					   .segs = pages, .ring = ring };
}

static void all_fit(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in[3] = {
		rw(BLKFRONT_REQ_READ, 1, 0), rw(BLKFRONT_REQ_WRITE, 11, 1),
		rw(BLKFRONT_REQ_READ, 5, 1),
	};
	struct blkfront_recover_step st[3];
	struct blkfront_recover_sum sum;
	unsigned int i;

	CHECK_EQ(blkfront_plan_recovery(&p, in, 3, st, &sum), 0);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(st[i].action, BLKFRONT_RECOVER_RESEND);
		CHECK_EQ(st[i].nr_parts, 1);
		CHECK_EQ(st[i].error, 0);
		CHECK_EQ(st[i].round, 0);
		CHECK_EQ(st[i].ring, in[i].ring);
	}
	CHECK_EQ(st[0].op, BLKIF_OP_READ);
	CHECK_EQ(st[1].op, BLKIF_OP_WRITE);
	CHECK_EQ(sum.nr_resend, 3);
	CHECK_EQ(sum.nr_split + sum.nr_fail, 0);
	CHECK_EQ(sum.nr_slots, 3);
	CHECK_EQ(sum.nr_rounds, 1);
}

static void smaller_indirect_splits(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in[3] = {
		rw(BLKFRONT_REQ_WRITE, 32, 0), rw(BLKFRONT_REQ_READ, 12, 0),
		rw(BLKFRONT_REQ_READ, 64, 0),
	};
	struct blkfront_recover_step st[3];
	struct blkfront_recover_sum sum;

	/* Was 64 indirect segments, now none. */
	CHECK_EQ(blkfront_plan_recovery(&p, in, 3, st, &sum), 0);
	CHECK_EQ(st[0].action, BLKFRONT_RECOVER_SPLIT);
	CHECK_EQ(st[0].nr_parts, 3);
	CHECK_EQ(st[1].action, BLKFRONT_RECOVER_SPLIT);
	CHECK_EQ(st[1].nr_parts, 2);
	CHECK_EQ(st[2].nr_parts, 6);
	CHECK_EQ(sum.nr_split, 3);
	CHECK_EQ(sum.nr_slots, 11);

	/*
	 * Now 32: the first two fit; the last is cut into direct requests,
	 * which need no indirect frame: 6 of at most 11 segments.
	 */
	p.max_indirect_segs = 32;
	p.max_segs = 32;
	CHECK_EQ(blkfront_plan_recovery(&p, in, 3, st, &sum), 0);
	CHECK_EQ(st[0].action, BLKFRONT_RECOVER_RESEND);
	CHECK_EQ(st[1].action, BLKFRONT_RECOVER_RESEND);
	CHECK_EQ(st[2].action, BLKFRONT_RECOVER_SPLIT);
	CHECK_EQ(st[2].nr_parts, 6);
	CHECK_EQ(sum.nr_resend, 2);
	CHECK_EQ(sum.nr_slots, 8);
}

/* All parts of a request go on the ring at once: more than it has fail. */
static void parts_beyond_the_ring(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in = rw(BLKFRONT_REQ_WRITE, 64, 0);
	struct blkfront_recover_step st;
	struct blkfront_recover_sum sum;

	p.ring_size = 6;
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), 0);
	CHECK_EQ(st.action, BLKFRONT_RECOVER_SPLIT);
	CHECK_EQ(st.nr_parts, 6);
	p.ring_size = 5;
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), 0);
	CHECK_EQ(st.action, BLKFRONT_RECOVER_FAIL);
	CHECK_EQ(st.error, -EINVAL);
	CHECK_EQ(sum.nr_fail, 1);
	CHECK_EQ(sum.nr_slots, 0);
}

/* What the module does: blkfront_nr_parts() counts, split_next() cuts. */
static void parts_one_at_a_time(void)
{
	struct blkfront_params p = conn();
	struct blkfront_part part = { 0 };
	unsigned int n = 0, next = 0, sectors = 0;
	int ret;

	CHECK_EQ(blkfront_nr_parts(&p, BLKIF_OP_WRITE, pages, 11), 1);
	CHECK_EQ(blkfront_nr_parts(&p, BLKIF_OP_WRITE, pages, 40), 4);
	while ((ret = blkfront_split_next(pages, 40, 11, 1, &part)) > 0) {
		CHECK_EQ(part.first_seg, next);
		CHECK_EQ(part.sector_off, sectors);
		CHECK_EQ(part.nr_segs, n < 3 ? 11 : 7);
		next += part.nr_segs;
		sectors += part.nr_sectors;
		n++;
	}
	CHECK_EQ(ret, 0);
	CHECK_EQ(n, 4);
	CHECK_EQ(next, 40);
	CHECK_EQ(sectors, 40 * 8);
	/* Done stays done. */
	CHECK_EQ(blkfront_split_next(pages, 40, 11, 1, &part), 0);
	/* A resent request is checked too: one sector of a 4 KiB block. */
	p.sector_size = 4096;
	CHECK_EQ(blkfront_nr_parts(&p, BLKIF_OP_READ, sectors_of(), 1),
		 -EINVAL);
	memset(&part, 0, sizeof(part));
	CHECK_EQ(blkfront_split_next(pages, 40, 0, 1, &part), -EINVAL);
	CHECK_EQ(blkfront_split_next(pages, 40, 11, 3, &part), -EINVAL);
}

static void split_respects_logical_blocks(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in = { .kind = BLKFRONT_REQ_READ,
					.nr_segs = 16, .segs = sectors };
	struct blkfront_recover_step st;
	struct blkfront_recover_sum sum;

	/* 16 one-sector segments: 11 + 5 with 512-byte blocks... */
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), 0);
	CHECK_EQ(st.nr_parts, 2);
	/* ...24 of them: 8 + 8 + 8 with 4 KiB blocks. */
	p.sector_size = 4096;
	in.nr_segs = 24;
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), 0);
	CHECK_EQ(st.action, BLKFRONT_RECOVER_SPLIT);
	CHECK_EQ(st.nr_parts, 3);
	/* Half a logical block cannot be sent at all. */
	in.nr_segs = 4;
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), 0);
	CHECK_EQ(st.action, BLKFRONT_RECOVER_FAIL);
	CHECK_EQ(st.error, -EINVAL);
}

static void lost_features_fail(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in[4] = {
		{ .kind = BLKFRONT_REQ_FLUSH },
		{ .kind = BLKFRONT_REQ_DISCARD },
		{ .kind = BLKFRONT_REQ_DISCARD, .flags = BLKFRONT_REQ_SECURE },
		{ .kind = BLKFRONT_REQ_WRITE, .flags = BLKFRONT_REQ_FUA,
		  .nr_segs = 1, .segs = pages },
	};
	struct blkfront_recover_step st[4];
	struct blkfront_recover_sum sum;
	unsigned int i;

	CHECK_EQ(blkfront_plan_recovery(&p, in, 4, st, &sum), 0);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(st[i].action, BLKFRONT_RECOVER_FAIL);
		CHECK_EQ(st[i].error, -EOPNOTSUPP);
	}
	CHECK_EQ(sum.nr_fail, 4);
	CHECK_EQ(sum.nr_slots, 0);
	CHECK_EQ(sum.nr_rounds, 0);

	/* Discard without secure discard: only the secure one fails. */
	p.discard = true;
	p.flush = true;
	p.flush_op = BLKIF_OP_FLUSH_DISKCACHE;
	CHECK_EQ(blkfront_plan_recovery(&p, in, 4, st, &sum), 0);
	CHECK_EQ(st[0].action, BLKFRONT_RECOVER_RESEND);
	CHECK_EQ(st[0].op, BLKIF_OP_FLUSH_DISKCACHE);
	CHECK_EQ(st[1].action, BLKFRONT_RECOVER_RESEND);
	CHECK_EQ(st[1].op, BLKIF_OP_DISCARD);
	CHECK_EQ(st[2].action, BLKFRONT_RECOVER_FAIL);
	CHECK_EQ(st[3].action, BLKFRONT_RECOVER_FAIL);
	CHECK_EQ(sum.nr_resend, 2);
	CHECK_EQ(sum.nr_fail, 2);
}

static void barrier_backend(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in[2] = {
		{ .kind = BLKFRONT_REQ_FLUSH },
		{ .kind = BLKFRONT_REQ_WRITE, .flags = BLKFRONT_REQ_FUA,
		  .nr_segs = 20, .segs = pages },
	};
	struct blkfront_recover_step st[2];
	struct blkfront_recover_sum sum;

	p.flush = true;
	p.fua = true;
	p.flush_op = BLKIF_OP_WRITE_BARRIER;
	p.max_indirect_segs = 32;
	p.max_segs = 32;
	CHECK_EQ(blkfront_plan_recovery(&p, in, 2, st, &sum), 0);
	CHECK_EQ(st[0].op, BLKIF_OP_WRITE_BARRIER);
	/* A FUA write becomes barriers, which never go indirect. */
	CHECK_EQ(st[1].op, BLKIF_OP_WRITE_BARRIER);
	CHECK_EQ(st[1].action, BLKFRONT_RECOVER_SPLIT);
	CHECK_EQ(st[1].nr_parts, 2);
}

static void queues_and_rounds(void)
{
	struct blkfront_params p = conn();
	static struct blkfront_inflight in[41];
	static struct blkfront_recover_step st[41];
	struct blkfront_recover_sum sum;
	unsigned int i;

	for (i = 0; i < 40; i++)
		in[i] = rw(BLKFRONT_REQ_READ, 1, 4);	/* old ring 4 */
	in[40] = rw(BLKFRONT_REQ_READ, 64, 5);
	CHECK_EQ(blkfront_plan_recovery(&p, in, 41, st, &sum), 0);
	for (i = 0; i < 40; i++) {
		CHECK_EQ(st[i].ring, 0);
		CHECK_EQ(st[i].round, i < 32 ? 0 : 1);
	}
	CHECK_EQ(st[40].ring, 1);
	CHECK_EQ(st[40].round, 0);
	CHECK_EQ(st[40].nr_parts, 6);
	CHECK_EQ(sum.nr_slots, 46);
	CHECK_EQ(sum.nr_rounds, 2);
	CHECK_EQ(sum.nr_resend, 40);
	CHECK_EQ(sum.nr_split, 1);
}

static void bad_input(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in[4] = {
		rw(BLKFRONT_REQ_READ, 0, 0),
		{ .kind = BLKFRONT_REQ_FLUSH, .nr_segs = 2, .segs = pages },
		{ .kind = BLKFRONT_REQ_WRITE, .nr_segs = 2 },
		{ .kind = 77 },
	};
	struct blkfront_recover_step st[4];
	struct blkfront_recover_sum sum;
	unsigned int i;

	p.flush = true;
	CHECK_EQ(blkfront_plan_recovery(&p, in, 4, st, &sum), 0);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(st[i].action, BLKFRONT_RECOVER_FAIL);
		CHECK_EQ(st[i].error, -EINVAL);
	}
	CHECK_EQ(sum.nr_fail, 4);

	p.nr_rings = 0;
	CHECK_WARNS(1, CHECK_EQ(blkfront_plan_recovery(&p, in, 4, st, &sum),
				-EINVAL));
	p.nr_rings = 1;
	p.ring_size = 0;
	CHECK_WARNS(1, CHECK_EQ(blkfront_plan_recovery(&p, in, 0, st, &sum),
				-EINVAL));
}

static void out_of_memory(void)
{
	struct blkfront_params p = conn();
	struct blkfront_inflight in = rw(BLKFRONT_REQ_READ, 1, 0);
	struct blkfront_recover_step st;
	struct blkfront_recover_sum sum;

	shim_fail_alloc(1);
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), -ENOMEM);
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), 0);
	CHECK_EQ(sum.nr_resend, 1);
}

static void wire_ops(void)
{
	struct blkfront_params p = conn();

	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_READ, 0), BLKIF_OP_READ);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_WRITE, 0), BLKIF_OP_WRITE);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_READ, BLKFRONT_REQ_FUA),
		 -EINVAL);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_WRITE, BLKFRONT_REQ_SECURE),
		 -EINVAL);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_WRITE, BLKFRONT_REQ_FUA),
		 -EOPNOTSUPP);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_FLUSH, 0), -EOPNOTSUPP);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_FLUSH, BLKFRONT_REQ_FUA),
		 -EINVAL);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_DISCARD, 0), -EOPNOTSUPP);
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_DISCARD, BLKFRONT_REQ_FUA),
		 -EINVAL);
	p.discard = true;
	p.discard_secure = true;
	CHECK_EQ(blkfront_wire_op(&p, BLKFRONT_REQ_DISCARD,
				  BLKFRONT_REQ_SECURE), BLKIF_OP_DISCARD);
	CHECK_EQ(blkfront_wire_op(&p, 9, 0), -EINVAL);

	p.max_segs = 64;
	CHECK_EQ(blkfront_op_max_segs(&p, BLKIF_OP_READ), 64);
	CHECK_EQ(blkfront_op_max_segs(&p, BLKIF_OP_WRITE), 64);
	CHECK_EQ(blkfront_op_max_segs(&p, BLKIF_OP_FLUSH_DISKCACHE), 11);
	CHECK_EQ(blkfront_op_max_segs(&p, BLKIF_OP_WRITE_BARRIER), 11);
	CHECK_EQ(blkfront_op_max_segs(&p, BLKIF_OP_DISCARD), 0);
	CHECK_EQ(blkfront_op_max_segs(&p, BLKIF_OP_INDIRECT), 0);
}

/* Map on the old connection, plan and split on the new one. */
static void end_to_end(void)
{
	struct blkfront_geom old = { .page_shift = 12,
				     .max_indirect_segs = 64 };
	struct blkfront_chunk chunks[40];
	struct blkfront_seg segs[64];
	struct blkfront_part parts[8];
	struct blkfront_layout lay;
	struct blkfront_params p = conn();
	struct blkfront_inflight in = { .kind = BLKFRONT_REQ_WRITE,
					.segs = segs, .ring = 0 };
	struct blkfront_recover_step st;
	struct blkfront_recover_sum sum;
	unsigned int i, next = 0, total = 0;
	int n;

	for (i = 0; i < 40; i++)
		chunks[i] = (struct blkfront_chunk){ .offset = (i % 4) * 1024,
						     .len = 1024 };
	CHECK_EQ(blkfront_map_chunks(&old, chunks, 40, segs, &lay), 0);
	CHECK(lay.indirect);
	in.nr_segs = lay.nr_segs;
	p.sector_size = 1024;
	CHECK_EQ(blkfront_plan_recovery(&p, &in, 1, &st, &sum), 0);
	CHECK_EQ(st.action, BLKFRONT_RECOVER_SPLIT);
	n = blkfront_split(segs, lay.nr_segs, blkfront_op_max_segs(&p, st.op),
			   p.sector_size >> 9, parts, ARRAY_SIZE(parts));
	CHECK_EQ(n, st.nr_parts);
	for (i = 0; i < (unsigned int)n; i++) {
		struct blkfront_layout pl;

		CHECK_EQ(parts[i].first_seg, next);
		CHECK_EQ(parts[i].sector_off, total);
		CHECK_EQ(parts[i].nr_sectors % 2, 0);
		CHECK_EQ(blkfront_layout_for(parts[i].nr_segs,
					     parts[i].nr_sectors,
					     p.max_indirect_segs, &pl), 0);
		CHECK(!pl.indirect);
		next += parts[i].nr_segs;
		total += parts[i].nr_sectors;
	}
	CHECK_EQ(next, lay.nr_segs);
	CHECK_EQ(total, lay.nr_sectors);
}

static const struct t_case_def t_cases[] = {
	T_CASE_DEF(all_fit),
	T_CASE_DEF(smaller_indirect_splits),
	T_CASE_DEF(parts_beyond_the_ring),
	T_CASE_DEF(parts_one_at_a_time),
	T_CASE_DEF(split_respects_logical_blocks),
	T_CASE_DEF(lost_features_fail),
	T_CASE_DEF(barrier_backend),
	T_CASE_DEF(queues_and_rounds),
	T_CASE_DEF(bad_input),
	T_CASE_DEF(out_of_memory),
	T_CASE_DEF(wire_ops),
	T_CASE_DEF(end_to_end),
	{}
};

T_SUITE(xen_blkfront_recovery, t_cases, make_segs);
