// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protocol core of the Xen PV block frontend: request to segment mapping,
 * ring ids, response checks, feature negotiation and recovery planning.
 *
 * Pure logic (see blkfront-proto.h): it runs in the kernel, in the
 * userspace tests and in a fuzzer.  Every value the backend wrote is
 * checked before use and a bad one is reported to the caller; only bugs of
 * the frontend itself warn.
 */

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "blkfront-proto.h"
#include <xenpv/xs-parse.h>

#define BLKFRONT_GRANT_MASK	(BLKFRONT_GRANT_SIZE - 1)
#define BLKFRONT_SECTOR_MASK	(BLKFRONT_SECTOR_SIZE - 1)

static_assert(BLKFRONT_GRANT_SIZE == 1U << BLKFRONT_GRANT_SHIFT);
static_assert(BLKFRONT_SECTOR_SIZE == 1U << BLKFRONT_SECTOR_SHIFT);
static_assert(BLKFRONT_SEGS_PER_INDIRECT_FRAME == 512);
static_assert(BLKFRONT_MAX_INDIRECT_SEGS <= U16_MAX);

/* ---- Request to segment mapping ---------------------------------------- */

/**
 * blkfront_max_segs() - segments one request may carry
 * @max_indirect_segs: negotiated indirect limit, 0 without indirect
 *
 * Return: the number of entries a request's segment array needs.
 */
unsigned int blkfront_max_segs(unsigned int max_indirect_segs)
{
	unsigned int max = min_t(unsigned int, max_indirect_segs,
				 BLKFRONT_MAX_INDIRECT_SEGS);

	return max_t(unsigned int, max, BLKIF_MAX_SEGMENTS_PER_REQUEST);
}

/**
 * blkfront_layout_for() - choose between a direct and an indirect request
 * @nr_segs: data segments of the request (0 for a bare flush)
 * @nr_sectors: 512-byte sectors they cover
 * @max_indirect_segs: negotiated indirect limit, 0 without indirect
 * @lay: filled in
 *
 * Up to BLKIF_MAX_SEGMENTS_PER_REQUEST segments go in the request itself;
 * more need BLKIF_OP_INDIRECT and one indirect frame per
 * BLKFRONT_SEGS_PER_INDIRECT_FRAME segments.
 *
 * Return: 0, or -EINVAL if the request cannot be expressed.
 */
int blkfront_layout_for(unsigned int nr_segs, unsigned int nr_sectors,
			unsigned int max_indirect_segs,
			struct blkfront_layout *lay)
{
	if (nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST &&
	    (nr_segs > max_indirect_segs ||
	     nr_segs > BLKFRONT_MAX_INDIRECT_SEGS))
		return -EINVAL;
	/* Each segment holds 1 to 8 sectors. */
	if (nr_sectors < nr_segs ||
	    nr_sectors > nr_segs * BLKFRONT_SECTORS_PER_GRANT)
		return -EINVAL;

	lay->nr_segs = nr_segs;
	lay->nr_sectors = nr_sectors;
	lay->indirect = nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST;
	lay->nr_indirect = lay->indirect ?
		DIV_ROUND_UP(nr_segs, BLKFRONT_SEGS_PER_INDIRECT_FRAME) : 0;
	lay->nr_grants = nr_segs + lay->nr_indirect;
	return 0;
}

/*
 * Append the segments of one chunk after the @nr already in @segs, one per
 * grant frame it touches.  Returns the new count or -EINVAL.
 */
static int blkfront_map_chunk(const struct blkfront_chunk *c, u32 idx,
			      unsigned int page_shift,
			      struct blkfront_seg *segs, unsigned int nr,
			      unsigned int max)
{
	unsigned int page_size = 1U << page_shift;
	unsigned int off = c->offset;
	unsigned int end, next;

	if (!c->len || c->len > page_size || off > page_size - c->len)
		return -EINVAL;
	if ((off | c->len) & BLKFRONT_SECTOR_MASK)
		return -EINVAL;

	end = off + c->len;
	for (; off < end; off = next, nr++) {
		next = min((off & ~BLKFRONT_GRANT_MASK) + BLKFRONT_GRANT_SIZE,
			   end);
		if (nr >= max)
			return -EINVAL;
		segs[nr].chunk = idx;
		segs[nr].frame = off >> BLKFRONT_GRANT_SHIFT;
		segs[nr].first_sect = (off & BLKFRONT_GRANT_MASK) >>
				      BLKFRONT_SECTOR_SHIFT;
		segs[nr].last_sect = ((next - 1) & BLKFRONT_GRANT_MASK) >>
				     BLKFRONT_SECTOR_SHIFT;
	}
	return nr;
}

/**
 * blkfront_map_chunks() - turn a request's data into blkif segments
 * @geom: guest page size and negotiated indirect limit
 * @chunks: the request's data, in disk order
 * @nr_chunks: number of @chunks, at least 1
 * @segs: room for blkfront_max_segs(@geom->max_indirect_segs) segments
 * @lay: filled in: segment, sector and grant counts, direct or indirect
 *
 * Each chunk becomes one segment per 4 KiB grant frame it touches; segment
 * i uses data grant slot i.  Nothing is granted here.
 *
 * Return: 0, or -EINVAL if a chunk is empty, not in whole sectors, crosses
 * its page's end, or the request needs more segments than one request can
 * carry.
 */
int blkfront_map_chunks(const struct blkfront_geom *geom,
			const struct blkfront_chunk *chunks,
			unsigned int nr_chunks, struct blkfront_seg *segs,
			struct blkfront_layout *lay)
{
	unsigned int max = blkfront_max_segs(geom->max_indirect_segs);
	unsigned int i, nr = 0, sectors = 0;
	int ret;

