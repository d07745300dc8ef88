// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV block frontend: the xenbus side.
 *
 * One state machine per device (enum blkfront_state), changed only by
 * blkfront_set_state() under the device's mutex and checked against a
 * table of allowed transitions.  The backend's InitWait makes the rings,
 * its Connected makes (or, after a resume, revives) the disk, its Closing
 * takes everything down.
 */

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/xen.h>
#include <xen/platform_pci.h>
#include <xen/interface/io/protocols.h>
#include <compat/compat.h>
#include <xenpv/xenbus.h>

#include "blkfront.h"

#define BLKFRONT_EXT_SHIFT	8	/* minors per extended-scheme disk */
#define BLKFRONT_XVD_SHIFT	4	/* minors per xvd disk */

/**
 * blkfront_set_state() - move a device to another state
 * @dev: the device
 * @to: the new state
 *
 * Logs the change; an impossible one is a driver bug, warned about once
 * and refused.
 */
void blkfront_set_state(struct blkfront_dev *dev, enum blkfront_state to)
{
	lockdep_assert_held(&dev->mutex);
	if (xenpv_state_change(&blkfront_states, &dev->xbdev->dev, dev->state,
			       to, dev->backend_state))
		WRITE_ONCE(dev->state, to);
}

/**
 * blkfront_broken() - the backend broke the protocol: fail this device
 * @dev: the device
 * @why: what it did, for the one log line
 *
 * Callable from any context, the interrupt handler included.  Every
 * request in flight and every later one fails; other devices go on.
 */
void blkfront_broken(struct blkfront_dev *dev, const char *why)
{
	xenpv_fail(&dev->fail, why);
}

static void blkfront_broken_work(struct work_struct *work)
{
	struct blkfront_dev *dev = container_of(work, struct blkfront_dev,
						fail.work);

	mutex_lock(&dev->mutex);
	if (dev->state != BF_CLOSED) {
		blkfront_set_state(dev, BF_BROKEN);
		blkfront_fail_all(dev);
		blkfront_flush_waiting(dev);
	}
	mutex_unlock(&dev->mutex);
	xenpv_fail_report(&dev->fail, dev->xbdev, "backend", XENPV_FAIL_ERROR);
}

/* ---- Rings ------------------------------------------------------------------ */

static void blkfront_free_ring(struct blkfront_ring *ring)
{
	if (ring->ring_va)
		atomic_long_dec(&blkfront_census[BLKFRONT_CENSUS_RINGS]);
	if (ring->irq >= 0)
		unbind_from_irqhandler(ring->irq, ring);	/* closes the port */
	ring->irq = -1;
	ring->evtchn = 0;
	if (ring->ring_va)
		xenbus_teardown_ring(&ring->ring_va,
				     1U << ring->dev->params.ring_order,
				     ring->ring_refs);
	ring->ring_va = NULL;
	xenpv_ids_destroy(&ring->ids);
	blkfront_pool_destroy(&ring->pool);
}

/**
 * enum blkfront_slots - what blkfront_free_rings() does with the array
 * @BLKFRONT_KEEP_SLOTS: keep it for the next connection: the disk's
 *	hardware queues point into it
 * @BLKFRONT_FREE_SLOTS: free it too: the disk is gone
 */
enum blkfront_slots {
	BLKFRONT_KEEP_SLOTS,
	BLKFRONT_FREE_SLOTS,
};

/* Free the rings of the current connection. */
static void blkfront_free_rings(struct blkfront_dev *dev,
				enum blkfront_slots slots)
{
	unsigned int i;

	lockdep_assert_held(&dev->mutex);
	for (i = 0; dev->rings && i < dev->nr_rings; i++)
		blkfront_free_ring(&dev->rings[i]);
	if (slots == BLKFRONT_FREE_SLOTS) {
		kfree(dev->rings);
		dev->rings = NULL;
		WRITE_ONCE(dev->nr_rings, 0);
		dev->nr_hw = 0;
	}
}

static int blkfront_setup_ring(struct blkfront_dev *dev,
			       struct blkfront_ring *ring, unsigned int index)
{
	unsigned int pages = 1U << dev->params.ring_order;
	struct blkif_sring *sring;
	int err;

