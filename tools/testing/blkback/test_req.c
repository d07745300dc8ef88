// SPDX-License-Identifier: GPL-2.0
/*
 * Request checks: every rule with the last accepted and the first
 * rejected value, the indirect path, messages and the segment plan.
 */
#include "../../../drivers/block/xen-blkback/blkback-proto.c"
#include "../common/test.h"

#define CAP	1000ULL		/* a small disk, in 512-byte sectors */

static struct blkback_vbd vbd(void)
{
	return (struct blkback_vbd) {
		.sectors = CAP,
		.sector_size = 512,
		.max_indirect_segs = 256,
		.flush = true,
		.barrier = true,
		.discard = true,
		.discard_secure = true,
	};
}

/*
 * The requests below are made by rw(), indirect() and discard(), all
 * three called as (operation or flag, how many, where).
 */

/* A direct request of @n full 4 KiB segments at @sector. */
static struct blkback_req rw(u8 op, u64 n, u64 sector)
{
	struct blkback_req r = { .operation = op, .op = op, .id = 42,
				 .sector = sector, .nr_segs = n };
	unsigned int i;

	for (i = 0; i < n && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		r.seg[i] = (struct blkif_request_segment){ 100 + i, 0, 7 };
	return r;
}

static struct blkback_req discard(u8 flag, u64 nr, u64 sector)
{
	return (struct blkback_req) { .operation = BLKIF_OP_DISCARD,
				      .op = BLKIF_OP_DISCARD, .sector = sector,
				      .nr_sectors = nr, .discard_flag = flag };
}

static struct blkback_req indirect(u8 op, u64 n, u64 sector)
{
	return (struct blkback_req) { .operation = BLKIF_OP_INDIRECT, .op = op,
				      .indirect = true, .sector = sector,
				      .nr_segs = n };
}

static struct blkback_bad bad;

static enum blkback_verdict check(const struct blkback_vbd *v,
				  struct blkback_req *r)
{
	return blkback_check_req(v, r, &bad);
}

static const char *msg(void)
{
	static char buf[128];

	blkback_bad_str(&bad, buf, sizeof(buf));
	return buf;
}

#define CHECK_MSG(want) do {						\
	const char *__m = msg(), *__w = (want);				\
	if (strcmp(__m, __w)) {						\
		t_fail(__FILE__, __LINE__);				\
		printf("message \"%s\", want \"%s\"\n", __m, __w);	\
	}								\
} while (0)

/* A request and the verdict it must get. */
struct req_case {
	struct blkback_req (*make)(u8 op, u64 n, u64 sector);
	u8 op;			/* discard(): the flag */
	u64 n;			/* segments; discard(): sectors */
	u64 sector;
	enum blkback_verdict want;
};

static void check_reqs(const struct blkback_vbd *v, const struct req_case *c,
		       unsigned int n)
{
	struct blkback_req r;
	unsigned int i;

	for (i = 0; i < n; i++, c++) {
		T_CASE("row %u: op %u, n %llu, sector %llu", i, c->op,
		       (unsigned long long)c->n,
		       (unsigned long long)c->sector);
		r = c->make(c->op, c->n, c->sector);
		CHECK_EQ(check(v, &r), c->want);
	}
	T_CASE_END();
}

static void segment_counts(void)
{
	static const struct {
		unsigned int n;
		enum blkback_verdict want;
		unsigned int nr_sectors;
	} cases[] = {
		{ 0, BLKBACK_REQ_NO_SEGS, 0 },
		{ 1, BLKBACK_REQ_OK, 8 },
		{ 11, BLKBACK_REQ_OK, 88 },
		{ 12, BLKBACK_REQ_TOO_MANY_SEGS, 0 },
		{ 255, BLKBACK_REQ_TOO_MANY_SEGS, 0 },
	};
	struct blkback_vbd v = vbd();
	struct blkback_req r;
	unsigned int i;
	u8 op;

	for (op = BLKIF_OP_READ; op <= BLKIF_OP_WRITE; op++) {
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			T_CASE("op %u, %u segments", op, cases[i].n);
			r = rw(op, cases[i].n, 0);
			CHECK_EQ(check(&v, &r), cases[i].want);
			CHECK_EQ(r.nr_sectors, cases[i].nr_sectors);
			if (cases[i].want != BLKBACK_REQ_TOO_MANY_SEGS)
				continue;
			CHECK_EQ(bad.value, cases[i].n);
			CHECK_EQ(bad.limit, 11);
		}
	}
	T_CASE_END();
	r = rw(BLKIF_OP_WRITE, 12, 0);
	check(&v, &r);
	CHECK_MSG("write with 12 segments > 11");
	r = rw(BLKIF_OP_READ, 0, 0);
	check(&v, &r);
	CHECK_MSG("read without segments");
}

