// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV block backend: the ring side.
 *
 * One worker thread per ring does everything that touches the ring and its
 * grants: it copies requests out of the shared ring (blkback_get_req()),
 * checks them, maps their grants in one batch, submits their bios under a
 * plug, and, once the bios have ended (their end_io only queues the
 * request on the ring's done list and wakes the worker), unmaps the grants
 * and writes the responses, published with one notification per batch.
 * Interrupts only wake the worker, which sends the late EOI once it has
 * looked at the ring.  So the ring indexes, the pending requests and the
 * persistent grant pool have one user and need no lock on the I/O path
 * (the pool still has its mutex, for lockdep to check the contract).
 *
 * A bad request gets an error response; a bad producer index stops the
 * ring and fails the device (blkback_ring_broken()).  A disconnect stops
 * the worker, which first waits for every bio and unmaps every grant.
 */

#include <linux/blkdev.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#include "blkback.h"

/* Most persistent grants one reclaim pass unmaps. */
#define BLKBACK_RECLAIM_BATCH	64U

/*
 * The pool, the pending requests and the scratch arrays are the ring's
 * worker's alone (the teardown uses them only once the worker is gone):
 * no lock, and with lockdep a check that the caller is the worker.
 */
#define blkback_assert_worker(ring)	lockdep_assert(current == (ring)->task)

/* Counters have one writer, the worker; others read them locklessly. */
static inline void blkback_count_one(struct blkback_ring *ring,
				     enum blkback_stat stat, u64 n)
{
	xenpv_stat_add(&ring->stats[stat], n);
}

/* Map @n queued grant operations (all failed if XENPV_FAULT_GRANT says). */
static void blkback_map_refs(struct blkback_ring *ring, unsigned int n)
{
	if (!xenpv_should_fail(XENPV_FAULT_GRANT))
		gnttab_map_refs(ring->map, NULL, ring->pages, n);
}

static unsigned long blkback_vaddr(struct page *page)
{
	return (unsigned long)page_address(page);
}

/* ---- Grant mapping --------------------------------------------------------- */

/* Unmap @n ordinary mappings and give their pages back to the cache. */
static void blkback_unmap_pages(struct blkback_ring *ring,
				struct page **pages, grant_handle_t *handles,
				unsigned int n)
{
	struct gntab_unmap_queue_data data = { };
	unsigned int i, k = 0;

	for (i = 0; i < n; i++) {
		if (handles[i] == BLKBACK_INVALID_HANDLE)
			continue;
		gnttab_set_unmap_op(&ring->unmap[k], blkback_vaddr(pages[i]),
				    GNTMAP_host_map, handles[i]);
		ring->pages[k++] = pages[i];
		handles[i] = BLKBACK_INVALID_HANDLE;
	}
	if (!k)
		return;
	data.unmap_ops = ring->unmap;
	data.pages = ring->pages;
	data.count = k;
	if (gnttab_unmap_refs_sync(&data)) {
		/* Still mapped to a foreign frame: never reuse these pages. */
		dev_err_ratelimited(&ring->dev->xbdev->dev,
				    "ring %u: unmapping %u grants failed; their pages are leaked\n",
				    ring->index, k);
		return;
	}
	gnttab_page_cache_put(&ring->page_cache, ring->pages, k);
}

/* Queue one map operation for segment @seg (-1: an indirect frame). */
static void blkback_queue_map(struct blkback_ring *ring, unsigned int *n,
			      struct page *page, grant_ref_t gref,
			      enum xenpv_access access, int seg)
{
	struct gnttab_map_grant_ref *op = &ring->map[*n];
	u32 flags = GNTMAP_host_map;

	if (access == XENPV_READ_ONLY)
		flags |= GNTMAP_readonly;
	gnttab_set_map_op(op, blkback_vaddr(page), flags, gref,
			  ring->dev->domid);
	op->status = GNTST_general_error;
	op->handle = BLKBACK_INVALID_HANDLE;
	ring->pages[*n] = page;
	ring->map_seg[*n] = seg;
	(*n)++;
}

/*
 * Map @n grants read-only (indirect frames) the ordinary way, all at once.
 * Return: 0, or an errno with nothing left mapped or taken.
 */
static int blkback_map_frames(struct blkback_ring *ring,
			      const grant_ref_t *grefs, unsigned int n,
			      struct page **pages, grant_handle_t *handles)
{
	unsigned int i, k = 0;
	int err = 0;

	for (i = 0; i < n; i++) {
		if (gnttab_page_cache_get(&ring->page_cache, &pages[i])) {
			gnttab_page_cache_put(&ring->page_cache, pages, i);
			return -ENOMEM;
		}
	}
	for (i = 0; i < n; i++)
		blkback_queue_map(ring, &k, pages[i], grefs[i], XENPV_READ_ONLY,
				  -1);
	blkback_map_refs(ring, k);
	for (i = 0; i < n; i++) {
		handles[i] = BLKBACK_INVALID_HANDLE;
		if (ring->map[i].status == GNTST_okay)
			handles[i] = ring->map[i].handle;
		else
			err = -EIO;
	}
	if (!err)
		return 0;
	for (i = 0; i < n; i++)	/* the pages that were never mapped */
		if (ring->map[i].status != GNTST_okay)
			gnttab_page_cache_put(&ring->page_cache, &pages[i], 1);
	blkback_unmap_pages(ring, pages, handles, n);
	return err;
}

/*
 * Find @gref in the persistent pool and pin its slot, or take a free slot
 * and queue its mapping as map operation @idx.  Return: the slot, or -1
 * to map the grant the ordinary way.
 */
static int blkback_pgrant_take(struct blkback_ring *ring, grant_ref_t gref,
			       unsigned int *n, int idx)
{
	struct blkback_pgrant_pool *pool = &ring->pgrant;
	int slot;

	blkback_assert_worker(ring);
	slot = blkback_pgrant_get(pool, gref);
	if (slot >= 0) {
		if (ring->pgrant_handle[slot] != BLKBACK_INVALID_HANDLE)
			return slot;
		/* Being mapped for an earlier grant of this request. */
		blkback_pgrant_put(pool, slot, jiffies);
		return -1;
	}
	slot = blkback_pgrant_add(pool, gref);
	if (slot < 0) {
		if (slot == -ENOSPC) {
			ring->pgrant_full = true;
			blkback_count_one(ring, BLKBACK_STAT_PGRANT_FULL, 1);
		}
		return -1;
	}
	if (!ring->pgrant_page[slot]) {
		if (gnttab_page_cache_get(&ring->page_cache,
					  &ring->pgrant_page[slot]))
			ring->pgrant_page[slot] = NULL;
		else
			atomic_long_inc(&blkback_census[BLKBACK_CENSUS_PGRANT_PAGES]);
	}
	if (!ring->pgrant_page[slot]) {
		blkback_pgrant_abort(pool, slot);
		return -1;
	}
	/* Persistent grants are mapped read-write: any later request. */
	blkback_queue_map(ring, n, ring->pgrant_page[slot], gref,
			  XENPV_READ_WRITE, idx);
	return slot;
}

/* Record map operation @op of pool slot @slot.  Return: false if it failed. */
static bool blkback_pgrant_mapped(struct blkback_ring *ring, int slot,
				  const struct gnttab_map_grant_ref *op)
{
	blkback_assert_worker(ring);
	if (op->status != GNTST_okay) {
		blkback_pgrant_abort(&ring->pgrant, slot);
		return false;
	}
	ring->pgrant_handle[slot] = op->handle;
	blkback_count_one(ring, BLKBACK_STAT_PGRANT_MAP, 1);
	return true;
}

/*
 * A segment that can use the persistent pool.  Return: true if the
 * segment is taken care of, false to map it the ordinary way.
 */
static bool blkback_seg_persistent(struct blkback_ring *ring,
				   struct blkback_seg *seg, grant_ref_t gref,
				   unsigned int *n, int idx)
{
	int slot = blkback_pgrant_take(ring, gref, n, idx);

	if (slot < 0)
		return false;
	seg->page = ring->pgrant_page[slot];
	seg->pslot = slot;
	return true;
}

/*
 * Map @n indirect frames through the persistent pool, as Linux's backend
 * does: a frontend that reuses its indirect pages then costs no grant
 * operation per request.  Return: true with every frame's slot pinned in
 * @slots, or false with none pinned: map them the ordinary way.
 */
static bool blkback_map_frames_pgrant(struct blkback_ring *ring,
				      const grant_ref_t *grefs, unsigned int n,
				    int *slots)
{
	unsigned int i, k = 0;
	bool ok = true;
	int *s;

	for (i = 0; i < n; i++)
		slots[i] = -1;
	blkback_assert_worker(ring);
	for (i = 0; i < n && ok; i++) {
		slots[i] = blkback_pgrant_take(ring, grefs[i], &k, i);
		ok = slots[i] >= 0;
	}
	if (k)
		blkback_map_refs(ring, k);
	for (i = 0; i < k; i++) {
		s = &slots[ring->map_seg[i]];
		if (!blkback_pgrant_mapped(ring, *s, &ring->map[i])) {
			*s = -1;
			ok = false;
		}
	}
	for (i = 0; i < n && !ok; i++)
		if (slots[i] >= 0)
			blkback_pgrant_put(&ring->pgrant, slots[i], jiffies);
	return ok;
}

/* Unpin the slots blkback_map_frames_pgrant() pinned. */
static void blkback_put_frames_pgrant(struct blkback_ring *ring,
				      const int *slots, unsigned int n)
{
	unsigned int i;

	blkback_assert_worker(ring);
	for (i = 0; i < n; i++)
		blkback_pgrant_put(&ring->pgrant, slots[i], jiffies);
}

/* Release every segment of @preq: pins dropped, ordinary maps undone. */
static void blkback_unmap_segs(struct blkback_ring *ring,
			       struct blkback_preq *preq)
{
	struct blkback_seg *seg;
	unsigned int i, k = 0;

	blkback_assert_worker(ring);
	for (i = 0; i < preq->nr_segs; i++) {
		seg = &preq->segs[i];
		if (seg->pslot >= 0) {
			blkback_pgrant_put(&ring->pgrant, seg->pslot, jiffies);
		} else if (seg->handle != BLKBACK_INVALID_HANDLE) {
			gnttab_set_unmap_op(&ring->unmap[k],
					    blkback_vaddr(seg->page),
					    GNTMAP_host_map, seg->handle);
			ring->pages[k++] = seg->page;
		} else if (seg->page) {
			gnttab_page_cache_put(&ring->page_cache, &seg->page, 1);
		}
		seg->page = NULL;
		seg->pslot = -1;
		seg->handle = BLKBACK_INVALID_HANDLE;
	}
	preq->nr_segs = 0;
	if (k) {
		struct gntab_unmap_queue_data data = {
			.unmap_ops = ring->unmap,
			.pages = ring->pages,
			.count = k,
		};

		if (gnttab_unmap_refs_sync(&data))
			dev_err_ratelimited(&ring->dev->xbdev->dev,
					    "ring %u: unmapping %u grants failed; their pages are leaked\n",
					    ring->index, k);
		else
			gnttab_page_cache_put(&ring->page_cache, ring->pages,
					      k);
	}
}

/* Record the result of each queued map operation in its segment. */
static int blkback_map_done(struct blkback_ring *ring,
			    struct blkback_preq *preq, unsigned int n)
{
	struct blkback_seg *seg;
	unsigned int i;
	int err = 0;

	blkback_assert_worker(ring);
	for (i = 0; i < n; i++) {
		seg = &preq->segs[ring->map_seg[i]];
		if (seg->pslot >= 0 &&
		    blkback_pgrant_mapped(ring, seg->pslot, &ring->map[i]))
			continue;
		if (ring->map[i].status == GNTST_okay) {
			seg->handle = ring->map[i].handle;
			continue;
		}
		if (!err) {
			preq->map_gref = ring->map[i].ref;
			preq->map_status = ring->map[i].status;
		}
		err = -EIO;
		if (seg->pslot < 0)
			gnttab_page_cache_put(&ring->page_cache, &seg->page, 1);
		seg->pslot = -1;
		seg->page = NULL;
	}
	return err;
}

/*
 * Map the grants of @preq's @n planned segments, those not in the
 * persistent pool in one batch.  Return: 0, or an errno with nothing held.
 */
static int blkback_map_segs(struct blkback_ring *ring,
			    struct blkback_preq *preq, unsigned int n)
{
	/* A read writes into the frontend's pages; the rest only read. */
	enum xenpv_access access = preq->req.op == BLKIF_OP_READ ?
				   XENPV_READ_WRITE : XENPV_READ_ONLY;
	bool pers = ring->pgrant_page;
	struct blkback_seg *seg;
	unsigned int i, k = 0;
	int err = 0;

	blkback_assert_worker(ring);
	for (i = 0; i < n; i++) {
		seg = &preq->segs[i];
		seg->pslot = -1;
		seg->handle = BLKBACK_INVALID_HANDLE;
		seg->page = NULL;
		preq->nr_segs = i + 1;
		if (pers && blkback_seg_persistent(ring, seg, preq->io[i].gref,
						   &k, i))
			continue;
		if (gnttab_page_cache_get(&ring->page_cache, &seg->page)) {
			seg->page = NULL;
			preq->map_gref = preq->io[i].gref;
			preq->map_status = GNTST_okay;
			err = -ENOMEM;
			break;
		}
		blkback_queue_map(ring, &k, seg->page, preq->io[i].gref, access,
				  i);
	}
	if (k) {
		blkback_map_refs(ring, k);
		if (blkback_map_done(ring, preq, k))
			err = -EIO;
	}
	if (err)
		blkback_unmap_segs(ring, preq);
	return err;
}

/* ---- Persistent grant reclaim -------------------------------------------- */

/* Unmap and free @n reclaimed slots of the pool. */
static void blkback_pgrant_unmap(struct blkback_ring *ring, u32 *slots,
				 unsigned int n)
{
	struct gntab_unmap_queue_data data = { };
	unsigned int i;
	int err;

	blkback_assert_worker(ring);
	for (i = 0; i < n; i++) {
		gnttab_set_unmap_op(&ring->unmap[i],
				    blkback_vaddr(ring->pgrant_page[slots[i]]),
				    GNTMAP_host_map,
				    ring->pgrant_handle[slots[i]]);
		ring->pages[i] = ring->pgrant_page[slots[i]];
	}
	data.unmap_ops = ring->unmap;
	data.pages = ring->pages;
	data.count = n;
	err = gnttab_unmap_refs_sync(&data);
	for (i = 0; i < n; i++) {
		if (err)	/* never reuse a page that may still be mapped */
			ring->pgrant_page[slots[i]] = NULL;
		ring->pgrant_handle[slots[i]] = BLKBACK_INVALID_HANDLE;
		blkback_pgrant_release(&ring->pgrant, slots[i]);
	}
	if (err)
		dev_err_ratelimited(&ring->dev->xbdev->dev,
				    "ring %u: unmapping %u persistent grants failed; their pages are leaked\n",
				    ring->index, n);
	blkback_count_one(ring, BLKBACK_STAT_PGRANT_RECLAIM, n);
}

/* Reclaim up to @max unpinned grants idle for @min_idle jiffies. */
static unsigned int blkback_pgrant_shrink(struct blkback_ring *ring,
					  unsigned int max,
					unsigned long min_idle)
{
	unsigned int n, done = 0;

	blkback_assert_worker(ring);
	while (done < max) {
		n = blkback_pgrant_reclaim(&ring->pgrant,
					   min(max - done, ring->max_segs),
					 jiffies, min_idle, ring->slots);
		if (!n)
			break;
		blkback_pgrant_unmap(ring, ring->slots, n);
		done += n;
	}
	return done;
}

/*
 * Keep the pool useful: when a request found it full, unmap the least
 * recently used sixteenth; every blkback_persistent_grant_idle_ms, unmap what has not
 * been used for that long.
 */
static void blkback_pgrant_maintain(struct blkback_ring *ring)
{
	unsigned long idle = msecs_to_jiffies(blkback_persistent_grant_idle_ms);

	if (!ring->pgrant_page)
		return;
	if (ring->pgrant_full) {
		ring->pgrant_full = false;
		blkback_pgrant_shrink(ring,
				      max(ring->pgrant.capacity / 16,
					  BLKBACK_RECLAIM_BATCH), 0);
	}
	if (time_after(jiffies, ring->next_reclaim)) {
		ring->next_reclaim = jiffies + idle;
		blkback_pgrant_shrink(ring, ring->pgrant.capacity, idle);
	}
}

/* ---- Responses ------------------------------------------------------------- */

/* Answer @preq and make it free again. */
static void blkback_answer(struct blkback_ring *ring,
			   struct blkback_preq *preq, int status)
{
	struct blkback_conn *c = &ring->dev->conn;
	void *slot;

	slot = blkback_ring_slot(ring->sring, c->abi, ring->ring_size,
				 ring->back.rsp_prod_pvt);
	blkback_put_rsp(slot, preq->req.id, preq->req.op, status);
	ring->back.rsp_prod_pvt++;
	list_add(&preq->node, &ring->free);
	ring->inflight--;
}

/* Answer every request whose bios have all ended. */
static void blkback_complete(struct blkback_ring *ring)
{
	struct llist_node *list = llist_del_all(&ring->done);
	struct blkback_preq *preq, *tmp;

	list = llist_reverse_order(list);
	llist_for_each_entry_safe(preq, tmp, list, done) {
		blkback_unmap_segs(ring, preq);
		blkback_answer(ring, preq, READ_ONCE(preq->status));
	}
}

/* Publish the responses written; notify the frontend if it asked. */
static void blkback_push(struct blkback_ring *ring)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&ring->back, notify);
	if (notify) {
		notify_remote_via_irq(ring->irq);
		blkback_count_one(ring, BLKBACK_STAT_NOTIFY, 1);
	}
}