	spin_lock_init(&ring->lock);
	blkfront_pool_init(&ring->pool, blkfront_max_persistent_grants);
	memset(ring->stats, 0, sizeof(ring->stats));
	ring->dev = dev;
	ring->index = index;
	ring->irq = -1;
	ring->cpu = -1;
	ring->stopped = false;
	err = xenpv_setup_ring(dev->xbdev, (void **)&sring, pages,
			       ring->ring_refs);
	if (err)
		return err;
	ring->ring_va = sring;
	atomic_long_inc(&blkfront_census[BLKFRONT_CENSUS_RINGS]);
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&ring->front, sring, XEN_PAGE_SIZE * pages);
	err = xenpv_should_fail(XENPV_FAULT_ALLOC) ? -ENOMEM :
	      xenpv_ids_init(&ring->ids, RING_SIZE(&ring->front), GFP_KERNEL);
	if (err)
		return err;
	snprintf(ring->name, sizeof(ring->name), "blkif-%u-r%u", dev->vdevice,
		 index);
	err = xenpv_evtchn_bind(dev->xbdev, &ring->evtchn, XENPV_EVTCHN_OURS,
				blkfront_interrupt, ring->name, ring);
	if (err < 0)
		return err;
	ring->irq = err;
	return 0;
}

static int blkfront_setup_rings(struct blkfront_dev *dev)
{
	unsigned int i;
	int err;

	if (!dev->rings) {
		dev->rings = XENPV_ALLOC(kcalloc(dev->params.nr_rings,
						 sizeof(*dev->rings),
						 GFP_KERNEL));
		if (!dev->rings)
			return -ENOMEM;
		for (i = 0; i < dev->params.nr_rings; i++)
			dev->rings[i].irq = -1;	/* nothing to unbind yet */
		dev->nr_hw = dev->params.nr_rings;
	} else if (WARN_ON_ONCE(dev->params.nr_rings > dev->nr_hw)) {
		return -EINVAL;	/* the negotiation is capped at nr_hw */
	} else if (dev->params.nr_rings != dev->nr_rings) {
		dev_info(&dev->xbdev->dev,
			 "backend now offers %u rings: the disk's %u hardware queues share them\n",
			 dev->params.nr_rings, dev->nr_hw);
	}
	WRITE_ONCE(dev->nr_rings, dev->params.nr_rings);
	for (i = 0; i < dev->nr_rings; i++) {
		err = blkfront_setup_ring(dev, &dev->rings[i], i);
		if (err) {
			blkfront_free_rings(dev, BLKFRONT_KEEP_SLOTS);
			return err;
		}
	}
	return 0;
}

/*
 * Bound each ring's pool and set its mode (the pools are empty: the
 * rings were just made); whatever the module parameter says, the largest
 * request must fit, or it would wait for pages forever: one of this
 * connection, or one made for an earlier one's larger limit (@max_sg).
 */
static void blkfront_size_pools(struct blkfront_dev *dev)
{
	unsigned int i, max;

	max = max(dev->params.max_segs, dev->max_sg) +
	      BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST;
	max = max(blkfront_max_persistent_grants, max);
	for (i = 0; i < dev->nr_rings; i++) {
		dev->rings[i].pool.max = max;
		dev->rings[i].pool.persistent = dev->params.persistent;
	}
}

/* ---- xenstore ----------------------------------------------------------- */

/* One ring's keys, in @dir: the device's, or its queue-N directory. */
static int blkfront_write_ring(struct xenbus_transaction xbt,
			       struct blkfront_dev *dev,
			       struct blkfront_ring *ring, const char *dir)
{
	unsigned int i, pages = 1U << dev->params.ring_order;
	char node[16];
	int err;

	if (pages == 1) {
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_RING_REF, "%u",
				      ring->ring_refs[0]);
		if (err)
			return err;
	}
	for (i = 0; pages > 1 && i < pages; i++) {
		snprintf(node, sizeof(node), "ring-ref%u", i);
		err = xenpv_xs_printf(xbt, dir, node, "%u", ring->ring_refs[i]);
		if (err)
			return err;
	}
	return xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_EVTCHN, "%u", ring->evtchn);
}

