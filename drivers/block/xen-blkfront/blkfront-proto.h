/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Protocol core of the Xen PV block frontend.
 *
 * Everything here is pure logic over the blkif wire format: no hypercalls,
 * no xenbus, no blk-mq.  The same source compiles into the kernel module,
 * into the userspace tests under tools/testing/blkfront/ and into a
 * libFuzzer target.  Locking is the caller's: the functions that change an
 * object (an id table) expect the lock of the ring that owns it to be held.
 *
 * Units: blkif counts in 512-byte sectors and 4 KiB grant frames, whatever
 * the guest's page size or the disk's logical block size.
 */
#ifndef _XEN_BLKFRONT_PROTO_H
#define _XEN_BLKFRONT_PROTO_H

#include <linux/bits.h>
#include <linux/types.h>
#include <xen/interface/io/blkif.h>
#include <xenpv/blkif.h>
#include <xenpv/core.h>

/* Guest page sizes the segment mapper accepts: 4 KiB to 64 KiB. */
#define BLKFRONT_MIN_PAGE_SHIFT		12
#define BLKFRONT_MAX_PAGE_SHIFT		16

/* ---- The device's states -------------------------------------------------- */

/**
 * enum blkfront_state - where a device is in its life
 * @BF_WAIT_BACKEND: probed or resumed, waiting for the backend's InitWait
 * @BF_INITIALISED: rings are set up and published, waiting for Connected
 * @BF_CONNECTED: the disk takes I/O
 * @BF_BROKEN: the backend broke the protocol; every request fails
 * @BF_CLOSED: disconnected, nothing left but the xenbus device
 * @BF_NR_STATES: number of states
 *
 * One transition function, blkfront_set_state(), checks each change
 * against blkfront_states (blkfront-proto.c) and logs it.
 */
enum blkfront_state {
	BF_WAIT_BACKEND,
	BF_INITIALISED,
	BF_CONNECTED,
	BF_BROKEN,
	BF_CLOSED,
	BF_NR_STATES
};

extern const struct xenpv_states blkfront_states;

/**
 * enum blkfront_stat - one ring's counters (blkfront_stat_desc[])
 * @BLKFRONT_STAT_REQS: requests put on the ring
 * @BLKFRONT_STAT_RING_FULL: times the ring was full and a hardware queue
 *	stopped
 * @BLKFRONT_STAT_NOTIFY: notifications sent to the backend
 * @BLKFRONT_STAT_IRQS: interrupts taken
 * @BLKFRONT_STAT_SPURIOUS: interrupts that found no response
 * @BLKFRONT_STAT_SPLIT: requests cut into several ring requests (made for
 *	a larger limit than the connection's)
 * @BLKFRONT_NR_STATS: number of counters
 */
enum blkfront_stat {
	BLKFRONT_STAT_REQS,
	BLKFRONT_STAT_RING_FULL,
	BLKFRONT_STAT_NOTIFY,
	BLKFRONT_STAT_IRQS,
	BLKFRONT_STAT_SPURIOUS,
	BLKFRONT_STAT_SPLIT,
	BLKFRONT_NR_STATS
};

extern const struct xenpv_stat blkfront_stat_desc[BLKFRONT_NR_STATS];

/* ---- Request to segment mapping ---------------------------------------- */

/**
 * struct blkfront_chunk - one piece of a request's data
 * @offset: byte offset of the data in its guest page
 * @len: length in bytes; @offset and @len are multiples of 512 and the
 *	piece does not cross the end of its guest page
 */
struct blkfront_chunk {
	unsigned int offset;
	unsigned int len;
};

/**
 * struct blkfront_seg - one blkif segment, before grant references exist
 * @chunk: index of the chunk the segment belongs to
 * @frame: 4 KiB grant frame of the chunk's guest page that holds the data
 *	(0 unless guest pages are larger than grant frames)
 * @first_sect: first 512-byte sector in the frame (inclusive)
 * @last_sect: last 512-byte sector in the frame (inclusive)
 *
 * Segment i of a request always uses data grant slot i.
 */
