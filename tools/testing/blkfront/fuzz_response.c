// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the blkfront protocol core.  The first byte picks:
 *
 *  0: a ring's id table driven by a hostile backend: requests go out,
 *     responses with arbitrary ids, ops and statuses and arbitrary
 *     producer indexes come back; every verdict is checked against a
 *     simple model of what is in flight.
 *  1: negotiation with arbitrary xenstore strings (newline-separated, "~"
 *     for an absent key) and frontend limits; results checked for the
 *     promised invariants, the number parser against strtoull().
 *  2: segment mapping, encoding and splitting of arbitrary chunk lists.
 *  3: single fetch: the ring page is shared, the backend rewrites every
 *     byte right after the parser fetched it, and any read that does not
 *     go through the one-fetch accessors trips ASan; the producer and
 *     each response must be fetched once, and every verdict must be the
 *     model's for the values fetched.
 *
 * Any broken invariant abort()s.  Built with clang -fsanitize=fuzzer by
 * "make fuzz"; fuzz_replay.c drives the same code without libFuzzer.
 */
#include <errno.h>
#include <stdlib.h>

#include "../../../drivers/block/xen-blkfront/blkfront-proto.c"
#include "../common/fuzz.h"
#include "../common/shared.h"

/* ---- Mode 0: ids and responses ------------------------------------------ */

struct fuzz_model {
	unsigned int size;
	unsigned int nr_busy;
	bool busy[512];
	bool ind[512];
	u8 op[512];
};

static enum blkfront_verdict fuzz_expect(const struct fuzz_model *m,
					 const struct blkif_response *r,
					 int *error)
{
	if (r->id >= m->size)
		return BLKFRONT_RSP_BAD_ID;
	if (!m->busy[r->id])
		return BLKFRONT_RSP_STALE_ID;
	if (r->operation != m->op[r->id])
		return BLKFRONT_RSP_BAD_OP;
	if (r->status < -2 || r->status > 0)
		return BLKFRONT_RSP_BAD_STATUS;
	*error = r->status == 0 ? 0 : r->status == -1 ? -EIO : -EOPNOTSUPP;
	return BLKFRONT_RSP_OK;
}

static void fuzz_get(struct xenpv_ids *ids, struct fuzz_model *m,
		     struct fuzz_in *in)
{
	u8 op = rd8(in);
	bool ind = op & 0x80;
	int id;

	op &= 7;
	id = xenpv_id_get(ids, op, ind ? BLKFRONT_ID_INDIRECT : 0,
			  &m->busy[0]);
	if (m->nr_busy == m->size) {
		FUZZ_ASSERT(id == -ENOSPC);
		return;
	}
	FUZZ_ASSERT(id >= 0 && (unsigned int)id < m->size && !m->busy[id]);
	m->busy[id] = true;
	m->ind[id] = ind;
	m->op[id] = op;
	m->nr_busy++;
}

/* A response: to an id in flight (maybe with a wrong op), or any id. */
static void fuzz_rsp(struct xenpv_ids *ids, struct fuzz_model *m,
		     struct fuzz_in *in, bool aimed)
{
	enum blkfront_verdict want, got;
	struct blkfront_done done;
	struct blkif_response r;
	int error = 0;

	r.id = rd64(in);
	r.operation = rd8(in);
	r.status = (s16)rd16(in);
	if (aimed) {
		r.id %= m->size;
		if (r.operation & 0x80 && m->busy[r.id])
			r.operation = m->op[r.id];
		if (!(r.status & 0x100))
			r.status = -(int)((u16)r.status % 3);
	}
	want = fuzz_expect(m, &r, &error);
	got = blkfront_complete_rsp(ids, &r, &done);
	FUZZ_ASSERT(got == want);
	FUZZ_ASSERT(blkfront_verdict_str(got)[0]);
	if (got != BLKFRONT_RSP_OK) {
		FUZZ_ASSERT(!done.priv && !done.id && !done.error);
		return;
	}
	FUZZ_ASSERT(done.id == r.id && done.op == m->op[r.id]);
	FUZZ_ASSERT(done.indirect == m->ind[r.id]);
	FUZZ_ASSERT(done.error == error && done.priv == &m->busy[0]);
	m->busy[r.id] = false;
	m->nr_busy--;
}

