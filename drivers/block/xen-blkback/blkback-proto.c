// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protocol core of the Xen PV block backend: ring slot layouts of both
 * ABIs, request copy and checks, ring index checks, the persistent grant
 * pool and the parsing of the frontend's xenstore keys.
 *
 * Pure logic (see blkback-proto.h): it runs in the kernel, in the
 * userspace tests and in a fuzzer.  Everything the frontend wrote is
 * checked before use and a bad value is reported to the caller; only bugs
 * of the backend itself warn.
 */

#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <xen/interface/io/protocols.h>

#include <asm/barrier.h>

#include "blkback-proto.h"
#include <xenpv/xs-parse.h>

/* ---- The device's states and counters ------------------------------------ */

/*
 * Each state, and the states it may move to:
 *
 *	wait-device	the hotplug script names the device: ready
 *	ready		the frontend's rings map: connected
 *	connected	the frontend breaks the protocol: broken
 *	closed		the frontend starts over: ready (or wait-device if
 *			the device is not open)
 *	any		the frontend closes, or the device goes: closed
 */
static const struct xenpv_state blkback_state_table[BB_NR_STATES] = {
	[BB_WAIT_DEVICE] = { "wait-device", BIT(BB_READY) | BIT(BB_CLOSED) },
	[BB_READY]	 = { "ready", BIT(BB_CONNECTED) | BIT(BB_CLOSED) },
	[BB_CONNECTED]	 = { "connected", BIT(BB_BROKEN) | BIT(BB_CLOSED) },
	[BB_BROKEN]	 = { "broken", BIT(BB_CLOSED) },
	[BB_CLOSED]	 = { "closed", BIT(BB_READY) | BIT(BB_WAIT_DEVICE) },
};

XENPV_STATES(blkback_states, blkback_state_table, "frontend");

/*
 * The counters: statistics/ in sysfs has Linux's backend's files (the
 * flagged ones, summed over the rings, past connections included), the
 * debugfs rings file a column each.
 */
const struct xenpv_stat blkback_stat_desc[BLKBACK_NR_STATS] = {
	[BLKBACK_STAT_OO_REQ]		= { "oo_req", XENPV_STAT_SYSFS },
	[BLKBACK_STAT_RD_REQ]		= { "rd_req", XENPV_STAT_SYSFS },
	[BLKBACK_STAT_WR_REQ]		= { "wr_req", XENPV_STAT_SYSFS },
	[BLKBACK_STAT_F_REQ]		= { "f_req", XENPV_STAT_SYSFS },
	[BLKBACK_STAT_DS_REQ]		= { "ds_req", XENPV_STAT_SYSFS },
	[BLKBACK_STAT_RD_SECT]		= { "rd_sect", XENPV_STAT_SYSFS },
	[BLKBACK_STAT_WR_SECT]		= { "wr_sect", XENPV_STAT_SYSFS },
	[BLKBACK_STAT_BAD_REQ]		= { "bad_req", 0 },
	[BLKBACK_STAT_IRQS]		= { "irqs", 0 },
	[BLKBACK_STAT_NOTIFY]		= { "notify", 0 },
	[BLKBACK_STAT_PGRANT_MAP]	= { "pgrant_map", 0 },
	[BLKBACK_STAT_PGRANT_FULL]	= { "pgrant_full", 0 },
	[BLKBACK_STAT_PGRANT_RECLAIM]	= { "pgrant_reclaim", 0 },
};

/* ---- ABIs and the shared ring ------------------------------------------ */

/*
 * A request slot, byte by byte.  The first 4 bytes are the same in both
 * ABIs: the operation, then nr_segments (read/write/flush), the flag
 * (discard) or indirect_op (indirect), then a 16-bit field: the handle
 * (read/write/flush) or nr_segments (indirect).  Everything from the id on
 * (the "body") starts at offset 4 in the 32-bit ABI and at 8 in the 64-bit
 * one, where 64-bit fields are aligned to 8 bytes:
 *
 *	body + 0	id
 *	body + 8	sector_number
 *	body + 16	read/write: seg[11], 8 bytes each
 *			discard: nr_sectors
 *			indirect: handle, 2 bytes of padding, then at
 *	body + 20	indirect_grefs[8]
 *
 * A slot is as big as its largest request: body + 16 + 11 * 8 bytes.
 * Responses are laid out alike in both: id at 0, operation at 8, status at
 * 10, 12 bytes.
 */
#define BLKBACK_OFF_OP		0
#define BLKBACK_OFF_BYTE1	1
#define BLKBACK_OFF_WORD	2
#define BLKBACK_BODY_ID		0
#define BLKBACK_BODY_SECTOR	8
#define BLKBACK_BODY_TAIL	16
#define BLKBACK_BODY_IND_GREFS	20
#define BLKBACK_WIRE_SEG_SIZE	8
#define BLKBACK_BODY_SIZE	\
	(BLKBACK_BODY_TAIL +	\
	 BLKIF_MAX_SEGMENTS_PER_REQUEST * BLKBACK_WIRE_SEG_SIZE)
#define BLKBACK_SLOT_MAX	(8 + BLKBACK_BODY_SIZE)
#define BLKBACK_RSP_SIZE	12

#ifdef CONFIG_X86_32
#define BLKBACK_NATIVE_BODY	4
#else
#define BLKBACK_NATIVE_BODY	8
#endif

/* The layout above is the kernel's own for the native ABI. */
static_assert(offsetof(struct blkif_request, u.rw.nr_segments) ==
	      BLKBACK_OFF_BYTE1);
static_assert(offsetof(struct blkif_request, u.rw.handle) ==
	      BLKBACK_OFF_WORD);
static_assert(offsetof(struct blkif_request, u.rw.id) == BLKBACK_NATIVE_BODY);
static_assert(offsetof(struct blkif_request, u.rw.sector_number) ==
	      BLKBACK_NATIVE_BODY + BLKBACK_BODY_SECTOR);
static_assert(offsetof(struct blkif_request, u.rw.seg) ==
	      BLKBACK_NATIVE_BODY + BLKBACK_BODY_TAIL);
static_assert(offsetof(struct blkif_request, u.discard.nr_sectors) ==
	      BLKBACK_NATIVE_BODY + BLKBACK_BODY_TAIL);
static_assert(offsetof(struct blkif_request, u.indirect.nr_segments) ==
	      BLKBACK_OFF_WORD);
static_assert(offsetof(struct blkif_request, u.indirect.handle) ==
	      BLKBACK_NATIVE_BODY + BLKBACK_BODY_TAIL);
static_assert(offsetof(struct blkif_request, u.indirect.indirect_grefs) ==
	      BLKBACK_NATIVE_BODY + BLKBACK_BODY_IND_GREFS);
static_assert(sizeof(union blkif_sring_entry) ==
	      BLKBACK_NATIVE_BODY + BLKBACK_BODY_SIZE);
static_assert(sizeof(struct blkif_request_segment) == BLKBACK_WIRE_SEG_SIZE);
static_assert(offsetof(struct blkif_request_segment, first_sect) == 4);
static_assert(offsetof(struct blkif_request_segment, last_sect) == 5);
static_assert(offsetof(struct blkif_response, operation) == 8);
static_assert(offsetof(struct blkif_response, status) == 10);

static unsigned int blkback_body(enum blkback_abi abi)
{
	return abi == BLKBACK_ABI_X86_32 ? 4 : 8;
}

