// SPDX-License-Identifier: GPL-2.0
/*
 * Request to segment mapping, request encoding and splitting.
 */
#include "../../../drivers/block/xen-blkfront/blkfront-proto.c"
#include "../common/test.h"

#define MAXSEG	XENPV_BLK_MAX_INDIRECT_SEGS

static struct blkfront_seg segs[MAXSEG + 16];
static struct blkfront_chunk chunks[MAXSEG + 16];

static const struct blkfront_geom geom4k = { .page_shift = 12,
					     .max_indirect_segs = 0 };

static int map(const struct blkfront_geom *g, unsigned int nr,
	       struct blkfront_layout *lay)
{
	return blkfront_map_chunks(g, chunks, nr, segs, lay);
}

/*
 * Every field of a layout, a segment or a split part against the one
 * given by designated initializers (fields not named are 0).  Macros, so
 * that a failure names the caller's line.
 */
#define CHECK_LAYOUT(lay, ...) do {					\
	const struct blkfront_layout *__l = (lay);			\
	const struct blkfront_layout __w = { __VA_ARGS__ };		\
	CHECK_EQ(__l->nr_segs, __w.nr_segs);				\
	CHECK_EQ(__l->nr_sectors, __w.nr_sectors);			\
	CHECK_EQ(__l->nr_indirect, __w.nr_indirect);			\
	CHECK_EQ(__l->nr_grants, __w.nr_grants);			\
	CHECK_EQ(__l->indirect, __w.indirect);				\
} while (0)

#define CHECK_SEG(seg, ...) do {					\
	const struct blkfront_seg *__s = (seg);				\
	const struct blkfront_seg __w = { __VA_ARGS__ };		\
	CHECK_EQ(__s->chunk, __w.chunk);				\
	CHECK_EQ(__s->frame, __w.frame);				\
	CHECK_EQ(__s->first_sect, __w.first_sect);			\
	CHECK_EQ(__s->last_sect, __w.last_sect);			\
} while (0)

#define CHECK_PART(part, ...) do {					\
	const struct blkfront_part *__p = (part);			\
	const struct blkfront_part __w = { __VA_ARGS__ };		\
	CHECK_EQ(__p->first_seg, __w.first_seg);			\
	CHECK_EQ(__p->nr_segs, __w.nr_segs);				\
	CHECK_EQ(__p->sector_off, __w.sector_off);			\
	CHECK_EQ(__p->nr_sectors, __w.nr_sectors);			\
} while (0)

/* A segment as the ring carries it (a copy: the ring's structs are packed). */
#define CHECK_WIRE_SEG(seg, ...) do {					\
	const struct blkif_request_segment __s = (seg);			\
	const struct blkif_request_segment __w = { __VA_ARGS__ };	\
	CHECK_EQ(__s.gref, __w.gref);					\
	CHECK_EQ(__s.first_sect, __w.first_sect);			\
	CHECK_EQ(__s.last_sect, __w.last_sect);				\
} while (0)

/* @nr chunks of whole 4 KiB pages. */
static void full_pages(unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		chunks[i] = (struct blkfront_chunk){ .offset = 0, .len = 4096 };
}

static void one_page(void)
{
	struct blkfront_layout lay;

	full_pages(1);
	CHECK_EQ(map(&geom4k, 1, &lay), 0);
	CHECK_LAYOUT(&lay, .nr_segs = 1, .nr_sectors = 8, .nr_grants = 1);
	CHECK_SEG(&segs[0], .last_sect = 7);
}

static void sector_chunks(void)
{
	struct blkfront_layout lay;
	unsigned int i;

	/* Eleven 512-byte chunks, each at a different sector of its page. */
	for (i = 0; i < 11; i++)
		chunks[i] = (struct blkfront_chunk){ .offset = (i % 8) * 512,
						     .len = 512 };
	CHECK_EQ(map(&geom4k, 11, &lay), 0);
	CHECK_EQ(lay.nr_segs, 11);
	CHECK_EQ(lay.nr_sectors, 11);
	for (i = 0; i < 11; i++)
		CHECK_SEG(&segs[i], .chunk = i, .first_sect = i % 8,
			  .last_sect = i % 8);
}

