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

static const char *const blkfront_state_names[BF_NR_STATES] = {
	[BF_WAIT_BACKEND]	= "wait-backend",
	[BF_INITIALISED]	= "initialised",
	[BF_CONNECTED]		= "connected",
	[BF_BROKEN]		= "broken",
	[BF_CLOSED]		= "closed",
};

/* blkfront_transitions[from] has bit "to" set when from -> to is allowed. */
static const u8 blkfront_transitions[BF_NR_STATES] = {
	[BF_WAIT_BACKEND] = BIT(BF_INITIALISED) | BIT(BF_BROKEN) |
			    BIT(BF_CLOSED),
	[BF_INITIALISED]  = BIT(BF_CONNECTED) | BIT(BF_WAIT_BACKEND) |
			    BIT(BF_BROKEN) | BIT(BF_CLOSED),
	[BF_CONNECTED]    = BIT(BF_WAIT_BACKEND) | BIT(BF_BROKEN) |
			    BIT(BF_CLOSED),
	[BF_BROKEN]       = BIT(BF_CLOSED),
	[BF_CLOSED]       = 0,
};

static const struct xenpv_states blkfront_states = {
	.names		= blkfront_state_names,
	.allowed	= blkfront_transitions,
	.peer		= "backend",
};

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
	if (xchg(&dev->broken, true))
		return;
	dev_err(&dev->xbdev->dev, "backend %s broke the protocol (%s): failing the disk\n",
		dev->xbdev->otherend, why);
	schedule_work(&dev->broken_work);
}

static void blkfront_broken_work(struct work_struct *work)
{
	struct blkfront_dev *dev = container_of(work, struct blkfront_dev,
						broken_work);

	mutex_lock(&dev->mutex);
	if (dev->state != BF_CLOSED) {
		blkfront_set_state(dev, BF_BROKEN);
		blkfront_fail_all(dev);
		blkfront_flush_waiting(dev);
	}
	mutex_unlock(&dev->mutex);
	xenbus_dev_error(dev->xbdev, -EPROTO, "backend broke the protocol");
}

/* ---- Rings ------------------------------------------------------------------ */

static void blkfront_free_queue(struct blkfront_queue *q)
{
	if (q->irq >= 0)
		unbind_from_irqhandler(q->irq, q);
	else if (q->evtchn)
		xenbus_free_evtchn(q->dev->xbdev, q->evtchn);
	q->irq = -1;
	q->evtchn = 0;
	if (q->ring_va)
		xenbus_teardown_ring(&q->ring_va,
				     1U << q->dev->params.ring_order,
				     q->ring_refs);
	q->ring_va = NULL;
	blkfront_ids_destroy(&q->ids);
	blkfront_pool_destroy(&q->pool);
}

/*
 * Free the rings.  The array of queues lives as long as the device
 * (blk-mq's hardware contexts point into it) unless @final.
 */
static void blkfront_free_rings(struct blkfront_dev *dev, bool final)
{
	unsigned int i;

	for (i = 0; dev->queues && i < dev->nr_queues; i++)
		blkfront_free_queue(&dev->queues[i]);
	if (final) {
		kfree(dev->queues);
		dev->queues = NULL;
		WRITE_ONCE(dev->nr_queues, 0);
		dev->nr_hw = 0;
	}
}

static int blkfront_setup_queue(struct blkfront_dev *dev,
				struct blkfront_queue *q, unsigned int index)
{
	unsigned int pages = 1U << dev->params.ring_order;
	struct blkif_sring *sring;
	int err;

	spin_lock_init(&q->lock);
	blkfront_pool_init(&q->pool, blkfront_max_pgrants);
	q->dev = dev;
	q->index = index;
	q->irq = -1;
	q->cpu = -1;
	q->stopped = false;
	err = xenbus_setup_ring(dev->xbdev, GFP_KERNEL, (void **)&sring, pages,
				q->ring_refs);
	if (err)
		return err;
	q->ring_va = sring;
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&q->ring, sring, XEN_PAGE_SIZE * pages);
	err = blkfront_ids_init(&q->ids, RING_SIZE(&q->ring), GFP_KERNEL);
	if (err)
		return err;
	err = xenbus_alloc_evtchn(dev->xbdev, &q->evtchn);
	if (err)
		return err;
	snprintf(q->name, sizeof(q->name), "blkif-%u-q%u", dev->vdevice, index);
	err = bind_evtchn_to_irqhandler_lateeoi(q->evtchn, blkfront_interrupt,
						0, q->name, q);
	if (err < 0)
		return err;
	q->irq = err;
	return 0;
}

