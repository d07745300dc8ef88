// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV block frontend: the blk-mq side.
 *
 * One blkif ring per blk-mq hardware queue.  A request is prepared outside
 * the queue's lock (scatterlist, segments, grants), put on the ring under
 * it, and the backend is notified only at the end of a batch, after the
 * lock is dropped.  Responses are copied once, checked by the protocol
 * core (blkfront-proto.c) and completed; the first bad one breaks the
 * device, never the guest.
 */

#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/page.h>
#include <compat/compat.h>

#include "blkfront.h"

/* Segments per request: what the disk's requests are made for. */
XENPV_UINT_PARAM(blkfront, max_indirect_segments, 256,
		 "Most segments per indirect request; 0: no indirect requests");

static struct dentry *blkfront_debugfs_root;

/* ---- Request preparation ----------------------------------------------- */

static int blkfront_req_kind(struct request *rq, unsigned int *flags)
{
	*flags = 0;
	switch (req_op(rq)) {
	case REQ_OP_READ:
		return BLKFRONT_REQ_READ;
	case REQ_OP_WRITE:
		if (rq->cmd_flags & REQ_FUA)
			*flags |= BLKFRONT_REQ_FUA;
		return BLKFRONT_REQ_WRITE;
	case REQ_OP_FLUSH:
		return BLKFRONT_REQ_FLUSH;
	case REQ_OP_SECURE_ERASE:
		*flags |= BLKFRONT_REQ_SECURE;
		fallthrough;
	case REQ_OP_DISCARD:
		return BLKFRONT_REQ_DISCARD;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Build the request's chunks from its scatterlist and its segments, up to
 * what the PDU has room for: a request made for an earlier connection's
 * larger limit maps too (the caller cuts it, blkfront_split_data()).
 */
static int blkfront_map_data(struct blkfront_ring *ring, struct request *rq,
			     struct blkfront_cmd *cmd, struct blkfront_layout *lay)
{
	struct blkfront_geom geom = {
		.page_shift = PAGE_SHIFT,
		.max_indirect_segs = ring->dev->max_sg,
	};
	struct scatterlist *sg;
	unsigned int i, nr;

	/* The table was initialised once; blk_rq_map_sg() moves its end. */
	nr = blk_rq_map_sg(rq->q, rq, cmd->sg);
	for_each_sg(cmd->sg, sg, nr, i) {
		cmd->chunks[i].offset = sg->offset;
		cmd->chunks[i].len = sg->length;
	}
	return blkfront_map_chunks(&geom, cmd->chunks, nr, cmd->segs, lay);
}

/* Borrow pool pages with their grants; a write's data is copied in. */
static int blkfront_grant_persistent(struct blkfront_ring *ring,
				     struct blkfront_cmd *cmd,
				     const struct blkfront_layout *lay)
{
	unsigned int i;
	int err;

	err = blkfront_pool_get(&ring->pool, ring->dev->xbdev->otherend_id,
				cmd->pgs, lay->nr_grants);
	if (err)
		return err;
	for (i = 0; i < lay->nr_grants; i++)
		cmd->grefs[i] = cmd->pgs[i]->gref;
	cmd->nr_grants = lay->nr_grants;
	cmd->nr_data = lay->nr_segs;
	cmd->persistent = true;
	if (cmd->readonly)
		blkfront_pool_copy(cmd, BLKFRONT_COPY_TO_POOL);
	return 0;
}

/*
 * Grant the backend access to the data pages and the indirect frame; the
 * counts stay at the zero blkfront_prep() set when there is nothing to grant.
 */
static int blkfront_grant(struct blkfront_ring *ring, struct blkfront_cmd *cmd,
			  const struct blkfront_layout *lay)
{
	domid_t otherend = ring->dev->xbdev->otherend_id;
	grant_ref_t head;
	unsigned int i;

	if (!lay->nr_grants)
		return 0;
	if (ring->dev->params.persistent || ring->dev->bounce)
		return blkfront_grant_persistent(ring, cmd, lay);
	if (lay->indirect && !cmd->ind_frame)
		return -EIO;
	if (xenpv_gnttab_alloc(lay->nr_grants, &head))
		return -ENOSPC;
	for (i = 0; i < lay->nr_segs; i++) {
		struct page *page = sg_page(&cmd->sg[cmd->segs[i].chunk]);

		cmd->grefs[i] = gnttab_claim_grant_reference(&head);
		gnttab_grant_foreign_access_ref(cmd->grefs[i], otherend,
						xen_page_to_gfn(page) +
						cmd->segs[i].frame,
						cmd->readonly);
	}
	for (; i < lay->nr_grants; i++) {
		cmd->grefs[i] = gnttab_claim_grant_reference(&head);
		gnttab_page_grant_foreign_access_ref_one(cmd->grefs[i], otherend,
							 cmd->ind_frame, 1);
	}
	cmd->nr_grants = lay->nr_grants;
	cmd->nr_data = lay->nr_segs;
	gnttab_free_grant_references(head);
	return 0;
}

/*
 * Take the grants back.  Pool pages go back to the pool.  Any other
 * grant the backend still has mapped cannot be reused: its page is handed
 * to the grant table code, which frees it once the backend lets go, and
 * the device is broken.
 */
static void blkfront_ungrant(struct blkfront_ring *ring, struct blkfront_cmd *cmd)
{
	struct page *page;
	unsigned int i;

	if (cmd->persistent) {
		if (!blkfront_pool_put(&ring->pool, cmd->pgs, cmd->nr_grants))
			blkfront_broken(ring->dev,
					"kept a bounce page mapped after its response");
		cmd->persistent = false;
		cmd->nr_grants = 0;
		return;
	}
	for (i = 0; i < cmd->nr_grants; i++) {
		if (gnttab_end_foreign_access_ref(cmd->grefs[i])) {
			gnttab_free_grant_reference(cmd->grefs[i]);
			continue;
		}
		page = i < cmd->nr_data ? sg_page(&cmd->sg[cmd->segs[i].chunk]) :
				     cmd->ind_frame;
		get_page(page);
		gnttab_end_foreign_access(cmd->grefs[i], page);
		blkfront_broken(ring->dev,
				"kept a grant mapped after its response");
	}
	cmd->nr_grants = 0;
}

/* Where the indirect segment list goes. */
static struct blkif_request_segment *
blkfront_ind_list(const struct blkfront_cmd *cmd,
		  const struct blkfront_layout *lay)
{
	if (!lay->indirect)
		return NULL;
	if (cmd->persistent)
		return page_address(cmd->pgs[lay->nr_segs]->page);
	return page_address(cmd->ind_frame);
}

/* Give back the ids of @rq's parts taken before one could not be encoded. */
static void blkfront_put_part_ids(struct blkfront_ring *ring, struct request *rq)
{
	int id;

	for (id = xenpv_ids_next_in_flight(&ring->ids, 0); id >= 0;
	     id = xenpv_ids_next_in_flight(&ring->ids, id + 1))
		if (xenpv_id_priv(&ring->ids, id) == rq)
			xenpv_id_put(&ring->ids, id);
}

/*
 * Put the cmd->parts_left direct parts of a split request on the ring,
 * which has room for them all: called under ring->lock.
 */
static int blkfront_ring_put_parts(struct blkfront_ring *ring,
				   struct request *rq, struct blkfront_cmd *cmd,
				   int op)
{
	unsigned int align = ring->dev->params.sector_size >> SECTOR_SHIFT;
	struct blkfront_part part = { };
	struct blkfront_io io = { .op = op, .handle = ring->dev->handle };
	RING_IDX slot = ring->front.req_prod_pvt;
	int id, ret;

	lockdep_assert_held(&ring->lock);
	while ((ret = blkfront_split_next(cmd->segs, cmd->nr_segs,
					  BLKIF_MAX_SEGMENTS_PER_REQUEST, align,
					  &part)) > 0) {
		id = xenpv_id_get(&ring->ids, op, 0, rq);
		if (WARN_ON_ONCE(id < 0)) {	/* the room was checked */
			ret = id;
			break;
		}
		io.id = id;
		io.sector = blk_rq_pos(rq) + part.sector_off;
		io.segs = cmd->segs + part.first_seg;
		io.grefs = cmd->grefs + part.first_seg;
		ret = blkfront_layout_for(part.nr_segs, part.nr_sectors, 0,
					  &io.lay);
		if (!ret)
			ret = blkfront_encode_rw(RING_GET_REQUEST(&ring->front,
								  slot),
						 &io, NULL);
		if (ret)
			break;
		slot++;
	}
	/* blkfront_nr_parts() cut the same parts before: a bug of ours. */
	if (WARN_ON_ONCE(ret || slot - ring->front.req_prod_pvt != cmd->parts_left)) {
		blkfront_put_part_ids(ring, rq);
		return -EIO;
	}
	ring->front.req_prod_pvt = slot;
	ring->stats[BLKFRONT_STAT_REQS] += cmd->parts_left;
	ring->stats[BLKFRONT_STAT_SPLIT]++;
	return 0;
}

/* Put a prepared request on the queue's ring: called under ring->lock. */
static int blkfront_ring_put(struct blkfront_ring *ring, struct request *rq,
			     struct blkfront_cmd *cmd, int op,
			     const struct blkfront_layout *lay)
{
	struct blkfront_dev *dev = ring->dev;
	struct blkif_request *req;
	struct blkif_request_segment *frames[1];
	struct blkfront_io io;
	int id, ret;

	lockdep_assert_held(&ring->lock);
	/*
	 * Checked again under the lock: a shut-down or a break drains the
	 * ring under it, and a request put on the ring after that would never
	 * end.
	 */
	if (!blkfront_io_allowed(dev))
		return -EIO;
	if (RING_FREE_REQUESTS(&ring->front) < cmd->parts_left)
		return -EBUSY;
	if (unlikely(cmd->parts_left > 1))
		return blkfront_ring_put_parts(ring, rq, cmd, op);
	id = xenpv_id_get(&ring->ids, op,
			  lay->indirect ? BLKFRONT_ID_INDIRECT : 0, rq);
	if (id < 0)
		return id;
	req = RING_GET_REQUEST(&ring->front, ring->front.req_prod_pvt);
	if (op == BLKIF_OP_DISCARD) {
		ret = blkfront_encode_discard(req, id, blk_rq_pos(rq),
					      blk_rq_sectors(rq),
					      req_op(rq) == REQ_OP_SECURE_ERASE);
	} else {
		io = (struct blkfront_io) {
			.op = op, .handle = dev->handle, .id = id,
			.sector = blk_rq_pos(rq), .lay = *lay,
			.segs = cmd->segs, .grefs = cmd->grefs,
		};
		frames[0] = blkfront_ind_list(cmd, lay);
		ret = blkfront_encode_rw(req, &io, frames);
	}
	if (ret) {
		xenpv_id_put(&ring->ids, id);
		return ret;
	}
	ring->front.req_prod_pvt++;
	ring->stats[BLKFRONT_STAT_REQS]++;
	return 0;
}

/* Publish the ring's new requests; true when the backend needs a kick. */
static bool blkfront_push(struct blkfront_ring *ring)
{
	bool notify;

	lockdep_assert_held(&ring->lock);
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ring->front, notify);
	if (notify)
		ring->stats[BLKFRONT_STAT_NOTIFY]++;
	return notify;
}

static blk_status_t blkfront_errno_to_sts(int err)
{
	switch (err) {
	case 0:
		return BLK_STS_OK;
	case -EOPNOTSUPP:
		return BLK_STS_NOTSUPP;
	case -ENOSPC:
	case -ENOMEM:
		return BLK_STS_RESOURCE;
	case -EBUSY:
		return BLK_STS_DEV_RESOURCE;
	default:
		return BLK_STS_IOERR;
	}
}

/*
 * A request with more segments than the connection takes (made for an
 * earlier connection's larger limit, before a resume): it goes out as
 * direct parts, which need grants for the data alone.
 */
static int blkfront_split_data(struct blkfront_ring *ring,
			       struct blkfront_cmd *cmd, int op,
			       struct blkfront_layout *lay)
{
	int n = blkfront_nr_parts(&ring->dev->params, op, cmd->segs,
				  lay->nr_segs);

	if (n < 0)
		return n;
	cmd->parts_left = n;
	lay->indirect = false;
	lay->nr_indirect = 0;
	lay->nr_grants = lay->nr_segs;
	return 0;
}

/* Map and grant the request's data: no ring lock needed. */
static int blkfront_prep(struct blkfront_ring *ring, struct request *rq,
			 struct blkfront_cmd *cmd, int *op,
			 struct blkfront_layout *lay)
{
	unsigned int flags;
	int kind, ret;

	memset(lay, 0, sizeof(*lay));
	kind = blkfront_req_kind(rq, &flags);
	if (kind < 0)
		return kind;
	*op = blkfront_wire_op(&ring->dev->params, kind, flags);
	if (*op < 0)
		return *op;
	cmd->ring = ring;
	cmd->parts_left = 1;
	cmd->nr_segs = 0;
	cmd->nr_grants = 0;
	cmd->nr_data = 0;
	cmd->persistent = false;
	cmd->status = BLK_STS_OK;
	if (kind != BLKFRONT_REQ_READ && kind != BLKFRONT_REQ_WRITE)
		return 0;
	cmd->readonly = kind == BLKFRONT_REQ_WRITE;
	ret = blkfront_map_data(ring, rq, cmd, lay);
	if (ret)
		return ret;
	cmd->nr_segs = lay->nr_segs;
	if (unlikely(lay->nr_segs > ring->dev->params.max_segs)) {
		ret = blkfront_split_data(ring, cmd, *op, lay);
		if (ret)
			return ret;
	}
	return blkfront_grant(ring, cmd, lay);
}

/*
 * The ring of a hardware queue.  A reconnection may bring fewer rings than
 * the disk has hardware queues (the backend offers fewer): they share.
 * The count changes only while the queues are quiesced.
 */
static struct blkfront_ring *blkfront_hctx_ring(struct blk_mq_hw_ctx *hctx)
{
	struct blkfront_dev *dev = hctx->driver_data;
	unsigned int n = READ_ONCE(dev->nr_rings);

	return n ? &dev->rings[hctx->queue_num % n] : NULL;
}

static blk_status_t blkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
				      const struct blk_mq_queue_data *bd)
{
	struct blkfront_dev *dev = hctx->driver_data;
	struct request *rq = bd->rq;
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct blkfront_ring *ring;
	struct blkfront_layout lay;
	unsigned long flags;
	bool notify = false;
	int op, ret;

	if (!blkfront_io_allowed(dev))
		return BLK_STS_IOERR;
	ring = blkfront_hctx_ring(hctx);
	if (!ring)
		return BLK_STS_IOERR;
	blk_mq_start_request(rq);
	ret = blkfront_prep(ring, rq, cmd, &op, &lay);
	if (ret) {
		if (ret != -ENOSPC)
			dev_err_ratelimited(&ring->dev->xbdev->dev,
					    "ring %u: cannot send a %s request: %d\n",
					    ring->index, blk_op_str(req_op(rq)), ret);
		return blkfront_errno_to_sts(ret);
	}

	spin_lock_irqsave(&ring->lock, flags);
	ret = blkfront_ring_put(ring, rq, cmd, op, &lay);
	if (ret == -EBUSY || ret == -ENOSPC) {
		/* The next completion restarts the queue. */
		blk_mq_stop_hw_queue(hctx);
		ring->stopped = true;
		ring->stats[BLKFRONT_STAT_RING_FULL]++;
		ret = -EBUSY;
	}
	if (!ret && bd->last)
		notify = blkfront_push(ring);
	spin_unlock_irqrestore(&ring->lock, flags);

	if (notify)
		notify_remote_via_irq(ring->irq);
	if (ret)
		blkfront_ungrant(ring, cmd);
	return blkfront_errno_to_sts(ret);
}

