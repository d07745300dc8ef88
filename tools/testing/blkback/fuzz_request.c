// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the blkback protocol core.  The first byte picks:
 *
 *  0: a request: a vbd description, one ring slot of either ABI and the
 *     contents of up to 8 indirect frames, all from the input.  The slot
 *     is decoded (checked against an independent packed-struct decoder),
 *     checked, its indirect segments copied and checked; anything
 *     accepted must satisfy every limit, anything rejected must really
 *     break the rule its verdict names.
 *  1: the request producer check against a model.
 *  2: the persistent grant pool driven by a hostile frontend, against a
 *     model: the bound, pins, LRU order.
 *  3: the frontend's xenstore keys (newline-separated, "~" for absent).
 *  4: single fetch: a ring page and its indirect frames are shared, the
 *     frontend rewrites every byte right after the parser fetched it,
 *     and any read that does not go through the one-fetch accessors
 *     trips ASan; each byte must be fetched once, and what was decoded
 *     must be exactly what was fetched.
 *
 * Any broken invariant abort()s.  Built with clang -fsanitize=fuzzer by
 * "make fuzz"; fuzz_replay.c drives the same code without libFuzzer.
 */
#include <errno.h>
#include <stdlib.h>

#include "../../../drivers/block/xen-blkback/blkback-proto.c"
#include "../common/fuzz.h"
#include "../common/shared.h"

/* ---- Mode 0: one request -------------------------------------------------- */

/* The slot layouts written out as C structs, apart from the core's offsets. */
struct fuzz_tail {
	union {
		struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
		u64 nr_sectors;
		struct {
			u16 handle;
			u16 pad;
			u32 grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
		} __packed ind;
	} __packed;
} __packed;

struct fuzz_req32 {
	u8 op, byte1;
	u16 word;
	u64 id, sector;
	struct fuzz_tail t;
} __packed;

struct fuzz_req64 {
	u8 op, byte1;
	u16 word;
	u32 pad;
	u64 id, sector;
	struct fuzz_tail t;
} __packed;

static_assert(sizeof(struct fuzz_req32) == 108);
static_assert(sizeof(struct fuzz_req64) == 112);

static void fuzz_oracle_tail(const struct blkback_req *r,
			     const struct fuzz_tail *t, u8 op, u8 byte1,
			     u16 word)
{
	unsigned int i;

	FUZZ_ASSERT(r->operation == op);
	if (op == BLKIF_OP_DISCARD) {
		FUZZ_ASSERT(r->discard_flag == byte1);
		FUZZ_ASSERT(r->nr_sectors == t->nr_sectors && !r->nr_segs);
	} else if (op == BLKIF_OP_INDIRECT) {
		FUZZ_ASSERT(r->indirect && r->op == byte1);
		FUZZ_ASSERT(r->nr_segs == word);
		FUZZ_ASSERT(r->handle == t->ind.handle);
		for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
			FUZZ_ASSERT(r->indirect_grefs[i] == t->ind.grefs[i]);
	} else {
		FUZZ_ASSERT(r->op == op && !r->indirect);
		FUZZ_ASSERT(r->nr_segs == byte1 && r->handle == word);
		for (i = 0; i < min_t(unsigned int, byte1, 11); i++) {
			FUZZ_ASSERT(r->seg[i].gref == t->seg[i].gref);
			FUZZ_ASSERT(r->seg[i].first_sect == t->seg[i].first_sect);
			FUZZ_ASSERT(r->seg[i].last_sect == t->seg[i].last_sect);
		}
	}
}

static void fuzz_oracle(const struct blkback_req *r, const u8 *slot,
			enum blkback_abi abi)
{
	struct fuzz_req32 a;
	struct fuzz_req64 b;

	if (abi == BLKBACK_ABI_X86_32) {
		memcpy(&a, slot, sizeof(a));
		FUZZ_ASSERT(r->id == a.id && r->sector == a.sector);
		fuzz_oracle_tail(r, &a.t, a.op, a.byte1, a.word);
	} else {
		memcpy(&b, slot, sizeof(b));
		FUZZ_ASSERT(r->id == b.id && r->sector == b.sector);
		fuzz_oracle_tail(r, &b.t, b.op, b.byte1, b.word);
	}
}

