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

#include <asm/barrier.h>

#include "blkfront-proto.h"
#include <xenpv/xs-parse.h>

#define BLKFRONT_GRANT_MASK	(XENPV_BLK_GRANT_SIZE - 1)
#define BLKFRONT_SECTOR_MASK	(XENPV_BLK_SECTOR_SIZE - 1)

/* ---- The device's states -------------------------------------------------- */

/*
 * Each state, and the states it may move to:
 *
 *	wait-backend	the backend's InitWait makes the rings: initialised
 *	initialised	its Connected makes (or revives) the disk: connected;
 *			a resume before that: wait-backend
 *	connected	a resume: wait-backend
 *	any		the backend breaks the protocol: broken (not from
 *			closed); it closes, or the device goes: closed
 */
static const struct xenpv_state blkfront_state_table[BF_NR_STATES] = {
	[BF_WAIT_BACKEND] = { "wait-backend",
			      BIT(BF_INITIALISED) | BIT(BF_BROKEN) |
			      BIT(BF_CLOSED) },
	[BF_INITIALISED]  = { "initialised",
			      BIT(BF_CONNECTED) | BIT(BF_WAIT_BACKEND) |
			      BIT(BF_BROKEN) | BIT(BF_CLOSED) },
	[BF_CONNECTED]    = { "connected",
			      BIT(BF_WAIT_BACKEND) | BIT(BF_BROKEN) |
			      BIT(BF_CLOSED) },
	[BF_BROKEN]       = { "broken", BIT(BF_CLOSED) },
	[BF_CLOSED]       = { "closed", 0 },
};

XENPV_STATES(blkfront_states, blkfront_state_table, "backend");

/*
 * Each ring's counters: debugfs columns (xen-blkfront/xvdX/rings) and,
 * summed over the rings, the files of the device's statistics/.
 */
const struct xenpv_stat blkfront_stat_desc[BLKFRONT_NR_STATS] = {
	[BLKFRONT_STAT_REQS]		= { "requests", XENPV_STAT_SYSFS },
	[BLKFRONT_STAT_RING_FULL]	= { "ring_full", XENPV_STAT_SYSFS },
	[BLKFRONT_STAT_NOTIFY]		= { "notify_tx", 0 },
	[BLKFRONT_STAT_IRQS]		= { "irqs", 0 },
	[BLKFRONT_STAT_SPURIOUS]	= { "spurious", 0 },
	[BLKFRONT_STAT_SPLIT]		= { "split", XENPV_STAT_SYSFS },
};

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
				 XENPV_BLK_MAX_INDIRECT_SEGS);

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
 * XENPV_BLK_SEGS_PER_FRAME segments.
 *
 * Return: 0, or -EINVAL if the request cannot be expressed.
 */
int blkfront_layout_for(unsigned int nr_segs, unsigned int nr_sectors,
			unsigned int max_indirect_segs,
			struct blkfront_layout *lay)
{
	if (nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST &&
	    (nr_segs > max_indirect_segs ||
	     nr_segs > XENPV_BLK_MAX_INDIRECT_SEGS))
		return -EINVAL;
	/* Each segment holds 1 to 8 sectors. */
	if (nr_sectors < nr_segs ||
	    nr_sectors > nr_segs * XENPV_BLK_SECTORS_PER_GRANT)
		return -EINVAL;

	lay->nr_segs = nr_segs;
	lay->nr_sectors = nr_sectors;
	lay->indirect = nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST;
	lay->nr_indirect = lay->indirect ?
		DIV_ROUND_UP(nr_segs, XENPV_BLK_SEGS_PER_FRAME) : 0;
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
		next = min((off & ~BLKFRONT_GRANT_MASK) + XENPV_BLK_GRANT_SIZE,
			   end);
		if (nr >= max)
			return -EINVAL;
		segs[nr].chunk = idx;
		segs[nr].frame = off >> XENPV_BLK_GRANT_SHIFT;
		segs[nr].first_sect = (off & BLKFRONT_GRANT_MASK) >>
				      XENPV_BLK_SECTOR_SHIFT;
		segs[nr].last_sect = ((next - 1) & BLKFRONT_GRANT_MASK) >>
				     XENPV_BLK_SECTOR_SHIFT;
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
		sectors += chunks[i].len >> XENPV_BLK_SECTOR_SHIFT;
	}
	return blkfront_layout_for(nr, sectors, geom->max_indirect_segs, lay);
}