static void blkfront_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct blkfront_ring *ring = blkfront_hctx_ring(hctx);
	unsigned long flags;
	bool notify;

	if (!ring)
		return;
	spin_lock_irqsave(&ring->lock, flags);
	notify = blkfront_push(ring);
	spin_unlock_irqrestore(&ring->lock, flags);
	if (notify)
		notify_remote_via_irq(ring->irq);
}

/* A read's data out of the grant pages, and the grants back. */
static void blkfront_finish(struct request *rq)
{
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);

	if (cmd->persistent && !cmd->readonly && cmd->status == BLK_STS_OK)
		blkfront_pool_copy(cmd, BLKFRONT_COPY_FROM_POOL);
	blkfront_ungrant(cmd->ring, cmd);
}

static void blkfront_complete(struct request *rq)
{
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);

	blkfront_finish(rq);
	blk_mq_end_request(rq, cmd->status);
}

/*
 * The successful requests of one interrupt end together: blk-mq then
 * reads the clock once and frees their tags in one go, instead of once
 * for each.
 */
static void blkfront_complete_batch(struct io_comp_batch *iob)
{
	struct request *rq;

	rq_list_for_each(&iob->req_list, rq)
		blkfront_finish(rq);
	blk_mq_end_request_batch(iob);
}

