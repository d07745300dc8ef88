/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Protocol core of the Xen PV block backend.
 *
 * Pure logic over the blkif wire format: no hypercalls, no xenbus, no
 * block layer.  The same source compiles into the kernel module, into the
 * userspace tests under tools/testing/blkback/ and into a libFuzzer target.
 *
 * Nothing the frontend wrote is trusted.  Requests are copied out of the
 * shared ring once (blkback_get_req()) and only the private copy is looked
 * at afterwards; every field is checked before use and a bad request gets
 * a precise verdict that the caller logs and answers.  Locking is the
 * caller's: the functions that change an object (a persistent grant pool)
 * expect the lock of the ring that owns it to be held.
 *
 * Units: blkif counts in 512-byte sectors and 4 KiB grant frames, whatever
 * the page size of either domain or the disk's logical block size.
 */
#ifndef _XEN_BLKBACK_PROTO_H
#define _XEN_BLKBACK_PROTO_H

#include <linux/types.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/blkif.h>
#include <xenpv/blkif.h>
#include <xenpv/core.h>

/* The default, what Linux's backend offers: no frontend is worse off. */
#define BLKBACK_DEF_INDIRECT_SEGS	256U

/* Most persistent grants one ring may keep mapped. */
#define BLKBACK_MAX_PGRANT		65536U

/* ---- The device's states and counters ------------------------------------ */

/**
 * enum blkback_state - where a backend device is in its life
 * @BB_WAIT_DEVICE: probed (InitWait written), waiting for the hotplug
 *	script's "physical-device"
 * @BB_READY: the backing device is open, waiting for the frontend's rings
 * @BB_CONNECTED: the rings are mapped and their workers run
 * @BB_BROKEN: the frontend broke the protocol: its rings are stopped and
 *	the device is failed (xenbus_dev_fatal)
 * @BB_CLOSED: disconnected; a frontend that starts over (Initialising)
 *	brings it back to @BB_READY
 * @BB_NR_STATES: number of states
 *
 * Changed only by blkback_set_state() under &struct blkback_dev.mutex,
 * against blkback_states (blkback-proto.c).
 */
enum blkback_state {
	BB_WAIT_DEVICE,
	BB_READY,
	BB_CONNECTED,
	BB_BROKEN,
	BB_CLOSED,
	BB_NR_STATES
};

extern const struct xenpv_states blkback_states;

/**
 * enum blkback_stat - the counters of one ring, or a device's sum
 *	(blkback_stat_desc[])
 * @BLKBACK_STAT_OO_REQ: times the ring had requests but no free pending
 *	slot
 * @BLKBACK_STAT_RD_REQ: reads
 * @BLKBACK_STAT_WR_REQ: writes
 * @BLKBACK_STAT_F_REQ: cache flushes and barriers
 * @BLKBACK_STAT_DS_REQ: discards (secure ones included)
 * @BLKBACK_STAT_RD_SECT: 512-byte sectors read
 * @BLKBACK_STAT_WR_SECT: 512-byte sectors written
 * @BLKBACK_STAT_BAD_REQ: requests refused by the checks
 * @BLKBACK_STAT_IRQS: event channel interrupts taken
 * @BLKBACK_STAT_NOTIFY: notifications sent to the frontend
 * @BLKBACK_STAT_PGRANT_MAP: persistent grants mapped
 * @BLKBACK_STAT_PGRANT_FULL: segments mapped the ordinary way with the
 *	pool full
 * @BLKBACK_STAT_PGRANT_RECLAIM: persistent grants reclaimed (unmapped)
 * @BLKBACK_NR_STATS: number of counters
 *
 * Written only by the ring's worker; read by others with READ_ONCE().
 */
enum blkback_stat {
	BLKBACK_STAT_OO_REQ,
	BLKBACK_STAT_RD_REQ,
	BLKBACK_STAT_WR_REQ,
	BLKBACK_STAT_F_REQ,
	BLKBACK_STAT_DS_REQ,
	BLKBACK_STAT_RD_SECT,
	BLKBACK_STAT_WR_SECT,
	BLKBACK_STAT_BAD_REQ,
	BLKBACK_STAT_IRQS,
	BLKBACK_STAT_NOTIFY,
	BLKBACK_STAT_PGRANT_MAP,
	BLKBACK_STAT_PGRANT_FULL,
	BLKBACK_STAT_PGRANT_RECLAIM,
	BLKBACK_NR_STATS
};