static struct blkback_vbd fuzz_vbd(struct fuzz_in *in, u8 flags)
{
	struct blkback_vbd v = {
		.readonly = flags & 0x02, .flush = flags & 0x04,
		.barrier = flags & 0x08, .discard = flags & 0x10,
		.discard_secure = flags & 0x20,
	};
	u8 shift = rd8(in);
	u16 ind = rd16(in);

	v.sector_size = 512U << (shift % 5);
	v.sectors = rd64(in);
	if (shift & 0x80)
		v.sectors >>= shift & 0x3f;
	if (flags & 0x40)
		v.max_indirect_segs = ind & 0x8000 ?
			blkback_clamp_max_indirect(ind) :
			ind % (XENPV_BLK_MAX_INDIRECT_SEGS + 1);
	return v;
}

static unsigned int fuzz_max_segs(const struct blkback_vbd *v,
				  const struct blkback_req *r)
{
	if (!r->indirect)
		return BLKIF_MAX_SEGMENTS_PER_REQUEST;
	return min_t(unsigned int, v->max_indirect_segs,
		     XENPV_BLK_MAX_INDIRECT_SEGS);
}

static void fuzz_check_plan(const struct blkback_req *r,
			    const struct blkif_request_segment *segs)
{
	static struct blkback_seg_io io[XENPV_BLK_MAX_INDIRECT_SEGS];
	unsigned int i, n = blkback_plan_segs(r, segs, io);
	u64 next = r->sector, bytes = 0;

	FUZZ_ASSERT(n == r->nr_segs);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(io[i].gref == segs[i].gref);
		FUZZ_ASSERT(io[i].sector == next);
		FUZZ_ASSERT(io[i].len >= 512 && io[i].len % 512 == 0);
		FUZZ_ASSERT(io[i].offset % 512 == 0);
		FUZZ_ASSERT(io[i].offset + io[i].len <= 4096);
		next += io[i].len / 512;
		bytes += io[i].len;
	}
	FUZZ_ASSERT(bytes == r->nr_sectors * 512);
}

/* Sectors a request covers, and its range, must fit the vbd. */
static void fuzz_check_range(const struct blkback_vbd *v, u64 start, u64 n)
{
	u64 lbs = v->sector_size >> 9;

	FUZZ_ASSERT(start % lbs == 0 && n % lbs == 0);
	FUZZ_ASSERT(start + n >= start);
	FUZZ_ASSERT(start + n <= v->sectors);
}

static void fuzz_accepted(const struct blkback_vbd *v,
			  const struct blkback_req *r,
			  const struct blkif_request_segment *segs)
{
	u64 lbs = v->sector_size >> 9, sum = 0;
	unsigned int i, nsec;

	FUZZ_ASSERT(!v->readonly || r->op == BLKIF_OP_READ);
	switch (r->operation) {
	case BLKIF_OP_DISCARD:
		FUZZ_ASSERT(v->discard && r->nr_sectors);
		fuzz_check_range(v, r->sector, r->nr_sectors);
		FUZZ_ASSERT(r->secure == (v->discard_secure &&
					  (r->discard_flag & 1)));
		return;
	case BLKIF_OP_FLUSH_DISKCACHE:
		FUZZ_ASSERT(v->flush);
		break;
	case BLKIF_OP_WRITE_BARRIER:
		FUZZ_ASSERT(v->barrier);
		break;
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		FUZZ_ASSERT(r->nr_segs >= 1);
		break;
	case BLKIF_OP_INDIRECT:
		FUZZ_ASSERT(r->op == BLKIF_OP_READ || r->op == BLKIF_OP_WRITE);
		FUZZ_ASSERT(r->nr_segs >= 1);
		FUZZ_ASSERT(r->nr_frames == DIV_ROUND_UP(r->nr_segs, 512));
		break;
	default:
		FUZZ_ASSERT(!"accepted an unknown operation");
	}
	FUZZ_ASSERT(r->nr_segs <= fuzz_max_segs(v, r));
	for (i = 0; i < r->nr_segs; i++) {
		FUZZ_ASSERT(segs[i].first_sect <= segs[i].last_sect);
		FUZZ_ASSERT(segs[i].last_sect <= 7);
		nsec = segs[i].last_sect - segs[i].first_sect + 1;
		FUZZ_ASSERT(nsec % lbs == 0);
		sum += nsec;
	}
	FUZZ_ASSERT(sum == r->nr_sectors);
	if (sum)
		fuzz_check_range(v, r->sector, sum);
	fuzz_check_plan(r, segs);
}