static void fuzz_prod(struct fuzz_model *m, struct fuzz_in *in)
{
	RING_IDX cons, prod;
	enum blkfront_verdict v;
	u32 avail;

	cons = rd32(in);
	prod = rd32(in);
	if (prod & 1)
		prod = cons + (prod >> 1) % (2 * m->size + 2);
	avail = prod - cons;
	v = blkfront_check_rsp_prod(prod, cons, m->size, m->nr_busy);
	if (avail >= 0x80000000u)
		FUZZ_ASSERT(v == BLKFRONT_RSP_PROD_BACKWARDS);
	else if (avail > m->size)
		FUZZ_ASSERT(v == BLKFRONT_RSP_PROD_OVERRUN);
	else if (avail > m->nr_busy)
		FUZZ_ASSERT(v == BLKFRONT_RSP_PROD_UNASKED);
	else
		FUZZ_ASSERT(v == BLKFRONT_RSP_OK);
}

static void fuzz_ring(struct fuzz_in *in)
{
	struct fuzz_model m = { 0 };
	struct xenpv_ids ids;
	unsigned int steps = 0;
	int id;

	m.size = blkfront_ring_size(rd8(in) % (XENPV_BLK_MAX_RING_ORDER + 1));
	FUZZ_ASSERT(m.size >= 32 && m.size <= 512);
	if (xenpv_ids_init(&ids, m.size, GFP_KERNEL))
		abort();
	while (in->n && steps++ < 4096) {
		switch (rd8(in) % 4) {
		case 0:
			fuzz_get(&ids, &m, in);
			break;
		case 1:
			fuzz_rsp(&ids, &m, in, true);
			break;
		case 2:
			fuzz_rsp(&ids, &m, in, false);
			break;
		case 3:
			fuzz_prod(&m, in);
			break;
		}
		FUZZ_ASSERT(xenpv_ids_in_flight(&ids) == m.nr_busy);
	}
	/* Walking the ids in flight finds exactly the model's. */
	for (id = xenpv_ids_next_in_flight(&ids, 0); id >= 0;
	     id = xenpv_ids_next_in_flight(&ids, id + 1)) {
		FUZZ_ASSERT(m.busy[id] && m.nr_busy);
		m.nr_busy--;
	}
	FUZZ_ASSERT(m.nr_busy == 0);
	xenpv_ids_destroy(&ids);
}

/* ---- Mode 1: negotiation -------------------------------------------------- */

static void fuzz_check_params(const struct blkfront_params *p,
			      const struct blkfront_wants *fe)
{
	unsigned int lbs_sectors = p->sector_size >> XENPV_BLK_SECTOR_SHIFT;

	FUZZ_ASSERT(p->nr_rings >= 1 && p->nr_rings <= fe->nr_cpus);
	FUZZ_ASSERT(!fe->max_rings || p->nr_rings <= fe->max_rings);
	FUZZ_ASSERT(p->ring_order <= XENPV_BLK_MAX_RING_ORDER &&
		    p->ring_order <= fe->max_ring_order);
	FUZZ_ASSERT(p->ring_size == blkfront_ring_size(p->ring_order));
	FUZZ_ASSERT(p->max_indirect_segs <= fe->max_indirect_segs &&
		    p->max_indirect_segs <= XENPV_BLK_MAX_INDIRECT_SEGS);
	FUZZ_ASSERT(!p->max_indirect_segs ||
		    p->max_indirect_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST);
	FUZZ_ASSERT(p->max_segs == blkfront_max_segs(p->max_indirect_segs));
	FUZZ_ASSERT(!p->persistent || fe->persistent);
	FUZZ_ASSERT(is_power_of_2(p->sector_size) && p->sector_size >= 512 &&
		    p->sector_size <= fe->max_sector_size);
	FUZZ_ASSERT(is_power_of_2(p->physical_sector_size) &&
		    p->physical_sector_size >= p->sector_size);
	FUZZ_ASSERT(p->sectors % lbs_sectors == 0);
	FUZZ_ASSERT(p->sectors <= (u64)S64_MAX >> 9);
	FUZZ_ASSERT(!(p->info & ~7u));
	FUZZ_ASSERT(!p->fua || (p->flush && !p->max_indirect_segs &&
				p->flush_op == BLKIF_OP_WRITE_BARRIER));
	if (p->flush)
		FUZZ_ASSERT(p->flush_op == BLKIF_OP_FLUSH_DISKCACHE ||
			    p->flush_op == BLKIF_OP_WRITE_BARRIER);
	if (!p->discard) {
		FUZZ_ASSERT(!p->discard_secure && !p->discard_granularity);
		return;
	}
	FUZZ_ASSERT(p->discard_granularity &&
		    p->discard_granularity % p->sector_size == 0);
	FUZZ_ASSERT(p->discard_alignment < p->discard_granularity &&
		    p->discard_alignment % p->sector_size == 0);
}