/* The rings' keys, in one transaction (xenpv_xs_transaction()). */
static int blkfront_write_keys(struct xenbus_transaction xbt, void *data)
{
	struct blkfront_dev *dev = data;
	const char *dir = dev->xbdev->nodename;
	const struct blkfront_params *p = &dev->params;
	unsigned int i;
	char *qdir;
	int err;

	if (p->ring_order) {
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_RING_ORDER, "%u",
				      p->ring_order);
		if (!err && p->legacy_ring_pages)
			err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_NUM_RING_PAGES, "%u",
					      1U << p->ring_order);
		if (err)
			return err;
	}
	err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_PROTOCOL, "%s",
			      XEN_IO_PROTO_ABI_NATIVE);
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_PERSISTENT, "%u",
				      blkfront_max_persistent_grants ? 1 : 0);
	if (err)
		return err;
	if (dev->nr_rings == 1)
		return blkfront_write_ring(xbt, dev, &dev->rings[0], dir);

	/* The protocol's word for a ring here is "queue". */
	err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_NUM_QUEUES, "%u",
			      dev->nr_rings);
	for (i = 0; !err && i < dev->nr_rings; i++) {
		qdir = XENPV_ALLOC(kasprintf(GFP_KERNEL, "%s/queue-%u", dir, i));
		if (!qdir)
			return -ENOMEM;
		err = blkfront_write_ring(xbt, dev, &dev->rings[i], qdir);
		kfree(qdir);
	}
	return err;
}

/* The rings: how many, and how large. */
XENPV_UINT_PARAM(blkfront, max_queues, 0,
		 "Most rings (hardware queues) per disk; 0: one per vCPU");
XENPV_UINT_PARAM(blkfront, max_ring_page_order, XENPV_BLK_MAX_RING_ORDER,
		 "log2 of the most pages per ring (0-4, default 4)");

static void blkfront_wants_of(struct blkfront_wants *fe)
{
	fe->nr_cpus = num_online_cpus();
	fe->max_rings = blkfront_max_queues;
	fe->max_ring_order = min_t(unsigned int, blkfront_max_ring_page_order,
				   XENPV_BLK_MAX_RING_ORDER);
	fe->max_indirect_segs = blkfront_max_indirect_segments;
	fe->max_sector_size = PAGE_SIZE;
	fe->persistent = blkfront_max_persistent_grants != 0;
}

/**
 * enum blkfront_settle - what blkfront_negotiate_now() settles
 * @BLKFRONT_SETTLE_RINGS: the rings' settings alone (the backend's
 *	InitWait: its disk is not described yet)
 * @BLKFRONT_SETTLE_ALL: everything (the backend's Connected)
 */
enum blkfront_settle {
	BLKFRONT_SETTLE_RINGS,
	BLKFRONT_SETTLE_ALL,
};

/*
 * Read the backend's keys and settle @what into @p; on failure @why says
 * which value was unusable, for the caller's one log line.
 */
static int blkfront_negotiate_now(struct blkfront_dev *dev,
				  enum blkfront_settle what,
				  struct blkfront_params *p, char *why,
				  size_t size)
{
	struct xenpv_xs_vals be = { };
	struct blkfront_wants fe;
	enum blkfront_xs_key bad = BLKFRONT_XS_NR;
	int err;

	blkfront_wants_of(&fe);
	if (dev->rings)	/* a reconnection: no more rings than before */
		fe.max_rings = dev->nr_hw;
	/* Every key the negotiation looks at; absent keys stay NULL. */
	xenpv_xs_read_keys(dev->xbdev->otherend, blkfront_xs_names,
			   BLKFRONT_XS_NR, be.val);
	if (what == BLKFRONT_SETTLE_RINGS)
		err = blkfront_negotiate_rings(&be, &fe, p, &bad);
	else
		err = blkfront_negotiate(&be, &fe, p, &bad);
	if (err)
		xenpv_xs_describe_bad(why, size, "backend", blkfront_xs_names,
				      be.val, BLKFRONT_XS_NR, bad);
	xenpv_xs_free_keys(be.val, BLKFRONT_XS_NR);
	return err;
}