/* ---- Responses ----------------------------------------------------------- */

/* One response taken: end its request once all of the request's parts are. */
static void blkfront_end_part(struct blkfront_ring *ring,
			      const struct blkfront_done *done,
			      struct io_comp_batch *iob)
{
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(done->priv);

	if (done->error) {
		cmd->status = blkfront_errno_to_sts(done->error);
		dev_warn_ratelimited(&ring->dev->xbdev->dev,
				     "ring %u: operation %u failed in the backend: %d\n",
				     ring->index, done->op, done->error);
	}
	if (--cmd->parts_left)
		return;		/* more parts to come */
	if (!blk_mq_add_to_batch(done->priv, iob, cmd->status != BLK_STS_OK,
				 blkfront_complete_batch))
		blk_mq_complete_request(done->priv);
}

/*
 * Take every response on the ring (blkfront-proto.c fetches each shared
 * value once and checks it); the first bad one stops it and is returned.
 * Successful requests are added to @iob, to be ended once ring->lock is
 * dropped; failed ones are ended through blk-mq's completion.  @any is
 * set when a response was taken.
 */
static enum blkfront_verdict blkfront_consume(struct blkfront_ring *ring,
					      struct io_comp_batch *iob,
					      bool *any)
{
	struct blkfront_done done;
	enum blkfront_verdict v;
	RING_IDX rp;

	lockdep_assert_held(&ring->lock);
	do {
		v = blkfront_rsp_avail(&ring->front, &ring->ids, &rp);
		while (v == BLKFRONT_RSP_OK && ring->front.rsp_cons != rp) {
			v = blkfront_rsp_take(&ring->front, &ring->ids, &done);
			if (v != BLKFRONT_RSP_OK)
				break;
			*any = true;
			blkfront_end_part(ring, &done, iob);
		}
		if (v != BLKFRONT_RSP_OK)
			return v;
	} while (blkfront_rsp_more(&ring->front));
	return BLKFRONT_RSP_OK;
}