	if (WARN_ON_ONCE(geom->page_shift < BLKFRONT_MIN_PAGE_SHIFT ||
			 geom->page_shift > BLKFRONT_MAX_PAGE_SHIFT))
		return -EINVAL;
	if (!nr_chunks)
		return -EINVAL;

	for (i = 0; i < nr_chunks; i++) {
		ret = blkfront_map_chunk(&chunks[i], i, geom->page_shift,
					 segs, nr, max);
		if (ret < 0)
			return ret;
		nr = ret;
		sectors += chunks[i].len >> BLKFRONT_SECTOR_SHIFT;
	}
	return blkfront_layout_for(nr, sectors, geom->max_indirect_segs, lay);
}

static bool blkfront_layout_ok(const struct blkfront_layout *lay)
{
	unsigned int nr_ind = 0;

	if (lay->indirect) {
		if (lay->nr_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST ||
		    lay->nr_segs > BLKFRONT_MAX_INDIRECT_SEGS)
			return false;
		nr_ind = DIV_ROUND_UP(lay->nr_segs,
				      BLKFRONT_SEGS_PER_INDIRECT_FRAME);
	} else if (lay->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		return false;
	}
	return lay->nr_indirect == nr_ind &&
	       lay->nr_grants == lay->nr_segs + nr_ind;
}

static struct blkif_request_segment
blkfront_wire_seg(const struct blkfront_seg *seg, grant_ref_t gref)
{
	return (struct blkif_request_segment) {
		.gref = gref,
		.first_sect = seg->first_sect,
		.last_sect = seg->last_sect,
	};
}

static void blkfront_encode_direct(struct blkif_request *req,
				   const struct blkfront_io *io)
{
	unsigned int i;

	req->operation = io->op;
	req->u.rw.nr_segments = io->lay.nr_segs;
	req->u.rw.handle = io->handle;
	req->u.rw.id = io->id;
	req->u.rw.sector_number = io->sector;
	for (i = 0; i < io->lay.nr_segs; i++)
		req->u.rw.seg[i] = blkfront_wire_seg(&io->segs[i],
						     io->grefs[i]);
}

static void blkfront_encode_indirect(struct blkif_request *req,
				     const struct blkfront_io *io,
				     struct blkif_request_segment *const *ind)
{
	const unsigned int per = BLKFRONT_SEGS_PER_INDIRECT_FRAME;
	unsigned int i, nr = io->lay.nr_segs;

	req->operation = BLKIF_OP_INDIRECT;
	req->u.indirect.indirect_op = io->op;
	req->u.indirect.nr_segments = nr;
	req->u.indirect.id = io->id;
	req->u.indirect.sector_number = io->sector;
	req->u.indirect.handle = io->handle;
	for (i = 0; i < io->lay.nr_indirect; i++)
		req->u.indirect.indirect_grefs[i] = io->grefs[nr + i];
	for (i = 0; i < nr; i++)
		ind[i / per][i % per] = blkfront_wire_seg(&io->segs[i],
							  io->grefs[i]);
}

/**
 * blkfront_encode_rw() - write a read, write or flush request
 * @req: the request to fill, a ring slot or a local copy
 * @io: what to send, with its layout, segments and grant references
 * @ind_frames: @io->lay.nr_indirect mapped indirect frames (unused for a
 *	direct request)
 *
 * Flush and barrier requests may carry data but never go indirect: the
 * protocol only defines reads and writes as indirect operations.
 *
 * Return: 0, or -EINVAL for an operation the layout cannot carry.
 */
int blkfront_encode_rw(struct blkif_request *req,
		       const struct blkfront_io *io,
		       struct blkif_request_segment *const *ind_frames)
{
	bool rw = io->op == BLKIF_OP_READ || io->op == BLKIF_OP_WRITE;

	if (WARN_ON_ONCE(!blkfront_layout_ok(&io->lay)))
		return -EINVAL;
	if (!rw && io->op != BLKIF_OP_FLUSH_DISKCACHE &&
	    io->op != BLKIF_OP_WRITE_BARRIER)
		return -EINVAL;
	if (rw && !io->lay.nr_segs)
		return -EINVAL;

	if (!io->lay.indirect) {
		blkfront_encode_direct(req, io);
		return 0;
	}
	if (!rw)
		return -EINVAL;
	blkfront_encode_indirect(req, io, ind_frames);
	return 0;
}

/**
 * blkfront_encode_discard() - write a discard request
 * @req: the request to fill
 * @id: ring id
 * @sector: first 512-byte sector to discard
 * @nr_sectors: how many, at least 1
 * @secure: ask for BLKIF_DISCARD_SECURE
 *
 * Return: 0, or -EINVAL for an empty or wrapping range.
 */
int blkfront_encode_discard(struct blkif_request *req, u64 id, u64 sector,
			    u64 nr_sectors, bool secure)
{
	if (!nr_sectors || sector + nr_sectors < sector)
		return -EINVAL;

	req->operation = BLKIF_OP_DISCARD;
	req->u.discard.flag = secure ? BLKIF_DISCARD_SECURE : 0;
	req->u.discard.id = id;
	req->u.discard.sector_number = sector;
	req->u.discard.nr_sectors = nr_sectors;
	return 0;
}

/*
 * Segments of the next part starting at @first: as many as fit in
 * @max_per_part, backed off so that the part ends on a logical block
 * boundary.  Returns the count (0 if no boundary is in reach).
 */