static bool fuzz_not_offered(const struct blkback_vbd *v,
			     const struct blkback_req *r)
{
	switch (r->operation) {
	case BLKIF_OP_FLUSH_DISKCACHE:
		return !v->flush;
	case BLKIF_OP_WRITE_BARRIER:
		return !v->barrier;
	case BLKIF_OP_DISCARD:
		return !v->discard;
	case BLKIF_OP_INDIRECT:
		return !v->max_indirect_segs;
	}
	return false;
}

/* The verdict names a rule the request really breaks. */
static void fuzz_justified(const struct blkback_vbd *v,
			   const struct blkback_req *r,
			   const struct blkif_request_segment *segs,
			   const struct blkback_bad *b)
{
	const struct blkif_request_segment *s = &segs[b->seg];
	u64 lbs = v->sector_size >> 9;

	switch (b->verdict) {
	case BLKBACK_REQ_BAD_OP:
		FUZZ_ASSERT(r->operation == 4 || r->operation > 6);
		break;
	case BLKBACK_REQ_NOT_OFFERED:
		FUZZ_ASSERT(fuzz_not_offered(v, r));
		break;
	case BLKBACK_REQ_BAD_INDIRECT_OP:
		FUZZ_ASSERT(r->indirect && r->op != BLKIF_OP_READ &&
			    r->op != BLKIF_OP_WRITE);
		break;
	case BLKBACK_REQ_READ_ONLY:
		FUZZ_ASSERT(v->readonly && r->op != BLKIF_OP_READ);
		break;
	case BLKBACK_REQ_NO_SEGS:
		FUZZ_ASSERT(!r->nr_segs);
		break;
	case BLKBACK_REQ_TOO_MANY_SEGS:
		FUZZ_ASSERT(r->nr_segs > fuzz_max_segs(v, r));
		break;
	case BLKBACK_REQ_SEG_LAST:
		FUZZ_ASSERT(b->seg < r->nr_segs && s->last_sect > 7);
		break;
	case BLKBACK_REQ_SEG_ORDER:
		FUZZ_ASSERT(b->seg < r->nr_segs &&
			    s->first_sect > s->last_sect);
		break;
	case BLKBACK_REQ_SEG_MISALIGNED:
		FUZZ_ASSERT(b->seg < r->nr_segs &&
			    (s->last_sect - s->first_sect + 1) % lbs);
		break;
	case BLKBACK_REQ_MISALIGNED:
		FUZZ_ASSERT(b->value == r->sector && (b->value | b->count) % lbs);
		break;
	case BLKBACK_REQ_DISCARD_EMPTY:
		FUZZ_ASSERT(r->operation == BLKIF_OP_DISCARD && !r->nr_sectors);
		break;
	case BLKBACK_REQ_WRAP:
		FUZZ_ASSERT(b->value == r->sector &&
			    b->value + b->count < b->value);
		break;
	case BLKBACK_REQ_BEYOND_END:
		FUZZ_ASSERT(b->value == r->sector &&
			    b->value + b->count > v->sectors);
		break;
	default:
		FUZZ_ASSERT(!"unexpected verdict");
	}
}

static void fuzz_rejected(const struct blkback_vbd *v,
			  const struct blkback_req *r,
			  const struct blkif_request_segment *segs,
			  enum blkback_verdict got, const struct blkback_bad *b)
{
	bool unsup = got == BLKBACK_REQ_BAD_OP ||
		     got == BLKBACK_REQ_NOT_OFFERED;
	char buf[160];

	FUZZ_ASSERT(b->verdict == got);
	FUZZ_ASSERT(blkback_verdict_status(got) ==
		    (unsup ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR));
	FUZZ_ASSERT(strcmp(blkback_verdict_str(got), "unknown"));
	FUZZ_ASSERT(blkback_bad_str(b, buf, sizeof(buf)) > 0 && buf[0]);
	FUZZ_ASSERT(blkback_bad_str(b, buf, 4) > 0 && strlen(buf) == 3);
	fuzz_justified(v, r, segs, b);
	/* Rejected: nothing computed may look usable. */
	FUZZ_ASSERT(r->operation == BLKIF_OP_DISCARD || !r->nr_sectors);
}