static void segment_sectors(void)
{
	struct blkback_vbd v = vbd();
	struct blkback_req r = rw(BLKIF_OP_READ, 5, 0);

	r.seg[3].last_sect = 7;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r.seg[3].last_sect = 8;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_SEG_LAST);
	CHECK_EQ(bad.seg, 3);
	CHECK_EQ(bad.value, 8);
	CHECK_EQ(bad.limit, 7);
	r.seg[3].last_sect = 9;
	check(&v, &r);
	CHECK_MSG("segment 3 last_sect 9 > 7");
	r.seg[3].last_sect = 255;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_SEG_LAST);

	r.seg[3] = (struct blkif_request_segment){ 1, 4, 4 };
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(r.nr_sectors, 4 * 8 + 1);
	r.seg[3] = (struct blkif_request_segment){ 1, 7, 7 };
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r.seg[3] = (struct blkif_request_segment){ 1, 5, 4 };
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_SEG_ORDER);
	CHECK_EQ(bad.seg, 3);
	CHECK_MSG("segment 3 first_sect 5 > last_sect 4");
	/* The first bad segment is reported. */
	r.seg[1].last_sect = 8;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_SEG_LAST);
	CHECK_EQ(bad.seg, 1);
}

static void capacity_edges(void)
{
	struct blkback_vbd v = vbd();
	struct blkback_req r;

	r = rw(BLKIF_OP_READ, 1, CAP - 8);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r = rw(BLKIF_OP_READ, 1, CAP - 7);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BEYOND_END);
	CHECK_EQ(bad.value, CAP - 7);
	CHECK_EQ(bad.count, 8);
	CHECK_EQ(bad.limit, CAP);
	CHECK_MSG("read of sectors 993+8 beyond capacity 1000");
	r = rw(BLKIF_OP_WRITE, 1, CAP - 1);
	r.seg[0].first_sect = 7;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r.sector = CAP;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BEYOND_END);
	r = rw(BLKIF_OP_READ, 11, CAP - 88);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r.sector++;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BEYOND_END);
	v.sectors = 0;
	r = rw(BLKIF_OP_READ, 1, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BEYOND_END);
}

static void u64_overflow(void)
{
	static const struct req_case cases[] = {
		{ rw, BLKIF_OP_READ, 1, U64_MAX - 7, BLKBACK_REQ_WRAP },
		{ rw, BLKIF_OP_READ, 1, U64_MAX - 8, BLKBACK_REQ_OK },
		{ rw, BLKIF_OP_READ, 11, U64_MAX - 50, BLKBACK_REQ_WRAP },
		{ discard, 0, 1, U64_MAX, BLKBACK_REQ_WRAP },
		{ discard, 0, U64_MAX, 1, BLKBACK_REQ_WRAP },
		{ discard, 0, U64_MAX, 0, BLKBACK_REQ_OK },
	};
	struct blkback_vbd v = vbd();
	struct blkback_req r = rw(BLKIF_OP_READ, 1, U64_MAX - 7);

	/* start + 8 == 2^64: wraps to 0, which is below any capacity. */
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_WRAP);
	CHECK_MSG("read of sectors 18446744073709551608+8 overflows");
	v.sectors = U64_MAX;
	check_reqs(&v, cases, ARRAY_SIZE(cases));
}