static void fuzz_negotiate(struct fuzz_in *in)
{
	static char buf[1024];
	struct xenpv_xs_vals be = { { NULL } };
	enum blkfront_xs_key bad = BLKFRONT_XS_NR;
	struct blkfront_wants fe;
	struct blkfront_params p;
	unsigned int k = 0;
	char *s = buf, *nl;
	size_t len;
	int ret;

	fe.nr_cpus = 1 + rd8(in) % 64;
	fe.max_rings = rd8(in) % 70;
	fe.max_ring_order = rd8(in) % 8;
	fe.max_indirect_segs = rd16(in);
	fe.max_sector_size = 512U << (rd8(in) % 5);
	fe.persistent = rd8(in) & 1;
	len = min(in->n, sizeof(buf) - 1);
	memcpy(buf, in->p, len);
	buf[len] = '\0';
	while (s && k < BLKFRONT_XS_NR) {
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		be.val[k++] = *s == '~' ? NULL : s;
		if (*s != '~')
			fuzz_check_parse_u64(xenpv_parse_u64, s);
		s = nl ? nl + 1 : NULL;
	}
	ret = blkfront_negotiate(&be, &fe, &p, &bad);
	if (ret) {
		FUZZ_ASSERT(ret == -EINVAL || ret == -ERANGE || ret == -ENOENT);
		FUZZ_ASSERT(bad < BLKFRONT_XS_NR && !p.sector_size);
		FUZZ_ASSERT(ret != -ENOENT || !be.val[bad]);
		return;
	}
	FUZZ_ASSERT(be.val[BLKFRONT_XS_SECTOR_SIZE] &&
		    be.val[BLKFRONT_XS_SECTORS] && be.val[BLKFRONT_XS_INFO]);
	fuzz_check_params(&p, &fe);
}

/* ---- Mode 2: mapping, encoding, splitting --------------------------------- */

static struct blkfront_chunk fz_chunks[256];
static struct blkfront_seg fz_segs[XENPV_BLK_MAX_INDIRECT_SEGS];
static grant_ref_t fz_grefs[XENPV_BLK_MAX_INDIRECT_SEGS + 8];
static struct blkfront_part fz_parts[XENPV_BLK_MAX_INDIRECT_SEGS];

/* The segments cover each chunk exactly, in order, frame by frame. */
static void fuzz_check_segs(unsigned int nr_chunks, unsigned int nr_segs)
{
	unsigned int c, s = 0, off;

	for (c = 0; c < nr_chunks; c++) {
		off = fz_chunks[c].offset;
		while (off < fz_chunks[c].offset + fz_chunks[c].len) {
			const struct blkfront_seg *g = &fz_segs[s++];

			FUZZ_ASSERT(s <= nr_segs && g->chunk == c);
			FUZZ_ASSERT(g->frame * 4096U + g->first_sect * 512U == off);
			FUZZ_ASSERT(g->first_sect <= g->last_sect &&
				    g->last_sect < 8);
			off += (g->last_sect - g->first_sect + 1) * 512;
		}
		FUZZ_ASSERT(off == fz_chunks[c].offset + fz_chunks[c].len);
	}
	FUZZ_ASSERT(s == nr_segs);
}