static void unaligned_offsets(void)
{
	struct blkfront_layout lay;
	struct blkfront_geom g64k = { .page_shift = 16 };

	/* Starts mid-page, runs to the page's end. */
	chunks[0] = (struct blkfront_chunk){ .offset = 1536, .len = 2560 };
	CHECK_EQ(map(&geom4k, 1, &lay), 0);
	CHECK_LAYOUT(&lay, .nr_segs = 1, .nr_sectors = 5, .nr_grants = 1);
	CHECK_SEG(&segs[0], .first_sect = 3, .last_sect = 7);

	/* In a 64 KiB page, crossing a grant frame boundary: two segments. */
	chunks[0] = (struct blkfront_chunk){ .offset = 3584, .len = 1024 };
	CHECK_EQ(map(&g64k, 1, &lay), 0);
	CHECK_EQ(lay.nr_segs, 2);
	CHECK_SEG(&segs[0], .frame = 0, .first_sect = 7, .last_sect = 7);
	CHECK_SEG(&segs[1], .frame = 1, .first_sect = 0, .last_sect = 0);

	/* The same in a 4 KiB page crosses the page's end. */
	CHECK_EQ(map(&geom4k, 1, &lay), -EINVAL);
}

static void large_pages(void)
{
	struct blkfront_geom g = { .page_shift = 16, .max_indirect_segs = 64 };
	struct blkfront_layout lay;
	unsigned int i;

	chunks[0] = (struct blkfront_chunk){ .offset = 0, .len = 65536 };
	CHECK_EQ(map(&g, 1, &lay), 0);
	CHECK_EQ(lay.nr_segs, 16);
	CHECK(lay.indirect);
	for (i = 0; i < 16; i++)
		CHECK_SEG(&segs[i], .frame = i, .first_sect = 0,
			  .last_sect = 7);
	/* Without indirect, a whole 64 KiB page does not fit. */
	g.max_indirect_segs = 0;
	CHECK_EQ(map(&g, 1, &lay), -EINVAL);
}

static void bad_chunks(void)
{
	struct blkfront_layout lay;
	struct blkfront_geom bad = { .page_shift = 11 };

	chunks[0] = (struct blkfront_chunk){ .offset = 100, .len = 512 };
	CHECK_EQ(map(&geom4k, 1, &lay), -EINVAL);
	chunks[0] = (struct blkfront_chunk){ .offset = 0, .len = 700 };
	CHECK_EQ(map(&geom4k, 1, &lay), -EINVAL);
	chunks[0] = (struct blkfront_chunk){ .offset = 0, .len = 0 };
	CHECK_EQ(map(&geom4k, 1, &lay), -EINVAL);
	chunks[0] = (struct blkfront_chunk){ .offset = 4096, .len = 512 };
	CHECK_EQ(map(&geom4k, 1, &lay), -EINVAL);
	chunks[0] = (struct blkfront_chunk){ .offset = 512, .len = UINT_MAX };
	CHECK_EQ(map(&geom4k, 1, &lay), -EINVAL);
	full_pages(1);
	CHECK_EQ(map(&geom4k, 0, &lay), -EINVAL);
	/* A page size the mapper does not know is the caller's bug. */
	CHECK_WARNS(1, CHECK_EQ(map(&bad, 1, &lay), -EINVAL));
}

static void eleven_is_direct(void)
{
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 32 };
	struct blkfront_layout lay;

	full_pages(11);
	CHECK_EQ(map(&g, 11, &lay), 0);
	CHECK_LAYOUT(&lay, .nr_segs = 11, .nr_sectors = 88, .nr_indirect = 0,
		     .nr_grants = 11, .indirect = false);
	CHECK_EQ(map(&geom4k, 11, &lay), 0);
}

static void twelve_is_indirect(void)
{
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 32 };
	struct blkfront_layout lay;

	full_pages(12);
	CHECK_EQ(map(&g, 12, &lay), 0);
	CHECK_LAYOUT(&lay, .nr_segs = 12, .nr_sectors = 96, .nr_indirect = 1,
		     .nr_grants = 13, .indirect = true);
	/* Without indirect, twelve segments cannot be expressed. */
	CHECK_EQ(map(&geom4k, 12, &lay), -EINVAL);
	/* Nor with a limit that is no better than a direct request. */
	g.max_indirect_segs = 11;
	CHECK_EQ(map(&g, 12, &lay), -EINVAL);
}

