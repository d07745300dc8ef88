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
#include <xenpv/xenbus.h>

#include "blkfront-proto.h"

/* The xvd block major (Documentation/admin-guide/devices.txt). */
#define BLKFRONT_MAJOR		202

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
 * struct blkfront_ring - one ring, serving one or more blk-mq hardware queues
 * @lock: protects @front, @ids, @stopped and @stats
 * @front: the shared ring's private (frontend) side
 * @ids: ring ids of the requests in flight
 * @stopped: a hardware queue was stopped on a full ring
 * @stats: counters (&enum blkfront_stat), under @lock
 * @pool: persistent grants or bounce pages, when the connection uses them
 * @dev: the device
 * @index: ring number
 * @irq: the event channel's interrupt, or -1
 * @cpu: the CPU blkfront_place_irqs() bound @irq to, or -1
 * @evtchn: the event channel
 * @ring_refs: grant references of the ring's pages
 * @ring_va: the ring's pages, as xenbus_setup_ring() mapped them
 * @name: interrupt name
 */
struct blkfront_ring {
	spinlock_t lock;	/* front, ids, stopped, stats */
	struct blkif_front_ring front;
	struct xenpv_ids ids;
	bool stopped;
	u64 stats[BLKFRONT_NR_STATS];
	struct blkfront_pool pool;
	struct blkfront_dev *dev;
	unsigned int index;
	int irq;
	int cpu;
	evtchn_port_t evtchn;
	grant_ref_t ring_refs[XENPV_BLK_MAX_RING_PAGES];
	void *ring_va;
	char name[32];
} ____cacheline_aligned_in_smp;

/**
 * struct blkfront_dev - one virtual disk
 * @xbdev: its xenbus device
 * @mutex: serialises state changes, set-up and tear-down
 * @state: where the device is, changed under @mutex by blkfront_set_state()
 *	and read locklessly with READ_ONCE() on the I/O path
 *	(blkfront_io_allowed())
 * @backend_state: the backend's last xenbus state, under @mutex
 * @params: negotiated settings of the current connection.  Written under
 *	@mutex, and only while no request can reach queue_rq: before the
 *	disk exists, or between blkfront_resume()'s quiesce and
 *	blkfront_kick_all() (a resize changes @params.sectors alone, which
 *	the I/O path does not read).  So the I/O path reads it without the
 *	lock, and sees one connection's values
 * @rings: @nr_hw ring slots, of which the first @nr_rings are set up
 * @nr_rings: rings of the current connection, at most @nr_hw; hardware
 *	queue i uses ring i % @nr_rings.  Changed under @mutex while the
 *	hardware queues are quiesced, read locklessly on the I/O path
 * @nr_hw: the disk's hardware queues, fixed by the first connection
 * @disk: the gendisk once the first connection made it
 * @add_work: adds @disk (device_add_disk(), which reads its partition
 *	table) outside the xenbus thread: that thread must stay free to see
 *	the backend close meanwhile, and nothing may hold @mutex while
 *	waiting for the disk's I/O (blkfront_broken_work() takes it)
 * @disk_added: @add_work added @disk; read under @mutex once
 *	flush_work() has waited for it
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
 *	even without persistent grants (like @params)
 * @fail: set once, from any context, when the backend broke the protocol;
 *	its work then moves @state to BF_BROKEN and fails what is in flight
 * @recover: requests of a connection lost to a resume, taken off its
 *	rings, to be planned and sent again (blkfront_recover()); linked by
 *	their queuelist, under @mutex
 * @debugfs: the device's debugfs directory
 * @cpuhp_node: on the module's CPU hotplug state (blkfront_cpuhp_add())
 * @rehome_work: puts the rings' interrupts back on their CPUs after a CPU
 *	came online; takes @mutex
 */
struct blkfront_dev {
	struct xenbus_device *xbdev;
	struct mutex mutex;	/* state, params, rings, disk, recover */
	enum blkfront_state state;
	enum xenbus_state backend_state;
	struct blkfront_params params;
	struct blkfront_ring *rings;
	unsigned int nr_rings;
	unsigned int nr_hw;
	struct gendisk *disk;
	struct work_struct add_work;
	bool disk_added;
	struct blk_mq_tag_set tag_set;
	unsigned int vdevice;
	u16 handle;
	unsigned int index;
	unsigned int minors;
	unsigned int first_minor;
	unsigned int max_sg;
	bool resuming;
	bool bounce;
	struct xenpv_fail fail;
	struct list_head recover;
	struct dentry *debugfs;
	struct hlist_node cpuhp_node;
	struct work_struct rehome_work;
};

/**
 * blkfront_io_allowed() - may requests go on the device's rings?
 * @dev: the device
 *
 * Read locklessly on the I/O path, and again under the ring's lock before
 * a request goes on the ring: a failure or a shut-down drains the rings
 * under their locks after changing these, so a request that saw them
 * allowed under the lock is drained too.
 *
 * Return: true while connected and not failed.
 */