/* Fail the device for a bad response, with one line naming the ring. */
static void blkfront_bad_response(struct blkfront_ring *ring,
				  enum blkfront_verdict v)
{
	char why[96];

	snprintf(why, sizeof(why), "ring %u: %s", ring->index,
		 blkfront_verdict_str(v));
	blkfront_broken(ring->dev, why);
}

/*
 * Take the ring's responses, if I/O is allowed, and restart its hardware
 * queues if a full ring stopped them.  Successful requests go to @iob.
 */
static enum blkfront_verdict blkfront_take(struct blkfront_ring *ring,
					   struct io_comp_batch *iob,
					   bool *any)
{
	enum blkfront_verdict v;

	lockdep_assert_held(&ring->lock);
	if (!blkfront_io_allowed(ring->dev))
		return BLKFRONT_RSP_OK;
	v = blkfront_consume(ring, iob, any);
	if (v == BLKFRONT_RSP_OK && ring->stopped && !RING_FULL(&ring->front)) {
		/* Any of the hardware queues sharing the ring. */
		ring->stopped = false;
		blk_mq_start_stopped_hw_queues(ring->dev->disk->queue, true);
	}
	return v;
}

/* After blkfront_take(), the lock dropped: end @iob, fail a bad ring. */
static void blkfront_took(struct blkfront_ring *ring,
			  struct io_comp_batch *iob, enum blkfront_verdict v)
{
	if (iob->complete)
		iob->complete(iob);
	if (v != BLKFRONT_RSP_OK)
		blkfront_bad_response(ring, v);
}

/**
 * blkfront_interrupt() - a ring's event channel handler
 * @irq: the interrupt
 * @data: the &struct blkfront_ring
 *
 * Completes the ring's responses and restarts its hardware queues if a
 * full ring stopped them.  The EOI is late (xenpv_irq_eoi()): the
 * backend's next event is not delivered before this one is handled, and
 * one that brought nothing counts as spurious.
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t blkfront_interrupt(int irq, void *data)
{
	struct blkfront_ring *ring = data;
	enum blkfront_verdict v;
	DEFINE_IO_COMP_BATCH(iob);
	unsigned long flags;
	bool any = false;

	spin_lock_irqsave(&ring->lock, flags);
	ring->stats[BLKFRONT_STAT_IRQS]++;
	v = blkfront_take(ring, &iob, &any);
	if (!any)
		ring->stats[BLKFRONT_STAT_SPURIOUS]++;
	spin_unlock_irqrestore(&ring->lock, flags);
	blkfront_took(ring, &iob, v);
	xenpv_irq_eoi(irq, any);
	return IRQ_HANDLED;
}

/**
 * blkfront_check_rings() - look at the rings of a new connection
 * @dev: the device, just connected (I/O allowed), no request sent yet
 *
 * The interrupt handler takes nothing while I/O is not allowed, so a
 * response the backend put on a ring before the connection would lie
 * there unseen, and since the ring's response event was never moved on,
 * the backend would not notify the frontend of the responses after it:
 * requests would hang with nothing logged.  No request has gone out on
 * these rings, so any response is one never asked for: the device fails
 * here, with its one line.
 *
 * Context: process; the device's xenbus callback.
 */
void blkfront_check_rings(struct blkfront_dev *dev)
{
	enum blkfront_verdict v;
	struct blkfront_ring *ring;
	unsigned long flags;
	unsigned int i;
	bool any;

	for (i = 0; i < dev->nr_rings; i++) {
		DEFINE_IO_COMP_BATCH(iob);

		ring = &dev->rings[i];
		any = false;
		spin_lock_irqsave(&ring->lock, flags);
		v = blkfront_take(ring, &iob, &any);
		spin_unlock_irqrestore(&ring->lock, flags);
		blkfront_took(ring, &iob, v);
	}
}

/* ---- Failing, requeueing and restarting ------------------------------- */

/**
 * enum blkfront_drain - what becomes of the requests on a dead ring
 * @BLKFRONT_DRAIN_FAIL: they end with an I/O error
 * @BLKFRONT_DRAIN_RECOVER: they go on the device's recover list, to be
 *	sent again on the next connection (blkfront_recover())
 */
enum blkfront_drain {
	BLKFRONT_DRAIN_FAIL,
	BLKFRONT_DRAIN_RECOVER,
};

/* Take every request off a ring, the ring being dead. */
static void blkfront_drain_ring(struct blkfront_ring *ring,
				enum blkfront_drain how)
{
	struct blkfront_cmd *cmd;
	struct request *rq;
	unsigned long flags;
	int id;

	lockdep_assert_held(&ring->dev->mutex);	/* ring->dev->recover */
	spin_lock_irqsave(&ring->lock, flags);
	while ((id = xenpv_ids_next_in_flight(&ring->ids, 0)) >= 0) {
		rq = xenpv_id_priv(&ring->ids, id);
		xenpv_id_put(&ring->ids, id);
		cmd = blk_mq_rq_to_pdu(rq);
		if (--cmd->parts_left)
			continue;	/* the last of its parts decides */
		if (how == BLKFRONT_DRAIN_RECOVER) {
			blkfront_ungrant(ring, cmd);
			list_add_tail(&rq->queuelist, &ring->dev->recover);
		} else {
			cmd->status = BLK_STS_IOERR;
			blk_mq_complete_request(rq);
		}
	}
	ring->stopped = false;
	spin_unlock_irqrestore(&ring->lock, flags);
}