extern const struct xenpv_stat blkback_stat_desc[BLKBACK_NR_STATS];

/* ---- ABIs and the shared ring ------------------------------------------ */

/**
 * enum blkback_abi - layout of the frontend's ring slots
 * @BLKBACK_ABI_X86_32: "x86_32-abi": 64-bit fields aligned to 4 bytes, so
 *	the id follows the first 4 bytes directly; 108-byte slots
 * @BLKBACK_ABI_X86_64: "x86_64-abi" (and "arm-abi"): 64-bit fields aligned
 *	to 8 bytes, 4 bytes of padding before the id; 112-byte slots
 *
 * Both layouts agree on the first 4 bytes and differ only by those 4 bytes
 * of padding; the response layout is the same in both.
 */
enum blkback_abi {
	BLKBACK_ABI_X86_32,
	BLKBACK_ABI_X86_64,
};

/*
 * What a frontend that writes no "protocol" key speaks: the layout of this
 * kernel's own struct blkif_request.
 */
#ifdef CONFIG_X86_32
#define BLKBACK_ABI_NATIVE	BLKBACK_ABI_X86_32
#else
#define BLKBACK_ABI_NATIVE	BLKBACK_ABI_X86_64
#endif

/**
 * struct blkback_req - a request, copied out of the ring and decoded
 * @id: the frontend's id, echoed in the response
 * @sector: first 512-byte sector (read, write, flush, discard, indirect)
 * @nr_sectors: discard: the wire value; read, write, flush and indirect:
 *	the sum over the segments, set by the checks
 * @operation: the wire operation (BLKIF_OP_*)
 * @op: the operation to perform and to echo in the response: the
 *	indirect_op of a BLKIF_OP_INDIRECT request, else @operation
 * @indirect: @operation is BLKIF_OP_INDIRECT
 * @discard_flag: a discard's flag byte as sent
 * @secure: a discard to perform as secure erase (set by the checks)
 * @handle: the virtual device handle as sent (not checked: frontends
 *	disagree on what to put there)
 * @nr_segs: number of segments as sent (8 bits direct, 16 bits indirect)
 * @nr_frames: indirect frames holding the segments (set by the checks)
 * @indirect_grefs: grants of the indirect frames as sent
 * @seg: a direct request's segments, the first min(@nr_segs, 11) as sent
 *
 * Every field is private to the backend: no pointer into shared memory.
 */