/* Indirect frames, exactly 4 KiB each, filled from the rest of the input. */
static void fuzz_frames(struct fuzz_in *in, void **frames, unsigned int nr,
			bool cyclic)
{
	size_t k, n = in->n;
	unsigned int f;

	for (f = 0; f < nr; f++) {
		frames[f] = malloc(XENPV_BLK_GRANT_SIZE);
		if (!cyclic || !n) {
			fuzz_take(in, frames[f], XENPV_BLK_GRANT_SIZE);
			continue;
		}
		for (k = 0; k < XENPV_BLK_GRANT_SIZE; k++)
			((u8 *)frames[f])[k] = in->p[(f * 4096 + k) % n];
	}
}

static void fuzz_response(const struct blkback_req *r, enum blkback_verdict v)
{
	struct blkif_response rsp;
	u8 slot[112];

	memset(slot, 0x77, sizeof(slot));
	blkback_put_rsp(slot, r->id, r->op, blkback_verdict_status(v));
	memcpy(&rsp, slot, sizeof(rsp));
	FUZZ_ASSERT(rsp.id == r->id && rsp.operation == r->op);
	FUZZ_ASSERT(rsp.status == blkback_verdict_status(v));
	FUZZ_ASSERT(slot[12] == 0x77);
}

static void fuzz_request(struct fuzz_in *in)
{
	static struct blkif_request_segment isegs[XENPV_BLK_MAX_INDIRECT_SEGS];
	void *frames[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST] = { NULL };
	const struct blkif_request_segment *segs;
	u8 flags = rd8(in);
	enum blkback_abi abi = flags & 1 ? BLKBACK_ABI_X86_64 :
					   BLKBACK_ABI_X86_32;
	struct blkback_vbd v = fuzz_vbd(in, flags);
	enum blkback_verdict got;
	struct blkback_req r;
	struct blkback_bad b;
	unsigned int f;
	u8 *slot;

	slot = malloc(blkback_slot_size(abi));
	fuzz_take(in, slot, blkback_slot_size(abi));
	blkback_get_req(&r, slot, abi);
	fuzz_oracle(&r, slot, abi);
	free(slot);

	segs = r.seg;
	got = blkback_check_req(&v, &r, &b);
	if (got == BLKBACK_REQ_OK && r.indirect) {
		FUZZ_ASSERT(r.nr_frames >= 1 &&
			    r.nr_frames <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
		fuzz_frames(in, frames, r.nr_frames, flags & 0x80);
		blkback_get_indirect_segs(isegs, frames, r.nr_segs);
		for (f = 0; f < r.nr_frames; f++)
			free(frames[f]);
		segs = isegs;
		got = blkback_check_indirect_segs(&v, &r, isegs, &b);
	}
	if (got == BLKBACK_REQ_OK)
		fuzz_accepted(&v, &r, segs);
	else
		fuzz_rejected(&v, &r, segs, got, &b);
	fuzz_response(&r, got);
}

/* ---- Mode 1: the request producer ---------------------------------------- */

static void fuzz_ring(struct fuzz_in *in)
{
	unsigned int size = 1U << (5 + rd8(in) % 5), avail = 7, k;
	RING_IDX rsp = rd32(in);
	unsigned int used = rd16(in) % (size + 1);
	RING_IDX cons = rsp + used;
	u32 d = rd32(in);
	RING_IDX prod = d & 1 ? cons + (s32)d / 2 % (2 * (s32)size) : d;
	enum xenpv_prod_verdict want, got;
	unsigned int want_avail = 0;
	s32 delta = (s32)(prod - cons);

	/* Beyond the ring, beyond the free response slots, or behind. */
	want = delta < 0 ? XENPV_PROD_BACKWARDS :
	       delta > (s32)size ? XENPV_PROD_OVERRUN : XENPV_PROD_UNASKED;
	/* Legal: prod is one of cons, cons + 1, ..., rsp + size. */
	for (k = 0; k <= size - used; k++)
		if (cons + k == prod) {
			want = XENPV_PROD_OK;
			want_avail = k;
		}
	got = blkback_check_req_prod(prod, cons, rsp, size, &avail);
	FUZZ_ASSERT(got == want && avail == want_avail);
	FUZZ_ASSERT(used + avail <= size);
	FUZZ_ASSERT(strlen(xenpv_prod_str(got)) > 1);
}

/* ---- Mode 2: the persistent grant pool ------------------------------------ */

#define FZ_GREFS	64

struct fuzz_pool_model {
	unsigned int cap;
	unsigned int nr_live;
	bool live[FZ_GREFS];
	u32 pins[FZ_GREFS];
	int slot[FZ_GREFS];
	unsigned long used[FZ_GREFS];
};

static grant_ref_t fuzz_gref(unsigned int g)
{
	/* Spread over the 32-bit space, so buckets collide now and then. */
	return g * 0x9e3779b9u;
}

static void fuzz_pool_use(struct blkback_pgrant_pool *pool,
			  struct fuzz_pool_model *m, unsigned int g)
{
	int s = blkback_pgrant_get(pool, fuzz_gref(g));

	if (m->live[g]) {
		FUZZ_ASSERT(s == m->slot[g]);
		m->pins[g]++;
		return;
	}
	FUZZ_ASSERT(s == -ENOENT);
	s = blkback_pgrant_add(pool, fuzz_gref(g));
	if (m->nr_live + pool->nr_reclaim == m->cap) {
		FUZZ_ASSERT(s == -ENOSPC);
		return;
	}
	FUZZ_ASSERT(s >= 0 && (unsigned int)s < m->cap);
	m->live[g] = true;
	m->pins[g] = 1;
	m->slot[g] = s;
	m->nr_live++;
}

static void fuzz_pool_reclaim(struct blkback_pgrant_pool *pool,
			      struct fuzz_pool_model *m, unsigned int max,
			      unsigned long now, unsigned long idle)
{
	u32 slots[8];
	unsigned int n = blkback_pgrant_reclaim(pool, max, now, idle, slots);
	unsigned int i, g, h;

	FUZZ_ASSERT(n <= max);
	for (i = 0; i < n; i++) {
		for (g = 0; g < FZ_GREFS; g++)
			if (m->live[g] && m->slot[g] == (int)slots[i])
				break;
		FUZZ_ASSERT(g < FZ_GREFS && !m->pins[g]);
		FUZZ_ASSERT(now - m->used[g] >= idle);
		/* Least recently used first. */
		for (h = 0; h < FZ_GREFS; h++)
			FUZZ_ASSERT(!m->live[h] || m->pins[h] ||
				    m->used[h] >= m->used[g]);
		m->live[g] = false;
		m->nr_live--;
		blkback_pgrant_release(pool, slots[i]);
	}
}

static void fuzz_pool(struct fuzz_in *in)
{
	static struct fuzz_pool_model m;
	struct blkback_pgrant_pool pool;
	unsigned long warns = shim_warnings, now = 0;
	unsigned int g;
	u8 op;

	memset(&m, 0, sizeof(m));
	m.cap = rd8(in) % 33;
	FUZZ_ASSERT(!blkback_pgrant_init(&pool, m.cap, rd32(in), GFP_KERNEL));
	while (in->n) {
		op = rd8(in);
		g = op % FZ_GREFS;
		now += rd8(in) % 4;
		if (op < 128) {
			fuzz_pool_use(&pool, &m, g);
		} else if (op < 224) {
			if (m.live[g] && m.pins[g]) {
				blkback_pgrant_put(&pool, m.slot[g], now);
				if (!--m.pins[g])
					m.used[g] = now;
			}
		} else {
			fuzz_pool_reclaim(&pool, &m, op % 9, now, op % 3);
		}
		FUZZ_ASSERT(pool.nr_live == m.nr_live);
		FUZZ_ASSERT(pool.nr_live + pool.nr_reclaim <= m.cap);
		FUZZ_ASSERT(blkback_pgrant_nr_free(&pool) == m.cap - m.nr_live);
	}
	for (g = 0; g < FZ_GREFS; g++) {
		for (; m.live[g] && m.pins[g]; m.pins[g]--)
			blkback_pgrant_put(&pool, m.slot[g], now);
		m.used[g] = now;
	}
	while (m.nr_live)
		fuzz_pool_reclaim(&pool, &m, 8, now, 0);
	blkback_pgrant_destroy(&pool);
	FUZZ_ASSERT(shim_warnings == warns);
}

/* ---- Mode 3: xenstore keys -------------------------------------------------- */

struct fuzz_tokens {
	char buf[2048];
	char *tok[64];
	unsigned int nr, next;
};

static void fuzz_tokenize(struct fuzz_in *in, struct fuzz_tokens *t)
{
	size_t n = min(in->n, sizeof(t->buf) - 1);
	char *p = t->buf;

	memcpy(t->buf, in->p, n);
	t->buf[n] = '\0';
	t->nr = 0;
	t->next = 0;
	while (t->nr < ARRAY_SIZE(t->tok)) {
		t->tok[t->nr++] = p;
		p = strchr(p, '\n');
		if (!p)
			break;
		*p++ = '\0';
	}
}

/* The next token, NULL for "~" or when they run out. */
static const char *fuzz_tok(struct fuzz_tokens *t)
{
	const char *s;

	if (t->next >= t->nr)
		return NULL;
	s = t->tok[t->next++];
	return strcmp(s, "~") ? s : NULL;
}

static void fuzz_queue(struct fuzz_tokens *t, const struct blkback_conn *c,
		       unsigned int qi)
{
	struct blkback_ring_xs xs;
	struct blkback_ring_cfg q;
	struct blkback_rbad bad;
	char path[32];
	unsigned int i;
	int ret, n;

	memset(&xs, 0, sizeof(xs));
	n = blkback_xs_rkey(c, qi, BLKBACK_RK_RING_REFN, 15, path,
			    sizeof(path));
	FUZZ_ASSERT(n > 0 && (size_t)n < sizeof(path));
	FUZZ_ASSERT(!strncmp(path, "queue-", 6) == (c->nr_rings > 1));
	xs.evtchn = fuzz_tok(t);
	xs.ring_ref = fuzz_tok(t);
	for (i = 0; i < c->nr_ring_pages; i++)
		xs.ring_refn[i] = fuzz_tok(t);
	ret = blkback_parse_ring(c, &xs, &q, &bad);
	fuzz_check_parse_u64(xenpv_parse_u64, xs.evtchn);
	fuzz_check_parse_u64(xenpv_parse_u64, xs.ring_ref);
	if (ret) {
		FUZZ_ASSERT(ret == -ENOENT || ret == -EINVAL || ret == -ERANGE);
		FUZZ_ASSERT(!q.nr_ring_refs && !q.evtchn);
		return;
	}
	FUZZ_ASSERT(q.evtchn && q.evtchn == strtoull(xs.evtchn, NULL, 10));
	FUZZ_ASSERT(q.nr_ring_refs == c->nr_ring_pages);
	for (i = 0; i < q.nr_ring_refs; i++) {
		const char *s = c->nr_ring_pages == 1 && xs.ring_ref ?
				xs.ring_ref : xs.ring_refn[i];

		FUZZ_ASSERT(s && q.ring_refs[i] == strtoull(s, NULL, 10));
	}
}

static void fuzz_xs(struct fuzz_in *in)
{
	static struct fuzz_tokens t;
	struct blkback_offers lim;
	struct xenpv_xs_vals xs;
	enum blkback_xs_key bad;
	struct blkback_conn c;
	unsigned int k, qi;
	u8 l = rd8(in);
	int ret;

	lim.max_rings = 1 + l % 16;
	lim.max_ring_order = l / 16 % 6;
	lim.persistent = l & 0x80;
	fuzz_tokenize(in, &t);
	for (k = 0; k < BLKBACK_XS_NR; k++) {
		xs.val[k] = fuzz_tok(&t);
		if (k != BLKBACK_XS_PROTOCOL)
			fuzz_check_parse_u64(xenpv_parse_u64, xs.val[k]);
	}
	ret = blkback_parse_connect(&xs, &lim, &c, &bad);
	if (ret) {
		FUZZ_ASSERT(ret == -EINVAL || ret == -ERANGE);
		FUZZ_ASSERT(bad < BLKBACK_XS_NR && xs.val[bad]);
		FUZZ_ASSERT(!c.nr_rings && !c.ring_size);
		return;
	}
	FUZZ_ASSERT(c.nr_rings >= 1 && c.nr_rings <= lim.max_rings);
	FUZZ_ASSERT(c.ring_order <= min(lim.max_ring_order, 4U));
	FUZZ_ASSERT(c.nr_ring_pages == 1U << c.ring_order);
	FUZZ_ASSERT(c.ring_size == blkback_ring_size(c.abi, c.ring_order));
	FUZZ_ASSERT(c.ring_size >= 32);
	FUZZ_ASSERT(!c.persistent || lim.persistent);
	for (qi = 0; qi < c.nr_rings; qi++)
		fuzz_queue(&t, &c, qi);
}

/* ---- Mode 4: the ring rewritten under the parser -------------------------- */

/* A one-page ring and 8 indirect frames after it, as a frontend shares them. */
#define FZ_FRAME(f)	(fz_mem + (1 + (f)) * XENPV_BLK_GRANT_SIZE)
#define FZ_SHARED	((1 + BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST) * \
			 XENPV_BLK_GRANT_SIZE)