static void fuzz_encode(const struct blkfront_layout *lay, u8 op)
{
	struct blkif_request_segment *frames[8] = { NULL };
	struct blkfront_io io = { .op = op, .id = 3, .lay = *lay,
				  .segs = fz_segs, .grefs = fz_grefs };
	struct blkif_request req;
	unsigned int i, per = XENPV_BLK_SEGS_PER_FRAME;
	bool rw, flush;
	int ret;

	for (i = 0; i < lay->nr_grants; i++)
		fz_grefs[i] = i * 7 + 1;
	for (i = 0; i < lay->nr_indirect; i++) {
		frames[i] = kmalloc(XENPV_BLK_GRANT_SIZE, GFP_KERNEL);
		FUZZ_ASSERT(frames[i]);
	}
	ret = blkfront_encode_rw(&req, &io, frames);
	rw = op == BLKIF_OP_READ || op == BLKIF_OP_WRITE;
	flush = op == BLKIF_OP_FLUSH_DISKCACHE || op == BLKIF_OP_WRITE_BARRIER;
	FUZZ_ASSERT(ret == (rw || (flush && !lay->indirect) ? 0 : -EINVAL));
	if (ret)
		goto out;
	if (lay->indirect) {
		FUZZ_ASSERT(req.operation == BLKIF_OP_INDIRECT &&
			    req.u.indirect.indirect_op == op &&
			    req.u.indirect.nr_segments == lay->nr_segs);
		for (i = 0; i < lay->nr_segs; i++)
			FUZZ_ASSERT(frames[i / per][i % per].gref ==
				    fz_grefs[i]);
	} else {
		FUZZ_ASSERT(req.operation == op &&
			    req.u.rw.nr_segments == lay->nr_segs);
		for (i = 0; i < lay->nr_segs; i++)
			FUZZ_ASSERT(req.u.rw.seg[i].last_sect ==
				    fz_segs[i].last_sect);
	}
out:
	for (i = 0; i < 8; i++)
		kfree(frames[i]);
}

static void fuzz_check_split(unsigned int nr_segs, unsigned int nr_sectors,
			     unsigned int max, unsigned int align)
{
	int n = blkfront_split(fz_segs, nr_segs, max, align, fz_parts,
			       ARRAY_SIZE(fz_parts));
	unsigned int i, seg = 0, off = 0;

	if (n < 0)
		return;
	FUZZ_ASSERT(n == blkfront_split(fz_segs, nr_segs, max, align, NULL,
					UINT_MAX));
	for (i = 0; i < (unsigned int)n; i++) {
		FUZZ_ASSERT(fz_parts[i].first_seg == seg &&
			    fz_parts[i].sector_off == off);
		FUZZ_ASSERT(fz_parts[i].nr_segs && fz_parts[i].nr_segs <= max);
		FUZZ_ASSERT(fz_parts[i].nr_sectors % align == 0);
		seg += fz_parts[i].nr_segs;
		off += fz_parts[i].nr_sectors;
	}
	FUZZ_ASSERT(seg == nr_segs && off == nr_sectors);
}

static void fuzz_map(struct fuzz_in *in)
{
	struct blkfront_layout lay;
	struct blkfront_geom g;
	unsigned int nr, i, sum = 0, max, align;
	u8 op;
	int ret;

	g.page_shift = 12 + rd8(in) % 5;
	g.max_indirect_segs = rd16(in) % 5000;
	nr = rd8(in);
	op = rd8(in) % 7;
	for (i = 0; i < nr; i++) {
		u16 a = rd16(in), b = rd16(in);

		/* Mostly whole sectors, sometimes anything. */
		fz_chunks[i].offset = a & 0x8000 ? a : (a & 0x7f) * 512;
		fz_chunks[i].len = b & 0x8000 ? b : (b & 0x7f) * 512;
	}
	ret = blkfront_map_chunks(&g, fz_chunks, nr, fz_segs, &lay);
	if (ret) {
		FUZZ_ASSERT(ret == -EINVAL);
		return;
	}
	for (i = 0; i < nr; i++)
		sum += fz_chunks[i].len / 512;
	FUZZ_ASSERT(lay.nr_sectors == sum);
	FUZZ_ASSERT(lay.nr_segs <= blkfront_max_segs(g.max_indirect_segs));
	FUZZ_ASSERT(lay.indirect == (lay.nr_segs > 11));
	FUZZ_ASSERT(lay.nr_grants == lay.nr_segs + lay.nr_indirect);
	fuzz_check_segs(nr, lay.nr_segs);
	fuzz_encode(&lay, op);
	max = 1 + rd8(in) % 64;
	align = 1U << (rd8(in) % 4);
	fuzz_check_split(lay.nr_segs, lay.nr_sectors, max, align);
}