static u16 blkback_rd16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u32 blkback_rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 blkback_rd64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/**
 * blkback_parse_protocol() - the ABI named by the frontend's "protocol"
 * @s: the key's value, NULL if absent
 * @abi: set on success
 *
 * An absent key means the backend's native ABI, as Xen's blkif.h
 * documents.  (Linux's xen-blkback assumes x86_32-abi instead on x86, for
 * 32-bit guests that predate the key.)
 *
 * Return: 0, or -EINVAL for an ABI this backend does not speak.
 */
int blkback_parse_protocol(const char *s, enum blkback_abi *abi)
{
	if (!s || !strcmp(s, XEN_IO_PROTO_ABI_NATIVE))
		*abi = BLKBACK_ABI_NATIVE;
	else if (!strcmp(s, XEN_IO_PROTO_ABI_X86_32))
		*abi = BLKBACK_ABI_X86_32;
	else if (!strcmp(s, XEN_IO_PROTO_ABI_X86_64))
		*abi = BLKBACK_ABI_X86_64;
	else
		return -EINVAL;
	return 0;
}

/**
 * blkback_slot_size() - bytes per ring slot
 * @abi: the ring's ABI
 *
 * Return: 108 for x86_32-abi, 112 for x86_64-abi.
 */
unsigned int blkback_slot_size(enum blkback_abi abi)
{
	return blkback_body(abi) + BLKBACK_BODY_SIZE;
}

/**
 * blkback_ring_size() - slots in a ring of 2^@order grant frames
 * @abi: the ring's ABI
 * @order: log2 of the ring's frames
 *
 * As many slots as fit after the 64-byte header, rounded down to a power
 * of two.  Both ABIs give 32 slots per frame.
 *
 * Return: the slot count, 0 for an order above XENPV_BLK_MAX_RING_ORDER.
 */
unsigned int blkback_ring_size(enum blkback_abi abi, unsigned int order)
{
	unsigned int room;

	if (order > XENPV_BLK_MAX_RING_ORDER)
		return 0;
	room = ((XENPV_BLK_GRANT_SIZE << order) - XENPV_BLK_SRING_HEADER) /
	       blkback_slot_size(abi);
	return 1U << ilog2(room);
}

/**
 * blkback_ring_slot() - address of the slot of ring index @idx
 * @sring: the mapped shared ring (its frames virtually contiguous)
 * @abi: the ring's ABI
 * @ring_size: slots in the ring, from blkback_ring_size()
 * @idx: a request or response index; wraps around the ring
 *
 * Return: the slot, inside the ring.
 */
void *blkback_ring_slot(void *sring, enum blkback_abi abi,
			unsigned int ring_size, RING_IDX idx)
{
	size_t slot = idx & (ring_size - 1);

	return (u8 *)sring + XENPV_BLK_SRING_HEADER +
	       slot * blkback_slot_size(abi);
}

static void blkback_decode_rw(struct blkback_req *req, const u8 *raw,
			      unsigned int body)
{
	const u8 *p = raw + body + BLKBACK_BODY_TAIL;
	unsigned int i, n;

	req->nr_segs = raw[BLKBACK_OFF_BYTE1];
	req->handle = blkback_rd16(raw + BLKBACK_OFF_WORD);
	n = min_t(unsigned int, req->nr_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
	for (i = 0; i < n; i++, p += BLKBACK_WIRE_SEG_SIZE) {
		req->seg[i].gref = blkback_rd32(p);
		req->seg[i].first_sect = p[4];
		req->seg[i].last_sect = p[5];
	}
}

static void blkback_decode_indirect(struct blkback_req *req, const u8 *raw,
				    unsigned int body)
{
	const u8 *p = raw + body + BLKBACK_BODY_IND_GREFS;
	unsigned int i;

	req->indirect = true;
	req->op = raw[BLKBACK_OFF_BYTE1];
	req->nr_segs = blkback_rd16(raw + BLKBACK_OFF_WORD);
	req->handle = blkback_rd16(raw + body + BLKBACK_BODY_TAIL);
	for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++, p += 4)
		req->indirect_grefs[i] = blkback_rd32(p);
}

/**
 * blkback_get_req() - copy one request out of its ring slot
 * @req: filled in; only this private copy may be used afterwards
 * @slot: the slot, from blkback_ring_slot(); read exactly once
 * @abi: the ring's ABI
 *
 * The frontend may rewrite the slot at any time, so the whole slot is
 * copied with one xenpv_copy_shared() before any field is decoded: no
 * field is read twice from shared memory.  Nothing is checked
 * here; an unknown operation still yields the id to answer.
 */
void blkback_get_req(struct blkback_req *req, const void *slot,
		     enum blkback_abi abi)
{
	unsigned int body = blkback_body(abi);
	u8 raw[BLKBACK_SLOT_MAX];

	/*
	 * One constant-size copy per ABI: the compiler makes each a few
	 * word moves, where a variable length can become a byte-at-a-time
	 * "rep movsb" (kernels built -Os).
	 */
	if (body == 4)
		xenpv_copy_shared(raw, slot, 4 + BLKBACK_BODY_SIZE);
	else
		xenpv_copy_shared(raw, slot, 8 + BLKBACK_BODY_SIZE);

	memset(req, 0, sizeof(*req));
	req->operation = raw[BLKBACK_OFF_OP];
	req->op = req->operation;
	req->id = blkback_rd64(raw + body + BLKBACK_BODY_ID);
	req->sector = blkback_rd64(raw + body + BLKBACK_BODY_SECTOR);

	switch (req->operation) {
	case BLKIF_OP_DISCARD:
		req->discard_flag = raw[BLKBACK_OFF_BYTE1];
		req->nr_sectors = blkback_rd64(raw + body + BLKBACK_BODY_TAIL);
		break;
	case BLKIF_OP_INDIRECT:
		blkback_decode_indirect(req, raw, body);
		break;
	default:
		blkback_decode_rw(req, raw, body);
		break;
	}
}

/**
 * blkback_put_rsp() - write a response into a ring slot
 * @slot: the slot of index rsp_prod_pvt, from blkback_ring_slot()
 * @id: the request's id
 * @op: the request's @op (for an indirect request its indirect_op, which
 *	is what frontends expect back)
 * @status: BLKIF_RSP_OKAY, BLKIF_RSP_ERROR or BLKIF_RSP_EOPNOTSUPP
 *
 * Writes the 12 bytes of a response, laid out alike in both ABIs.
 * Publishing it (RING_PUSH_RESPONSES...) is the caller's.
 */
void blkback_put_rsp(void *slot, u64 id, u8 op, s16 status)
{
	u8 raw[BLKBACK_RSP_SIZE] = { 0 };

	memcpy(raw, &id, sizeof(id));
	raw[8] = op;
	memcpy(raw + 10, &status, sizeof(status));
	xenpv_write_shared(slot, raw, sizeof(raw));
}

/**
 * blkback_check_req_prod() - check the frontend's request producer
 * @req_prod: the shared ring's req_prod, read once (and followed by a read
 *	barrier before any slot is read)
 * @req_cons: the backend's req_cons
 * @rsp_prod_pvt: the backend's rsp_prod_pvt
 * @ring_size: slots in the ring, a power of two
 * @avail: set to the number of requests that may be consumed now, 0 on
 *	any error
 *
 * The frontend can have at most @ring_size requests unanswered, so it may
 * produce no more requests than there are free response slots, and
 * @req_prod never moves back behind @req_cons.  Either violation is a
 * hostile or broken frontend; consuming up to @req_prod is safe otherwise.
 * Inconsistent indexes of our own are a bug: it warns and the ring stops.
 *
 * Return: XENPV_PROD_OK or what is wrong.
 */