static int blkfront_setup_rings(struct blkfront_dev *dev)
{
	unsigned int i;
	int err;

	if (!dev->queues) {
		dev->queues = kcalloc(dev->params.nr_queues,
				      sizeof(*dev->queues), GFP_KERNEL);
		if (!dev->queues)
			return -ENOMEM;
		for (i = 0; i < dev->params.nr_queues; i++)
			dev->queues[i].irq = -1;	/* nothing to unbind yet */
		dev->nr_hw = dev->params.nr_queues;
	} else if (WARN_ON_ONCE(dev->params.nr_queues > dev->nr_hw)) {
		return -EINVAL;	/* the negotiation is capped at nr_hw */
	} else if (dev->params.nr_queues != dev->nr_queues) {
		dev_info(&dev->xbdev->dev,
			 "backend now offers %u rings: the disk's %u hardware queues share them\n",
			 dev->params.nr_queues, dev->nr_hw);
	}
	WRITE_ONCE(dev->nr_queues, dev->params.nr_queues);
	for (i = 0; i < dev->nr_queues; i++) {
		err = blkfront_setup_queue(dev, &dev->queues[i], i);
		if (err) {
			blkfront_free_rings(dev, false);
			return err;
		}
	}
	return 0;
}

/*
 * Bound each queue's pool and set its mode (the pools are empty: the
 * rings were just made); whatever the module parameter says, the largest
 * request must fit, or it would wait for pages forever: one of this
 * connection, or one made for an earlier one's larger limit (@max_sg).
 */
static void blkfront_size_pools(struct blkfront_dev *dev)
{
	unsigned int i, max;

	max = max(dev->params.max_segs, dev->max_sg) +
	      BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST;
	max = max(blkfront_max_pgrants, max);
	for (i = 0; i < dev->nr_queues; i++) {
		dev->queues[i].pool.max = max;
		dev->queues[i].pool.persistent = dev->params.persistent;
	}
}

/* ---- xenstore ----------------------------------------------------------- */

static int blkfront_write_queue(struct xenbus_transaction xbt,
				struct blkfront_dev *dev,
				struct blkfront_queue *q, const char *dir)
{
	unsigned int i, pages = 1U << dev->params.ring_order;
	char node[16];
	int err;

	if (pages == 1) {
		err = xenbus_printf(xbt, dir, "ring-ref", "%u", q->ring_refs[0]);
		if (err)
			return err;
	}
	for (i = 0; pages > 1 && i < pages; i++) {
		snprintf(node, sizeof(node), "ring-ref%u", i);
		err = xenbus_printf(xbt, dir, node, "%u", q->ring_refs[i]);
		if (err)
			return err;
	}
	return xenbus_printf(xbt, dir, "event-channel", "%u", q->evtchn);
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
		err = xenbus_printf(xbt, dir, "ring-page-order", "%u",
				    p->ring_order);
		if (!err && p->legacy_ring_pages)
			err = xenbus_printf(xbt, dir, "num-ring-pages", "%u",
					    1U << p->ring_order);
		if (err)
			return err;
	}
	err = xenbus_printf(xbt, dir, "protocol", "%s",
			    XEN_IO_PROTO_ABI_NATIVE);
	if (!err)
		err = xenbus_printf(xbt, dir, "feature-persistent", "%u",
				    blkfront_max_pgrants ? 1 : 0);
	if (err)
		return err;
	if (dev->nr_queues == 1)
		return blkfront_write_queue(xbt, dev, &dev->queues[0], dir);

	err = xenbus_printf(xbt, dir, "multi-queue-num-queues", "%u",
			    dev->nr_queues);
	for (i = 0; !err && i < dev->nr_queues; i++) {
		qdir = kasprintf(GFP_KERNEL, "%s/queue-%u", dir, i);
		if (!qdir)
			return -ENOMEM;
		err = blkfront_write_queue(xbt, dev, &dev->queues[i], qdir);
		kfree(qdir);
	}
	return err;
}