struct blkfront_seg {
	u32 chunk;
	u16 frame;
	u8 first_sect;
	u8 last_sect;
};

/**
 * struct blkfront_layout - how a request goes on the ring
 * @nr_segs: data segments, one data grant each
 * @nr_sectors: 512-byte sectors the segments cover
 * @nr_indirect: indirect frames (0 for a direct request)
 * @nr_grants: grants the request needs: @nr_segs + @nr_indirect
 * @indirect: the request is a BLKIF_OP_INDIRECT one
 */
struct blkfront_layout {
	unsigned int nr_segs;
	unsigned int nr_sectors;
	unsigned int nr_indirect;
	unsigned int nr_grants;
	bool indirect;
};

/**
 * struct blkfront_geom - what the mapper needs to know about the device
 * @page_shift: the guest's PAGE_SHIFT
 * @max_indirect_segs: negotiated indirect limit, 0 without indirect
 */
struct blkfront_geom {
	unsigned int page_shift;
	unsigned int max_indirect_segs;
};

/**
 * struct blkfront_io - a read, write or flush ready to be encoded
 * @op: BLKIF_OP_READ, _WRITE, _FLUSH_DISKCACHE or _WRITE_BARRIER
 * @handle: the virtual device's handle
 * @id: ring id, echoed in the response
 * @sector: first 512-byte sector on the disk
 * @lay: layout from blkfront_map_chunks() or blkfront_layout_for()
 * @segs: @lay.nr_segs segments
 * @grefs: @lay.nr_grants grants: the data grants by slot, then the grants
 *	of the indirect frames
 */
struct blkfront_io {
	u8 op;
	u16 handle;
	u64 id;
	u64 sector;
	struct blkfront_layout lay;
	const struct blkfront_seg *segs;
	const grant_ref_t *grefs;
};

unsigned int blkfront_max_segs(unsigned int max_indirect_segs);
int blkfront_layout_for(unsigned int nr_segs, unsigned int nr_sectors,
			unsigned int max_indirect_segs,
			struct blkfront_layout *lay);
int blkfront_map_chunks(const struct blkfront_geom *geom,
			const struct blkfront_chunk *chunks,
			unsigned int nr_chunks, struct blkfront_seg *segs,
			struct blkfront_layout *lay);
int blkfront_encode_rw(struct blkif_request *req,
		       const struct blkfront_io *io,
		       struct blkif_request_segment *const *ind_frames);
int blkfront_encode_discard(struct blkif_request *req, u64 id, u64 sector,
			    u64 nr_sectors, bool secure);

/**
 * struct blkfront_part - a slice of a request that fits one ring slot
 * @first_seg: first segment of the slice
 * @nr_segs: segments in the slice
 * @sector_off: 512-byte sectors from the request's start to the slice's
 * @nr_sectors: 512-byte sectors in the slice
 */
struct blkfront_part {
	unsigned int first_seg;
	unsigned int nr_segs;
	unsigned int sector_off;
	unsigned int nr_sectors;
};

int blkfront_split_next(const struct blkfront_seg *segs, unsigned int nr_segs,
			unsigned int max_per_part, unsigned int align,
			struct blkfront_part *part);
int blkfront_split(const struct blkfront_seg *segs, unsigned int nr_segs,
		   unsigned int max_per_part, unsigned int align,
		   struct blkfront_part *parts, unsigned int max_parts);

/* ---- Rings and their request ids ----------------------------------------- */

/*
 * A ring's request ids are a &struct xenpv_ids (<xenpv/core.h>), sized to
 * the ring's slots; this flag is kept with an indirect request's id.
 */
#define BLKFRONT_ID_INDIRECT	BIT(0)

unsigned int blkfront_ring_size(unsigned int order);

/* ---- Responses -------------------------------------------------------------- */