enum xenpv_prod_verdict blkback_check_req_prod(RING_IDX req_prod,
					       RING_IDX req_cons,
					       RING_IDX rsp_prod_pvt,
					       unsigned int ring_size,
					       unsigned int *avail)
{
	RING_IDX used = req_cons - rsp_prod_pvt;

	*avail = 0;
	if (WARN_ON_ONCE(!is_power_of_2(ring_size) || used > ring_size))
		return XENPV_PROD_OVERRUN;
	return xenpv_check_prod(req_prod, req_cons, ring_size,
				ring_size - used, avail);
}

/**
 * blkback_req_avail() - fetch and check the frontend's request producer
 * @back: the ring's private side (req_cons, rsp_prod_pvt, nr_ents)
 * @avail: set to the requests that may be consumed now
 *
 * req_prod is fetched once, and the slots are read after it.
 *
 * Return: XENPV_PROD_OK or what is wrong.
 */
enum xenpv_prod_verdict blkback_req_avail(const struct blkif_back_ring *back,
					  unsigned int *avail)
{
	RING_IDX rp = xenpv_read_idx(&back->sring->req_prod);

	virt_rmb();	/* the slots are read after req_prod */
	return blkback_check_req_prod(rp, back->req_cons, back->rsp_prod_pvt,
				      back->nr_ents, avail);
}

/* Requests produced and not consumed, within the free response slots. */
static unsigned int blkback_unconsumed(const struct blkif_back_ring *back)
{
	unsigned int req = xenpv_read_idx(&back->sring->req_prod) -
			   back->req_cons;
	unsigned int rsp = back->nr_ents -
			   (back->req_cons - back->rsp_prod_pvt);

	return min(req, rsp);
}

/**
 * blkback_reqs_more() - ask for an event at the next request, and look
 *	once more
 * @back: the ring's private side, every available request consumed
 *
 * RING_FINAL_CHECK_FOR_REQUESTS(), with each shared index fetched through
 * xenpv_read_idx().
 *
 * Return: true if requests came meanwhile.
 */
bool blkback_reqs_more(struct blkif_back_ring *back)
{
	if (blkback_unconsumed(back))
		return true;
	xenpv_write_idx(&back->sring->req_event, back->req_cons + 1);
	virt_mb();	/* the event index is set before req_prod is read */
	return blkback_unconsumed(back) != 0;
}

/* ---- Request checks ---------------------------------------------------- */

/**
 * blkback_clamp_max_indirect() - a sane "feature-max-indirect-segments"
 * @param: the module parameter
 *
 * Up to BLKIF_MAX_SEGMENTS_PER_REQUEST segments fit in a direct request:
 * an indirect limit that low is no indirect request at all.
 *
 * Return: 0 (indirect requests not offered) for @param up to
 * BLKIF_MAX_SEGMENTS_PER_REQUEST, else @param capped at
 * XENPV_BLK_MAX_INDIRECT_SEGS.
 */