/**
 * blkfront_requeue_all() - take every request off the rings of a lost
 *	connection, to send them again
 * @dev: the device, its hardware queues quiesced
 *
 * After a resume the old rings are gone with their responses: requests
 * that were on them wait on @dev->recover until the new connection is up
 * (blkfront_recover()).
 */
void blkfront_requeue_all(struct blkfront_dev *dev)
{
	unsigned int i;

	lockdep_assert_held(&dev->mutex);
	for (i = 0; i < dev->nr_rings; i++)
		blkfront_drain_ring(&dev->rings[i], BLKFRONT_DRAIN_RECOVER);
}

/* End the requests of a lost connection with @sts. */
static void blkfront_end_recover(struct blkfront_dev *dev, blk_status_t sts)
{
	struct request *rq, *tmp;

	list_for_each_entry_safe(rq, tmp, &dev->recover, queuelist) {
		list_del_init(&rq->queuelist);
		((struct blkfront_cmd *)blk_mq_rq_to_pdu(rq))->status = sts;
		blk_mq_complete_request(rq);
	}
}

/**
 * blkfront_fail_all() - fail every request in flight
 * @dev: the device, broken or gone
 *
 * Those waiting to be sent again after a resume fail too.
 */
void blkfront_fail_all(struct blkfront_dev *dev)
{
	unsigned int i;

	lockdep_assert_held(&dev->mutex);
	for (i = 0; i < dev->nr_rings; i++)
		blkfront_drain_ring(&dev->rings[i], BLKFRONT_DRAIN_FAIL);
	blkfront_end_recover(dev, BLK_STS_IOERR);
}

/* What a request of the lost connection was, for the recovery planner. */
static void blkfront_inflight_of(struct request *rq,
				 struct blkfront_inflight *in)
{
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);
	int kind = blkfront_req_kind(rq, &in->flags);

	/* Only requests that went on a ring are here: their kind is known. */
	in->kind = kind < 0 ? BLKFRONT_REQ_READ : kind;
	in->nr_segs = cmd->nr_segs;
	in->segs = cmd->segs;
	in->ring = cmd->ring->index;
}

/* Plan the recovery of @n requests on @dev->recover and act on it. */
static int blkfront_plan_and_requeue(struct blkfront_dev *dev,
				     unsigned int n)
{
	struct blkfront_recover_step *steps;
	struct blkfront_recover_sum sum;
	struct blkfront_inflight *in;
	struct request *rq, *tmp;
	unsigned int i = 0;
	int err;

	/* Resume path: an allocation must not wait for I/O to this disk. */
	in = XENPV_ALLOC(kcalloc(n, sizeof(*in), GFP_NOIO));
	steps = XENPV_ALLOC(kcalloc(n, sizeof(*steps), GFP_NOIO));
	err = in && steps ? 0 : -ENOMEM;
	list_for_each_entry(rq, &dev->recover, queuelist)
		if (!err)
			blkfront_inflight_of(rq, &in[i++]);
	if (!err)
		err = blkfront_plan_recovery(&dev->params, in, n, steps, &sum);
	if (!err) {
		dev_info(&dev->xbdev->dev,
			 "resumed: %u requests to send again (%u as they were, %u split into %u ring requests), %u failed\n",
			 n, sum.nr_resend, sum.nr_split,
			 sum.nr_slots - sum.nr_resend, sum.nr_fail);
		i = 0;
		list_for_each_entry_safe(rq, tmp, &dev->recover, queuelist) {
			list_del_init(&rq->queuelist);
			if (steps[i].action == BLKFRONT_RECOVER_FAIL) {
				((struct blkfront_cmd *)blk_mq_rq_to_pdu(rq))->status =
					blkfront_errno_to_sts(steps[i].error);
				blk_mq_complete_request(rq);
			} else {
				blk_mq_requeue_request(rq, false);
			}
			i++;
		}
	}
	kfree(in);
	kfree(steps);
	return err;
}

/**
 * blkfront_recover() - send again the requests of a lost connection
 * @dev: the device, connected again after a resume, with the new
 *	connection's @params; its hardware queues still quiesced
 *
 * blkfront_plan_recovery() decides, with the new connection's limits,
 * which requests go again as they were, which are split (queue_rq cuts
 * them, blkfront_nr_parts()) and which the new backend cannot do and
 * fail; the others go back to blk-mq's requeue list, which
 * blkfront_kick_all() runs.  Without memory for the plan every request
 * is requeued and queue_rq decides alone.
 */
void blkfront_recover(struct blkfront_dev *dev)
{
	struct request *rq, *tmp;
	unsigned int n = 0;

	lockdep_assert_held(&dev->mutex);
	list_for_each_entry(rq, &dev->recover, queuelist)
		n++;
	if (!n || !blkfront_plan_and_requeue(dev, n))
		return;
	dev_warn(&dev->xbdev->dev, "resumed: no memory to plan the recovery of %u requests: sending them again unplanned\n",
		 n);
	list_for_each_entry_safe(rq, tmp, &dev->recover, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_requeue_request(rq, false);
	}
}

/**
 * blkfront_flush_waiting() - let every waiting request reach queue_rq
 * @dev: the device, closed or broken
 *
 * Requests blk-mq holds back (on a hardware queue a full ring stopped, or
 * behind a resume's quiesce) would otherwise wait for a connection that
 * will not come; queue_rq now fails them.
 */
void blkfront_flush_waiting(struct blkfront_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	if (!dev->disk)
		return;
	if (dev->resuming) {
		blk_mq_unquiesce_queue(dev->disk->queue);
		dev->resuming = false;
	}
	blk_mq_start_stopped_hw_queues(dev->disk->queue, true);
	blk_mq_kick_requeue_list(dev->disk->queue);
}

/**
 * blkfront_kick_all() - restart I/O on a new connection after a resume
 * @dev: the device, connected again, its queues quiesced by the resume
 */