static void indirect_limits(void)
{
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 256 };
	struct blkfront_layout lay;

	full_pages(MAXSEG + 1);
	CHECK_EQ(map(&g, 256, &lay), 0);
	CHECK_EQ(lay.nr_indirect, 1);
	CHECK_EQ(map(&g, 257, &lay), -EINVAL);

	g.max_indirect_segs = MAXSEG;
	CHECK_EQ(map(&g, 512, &lay), 0);
	CHECK_EQ(lay.nr_indirect, 1);
	CHECK_EQ(map(&g, 513, &lay), 0);
	CHECK_EQ(lay.nr_indirect, 2);
	CHECK_EQ(map(&g, MAXSEG, &lay), 0);
	CHECK_LAYOUT(&lay, .nr_segs = 4096, .nr_sectors = 4096 * 8,
		     .nr_indirect = BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST,
		     .nr_grants = 4096 + 8, .indirect = true);
	CHECK_EQ(map(&g, MAXSEG + 1, &lay), -EINVAL);

	/* A limit above what indirect_grefs[] can carry is capped. */
	g.max_indirect_segs = 100000;
	CHECK_EQ(blkfront_max_segs(g.max_indirect_segs), MAXSEG);
	CHECK_EQ(map(&g, MAXSEG + 1, &lay), -EINVAL);
	CHECK_EQ(blkfront_max_segs(0), 11);
	CHECK_EQ(blkfront_max_segs(5), 11);
	CHECK_EQ(blkfront_max_segs(64), 64);
}

static void layout_checks_sectors(void)
{
	struct blkfront_layout lay;

	CHECK_EQ(blkfront_layout_for(0, 0, 0, &lay), 0);
	CHECK_EQ(lay.nr_grants, 0);
	CHECK_EQ(blkfront_layout_for(2, 16, 0, &lay), 0);
	CHECK_EQ(blkfront_layout_for(2, 17, 0, &lay), -EINVAL);
	CHECK_EQ(blkfront_layout_for(2, 1, 0, &lay), -EINVAL);
	CHECK_EQ(blkfront_layout_for(0, 1, 0, &lay), -EINVAL);
	CHECK_EQ(blkfront_layout_for(UINT_MAX, UINT_MAX, UINT_MAX, &lay),
		 -EINVAL);
	/* The negotiated indirect limit is a hard one. */
	CHECK_EQ(blkfront_layout_for(256, 256, 256, &lay), 0);
	CHECK_EQ(blkfront_layout_for(257, 257, 256, &lay), -EINVAL);
	CHECK_EQ(blkfront_layout_for(12, 12, 11, &lay), -EINVAL);
	CHECK_EQ(blkfront_layout_for(12, 12, 0, &lay), -EINVAL);
	CHECK_EQ(blkfront_layout_for(4097, 4097, 8192, &lay), -EINVAL);
}

/* The segment array only needs blkfront_max_segs() entries (ASan checks). */
static void never_writes_past_max(void)
{
	struct blkfront_geom g = { .page_shift = 16, .max_indirect_segs = 0 };
	struct blkfront_seg *few = kmalloc(11 * sizeof(*few), GFP_KERNEL);
	struct blkfront_layout lay;

	full_pages(12);
	CHECK_EQ(blkfront_map_chunks(&g, chunks, 12, few, &lay), -EINVAL);
	/* One 64 KiB chunk is 16 segments: refused at the 12th. */
	chunks[0] = (struct blkfront_chunk){ .offset = 0, .len = 65536 };
	CHECK_EQ(blkfront_map_chunks(&g, chunks, 1, few, &lay), -EINVAL);
	chunks[0] = (struct blkfront_chunk){ .offset = 0, .len = 45056 };
	CHECK_EQ(blkfront_map_chunks(&g, chunks, 1, few, &lay), 0);
	CHECK_EQ(lay.nr_segs, 11);
	kfree(few);
}

static void encode_direct(void)
{
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 0 };
	grant_ref_t grefs[3] = { 100, 200, 300 };
	struct blkfront_io io = { .op = BLKIF_OP_WRITE, .handle = 0x1234,
				  .id = 7, .sector = 0x123456789ULL,
				  .segs = segs, .grefs = grefs };
	struct blkif_request req;

	chunks[0] = (struct blkfront_chunk){ .offset = 512, .len = 3584 };
	chunks[1] = (struct blkfront_chunk){ .offset = 0, .len = 4096 };
	chunks[2] = (struct blkfront_chunk){ .offset = 0, .len = 1024 };
	CHECK_EQ(map(&g, 3, &io.lay), 0);
	memset(&req, 0xff, sizeof(req));
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), 0);
	CHECK_EQ(req.operation, BLKIF_OP_WRITE);
	CHECK_EQ(req.u.rw.nr_segments, 3);
	CHECK_EQ(req.u.rw.handle, 0x1234);
	CHECK_EQ(req.u.rw.id, 7);
	CHECK_EQ(req.u.rw.sector_number, 0x123456789ULL);
	CHECK_WIRE_SEG(req.u.rw.seg[0], .gref = 100, .first_sect = 1,
		       .last_sect = 7);
	CHECK_WIRE_SEG(req.u.rw.seg[1], .gref = 200, .first_sect = 0,
		       .last_sect = 7);
	CHECK_WIRE_SEG(req.u.rw.seg[2], .gref = 300, .first_sect = 0,
		       .last_sect = 1);
}