/**
 * enum blkfront_verdict - what a response check found
 * @BLKFRONT_RSP_OK: nothing wrong
 * @BLKFRONT_RSP_PROD_BACKWARDS: rsp_prod moved back behind rsp_cons
 * @BLKFRONT_RSP_PROD_OVERRUN: rsp_prod is more than a ring ahead of rsp_cons
 * @BLKFRONT_RSP_PROD_UNASKED: more responses than requests outstanding
 * @BLKFRONT_RSP_BAD_ID: id beyond the ring
 * @BLKFRONT_RSP_STALE_ID: id not in flight
 * @BLKFRONT_RSP_BAD_OP: operation differs from the request's
 * @BLKFRONT_RSP_BAD_STATUS: status is not one of BLKIF_RSP_*
 *
 * Anything but BLKFRONT_RSP_OK is a protocol violation by the backend: log
 * blkfront_verdict_str() once and stop using the device.  The producer
 * verdicts are the values of &enum xenpv_prod_verdict, the id ones those
 * of &enum xenpv_id_verdict after them.
 */
enum blkfront_verdict {
	BLKFRONT_RSP_OK,
	BLKFRONT_RSP_PROD_BACKWARDS,
	BLKFRONT_RSP_PROD_OVERRUN,
	BLKFRONT_RSP_PROD_UNASKED,
	BLKFRONT_RSP_BAD_ID,
	BLKFRONT_RSP_STALE_ID,
	BLKFRONT_RSP_BAD_OP,
	BLKFRONT_RSP_BAD_STATUS,
};

/**
 * struct blkfront_done - a validated response
 * @id: the request's ring id, now free again
 * @op: the request's operation (the indirect op for an indirect request)
 * @indirect: the request was an indirect one
 * @error: 0, -EIO or -EOPNOTSUPP
 * @priv: the pointer given to xenpv_id_get()
 */
struct blkfront_done {
	unsigned int id;
	u8 op;
	bool indirect;
	int error;
	void *priv;
};

const char *blkfront_verdict_str(enum blkfront_verdict v);
enum blkfront_verdict blkfront_check_rsp_prod(RING_IDX rsp_prod,
					      RING_IDX rsp_cons,
					      unsigned int ring_size,
					      unsigned int outstanding);
enum blkfront_verdict blkfront_check_rsp(const struct xenpv_ids *ids,
					 const struct blkif_response *rsp,
					 int *error);
enum blkfront_verdict blkfront_complete_rsp(struct xenpv_ids *ids,
					    const struct blkif_response *rsp,
					    struct blkfront_done *done);
enum blkfront_verdict blkfront_rsp_avail(const struct blkif_front_ring *front,
					 const struct xenpv_ids *ids,
					 RING_IDX *prod);
enum blkfront_verdict blkfront_rsp_take(struct blkif_front_ring *front,
					struct xenpv_ids *ids,
					struct blkfront_done *done);
bool blkfront_rsp_more(struct blkif_front_ring *front);

/* ---- Feature negotiation --------------------------------------------------- */

/**
 * enum blkfront_xs_key - the backend's xenstore keys the frontend reads
 * @BLKFRONT_XS_MAX_QUEUES: multi-queue-max-queues
 * @BLKFRONT_XS_MAX_RING_ORDER: max-ring-page-order
 * @BLKFRONT_XS_MAX_RING_PAGES: max-ring-pages (the older scheme)
 * @BLKFRONT_XS_MAX_INDIRECT: feature-max-indirect-segments
 * @BLKFRONT_XS_PERSISTENT: feature-persistent
 * @BLKFRONT_XS_FLUSH: feature-flush-cache
 * @BLKFRONT_XS_BARRIER: feature-barrier
 * @BLKFRONT_XS_DISCARD: feature-discard
 * @BLKFRONT_XS_DISCARD_GRAN: discard-granularity
 * @BLKFRONT_XS_DISCARD_ALIGN: discard-alignment
 * @BLKFRONT_XS_DISCARD_SECURE: discard-secure
 * @BLKFRONT_XS_SECTOR_SIZE: sector-size
 * @BLKFRONT_XS_PHYS_SECTOR_SIZE: physical-sector-size
 * @BLKFRONT_XS_SECTORS: sectors
 * @BLKFRONT_XS_INFO: info
 * @BLKFRONT_XS_NR: number of keys
 */
