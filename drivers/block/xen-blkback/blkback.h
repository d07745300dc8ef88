/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen PV block backend: the driver's own structures, shared by the xenbus
 * side (blkback-xenbus.c), the ring side (blkback-ring.c) and the module
 * (blkback-main.c).  The protocol logic is in blkback-proto.c.
 */
#ifndef _XEN_BLKBACK_H
#define _XEN_BLKBACK_H

#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkif.h>
#include <compat/compat.h>
#include <xenpv/xenbus.h>

#include "blkback-proto.h"

/**
 * struct blkback_seg - one data segment of a request in flight
 * @page: the page the grant is mapped on
 * @handle: the grant handle of an ordinary mapping, or
 *	BLKBACK_INVALID_HANDLE
 * @pslot: the persistent grant pool slot, or -1 for an ordinary mapping
 */
struct blkback_seg {
	struct page *page;
	grant_handle_t handle;
	int pslot;
};

#define BLKBACK_INVALID_HANDLE	((grant_handle_t)~0U)

/**
 * struct blkback_preq - a pending request: one frontend request in flight
 * @node: on the ring's free list, or its done list once the bios ended
 * @done: on &struct blkback_ring.done after the last bio
 * @ring: the ring it came from
 * @req: the private copy of the request
 * @pending: bios still running, plus one while they are submitted
 * @status: BLKIF_RSP_* to answer with (any failed bio sets an error)
 * @nr_segs: segments mapped (entries of @segs in use)
 * @segs: the segments' mappings, room for the ring's maximum
 * @io: where each segment goes, room for the ring's maximum
 * @isegs: an indirect request's segments, copied out of its frames
 * @room: entries of @segs and @io; more than the direct maximum once an
 *	indirect request needed them (allocated then, kept until disconnect)
 * @small_segs: @segs of a request without indirect segments
 * @small_io: @io of a request without indirect segments
 * @map_gref: the first grant that could not be mapped, for the log
 * @map_status: its GNTST_* status (GNTST_okay: no page to map it on)
 */