static unsigned int blkfront_next_part(const struct blkfront_seg *segs,
				       unsigned int first, unsigned int nr_segs,
				       unsigned int max_per_part,
				       unsigned int align,
				       struct blkfront_part *part)
{
	unsigned int i, acc = 0, best = 0, best_sectors = 0;

	for (i = first; i < nr_segs && i - first < max_per_part; i++) {
		if (segs[i].last_sect < segs[i].first_sect ||
		    segs[i].last_sect >= BLKFRONT_SECTORS_PER_GRANT)
			return 0;
		acc += segs[i].last_sect - segs[i].first_sect + 1;
		if (((part->sector_off + acc) & (align - 1)) == 0) {
			best = i - first + 1;
			best_sectors = acc;
		}
	}
	part->first_seg = first;
	part->nr_segs = best;
	part->nr_sectors = best_sectors;
	return best;
}

/**
 * blkfront_split_next() - the next part of a request being cut
 * @segs: the request's segments
 * @nr_segs: number of @segs
 * @max_per_part: segments one ring request may carry, at least 1
 * @align: 512-byte sectors per logical block (a power of two); every part
 *	starts and ends on a logical block boundary
 * @part: zeroed before the first call; each call replaces it with the
 *	part that follows it
 *
 * Return: 1 with @part filled in, 0 once every segment is in a part, or
 * -EINVAL if the next part cannot be cut on a logical block boundary.
 */
int blkfront_split_next(const struct blkfront_seg *segs, unsigned int nr_segs,
			unsigned int max_per_part, unsigned int align,
			struct blkfront_part *part)
{
	unsigned int first = part->first_seg + part->nr_segs;

	if (!max_per_part || !is_power_of_2(align))
		return -EINVAL;
	if (first >= nr_segs)
		return 0;
	part->sector_off += part->nr_sectors;
	if (!blkfront_next_part(segs, first, nr_segs, max_per_part, align,
				part))
		return -EINVAL;
	return 1;
}

/**
 * blkfront_split() - cut a request into parts that fit one ring slot each
 * @segs: the request's segments
 * @nr_segs: number of @segs, at least 1
 * @max_per_part: segments one ring request may carry
 * @align: 512-byte sectors per logical block (a power of two); every part
 *	starts and ends on a logical block boundary
 * @parts: filled in, or NULL to only count
 * @max_parts: room in @parts
 *
 * Used when a request has more segments than the connection allows, for
 * instance after a migration to a backend with a smaller indirect limit;
 * blkfront_split_next() gives the same parts one at a time.
 *
 * Return: the number of parts, or -EINVAL if the request cannot be cut
 * that way or needs more than @max_parts parts.
 */
int blkfront_split(const struct blkfront_seg *segs, unsigned int nr_segs,
		   unsigned int max_per_part, unsigned int align,
		   struct blkfront_part *parts, unsigned int max_parts)
{
	struct blkfront_part part = { 0 };
	unsigned int n = 0;
	int ret;

	if (!nr_segs)
		return -EINVAL;
	while ((ret = blkfront_split_next(segs, nr_segs, max_per_part, align,
					  &part)) > 0) {
		if (n >= max_parts)
			return -EINVAL;
		if (parts)
			parts[n] = part;
		n++;
	}
	return ret < 0 ? ret : (int)n;
}

/* ---- Ring accounting ----------------------------------------------------- */

#define BLKFRONT_ID_BUSY	BIT(0)
#define BLKFRONT_ID_INDIRECT	BIT(1)
#define BLKFRONT_MAX_IDS	65536U

/**
 * blkfront_ring_size() - slots of a ring of 2^@order grant frames
 * @order: log2 of the ring's frames
 *
 * Return: the slot count (32 for one frame), 0 for an order this driver
 * does not use.
 */
unsigned int blkfront_ring_size(unsigned int order)
{
	if (order > BLKFRONT_MAX_RING_ORDER)
		return 0;
	return __CONST_RING_SIZE(blkif, BLKFRONT_GRANT_SIZE << order);
}

/**
 * blkfront_ids_reset() - put every id back on the free list
 * @ids: the table
 *
 * For a ring being torn down or set up anew; whatever was in flight is
 * forgotten, so collect it first.
 */
void blkfront_ids_reset(struct blkfront_ids *ids)
{
	unsigned int i;

	for (i = 0; i < ids->size; i++)
		ids->ent[i] = (struct blkfront_id_ent) { .next = i + 1 };
	ids->free_head = 0;
	ids->nr_free = ids->size;
}

/**
 * blkfront_ids_init() - allocate the ids of one ring, all free
 * @ids: the table to set up
 * @size: number of ids, the ring's slot count
 * @gfp: allocation flags
 *
 * Return: 0, -EINVAL for a size of 0 or above 65536, or -ENOMEM.
 */
int blkfront_ids_init(struct blkfront_ids *ids, unsigned int size, gfp_t gfp)
{
	memset(ids, 0, sizeof(*ids));
	if (!size || size > BLKFRONT_MAX_IDS)
		return -EINVAL;
	ids->ent = kcalloc(size, sizeof(*ids->ent), gfp);
	if (!ids->ent)
		return -ENOMEM;
	ids->size = size;
	blkfront_ids_reset(ids);
	return 0;
}

/**
 * blkfront_ids_destroy() - free what blkfront_ids_init() allocated
 * @ids: the table; may be zeroed or already destroyed
 */
void blkfront_ids_destroy(struct blkfront_ids *ids)
{
	kfree(ids->ent);
	memset(ids, 0, sizeof(*ids));
}