void blkfront_kick_all(struct blkfront_dev *dev)
{
	if (!dev->disk)
		return;
	blk_mq_unquiesce_queue(dev->disk->queue);
	blk_mq_start_stopped_hw_queues(dev->disk->queue, true);
	blk_mq_kick_requeue_list(dev->disk->queue);
}

/* ---- blk-mq glue and the disk ------------------------------------------ */

static int blkfront_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			      unsigned int index)
{
	hctx->driver_data = data;
	return 0;
}

static int blkfront_init_request(struct blk_mq_tag_set *set,
				 struct request *rq, unsigned int hctx_idx,
				 unsigned int numa_node)
{
	struct blkfront_dev *dev = set->driver_data;
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);
	void *p = cmd + 1;

	cmd->sg = p;
	sg_init_table(cmd->sg, dev->max_sg);
	p += dev->max_sg * sizeof(*cmd->sg);
	cmd->chunks = p;
	p += dev->max_sg * sizeof(*cmd->chunks);
	cmd->segs = p;
	p += dev->max_sg * sizeof(*cmd->segs);
	/* Pointers before the 4-byte grant references, to stay aligned. */
	cmd->pgs = p;
	p += (dev->max_sg + BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST) *
	     sizeof(*cmd->pgs);
	cmd->grefs = p;
	cmd->persistent = false;
	cmd->ind_frame = NULL;
	if (dev->max_sg > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		cmd->ind_frame = XENPV_ALLOC(alloc_pages_node(numa_node,
							      GFP_KERNEL, 0));
		if (!cmd->ind_frame)
			return -ENOMEM;
		atomic_long_inc(&blkfront_census[BLKFRONT_CENSUS_IND_FRAMES]);
	}
	return 0;
}

static void blkfront_exit_request(struct blk_mq_tag_set *set,
				  struct request *rq, unsigned int hctx_idx)
{
	struct blkfront_cmd *cmd = blk_mq_rq_to_pdu(rq);

	if (cmd->ind_frame) {
		__free_page(cmd->ind_frame);
		atomic_long_dec(&blkfront_census[BLKFRONT_CENSUS_IND_FRAMES]);
	}
}

static const struct blk_mq_ops blkfront_mq_ops = {
	.queue_rq	= blkfront_queue_rq,
	.commit_rqs	= blkfront_commit_rqs,
	.complete	= blkfront_complete,
	.init_hctx	= blkfront_init_hctx,
	.init_request	= blkfront_init_request,
	.exit_request	= blkfront_exit_request,
};

static const struct block_device_operations blkfront_fops = {
	.owner		= THIS_MODULE,
};

static size_t blkfront_cmd_size(unsigned int max_sg)
{
	return sizeof(struct blkfront_cmd) +
	       max_sg * (sizeof(struct scatterlist) +
			 sizeof(struct blkfront_chunk) +
			 sizeof(struct blkfront_seg)) +
	       (max_sg + BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST) *
	       (sizeof(grant_ref_t) + sizeof(struct blkfront_pgrant *));
}

/* The disk's limits for the current connection (@max_sg or fewer segments). */
static void blkfront_queue_limits(struct blkfront_dev *dev,
				  struct queue_limits *lim)
{
	const struct blkfront_params *p = &dev->params;

	memset(lim, 0, sizeof(*lim));
	lim->logical_block_size = p->sector_size;
	lim->physical_block_size = p->physical_sector_size;
	lim->max_segments = p->max_segs;
	lim->max_hw_sectors = p->max_segs << (PAGE_SHIFT - SECTOR_SHIFT);
	lim->max_segment_size = PAGE_SIZE;
	lim->seg_boundary_mask = PAGE_SIZE - 1;
	lim->dma_alignment = SECTOR_SIZE - 1;
	if (p->discard) {
		lim->max_hw_discard_sectors = UINT_MAX >> SECTOR_SHIFT;
		lim->discard_granularity = p->discard_granularity;
		lim->discard_alignment = p->discard_alignment;
		if (p->discard_secure)
			lim->max_secure_erase_sectors = UINT_MAX >> SECTOR_SHIFT;
	}
}

static void blkfront_disk_name(char *name, unsigned int index)
{
	char tail[8];
	int i = ARRAY_SIZE(tail) - 1;

	tail[i] = '\0';
	do {
		tail[--i] = 'a' + index % 26;
		index = index / 26;
	} while (index-- && i > 0);
	snprintf(name, DISK_NAME_LEN, "xvd%s", &tail[i]);
}

/**
 * blkfront_alloc_disk() - make the gendisk of a first connection
 * @dev: the device, with its negotiated @params and its rings
 *
 * The disk is not added yet: queue @dev->add_work for that
 * (blkfront_add_work()).
 *
 * Return: 0 or a negative errno.
 */
int blkfront_alloc_disk(struct blkfront_dev *dev)
{
	const struct blkfront_params *p = &dev->params;
	struct blk_mq_tag_set *set = &dev->tag_set;
	struct queue_limits lim;
	struct gendisk *disk;
	int err;

	lockdep_assert_held(&dev->mutex);
	dev->max_sg = p->max_segs;
	memset(set, 0, sizeof(*set));
	set->ops = &blkfront_mq_ops;
	set->nr_hw_queues = dev->nr_hw;
	set->queue_depth = p->ring_size;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->cmd_size = blkfront_cmd_size(dev->max_sg);
	set->driver_data = dev;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		return err;

	blkfront_queue_limits(dev, &lim);
	disk = compat_blk_mq_alloc_disk(set, &lim, p->flush, p->fua, dev);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto out_free_tags;
	}
	disk->major = BLKFRONT_MAJOR;
	disk->first_minor = dev->first_minor;
	disk->minors = dev->minors;
	disk->fops = &blkfront_fops;
	disk->private_data = dev;
	blkfront_disk_name(disk->disk_name, dev->index);
	set_capacity(disk, p->sectors);
	set_disk_ro(disk, p->info & VDISK_READONLY);
	if (p->info & VDISK_REMOVABLE)
		disk->flags |= GENHD_FL_REMOVABLE;
	dev->disk = disk;
	dev->disk_added = false;
	return 0;