unsigned int blkback_clamp_max_indirect(unsigned int param)
{
	if (param <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return 0;
	return min_t(unsigned int, param, XENPV_BLK_MAX_INDIRECT_SEGS);
}

static bool blkback_vbd_ok(const struct blkback_vbd *vbd)
{
	return vbd->sector_size >= (1U << XENPV_BLK_SECTOR_SHIFT) &&
	       is_power_of_2(vbd->sector_size) &&
	       vbd->max_indirect_segs <= XENPV_BLK_MAX_INDIRECT_SEGS;
}

static enum blkback_verdict blkback_fail(struct blkback_bad *bad,
					 enum blkback_verdict v, u64 value,
					 u64 count, u64 limit)
{
	bad->verdict = v;
	bad->value = value;
	bad->count = count;
	bad->limit = limit;
	return v;
}

/* Start a check: reset @bad and the values the checks compute. */
static void blkback_check_start(struct blkback_req *req,
				struct blkback_bad *bad)
{
	memset(bad, 0, sizeof(*bad));
	bad->op = req->op;
	req->secure = false;
	req->nr_frames = 0;
	if (req->operation != BLKIF_OP_DISCARD)
		req->nr_sectors = 0;
}

/* [@start, @start + @count) must be whole logical blocks of the disk. */
static enum blkback_verdict
blkback_check_range(const struct blkback_vbd *vbd, u64 start, u64 count,
		    struct blkback_bad *bad)
{
	u64 lbs = vbd->sector_size >> XENPV_BLK_SECTOR_SHIFT;

	if ((start | count) & (lbs - 1))
		return blkback_fail(bad, BLKBACK_REQ_MISALIGNED, start, count,
				    lbs);
	if (start + count < start)
		return blkback_fail(bad, BLKBACK_REQ_WRAP, start, count, 0);
	if (start + count > vbd->sectors)
		return blkback_fail(bad, BLKBACK_REQ_BEYOND_END, start, count,
				    vbd->sectors);
	return BLKBACK_REQ_OK;
}

/* Check @req->nr_segs segments of @segs and the range they cover. */
static enum blkback_verdict
blkback_check_segs(const struct blkback_vbd *vbd, struct blkback_req *req,
		   const struct blkif_request_segment *segs,
		   struct blkback_bad *bad)
{
	unsigned int lbs = vbd->sector_size >> XENPV_BLK_SECTOR_SHIFT;
	unsigned int i, nsec;
	u64 total = 0;
	u8 first, last;

	for (i = 0; i < req->nr_segs; i++) {
		first = segs[i].first_sect;
		last = segs[i].last_sect;
		bad->seg = i;
		if (last >= XENPV_BLK_SECTORS_PER_GRANT)
			return blkback_fail(bad, BLKBACK_REQ_SEG_LAST, last, 0,
					    XENPV_BLK_SECTORS_PER_GRANT - 1);
		if (first > last)
			return blkback_fail(bad, BLKBACK_REQ_SEG_ORDER, first,
					    last, 0);
		nsec = last - first + 1;
		if (nsec & (lbs - 1))
			return blkback_fail(bad, BLKBACK_REQ_SEG_MISALIGNED,
					    nsec, 0, lbs);
		total += nsec;
	}
	bad->seg = 0;
	if (total) {
		enum blkback_verdict v;

		v = blkback_check_range(vbd, req->sector, total, bad);
		if (v != BLKBACK_REQ_OK)
			return v;
	}
	req->nr_sectors = total;
	return BLKBACK_REQ_OK;
}

/* Read, write, flush and barrier: everything is in the slot. */
static enum blkback_verdict
blkback_check_direct(const struct blkback_vbd *vbd, struct blkback_req *req,
		     struct blkback_bad *bad)
{
	bool flush = req->op == BLKIF_OP_FLUSH_DISKCACHE ||
		     req->op == BLKIF_OP_WRITE_BARRIER;

	if ((req->op == BLKIF_OP_FLUSH_DISKCACHE && !vbd->flush) ||
	    (req->op == BLKIF_OP_WRITE_BARRIER && !vbd->barrier))
		return blkback_fail(bad, BLKBACK_REQ_NOT_OFFERED, req->op, 0,
				    0);
	if (req->op != BLKIF_OP_READ && vbd->readonly)
		return blkback_fail(bad, BLKBACK_REQ_READ_ONLY, req->op, 0, 0);
	if (!req->nr_segs && !flush)
		return blkback_fail(bad, BLKBACK_REQ_NO_SEGS, 0, 0, 1);
	if (req->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return blkback_fail(bad, BLKBACK_REQ_TOO_MANY_SEGS,
				    req->nr_segs, 0,
				    BLKIF_MAX_SEGMENTS_PER_REQUEST);
	return blkback_check_segs(vbd, req, req->seg, bad);
}

static enum blkback_verdict
blkback_check_discard(const struct blkback_vbd *vbd, struct blkback_req *req,
		      struct blkback_bad *bad)
{
	enum blkback_verdict v;

	if (!vbd->discard)
		return blkback_fail(bad, BLKBACK_REQ_NOT_OFFERED, req->op, 0,
				    0);
	if (vbd->readonly)
		return blkback_fail(bad, BLKBACK_REQ_READ_ONLY, req->op, 0, 0);
	if (!req->nr_sectors)
		return blkback_fail(bad, BLKBACK_REQ_DISCARD_EMPTY, req->sector,
				    0, 0);
	v = blkback_check_range(vbd, req->sector, req->nr_sectors, bad);
	if (v != BLKBACK_REQ_OK)
		return v;
	/* blkif.h: the flag is ignored unless discard-secure is offered. */
	req->secure = (req->discard_flag & BLKIF_DISCARD_SECURE) &&
		      vbd->discard_secure;
	return BLKBACK_REQ_OK;
}

/* An indirect request's header: its segments are still in the frames. */
static enum blkback_verdict
blkback_check_indirect_hdr(const struct blkback_vbd *vbd,
			   struct blkback_req *req, struct blkback_bad *bad)
{
	unsigned int max = min_t(unsigned int, vbd->max_indirect_segs,
				 XENPV_BLK_MAX_INDIRECT_SEGS);

	if (!max)
		return blkback_fail(bad, BLKBACK_REQ_NOT_OFFERED,
				    BLKIF_OP_INDIRECT, 0, 0);
	if (req->op != BLKIF_OP_READ && req->op != BLKIF_OP_WRITE)
		return blkback_fail(bad, BLKBACK_REQ_BAD_INDIRECT_OP, req->op,
				    0, 0);
	if (req->op == BLKIF_OP_WRITE && vbd->readonly)
		return blkback_fail(bad, BLKBACK_REQ_READ_ONLY, req->op, 0, 0);
	if (!req->nr_segs)
		return blkback_fail(bad, BLKBACK_REQ_NO_SEGS, 0, 0, 1);
	if (req->nr_segs > max)
		return blkback_fail(bad, BLKBACK_REQ_TOO_MANY_SEGS,
				    req->nr_segs, 0, max);
	req->nr_frames = DIV_ROUND_UP(req->nr_segs,
				      (unsigned int)XENPV_BLK_SEGS_PER_FRAME);
	return BLKBACK_REQ_OK;
}

/**
 * blkback_check_req() - check a request copied out of the ring
 * @vbd: the device
 * @req: from blkback_get_req(); its computed fields (@nr_sectors of a
 *	read, write or flush, @secure, @nr_frames) are set on success
 * @bad: zeroed, then filled in on failure; may be NULL
 *
 * Operations: read and write with 1 to 11 segments; flush and barrier with
 * 0 to 11 (with data they write it, then flush), when offered; discard of
 * at least one sector, when offered; indirect read or write with 1 to
 * @vbd->max_indirect_segs segments in DIV_ROUND_UP(n, 512) frames.  Each
 * segment stays inside its 4 KiB frame (first_sect <= last_sect <= 7) and
 * covers whole logical blocks; the range starts on a logical block and
 * ends at or before the disk's end, without overflow.  Nothing but reads
 * on a read-only device.
 *
 * A direct request is fully checked here.  For an indirect one, map
 * @req->nr_frames frames of @req->indirect_grefs, copy the segments with
 * blkback_get_indirect_segs() and finish with
 * blkback_check_indirect_segs().
 *
 * Return: BLKBACK_REQ_OK, or the verdict to log and answer with
 * blkback_verdict_status().
 */
enum blkback_verdict blkback_check_req(const struct blkback_vbd *vbd,
				       struct blkback_req *req,
				       struct blkback_bad *bad)
{
	struct blkback_bad dummy;

	if (!bad)
		bad = &dummy;
	blkback_check_start(req, bad);
	if (WARN_ON_ONCE(!blkback_vbd_ok(vbd)))
		return blkback_fail(bad, BLKBACK_REQ_INTERNAL, 0, 0, 0);

	switch (req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		return blkback_check_direct(vbd, req, bad);
	case BLKIF_OP_DISCARD:
		return blkback_check_discard(vbd, req, bad);
	case BLKIF_OP_INDIRECT:
		return blkback_check_indirect_hdr(vbd, req, bad);
	}
	return blkback_fail(bad, BLKBACK_REQ_BAD_OP, req->operation, 0, 0);
}

/**
 * blkback_get_indirect_segs() - copy the segments out of indirect frames
 * @segs: room for @nr_segs segments; the private copy to check and use
 * @frames: the mapped indirect frames, DIV_ROUND_UP(@nr_segs, 512) of them
 * @nr_segs: the request's checked segment count
 *
 * Each frame is read exactly once, with one xenpv_copy_shared(): the
 * frontend may rewrite the frames meanwhile, the copy stays.
 */
void blkback_get_indirect_segs(struct blkif_request_segment *segs,
			       void *const *frames, unsigned int nr_segs)
{
	unsigned int done, n, f;

	if (WARN_ON_ONCE(nr_segs > XENPV_BLK_MAX_INDIRECT_SEGS))
		return;
	for (done = 0, f = 0; done < nr_segs; done += n, f++) {
		n = min_t(unsigned int, nr_segs - done,
			  XENPV_BLK_SEGS_PER_FRAME);
		xenpv_copy_shared(&segs[done], frames[f], n * sizeof(*segs));
	}
}

/**
 * blkback_check_indirect_segs() - finish checking an indirect request
 * @vbd: the device
 * @req: the request, which passed blkback_check_req(); its @nr_sectors is
 *	set on success
 * @segs: its @req->nr_segs segments, from blkback_get_indirect_segs()
 * @bad: zeroed, then filled in on failure; may be NULL
 *
 * The header is checked again, so a request that did not pass
 * blkback_check_req() cannot slip through.
 *
 * Return: BLKBACK_REQ_OK, or the verdict to log and answer.
 */
enum blkback_verdict
blkback_check_indirect_segs(const struct blkback_vbd *vbd,
			    struct blkback_req *req,
			    const struct blkif_request_segment *segs,
			    struct blkback_bad *bad)
{
	struct blkback_bad dummy;
	enum blkback_verdict v;

	if (!bad)
		bad = &dummy;
	blkback_check_start(req, bad);
	if (WARN_ON_ONCE(!blkback_vbd_ok(vbd) || !req->indirect))
		return blkback_fail(bad, BLKBACK_REQ_INTERNAL, 0, 0, 0);
	v = blkback_check_indirect_hdr(vbd, req, bad);
	if (v != BLKBACK_REQ_OK)
		return v;
	return blkback_check_segs(vbd, req, segs, bad);
}

/**
 * blkback_verdict_status() - the response status for a verdict
 * @v: the verdict
 *
 * Return: BLKIF_RSP_OKAY for BLKBACK_REQ_OK, BLKIF_RSP_EOPNOTSUPP for an
 * operation that is unknown or not offered, BLKIF_RSP_ERROR otherwise.
 */
int blkback_verdict_status(enum blkback_verdict v)
{
	switch (v) {
	case BLKBACK_REQ_OK:
		return BLKIF_RSP_OKAY;
	case BLKBACK_REQ_BAD_OP:
	case BLKBACK_REQ_NOT_OFFERED:
		return BLKIF_RSP_EOPNOTSUPP;
	default:
		return BLKIF_RSP_ERROR;
	}
}

static const char *const blkback_verdict_names[] = {
	[BLKBACK_REQ_OK]		= "ok",
	[BLKBACK_REQ_BAD_OP]		= "unknown operation",
	[BLKBACK_REQ_NOT_OFFERED]	= "operation not offered",
	[BLKBACK_REQ_BAD_INDIRECT_OP]	= "bad indirect operation",
	[BLKBACK_REQ_READ_ONLY]		= "write to a read-only device",
	[BLKBACK_REQ_NO_SEGS]		= "no segments",
	[BLKBACK_REQ_TOO_MANY_SEGS]	= "too many segments",
	[BLKBACK_REQ_SEG_LAST]		= "segment beyond its frame",
	[BLKBACK_REQ_SEG_ORDER]		= "segment first_sect after last_sect",
	[BLKBACK_REQ_SEG_MISALIGNED]	= "segment not in logical blocks",
	[BLKBACK_REQ_MISALIGNED]	= "range not on logical blocks",
	[BLKBACK_REQ_DISCARD_EMPTY]	= "empty discard",
	[BLKBACK_REQ_WRAP]		= "range overflows",
	[BLKBACK_REQ_BEYOND_END]	= "range beyond the end of the device",
	[BLKBACK_REQ_INTERNAL]		= "backend bug",
};

/**
 * blkback_verdict_str() - a verdict in a few words
 * @v: the verdict
 *
 * Return: a constant string.
 */
const char *blkback_verdict_str(enum blkback_verdict v)
{
	return XENPV_NAME(blkback_verdict_names, v);
}

static const char *blkback_op_name(unsigned int op)
{
	switch (op) {
	case BLKIF_OP_READ:
		return "read";
	case BLKIF_OP_WRITE:
		return "write";
	case BLKIF_OP_WRITE_BARRIER:
		return "barrier";
	case BLKIF_OP_FLUSH_DISKCACHE:
		return "flush";
	case BLKIF_OP_DISCARD:
		return "discard";
	case BLKIF_OP_INDIRECT:
		return "indirect";
	}
	return "operation";
}

/* The verdicts about one segment. */
static int blkback_bad_seg_str(const struct blkback_bad *b, char *buf,
			       size_t size)
{
	unsigned long long val = b->value, cnt = b->count, lim = b->limit;

	switch (b->verdict) {
	case BLKBACK_REQ_SEG_LAST:
		return snprintf(buf, size, "segment %u last_sect %llu > %llu",
				b->seg, val, lim);
	case BLKBACK_REQ_SEG_ORDER:
		return snprintf(buf, size,
				"segment %u first_sect %llu > last_sect %llu",
				b->seg, val, cnt);
	default:
		return snprintf(buf, size,
				"segment %u: %llu sectors, not a multiple of %llu",
				b->seg, val, lim);
	}
}

/**
 * blkback_bad_str() - describe a failed check in one line
 * @bad: from a check function
 * @buf: the text, NUL-terminated (truncated if @size is too small)
 * @size: room in @buf
 *
 * For a log line such as "vbd 5/51712: request 17: segment 3 last_sect 9
 * > 7", where the caller adds the first two parts.
 *
 * Return: what snprintf() returns.
 */
int blkback_bad_str(const struct blkback_bad *bad, char *buf, size_t size)
{
	const char *op = blkback_op_name(bad->op);
	unsigned long long val = bad->value, cnt = bad->count;
	unsigned long long lim = bad->limit;

	switch (bad->verdict) {
	case BLKBACK_REQ_OK:
		return snprintf(buf, size, "ok");
	case BLKBACK_REQ_BAD_OP:
		return snprintf(buf, size, "unknown operation %llu", val);
	case BLKBACK_REQ_NOT_OFFERED:
		return snprintf(buf, size, "%s not offered",
				blkback_op_name(val));
	case BLKBACK_REQ_BAD_INDIRECT_OP:
		return snprintf(buf, size,
				"indirect operation %llu is not read or write",
				val);
	case BLKBACK_REQ_READ_ONLY:
		return snprintf(buf, size, "%s on a read-only device", op);
	case BLKBACK_REQ_NO_SEGS:
		return snprintf(buf, size, "%s without segments", op);
	case BLKBACK_REQ_TOO_MANY_SEGS:
		return snprintf(buf, size, "%s with %llu segments > %llu", op,
				val, lim);
	case BLKBACK_REQ_SEG_LAST:
	case BLKBACK_REQ_SEG_ORDER:
	case BLKBACK_REQ_SEG_MISALIGNED:
		return blkback_bad_seg_str(bad, buf, size);
	case BLKBACK_REQ_MISALIGNED:
		return snprintf(buf, size,
				"%s of sectors %llu+%llu not in blocks of %llu",
				op, val, cnt, lim);
	case BLKBACK_REQ_DISCARD_EMPTY:
		return snprintf(buf, size, "discard of 0 sectors at %llu", val);
	case BLKBACK_REQ_WRAP:
		return snprintf(buf, size, "%s of sectors %llu+%llu overflows",
				op, val, cnt);
	case BLKBACK_REQ_BEYOND_END:
		return snprintf(buf, size,
				"%s of sectors %llu+%llu beyond capacity %llu",
				op, val, cnt, lim);
	case BLKBACK_REQ_INTERNAL:
		break;
	}
	return snprintf(buf, size, "%s", blkback_verdict_str(bad->verdict));
}

/**
 * blkback_plan_segs() - where each segment of a checked request goes
 * @req: a request that passed the checks
 * @segs: its segments (@req->seg, or the indirect copy)
 * @io: room for @req->nr_segs entries, filled in
 *
 * One entry per segment, in order: byte offset and length in its frame,
 * and the disk sector it starts at (each one right after the previous).
 * The caller adds them to bios in that order and starts a new bio only
 * when the current one refuses a page.
 *
 * Return: the number of entries, 0 for a flush without data (or a
 * request that did not pass the checks, which warns).
 */
unsigned int blkback_plan_segs(const struct blkback_req *req,
			       const struct blkif_request_segment *segs,
			       struct blkback_seg_io *io)
{
	u64 sector = req->sector;
	unsigned int i, nsec;

	if (WARN_ON_ONCE(!req->indirect &&
			 req->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST))
		return 0;
	for (i = 0; i < req->nr_segs; i++) {
		u8 first = segs[i].first_sect, last = segs[i].last_sect;

		if (WARN_ON_ONCE(first > last ||
				 last >= XENPV_BLK_SECTORS_PER_GRANT))
			return 0;
		nsec = last - first + 1;
		io[i].gref = segs[i].gref;
		io[i].offset = first << XENPV_BLK_SECTOR_SHIFT;
		io[i].len = nsec << XENPV_BLK_SECTOR_SHIFT;
		io[i].sector = sector;
		sector += nsec;
	}
	return req->nr_segs;
}

/* ---- Persistent grants -------------------------------------------------- */

#define BLKBACK_PGRANT_NONE	U32_MAX

enum {
	BLKBACK_PGRANT_FREE,
	BLKBACK_PGRANT_LIVE,
	BLKBACK_PGRANT_RECLAIM,
};

/* A keyed mix, so that grant numbers a frontend picks spread anyway. */
static u32 blkback_pgrant_bucket(const struct blkback_pgrant_pool *pool,
				 grant_ref_t gref)
{
	u32 h = gref ^ pool->seed;

	h ^= h >> 16;
	h *= 0x7feb352dU;
	h ^= h >> 15;
	h *= 0x846ca68bU;
	h ^= h >> 16;
	return h & pool->hash_mask;
}

static u32 blkback_pgrant_find(const struct blkback_pgrant_pool *pool,
			       grant_ref_t gref)
{
	u32 i = pool->hash[blkback_pgrant_bucket(pool, gref)];

	while (i != BLKBACK_PGRANT_NONE && pool->ent[i].gref != gref)
		i = pool->ent[i].hnext;
	return i;
}

static void blkback_pgrant_hash_del(struct blkback_pgrant_pool *pool, u32 slot)
{
	u32 *link = &pool->hash[blkback_pgrant_bucket(pool,
						    pool->ent[slot].gref)];

	while (*link != BLKBACK_PGRANT_NONE && *link != slot)
		link = &pool->ent[*link].hnext;
	if (!WARN_ON_ONCE(*link != slot))
		*link = pool->ent[slot].hnext;
	pool->ent[slot].hnext = BLKBACK_PGRANT_NONE;
}

static void blkback_pgrant_lru_del(struct blkback_pgrant_pool *pool, u32 slot)
{
	struct blkback_pgrant *e = &pool->ent[slot];

	if (e->prev != BLKBACK_PGRANT_NONE)
		pool->ent[e->prev].next = e->next;
	else
		pool->lru_head = e->next;
	if (e->next != BLKBACK_PGRANT_NONE)
		pool->ent[e->next].prev = e->prev;
	else
		pool->lru_tail = e->prev;
	e->prev = BLKBACK_PGRANT_NONE;
	e->next = BLKBACK_PGRANT_NONE;
	pool->nr_lru--;
}

static void blkback_pgrant_lru_add(struct blkback_pgrant_pool *pool, u32 slot)
{
	struct blkback_pgrant *e = &pool->ent[slot];

	e->prev = pool->lru_tail;
	e->next = BLKBACK_PGRANT_NONE;
	if (pool->lru_tail != BLKBACK_PGRANT_NONE)
		pool->ent[pool->lru_tail].next = slot;
	else
		pool->lru_head = slot;
	pool->lru_tail = slot;
	pool->nr_lru++;
}

static void blkback_pgrant_free_slot(struct blkback_pgrant_pool *pool, u32 slot)
{
	struct blkback_pgrant *e = &pool->ent[slot];

	*e = (struct blkback_pgrant) {
		.hnext = BLKBACK_PGRANT_NONE,
		.prev = BLKBACK_PGRANT_NONE,
		.next = pool->free_head,
		.state = BLKBACK_PGRANT_FREE,
	};
	pool->free_head = slot;
}

/**
 * blkback_pgrant_init() - set up an empty persistent grant pool
 * @pool: the pool
 * @capacity: most grants kept mapped (max_persistent_grants); 0 makes a
 *	pool that never holds any
 * @seed: hash key, get_random_u32() in the kernel
 * @gfp: allocation flags
 *
 * Return: 0, -EINVAL above BLKBACK_MAX_PGRANT, or -ENOMEM.
 */
int blkback_pgrant_init(struct blkback_pgrant_pool *pool, unsigned int capacity,
			u32 seed, gfp_t gfp)
{
	unsigned int buckets = 1, i;

	memset(pool, 0, sizeof(*pool));
	if (capacity > BLKBACK_MAX_PGRANT)
		return -EINVAL;
	while (buckets < capacity)
		buckets <<= 1;
	pool->ent = kcalloc(capacity ? capacity : 1, sizeof(*pool->ent), gfp);
	pool->hash = kcalloc(buckets, sizeof(*pool->hash), gfp);
	if (!pool->ent || !pool->hash) {
		blkback_pgrant_destroy(pool);
		return -ENOMEM;
	}
	pool->capacity = capacity;
	pool->hash_mask = buckets - 1;
	pool->seed = seed;
	pool->free_head = BLKBACK_PGRANT_NONE;
	pool->lru_head = BLKBACK_PGRANT_NONE;
	pool->lru_tail = BLKBACK_PGRANT_NONE;
	for (i = 0; i < buckets; i++)
		pool->hash[i] = BLKBACK_PGRANT_NONE;
	for (i = capacity; i-- > 0;)
		blkback_pgrant_free_slot(pool, i);
	return 0;
}

/**
 * blkback_pgrant_destroy() - free what blkback_pgrant_init() allocated
 * @pool: the pool; may be zeroed or already destroyed
 *
 * Every grant must have been reclaimed and released (unmapped) before:
 * one still there is a leaked mapping, and warns.
 */
void blkback_pgrant_destroy(struct blkback_pgrant_pool *pool)
{
	WARN_ON_ONCE(pool->nr_live || pool->nr_reclaim);
	kfree(pool->ent);
	kfree(pool->hash);
	memset(pool, 0, sizeof(*pool));
}

/**
 * blkback_pgrant_get() - find a mapped grant and pin it
 * @pool: the ring's pool
 * @gref: the grant a segment names
 *
 * A pinned grant is never reclaimed.  The same grant may be pinned by
 * several segments or requests at once; each pin needs its
 * blkback_pgrant_put().
 *
 * Context: the ring's lock is held.
 * Return: the slot, -ENOENT if @gref is not mapped persistently, or
 * -EOVERFLOW (a backend bug, it warns) if it is pinned 2^32 - 1 times.
 * On any error map the grant the ordinary way.
 */
int blkback_pgrant_get(struct blkback_pgrant_pool *pool, grant_ref_t gref)
{
	struct blkback_pgrant *e;
	u32 slot;

	if (!pool->nr_live)
		return -ENOENT;
	slot = blkback_pgrant_find(pool, gref);
	if (slot == BLKBACK_PGRANT_NONE)
		return -ENOENT;
	e = &pool->ent[slot];
	if (WARN_ON_ONCE(e->pins == U32_MAX))
		return -EOVERFLOW;
	if (!e->pins++)
		blkback_pgrant_lru_del(pool, slot);
	return slot;
}

/**
 * blkback_pgrant_add() - take a free slot for a grant about to be mapped
 * @pool: the ring's pool
 * @gref: the grant
 *
 * The new entry is pinned once.  Map the grant into the slot; if that
 * fails, give the slot back with blkback_pgrant_abort().  When the pool is
 * full, map the grant the ordinary way for this request and reclaim (the
 * pool never grows past its capacity, whatever the frontend sends).
 *
 * Context: the ring's lock is held.
 * Return: the slot, -EEXIST if @gref is already in the pool (use
 * blkback_pgrant_get()), or -ENOSPC if no slot is free.
 */
int blkback_pgrant_add(struct blkback_pgrant_pool *pool, grant_ref_t gref)
{
	u32 bucket = blkback_pgrant_bucket(pool, gref);
	struct blkback_pgrant *e;
	u32 slot;

	if (blkback_pgrant_find(pool, gref) != BLKBACK_PGRANT_NONE)
		return -EEXIST;
	slot = pool->free_head;
	if (slot == BLKBACK_PGRANT_NONE)
		return -ENOSPC;
	e = &pool->ent[slot];
	pool->free_head = e->next;
	*e = (struct blkback_pgrant) {
		.gref = gref,
		.hnext = pool->hash[bucket],
		.prev = BLKBACK_PGRANT_NONE,
		.next = BLKBACK_PGRANT_NONE,
		.pins = 1,
		.state = BLKBACK_PGRANT_LIVE,
	};
	pool->hash[bucket] = slot;
	pool->nr_live++;
	return slot;
}

static struct blkback_pgrant *blkback_pgrant_live(struct blkback_pgrant_pool *pool,
						  unsigned int slot)
{
	if (WARN_ON_ONCE(slot >= pool->capacity ||
			 pool->ent[slot].state != BLKBACK_PGRANT_LIVE ||
			 !pool->ent[slot].pins))
		return NULL;
	return &pool->ent[slot];
}

/**
 * blkback_pgrant_abort() - give back a slot whose grant could not be mapped
 * @pool: the ring's pool
 * @slot: from blkback_pgrant_add(), still pinned only by its adder
 *
 * Context: the ring's lock is held.
 */
void blkback_pgrant_abort(struct blkback_pgrant_pool *pool, unsigned int slot)
{
	struct blkback_pgrant *e = blkback_pgrant_live(pool, slot);

	if (!e || WARN_ON_ONCE(e->pins != 1))
		return;
	blkback_pgrant_hash_del(pool, slot);
	pool->nr_live--;
	blkback_pgrant_free_slot(pool, slot);
}

/**
 * blkback_pgrant_put() - drop one pin of a grant
 * @pool: the ring's pool
 * @slot: from blkback_pgrant_get() or blkback_pgrant_add()
 * @now: the caller's clock (jiffies), to tell idle grants
 *
 * When the last pin goes, the grant becomes the most recently used
 * unpinned one, a candidate for blkback_pgrant_reclaim().  A bad slot or a
 * put without a pin is a backend bug and warns.
 *
 * Context: the ring's lock is held.
 */
void blkback_pgrant_put(struct blkback_pgrant_pool *pool, unsigned int slot,
			unsigned long now)
{
	struct blkback_pgrant *e = blkback_pgrant_live(pool, slot);

	if (!e || --e->pins)
		return;
	e->last_used = now;
	blkback_pgrant_lru_add(pool, slot);
}

/**
 * blkback_pgrant_reclaim() - pick unpinned grants to unmap
 * @pool: the ring's pool
 * @max: most grants to pick
 * @now: the caller's clock, as given to blkback_pgrant_put()
 * @min_idle: pick only grants unpinned for at least this long: 0 when the
 *	pool is full, the idle timeout for a periodic clean-up
 * @slots: room for @max slots, filled in
 *
 * Least recently used first; pinned grants are never picked.  The picked
 * grants are no longer found by blkback_pgrant_get(), but their slots stay
 * taken until the caller has unmapped each and called
 * blkback_pgrant_release().
 *
 * Context: the ring's lock is held.
 * Return: the number of slots written to @slots.
 */
unsigned int blkback_pgrant_reclaim(struct blkback_pgrant_pool *pool,
				    unsigned int max, unsigned long now,
				  unsigned long min_idle, u32 *slots)
{
	unsigned int n = 0;
	u32 slot;

	while (n < max && pool->lru_head != BLKBACK_PGRANT_NONE) {
		slot = pool->lru_head;
		if (now - pool->ent[slot].last_used < min_idle)
			break;
		blkback_pgrant_lru_del(pool, slot);
		blkback_pgrant_hash_del(pool, slot);
		pool->ent[slot].state = BLKBACK_PGRANT_RECLAIM;
		pool->nr_live--;
		pool->nr_reclaim++;
		slots[n++] = slot;
	}
	return n;
}

/**
 * blkback_pgrant_release() - free a reclaimed slot once it is unmapped
 * @pool: the ring's pool
 * @slot: from blkback_pgrant_reclaim()
 *
 * Context: the ring's lock is held.
 */
void blkback_pgrant_release(struct blkback_pgrant_pool *pool, unsigned int slot)
{
	if (WARN_ON_ONCE(slot >= pool->capacity ||
			 pool->ent[slot].state != BLKBACK_PGRANT_RECLAIM))
		return;
	pool->nr_reclaim--;
	blkback_pgrant_free_slot(pool, slot);
}

/**
 * blkback_pgrant_nr_free() - slots blkback_pgrant_add() can still take
 * @pool: the ring's pool
 *
 * Return: the count.
 */
unsigned int blkback_pgrant_nr_free(const struct blkback_pgrant_pool *pool)
{
	return pool->capacity - pool->nr_live - pool->nr_reclaim;
}

/* ---- The frontend's xenstore keys ---------------------------------------- */

/*
 * The keys at the top of the frontend's directory, in the order of &enum
 * blkback_xs_key (test_xs checks it); each ring's own (event-channel,
 * ring-ref*) are named by blkback_xs_rkey().  num-ring-pages is the older
 * name of the ring's size, in pages rather than their log2.
 */
const char *const blkback_xs_names[BLKBACK_XS_NR] = {
	XENPV_BLK_KEY_PROTOCOL,
	XENPV_BLK_KEY_NUM_QUEUES,
	XENPV_BLK_KEY_RING_ORDER,
	XENPV_BLK_KEY_NUM_RING_PAGES,
	XENPV_BLK_KEY_PERSISTENT,
};

/* Key @k as a number in [@min, @max], @def if absent; blames @k. */
static int blkback_xs_num(const struct xenpv_xs_vals *xs,
			  enum blkback_xs_key k, u64 def, u64 min, u64 max,
			  u64 *val, enum blkback_xs_key *bad)
{
	int ret;

	*bad = k;
	if (!xs->val[k]) {
		*val = def;
		return 0;
	}
	ret = xenpv_parse_u64(xs->val[k], val);
	if (!ret && (*val < min || *val > max))
		ret = -ERANGE;
	return ret;
}

/* ring-page-order, or the older num-ring-pages; both must agree. */
static int blkback_xs_ring_order(const struct xenpv_xs_vals *xs,
				 unsigned int max_order,
				 struct blkback_conn *c,
				 enum blkback_xs_key *bad)
{
	u64 order, pages;
	int ret;

	ret = blkback_xs_num(xs, BLKBACK_XS_RING_ORDER, 0, 0, max_order,
			     &order, bad);
	if (ret)
		return ret;
	ret = blkback_xs_num(xs, BLKBACK_XS_NUM_RING_PAGES, 1ULL << order, 1,
			     1U << max_order, &pages, bad);
	if (ret)
		return ret;
	if (!is_power_of_2(pages))
		return -EINVAL;
	if (xs->val[BLKBACK_XS_RING_ORDER] && pages != 1ULL << order)
		return -EINVAL;
	c->ring_order = ilog2(pages);
	c->nr_ring_pages = pages;
	return 0;
}

/**
 * blkback_parse_connect() - parse the frontend's top-level keys
 * @xs: the values read from the frontend's directory, NULL if absent
 * @lim: the backend's limits
 * @c: filled in on success, zeroed on failure
 * @bad: on failure, the key at fault (BLKBACK_XS_NR if @lim is bad)
 *
 * "protocol": see blkback_parse_protocol().  "multi-queue-num-queues":
 * 1 (the default) to @lim->max_rings.  "ring-page-order": 0 (the
 * default) to @lim->max_ring_order; "num-ring-pages", if present, a power
 * of two within the same limit and equal to 2^ring-page-order when both
 * are there.  "feature-persistent": "0" or "1", "0" if absent.  Numbers
 * are parsed strictly (xenpv_parse_u64()).
 *
 * The per-queue keys come next: blkback_xs_rkey() names them,
 * blkback_parse_ring() parses them.
 *
 * Return: 0; -EINVAL for a malformed value or an unknown protocol;
 * -ERANGE for a number out of range.
 */
int blkback_parse_connect(const struct xenpv_xs_vals *xs,
			  const struct blkback_offers *lim,
			  struct blkback_conn *c, enum blkback_xs_key *bad)
{
	unsigned int max_order = min_t(unsigned int, lim->max_ring_order,
				       XENPV_BLK_MAX_RING_ORDER);
	u64 v;
	int ret;

	memset(c, 0, sizeof(*c));
	*bad = BLKBACK_XS_NR;
	if (WARN_ON_ONCE(!lim->max_rings))
		return -EINVAL;

	*bad = BLKBACK_XS_PROTOCOL;
	ret = blkback_parse_protocol(xs->val[BLKBACK_XS_PROTOCOL], &c->abi);
	if (!ret)
		ret = blkback_xs_num(xs, BLKBACK_XS_NUM_QUEUES, 1, 1,
				     lim->max_rings, &v, bad);
	if (!ret) {
		c->nr_rings = v;
		ret = blkback_xs_ring_order(xs, max_order, c, bad);
	}
	if (!ret)
		ret = blkback_xs_num(xs, BLKBACK_XS_PERSISTENT, 0, 0, 1, &v,
				     bad);
	if (ret == -ERANGE && *bad == BLKBACK_XS_PERSISTENT)
		ret = -EINVAL;
	if (ret) {
		memset(c, 0, sizeof(*c));
		return ret;
	}
	c->persistent = v && lim->persistent;
	c->ring_size = blkback_ring_size(c->abi, c->ring_order);
	return 0;
}

/**
 * blkback_xs_rkey() - path of a per-queue key under the frontend's node
 * @c: the connection, from blkback_parse_connect()
 * @queue: the queue, below @c->nr_rings
 * @key: which key
 * @idx: the N of ring-refN (BLKBACK_RK_RING_REFN only)
 * @buf: the path, NUL-terminated
 * @size: room in @buf (32 bytes is always enough)
 *
 * One queue uses the top-level keys ("event-channel", "ring-ref"); more
 * use "queue-N/event-channel" and so on, as Xen's blkif.h specifies.  For
 * a one-frame ring read both "ring-ref" and "ring-ref0" (frontends that
 * write ring-page-order = 0 use the latter); for a larger ring read
 * "ring-ref0" to "ring-ref<nr_ring_pages - 1>".
 *
 * Return: the path's length, -EINVAL for a queue or index out of range,
 * -ENAMETOOLONG if @buf is too small.
 */
int blkback_xs_rkey(const struct blkback_conn *c, unsigned int queue,
		    enum blkback_rkey key, unsigned int idx,
		    char *buf, size_t size)
{
	char name[24];
	int n;

	if (queue >= c->nr_rings)
		return -EINVAL;
	switch (key) {
	case BLKBACK_RK_EVTCHN:
		snprintf(name, sizeof(name), XENPV_BLK_KEY_EVTCHN);
		break;
	case BLKBACK_RK_RING_REF:
		snprintf(name, sizeof(name), XENPV_BLK_KEY_RING_REF);
		break;
	case BLKBACK_RK_RING_REFN:
		if (idx >= XENPV_BLK_MAX_RING_PAGES)
			return -EINVAL;
		snprintf(name, sizeof(name), "ring-ref%u", idx);
		break;
	default:
		return -EINVAL;
	}
	if (c->nr_rings > 1)
		n = snprintf(buf, size, "queue-%u/%s", queue, name);
	else
		n = snprintf(buf, size, "%s", name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return n;
}

/* A grant reference or event channel key; blames @key/@idx. */
static int blkback_xs_u32(const char *s, enum blkback_rkey key,
			  unsigned int idx, u32 *val, struct blkback_rbad *bad)
{
	bad->key = key;
	bad->idx = idx;
	if (!s)
		return -ENOENT;
	return xenpv_parse_u32(s, val);
}

static int blkback_xs_ring_refs(const struct blkback_conn *c,
				const struct blkback_ring_xs *xs,
				struct blkback_ring_cfg *q,
				struct blkback_rbad *bad)
{
	unsigned int i;
	int ret;

	if (c->nr_ring_pages == 1 && (xs->ring_ref || !xs->ring_refn[0]))
		return blkback_xs_u32(xs->ring_ref, BLKBACK_RK_RING_REF, 0,
				      &q->ring_refs[0], bad);
	for (i = 0; i < c->nr_ring_pages; i++) {
		ret = blkback_xs_u32(xs->ring_refn[i], BLKBACK_RK_RING_REFN, i,
				     &q->ring_refs[i], bad);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * blkback_parse_ring() - parse one queue's transport keys
 * @c: the connection, from blkback_parse_connect()
 * @xs: the queue's values (see blkback_xs_rkey() for which to read)
 * @q: filled in on success, zeroed on failure
 * @bad: on failure, the key at fault
 *
 * "event-channel": a port number, not 0 (Xen never hands out port 0).
 * Ring grants: "ring-ref" for a one-frame ring, else (or if "ring-ref" is
 * absent) "ring-ref0" and up, one per frame; any 32-bit value.
 *
 * Return: 0; -ENOENT for a missing key; -EINVAL for a malformed value;
 * -ERANGE for a number out of range.
 */
int blkback_parse_ring(const struct blkback_conn *c,
		       const struct blkback_ring_xs *xs,
			struct blkback_ring_cfg *q, struct blkback_rbad *bad)
{
	u32 port = 0;
	int ret;

	memset(q, 0, sizeof(*q));
	memset(bad, 0, sizeof(*bad));
	if (WARN_ON_ONCE(!c->nr_ring_pages ||
			 c->nr_ring_pages > XENPV_BLK_MAX_RING_PAGES))
		return -EINVAL;

	ret = blkback_xs_u32(xs->evtchn, BLKBACK_RK_EVTCHN, 0, &port, bad);
	if (!ret && !port)
		ret = -ERANGE;
	if (!ret)
		ret = blkback_xs_ring_refs(c, xs, q, bad);
	if (ret) {
		memset(q, 0, sizeof(*q));
		return ret;
	}
	q->evtchn = port;
	q->nr_ring_refs = c->nr_ring_pages;
	return 0;
}