/* ---- Backend state changes ------------------------------------------------- */

/* The backend waits for our rings: make and publish them. */
static void blkfront_backend_initwait(struct blkfront_dev *dev)
{
	char why[128] = "";
	int err;

	if (dev->state == BF_CONNECTED) {
		blkfront_broken(dev, "went back to InitWait while connected");
		return;
	}
	if (dev->state != BF_WAIT_BACKEND)
		return;
	err = blkfront_negotiate_now(dev, BLKFRONT_SETTLE_RINGS, &dev->params,
				     why, sizeof(why));
	if (!err)
		err = blkfront_setup_rings(dev);
	if (!err)
		err = xenpv_xs_transaction(blkfront_write_keys, dev);
	if (err) {
		xenbus_dev_fatal(dev->xbdev, err, "setting up the rings%s%s",
				 why[0] ? ": " : "", why);
		blkfront_free_rings(dev, BLKFRONT_KEEP_SLOTS);
		return;
	}
	blkfront_set_state(dev, BF_INITIALISED);
	xenbus_switch_state(dev->xbdev, XenbusStateInitialised);
}

/*
 * The disk's requests have room for dev->max_sg segments, whatever a
 * later backend offers: take at most that many.
 */
static void blkfront_cap_segs(struct blkfront_dev *dev,
			      struct blkfront_params *p)
{
	if (p->max_segs <= dev->max_sg)
		return;
	p->max_segs = dev->max_sg;
	p->max_indirect_segs = min(p->max_indirect_segs, dev->max_sg);
	if (p->max_indirect_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
		p->max_indirect_segs = 0;
}

/*
 * A connection after a resume, for a disk made on an earlier one: at most
 * its segments per request, and its logical block size cannot change
 * under its users.
 */
static int blkfront_fit_disk(struct blkfront_dev *dev,
			     struct blkfront_params *p, char *why, size_t size)
{
	struct request_queue *q = dev->disk->queue;
	unsigned int lbs = queue_logical_block_size(q);