static void flush_and_barrier(void)
{
	struct blkback_vbd v = vbd();
	struct blkback_req r;

	/* A bare flush: no segments, its sector is not looked at. */
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, U64_MAX);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(r.nr_sectors, 0);
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 11, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 12, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_TOO_MANY_SEGS);
	r = rw(BLKIF_OP_WRITE_BARRIER, 0, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r = rw(BLKIF_OP_WRITE_BARRIER, 1, CAP - 7);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BEYOND_END);

	v.flush = false;
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_NOT_OFFERED);
	CHECK_EQ(blkback_verdict_status(BLKBACK_REQ_NOT_OFFERED),
		 BLKIF_RSP_EOPNOTSUPP);
	CHECK_MSG("flush not offered");
	r = rw(BLKIF_OP_WRITE_BARRIER, 0, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	v.barrier = false;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_NOT_OFFERED);
	CHECK_MSG("barrier not offered");
}

static void read_only(void)
{
	static const struct req_case cases[] = {
		{ rw, BLKIF_OP_READ, 3, 0, BLKBACK_REQ_OK },
		{ rw, BLKIF_OP_WRITE, 3, 0, BLKBACK_REQ_READ_ONLY },
		{ rw, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, BLKBACK_REQ_READ_ONLY },
		{ rw, BLKIF_OP_WRITE_BARRIER, 0, 0, BLKBACK_REQ_READ_ONLY },
		{ discard, 0, 8, 0, BLKBACK_REQ_READ_ONLY },
		{ indirect, BLKIF_OP_WRITE, 20, 0, BLKBACK_REQ_READ_ONLY },
		{ indirect, BLKIF_OP_READ, 20, 0, BLKBACK_REQ_OK },
	};
	struct blkback_vbd v = vbd();

	struct blkback_req r = rw(BLKIF_OP_WRITE, 3, 0);

	v.readonly = true;
	check_reqs(&v, cases, ARRAY_SIZE(cases));
	CHECK_EQ(blkback_verdict_status(BLKBACK_REQ_READ_ONLY),
		 BLKIF_RSP_ERROR);
	check(&v, &r);
	CHECK_MSG("write on a read-only device");
}

static void unknown_operations(void)
{
	static const u8 ops[] = { 4, 7, 8, 128, 255 };
	struct blkback_vbd v = vbd();
	struct blkback_req r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		r = rw(ops[i], 1, 0);
		CHECK_EQ(check(&v, &r), BLKBACK_REQ_BAD_OP);
		CHECK_EQ(bad.value, ops[i]);
		CHECK_EQ(blkback_verdict_status(bad.verdict),
			 BLKIF_RSP_EOPNOTSUPP);
		CHECK_EQ(r.id, 42);
	}
	CHECK_MSG("unknown operation 255");
}

static void discards(void)
{
	struct blkback_vbd v = vbd();
	struct blkback_req r;

	r = discard(0, CAP, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK(!r.secure);
	CHECK_EQ(r.nr_sectors, CAP);
	r = discard(0, CAP, 1);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BEYOND_END);
	r = discard(0, 1, CAP - 1);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r = discard(0, 1, CAP);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BEYOND_END);
	r = discard(0, 0, 5);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_DISCARD_EMPTY);
	CHECK_MSG("discard of 0 sectors at 5");

	/* Secure only when asked and offered; else the flag is ignored. */
	r = discard(BLKIF_DISCARD_SECURE, 8, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK(r.secure);
	r = discard(0xfe, 8, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK(!r.secure);
	v.discard_secure = false;
	r = discard(BLKIF_DISCARD_SECURE, 8, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK(!r.secure);

	v.discard = false;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_NOT_OFFERED);
	CHECK_MSG("discard not offered");
}

static void logical_blocks(void)
{
	struct blkback_vbd v = vbd();
	struct blkback_req r;

	v.sector_size = 4096;
	r = rw(BLKIF_OP_WRITE, 2, 8);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r.sector = 4;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_MISALIGNED);
	CHECK_MSG("write of sectors 4+16 not in blocks of 8");
	r.sector = 8;
	r.seg[1].first_sect = 4;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_SEG_MISALIGNED);
	CHECK_EQ(bad.seg, 1);
	CHECK_MSG("segment 1: 4 sectors, not a multiple of 8");
	r = discard(0, 8, 8);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r = discard(0, 12, 8);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_MISALIGNED);
	r = discard(0, 8, 12);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_MISALIGNED);
	/* Capacity edge in whole blocks. */
	r = rw(BLKIF_OP_READ, 1, CAP - 8);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	v.sector_size = 1024;
	r = rw(BLKIF_OP_READ, 1, 2);
	r.seg[0] = (struct blkif_request_segment){ 1, 1, 2 };
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	r.seg[0].last_sect = 3;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_SEG_MISALIGNED);
}