static bool blkfront_layout_ok(const struct blkfront_layout *lay)
{
	unsigned int nr_ind = 0;

	if (lay->indirect) {
		if (lay->nr_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST ||
		    lay->nr_segs > XENPV_BLK_MAX_INDIRECT_SEGS)
			return false;
		nr_ind = DIV_ROUND_UP(lay->nr_segs,
				      XENPV_BLK_SEGS_PER_FRAME);
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
	const unsigned int per = XENPV_BLK_SEGS_PER_FRAME;
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
		    segs[i].last_sect >= XENPV_BLK_SECTORS_PER_GRANT)
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

/* ---- Rings ----------------------------------------------------------------- */

/**
 * blkfront_ring_size() - slots of a ring of 2^@order grant frames
 * @order: log2 of the ring's frames
 *
 * Return: the slot count (32 for one frame), 0 for an order this driver
 * does not use.
 */
unsigned int blkfront_ring_size(unsigned int order)
{
	if (order > XENPV_BLK_MAX_RING_ORDER)
		return 0;
	return __CONST_RING_SIZE(blkif, XENPV_BLK_GRANT_SIZE << order);
}

/* ---- Responses -------------------------------------------------------------- */

/* The producer verdicts are the core's, the id verdicts the core's after. */
static_assert(BLKFRONT_RSP_PROD_BACKWARDS == (int)XENPV_PROD_BACKWARDS);
static_assert(BLKFRONT_RSP_PROD_UNASKED == (int)XENPV_PROD_UNASKED);
static_assert(BLKFRONT_RSP_BAD_ID - BLKFRONT_RSP_PROD_UNASKED ==
	      (int)XENPV_ID_RANGE);
static_assert(BLKFRONT_RSP_BAD_OP - BLKFRONT_RSP_PROD_UNASKED ==
	      (int)XENPV_ID_WRONG_OP);

/**
 * blkfront_verdict_str() - a verdict in words, for one log line
 * @v: the verdict
 *
 * Return: a constant string.
 */
const char *blkfront_verdict_str(enum blkfront_verdict v)
{
	if (v <= BLKFRONT_RSP_PROD_UNASKED)
		return xenpv_prod_str((enum xenpv_prod_verdict)v);
	if (v <= BLKFRONT_RSP_BAD_OP)
		return xenpv_id_str(v - BLKFRONT_RSP_PROD_UNASKED);
	if (v == BLKFRONT_RSP_BAD_STATUS)
		return "unknown response status";
	return "unknown";
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
	unsigned int avail;

	return (enum blkfront_verdict)xenpv_check_prod(rsp_prod, rsp_cons,
						       ring_size, outstanding,
						       &avail);
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
 * xenpv_id_get(): for an indirect request, its indirect_op.
 *
 * Context: the ring's lock is held.
 * Return: BLKFRONT_RSP_OK or what is wrong with @rsp.
 */
enum blkfront_verdict blkfront_check_rsp(const struct xenpv_ids *ids,
					 const struct blkif_response *rsp,
					 int *error)
{
	enum xenpv_id_verdict iv = xenpv_id_check(ids, rsp->id, rsp->operation);

	if (iv != XENPV_ID_OK)
		return BLKFRONT_RSP_PROD_UNASKED + iv;
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
enum blkfront_verdict blkfront_complete_rsp(struct xenpv_ids *ids,
					    const struct blkif_response *rsp,
					    struct blkfront_done *done)
{
	const struct xenpv_id *e;
	enum blkfront_verdict v;
	int error = 0;

	memset(done, 0, sizeof(*done));
	v = blkfront_check_rsp(ids, rsp, &error);
	if (v != BLKFRONT_RSP_OK)
		return v;

	e = xenpv_id_entry(ids, rsp->id);
	done->id = rsp->id;
	done->op = e->op;
	done->indirect = e->flags & BLKFRONT_ID_INDIRECT;
	done->error = error;
	done->priv = e->priv;
	xenpv_id_put(ids, done->id);
	return BLKFRONT_RSP_OK;
}

/**
 * blkfront_rsp_avail() - fetch and check the backend's response producer
 * @front: the ring's private side
 * @ids: the ring's ids (the requests outstanding)
 * @prod: set to the producer, fetched once; the responses before it may
 *	be taken with blkfront_rsp_take() when the verdict is OK
 *
 * Context: the ring's lock is held.
 * Return: BLKFRONT_RSP_OK, or what is wrong with the producer.
 */
enum blkfront_verdict blkfront_rsp_avail(const struct blkif_front_ring *front,
					 const struct xenpv_ids *ids,
					 RING_IDX *prod)
{
	*prod = xenpv_read_idx(&front->sring->rsp_prod);
	virt_rmb();	/* the responses are read after rsp_prod */
	return blkfront_check_rsp_prod(*prod, front->rsp_cons,
				       RING_SIZE(front),
				       xenpv_ids_in_flight(ids));
}

/**
 * blkfront_rsp_take() - copy the next response once, check and complete it
 * @front: the ring's private side, a response available at rsp_cons
 * @ids: the ring's ids
 * @done: filled in, see blkfront_complete_rsp()
 *
 * The response is copied out of the shared ring in one fetch: the backend
 * may rewrite the slot meanwhile, only the copy is looked at.  rsp_cons
 * moves on only for a valid response.
 *
 * Context: the ring's lock is held.
 * Return: the verdict of blkfront_complete_rsp().
 */
enum blkfront_verdict blkfront_rsp_take(struct blkif_front_ring *front,
					struct xenpv_ids *ids,
					struct blkfront_done *done)
{
	struct blkif_response rsp;
	enum blkfront_verdict v;

	xenpv_copy_shared(&rsp, RING_GET_RESPONSE(front, front->rsp_cons),
			  sizeof(rsp));
	v = blkfront_complete_rsp(ids, &rsp, done);
	if (v == BLKFRONT_RSP_OK)
		front->rsp_cons++;
	return v;
}

/**
 * blkfront_rsp_more() - ask for an event at the next response, and look
 *	once more
 * @front: the ring's private side, every available response taken
 *
 * RING_FINAL_CHECK_FOR_RESPONSES(), with each shared index fetched through
 * xenpv_read_idx().
 *
 * Context: the ring's lock is held.
 * Return: true if responses came meanwhile (take them, then ask again).
 */
bool blkfront_rsp_more(struct blkif_front_ring *front)
{
	if (xenpv_read_idx(&front->sring->rsp_prod) != front->rsp_cons)
		return true;
	xenpv_write_idx(&front->sring->rsp_event, front->rsp_cons + 1);
	virt_mb();	/* the event index is set before rsp_prod is read */
	return xenpv_read_idx(&front->sring->rsp_prod) != front->rsp_cons;
}

/* ---- Feature negotiation --------------------------------------------------- */

const char *const blkfront_xs_names[BLKFRONT_XS_NR] = {
	[BLKFRONT_XS_MAX_QUEUES]	= XENPV_BLK_KEY_MAX_QUEUES,
	[BLKFRONT_XS_MAX_RING_ORDER]	= XENPV_BLK_KEY_MAX_RING_ORDER,
	[BLKFRONT_XS_MAX_RING_PAGES]	= XENPV_BLK_KEY_MAX_RING_PAGES,
	[BLKFRONT_XS_MAX_INDIRECT]	= XENPV_BLK_KEY_MAX_INDIRECT,
	[BLKFRONT_XS_PERSISTENT]	= XENPV_BLK_KEY_PERSISTENT,
	[BLKFRONT_XS_FLUSH]		= XENPV_BLK_KEY_FLUSH,
	[BLKFRONT_XS_BARRIER]		= XENPV_BLK_KEY_BARRIER,
	[BLKFRONT_XS_DISCARD]		= XENPV_BLK_KEY_DISCARD,
	[BLKFRONT_XS_DISCARD_GRAN]	= XENPV_BLK_KEY_DISCARD_GRAN,
	[BLKFRONT_XS_DISCARD_ALIGN]	= XENPV_BLK_KEY_DISCARD_ALIGN,
	[BLKFRONT_XS_DISCARD_SECURE]	= XENPV_BLK_KEY_DISCARD_SECURE,
	[BLKFRONT_XS_SECTOR_SIZE]	= XENPV_BLK_KEY_SECTOR_SIZE,
	[BLKFRONT_XS_PHYS_SECTOR_SIZE]	= XENPV_BLK_KEY_PHYS_SECTOR_SIZE,
	[BLKFRONT_XS_SECTORS]		= XENPV_BLK_KEY_SECTORS,
	[BLKFRONT_XS_INFO]		= XENPV_BLK_KEY_INFO,
};

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

	if (WARN_ON_ONCE(sector_size < XENPV_BLK_SECTOR_SIZE ||
			 !is_power_of_2(sector_size)))
		return -EINVAL;
	ret = xenpv_parse_u64(s, &v);
	if (ret)
		return ret;
	if (v > (u64)S64_MAX >> XENPV_BLK_SECTOR_SHIFT)
		return -ERANGE;
	*sectors = v & ~(u64)((sector_size >> XENPV_BLK_SECTOR_SHIFT) - 1);
	return 0;
}

struct blkfront_nego {
	const struct xenpv_xs_vals *be;
	const struct blkfront_wants *fe;
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
	ret = xenpv_parse_u64(s, val);
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
	if (v < XENPV_BLK_SECTOR_SIZE || !is_power_of_2(v) ||
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
	const struct blkfront_wants *fe = n->fe;
	struct blkfront_params *p = n->p;
	unsigned int want;
	u64 v, order;
	int ret;

	ret = blkfront_nego_get(n, BLKFRONT_XS_MAX_QUEUES, 1, U32_MAX, &v);
	if (ret)
		return ret;
	if (!v)
		return -EINVAL;
	want = fe->max_rings ? min(fe->max_rings, fe->nr_cpus) : fe->nr_cpus;
	p->nr_rings = min_t(u64, v, want);

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
			     (u64)XENPV_BLK_MAX_RING_ORDER);
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
		 (u64)XENPV_BLK_MAX_INDIRECT_SEGS);
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

static bool blkfront_wants_ok(const struct blkfront_wants *fe)
{
	return fe->nr_cpus && fe->max_sector_size >= XENPV_BLK_SECTOR_SIZE &&
	       is_power_of_2(fe->max_sector_size);
}

/* What blkfront_nego_run() settles. */
enum blkfront_nego_scope {
	BLKFRONT_NEGO_RINGS,	/* the rings' settings alone */
	BLKFRONT_NEGO_ALL,	/* everything */
};

/* Run the negotiation steps of @scope. */
static int blkfront_nego_run(const struct xenpv_xs_vals *be,
			     const struct blkfront_wants *fe,
			     struct blkfront_params *p,
			     enum blkfront_xs_key *bad,
			     enum blkfront_nego_scope scope)
{
	struct blkfront_nego n = { .be = be, .fe = fe, .p = p,
				   .bad = BLKFRONT_XS_NR };
	bool all = scope == BLKFRONT_NEGO_ALL;
	int ret = -EINVAL;

	memset(p, 0, sizeof(*p));
	if (!WARN_ON_ONCE(!blkfront_wants_ok(fe))) {
		ret = all ? blkfront_nego_geometry(&n) : 0;
		if (!ret)
			ret = blkfront_nego_rings(&n);
		if (!ret && all)
			ret = blkfront_nego_features(&n);
		if (!ret && all)
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
 * @p: its @nr_rings, @ring_order, @ring_size and @legacy_ring_pages are
 *	filled in on success; the rest is zeroed
 * @bad: on failure, the key at fault; may be NULL
 *
 * For the backend's InitWait, when the rings must be made but the disk's
 * geometry is not published yet.  blkfront_negotiate() decides the same
 * ring settings from the same values.
 *
 * Return: 0, or -EINVAL when a value is malformed or out of range.
 */
int blkfront_negotiate_rings(const struct xenpv_xs_vals *be,
			     const struct blkfront_wants *fe,
			     struct blkfront_params *p,
			     enum blkfront_xs_key *bad)
{
	return blkfront_nego_run(be, fe, p, bad, BLKFRONT_NEGO_RINGS);
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
int blkfront_negotiate(const struct xenpv_xs_vals *be,
		       const struct blkfront_wants *fe,
		       struct blkfront_params *p, enum blkfront_xs_key *bad)
{
	return blkfront_nego_run(be, fe, p, bad, BLKFRONT_NEGO_ALL);
}

/**
 * blkfront_params_changed() - what a backend changed while connected
 * @old: the connection's settings
 * @now: the same keys read again, negotiated with the same limits
 *
 * A backend writes Connected again to announce a new capacity; nothing
 * else of a connection may change under a disk in use.  The ring settings
 * (settled at InitWait, and read again) are not compared.
 *
 * Return: NULL if only "sectors" may differ, else the name of a key whose
 * value changed.
 */
const char *blkfront_params_changed(const struct blkfront_params *old,
				    const struct blkfront_params *now)
{
	enum blkfront_xs_key k = BLKFRONT_XS_NR;

	if (old->sector_size != now->sector_size)
		k = BLKFRONT_XS_SECTOR_SIZE;
	else if (old->physical_sector_size != now->physical_sector_size)
		k = BLKFRONT_XS_PHYS_SECTOR_SIZE;
	else if (old->info != now->info)
		k = BLKFRONT_XS_INFO;
	else if (old->max_segs != now->max_segs)
		k = BLKFRONT_XS_MAX_INDIRECT;
	else if (old->persistent != now->persistent)
		k = BLKFRONT_XS_PERSISTENT;
	else if (old->flush != now->flush || old->flush_op != now->flush_op ||
		 old->fua != now->fua)
		k = old->flush_op == BLKIF_OP_WRITE_BARRIER ?
		    BLKFRONT_XS_BARRIER : BLKFRONT_XS_FLUSH;
	else if (old->discard != now->discard)
		k = BLKFRONT_XS_DISCARD;
	else if (old->discard_secure != now->discard_secure)
		k = BLKFRONT_XS_DISCARD_SECURE;
	else if (old->discard_granularity != now->discard_granularity)
		k = BLKFRONT_XS_DISCARD_GRAN;
	else if (old->discard_alignment != now->discard_alignment)
		k = BLKFRONT_XS_DISCARD_ALIGN;
	return k == BLKFRONT_XS_NR ? NULL : blkfront_xs_names[k];
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
	unsigned int align = p->sector_size >> XENPV_BLK_SECTOR_SHIFT;

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
	s->ring = r->ring % p->nr_rings;
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
	unsigned int *q = &used[s->ring];

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
 * ring if it still exists, else they wrap onto the new rings; @round
 * tells how many ring-fulls on that ring must complete before it fits.
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
	if (WARN_ON_ONCE(!p->nr_rings || !p->ring_size || !p->sector_size))
		return -EINVAL;
	/* Resume path: an allocation must not wait for I/O to this disk. */
	used = kcalloc(p->nr_rings, sizeof(*used), GFP_NOIO);
	if (!used)
		return -ENOMEM;

	for (i = 0; i < nr; i++) {
		blkfront_plan_one(p, &in[i], &steps[i]);
		blkfront_plan_count(p, &steps[i], used, sum);
	}
	kfree(used);
	return 0;
}