/**
 * blkfront_id_get() - take a free id for a request about to go on the ring
 * @ids: the ring's ids
 * @op: operation the response must carry: the request's operation, or its
 *	indirect_op for a BLKIF_OP_INDIRECT request
 * @indirect: the request is an indirect one
 * @priv: the caller's pointer, handed back on completion
 *
 * Context: the ring's lock is held.
 * Return: the id, or -ENOSPC when every id is in flight.
 */
int blkfront_id_get(struct blkfront_ids *ids, u8 op, bool indirect,
		    void *priv)
{
	struct blkfront_id_ent *e;
	u32 id = ids->free_head;

	if (!ids->nr_free)
		return -ENOSPC;
	if (WARN_ON_ONCE(id >= ids->size))
		return -ENOSPC;

	e = &ids->ent[id];
	ids->free_head = e->next;
	ids->nr_free--;
	e->priv = priv;
	e->next = ids->size;
	e->op = op;
	e->flags = BLKFRONT_ID_BUSY | (indirect ? BLKFRONT_ID_INDIRECT : 0);
	return id;
}

/**
 * blkfront_id_put() - give back an id whose request is finished
 * @ids: the ring's ids
 * @id: the id
 *
 * An id out of range or not in flight is a bug of the frontend (responses
 * are checked before their id is put) and warns.
 *
 * Context: the ring's lock is held.
 * Return: 0, or -EINVAL for a bad id or a double free.
 */
int blkfront_id_put(struct blkfront_ids *ids, unsigned int id)
{
	struct blkfront_id_ent *e;

	if (WARN_ON_ONCE(id >= ids->size))
		return -EINVAL;
	e = &ids->ent[id];
	if (WARN_ON_ONCE(!(e->flags & BLKFRONT_ID_BUSY)))
		return -EINVAL;

	*e = (struct blkfront_id_ent) { .next = ids->free_head };
	ids->free_head = id;
	ids->nr_free++;
	return 0;
}

/**
 * blkfront_ids_in_flight() - ids taken and not yet given back
 * @ids: the ring's ids
 *
 * Return: the count.
 */
unsigned int blkfront_ids_in_flight(const struct blkfront_ids *ids)
{
	return ids->size - ids->nr_free;
}

/**
 * blkfront_ids_next_in_flight() - walk the ids in flight
 * @ids: the ring's ids
 * @from: first id to look at
 *
 * Return: the lowest id >= @from in flight, or -ENOENT.
 */
int blkfront_ids_next_in_flight(const struct blkfront_ids *ids,
				unsigned int from)
{
	unsigned int id;

	for (id = from; id < ids->size; id++)
		if (ids->ent[id].flags & BLKFRONT_ID_BUSY)
			return id;
	return -ENOENT;
}

/**
 * blkfront_id_priv() - the caller's pointer of an id in flight
 * @ids: the ring's ids
 * @id: the id
 *
 * Return: the pointer given to blkfront_id_get(), NULL if @id is not in
 * flight.
 */
void *blkfront_id_priv(const struct blkfront_ids *ids, unsigned int id)
{
	if (id >= ids->size || !(ids->ent[id].flags & BLKFRONT_ID_BUSY))
		return NULL;
	return ids->ent[id].priv;
}

/* ---- Response validation ------------------------------------------------- */

static const char *const blkfront_verdict_names[] = {
	[BLKFRONT_RSP_OK]		= "ok",
	[BLKFRONT_RSP_PROD_OVERRUN]	= "response producer more than a ring ahead",
	[BLKFRONT_RSP_PROD_UNASKED]	= "more responses than requests outstanding",
	[BLKFRONT_RSP_BAD_ID]		= "response id out of range",
	[BLKFRONT_RSP_STALE_ID]		= "response id not in flight",
	[BLKFRONT_RSP_BAD_OP]		= "response operation differs from request",
	[BLKFRONT_RSP_BAD_STATUS]	= "unknown response status",
};

/**
 * blkfront_verdict_str() - a verdict in words, for one log line
 * @v: the verdict
 *
 * Return: a constant string.
 */
const char *blkfront_verdict_str(enum blkfront_verdict v)
{
	if ((unsigned int)v >= ARRAY_SIZE(blkfront_verdict_names))
		return "unknown verdict";
	return blkfront_verdict_names[v];
}

/**
 * blkfront_check_rsp_prod() - check the backend's response producer
 * @rsp_prod: the shared ring's rsp_prod, read once
 * @rsp_cons: the frontend's rsp_cons
 * @ring_size: slots in the ring
 * @outstanding: requests published and not yet answered (req_prod as last
 *	pushed minus @rsp_cons)
 *
 * Return: BLKFRONT_RSP_OK if consuming up to @rsp_prod is safe.
 */
enum blkfront_verdict blkfront_check_rsp_prod(RING_IDX rsp_prod,
					      RING_IDX rsp_cons,
					      unsigned int ring_size,
					      unsigned int outstanding)
{
	RING_IDX avail = rsp_prod - rsp_cons;

	if (avail > ring_size)
		return BLKFRONT_RSP_PROD_OVERRUN;
	if (avail > outstanding)
		return BLKFRONT_RSP_PROD_UNASKED;
	return BLKFRONT_RSP_OK;
}

static bool blkfront_status_errno(int status, int *error)
{
	switch (status) {
	case BLKIF_RSP_OKAY:
		*error = 0;
		return true;
	case BLKIF_RSP_ERROR:
		*error = -EIO;
		return true;
	case BLKIF_RSP_EOPNOTSUPP:
		*error = -EOPNOTSUPP;
		return true;
	}
	return false;
}