static void encode_indirect(void)
{
	static grant_ref_t grefs[MAXSEG + 8];
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 600 };
	struct blkfront_io io = { .op = BLKIF_OP_READ, .handle = 5, .id = 31,
				  .sector = 4096, .segs = segs, .grefs = grefs };
	struct blkif_request_segment *frames[2];
	struct blkif_request req;
	unsigned int i;

	full_pages(520);
	chunks[519].len = 512;
	CHECK_EQ(map(&g, 520, &io.lay), 0);
	CHECK(io.lay.indirect);
	CHECK_EQ(io.lay.nr_indirect, 2);
	for (i = 0; i < io.lay.nr_grants; i++)
		grefs[i] = 1000 + i;
	for (i = 0; i < 2; i++)
		frames[i] = kmalloc(XENPV_BLK_GRANT_SIZE, GFP_KERNEL);
	memset(&req, 0, sizeof(req));
	CHECK_EQ(blkfront_encode_rw(&req, &io, frames), 0);
	CHECK_EQ(req.operation, BLKIF_OP_INDIRECT);
	CHECK_EQ(req.u.indirect.indirect_op, BLKIF_OP_READ);
	CHECK_EQ(req.u.indirect.nr_segments, 520);
	CHECK_EQ(req.u.indirect.id, 31);
	CHECK_EQ(req.u.indirect.sector_number, 4096);
	CHECK_EQ(req.u.indirect.handle, 5);
	/* Indirect frame grants follow the data grants. */
	CHECK_EQ(req.u.indirect.indirect_grefs[0], 1520);
	CHECK_EQ(req.u.indirect.indirect_grefs[1], 1521);
	CHECK_EQ(frames[0][0].gref, 1000);
	CHECK_EQ(frames[0][511].gref, 1511);
	CHECK_EQ(frames[1][0].gref, 1512);
	CHECK_WIRE_SEG(frames[1][7], .gref = 1519, .first_sect = 0,
		       .last_sect = 0);
	CHECK_EQ(frames[1][6].last_sect, 7);
	for (i = 0; i < 2; i++)
		kfree(frames[i]);
}

static void encode_rejects(void)
{
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 32 };
	grant_ref_t grefs[32] = { 0 };
	struct blkfront_io io = { .op = BLKIF_OP_FLUSH_DISKCACHE,
				  .segs = segs, .grefs = grefs };
	struct blkif_request req;

	/* A flush or barrier may carry data, but never indirect. */
	full_pages(12);
	CHECK_EQ(map(&g, 12, &io.lay), 0);
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL);
	io.op = BLKIF_OP_WRITE_BARRIER;
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL);
	CHECK_EQ(map(&g, 11, &io.lay), 0);
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), 0);
	CHECK_EQ(req.operation, BLKIF_OP_WRITE_BARRIER);

	/* A bare flush is fine, a bare read or write is not. */
	CHECK_EQ(blkfront_layout_for(0, 0, 32, &io.lay), 0);
	io.op = BLKIF_OP_FLUSH_DISKCACHE;
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), 0);
	CHECK_EQ(req.u.rw.nr_segments, 0);
	io.op = BLKIF_OP_READ;
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL);

	/* Discard and indirect are not read/write operations. */
	CHECK_EQ(map(&g, 1, &io.lay), 0);
	io.op = BLKIF_OP_DISCARD;
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL);
	io.op = BLKIF_OP_INDIRECT;
	CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL);

	/* A layout not made by the mapper is a local bug. */
	io.op = BLKIF_OP_READ;
	io.lay.nr_grants = 5;
	CHECK_WARNS(1, CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL));
	io.lay = (struct blkfront_layout){ .nr_segs = 12, .nr_grants = 12 };
	CHECK_WARNS(1, CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL));
	io.lay = (struct blkfront_layout){ .nr_segs = 5, .nr_indirect = 1,
					   .nr_grants = 6, .indirect = true };
	CHECK_WARNS(1, CHECK_EQ(blkfront_encode_rw(&req, &io, NULL), -EINVAL));
}