struct blkback_req {
	u64 id;
	u64 sector;
	u64 nr_sectors;
	u8 operation;
	u8 op;
	bool indirect;
	u8 discard_flag;
	bool secure;
	u16 handle;
	u16 nr_segs;
	u8 nr_frames;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

int blkback_parse_protocol(const char *s, enum blkback_abi *abi);
unsigned int blkback_slot_size(enum blkback_abi abi);
unsigned int blkback_ring_size(enum blkback_abi abi, unsigned int order);
void *blkback_ring_slot(void *sring, enum blkback_abi abi,
			unsigned int ring_size, RING_IDX idx);
void blkback_get_req(struct blkback_req *req, const void *slot,
		     enum blkback_abi abi);
void blkback_put_rsp(void *slot, u64 id, u8 op, s16 status);

enum xenpv_prod_verdict blkback_check_req_prod(RING_IDX req_prod,
					       RING_IDX req_cons,
					       RING_IDX rsp_prod_pvt,
					       unsigned int ring_size,
					       unsigned int *avail);
enum xenpv_prod_verdict blkback_req_avail(const struct blkif_back_ring *back,
					  unsigned int *avail);
bool blkback_reqs_more(struct blkif_back_ring *back);

/* ---- Request checks ---------------------------------------------------- */

/**
 * struct blkback_vbd - what the checks need to know about the device
 * @sectors: capacity in 512-byte sectors
 * @sector_size: logical block size in bytes, a power of two >= 512
 * @max_indirect_segs: "feature-max-indirect-segments" as advertised, 0
 *	when indirect requests are not offered; at most
 *	XENPV_BLK_MAX_INDIRECT_SEGS (blkback_clamp_max_indirect())
 * @readonly: no writes, flushes, barriers or discards
 * @flush: "feature-flush-cache" offered
 * @barrier: "feature-barrier" offered
 * @discard: "feature-discard" offered
 * @discard_secure: "discard-secure" offered
 */
struct blkback_vbd {
	u64 sectors;
	u32 sector_size;
	unsigned int max_indirect_segs;
	bool readonly;
	bool flush;
	bool barrier;
	bool discard;
	bool discard_secure;
};

/**
 * enum blkback_verdict - what a request check found
 * @BLKBACK_REQ_OK: the request may be carried out
 * @BLKBACK_REQ_BAD_OP: unknown operation
 * @BLKBACK_REQ_NOT_OFFERED: flush, barrier, discard or indirect while the
 *	feature is not offered
 * @BLKBACK_REQ_BAD_INDIRECT_OP: indirect_op is neither read nor write
 * @BLKBACK_REQ_READ_ONLY: write, flush, barrier or discard on a read-only
 *	device
 * @BLKBACK_REQ_NO_SEGS: read or write without segments
 * @BLKBACK_REQ_TOO_MANY_SEGS: more segments than the request kind allows
 * @BLKBACK_REQ_SEG_LAST: a segment's last_sect is beyond its 4 KiB frame
 * @BLKBACK_REQ_SEG_ORDER: a segment's first_sect is after its last_sect
 * @BLKBACK_REQ_SEG_MISALIGNED: a segment is not whole logical blocks
 * @BLKBACK_REQ_MISALIGNED: start (or discard length) is not on a logical
 *	block boundary
 * @BLKBACK_REQ_DISCARD_EMPTY: discard of 0 sectors
 * @BLKBACK_REQ_WRAP: start + length overflows 64 bits
 * @BLKBACK_REQ_BEYOND_END: the range ends after the device's last sector
 * @BLKBACK_REQ_INTERNAL: the backend's own bug: an invalid device
 *	description or a call out of order (it warns)
 *
 * Each is answered with blkback_verdict_status() and the ring goes on:
 * a bad request fails alone.
 */
enum blkback_verdict {
	BLKBACK_REQ_OK,
	BLKBACK_REQ_BAD_OP,
	BLKBACK_REQ_NOT_OFFERED,
	BLKBACK_REQ_BAD_INDIRECT_OP,
	BLKBACK_REQ_READ_ONLY,
	BLKBACK_REQ_NO_SEGS,
	BLKBACK_REQ_TOO_MANY_SEGS,
	BLKBACK_REQ_SEG_LAST,
	BLKBACK_REQ_SEG_ORDER,
	BLKBACK_REQ_SEG_MISALIGNED,
	BLKBACK_REQ_MISALIGNED,
	BLKBACK_REQ_DISCARD_EMPTY,
	BLKBACK_REQ_WRAP,
	BLKBACK_REQ_BEYOND_END,
	BLKBACK_REQ_INTERNAL,
};

/**
 * struct blkback_bad - details of a failed check, for one log line
 * @verdict: what is wrong
 * @op: the request's operation (@op of &struct blkback_req)
 * @seg: index of the segment at fault (BLKBACK_REQ_SEG_*)
 * @value: the offending value: operation, segment count, last_sect,
 *	first_sect, sector count or start sector
 * @count: second value where one is needed (last_sect for
 *	BLKBACK_REQ_SEG_ORDER, the length for range verdicts)
 * @limit: the limit @value broke
 */
struct blkback_bad {
	enum blkback_verdict verdict;
	u8 op;
	unsigned int seg;
	u64 value;
	u64 count;
	u64 limit;
};

unsigned int blkback_clamp_max_indirect(unsigned int param);
enum blkback_verdict blkback_check_req(const struct blkback_vbd *vbd,
				       struct blkback_req *req,
				       struct blkback_bad *bad);
void blkback_get_indirect_segs(struct blkif_request_segment *segs,
			       void *const *frames, unsigned int nr_segs);
enum blkback_verdict
blkback_check_indirect_segs(const struct blkback_vbd *vbd,
			    struct blkback_req *req,
			    const struct blkif_request_segment *segs,
			    struct blkback_bad *bad);
int blkback_verdict_status(enum blkback_verdict v);
const char *blkback_verdict_str(enum blkback_verdict v);
int blkback_bad_str(const struct blkback_bad *bad, char *buf, size_t size);

/**
 * struct blkback_seg_io - where one segment's data goes
 * @gref: grant of the segment's 4 KiB frame
 * @offset: byte offset of the data in the frame
 * @len: bytes, a multiple of 512 from 512 to 4096
 * @sector: first 512-byte disk sector of the data
 */
struct blkback_seg_io {
	grant_ref_t gref;
	u16 offset;
	u16 len;
	u64 sector;
};

unsigned int blkback_plan_segs(const struct blkback_req *req,
			       const struct blkif_request_segment *segs,
			       struct blkback_seg_io *io);

/* ---- Persistent grants -------------------------------------------------- */

/**
 * struct blkback_pgrant - one persistent grant slot (private to the core)
 * @gref: the grant, while the slot is in use
 * @hnext: next slot in the same hash bucket
 * @prev: previous slot on the LRU list
 * @next: next slot on the LRU list or the free list
 * @pins: requests using the grant now
 * @state: BLKBACK_PGRANT_* (free, live, being reclaimed)
 * @last_used: the caller's clock when the last pin was dropped
 */
struct blkback_pgrant {
	grant_ref_t gref;
	u32 hnext;
	u32 prev;
	u32 next;
	u32 pins;
	u8 state;
	unsigned long last_used;
};

/**
 * struct blkback_pgrant_pool - the persistent grants of one ring
 * @ent: @capacity slots; the caller keeps its mapping (page, handle) for
 *	slot i in its own array at index i
 * @hash: bucket heads, @hash_mask + 1 of them
 * @capacity: most grants mapped at once (max_persistent_grants)
 * @hash_mask: buckets - 1
 * @seed: hash key, random so that a frontend cannot pick colliding grefs
 * @free_head: first free slot
 * @lru_head: least recently used unpinned live slot
 * @lru_tail: most recently used unpinned live slot
 * @nr_live: slots mapped and findable
 * @nr_lru: live slots without pins, on the LRU list
 * @nr_reclaim: slots handed to the caller to unmap
 *
 * Protected by the lock of the ring that owns it.
 */
struct blkback_pgrant_pool {
	struct blkback_pgrant *ent;
	u32 *hash;
	u32 capacity;
	u32 hash_mask;
	u32 seed;
	u32 free_head;
	u32 lru_head;
	u32 lru_tail;
	u32 nr_live;
	u32 nr_lru;
	u32 nr_reclaim;
};

int blkback_pgrant_init(struct blkback_pgrant_pool *pool, unsigned int capacity,
			u32 seed, gfp_t gfp);
void blkback_pgrant_destroy(struct blkback_pgrant_pool *pool);
int blkback_pgrant_get(struct blkback_pgrant_pool *pool, grant_ref_t gref);
int blkback_pgrant_add(struct blkback_pgrant_pool *pool, grant_ref_t gref);
void blkback_pgrant_abort(struct blkback_pgrant_pool *pool, unsigned int slot);
void blkback_pgrant_put(struct blkback_pgrant_pool *pool, unsigned int slot,
			unsigned long now);
unsigned int blkback_pgrant_reclaim(struct blkback_pgrant_pool *pool,
				    unsigned int max, unsigned long now,
				  unsigned long min_idle, u32 *slots);
void blkback_pgrant_release(struct blkback_pgrant_pool *pool, unsigned int slot);
unsigned int blkback_pgrant_nr_free(const struct blkback_pgrant_pool *pool);

/* ---- The frontend's xenstore keys ---------------------------------------- */

/**
 * enum blkback_xs_key - the frontend's top-level keys the backend reads
 * @BLKBACK_XS_PROTOCOL: protocol
 * @BLKBACK_XS_NUM_QUEUES: multi-queue-num-queues
 * @BLKBACK_XS_RING_ORDER: ring-page-order
 * @BLKBACK_XS_NUM_RING_PAGES: num-ring-pages (the older scheme)
 * @BLKBACK_XS_PERSISTENT: feature-persistent
 * @BLKBACK_XS_NR: number of keys
 */
enum blkback_xs_key {
	BLKBACK_XS_PROTOCOL,
	BLKBACK_XS_NUM_QUEUES,
	BLKBACK_XS_RING_ORDER,
	BLKBACK_XS_NUM_RING_PAGES,
	BLKBACK_XS_PERSISTENT,
	BLKBACK_XS_NR
};

/**
 * struct blkback_offers - the backend's side, from its module parameters
 * @max_rings: most rings per device (multi-queue-max-queues), >= 1
 * @max_ring_order: max-ring-page-order, capped at XENPV_BLK_MAX_RING_ORDER
 * @persistent: feature-persistent is offered
 */
struct blkback_offers {
	unsigned int max_rings;
	unsigned int max_ring_order;
	bool persistent;
};

/**
 * struct blkback_conn - the frontend's choices for one connection
 * @abi: layout of its ring slots
 * @nr_rings: rings, one per queue
 * @ring_order: log2 of each ring's grant frames
 * @nr_ring_pages: grant frames per ring
 * @ring_size: slots per ring for @abi
 * @persistent: both ends want persistent grants
 */
struct blkback_conn {
	enum blkback_abi abi;
	unsigned int nr_rings;
	unsigned int ring_order;
	unsigned int nr_ring_pages;
	unsigned int ring_size;
	bool persistent;
};

/**
 * enum blkback_rkey - the per-queue keys
 * @BLKBACK_RK_EVTCHN: event-channel
 * @BLKBACK_RK_RING_REF: ring-ref (a one-frame ring)
 * @BLKBACK_RK_RING_REFN: ring-ref%u (a multi-frame ring, or ring-ref0 for
 *	a one-frame ring of a frontend that writes ring-page-order = 0)
 */
enum blkback_rkey {
	BLKBACK_RK_EVTCHN,
	BLKBACK_RK_RING_REF,
	BLKBACK_RK_RING_REFN,
};

/**
 * struct blkback_ring_xs - one queue's values as read from xenstore
 * @evtchn: event-channel
 * @ring_ref: ring-ref, read for a one-frame ring only
 * @ring_refn: ring-ref0 .. ring-ref<nr_ring_pages - 1>
 *
 * NULL for an absent key.
 */
struct blkback_ring_xs {
	const char *evtchn;
	const char *ring_ref;
	const char *ring_refn[XENPV_BLK_MAX_RING_PAGES];
};

/**
 * struct blkback_ring_cfg - one queue's parsed transport parameters
 * @evtchn: the frontend's event channel port
 * @nr_ring_refs: grants of the ring's frames, &struct blkback_conn
 *	nr_ring_pages of them
 * @ring_refs: the grants, in ring order
 */
struct blkback_ring_cfg {
	evtchn_port_t evtchn;
	unsigned int nr_ring_refs;
	grant_ref_t ring_refs[XENPV_BLK_MAX_RING_PAGES];
};

/**
 * struct blkback_rbad - the per-queue key at fault
 * @key: which key
 * @idx: the N of ring-refN
 */
struct blkback_rbad {
	enum blkback_rkey key;
	unsigned int idx;
};

/* The names of &enum blkback_xs_key, for xenpv_xs_read_keys(). */
extern const char *const blkback_xs_names[BLKBACK_XS_NR];
static_assert(BLKBACK_XS_NR <= XENPV_XS_MAX_KEYS);

int blkback_parse_connect(const struct xenpv_xs_vals *xs,
			  const struct blkback_offers *lim,
			  struct blkback_conn *c, enum blkback_xs_key *bad);
int blkback_xs_rkey(const struct blkback_conn *c, unsigned int queue,
		    enum blkback_rkey key, unsigned int idx,
		    char *buf, size_t size);
int blkback_parse_ring(const struct blkback_conn *c,
		       const struct blkback_ring_xs *xs,
			struct blkback_ring_cfg *q, struct blkback_rbad *bad);

#endif /* _XEN_BLKBACK_PROTO_H */
