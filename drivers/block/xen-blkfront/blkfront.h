/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen PV block frontend: the driver's own structures, shared by the blk-mq
 * side (blkfront-main.c) and the xenbus side (blkfront-xenbus.c).
 */
#ifndef _XEN_BLKFRONT_H
#define _XEN_BLKFRONT_H

#include <linux/blk-mq.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkif.h>

#include "blkfront-proto.h"

/* The xvd block major (Documentation/admin-guide/devices.txt). */
#define BLKFRONT_MAJOR		202

/**
 * enum blkfront_state - where a device is in its life
 * @BF_WAIT_BACKEND: probed or resumed, waiting for the backend's InitWait
 * @BF_INITIALISED: rings are set up and published, waiting for Connected
 * @BF_CONNECTED: the disk takes I/O
 * @BF_BROKEN: the backend broke the protocol; every request fails
 * @BF_CLOSED: disconnected, nothing left but the xenbus device
 *
 * One transition function, blkfront_set_state(), checks each change
 * against blkfront_transitions[] and logs it.
 */
enum blkfront_state {
	BF_WAIT_BACKEND,
	BF_INITIALISED,
	BF_CONNECTED,
	BF_BROKEN,
	BF_CLOSED,
	BF_NR_STATES
};

/**
 * struct blkfront_stats - one queue's counters (debugfs)
 * @reqs: requests put on the ring
 * @ring_full: times the ring was full and the hardware queue stopped
 * @notify_tx: notifications sent to the backend
 * @irqs: interrupts taken, @spurious of them with nothing to do
 * @spurious: interrupts that found no response
 * @split: requests cut into several ring requests (made for a larger
 *	limit than the connection's)
 */
struct blkfront_stats {
	u64 reqs;
	u64 ring_full;
	u64 notify_tx;
	u64 irqs;
	u64 spurious;
	u64 split;
};

/**
 * struct blkfront_pgrant - a page of a queue's pool
 * @node: on its pool's free list while no request uses it
 * @page: the page
 * @gref: its grant, read-write: for the connection's life in a persistent
 *	pool; for one request, else INVALID_GRANT_REF, in a bounce pool
 */
struct blkfront_pgrant {
	struct list_head node;
	struct page *page;
	grant_ref_t gref;
};

/**
 * struct blkfront_pool - one queue's persistent grants or bounce pages
 *	(blkfront-pool.c)
 * @persistent: the grants outlive requests; set while the pool is empty
 * @lock: protects the rest
 * @free: grants no request uses, most recently used first
 * @nr: grants made or being made, in use or free; at most @max
 * @nr_free: entries on @free
 * @max: the bound
 * @exhausted: times a request found the pool at its bound
 */
struct blkfront_pool {
	bool persistent;
	spinlock_t lock;	/* free, nr, nr_free, exhausted */
	struct list_head free;
	unsigned int nr;
	unsigned int nr_free;
	unsigned int max;
	u64 exhausted;
};

/**
 * struct blkfront_queue - one ring, serving one blk-mq hardware queue
 * @lock: protects @ring, @ids, @stopped and @stats
 * @ring: the shared ring's private (frontend) side
 * @ids: ring ids of the requests in flight
 * @stopped: the hardware queue was stopped on a full ring
 * @stats: counters, under @lock
 * @pool: persistent grants, when the connection uses them
 * @dev: the device
 * @index: queue number
 * @irq: the event channel's interrupt, or -1
 * @cpu: the CPU blkfront_place_irqs() bound @irq to, or -1
 * @evtchn: the event channel
 * @ring_refs: grant references of the ring's pages
 * @ring_va: the ring's pages, as xenbus_setup_ring() mapped them
 * @name: interrupt name
 */
struct blkfront_queue {
	spinlock_t lock;	/* ring, ids, stopped, stats */
	struct blkif_front_ring ring;
	struct blkfront_ids ids;
	bool stopped;
	struct blkfront_stats stats;
	struct blkfront_pool pool;
	struct blkfront_dev *dev;
	unsigned int index;
	int irq;
	int cpu;
	evtchn_port_t evtchn;
	grant_ref_t ring_refs[1U << BLKFRONT_MAX_RING_ORDER];
	void *ring_va;
	char name[32];
} ____cacheline_aligned_in_smp;