static void blkfront_limits_of(struct blkfront_limits *fe)
{
	fe->nr_cpus = num_online_cpus();
	fe->max_queues = blkfront_max_queues;
	fe->max_ring_order = min_t(unsigned int, blkfront_max_ring_order,
				   BLKFRONT_MAX_RING_ORDER);
	fe->max_indirect_segs = blkfront_max_indirect;
	fe->max_sector_size = PAGE_SIZE;
	fe->persistent = blkfront_max_pgrants != 0;
}

static int blkfront_negotiate_now(struct blkfront_dev *dev, bool rings_only,
				  struct blkfront_params *p)
{
	struct blkfront_backend be = { };
	struct blkfront_limits fe;
	enum blkfront_xs_key bad = BLKFRONT_XS_NR;
	int err;

	blkfront_limits_of(&fe);
	if (dev->queues)	/* a reconnection: no more rings than before */
		fe.max_queues = dev->nr_hw;
	/* Every key the negotiation looks at; absent keys stay NULL. */
	xenpv_xs_read_keys(dev->xbdev->otherend, blkfront_xs_names,
			   BLKFRONT_XS_NR, be.val);
	if (rings_only)
		err = blkfront_negotiate_rings(&be, &fe, p, &bad);
	else
		err = blkfront_negotiate(&be, &fe, p, &bad);
	if (err)
		xenpv_xs_report_bad(&dev->xbdev->dev, "backend",
				    blkfront_xs_names, be.val, BLKFRONT_XS_NR,
				    bad);
	xenpv_xs_free_keys(be.val, BLKFRONT_XS_NR);
	return err;
}

/* ---- Backend state changes ------------------------------------------------- */

/* The backend waits for our rings: make and publish them. */
static void blkfront_backend_initwait(struct blkfront_dev *dev)
{
	int err;

	if (dev->state != BF_WAIT_BACKEND)
		return;
	err = blkfront_negotiate_now(dev, true, &dev->params);
	if (!err)
		err = blkfront_setup_rings(dev);
	if (!err)
		err = xenpv_xs_transaction(blkfront_write_keys, dev);
	if (err) {
		xenbus_dev_fatal(dev->xbdev, err, "setting up the rings");
		blkfront_free_rings(dev, false);
		return;
	}
	blkfront_set_state(dev, BF_INITIALISED);
	xenbus_switch_state(dev->xbdev, XenbusStateInitialised);
}

/*
 * A connection after a resume, for a disk made on an earlier one: its
 * requests have room for dev->max_sg segments, whatever this backend
 * offers, and its logical block size cannot change under its users.
 */
static int blkfront_fit_disk(struct blkfront_dev *dev,
			     struct blkfront_params *p)
{
	struct request_queue *q = dev->disk->queue;
	unsigned int lbs = queue_logical_block_size(q);