enum blkfront_xs_key {
	BLKFRONT_XS_MAX_QUEUES,
	BLKFRONT_XS_MAX_RING_ORDER,
	BLKFRONT_XS_MAX_RING_PAGES,
	BLKFRONT_XS_MAX_INDIRECT,
	BLKFRONT_XS_PERSISTENT,
	BLKFRONT_XS_FLUSH,
	BLKFRONT_XS_BARRIER,
	BLKFRONT_XS_DISCARD,
	BLKFRONT_XS_DISCARD_GRAN,
	BLKFRONT_XS_DISCARD_ALIGN,
	BLKFRONT_XS_DISCARD_SECURE,
	BLKFRONT_XS_SECTOR_SIZE,
	BLKFRONT_XS_PHYS_SECTOR_SIZE,
	BLKFRONT_XS_SECTORS,
	BLKFRONT_XS_INFO,
	BLKFRONT_XS_NR
};

extern const char *const blkfront_xs_names[BLKFRONT_XS_NR];

static_assert(BLKFRONT_XS_NR <= XENPV_XS_MAX_KEYS);

/**
 * struct blkfront_wants - the frontend's side of the negotiation
 * @nr_cpus: online CPUs; more queues than that buy nothing
 * @max_rings: module parameter max_queues, 0 for one ring per CPU
 * @max_ring_order: module parameter, capped at XENPV_BLK_MAX_RING_ORDER
 * @max_indirect_segs: module parameter, 0 to never use indirect requests
 * @max_sector_size: largest logical block the block layer takes (PAGE_SIZE)
 * @persistent: module parameter, use persistent grants if offered
 */
struct blkfront_wants {
	unsigned int nr_cpus;
	unsigned int max_rings;
	unsigned int max_ring_order;
	unsigned int max_indirect_segs;
	unsigned int max_sector_size;
	bool persistent;
};

/**
 * struct blkfront_params - the negotiated settings of one connection
 * @nr_rings: rings to set up, at least 1
 * @ring_order: log2 of each ring's grant frames
 * @ring_size: slots per ring
 * @legacy_ring_pages: the backend only knows max-ring-pages, so tell it
 *	num-ring-pages as well as ring-page-order
 * @max_indirect_segs: segments per indirect request, 0 without indirect
 * @max_segs: segments per request, @max_indirect_segs or 11
 * @persistent: both ends want persistent grants
 * @flush: the disk has a cache to flush
 * @flush_op: BLKIF_OP_FLUSH_DISKCACHE or BLKIF_OP_WRITE_BARRIER
 * @fua: FUA writes go out as BLKIF_OP_WRITE_BARRIER
 * @discard: BLKIF_OP_DISCARD works
 * @discard_secure: BLKIF_DISCARD_SECURE works
 * @discard_granularity: bytes, a multiple of @sector_size
 * @discard_alignment: bytes, a multiple of @sector_size below the granularity
 * @sector_size: logical block size in bytes
 * @physical_sector_size: physical block size in bytes
 * @sectors: capacity in 512-byte sectors, whole logical blocks
 * @info: VDISK_* flags
 */
struct blkfront_params {
	unsigned int nr_rings;
	unsigned int ring_order;
	unsigned int ring_size;
	bool legacy_ring_pages;
	unsigned int max_indirect_segs;
	unsigned int max_segs;
	bool persistent;
	bool flush;
	u8 flush_op;
	bool fua;
	bool discard;
	bool discard_secure;
	u32 discard_granularity;
	u32 discard_alignment;
	u32 sector_size;
	u32 physical_sector_size;
	u64 sectors;
	u32 info;
};

int blkfront_parse_sectors(const char *s, u32 sector_size, u64 *sectors);
int blkfront_negotiate_rings(const struct xenpv_xs_vals *be,
			     const struct blkfront_wants *fe,
			     struct blkfront_params *p,
			     enum blkfront_xs_key *bad);