/**
 * struct blkfront_dev - one virtual disk
 * @xbdev: its xenbus device
 * @mutex: serialises state changes, set-up and tear-down
 * @state: where the device is, changed under @mutex by blkfront_set_state()
 *	and read locklessly with READ_ONCE() on the I/O path
 * @backend_state: the backend's last xenbus state, under @mutex
 * @params: negotiated settings of the current connection, under @mutex
 * @queues: @nr_hw ring slots, of which the first @nr_queues are set up
 * @nr_queues: rings of the current connection, at most @nr_hw; hardware
 *	queue i uses ring i % @nr_queues.  Changed under @mutex while the
 *	hardware queues are quiesced, read locklessly on the I/O path
 * @nr_hw: the disk's hardware queues, fixed by the first connection
 * @disk: the gendisk once the first connection made it
 * @tag_set: blk-mq tag set, with @disk
 * @vdevice: the "virtual-device" number from xenstore
 * @handle: the handle requests carry (low 16 bits of @vdevice)
 * @index: the disk's index, from which its name comes (0 is xvda)
 * @minors: minor numbers it takes (itself and its partitions)
 * @first_minor: the disk's first minor number
 * @max_sg: data segments each request's PDU has room for (fixed when the
 *	tag set is made; later connections use at most this many)
 * @resuming: the connection being set up replaces one lost to a resume
 * @bounce: the backend is not trusted: data goes through the pools' pages
 *	even without persistent grants
 * @broken: set once, from any context, when the backend broke the
 *	protocol; @broken_work then moves @state to BF_BROKEN and fails what
 *	is in flight
 * @broken_work: see @broken
 * @recover: requests of a connection lost to a resume, taken off its
 *	rings, to be planned and sent again (blkfront_recover()); linked by
 *	their queuelist, under @mutex
 * @debugfs: the device's debugfs directory
 */
struct blkfront_dev {
	struct xenbus_device *xbdev;
	struct mutex mutex;	/* state, params, queues, disk */
	enum blkfront_state state;
	enum xenbus_state backend_state;
	struct blkfront_params params;
	struct blkfront_queue *queues;
	unsigned int nr_queues;
	unsigned int nr_hw;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	unsigned int vdevice;
	u16 handle;
	unsigned int index;
	unsigned int minors;
	unsigned int first_minor;
	unsigned int max_sg;
	bool resuming;
	bool bounce;
	bool broken;
	struct work_struct broken_work;
	struct list_head recover;
	struct dentry *debugfs;
};

/**
 * struct blkfront_cmd - per-request state, in the request's PDU
 * @q: the queue it went out on
 * @parts_left: ring requests it went out as and not yet answered: 1, or
 *	more when it was split (blkfront_nr_parts()); under @q's lock
 * @nr_segs: data segments of its last mapping (@segs)
 * @nr_grants: grants it holds: @nr_data data grants, then @ind_frame's
 * @nr_data: data grants among them
 * @readonly: the data grants are read-only (the backend only reads)
 * @persistent: the grants are borrowed from the queue's pool, @pgs
 *	(persistent grants or bounce pages)
 * @ind_frame: page for the indirect segment list (NULL without indirect);
 *	with persistent grants the list goes in a pool page instead
 * @sg: scatterlist of the data, blkfront_max_sg entries
 * @chunks: one per @sg entry
 * @segs: blkif segments made from @chunks
 * @grefs: grant references, @nr_grants
 * @pgs: with @persistent, the pool's grants behind @grefs
 * @status: how it ended, set before blk_mq_complete_request(); a part
 *	that fails sets it, the others leave it
 */
struct blkfront_cmd {
	struct blkfront_queue *q;
	unsigned int parts_left;
	unsigned int nr_segs;
	unsigned int nr_grants;
	unsigned int nr_data;
	bool readonly;
	bool persistent;
	struct page *ind_frame;
	struct scatterlist *sg;
	struct blkfront_chunk *chunks;
	struct blkfront_seg *segs;
	grant_ref_t *grefs;
	struct blkfront_pgrant **pgs;
	blk_status_t status;
};

/* Module parameters (blkfront-main.c). */
extern unsigned int blkfront_max_queues;
extern unsigned int blkfront_max_ring_order;
extern unsigned int blkfront_max_indirect;
extern unsigned int blkfront_max_pgrants;
extern bool blkfront_trusted;

/* blkfront-main.c: the blk-mq side. */
int blkfront_alloc_disk(struct blkfront_dev *dev);
void blkfront_remove_disk(struct blkfront_dev *dev);
irqreturn_t blkfront_interrupt(int irq, void *data);
void blkfront_requeue_all(struct blkfront_dev *dev);
void blkfront_recover(struct blkfront_dev *dev);
int blkfront_update_limits(struct blkfront_dev *dev);
void blkfront_fail_all(struct blkfront_dev *dev);
void blkfront_kick_all(struct blkfront_dev *dev);
void blkfront_flush_waiting(struct blkfront_dev *dev);
void blkfront_debugfs_add(struct blkfront_dev *dev);
void blkfront_place_irqs(struct blkfront_dev *dev);
int blkfront_register_major(void);
void blkfront_unregister_major(void);

/* blkfront-pool.c: persistent grants and bounce pages. */
void blkfront_pool_init(struct blkfront_pool *pool, unsigned int max);
int blkfront_pool_get(struct blkfront_pool *pool, domid_t otherend,
		      struct blkfront_pgrant **pgs, unsigned int n);
bool blkfront_pool_put(struct blkfront_pool *pool,
		       struct blkfront_pgrant **pgs, unsigned int n);
void blkfront_pool_destroy(struct blkfront_pool *pool);
void blkfront_pool_copy(struct blkfront_cmd *cmd, bool out);

/* blkfront-xenbus.c: the xenbus side. */
void blkfront_set_state(struct blkfront_dev *dev, enum blkfront_state to);
void blkfront_broken(struct blkfront_dev *dev, const char *why);
int blkfront_xenbus_init(void);
void blkfront_xenbus_exit(void);

#endif /* _XEN_BLKFRONT_H */