/**
 * blkfront_check_rsp() - check one response against the ids in flight
 * @ids: the ring's ids
 * @rsp: the response, copied out of the shared ring
 * @error: set to the request's result (0, -EIO, -EOPNOTSUPP) if valid
 *
 * Changes nothing.  The response's operation must be the one recorded by
 * blkfront_id_get(): for an indirect request, its indirect_op.
 *
 * Context: the ring's lock is held.
 * Return: BLKFRONT_RSP_OK or what is wrong with @rsp.
 */
enum blkfront_verdict blkfront_check_rsp(const struct blkfront_ids *ids,
					 const struct blkif_response *rsp,
					 int *error)
{
	const struct blkfront_id_ent *e;

	if (rsp->id >= ids->size)
		return BLKFRONT_RSP_BAD_ID;
	e = &ids->ent[rsp->id];
	if (!(e->flags & BLKFRONT_ID_BUSY))
		return BLKFRONT_RSP_STALE_ID;
	if (rsp->operation != e->op)
		return BLKFRONT_RSP_BAD_OP;
	if (!blkfront_status_errno(rsp->status, error))
		return BLKFRONT_RSP_BAD_STATUS;
	return BLKFRONT_RSP_OK;
}

/**
 * blkfront_complete_rsp() - check one response and free its id
 * @ids: the ring's ids
 * @rsp: the response, copied out of the shared ring
 * @done: zeroed, then filled in for a valid response
 *
 * On BLKFRONT_RSP_OK the id is free again and @done says which request
 * finished and how; on anything else nothing changes.
 *
 * Context: the ring's lock is held.
 * Return: the verdict of blkfront_check_rsp().
 */
enum blkfront_verdict blkfront_complete_rsp(struct blkfront_ids *ids,
					    const struct blkif_response *rsp,
					    struct blkfront_done *done)
{
	const struct blkfront_id_ent *e;
	enum blkfront_verdict v;
	int error = 0;

	memset(done, 0, sizeof(*done));
	v = blkfront_check_rsp(ids, rsp, &error);
	if (v != BLKFRONT_RSP_OK)
		return v;

	e = &ids->ent[rsp->id];
	done->id = rsp->id;
	done->op = e->op;
	done->indirect = e->flags & BLKFRONT_ID_INDIRECT;
	done->error = error;
	done->priv = e->priv;
	blkfront_id_put(ids, done->id);
	return BLKFRONT_RSP_OK;
}

/* ---- Feature negotiation --------------------------------------------------- */

const char *const blkfront_xs_names[BLKFRONT_XS_NR] = {
	[BLKFRONT_XS_MAX_QUEUES]	= "multi-queue-max-queues",
	[BLKFRONT_XS_MAX_RING_ORDER]	= "max-ring-page-order",
	[BLKFRONT_XS_MAX_RING_PAGES]	= "max-ring-pages",
	[BLKFRONT_XS_MAX_INDIRECT]	= "feature-max-indirect-segments",
	[BLKFRONT_XS_PERSISTENT]	= "feature-persistent",
	[BLKFRONT_XS_FLUSH]		= "feature-flush-cache",
	[BLKFRONT_XS_BARRIER]		= "feature-barrier",
	[BLKFRONT_XS_DISCARD]		= "feature-discard",
	[BLKFRONT_XS_DISCARD_GRAN]	= "discard-granularity",
	[BLKFRONT_XS_DISCARD_ALIGN]	= "discard-alignment",
	[BLKFRONT_XS_DISCARD_SECURE]	= "discard-secure",
	[BLKFRONT_XS_SECTOR_SIZE]	= "sector-size",
	[BLKFRONT_XS_PHYS_SECTOR_SIZE]	= "physical-sector-size",
	[BLKFRONT_XS_SECTORS]		= "sectors",
	[BLKFRONT_XS_INFO]		= "info",
};

/**
 * blkfront_parse_u64() - strictly parse a xenstore decimal number
 * @s: the string
 * @val: set on success
 *
 * Return: see xenpv_parse_u64().
 */
int blkfront_parse_u64(const char *s, u64 *val)
{
	return xenpv_parse_u64(s, val);
}

/**
 * blkfront_parse_u32() - blkfront_parse_u64() for a 32-bit value
 * @s: the string
 * @val: set on success
 *
 * Return: see xenpv_parse_u32().
 */
int blkfront_parse_u32(const char *s, u32 *val)
{
	return xenpv_parse_u32(s, val);
}

/**
 * blkfront_parse_sectors() - parse the backend's "sectors" node
 * @s: the string, in 512-byte sectors
 * @sector_size: the validated logical block size
 * @sectors: set on success, rounded down to whole logical blocks
 *
 * Also for the resize path, when the backend changes "sectors".
 *
 * Return: 0, -EINVAL, or -ERANGE if the size in bytes does not fit loff_t.
 */
int blkfront_parse_sectors(const char *s, u32 sector_size, u64 *sectors)
{
	u64 v;
	int ret;

	if (WARN_ON_ONCE(sector_size < BLKFRONT_SECTOR_SIZE ||
			 !is_power_of_2(sector_size)))
		return -EINVAL;
	ret = blkfront_parse_u64(s, &v);
	if (ret)
		return ret;
	if (v > (u64)S64_MAX >> BLKFRONT_SECTOR_SHIFT)
		return -ERANGE;
	*sectors = v & ~(u64)((sector_size >> BLKFRONT_SECTOR_SHIFT) - 1);
	return 0;
}

struct blkfront_nego {
	const struct blkfront_backend *be;
	const struct blkfront_limits *fe;
	struct blkfront_params *p;
	enum blkfront_xs_key bad;	/* key being looked at */
};