	if (p->sector_size != lbs) {
		snprintf(why, size,
			 "the backend now has %u-byte sectors, the disk %u-byte ones",
			 p->sector_size, lbs);
		return -EINVAL;
	}
	blkfront_cap_segs(dev, p);
	if (p->max_segs < queue_max_segments(q))
		dev_info(&dev->xbdev->dev,
			 "backend now takes %u segments per request, not %u: larger requests are split\n",
			 p->max_segs, queue_max_segments(q));
	return 0;
}

/*
 * Connected again while connected: a resize.  Only "sectors" may have
 * changed; a value that did not parse, or any other change (the disk is
 * in use with what was negotiated), fails the device.
 */
static void blkfront_backend_reconnected(struct blkfront_dev *dev)
{
	struct blkfront_params p;
	const char *key;
	char why[128];

	if (blkfront_negotiate_now(dev, BLKFRONT_SETTLE_ALL, &p, why,
				   sizeof(why))) {
		blkfront_broken(dev, why);
		return;
	}
	if (dev->disk)
		blkfront_cap_segs(dev, &p);
	key = blkfront_params_changed(&dev->params, &p);
	if (key) {
		snprintf(why, sizeof(why), "changed %s while connected", key);
		blkfront_broken(dev, why);
		return;
	}
	if (dev->disk && p.sectors != dev->params.sectors) {
		dev->params.sectors = p.sectors;
		set_capacity_and_notify(dev->disk, p.sectors);
	}
}

/* The backend is connected: make the disk, or revive it after a resume. */
static void blkfront_backend_connected(struct blkfront_dev *dev)
{
	struct blkfront_params p;
	char why[128] = "";
	bool add = false;
	int err;

	if (dev->state == BF_CONNECTED) {
		blkfront_backend_reconnected(dev);
		return;
	}
	if (dev->state != BF_INITIALISED)
		return;
	err = blkfront_negotiate_now(dev, BLKFRONT_SETTLE_ALL, &p, why,
				     sizeof(why));
	if (err)
		goto fail;
	/* The rings were made for the values read at InitWait. */
	p.nr_rings = dev->params.nr_rings;
	p.ring_order = dev->params.ring_order;
	p.ring_size = dev->params.ring_size;
	if (dev->disk) {
		err = blkfront_fit_disk(dev, &p, why, sizeof(why));
		if (err)
			goto fail;
	}
	dev->params = p;
	dev->bounce = !READ_ONCE(blkfront_trusted) ||
		      !xenbus_read_unsigned(dev->xbdev->nodename, "trusted", 1);
	if (dev->bounce)
		dev_info(&dev->xbdev->dev, "backend not trusted: data goes through bounce pages\n");
	blkfront_size_pools(dev);
	/* Connected first: adding the disk reads its partition table. */
	blkfront_set_state(dev, BF_CONNECTED);
	/* A response already there was never asked for: it fails the device. */
	blkfront_check_rings(dev);
	if (!dev->disk) {
		err = blkfront_alloc_disk(dev);
		if (err)
			goto fail;
		add = true;
	} else {
		err = blkfront_update_limits(dev);
		if (err)
			goto fail;
		set_capacity_and_notify(dev->disk, p.sectors);
	}
	blkfront_place_irqs(dev);
	xenbus_switch_state(dev->xbdev, XenbusStateConnected);
	if (dev->resuming) {
		blkfront_recover(dev);
		blkfront_kick_all(dev);
	}
	blkfront_debugfs_add(dev);
	dev->resuming = false;
	if (add)	/* last: it reads the partition table */
		queue_work(system_long_wq, &dev->add_work);
	return;
fail:
	xenbus_dev_fatal(dev->xbdev, err, "connecting to the backend%s%s",
			 why[0] ? ": " : "", why);
	blkfront_set_state(dev, BF_BROKEN);
	blkfront_fail_all(dev);
	blkfront_flush_waiting(dev);
}

/*
 * End the device's life on this connection: new I/O fails at once, what
 * is in flight fails, the disk goes.  The rings stay until remove(): when
 * the toolstack detaches a disk it moves the backend to Closing before
 * the backend driver has unmapped anything, and a grant ended while still
 * mapped waits in the grant table's deferred list (freed ten a second);
 * by remove() the backend has closed and unmapped them.  True if it was
 * not closed yet.
 */
static bool blkfront_shut_down(struct blkfront_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	if (dev->state == BF_CLOSED)
		return false;
	blkfront_set_state(dev, BF_CLOSED);
	blkfront_fail_all(dev);
	blkfront_flush_waiting(dev);
	blkfront_remove_disk(dev);
	return true;
}

/* The backend goes away: end every request and close. */
static void blkfront_backend_closing(struct blkfront_dev *dev)
{
	if (blkfront_shut_down(dev))
		xenbus_frontend_closed(dev->xbdev);
}

/* Follow the backend's state (xenbus just recorded it in @xbdev's watch). */
static void blkfront_follow_backend(struct blkfront_dev *dev,
				    enum xenbus_state backend_state)
{
	lockdep_assert_held(&dev->mutex);
	dev->backend_state = backend_state;
	switch (backend_state) {
	case XenbusStateInitWait:
		blkfront_backend_initwait(dev);
		break;
	case XenbusStateConnected:
		blkfront_backend_connected(dev);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
		blkfront_backend_closing(dev);
		break;
	default:
		break;
	}
}

static void blkfront_backend_changed(struct xenbus_device *xbdev,
				     enum xenbus_state backend_state)
{
	struct blkfront_dev *dev = dev_get_drvdata(&xbdev->dev);