/* ---- Bios ------------------------------------------------------------------ */

static void blkback_wake(struct blkback_ring *ring)
{
	WRITE_ONCE(ring->more, true);
	wake_up(&ring->wq);
}

/* Drop one reference of @preq; the last queues it for its response. */
static void blkback_preq_put(struct blkback_preq *preq)
{
	struct blkback_ring *ring = preq->ring;

	if (atomic_dec_and_test(&preq->pending)) {
		llist_add(&preq->done, &ring->done);
		blkback_wake(ring);
	}
}

static void blkback_bio_end(struct bio *bio)
{
	struct blkback_preq *preq = bio->bi_private;
	struct blkback_ring *ring = preq->ring;

	if (bio->bi_status) {
		bool nosup = bio->bi_status == BLK_STS_NOTSUPP &&
			     preq->req.op == BLKIF_OP_FLUSH_DISKCACHE;

		WRITE_ONCE(preq->status, nosup ? BLKIF_RSP_EOPNOTSUPP :
						 BLKIF_RSP_ERROR);
	}
	bio_put(bio);
	blkback_preq_put(preq);
	/* The last access: the ring lives until every bio got here. */
	atomic_dec(&ring->nbios);
}

static struct bio *blkback_new_bio(struct blkback_preq *preq,
				   unsigned int nr_vecs, blk_opf_t opf,
				   sector_t sector)
{
	struct block_device *bdev = preq->ring->dev->bdev.bdev;
	struct bio *bio;

	nr_vecs = min_t(unsigned int, nr_vecs, BIO_MAX_VECS);
	bio = bio_alloc(bdev, nr_vecs, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = sector;
	bio->bi_private = preq;
	bio->bi_end_io = blkback_bio_end;
	return bio;
}

static void blkback_submit_bio(struct blkback_preq *preq, struct bio *bio)
{
	atomic_inc(&preq->pending);
	atomic_inc(&preq->ring->nbios);
	submit_bio(bio);
}

/* Build and submit the bios of a read, write or flush of @n segments. */
static void blkback_submit(struct blkback_ring *ring,
			   struct blkback_preq *preq, unsigned int n)
{
	struct blkback_seg_io *io = preq->io;
	struct bio *bio = NULL;
	blk_opf_t opf;
	unsigned int i;

	if (preq->req.op == BLKIF_OP_READ)
		opf = REQ_OP_READ;
	else if (preq->req.op == BLKIF_OP_WRITE)
		opf = REQ_OP_WRITE | REQ_SYNC | REQ_IDLE;
	else if (preq->req.op == BLKIF_OP_WRITE_BARRIER && n)
		opf = REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH | REQ_FUA;
	else
		opf = REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH;

	atomic_set(&preq->pending, 1);	/* dropped once all are submitted */
	for (i = 0; i < n; i++) {
		if (bio && bio_add_page(bio, preq->segs[i].page, io[i].len,
					io[i].offset) == io[i].len)
			continue;
		if (bio)
			blkback_submit_bio(preq, bio);
		bio = blkback_new_bio(preq, n - i, opf, io[i].sector);
		if (WARN_ON_ONCE(bio_add_page(bio, preq->segs[i].page,
					      io[i].len, io[i].offset) !=
				 io[i].len)) {
			bio_put(bio);
			WRITE_ONCE(preq->status, BLKIF_RSP_ERROR);
			blkback_preq_put(preq);
			return;
		}
	}
	if (!bio)	/* a flush without data */
		bio = blkback_new_bio(preq, 0, opf, 0);
	blkback_submit_bio(preq, bio);
	blkback_preq_put(preq);
}

/* ---- Requests -------------------------------------------------------------- */

/* Give @preq room for @n segments; the big arrays stay once allocated. */
static int blkback_preq_room(struct blkback_ring *ring,
			     struct blkback_preq *preq, unsigned int n)
{
	unsigned int max = ring->max_segs;
	void *segs, *io, *isegs;

	if (n <= preq->room)
		return 0;
	segs = XENPV_ALLOC(kvcalloc(max, sizeof(*preq->segs), GFP_NOIO));
	io = kvcalloc(max, sizeof(*preq->io), GFP_NOIO);
	isegs = kvcalloc(max, sizeof(*preq->isegs), GFP_NOIO);
	if (!segs || !io || !isegs) {
		kvfree(segs);
		kvfree(io);
		kvfree(isegs);
		return -ENOMEM;
	}
	preq->segs = segs;
	preq->io = io;
	preq->isegs = isegs;
	preq->room = max;
	atomic_long_inc(&blkback_census[BLKBACK_CENSUS_ROOMS]);
	return 0;
}

static void blkback_preq_free_room(struct blkback_preq *preq)
{
	if (preq->segs && preq->segs != preq->small_segs) {
		atomic_long_dec(&blkback_census[BLKBACK_CENSUS_ROOMS]);
		kvfree(preq->segs);
		kvfree(preq->io);
		kvfree(preq->isegs);
	}
	preq->segs = preq->small_segs;
	preq->io = preq->small_io;
	preq->isegs = NULL;
	preq->room = BLKIF_MAX_SEGMENTS_PER_REQUEST;
}

/* Map an indirect request's frames, copy its segments out, check them. */
static enum blkback_verdict
blkback_read_indirect(struct blkback_ring *ring, struct blkback_preq *preq,
		      const struct blkback_vbd *vbd, struct blkback_bad *bad)
{
	struct page *pages[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST] = { };
	grant_handle_t handles[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	void *frames[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	int slots[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	unsigned int i, nf = preq->req.nr_frames;
	bool pgrant;

	memset(bad, 0, sizeof(*bad));
	bad->verdict = BLKBACK_REQ_INTERNAL;
	bad->op = preq->req.op;
	if (blkback_preq_room(ring, preq, preq->req.nr_segs))
		return BLKBACK_REQ_INTERNAL;
	pgrant = ring->pgrant_page &&
	       blkback_map_frames_pgrant(ring, preq->req.indirect_grefs, nf, slots);
	if (!pgrant && blkback_map_frames(ring, preq->req.indirect_grefs, nf,
					  pages, handles))
		return BLKBACK_REQ_INTERNAL;
	for (i = 0; i < nf; i++)
		frames[i] = page_address(pgrant ? ring->pgrant_page[slots[i]] :
					 pages[i]);
	blkback_get_indirect_segs(preq->isegs, frames, preq->req.nr_segs);
	if (pgrant)
		blkback_put_frames_pgrant(ring, slots, nf);
	else
		blkback_unmap_pages(ring, pages, handles, nf);
	return blkback_check_indirect_segs(vbd, &preq->req, preq->isegs, bad);
}

static void blkback_log_bad(struct blkback_ring *ring,
			    struct blkback_preq *preq,
			    const struct blkback_bad *bad)
{
	char why[96];

	blkback_count_one(ring, BLKBACK_STAT_BAD_REQ, 1);
	if (bad->verdict == BLKBACK_REQ_INTERNAL)
		snprintf(why, sizeof(why),
			 "grants of the indirect frames could not be mapped");
	else
		blkback_bad_str(bad, why, sizeof(why));
	dev_warn_ratelimited(&ring->dev->xbdev->dev,
			     "ring %u: request %llu: %s\n", ring->index,
			     preq->req.id, why);
}

/* One line for a request whose data grants could not be mapped. */
static void blkback_log_map(struct blkback_ring *ring,
			    struct blkback_preq *preq)
{
	static const char *const msgs[] = GNTTABOP_error_msgs;
	s16 st = preq->map_status;
	const char *why = "no page to map it on";

	if (st != GNTST_okay)
		why = -st < ARRAY_SIZE(msgs) ? msgs[-st] : "unknown error";
	blkback_count_one(ring, BLKBACK_STAT_BAD_REQ, 1);
	dev_warn_ratelimited(&ring->dev->xbdev->dev,
			     "ring %u: request %llu: grant %u not mapped: %s (%d)\n",
			     ring->index, preq->req.id, preq->map_gref, why, st);
}

static void blkback_discard(struct blkback_ring *ring,
			    struct blkback_preq *preq)
{
	struct block_device *bdev = ring->dev->bdev.bdev;
	struct blkback_req *req = &preq->req;
	int err, status = BLKIF_RSP_OKAY;

	blkback_count_one(ring, BLKBACK_STAT_DS_REQ, 1);
	if (req->secure)
		err = blkdev_issue_secure_erase(bdev, req->sector,
						req->nr_sectors, GFP_NOIO);
	else
		err = blkdev_issue_discard(bdev, req->sector, req->nr_sectors,
					   GFP_NOIO);
	if (err == -EOPNOTSUPP)
		status = BLKIF_RSP_EOPNOTSUPP;
	else if (err)
		status = BLKIF_RSP_ERROR;
	blkback_answer(ring, preq, status);
}

static void blkback_count(struct blkback_ring *ring,
			  const struct blkback_req *req)
{
	switch (req->op) {
	case BLKIF_OP_READ:
		blkback_count_one(ring, BLKBACK_STAT_RD_REQ, 1);
		blkback_count_one(ring, BLKBACK_STAT_RD_SECT, req->nr_sectors);
		break;
	case BLKIF_OP_WRITE:
		blkback_count_one(ring, BLKBACK_STAT_WR_REQ, 1);
		blkback_count_one(ring, BLKBACK_STAT_WR_SECT, req->nr_sectors);
		break;
	default:
		blkback_count_one(ring, BLKBACK_STAT_F_REQ, 1);
		blkback_count_one(ring, BLKBACK_STAT_WR_SECT, req->nr_sectors);
		break;
	}
}

/*
 * Answer completions until at most @keep requests of the ring are in
 * flight.  Bios held in the worker's plug go out first: they may be the
 * ones waited for.
 */
static void blkback_wait_inflight(struct blkback_ring *ring,
				  unsigned int keep)
{
	struct blk_plug *plug = current->plug;

	if (plug) {
		blk_finish_plug(plug);
		blk_start_plug(plug);
	}
	for (;;) {
		blkback_complete(ring);
		blkback_push(ring);
		if (ring->inflight <= keep)
			return;
		wait_event(ring->wq, !llist_empty(&ring->done));
	}
}

/* Carry out one request copied off the ring, or answer it at once. */
static void blkback_handle(struct blkback_ring *ring,
			   struct blkback_preq *preq,
			   const struct blkback_vbd *vbd)
{
	struct blkback_req *req = &preq->req;
	const struct blkif_request_segment *segs = req->seg;
	struct blkback_bad bad;
	enum blkback_verdict v;
	unsigned int n;

	preq->status = BLKIF_RSP_OKAY;
	preq->nr_segs = 0;
	v = blkback_check_req(vbd, req, &bad);
	if (v == BLKBACK_REQ_OK && req->indirect) {
		v = blkback_read_indirect(ring, preq, vbd, &bad);
		segs = preq->isegs;
	}
	if (v != BLKBACK_REQ_OK) {
		blkback_log_bad(ring, preq, &bad);
		blkback_answer(ring, preq, blkback_verdict_status(v));
		return;
	}
	if (req->op == BLKIF_OP_DISCARD) {
		blkback_discard(ring, preq);
		return;
	}
	blkback_count(ring, req);
	/*
	 * A write barrier orders against every earlier request: they finish
	 * first.  The PREFLUSH then makes their data stable, FUA its own.
	 */
	if (req->op == BLKIF_OP_WRITE_BARRIER)
		blkback_wait_inflight(ring, 1);
	n = blkback_plan_segs(req, segs, preq->io);
	if (n != req->nr_segs) {	/* plan_segs() warned: our bug */
		blkback_answer(ring, preq, BLKIF_RSP_ERROR);
		return;
	}
	if (blkback_map_segs(ring, preq, n)) {
		blkback_log_map(ring, preq);
		blkback_answer(ring, preq, BLKIF_RSP_ERROR);
		return;
	}
	blkback_submit(ring, preq, n);
}

/*
 * Take up to @budget requests off the ring.  Return: how many, or -1 if
 * the ring is (now) broken.
 */
static int blkback_consume_batch(struct blkback_ring *ring, int budget)
{
	struct blkback_dev *dev = ring->dev;
	enum blkback_abi abi = dev->conn.abi;
	struct blkback_preq *preq;
	enum xenpv_prod_verdict v;
	struct blk_plug plug;
	unsigned int avail;
	int done = 0;

	ring->vbd.sectors = READ_ONCE(dev->vbd.sectors);
	v = blkback_req_avail(&ring->back, &avail);
	if (v != XENPV_PROD_OK) {
		blkback_ring_broken(ring, xenpv_prod_str(v));
		return -1;
	}
	blk_start_plug(&plug);
	while (avail-- && done < budget) {
		preq = list_first_entry_or_null(&ring->free,
						struct blkback_preq, node);
		if (!preq) {
			blkback_count_one(ring, BLKBACK_STAT_OO_REQ, 1);
			break;
		}
		list_del(&preq->node);
		ring->inflight++;
		blkback_get_req(&preq->req,
				blkback_ring_slot(ring->sring, abi,
						  ring->ring_size,
						  ring->back.req_cons),
				abi);
		ring->back.req_cons++;
		blkback_handle(ring, preq, &ring->vbd);
		done++;
	}
	blk_finish_plug(&plug);
	return done;
}

/* Consume what the frontend produced; true if there was anything. */
static bool blkback_consume(struct blkback_ring *ring)
{
	int budget = ring->ring_size, n;
	bool any = false;

	while (!xenpv_failed(&ring->dev->fail) && budget > 0) {
		n = blkback_consume_batch(ring, budget);
		if (n < 0)
			break;
		any |= n > 0;
		budget -= n;
		if (list_empty(&ring->free))
			break;	/* a completion wakes us */
		if (!blkback_reqs_more(&ring->back))
			break;
	}
	if (budget <= 0)
		WRITE_ONCE(ring->more, true);	/* let others run first */
	return any;
}

/* ---- The worker ------------------------------------------------------------ */

static void blkback_work(struct blkback_ring *ring)
{
	bool any;

	xchg(&ring->more, false);
	blkback_complete(ring);
	any = blkback_consume(ring);
	blkback_complete(ring);
	blkback_push(ring);
	if (xchg(&ring->eoi, false)) {
		blkback_count_one(ring, BLKBACK_STAT_IRQS, 1);
		xenpv_irq_eoi(ring->irq, any);
	}
	blkback_pgrant_maintain(ring);
}

/* Wait for every bio, answer everything, unmap every persistent grant. */
static void blkback_drain(struct blkback_ring *ring)
{
	for (;;) {
		blkback_complete(ring);
		blkback_push(ring);
		if (!ring->inflight && !atomic_read(&ring->nbios))
			break;
		wait_event_timeout(ring->wq, READ_ONCE(ring->more),
				   msecs_to_jiffies(10));
		xchg(&ring->more, false);
	}
	if (ring->pgrant_page)
		blkback_pgrant_shrink(ring, ring->pgrant.capacity, 0);
}

static int blkback_worker(void *data)
{
	struct blkback_ring *ring = data;
	long timeout = MAX_SCHEDULE_TIMEOUT;

	if (ring->pgrant_page)
		timeout = msecs_to_jiffies(blkback_persistent_grant_idle_ms) / 2 + 1;
	while (!kthread_should_stop()) {
		wait_event_interruptible_timeout(ring->wq,
						 READ_ONCE(ring->more) ||
						 kthread_should_stop(),
						 timeout);
		blkback_work(ring);
		cond_resched();
	}
	blkback_drain(ring);
	return 0;
}

static irqreturn_t blkback_interrupt(int irq, void *data)
{
	struct blkback_ring *ring = data;

	WRITE_ONCE(ring->eoi, true);
	blkback_wake(ring);
	return IRQ_HANDLED;
}

/* ---- Set-up and tear-down ------------------------------------------------ */

static int blkback_alloc_preqs(struct blkback_ring *ring)
{
	unsigned int i, n = max_t(unsigned int, ring->max_segs,
				  BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);

	ring->preqs = XENPV_ALLOC(kvcalloc(ring->ring_size,
					   sizeof(*ring->preqs), GFP_KERNEL));
	if (ring->preqs)	/* blkback_free_ring_mem() counts it off */
		atomic_long_inc(&blkback_census[BLKBACK_CENSUS_RINGS]);
	ring->map = kvcalloc(n, sizeof(*ring->map), GFP_KERNEL);
	ring->unmap = kvcalloc(n, sizeof(*ring->unmap), GFP_KERNEL);
	ring->pages = kvcalloc(n, sizeof(*ring->pages), GFP_KERNEL);
	ring->map_seg = kvcalloc(n, sizeof(*ring->map_seg), GFP_KERNEL);
	ring->slots = kvcalloc(n, sizeof(*ring->slots), GFP_KERNEL);
	if (!ring->preqs || !ring->map || !ring->unmap || !ring->pages ||
	    !ring->map_seg || !ring->slots)
		return -ENOMEM;
	for (i = 0; i < ring->ring_size; i++) {
		ring->preqs[i].ring = ring;
		blkback_preq_free_room(&ring->preqs[i]);
		list_add_tail(&ring->preqs[i].node, &ring->free);
	}
	return 0;
}

static int blkback_alloc_pgrant(struct blkback_ring *ring)
{
	unsigned int i, cap = blkback_max_persistent_grants;
	int err;

	err = blkback_pgrant_init(&ring->pgrant, cap, get_random_u32(),
				  GFP_KERNEL);
	if (err)
		return err;
	ring->pgrant_page = XENPV_ALLOC(kvcalloc(cap, sizeof(*ring->pgrant_page),
						 GFP_KERNEL));
	ring->pgrant_handle = kvmalloc_array(cap, sizeof(*ring->pgrant_handle),
					     GFP_KERNEL);
	if (!ring->pgrant_page || !ring->pgrant_handle)
		return -ENOMEM;
	for (i = 0; i < cap; i++)
		ring->pgrant_handle[i] = BLKBACK_INVALID_HANDLE;
	ring->next_reclaim = jiffies + msecs_to_jiffies(blkback_persistent_grant_idle_ms);
	return 0;
}

static void blkback_free_ring_mem(struct blkback_ring *ring)
{
	unsigned int i;

	if (ring->preqs)
		atomic_long_dec(&blkback_census[BLKBACK_CENSUS_RINGS]);
	for (i = 0; ring->preqs && i < ring->ring_size; i++)
		blkback_preq_free_room(&ring->preqs[i]);
	kvfree(ring->preqs);
	kvfree(ring->map);
	kvfree(ring->unmap);
	kvfree(ring->pages);
	kvfree(ring->map_seg);
	kvfree(ring->slots);
	ring->preqs = NULL;
	for (i = 0; ring->pgrant_page && i < ring->pgrant.capacity; i++) {
		if (!ring->pgrant_page[i])
			continue;
		gnttab_page_cache_put(&ring->page_cache, &ring->pgrant_page[i],
				      1);
		atomic_long_dec(&blkback_census[BLKBACK_CENSUS_PGRANT_PAGES]);
	}
	kvfree(ring->pgrant_page);
	kvfree(ring->pgrant_handle);
	ring->pgrant_page = NULL;
	blkback_pgrant_destroy(&ring->pgrant);
	gnttab_page_cache_shrink(&ring->page_cache, 0);
}

/**
 * blkback_ring_connect() - map a frontend queue's ring and start its worker
 * @ring: zeroed, with @dev and @index set; &struct blkback_dev.conn and
 *	.max_segs are final
 * @cfg: the queue's parsed ring grants and event channel
 *
 * Context: process, the device's mutex held.
 * Return: 0, or an errno with everything undone by
 * blkback_ring_disconnect() (which the caller must call either way).
 */
int blkback_ring_connect(struct blkback_ring *ring,
			 const struct blkback_ring_cfg *cfg)
{
	struct blkback_dev *dev = ring->dev;
	evtchn_port_t port;
	int cpu;
	int err;

	lockdep_assert_held(&dev->mutex);
	init_waitqueue_head(&ring->wq);
	init_llist_head(&ring->done);
	INIT_LIST_HEAD(&ring->free);
	gnttab_page_cache_init(&ring->page_cache);
	ring->ring_size = dev->conn.ring_size;
	ring->max_segs = dev->max_segs;
	ring->vbd = dev->vbd;
	err = blkback_alloc_preqs(ring);
	if (!err && dev->conn.persistent && blkback_max_persistent_grants)
		err = blkback_alloc_pgrant(ring);
	if (!err)
		err = xenpv_map_ring(dev->xbdev, (grant_ref_t *)cfg->ring_refs,
				     cfg->nr_ring_refs, &ring->sring);
	if (err)
		return err;
	ring->back.sring = ring->sring;
	ring->back.nr_ents = ring->ring_size;
	ring->back.rsp_prod_pvt = xenpv_read_idx(&ring->back.sring->rsp_prod);
	ring->back.req_cons = ring->back.rsp_prod_pvt;

	snprintf(ring->name, sizeof(ring->name), "%u.vbd%u-%u", dev->domid,
		 dev->handle, ring->index);
	ring->task = kthread_create(blkback_worker, ring, "%s", ring->name);
	if (IS_ERR(ring->task)) {
		err = PTR_ERR(ring->task);
		ring->task = NULL;
		return err;
	}
	port = cfg->evtchn;
	err = xenpv_evtchn_bind(dev->xbdev, &port, XENPV_EVTCHN_PEERS,
				blkback_interrupt, ring->name, ring);
	if (err < 0)
		return err;
	ring->irq = err;
	/* No CPU is tied to a backend ring: the policy spreads them. */
	cpu = xenpv_irq_place(dev->xbdev, ring->irq, -1,
			      ring->index + dev->domid);
	if (blkback_worker_follows_irq)
		xenpv_irq_follow(&ring->follow, ring->irq, cpu, ring->task);
	wake_up_process(ring->task);
	return 0;
}

/**
 * blkback_ring_disconnect() - stop a ring and free everything it holds
 * @ring: a ring given to blkback_ring_connect(), connected or not
 *
 * Waits for every bio of the ring to end, answers what was in flight,
 * unmaps every grant and the ring itself, and closes the event channel.
 * The worker takes no new request once told to stop.
 *
 * Context: process, the device's mutex held; may sleep for as long as
 * the backing device takes to end its I/O.
 */
void blkback_ring_disconnect(struct blkback_ring *ring)
{
	lockdep_assert_held(&ring->dev->mutex);
	xenpv_irq_unfollow(&ring->follow);
	/* The worker stops taking requests, drains, sends its last notify. */
	if (ring->task)
		kthread_stop(ring->task);
	ring->task = NULL;
	if (ring->irq > 0)
		unbind_from_irqhandler(ring->irq, ring);
	ring->irq = 0;
	if (ring->sring)
		xenbus_unmap_ring_vfree(ring->dev->xbdev, ring->sring);
	ring->sring = NULL;
	ring->back.sring = NULL;
	blkback_free_ring_mem(ring);
}