/* Key @k as a number <= @max, @def if absent. */
static int blkfront_nego_get(struct blkfront_nego *n, enum blkfront_xs_key k,
			     u64 def, u64 max, u64 *val)
{
	const char *s = n->be->val[k];
	int ret;

	n->bad = k;
	if (!s) {
		*val = def;
		return 0;
	}
	ret = blkfront_parse_u64(s, val);
	if (!ret && *val > max)
		ret = -ERANGE;
	return ret;
}

static int blkfront_nego_need(struct blkfront_nego *n, enum blkfront_xs_key k,
			      u64 max, u64 *val)
{
	n->bad = k;
	if (!n->be->val[k])
		return -ENOENT;
	return blkfront_nego_get(n, k, 0, max, val);
}

/* A boolean key: "0" or "1", false if absent. */
static int blkfront_nego_bool(struct blkfront_nego *n, enum blkfront_xs_key k,
			      bool *b)
{
	u64 v;
	int ret = blkfront_nego_get(n, k, 0, 1, &v);

	*b = !ret && v;
	return ret == -ERANGE ? -EINVAL : ret;
}

static int blkfront_nego_geometry(struct blkfront_nego *n)
{
	struct blkfront_params *p = n->p;
	u64 v;
	int ret;

	ret = blkfront_nego_need(n, BLKFRONT_XS_SECTOR_SIZE, U32_MAX, &v);
	if (ret)
		return ret;
	if (v < BLKFRONT_SECTOR_SIZE || !is_power_of_2(v) ||
	    v > n->fe->max_sector_size)
		return -EINVAL;
	p->sector_size = v;

	ret = blkfront_nego_get(n, BLKFRONT_XS_PHYS_SECTOR_SIZE, v, U32_MAX,
				&v);
	if (ret)
		return ret;
	if (v < p->sector_size || !is_power_of_2(v))
		return -EINVAL;
	p->physical_sector_size = v;

	n->bad = BLKFRONT_XS_SECTORS;
	if (!n->be->val[BLKFRONT_XS_SECTORS])
		return -ENOENT;
	ret = blkfront_parse_sectors(n->be->val[BLKFRONT_XS_SECTORS],
				     p->sector_size, &p->sectors);
	if (ret)
		return ret;

	ret = blkfront_nego_need(n, BLKFRONT_XS_INFO, U32_MAX, &v);
	if (ret)
		return ret;
	p->info = v & (VDISK_CDROM | VDISK_REMOVABLE | VDISK_READONLY);
	return 0;
}

static int blkfront_nego_rings(struct blkfront_nego *n)
{
	const struct blkfront_limits *fe = n->fe;
	struct blkfront_params *p = n->p;
	unsigned int want;
	u64 v, order;
	int ret;

	ret = blkfront_nego_get(n, BLKFRONT_XS_MAX_QUEUES, 1, U32_MAX, &v);
	if (ret)
		return ret;
	if (!v)
		return -EINVAL;
	want = fe->max_queues ? min(fe->max_queues, fe->nr_cpus) : fe->nr_cpus;
	p->nr_queues = min_t(u64, v, want);

	ret = blkfront_nego_get(n, BLKFRONT_XS_MAX_RING_PAGES, 1, U32_MAX, &v);
	if (ret)
		return ret;
	if (!is_power_of_2(v))
		return -EINVAL;
	order = ilog2(v);
	ret = blkfront_nego_get(n, BLKFRONT_XS_MAX_RING_ORDER, 0, U32_MAX, &v);
	if (ret)
		return ret;
	order = max(order, v);
	p->ring_order = min3(order, (u64)fe->max_ring_order,
			     (u64)BLKFRONT_MAX_RING_ORDER);
	p->ring_size = blkfront_ring_size(p->ring_order);
	p->legacy_ring_pages = p->ring_order &&
			       !n->be->val[BLKFRONT_XS_MAX_RING_ORDER];
	return 0;
}

static int blkfront_nego_features(struct blkfront_nego *n)
{
	struct blkfront_params *p = n->p;
	bool persistent, flush, barrier;
	u64 v;
	int ret;

	ret = blkfront_nego_bool(n, BLKFRONT_XS_PERSISTENT, &persistent);
	if (ret)
		return ret;
	p->persistent = persistent && n->fe->persistent;

	ret = blkfront_nego_get(n, BLKFRONT_XS_MAX_INDIRECT, 0, U32_MAX, &v);
	if (ret)
		return ret;
	v = min3(v, (u64)n->fe->max_indirect_segs,
		 (u64)BLKFRONT_MAX_INDIRECT_SEGS);
	p->max_indirect_segs = v > BLKIF_MAX_SEGMENTS_PER_REQUEST ? v : 0;
	p->max_segs = blkfront_max_segs(p->max_indirect_segs);

	ret = blkfront_nego_bool(n, BLKFRONT_XS_FLUSH, &flush);
	if (!ret)
		ret = blkfront_nego_bool(n, BLKFRONT_XS_BARRIER, &barrier);
	if (ret)
		return ret;
	/*
	 * Prefer the unordered cache flush.  A barrier is a flush plus FUA,
	 * so barrier-only backends get FUA too, but a barrier cannot go
	 * indirect: then FUA is left to the block layer's post-flush.
	 */
	p->flush = flush || barrier;
	p->flush_op = flush ? BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
	p->fua = barrier && !flush && !p->max_indirect_segs;
	return 0;
}