out_free_tags:
	blk_mq_free_tag_set(set);
	return err;
}

/**
 * blkfront_update_limits() - give the disk a new connection's limits
 * @dev: the device, reconnected after a resume, its hardware queues
 *	quiesced; @params within what the tag set was made for (@max_sg)
 *
 * Requests already made for the old limits still reach queue_rq, which
 * splits those that no longer fit.
 *
 * Return: 0 or a negative errno.
 */
int blkfront_update_limits(struct blkfront_dev *dev)
{
	const struct blkfront_params *p = &dev->params;
	struct queue_limits lim;

	lockdep_assert_held(&dev->mutex);
	blkfront_queue_limits(dev, &lim);
	return compat_queue_update_limits(dev->disk->queue, &lim, p->flush,
					  p->fua);
}

/**
 * blkfront_add_work() - add the disk of a first connection
 * @work: the device's add_work
 *
 * device_add_disk() reads the partition table: it waits for the disk's
 * I/O, so it runs here, holding no lock, and never in the xenbus thread
 * (a backend that closes or breaks meanwhile must still be seen).
 */
void blkfront_add_work(struct work_struct *work)
{
	struct blkfront_dev *dev = container_of(work, struct blkfront_dev,
						add_work);
	int err;

	err = device_add_disk(&dev->xbdev->dev, dev->disk, NULL);
	if (err) {
		xenbus_dev_error(dev->xbdev, err, "adding the disk");
		return;
	}
	dev->disk_added = true;
}

/**
 * blkfront_remove_disk() - remove and free the gendisk and its tag set
 * @dev: the device
 *
 * Requests in flight must have ended (blkfront_fail_all()) or be able to:
 * the disk may still be being added, which waits for them.
 */
void blkfront_remove_disk(struct blkfront_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	if (!dev->disk)
		return;
	flush_work(&dev->add_work);	/* its I/O has failed: it ends */
	if (dev->disk_added) {
		blk_mark_disk_dead(dev->disk);
		del_gendisk(dev->disk);
	}
	dev->disk_added = false;
	put_disk(dev->disk);
	blk_mq_free_tag_set(&dev->tag_set);
	dev->disk = NULL;
}

/* The first online CPU blk-mq maps to hardware queue @i, or nr_cpu_ids. */
static unsigned int blkfront_ring_home(const struct blk_mq_queue_map *map,
				       unsigned int i)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (map->mq_map[cpu] == i)
			return cpu;
	return nr_cpu_ids;
}

/**
 * blkfront_place_irqs() - move each ring's interrupt to one of its CPUs
 * @dev: the device, with its disk and rings
 *
 * blk-mq maps CPUs to hardware queues, and hardware queue N uses ring N:
 * the ring's interrupt goes to the first online CPU mapped to N, where
 * its requests are issued (the policy of xenpv_irq_place()).
 */
void blkfront_place_irqs(struct blkfront_dev *dev)
{
	const struct blk_mq_queue_map *map;
	struct blkfront_ring *ring;
	unsigned int i, cpu;

	lockdep_assert_held(&dev->mutex);
	if (!dev->disk)
		return;
	map = &dev->tag_set.map[HCTX_TYPE_DEFAULT];
	for (i = 0; i < dev->nr_rings; i++) {
		ring = &dev->rings[i];
		cpu = blkfront_ring_home(map, i);
		if (cpu >= nr_cpu_ids || ring->irq < 0)
			continue;
		WRITE_ONCE(ring->cpu, xenpv_irq_place(dev->xbdev, ring->irq, cpu,
						      0));
	}
}

/* ---- CPU hotplug: interrupts go back to their CPUs ---------------------- */

/*
 * Writable: read each time a CPU comes online.  Off, a ring's interrupt
 * stays wherever genirq moved it when its CPUs went offline.
 */
XENPV_BOOL_PARAM_RW(blkfront, rehome_irqs, true,
		    "Move a ring's interrupt back to its CPUs when one of them comes online");

static enum cpuhp_state blkfront_cpuhp_state;

/* Is ring @i's interrupt on an online CPU that blk-mq maps to queue @i? */
static bool blkfront_irq_at_home(const struct blk_mq_queue_map *map,
				 const struct blkfront_ring *ring,
				 unsigned int i)
{
	const struct cpumask *eff = irq_get_effective_affinity_mask(ring->irq);
	unsigned int cpu = eff ? cpumask_first(eff) : nr_cpu_ids;

	return cpu < nr_cpu_ids && cpu_online(cpu) && map->mq_map[cpu] == i;
}

/*
 * A CPU came online.  genirq moved the interrupts off it when it went
 * (breaking their affinity when it was their only CPU) and never moves
 * them back: each ring whose interrupt is not on one of its own online
 * CPUs goes back to the first of them, as blkfront_place_irqs() put it.
 * An affinity a user wrote that points off the ring's CPUs is undone
 * too, at the next CPU online only.
 */
static void blkfront_rehome_work(struct work_struct *work)
{
	struct blkfront_dev *dev = container_of(work, struct blkfront_dev,
						rehome_work);
	const struct blk_mq_queue_map *map;
	struct blkfront_ring *ring;
	unsigned int i, cpu;
	int placed;

	mutex_lock(&dev->mutex);
	if (!dev->disk || dev->state != BF_CONNECTED)
		goto out;
	map = &dev->tag_set.map[HCTX_TYPE_DEFAULT];
	for (i = 0; i < dev->nr_rings; i++) {
		ring = &dev->rings[i];
		if (ring->irq < 0 || blkfront_irq_at_home(map, ring, i))
			continue;
		cpu = blkfront_ring_home(map, i);
		if (cpu >= nr_cpu_ids)
			continue;
		/* A failure is logged there; the interrupt works where it is. */
		placed = xenpv_irq_place(dev->xbdev, ring->irq, cpu, 0);
		WRITE_ONCE(ring->cpu, placed);
		if (placed >= 0)
			dev_info(&dev->xbdev->dev, "ring %u: interrupt %d back on cpu %d\n",
				 i, ring->irq, placed);
	}
out:
	mutex_unlock(&dev->mutex);
}