	mutex_lock(&dev->mutex);
	blkfront_follow_backend(dev, backend_state);
	mutex_unlock(&dev->mutex);
}

/* ---- Probe, remove, resume ------------------------------------------------- */

/*
 * Map "virtual-device" to the disk's index (xvda is 0) and minors: the xvd
 * scheme (202:index*16, indexes 0-15) and the extended one (bit 28 set,
 * index*256 partitions) only; emulated IDE/SCSI numbers are not served.
 */
static int blkfront_minor(struct blkfront_dev *dev)
{
	unsigned int v = dev->vdevice;

	if (v & BIT(28)) {
		dev->index = (v & ~BIT(28)) >> BLKFRONT_EXT_SHIFT;
		dev->minors = 1U << BLKFRONT_EXT_SHIFT;
	} else if ((v >> 8) == BLKFRONT_MAJOR) {
		dev->index = (v & 0xff) >> BLKFRONT_XVD_SHIFT;
		dev->minors = 1U << BLKFRONT_XVD_SHIFT;
	} else {
		return -ENODEV;
	}
	if (v & (dev->minors - 1))
		return -ENODEV;	/* a partition, not a disk */
	dev->first_minor = dev->index * dev->minors;
	return dev->first_minor + dev->minors <= MINORMASK + 1 ? 0 : -ENODEV;
}

static int blkfront_probe(struct xenbus_device *xbdev,
			  const struct xenbus_device_id *id)
{
	struct blkfront_dev *dev;
	int err, vdevice;

	err = xenbus_scanf(XBT_NIL, xbdev->nodename, "virtual-device", "%i",
			   &vdevice);
	if (err != 1)
		err = xenbus_scanf(XBT_NIL, xbdev->nodename,
				   "virtual-device-ext", "%i", &vdevice);
	if (err != 1) {
		xenbus_dev_fatal(xbdev, -ENOENT, "reading virtual-device");
		return -ENOENT;
	}
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->xbdev = xbdev;
	dev->vdevice = vdevice;
	dev->handle = vdevice & 0xffff;
	mutex_init(&dev->mutex);
	INIT_WORK(&dev->add_work, blkfront_add_work);
	xenpv_fail_init(&dev->fail, blkfront_broken_work);
	INIT_LIST_HEAD(&dev->recover);
	if (blkfront_minor(dev)) {
		dev_warn(&xbdev->dev, "virtual-device %#x is not an xvd disk\n",
			 vdevice);
		kfree(dev);
		return -ENODEV;
	}
	err = blkfront_cpuhp_add(dev);
	if (err) {
		kfree(dev);
		return err;
	}
	dev->state = BF_WAIT_BACKEND;
	dev_set_drvdata(&xbdev->dev, dev);
	atomic_long_inc(&blkfront_census[BLKFRONT_CENSUS_DEVS]);
	return 0;
}

static void blkfront_remove(struct xenbus_device *xbdev)
{
	struct blkfront_dev *dev = dev_get_drvdata(&xbdev->dev);

	mutex_lock(&dev->mutex);
	blkfront_shut_down(dev);
	blkfront_free_rings(dev, BLKFRONT_FREE_SLOTS);
	mutex_unlock(&dev->mutex);
	blkfront_cpuhp_remove(dev);
	cancel_work_sync(&dev->fail.work);
	debugfs_remove_recursive(dev->debugfs);
	kfree(dev);
	atomic_long_dec(&blkfront_census[BLKFRONT_CENSUS_DEVS]);
}

XENPV_REMOVE(blkfront_remove);

/* After a restore or migration: the old rings and backend are gone. */
static int blkfront_resume(struct xenbus_device *xbdev)
{
	struct blkfront_dev *dev = dev_get_drvdata(&xbdev->dev);

	mutex_lock(&dev->mutex);
	if (dev->state == BF_CLOSED || dev->state == BF_BROKEN) {
		mutex_unlock(&dev->mutex);
		return 0;
	}
	if (dev->disk)
		blk_mq_quiesce_queue(dev->disk->queue);
	blkfront_requeue_all(dev);
	blkfront_free_rings(dev, BLKFRONT_KEEP_SLOTS);
	dev->resuming = true;
	blkfront_set_state(dev, BF_WAIT_BACKEND);
	mutex_unlock(&dev->mutex);
	dev_info(&xbdev->dev, "resuming: requests in flight will be sent again\n");
	return 0;
}

/* ---- sysfs: /sys/bus/xen/devices/vbd-N/ ------------------------------------ */

static struct blkfront_dev *blkfront_of(struct device *d)
{
	return dev_get_drvdata(d);
}

/* "state" is xenbus's own attribute: the xenbus state of this end. */
static ssize_t driver_state_show(struct device *d,
				 struct device_attribute *attr, char *buf)
{
	struct blkfront_dev *dev = blkfront_of(d);