static u8 fz_mem[FZ_SHARED] __aligned(4096);
static u8 fz_fetches[FZ_SHARED], fz_seen[FZ_SHARED];

/* An indirect request's frames: copied once, used as copied. */
static enum blkback_verdict fuzz_shared_frames(struct blkback_vbd *v,
					       struct blkback_req *r,
					       struct blkback_bad *b)
{
	static struct blkif_request_segment isegs[XENPV_BLK_MAX_INDIRECT_SEGS];
	void *frames[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	size_t len = r->nr_segs * sizeof(*isegs);
	unsigned int f;

	for (f = 0; f < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; f++)
		frames[f] = FZ_FRAME(f);
	blkback_get_indirect_segs(isegs, frames, r->nr_segs);
	FUZZ_ASSERT(shim_shared_fetched(FZ_FRAME(0) - fz_mem, len) == len);
	FUZZ_ASSERT(!memcmp(isegs, fz_seen + (FZ_FRAME(0) - fz_mem), len));
	return blkback_check_indirect_segs(v, r, isegs, b);
}

/* One request off the shared ring, as blkback_consume_batch() takes it. */
static void fuzz_shared_req(struct blkback_vbd *v, struct blkif_back_ring *back,
			    enum blkback_abi abi, unsigned int size)
{
	u8 *slot = blkback_ring_slot(fz_mem, abi, size, back->req_cons);
	struct blkback_req r, copy;
	struct blkback_bad b;
	enum blkback_verdict got;