	if (p->sector_size != lbs) {
		dev_err(&dev->xbdev->dev,
			"backend now has %u-byte sectors, the disk %u-byte ones: failing the disk\n",
			p->sector_size, lbs);
		return -EINVAL;
	}
	if (p->max_segs > dev->max_sg) {
		p->max_segs = dev->max_sg;
		p->max_indirect_segs = min(p->max_indirect_segs, dev->max_sg);
		if (p->max_indirect_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
			p->max_indirect_segs = 0;
	}
	if (p->max_segs < queue_max_segments(q))
		dev_info(&dev->xbdev->dev,
			 "backend now takes %u segments per request, not %u: larger requests are split\n",
			 p->max_segs, queue_max_segments(q));
	return 0;
}

/* The backend is connected: make the disk, or revive it after a resume. */
static void blkfront_backend_connected(struct blkfront_dev *dev)
{
	struct blkfront_params p;
	int err;

	if (dev->state == BF_CONNECTED) {
		/* A change of "sectors": the backing device was resized. */
		if (!blkfront_negotiate_now(dev, false, &p) && dev->disk &&
		    p.sectors != dev->params.sectors) {
			dev->params.sectors = p.sectors;
			set_capacity_and_notify(dev->disk, p.sectors);
		}
		return;
	}
	if (dev->state != BF_INITIALISED)
		return;
	err = blkfront_negotiate_now(dev, false, &p);
	if (err)
		goto fail;
	/* The rings were made for the values read at InitWait. */
	p.nr_queues = dev->params.nr_queues;
	p.ring_order = dev->params.ring_order;
	p.ring_size = dev->params.ring_size;
	if (dev->disk) {
		err = blkfront_fit_disk(dev, &p);
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
	if (!dev->disk) {
		err = blkfront_alloc_disk(dev);
		if (err)
			goto fail;
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
	return;
fail:
	xenbus_dev_fatal(dev->xbdev, err, "connecting to the backend");
	blkfront_set_state(dev, BF_BROKEN);
	blkfront_fail_all(dev);
	blkfront_flush_waiting(dev);
}

/*
 * End the device's life on this connection: new I/O fails at once, what
 * is in flight fails, the disk and the rings go.  True if it was not
 * closed yet.
 */
static bool blkfront_shut_down(struct blkfront_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	if (dev->state == BF_CLOSED)
		return false;
	if (dev->disk)
		blk_mark_disk_dead(dev->disk);
	blkfront_set_state(dev, BF_CLOSED);
	blkfront_fail_all(dev);
	blkfront_flush_waiting(dev);
	blkfront_remove_disk(dev);
	blkfront_free_rings(dev, true);
	return true;
}

/* The backend goes away: end every request and close. */
static void blkfront_backend_closing(struct blkfront_dev *dev)
{
	if (blkfront_shut_down(dev))
		xenbus_frontend_closed(dev->xbdev);
}

static void blkfront_backend_changed(struct xenbus_device *xbdev,
				     enum xenbus_state backend_state)
{
	struct blkfront_dev *dev = dev_get_drvdata(&xbdev->dev);

	mutex_lock(&dev->mutex);
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
	INIT_WORK(&dev->broken_work, blkfront_broken_work);
	INIT_LIST_HEAD(&dev->recover);
	if (blkfront_minor(dev)) {
		dev_warn(&xbdev->dev, "virtual-device %#x is not an xvd disk\n",
			 vdevice);
		kfree(dev);
		return -ENODEV;
	}
	dev->state = BF_WAIT_BACKEND;
	dev_set_drvdata(&xbdev->dev, dev);
	return 0;
}

#ifdef COMPAT_HAVE_XENBUS_REMOVE_VOID
static void blkfront_remove(struct xenbus_device *xbdev)
#else
static int blkfront_remove(struct xenbus_device *xbdev)
#endif
{
	struct blkfront_dev *dev = dev_get_drvdata(&xbdev->dev);

	mutex_lock(&dev->mutex);
	blkfront_shut_down(dev);
	mutex_unlock(&dev->mutex);
	cancel_work_sync(&dev->broken_work);
	debugfs_remove_recursive(dev->debugfs);
	kfree(dev);
#ifndef COMPAT_HAVE_XENBUS_REMOVE_VOID
	return 0;
#endif
}

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
	blkfront_free_rings(dev, false);
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
			  blkfront_state_names[READ_ONCE(dev->state)]);
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

BLKFRONT_PARAM_ATTR(rings, dev->nr_queues);
BLKFRONT_PARAM_ATTR(hw_queues, dev->nr_hw);
BLKFRONT_PARAM_ATTR(ring_pages, dev->nr_queues ? 1U << dev->params.ring_order : 0);
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
ATTRIBUTE_GROUPS(blkfront);

static const struct xenbus_device_id blkfront_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver blkfront_driver = {
	.ids			= blkfront_ids,
	.probe			= blkfront_probe,
	.remove			= blkfront_remove,
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
	err = blkfront_register_major();
	if (err)
		return err;
	err = xenbus_register_frontend(&blkfront_driver);
	if (err)
		blkfront_unregister_major();
	return err;
}
module_init(blkfront_init);

static void __exit blkfront_exit(void)
{
	xenbus_unregister_driver(&blkfront_driver);
	blkfront_unregister_major();
}
module_exit(blkfront_exit);

MODULE_DESCRIPTION("Xen virtual block device frontend, multiqueue");
MODULE_LICENSE("GPL");
MODULE_ALIAS_BLOCKDEV_MAJOR(BLKFRONT_MAJOR);
MODULE_ALIAS("xen:vbd");
MODULE_ALIAS("xenblk");