static void indirect_headers(void)
{
	/* Segments and frames, up to each vbd's limit and past it. */
	static const struct {
		unsigned int max_indirect_segs;
		u8 op;
		unsigned int n;
		enum blkback_verdict want;
		unsigned int nr_frames;
	} cases[] = {
		{ 256, BLKIF_OP_READ, 1, BLKBACK_REQ_OK, 1 },
		{ 256, BLKIF_OP_WRITE, 256, BLKBACK_REQ_OK, 1 },
		{ 256, BLKIF_OP_WRITE, 257, BLKBACK_REQ_TOO_MANY_SEGS, 0 },
		{ 256, BLKIF_OP_READ, 0, BLKBACK_REQ_NO_SEGS, 0 },
		{ 4096, BLKIF_OP_READ, 512, BLKBACK_REQ_OK, 1 },
		{ 4096, BLKIF_OP_READ, 513, BLKBACK_REQ_OK, 2 },
		{ 4096, BLKIF_OP_READ, 4096, BLKBACK_REQ_OK, 8 },
		{ 4096, BLKIF_OP_READ, 4097, BLKBACK_REQ_TOO_MANY_SEGS, 0 },
		{ 4096, BLKIF_OP_READ, U16_MAX, BLKBACK_REQ_TOO_MANY_SEGS, 0 },
	};
	struct blkback_vbd v = vbd();
	struct blkback_req r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("indirect op %u, %u of %u segments", cases[i].op,
		       cases[i].n, cases[i].max_indirect_segs);
		v.max_indirect_segs = cases[i].max_indirect_segs;
		r = indirect(cases[i].op, cases[i].n, 0);
		CHECK_EQ(check(&v, &r), cases[i].want);
		CHECK_EQ(r.nr_frames, cases[i].nr_frames);
		if (cases[i].want == BLKBACK_REQ_TOO_MANY_SEGS)
			CHECK_EQ(bad.limit, cases[i].max_indirect_segs);
	}
	T_CASE_END();
	CHECK_MSG("read with 65535 segments > 4096");

	r = indirect(BLKIF_OP_FLUSH_DISKCACHE, 1, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BAD_INDIRECT_OP);
	CHECK_MSG("indirect operation 3 is not read or write");
	r = indirect(BLKIF_OP_INDIRECT, 1, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_BAD_INDIRECT_OP);
	CHECK_EQ(blkback_verdict_status(bad.verdict), BLKIF_RSP_ERROR);
	v.max_indirect_segs = 0;
	r = indirect(BLKIF_OP_READ, 1, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_NOT_OFFERED);
	CHECK_MSG("indirect not offered");
}