	return sysfs_emit(buf, "%s\n",
			  xenpv_state_name(&blkfront_states,
					   READ_ONCE(dev->state)));
}
static DEVICE_ATTR_RO(driver_state);

/* One attribute per negotiated value, read under the device's mutex. */
#define BLKFRONT_PARAM_ATTR(name, expr)					\
static ssize_t name##_show(struct device *d,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct blkfront_dev *dev = blkfront_of(d);			\
	unsigned int val;						\
									\
	mutex_lock(&dev->mutex);					\
	val = (expr);							\
	mutex_unlock(&dev->mutex);					\
	return sysfs_emit(buf, "%u\n", val);				\
}									\
static DEVICE_ATTR_RO(name)

BLKFRONT_PARAM_ATTR(rings, dev->nr_rings);
BLKFRONT_PARAM_ATTR(hw_queues, dev->nr_hw);
BLKFRONT_PARAM_ATTR(ring_pages, dev->nr_rings ? 1U << dev->params.ring_order : 0);
BLKFRONT_PARAM_ATTR(max_segments, dev->params.max_segs);
BLKFRONT_PARAM_ATTR(persistent, dev->params.persistent);
BLKFRONT_PARAM_ATTR(bounce, dev->bounce);

static struct attribute *blkfront_attrs[] = {
	&dev_attr_driver_state.attr,
	&dev_attr_rings.attr,
	&dev_attr_hw_queues.attr,
	&dev_attr_ring_pages.attr,
	&dev_attr_max_segments.attr,
	&dev_attr_persistent.attr,
	&dev_attr_bounce.attr,
	NULL
};

static const struct attribute_group blkfront_group = {
	.attrs = blkfront_attrs,
};

static void blkfront_sysfs_sum(struct device *d, u64 *sum)
{
	blkfront_stats_sum(blkfront_of(d), sum);
}

/* statistics/: the counters of blkfront_stat_desc flagged for sysfs. */
static struct xenpv_stats_sysfs blkfront_stats_sysfs = {
	.desc	= blkfront_stat_desc,
	.nr	= BLKFRONT_NR_STATS,
	.sum	= blkfront_sysfs_sum,
};

static const struct attribute_group *blkfront_groups[] = {
	&blkfront_group,
	&blkfront_stats_sysfs.group,
	NULL
};

static struct xenbus_driver blkfront_driver = {
	.ids			= XENPV_IDS("vbd"),
	.probe			= blkfront_probe,
	.remove			= blkfront_remove_xenbus,
	.resume			= blkfront_resume,
	.otherend_changed	= blkfront_backend_changed,
	.not_essential		= true,
	.driver.dev_groups	= blkfront_groups,
};

static int __init blkfront_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	if (xen_hvm_domain() && !xen_has_pv_disk_devices())
		return -ENODEV;
	err = xenpv_stats_sysfs_init(&blkfront_stats_sysfs);
	if (err)
		return err;
	err = blkfront_register_major();
	if (err)
		goto out_stats;
	err = xenbus_register_frontend(&blkfront_driver);
	if (err)
		goto out_major;
	return 0;

out_major:
	blkfront_unregister_major();
out_stats:
	xenpv_stats_sysfs_free(&blkfront_stats_sysfs);
	return err;
}
module_init(blkfront_init);

static void __exit blkfront_exit(void)
{
	xenbus_unregister_driver(&blkfront_driver);
	blkfront_unregister_major();
	xenpv_stats_sysfs_free(&blkfront_stats_sysfs);
}
module_exit(blkfront_exit);

MODULE_DESCRIPTION("Xen virtual block device frontend, multiqueue");
MODULE_LICENSE("GPL");
MODULE_ALIAS_BLOCKDEV_MAJOR(BLKFRONT_MAJOR);
MODULE_ALIAS("xen:vbd");
MODULE_ALIAS("xenblk");