/* ---- Mode 3: responses rewritten under the parser ------------------------ */

static u8 fz_ring[XENPV_BLK_GRANT_SIZE] __aligned(4096);
static u8 fz_fetches[sizeof(fz_ring)], fz_seen[sizeof(fz_ring)];

/* One response taken: the verdict the model gives for what was fetched. */
static bool fuzz_shared_take(struct blkif_front_ring *front,
			     struct xenpv_ids *ids, struct fuzz_model *m)
{
	const void *slot = RING_GET_RESPONSE(front, front->rsp_cons);
	enum blkfront_verdict got, want;
	struct blkfront_done done;
	struct blkif_response rsp;
	int error = 0;

	got = blkfront_rsp_take(front, ids, &done);
	FUZZ_ASSERT(shim_shared_fetched((const u8 *)slot - fz_ring,
					sizeof(rsp)) == sizeof(rsp));
	memcpy(&rsp, fz_seen + ((const u8 *)slot - fz_ring), sizeof(rsp));
	want = fuzz_expect(m, &rsp, &error);
	FUZZ_ASSERT(got == want);
	if (got != BLKFRONT_RSP_OK)
		return false;
	FUZZ_ASSERT(done.id == rsp.id && done.error == error);
	m->busy[rsp.id] = false;
	m->nr_busy--;
	return true;
}

static void fuzz_shared(struct fuzz_in *in)
{
	struct blkif_sring *sring = (struct blkif_sring *)fz_ring;
	unsigned int i, nreq = rd8(in) % 33;
	RING_IDX start = rd32(in), rp, prod;
	struct blkif_front_ring front;
	struct fuzz_model m = { 0 };
	enum blkfront_verdict v;
	struct xenpv_ids ids;

	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&front, sring, sizeof(fz_ring));
	m.size = RING_SIZE(&front);
	if (xenpv_ids_init(&ids, m.size, GFP_KERNEL))
		abort();
	for (i = 0; i < nreq; i++)
		fuzz_get(&ids, &m, in);
	front.rsp_cons = start;
	front.req_prod_pvt = start + m.nr_busy;
	prod = start + rd8(in) % 40;
	fuzz_take(in, fz_ring + XENPV_BLK_SRING_HEADER,
		  sizeof(fz_ring) - XENPV_BLK_SRING_HEADER);
	sring->rsp_prod = prod;
	fuzz_flip_in = in;
	shim_shared_begin(fz_ring, sizeof(fz_ring), fz_fetches, fz_seen,
			  fuzz_flip);
	v = blkfront_rsp_avail(&front, &ids, &rp);
	FUZZ_ASSERT(shim_shared_fetched(offsetof(struct blkif_sring, rsp_prod),
					sizeof(RING_IDX)) == sizeof(RING_IDX));
	FUZZ_ASSERT(rp == prod);
	FUZZ_ASSERT(v == blkfront_check_rsp_prod(prod, start, m.size,
						 m.nr_busy + 0));
	while (v == BLKFRONT_RSP_OK && front.rsp_cons != rp)
		if (!fuzz_shared_take(&front, &ids, &m))
			break;
	if (v == BLKFRONT_RSP_OK)
		blkfront_rsp_more(&front);
	shim_shared_end();
	FUZZ_ASSERT(xenpv_ids_in_flight(&ids) == m.nr_busy);
	xenpv_ids_destroy(&ids);
}

static const fuzz_mode_fn fuzz_modes[] = {
	fuzz_ring, fuzz_negotiate, fuzz_map, fuzz_shared,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	return fuzz_one(fuzz_modes, ARRAY_SIZE(fuzz_modes), data, size);
}