/* @nr segments spread over exactly-sized, separately allocated frames. */
static void **frames_for(unsigned int nr)
{
	static void *frames[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct blkif_request_segment *s;
	unsigned int i;

	memset(frames, 0, sizeof(frames));
	for (i = 0; i < DIV_ROUND_UP(nr, 512); i++) {
		frames[i] = malloc(4096);
		memset(frames[i], 0xaa, 4096);
	}
	for (i = 0; i < nr; i++) {
		s = (struct blkif_request_segment *)frames[i / 512] + i % 512;
		*s = (struct blkif_request_segment){ 5000 + i, 0, 7 };
	}
	return frames;
}

static void frames_free(void **frames)
{
	unsigned int i;

	for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
		free(frames[i]);
}

static void indirect_segments(void)
{
	static struct blkif_request_segment segs[XENPV_BLK_MAX_INDIRECT_SEGS];
	struct blkback_vbd v = vbd();
	struct blkback_req r;
	void **frames;

	v.sectors = 1 << 20;
	v.max_indirect_segs = 1024;
	r = indirect(BLKIF_OP_WRITE, 700, 64);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(r.nr_frames, 2);
	/* Only frames 0 and 1 exist; a read of frame 2 would crash. */
	frames = frames_for(700);
	blkback_get_indirect_segs(segs, frames, r.nr_segs);
	CHECK_EQ(segs[699].gref, 5000 + 699);
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, &bad),
		 BLKBACK_REQ_OK);
	CHECK_EQ(r.nr_sectors, 700 * 8);

	/* A bad segment in the second frame. */
	((struct blkif_request_segment *)frames[1])[600 - 512].last_sect = 8;
	blkback_get_indirect_segs(segs, frames, r.nr_segs);
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, &bad),
		 BLKBACK_REQ_SEG_LAST);
	CHECK_EQ(bad.seg, 600);
	CHECK_EQ(r.nr_sectors, 0);
	/* The copy is what counts: changing the frame afterwards is moot. */
	((struct blkif_request_segment *)frames[1])[600 - 512].last_sect = 7;
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, &bad),
		 BLKBACK_REQ_SEG_LAST);
	blkback_get_indirect_segs(segs, frames, r.nr_segs);
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, &bad),
		 BLKBACK_REQ_OK);

	/* The range is checked on the sum of the indirect segments. */
	r.sector = (1 << 20) - 700 * 8;
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, &bad),
		 BLKBACK_REQ_OK);
	r.sector += 8;
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, &bad),
		 BLKBACK_REQ_BEYOND_END);
	/* The header is checked again. */
	r.sector = 0;
	r.nr_segs = 1025;
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, &bad),
		 BLKBACK_REQ_TOO_MANY_SEGS);
	frames_free(frames);
}

static void backend_bugs_warn(void)
{
	struct blkback_vbd v = vbd();
	struct blkback_req r = rw(BLKIF_OP_READ, 1, 0);

	v.sector_size = 1000;
	CHECK_WARNS(1, CHECK_EQ(check(&v, &r), BLKBACK_REQ_INTERNAL));
	v.sector_size = 256;
	CHECK_WARNS(1, CHECK_EQ(check(&v, &r), BLKBACK_REQ_INTERNAL));
	v = vbd();
	v.max_indirect_segs = XENPV_BLK_MAX_INDIRECT_SEGS + 1;
	CHECK_WARNS(1, CHECK_EQ(check(&v, &r), BLKBACK_REQ_INTERNAL));
	v = vbd();
	/* The indirect finish on a direct request. */
	CHECK_WARNS(1, CHECK_EQ(blkback_check_indirect_segs(&v, &r, r.seg,
							    NULL),
				BLKBACK_REQ_INTERNAL));
	CHECK_WARNS(1, blkback_get_indirect_segs(NULL, NULL, 4097));
	/* No @bad is fine. */
	CHECK_EQ(blkback_check_req(&v, &r, NULL), BLKBACK_REQ_OK);
}

static void clamp_indirect(void)
{
	CHECK_EQ(blkback_clamp_max_indirect(0), 0);
	CHECK_EQ(blkback_clamp_max_indirect(11), 0);
	CHECK_EQ(blkback_clamp_max_indirect(12), 12);
	CHECK_EQ(blkback_clamp_max_indirect(32), 32);
	CHECK_EQ(blkback_clamp_max_indirect(256), 256);
	CHECK_EQ(blkback_clamp_max_indirect(1024), 1024);
	CHECK_EQ(blkback_clamp_max_indirect(4096), 4096);
	CHECK_EQ(blkback_clamp_max_indirect(4097), 4096);
	CHECK_EQ(blkback_clamp_max_indirect(UINT_MAX), 4096);
}

static void verdict_words(void)
{
	enum blkback_verdict v;
	char buf[8];

	for (v = BLKBACK_REQ_OK; v <= BLKBACK_REQ_INTERNAL; v++) {
		CHECK(strlen(blkback_verdict_str(v)) > 1);
		CHECK(strcmp(blkback_verdict_str(v), "unknown"));
		bad = (struct blkback_bad){ .verdict = v };
		CHECK(strlen(msg()) > 1);
		CHECK_EQ(blkback_verdict_status(v),
			 v == BLKBACK_REQ_OK ? BLKIF_RSP_OKAY :
			 v == BLKBACK_REQ_BAD_OP || v == BLKBACK_REQ_NOT_OFFERED ?
			 BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR);
	}
	CHECK(!strcmp(blkback_verdict_str(v), "unknown"));
	CHECK(!strcmp(blkback_verdict_str(-1), "unknown"));
	bad = (struct blkback_bad){ .verdict = BLKBACK_REQ_SEG_LAST, .seg = 3,
				    .value = 9, .limit = 7 };
	CHECK_EQ(blkback_bad_str(&bad, buf, sizeof(buf)), 25);
	CHECK(!strcmp(buf, "segment"));
	bad.verdict = 1000;
	CHECK_MSG("unknown");
}