	blkback_get_req(&r, slot, abi);
	FUZZ_ASSERT(shim_shared_fetched(slot - fz_mem, blkback_slot_size(abi)) ==
		    blkback_slot_size(abi));
	/* Decoding the bytes as fetched (private memory) gives the same. */
	blkback_get_req(&copy, fz_seen + (slot - fz_mem), abi);
	FUZZ_ASSERT(!memcmp(&r, &copy, sizeof(r)));
	got = blkback_check_req(v, &r, &b);
	if (got == BLKBACK_REQ_OK && r.indirect)
		got = fuzz_shared_frames(v, &r, &b);
	FUZZ_ASSERT(blkback_verdict_str(got)[0]);
	back->req_cons++;
}

static void fuzz_shared(struct fuzz_in *in)
{
	u8 flags = rd8(in);
	enum blkback_abi abi = flags & 1 ? BLKBACK_ABI_X86_64 :
					   BLKBACK_ABI_X86_32;
	struct blkback_vbd v = fuzz_vbd(in, flags);
	unsigned int size = blkback_ring_size(abi, 0), avail, f;
	struct blkif_sring *sring = (struct blkif_sring *)fz_mem;
	struct blkif_back_ring back = { .sring = sring, .nr_ents = size };
	enum xenpv_prod_verdict pv;
	RING_IDX prod;

	back.req_cons = rd32(in);
	back.rsp_prod_pvt = back.req_cons - rd8(in) % (size + 1);
	prod = back.req_cons + rd8(in) % (size + 2);
	fuzz_take(in, fz_mem + XENPV_BLK_SRING_HEADER,
		  XENPV_BLK_GRANT_SIZE - XENPV_BLK_SRING_HEADER);
	for (f = 0; f < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; f++)
		fuzz_take(in, FZ_FRAME(f), XENPV_BLK_GRANT_SIZE);
	sring->req_prod = prod;
	fuzz_flip_in = in;
	shim_shared_begin(fz_mem, FZ_SHARED, fz_fetches, fz_seen, fuzz_flip);
	pv = blkback_req_avail(&back, &avail);
	FUZZ_ASSERT(shim_shared_fetched(offsetof(struct blkif_sring, req_prod),
					sizeof(RING_IDX)) == sizeof(RING_IDX));
	FUZZ_ASSERT(pv == blkback_check_req_prod(prod, back.req_cons,
						 back.rsp_prod_pvt, size,
						 &f) && avail == f);
	while (avail--)
		fuzz_shared_req(&v, &back, abi, size);
	blkback_reqs_more(&back);
	shim_shared_end();
}

static const fuzz_mode_fn fuzz_modes[] = {
	fuzz_request, fuzz_ring, fuzz_pool, fuzz_xs, fuzz_shared,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	return fuzz_one(fuzz_modes, ARRAY_SIZE(fuzz_modes), data, size);
}