/*
 * In the hotplug thread, with CPU hotplug locked: no @dev->mutex here
 * (its holders may wait for that lock, blk-mq's set-up does), the work
 * takes it.
 */
static int blkfront_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct blkfront_dev *dev = hlist_entry_safe(node, struct blkfront_dev,
						    cpuhp_node);

	if (READ_ONCE(blkfront_rehome_irqs))
		queue_work(system_wq, &dev->rehome_work);
	return 0;
}

/**
 * blkfront_cpuhp_add() - follow CPU hotplug for a new device
 * @dev: the device, from probe()
 *
 * Return: 0 or a negative errno.
 */
int blkfront_cpuhp_add(struct blkfront_dev *dev)
{
	INIT_WORK(&dev->rehome_work, blkfront_rehome_work);
	return cpuhp_state_add_instance_nocalls(blkfront_cpuhp_state,
						&dev->cpuhp_node);
}

/**
 * blkfront_cpuhp_remove() - undo blkfront_cpuhp_add()
 * @dev: the device, from remove(), @dev->mutex not held
 */
void blkfront_cpuhp_remove(struct blkfront_dev *dev)
{
	cpuhp_state_remove_instance_nocalls(blkfront_cpuhp_state,
					    &dev->cpuhp_node);
	cancel_work_sync(&dev->rehome_work);
}

/* ---- Counters: debugfs and statistics/ ---------------------------------- */

/**
 * blkfront_stats_sum() - the device's counters, summed over its rings
 * @dev: the device
 * @sum: &enum blkfront_stat counters, zeroed and filled in
 *
 * Those of the current connection: a resume starts them again.
 */
void blkfront_stats_sum(struct blkfront_dev *dev, u64 *sum)
{
	unsigned long flags;
	unsigned int i;

	memset(sum, 0, BLKFRONT_NR_STATS * sizeof(*sum));
	mutex_lock(&dev->mutex);
	for (i = 0; dev->rings && i < dev->nr_rings; i++) {
		spin_lock_irqsave(&dev->rings[i].lock, flags);
		xenpv_stats_add(sum, dev->rings[i].stats, BLKFRONT_NR_STATS);
		spin_unlock_irqrestore(&dev->rings[i].lock, flags);
	}
	mutex_unlock(&dev->mutex);
}

/* One line: the ring's gauges, then its counters (blkfront_stat_desc). */
static void blkfront_ring_show(struct seq_file *m, struct blkfront_ring *ring)
{
	u64 v[BLKFRONT_NR_STATS];
	unsigned int inflight, pgrants;
	unsigned long flags;
	u64 exhausted;

	spin_lock_irqsave(&ring->lock, flags);
	memcpy(v, ring->stats, sizeof(v));
	inflight = xenpv_ids_in_flight(&ring->ids);
	spin_unlock_irqrestore(&ring->lock, flags);
	spin_lock_irqsave(&ring->pool.lock, flags);
	pgrants = ring->pool.nr;
	exhausted = ring->pool.exhausted;
	spin_unlock_irqrestore(&ring->pool.lock, flags);
	seq_printf(m, "%u %d %u %u %llu", ring->index, READ_ONCE(ring->cpu),
		   inflight, pgrants, exhausted);
	xenpv_stats_seq_values(m, BLKFRONT_NR_STATS, v);
}

static int blkfront_rings_show(struct seq_file *m, void *unused)
{
	struct blkfront_dev *dev = m->private;
	unsigned int i;

	xenpv_stats_seq_header(m, "ring cpu inflight pgrants pool_full",
			       blkfront_stat_desc, BLKFRONT_NR_STATS);
	mutex_lock(&dev->mutex);
	for (i = 0; dev->rings && i < dev->nr_rings; i++)
		blkfront_ring_show(m, &dev->rings[i]);
	mutex_unlock(&dev->mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(blkfront_rings);

XENPV_CENSUS(blkfront, BLKFRONT_CENSUS_NR,
	     [BLKFRONT_CENSUS_DEVS] = "devs",
	     [BLKFRONT_CENSUS_RINGS] = "rings",
	     [BLKFRONT_CENSUS_POOL_PAGES] = "pool_pages",
	     [BLKFRONT_CENSUS_IND_FRAMES] = "ind_frames");

/**
 * blkfront_debugfs_add() - the device's debugfs directory
 * @dev: the device, its disk added
 */
void blkfront_debugfs_add(struct blkfront_dev *dev)
{
	if (!blkfront_debugfs_root || dev->debugfs || !dev->disk)
		return;
	dev->debugfs = debugfs_create_dir(dev->disk->disk_name,
					  blkfront_debugfs_root);
	debugfs_create_file("rings", 0400, dev->debugfs, dev,
			    &blkfront_rings_fops);
}

/* ---- Module ---------------------------------------------------------------- */

/**
 * blkfront_register_major() - claim the xvd block major and debugfs root,
 *	and follow CPU hotplug
 *
 * Return: 0 or a negative errno.
 */
int blkfront_register_major(void)
{
	int err = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN,
					  "block/xen-blkfront:online",
					  blkfront_cpu_online, NULL);

	if (err < 0) {
		pr_err("xen-blkfront: cannot follow CPU hotplug: %d\n", err);
		return err;
	}
	blkfront_cpuhp_state = err;
	err = register_blkdev(BLKFRONT_MAJOR, "xvd");
	if (err) {
		pr_err("xen-blkfront: cannot get major %d for xvd: %d\n",
		       BLKFRONT_MAJOR, err);
		cpuhp_remove_multi_state(blkfront_cpuhp_state);
		return err;
	}
	blkfront_debugfs_root = debugfs_create_dir("xen-blkfront", NULL);
	xenpv_census_debugfs(blkfront_debugfs_root, &blkfront_census_desc);
	xenpv_fault_debugfs(blkfront_debugfs_root);
	return 0;
}

/**
 * blkfront_unregister_major() - undo blkfront_register_major()
 */
void blkfront_unregister_major(void)
{
	debugfs_remove_recursive(blkfront_debugfs_root);
	unregister_blkdev(BLKFRONT_MAJOR, "xvd");
	cpuhp_remove_multi_state(blkfront_cpuhp_state);
}