int blkfront_negotiate(const struct xenpv_xs_vals *be,
		       const struct blkfront_wants *fe,
		       struct blkfront_params *p, enum blkfront_xs_key *bad);
const char *blkfront_params_changed(const struct blkfront_params *old,
				    const struct blkfront_params *now);

/* ---- Recovery after resume or migration ------------------------------------ */

/**
 * enum blkfront_req_kind - what a request asks for, apart from the wire op
 * @BLKFRONT_REQ_READ: read data
 * @BLKFRONT_REQ_WRITE: write data, maybe with BLKFRONT_REQ_FUA
 * @BLKFRONT_REQ_FLUSH: flush the disk's cache, no data
 * @BLKFRONT_REQ_DISCARD: discard sectors, maybe with BLKFRONT_REQ_SECURE
 */
enum blkfront_req_kind {
	BLKFRONT_REQ_READ,
	BLKFRONT_REQ_WRITE,
	BLKFRONT_REQ_FLUSH,
	BLKFRONT_REQ_DISCARD,
};

#define BLKFRONT_REQ_FUA	BIT(0)
#define BLKFRONT_REQ_SECURE	BIT(1)

/**
 * struct blkfront_inflight - a request that was on the old rings
 * @kind: what it asks for
 * @flags: BLKFRONT_REQ_FUA, BLKFRONT_REQ_SECURE
 * @nr_segs: data segments it needs (0 for flush and discard)
 * @segs: its @nr_segs segments, as blkfront_map_chunks() made them
 * @ring: the ring it was on
 */
struct blkfront_inflight {
	enum blkfront_req_kind kind;
	unsigned int flags;
	unsigned int nr_segs;
	const struct blkfront_seg *segs;
	unsigned int ring;
};

/**
 * enum blkfront_recover_action - what to do with an in-flight request
 * @BLKFRONT_RECOVER_RESEND: send it again as one ring request
 * @BLKFRONT_RECOVER_SPLIT: send it as several parts (blkfront_split())
 * @BLKFRONT_RECOVER_FAIL: the new backend cannot do it; complete it with
 *	the step's error
 */
enum blkfront_recover_action {
	BLKFRONT_RECOVER_RESEND,
	BLKFRONT_RECOVER_SPLIT,
	BLKFRONT_RECOVER_FAIL,
};

/**
 * struct blkfront_recover_step - the plan for one in-flight request
 * @action: what to do
 * @op: wire operation on the new connection (BLKIF_OP_*)
 * @error: -errno for BLKFRONT_RECOVER_FAIL, else 0
 * @ring: ring to send it on
 * @nr_parts: ring requests it takes
 * @round: how many ring-fulls of earlier requests on its ring go first
 */
struct blkfront_recover_step {
	enum blkfront_recover_action action;
	u8 op;
	int error;
	unsigned int ring;
	unsigned int nr_parts;
	unsigned int round;
};

/**
 * struct blkfront_recover_sum - totals of a recovery plan
 * @nr_resend: requests sent again unchanged
 * @nr_split: requests split into parts
 * @nr_fail: requests to fail
 * @nr_slots: ring requests in all
 * @nr_rounds: ring-fulls needed on the busiest ring
 */
struct blkfront_recover_sum {
	unsigned int nr_resend;
	unsigned int nr_split;
	unsigned int nr_fail;
	unsigned int nr_slots;
	unsigned int nr_rounds;
};

int blkfront_wire_op(const struct blkfront_params *p,
		     enum blkfront_req_kind kind, unsigned int flags);
unsigned int blkfront_op_max_segs(const struct blkfront_params *p, u8 op);
int blkfront_nr_parts(const struct blkfront_params *p, u8 op,
		      const struct blkfront_seg *segs, unsigned int nr_segs);
int blkfront_plan_recovery(const struct blkfront_params *p,
			   const struct blkfront_inflight *in,
			   unsigned int nr,
			   struct blkfront_recover_step *steps,
			   struct blkfront_recover_sum *sum);

#endif /* _XEN_BLKFRONT_PROTO_H */