static int blkfront_nego_discard(struct blkfront_nego *n)
{
	struct blkfront_params *p = n->p;
	u64 lbs = p->sector_size;
	u64 gran, align;
	bool on, secure;
	int ret;

	ret = blkfront_nego_bool(n, BLKFRONT_XS_DISCARD, &on);
	if (ret || !on)
		return ret;

	ret = blkfront_nego_get(n, BLKFRONT_XS_DISCARD_GRAN, 0, U32_MAX, &gran);
	if (ret)
		return ret;
	if (!gran)
		gran = lbs;
	if (gran % lbs)
		return -EINVAL;
	ret = blkfront_nego_get(n, BLKFRONT_XS_DISCARD_ALIGN, 0, U32_MAX,
				&align);
	if (ret)
		return ret;
	if (align % lbs)
		return -EINVAL;
	ret = blkfront_nego_bool(n, BLKFRONT_XS_DISCARD_SECURE, &secure);
	if (ret)
		return ret;

	p->discard = true;
	p->discard_secure = secure;
	p->discard_granularity = gran;
	p->discard_alignment = align % gran;
	return 0;
}

static bool blkfront_limits_ok(const struct blkfront_limits *fe)
{
	return fe->nr_cpus && fe->max_sector_size >= BLKFRONT_SECTOR_SIZE &&
	       is_power_of_2(fe->max_sector_size);
}

/* Run the negotiation steps: all of them, or the rings' alone. */
static int blkfront_nego_run(const struct blkfront_backend *be,
			     const struct blkfront_limits *fe,
			     struct blkfront_params *p,
			     enum blkfront_xs_key *bad, bool rings_only)
{
	struct blkfront_nego n = { .be = be, .fe = fe, .p = p,
				   .bad = BLKFRONT_XS_NR };
	int ret = -EINVAL;

	memset(p, 0, sizeof(*p));
	if (!WARN_ON_ONCE(!blkfront_limits_ok(fe))) {
		ret = rings_only ? 0 : blkfront_nego_geometry(&n);
		if (!ret)
			ret = blkfront_nego_rings(&n);
		if (!ret && !rings_only)
			ret = blkfront_nego_features(&n);
		if (!ret && !rings_only)
			ret = blkfront_nego_discard(&n);
	}
	if (ret) {
		memset(p, 0, sizeof(*p));
		if (bad)
			*bad = n.bad;
	}
	return ret;
}

/**
 * blkfront_negotiate_rings() - settle the ring settings alone
 * @be: the backend's xenstore values, NULL for an absent key
 * @fe: the frontend's limits
 * @p: its @nr_queues, @ring_order, @ring_size and @legacy_ring_pages are
 *	filled in on success; the rest is zeroed
 * @bad: on failure, the key at fault; may be NULL
 *
 * For the backend's InitWait, when the rings must be made but the disk's
 * geometry is not published yet.  blkfront_negotiate() decides the same
 * ring settings from the same values.
 *
 * Return: 0, or -EINVAL when a value is malformed or out of range.
 */
int blkfront_negotiate_rings(const struct blkfront_backend *be,
			     const struct blkfront_limits *fe,
			     struct blkfront_params *p,
			     enum blkfront_xs_key *bad)
{
	return blkfront_nego_run(be, fe, p, bad, true);
}

/**
 * blkfront_negotiate() - settle the connection's settings
 * @be: the backend's xenstore values, NULL for an absent key
 * @fe: the frontend's limits (module parameters, CPUs, page size)
 * @p: filled in on success, zeroed on failure
 * @bad: on failure, the key at fault (BLKFRONT_XS_NR if @fe is bad);
 *	may be NULL
 *
 * Every value is parsed strictly and checked against blkif.h: "sector-size"
 * a power of two from 512 to @fe->max_sector_size, "physical-sector-size" a
 * power of two no smaller, "discard-granularity" and "discard-alignment"
 * multiples of the sector size, booleans "0" or "1", "max-ring-pages" a
 * power of two, "multi-queue-max-queues" at least 1.  Limits are clamped to
 * what both ends support.
 *
 * Return: 0; -ENOENT if "sector-size", "sectors" or "info" is missing;
 * -EINVAL for a malformed or nonsensical value; -ERANGE for a number too
 * big for its key.
 */
int blkfront_negotiate(const struct blkfront_backend *be,
		       const struct blkfront_limits *fe,
		       struct blkfront_params *p, enum blkfront_xs_key *bad)
{
	return blkfront_nego_run(be, fe, p, bad, false);
}

/* ---- Recovery after resume or migration ------------------------------------ */

/**
 * blkfront_wire_op() - the blkif operation for a request on a connection
 * @p: the connection's settings
 * @kind: what the request asks for
 * @flags: BLKFRONT_REQ_FUA for a write, BLKFRONT_REQ_SECURE for a discard
 *
 * Return: a BLKIF_OP_* value, -EOPNOTSUPP if the backend cannot do it, or
 * -EINVAL for flags that make no sense with @kind.
 */
int blkfront_wire_op(const struct blkfront_params *p,
		     enum blkfront_req_kind kind, unsigned int flags)
{
	switch (kind) {
	case BLKFRONT_REQ_READ:
		return flags ? -EINVAL : BLKIF_OP_READ;
	case BLKFRONT_REQ_WRITE:
		if (flags & ~BLKFRONT_REQ_FUA)
			return -EINVAL;
		if (!flags)
			return BLKIF_OP_WRITE;
		return p->fua ? BLKIF_OP_WRITE_BARRIER : -EOPNOTSUPP;
	case BLKFRONT_REQ_FLUSH:
		if (flags)
			return -EINVAL;
		return p->flush ? p->flush_op : -EOPNOTSUPP;
	case BLKFRONT_REQ_DISCARD:
		if (flags & ~BLKFRONT_REQ_SECURE)
			return -EINVAL;
		if (!p->discard ||
		    ((flags & BLKFRONT_REQ_SECURE) && !p->discard_secure))
			return -EOPNOTSUPP;
		return BLKIF_OP_DISCARD;
	}
	return -EINVAL;
}