struct blkback_preq {
	struct list_head node;
	struct llist_node done;
	struct blkback_ring *ring;
	struct blkback_req req;
	atomic_t pending;
	int status;
	unsigned int nr_segs;
	struct blkback_seg *segs;
	struct blkback_seg_io *io;
	struct blkif_request_segment *isegs;
	unsigned int room;
	struct blkback_seg small_segs[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	struct blkback_seg_io small_io[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	grant_ref_t map_gref;
	s16 map_status;
};

/**
 * struct blkback_ring - one shared ring, its event channel and worker
 * @dev: the device
 * @index: queue number
 * @back: the ring's indexes; only its header fields are used through
 *	it (slots differ between ABIs: blkback_ring_slot())
 * @sring: the mapped shared ring
 * @ring_size: slots
 * @irq: the event channel's interrupt, or 0
 * @task: the worker
 * @follow: keeps @task on @irq's CPU (module parameter worker_follows_irq)
 * @wq: the worker sleeps here
 * @more: an interrupt or a completion left work for the worker
 * @eoi: an interrupt waits for its late EOI
 * @pgrant_full: a request found the persistent grant pool full
 * @done: requests whose bios have all ended, for the worker to answer
 * @inflight: requests taken off the ring and not answered yet (worker
 *	only)
 * @free: pending requests not in use (worker only)
 * @preqs: @ring_size pending requests
 * @max_segs: most segments of one request (the scratch arrays' room)
 * @nbios: bios submitted and not ended yet
 * @map: scratch: grant map operations of one request (worker only)
 * @unmap: scratch: grant unmap operations (worker only)
 * @pages: scratch: the pages of @map or @unmap (worker only)
 * @map_seg: scratch: the segment each @map entry is for (worker only)
 * @slots: scratch: persistent grant slots to reclaim (worker only)
 * @pgrant: the persistent grant pool, when the connection uses one (worker
 *	only: no lock, see blkback_assert_worker())
 * @pgrant_page: the page of each pool slot (allocated at first use)
 * @pgrant_handle: the grant handle of each live pool slot
 * @page_cache: ballooned pages to map grants on
 * @next_reclaim: jiffies of the next idle persistent grant scan
 * @vbd: the device as the request checks see it, copied at connect (only
 *	its capacity changes meanwhile: the worker reads that from the
 *	device's @vbd with READ_ONCE())
 * @stats: &enum blkback_stat counters, written by the worker only
 * @name: the interrupt's and the worker's name
 */
struct blkback_ring {
	struct blkback_dev *dev;
	unsigned int index;
	struct blkif_back_ring back;
	void *sring;
	unsigned int ring_size;
	int irq;
	struct task_struct *task;
	struct xenpv_irq_follow follow;
	wait_queue_head_t wq;
	bool more;
	bool eoi;
	bool pgrant_full;
	struct llist_head done;
	unsigned int inflight;
	struct list_head free;
	struct blkback_preq *preqs;
	unsigned int max_segs;
	atomic_t nbios;
	struct gnttab_map_grant_ref *map;
	struct gnttab_unmap_grant_ref *unmap;
	struct page **pages;
	int *map_seg;
	u32 *slots;
	struct blkback_pgrant_pool pgrant;
	struct page **pgrant_page;
	grant_handle_t *pgrant_handle;
	struct gnttab_page_cache page_cache;
	unsigned long next_reclaim;
	struct blkback_vbd vbd;
	u64 stats[BLKBACK_NR_STATS];
	char name[32];
} ____cacheline_aligned_in_smp;

/**
 * struct blkback_dev - one virtual block device served to one frontend
 * @xbdev: its xenbus device (backend/vbd/DOMID/DEVID)
 * @mutex: serialises state changes, set-up and tear-down
 * @state: where it is, changed under @mutex by blkback_set_state()
 * @frontend_state: the frontend's last xenbus state, under @mutex
 * @domid: the frontend's domain
 * @handle: the virtual device number (DEVID)
 * @devt: the backing device's number from "physical-device", 0 before
 * @bdev: the backing device, open while @devt is set
 * @vbd: what the request checks need, under @mutex; each ring takes a
 *	copy when it connects.  @vbd.sectors is updated on a resize with
 *	WRITE_ONCE() and read by the workers with READ_ONCE()
 * @cdrom: "device-type" is "cdrom"
 * @conn: the connection's negotiated parameters.  Written under @mutex
 *	before the rings' workers start and not again until they have
 *	stopped, so the workers read it without the lock
 * @rings: @nr_rings rings while connected
 * @nr_rings: rings of the current connection
 * @max_segs: segments each pending request has room for
 * @past: counters of rings already torn down, under @mutex
 * @watch: the "physical-device" watch
 * @resize_work: polls the backing device's capacity while connected
 * @fail: set once, from a ring's worker, when the frontend broke the
 *	protocol: the workers consume nothing more, and its work fails the
 *	device (xenbus_dev_fatal)
 * @debugfs: the device's debugfs directory
 */
struct blkback_dev {
	struct xenbus_device *xbdev;
	struct mutex mutex;	/* state, conn, rings, vbd, bdev, past */
	enum blkback_state state;
	enum xenbus_state frontend_state;
	domid_t domid;
	unsigned int handle;
	dev_t devt;
	struct compat_bdev bdev;
	struct blkback_vbd vbd;
	bool cdrom;
	struct blkback_conn conn;
	struct blkback_ring *rings;
	unsigned int nr_rings;
	unsigned int max_segs;
	u64 past[BLKBACK_NR_STATS];
	struct xenbus_watch watch;
	struct delayed_work resize_work;
	struct xenpv_fail fail;
	struct dentry *debugfs;
};

/**
 * enum blkback_census - what the module holds, for leak checks
 * @BLKBACK_CENSUS_DEVS: devices probed and not removed
 * @BLKBACK_CENSUS_RINGS: rings connected and not freed
 * @BLKBACK_CENSUS_ROOMS: pending requests' indirect segment arrays (made
 *	on first use)
 * @BLKBACK_CENSUS_PGRANT_PAGES: pages of persistent grant slots, taken
 *	from the ring's page cache and not given back
 * @BLKBACK_CENSUS_NR: number of counters
 *
 * Counted in blkback_census[], shown in debugfs (xen-blkback/census):
 * with no device left, all are 0.
 */
enum blkback_census {
	BLKBACK_CENSUS_DEVS,
	BLKBACK_CENSUS_RINGS,
	BLKBACK_CENSUS_ROOMS,
	BLKBACK_CENSUS_PGRANT_PAGES,
	BLKBACK_CENSUS_NR
};

extern atomic_long_t blkback_census[BLKBACK_CENSUS_NR];

/* Module parameters (blkback-main.c). */
extern unsigned int blkback_max_queues;
extern unsigned int blkback_max_ring_page_order;
extern unsigned int blkback_max_indirect_segments;
extern unsigned int blkback_max_persistent_grants;
extern unsigned int blkback_persistent_grant_idle_ms;
extern unsigned int blkback_resize_poll_ms;
extern bool blkback_feature_flush_cache;
extern bool blkback_worker_follows_irq;
extern struct dentry *blkback_debugfs_root;

/* blkback-ring.c: rings, requests, grants, bios. */
int blkback_ring_connect(struct blkback_ring *ring,
			 const struct blkback_ring_cfg *cfg);
void blkback_ring_disconnect(struct blkback_ring *ring);

/* blkback-xenbus.c: the xenbus side. */
void blkback_ring_broken(struct blkback_ring *ring, const char *why);
int blkback_xenbus_init(void);
void blkback_xenbus_exit(void);

#endif /* _XEN_BLKBACK_H */