static inline bool blkfront_io_allowed(const struct blkfront_dev *dev)
{
	return !xenpv_failed(&dev->fail) &&
	       READ_ONCE(dev->state) == BF_CONNECTED;
}

/**
 * struct blkfront_cmd - per-request state, in the request's PDU
 * @ring: the ring it went out on
 * @parts_left: ring requests it went out as and not yet answered: 1, or
 *	more when it was split (blkfront_nr_parts()); under @ring's lock
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
 * @pgs: with @persistent, the pool's pages behind @grefs
 * @status: how it ended, set before blk_mq_complete_request(); a part
 *	that fails sets it, the others leave it
 */
struct blkfront_cmd {
	struct blkfront_ring *ring;
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

/**
 * enum blkfront_census - what the module holds, for leak checks
 * @BLKFRONT_CENSUS_DEVS: devices probed and not removed
 * @BLKFRONT_CENSUS_RINGS: rings set up and not freed
 * @BLKFRONT_CENSUS_POOL_PAGES: pool pages allocated and not freed (or
 *	handed to the grant table's deferred free)
 * @BLKFRONT_CENSUS_IND_FRAMES: indirect frames of the disks' requests
 * @BLKFRONT_CENSUS_NR: number of counters
 *
 * Counted in blkfront_census[], shown in debugfs (xen-blkfront/census):
 * after every disk is gone, all are 0.
 */
enum blkfront_census {
	BLKFRONT_CENSUS_DEVS,
	BLKFRONT_CENSUS_RINGS,
	BLKFRONT_CENSUS_POOL_PAGES,
	BLKFRONT_CENSUS_IND_FRAMES,
	BLKFRONT_CENSUS_NR
};

extern atomic_long_t blkfront_census[BLKFRONT_CENSUS_NR];

/* Module parameters (blkfront-main.c). */
extern unsigned int blkfront_max_queues;
extern unsigned int blkfront_max_ring_page_order;
extern unsigned int blkfront_max_indirect_segments;
extern unsigned int blkfront_max_persistent_grants;
extern bool blkfront_trusted;
extern bool blkfront_rehome_irqs;

/* blkfront-main.c: the blk-mq side. */
int blkfront_alloc_disk(struct blkfront_dev *dev);
void blkfront_add_work(struct work_struct *work);
void blkfront_remove_disk(struct blkfront_dev *dev);
irqreturn_t blkfront_interrupt(int irq, void *data);
void blkfront_check_rings(struct blkfront_dev *dev);
void blkfront_requeue_all(struct blkfront_dev *dev);
void blkfront_recover(struct blkfront_dev *dev);
int blkfront_update_limits(struct blkfront_dev *dev);
void blkfront_fail_all(struct blkfront_dev *dev);
void blkfront_kick_all(struct blkfront_dev *dev);
void blkfront_flush_waiting(struct blkfront_dev *dev);
void blkfront_debugfs_add(struct blkfront_dev *dev);
void blkfront_place_irqs(struct blkfront_dev *dev);
int blkfront_cpuhp_add(struct blkfront_dev *dev);
void blkfront_cpuhp_remove(struct blkfront_dev *dev);
int blkfront_register_major(void);
void blkfront_unregister_major(void);

/* blkfront-pool.c: persistent grants and bounce pages. */
void blkfront_pool_init(struct blkfront_pool *pool, unsigned int max);
int blkfront_pool_get(struct blkfront_pool *pool, domid_t otherend,
		      struct blkfront_pgrant **pgs, unsigned int n);
bool blkfront_pool_put(struct blkfront_pool *pool,
		       struct blkfront_pgrant **pgs, unsigned int n);
void blkfront_pool_destroy(struct blkfront_pool *pool);
/**
 * enum blkfront_copy - which way blkfront_pool_copy() moves a request's data
 * @BLKFRONT_COPY_TO_POOL: a write about to go out: into the pool's pages
 * @BLKFRONT_COPY_FROM_POOL: a read that completed: out of them
 */
enum blkfront_copy {
	BLKFRONT_COPY_TO_POOL,
	BLKFRONT_COPY_FROM_POOL,
};

void blkfront_pool_copy(struct blkfront_cmd *cmd, enum blkfront_copy dir);

/* blkfront-xenbus.c: the xenbus side. */
void blkfront_set_state(struct blkfront_dev *dev, enum blkfront_state to);
void blkfront_broken(struct blkfront_dev *dev, const char *why);
void blkfront_stats_sum(struct blkfront_dev *dev, u64 *sum);
int blkfront_xenbus_init(void);
void blkfront_xenbus_exit(void);

#endif /* _XEN_BLKFRONT_H */