static void plan(void)
{
	static struct blkif_request_segment segs[600];
	static struct blkback_seg_io io[600];
	struct blkback_vbd v = vbd();
	struct blkback_req r = rw(BLKIF_OP_WRITE, 3, 16);
	unsigned int i;

	r.seg[0] = (struct blkif_request_segment){ 7, 2, 7 };
	r.seg[1] = (struct blkif_request_segment){ 8, 0, 7 };
	r.seg[2] = (struct blkif_request_segment){ 9, 0, 0 };
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(blkback_plan_segs(&r, r.seg, io), 3);
	CHECK_EQ(io[0].gref, 7);
	CHECK_EQ(io[0].offset, 1024);
	CHECK_EQ(io[0].len, 3072);
	CHECK_EQ(io[0].sector, 16);
	CHECK_EQ(io[1].offset, 0);
	CHECK_EQ(io[1].len, 4096);
	CHECK_EQ(io[1].sector, 22);
	CHECK_EQ(io[2].len, 512);
	CHECK_EQ(io[2].sector, 30);
	CHECK_EQ(io[2].sector + io[2].len / 512, r.sector + r.nr_sectors);

	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(blkback_plan_segs(&r, r.seg, io), 0);

	v.max_indirect_segs = 1024;
	v.sectors = 4096;
	r = indirect(BLKIF_OP_READ, 600, 0);
	for (i = 0; i < 600; i++)
		segs[i] = (struct blkif_request_segment){ i, i % 8, 7 };
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(blkback_check_indirect_segs(&v, &r, segs, NULL),
		 BLKBACK_REQ_OK);
	CHECK_EQ(blkback_plan_segs(&r, segs, io), 600);
	CHECK_EQ(io[599].sector + io[599].len / 512, r.nr_sectors);

	/* Unchecked garbage warns rather than planning it. */
	r = rw(BLKIF_OP_READ, 12, 0);
	CHECK_WARNS(1, CHECK_EQ(blkback_plan_segs(&r, r.seg, io), 0));
	r = rw(BLKIF_OP_READ, 2, 0);
	r.seg[1].last_sect = 8;
	CHECK_WARNS(1, CHECK_EQ(blkback_plan_segs(&r, r.seg, io), 0));
}

/* The computed fields do not survive into a later, failing check. */
static void recheck_resets(void)
{
	struct blkback_vbd v = vbd();
	struct blkback_req r = indirect(BLKIF_OP_READ, 600, 0);

	v.max_indirect_segs = 1024;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(r.nr_frames, 2);
	r.nr_segs = 2000;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_TOO_MANY_SEGS);
	CHECK_EQ(r.nr_frames, 0);
	r = rw(BLKIF_OP_READ, 2, 0);
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_OK);
	CHECK_EQ(r.nr_sectors, 16);
	r.seg[0].last_sect = 9;
	CHECK_EQ(check(&v, &r), BLKBACK_REQ_SEG_LAST);
	CHECK_EQ(r.nr_sectors, 0);
}

int main(void)
{
	RUN(segment_counts);
	RUN(segment_sectors);
	RUN(capacity_edges);
	RUN(u64_overflow);
	RUN(flush_and_barrier);
	RUN(read_only);
	RUN(unknown_operations);
	RUN(discards);
	RUN(logical_blocks);
	RUN(indirect_headers);
	RUN(indirect_segments);
	RUN(backend_bugs_warn);
	RUN(clamp_indirect);
	RUN(verdict_words);
	RUN(plan);
	RUN(recheck_resets);
	return t_done();
}