/**
 * blkfront_op_max_segs() - segments one ring request of @op may carry
 * @p: the connection's settings
 * @op: a BLKIF_OP_* value other than BLKIF_OP_INDIRECT
 *
 * Return: the limit; reads and writes may go indirect, flushes and
 * barriers may not, discards carry no data.
 */
unsigned int blkfront_op_max_segs(const struct blkfront_params *p, u8 op)
{
	switch (op) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		return p->max_segs;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		return BLKIF_MAX_SEGMENTS_PER_REQUEST;
	}
	return 0;
}

/**
 * blkfront_nr_parts() - ring requests a read or write takes on a connection
 * @p: the connection's settings
 * @op: its wire operation, from blkfront_wire_op()
 * @segs: its segments, as blkfront_map_chunks() made them (maybe for an
 *	earlier connection's larger limit)
 * @nr_segs: number of @segs, at least 1
 *
 * A request within blkfront_op_max_segs() goes as it is.  A larger one is
 * cut into direct requests of up to BLKIF_MAX_SEGMENTS_PER_REQUEST
 * segments, which every backend takes and which need no indirect frame,
 * all of them on the ring at once.  Either way every part must be whole
 * logical blocks of the connection's disk.
 *
 * Return: 1 for one ring request, the number of direct parts, or -EINVAL
 * if the request is not whole logical blocks or needs more parts than
 * the ring has slots.
 */
int blkfront_nr_parts(const struct blkfront_params *p, u8 op,
		      const struct blkfront_seg *segs, unsigned int nr_segs)
{
	unsigned int align = p->sector_size >> BLKFRONT_SECTOR_SHIFT;

	if (nr_segs <= blkfront_op_max_segs(p, op))
		return blkfront_split(segs, nr_segs, nr_segs, align, NULL, 1);
	return blkfront_split(segs, nr_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST,
			      align, NULL, p->ring_size);
}

static void blkfront_plan_one(const struct blkfront_params *p,
			      const struct blkfront_inflight *r,
			      struct blkfront_recover_step *s)
{
	bool data = r->kind == BLKFRONT_REQ_READ ||
		    r->kind == BLKFRONT_REQ_WRITE;
	int op = blkfront_wire_op(p, r->kind, r->flags);
	int parts = 1;

	memset(s, 0, sizeof(*s));
	s->queue = r->queue % p->nr_queues;
	if (op >= 0 && data != !!r->nr_segs)
		op = -EINVAL;
	if (op >= 0 && data) {
		parts = r->segs ? blkfront_nr_parts(p, op, r->segs, r->nr_segs) :
				  -EINVAL;
		if (parts < 0)
			op = parts;
	}
	if (op < 0) {
		s->action = BLKFRONT_RECOVER_FAIL;
		s->error = op;
		return;
	}
	s->op = op;
	s->nr_parts = parts;
	s->action = parts > 1 ? BLKFRONT_RECOVER_SPLIT :
				BLKFRONT_RECOVER_RESEND;
}

static void blkfront_plan_count(const struct blkfront_params *p,
				struct blkfront_recover_step *s,
				unsigned int *used,
				struct blkfront_recover_sum *sum)
{
	unsigned int *q = &used[s->queue];

	switch (s->action) {
	case BLKFRONT_RECOVER_FAIL:
		sum->nr_fail++;
		return;
	case BLKFRONT_RECOVER_SPLIT:
		sum->nr_split++;
		break;
	case BLKFRONT_RECOVER_RESEND:
		sum->nr_resend++;
		break;
	}
	s->round = *q / p->ring_size;
	*q += s->nr_parts;
	sum->nr_slots += s->nr_parts;
	sum->nr_rounds = max(sum->nr_rounds, DIV_ROUND_UP(*q, p->ring_size));
}

/**
 * blkfront_plan_recovery() - decide how to requeue requests after resume
 * @p: the new connection's settings
 * @in: the requests that were in flight on the old rings
 * @nr: number of @in
 * @steps: @nr steps, filled in, one per request
 * @sum: totals, filled in
 *
 * A request the new backend can take in one ring request is resent as is;
 * one with more segments than the new limit is split into direct requests
 * (blkfront_nr_parts()); one the new backend cannot do at all (a discard,
 * flush or FUA write it no longer supports, a request that is not whole
 * logical blocks of the new disk or needs more parts than a ring has) is
 * failed.  Requests keep their
 * queue if it still exists, else they wrap onto the new queues; @round
 * tells how many ring-fulls on that queue must complete before it fits.
 *
 * Return: 0, -EINVAL for settings without queues or slots, or -ENOMEM.
 */
int blkfront_plan_recovery(const struct blkfront_params *p,
			   const struct blkfront_inflight *in,
			   unsigned int nr,
			   struct blkfront_recover_step *steps,
			   struct blkfront_recover_sum *sum)
{
	unsigned int *used;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	if (WARN_ON_ONCE(!p->nr_queues || !p->ring_size || !p->sector_size))
		return -EINVAL;
	/* Resume path: an allocation must not wait for I/O to this disk. */
	used = kcalloc(p->nr_queues, sizeof(*used), GFP_NOIO);
	if (!used)
		return -ENOMEM;

	for (i = 0; i < nr; i++) {
		blkfront_plan_one(p, &in[i], &steps[i]);
		blkfront_plan_count(p, &steps[i], used, sum);
	}
	kfree(used);
	return 0;
}