static void encode_discard(void)
{
	struct blkif_request req;

	memset(&req, 0xff, sizeof(req));
	CHECK_EQ(blkfront_encode_discard(&req, 9, 2048, 4096, true), 0);
	CHECK_EQ(req.operation, BLKIF_OP_DISCARD);
	CHECK_EQ(req.u.discard.flag, BLKIF_DISCARD_SECURE);
	CHECK_EQ(req.u.discard.id, 9);
	CHECK_EQ(req.u.discard.sector_number, 2048);
	CHECK_EQ(req.u.discard.nr_sectors, 4096);
	CHECK_EQ(blkfront_encode_discard(&req, 9, 0, 8, false), 0);
	CHECK_EQ(req.u.discard.flag, 0);
	CHECK_EQ(blkfront_encode_discard(&req, 9, 0, 0, false), -EINVAL);
	CHECK_EQ(blkfront_encode_discard(&req, 9, U64_MAX, 2, false), -EINVAL);
}

static void split_plain(void)
{
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 64 };
	struct blkfront_part parts[8];
	struct blkfront_layout lay;

	full_pages(40);
	CHECK_EQ(map(&g, 40, &lay), 0);
	CHECK_EQ(blkfront_split(segs, 40, 11, 1, parts, 8), 4);
	CHECK_PART(&parts[0], .first_seg = 0, .nr_segs = 11, .sector_off = 0,
		   .nr_sectors = 88);
	CHECK_PART(&parts[3], .first_seg = 33, .nr_segs = 7, .sector_off = 264,
		   .nr_sectors = 56);
	CHECK_EQ(blkfront_split(segs, 40, 11, 1, NULL, UINT_MAX), 4);
	CHECK_EQ(blkfront_split(segs, 40, 40, 1, NULL, UINT_MAX), 1);
	CHECK_EQ(blkfront_split(segs, 40, 11, 1, parts, 3), -EINVAL);
	CHECK_EQ(blkfront_split(segs, 40, 0, 1, parts, 8), -EINVAL);
	CHECK_EQ(blkfront_split(segs, 0, 11, 1, parts, 8), -EINVAL);
	CHECK_EQ(blkfront_split(segs, 40, 11, 3, parts, 8), -EINVAL);
}

static void split_keeps_blocks_whole(void)
{
	struct blkfront_geom g = { .page_shift = 12, .max_indirect_segs = 64 };
	struct blkfront_part parts[8];
	struct blkfront_layout lay;
	unsigned int i;

	/* 24 one-sector chunks, 4 KiB logical blocks: cut every 8. */
	for (i = 0; i < 24; i++)
		chunks[i] = (struct blkfront_chunk){ .offset = 512, .len = 512 };
	CHECK_EQ(map(&g, 24, &lay), 0);
	CHECK_EQ(blkfront_split(segs, 24, 11, 8, parts, 8), 3);
	for (i = 0; i < 3; i++)
		CHECK_PART(&parts[i], .first_seg = 8 * i, .nr_segs = 8,
			   .sector_off = 8 * i, .nr_sectors = 8);
	/* A 16 KiB block in one-sector pieces cannot fit 11 segments. */
	CHECK_EQ(blkfront_split(segs, 24, 11, 32, parts, 8), -EINVAL);
	/* Nor can a request that is not whole blocks. */
	CHECK_EQ(blkfront_split(segs, 23, 11, 8, parts, 8), -EINVAL);
	/* A corrupt segment is refused. */
	segs[3].last_sect = 9;
	CHECK_EQ(blkfront_split(segs, 24, 11, 1, parts, 8), -EINVAL);
}

int main(void)
{
	RUN(one_page);
	RUN(sector_chunks);
	RUN(unaligned_offsets);
	RUN(large_pages);
	RUN(bad_chunks);
	RUN(eleven_is_direct);
	RUN(twelve_is_indirect);
	RUN(indirect_limits);
	RUN(layout_checks_sectors);
	RUN(never_writes_past_max);
	RUN(encode_direct);
	RUN(encode_indirect);
	RUN(encode_rejects);
	RUN(encode_discard);
	RUN(split_plain);
	RUN(split_keeps_blocks_whole);
	return t_done();
}
