// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV block backend: the xenbus side.
 *
 * One state machine per device (enum blkback_state), changed only by
 * blkback_set_state() under the device's mutex and checked against a table
 * of allowed transitions.  Probe writes the backend's ring limits and
 * switches to InitWait (libxl runs the hotplug script only then); the
 * script's "physical-device" opens the backing device; the frontend's
 * Initialised or Connected maps its rings and connects; its Closing or
 * Closed takes the rings down, waiting for their I/O.
 */

#include <linux/debugfs.h>
#include <linux/kdev_t.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/interface/io/protocols.h>
#include <xenpv/xenbus.h>

#include "blkback.h"

static void blkback_set_state(struct blkback_dev *dev, enum blkback_state to)
{
	lockdep_assert_held(&dev->mutex);
	if (xenpv_state_change(&blkback_states, &dev->xbdev->dev, dev->state,
			       to, dev->frontend_state))
		WRITE_ONCE(dev->state, to);
}

/**
 * blkback_ring_broken() - the frontend broke a ring's protocol
 * @ring: the ring
 * @why: what it did, for the one log line
 *
 * No ring of the device consumes anything more; the device is failed
 * from a work item (xenbus_dev_fatal()), its rings are taken down.  Other
 * devices go on.
 *
 * Context: the ring's worker.
 */
void blkback_ring_broken(struct blkback_ring *ring, const char *why)
{
	char buf[sizeof(ring->dev->fail.why)];

	snprintf(buf, sizeof(buf), "ring %u: %s", ring->index, why);
	xenpv_fail(&ring->dev->fail, buf);
}

/* ---- Rings ------------------------------------------------------------------ */

static void blkback_disconnect(struct blkback_dev *dev)
{
	unsigned int i;

	lockdep_assert_held(&dev->mutex);
	for (i = 0; dev->rings && i < dev->nr_rings; i++) {
		blkback_ring_disconnect(&dev->rings[i]);
		xenpv_stats_add(dev->past, dev->rings[i].stats,
				BLKBACK_NR_STATS);
	}
	kfree(dev->rings);
	dev->rings = NULL;
	dev->nr_rings = 0;
}

static void blkback_fail_work(struct work_struct *work)
{
	struct blkback_dev *dev = container_of(work, struct blkback_dev,
					       fail.work);

	mutex_lock(&dev->mutex);
	if (dev->state == BB_CONNECTED) {
		blkback_set_state(dev, BB_BROKEN);
		blkback_disconnect(dev);
		xenpv_fail_report(&dev->fail, dev->xbdev, "frontend",
				  XENPV_FAIL_FATAL);
	}
	mutex_unlock(&dev->mutex);
}

/*
 * Read the frontend's top-level keys into @raw (to be freed) and @xs;
 * absent ones stay NULL.
 */
static void blkback_read_frontend(struct blkback_dev *dev,
				  struct xenpv_xs_vals *xs, const char **raw)
{
	xenpv_xs_read_keys(dev->xbdev->otherend, blkback_xs_names,
			   BLKBACK_XS_NR, raw);
	memset(xs, 0, sizeof(*xs));
	memcpy(xs->val, raw, BLKBACK_XS_NR * sizeof(*raw));
#ifdef CONFIG_X86
	/*
	 * Like Linux's backend: a frontend without "protocol" is taken for
	 * an old 32-bit PV guest (BLKIF_PROTOCOL_DEFAULT).
	 */
	if (!xs->val[BLKBACK_XS_PROTOCOL]) {
		xs->val[BLKBACK_XS_PROTOCOL] = XEN_IO_PROTO_ABI_X86_32;
		dev_info(&dev->xbdev->dev,
			 "frontend wrote no protocol: assuming %s\n",
			 XEN_IO_PROTO_ABI_X86_32);
	}
#endif
}

static int blkback_negotiate(struct blkback_dev *dev, char *why, size_t size)
{
	struct blkback_offers lim = {
		.max_rings = blkback_max_queues,
		.max_ring_order = blkback_max_ring_page_order,
		.persistent = blkback_max_persistent_grants != 0,
	};
	enum blkback_xs_key bad = BLKBACK_XS_NR;
	const char *raw[BLKBACK_XS_NR];
	struct xenpv_xs_vals xs;
	int err;

	blkback_read_frontend(dev, &xs, raw);
	err = blkback_parse_connect(&xs, &lim, &dev->conn, &bad);
	if (err)
		xenpv_xs_describe_bad(why, size, "frontend", blkback_xs_names,
				      xs.val, BLKBACK_XS_NR, bad);
	xenpv_xs_free_keys(raw, BLKBACK_XS_NR);
	return err;
}

/* Read and parse one ring's grants and event channel. */
static int blkback_read_ring(struct blkback_dev *dev, unsigned int q,
			     struct blkback_ring_cfg *cfg, char *why,
			     size_t size)
{
	const struct blkback_conn *c = &dev->conn;
	struct blkback_ring_xs xs = { };
	char *vals[XENPV_BLK_MAX_RING_PAGES + 2] = { };
	struct blkback_rbad bad;
	unsigned int i, n = 0;
	char key[32];
	int err;

	for (i = 0; i < c->nr_ring_pages + 2; i++) {
		if (i == 0)
			err = blkback_xs_rkey(c, q, BLKBACK_RK_EVTCHN, 0, key,
					      sizeof(key));
		else if (i == 1)
			err = blkback_xs_rkey(c, q, BLKBACK_RK_RING_REF, 0, key,
					      sizeof(key));
		else
			err = blkback_xs_rkey(c, q, BLKBACK_RK_RING_REFN, i - 2,
					      key, sizeof(key));
		if (err < 0)
			goto out;
		vals[n] = xenbus_read(XBT_NIL, dev->xbdev->otherend, key, NULL);
		if (IS_ERR(vals[n]))
			vals[n] = NULL;
		n++;
	}
	xs.evtchn = vals[0];
	xs.ring_ref = c->nr_ring_pages == 1 ? vals[1] : NULL;
	for (i = 0; i < c->nr_ring_pages; i++)
		xs.ring_refn[i] = vals[i + 2];
	err = blkback_parse_ring(c, &xs, cfg, &bad);
	if (err) {
		blkback_xs_rkey(c, q, bad.key, bad.idx, key, sizeof(key));
		snprintf(why, size, "frontend key %s is missing or unusable",
			 key);
	}
out:
	for (i = 0; i < n; i++)
		kfree(vals[i]);
	return err;
}

static int blkback_connect_rings(struct blkback_dev *dev, char *why,
				 size_t size)
{
	struct blkback_ring_cfg cfg;
	unsigned int i;
	int err;

	lockdep_assert_held(&dev->mutex);
	err = blkback_negotiate(dev, why, size);
	if (err)
		return err;
	dev->rings = XENPV_ALLOC(kcalloc(dev->conn.nr_rings,
					 sizeof(*dev->rings), GFP_KERNEL));
	if (!dev->rings)
		return -ENOMEM;
	dev->nr_rings = dev->conn.nr_rings;
	for (i = 0; i < dev->nr_rings; i++) {
		dev->rings[i].dev = dev;
		dev->rings[i].index = i;
	}
	for (i = 0; i < dev->nr_rings; i++) {
		err = blkback_read_ring(dev, i, &cfg, why, size);
		if (!err)
			err = blkback_ring_connect(&dev->rings[i], &cfg);
		if (err) {
			blkback_disconnect(dev);
			return err;
		}
	}
	dev_info(&dev->xbdev->dev,
		 "%u ring(s) of %u pages, %s, persistent grants %s\n",
		 dev->nr_rings, dev->conn.nr_ring_pages,
		 dev->conn.abi == BLKBACK_ABI_X86_32 ? XEN_IO_PROTO_ABI_X86_32 :
						      XEN_IO_PROTO_ABI_X86_64,
		 dev->conn.persistent ? "on" : "off");
	return 0;
}

/* ---- xenstore --------------------------------------------------------------- */

static int blkback_write_discard(struct xenbus_transaction xbt,
				 struct blkback_dev *dev)
{
	struct block_device *bdev = dev->bdev.bdev;
	const char *dir = dev->xbdev->nodename;
	int err;

	if (!dev->vbd.discard)
		return xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_DISCARD, "%d", 0);
	err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_DISCARD_GRAN, "%u",
			      bdev_discard_granularity(bdev));
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_DISCARD_ALIGN, "%u",
				      bdev_discard_alignment(bdev));
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_DISCARD_SECURE, "%d",
				      dev->vbd.discard_secure);
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_DISCARD, "%d", 1);
	return err;
}

/* The device's keys, in one transaction (xenpv_xs_transaction()). */
static int blkback_write_device_keys(struct xenbus_transaction xbt, void *data)
{
	struct blkback_dev *dev = data;
	struct block_device *bdev = dev->bdev.bdev;
	const char *dir = dev->xbdev->nodename;
	unsigned int info = 0;
	int err;

	if (dev->vbd.readonly)
		info |= VDISK_READONLY;
	if (dev->cdrom)
		info |= VDISK_CDROM;
	if (bdev->bd_disk->flags & GENHD_FL_REMOVABLE)
		info |= VDISK_REMOVABLE;
	err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_SECTORS, "%llu",
			      (unsigned long long)READ_ONCE(dev->vbd.sectors));
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_INFO, "%u", info);
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_SECTOR_SIZE, "%u",
				      dev->vbd.sector_size);
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_PHYS_SECTOR_SIZE, "%u",
				      bdev_physical_block_size(bdev));
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_FLUSH, "%d",
				      dev->vbd.flush);
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_BARRIER, "%d",
				      dev->vbd.barrier);
	if (!err)
		err = blkback_write_discard(xbt, dev);
	return err;
}

/*
 * A resize: the new "sectors" and, in the same transaction, the xenbus
 * state Connected again, so that the frontend reads it.
 */
static int blkback_write_resize(struct xenbus_transaction xbt, void *data)
{
	struct blkback_dev *dev = data;
	const char *dir = dev->xbdev->nodename;
	int err;

	err = xenpv_xs_printf(xbt, dir, XENPV_BLK_KEY_SECTORS, "%llu",
			      (unsigned long long)READ_ONCE(dev->vbd.sectors));
	if (!err)
		err = xenpv_xs_printf(xbt, dir, "state", "%d",
				      XenbusStateConnected);
	return err;
}

/* ---- Resize ------------------------------------------------------------------ */

/* A changed capacity goes to "sectors", with Connected written again. */
static void blkback_check_capacity(struct blkback_dev *dev)
{
	sector_t now;
	int err;

	lockdep_assert_held(&dev->mutex);
	if (dev->state != BB_CONNECTED)
		return;
	now = bdev_nr_sectors(dev->bdev.bdev);
	if (now == READ_ONCE(dev->vbd.sectors))
		return;
	dev_info(&dev->xbdev->dev, "backing device resized: %llu -> %llu sectors\n",
		 (unsigned long long)dev->vbd.sectors,
		 (unsigned long long)now);
	WRITE_ONCE(dev->vbd.sectors, now);
	err = xenpv_xs_transaction(blkback_write_resize, dev);
	if (err)
		dev_warn(&dev->xbdev->dev, "telling the frontend of the new size failed (%d)\n",
			 err);
}

static void blkback_resize_work(struct work_struct *work)
{
	struct blkback_dev *dev = container_of(to_delayed_work(work),
					       struct blkback_dev, resize_work);
	unsigned int ms = READ_ONCE(blkback_resize_poll_ms);

	mutex_lock(&dev->mutex);
	blkback_check_capacity(dev);
	if (dev->state == BB_CONNECTED && ms)
		schedule_delayed_work(&dev->resize_work,
				      msecs_to_jiffies(ms));
	mutex_unlock(&dev->mutex);
}

/* ---- Connecting --------------------------------------------------------------- */

/* Connect once the backing device is open and the frontend's rings are up. */
static void blkback_try_connect(struct blkback_dev *dev)
{
	char why[128] = "";
	int err;

	lockdep_assert_held(&dev->mutex);
	if (dev->state != BB_READY ||
	    (dev->frontend_state != XenbusStateInitialised &&
	     dev->frontend_state != XenbusStateConnected))
		return;
	xenpv_fail_reset(&dev->fail);	/* a new connection */
	err = blkback_connect_rings(dev, why, sizeof(why));
	if (err) {
		xenbus_dev_fatal(dev->xbdev, err, "mapping the frontend's rings%s%s",
				 why[0] ? ": " : "", why);
		return;
	}
	err = xenpv_xs_transaction(blkback_write_device_keys, dev);
	if (!err)
		err = xenbus_switch_state(dev->xbdev, XenbusStateConnected);
	if (err) {
		blkback_disconnect(dev);
		xenbus_dev_fatal(dev->xbdev, err, "writing the device's keys");
		return;
	}
	blkback_set_state(dev, BB_CONNECTED);
	if (blkback_resize_poll_ms)
		schedule_delayed_work(&dev->resize_work,
				      msecs_to_jiffies(blkback_resize_poll_ms));
}

/* Describe the backing device for the request checks. */
static void blkback_fill_vbd(struct blkback_dev *dev, bool readonly)
{
	struct block_device *bdev = dev->bdev.bdev;
	struct blkback_vbd *vbd = &dev->vbd;
	char *val;

	vbd->sectors = bdev_nr_sectors(bdev);
	vbd->sector_size = bdev_logical_block_size(bdev);
	vbd->max_indirect_segs = blkback_max_indirect_segments;	/* clamped at init */
	vbd->readonly = readonly;
	/* A barrier is a drain plus a flush: offered with the cache flush. */
	vbd->barrier = bdev_write_cache(bdev);
	vbd->flush = vbd->barrier && blkback_feature_flush_cache;
	vbd->discard = !readonly && bdev_max_discard_sectors(bdev);
	val = xenbus_read(XBT_NIL, dev->xbdev->nodename, "discard-enable",
			  NULL);
	if (!IS_ERR(val)) {	/* the toolstack may turn discard off */
		if (!strcmp(val, "0"))
			vbd->discard = false;
		kfree(val);
	}
	vbd->discard_secure = vbd->discard &&
			      bdev_max_secure_erase_sectors(bdev);
	dev->max_segs = max_t(unsigned int, vbd->max_indirect_segs,
			      BLKIF_MAX_SEGMENTS_PER_REQUEST);
}

/* Open the backing device that "physical-device" names. */
static int blkback_open_device(struct blkback_dev *dev, unsigned int major,
			       unsigned int minor)
{
	struct xenbus_device *xbdev = dev->xbdev;
	bool readonly = false;
	char *val;
	int err;

	val = xenbus_read(XBT_NIL, xbdev->nodename, "mode", NULL);
	if (!IS_ERR(val)) {
		readonly = !strchr(val, 'w');
		kfree(val);
	}
	val = xenbus_read(XBT_NIL, xbdev->nodename, "device-type", NULL);
	if (!IS_ERR(val)) {
		dev->cdrom = !strcmp(val, "cdrom");
		kfree(val);
	}
	err = compat_bdev_open(&dev->bdev, MKDEV(major, minor), !readonly, dev);
	if (err) {
		xenbus_dev_fatal(xbdev, err, "opening backing device %x:%x",
				 major, minor);
		return err;
	}
	dev->devt = MKDEV(major, minor);
	blkback_fill_vbd(dev, readonly);
	dev_info(&xbdev->dev, "backing device %x:%x: %llu sectors of %u bytes%s%s%s\n",
		 major, minor, (unsigned long long)dev->vbd.sectors,
		 dev->vbd.sector_size, readonly ? ", read-only" : "",
		 dev->vbd.flush ? ", flush" : "",
		 dev->vbd.discard ? ", discard" : "");
	return 0;
}

/* The hotplug script wrote (or rewrote) "physical-device". */
static void blkback_hotplug_changed(struct xenbus_watch *watch,
				    const char *path, const char *token)
{
	struct blkback_dev *dev = container_of(watch, struct blkback_dev,
					       watch);
	unsigned int major, minor;

	if (xenbus_scanf(XBT_NIL, dev->xbdev->nodename, "physical-device",
			 "%x:%x", &major, &minor) != 2)
		return;	/* not written yet */
	mutex_lock(&dev->mutex);
	if (dev->devt == MKDEV(major, minor)) {
		blkback_check_capacity(dev);
	} else if (dev->devt) {
		dev_warn(&dev->xbdev->dev, "physical-device changed to %x:%x: not supported, keeping %x:%x\n",
			 major, minor, MAJOR(dev->devt), MINOR(dev->devt));
	} else if (!blkback_open_device(dev, major, minor) &&
		   dev->state == BB_WAIT_DEVICE) {
		/* (Closed meanwhile: the frontend's Initialising goes on.) */
		blkback_set_state(dev, BB_READY);
		blkback_try_connect(dev);
	}
	mutex_unlock(&dev->mutex);
}

/* ---- Frontend state changes ------------------------------------------------- */

static void blkback_close(struct blkback_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	blkback_disconnect(dev);
	blkback_set_state(dev, BB_CLOSED);
}

static int blkback_write_limits(struct blkback_dev *dev)
{
	const char *dir = dev->xbdev->nodename;
	int err = 0;

	/* Absent, as blkif.h has it, when indirect requests are not offered. */
	if (blkback_max_indirect_segments)
		err = xenpv_xs_printf(XBT_NIL, dir,
				      XENPV_BLK_KEY_MAX_INDIRECT, "%u",
				    blkback_max_indirect_segments);
	if (!err)
		err = xenpv_xs_printf(XBT_NIL, dir, XENPV_BLK_KEY_MAX_QUEUES, "%u",
				      blkback_max_queues);
	if (!err)
		err = xenpv_xs_printf(XBT_NIL, dir, XENPV_BLK_KEY_MAX_RING_ORDER, "%u",
				      blkback_max_ring_page_order);
	if (!err)
		err = xenpv_xs_printf(XBT_NIL, dir, XENPV_BLK_KEY_PERSISTENT, "%u",
				      blkback_max_persistent_grants ? 1 : 0);
	return err;
}

/* The frontend starts over: offer a new connection. */
static int blkback_restart(void *data)
{
	struct blkback_dev *dev = data;
	int err = blkback_write_limits(dev);

	if (err) {
		xenbus_dev_fatal(dev->xbdev, err, "writing the backend's limits");
		return err;
	}
	blkback_set_state(dev, dev->devt ? BB_READY : BB_WAIT_DEVICE);
	return 0;
}

static void blkback_connect(void *data)
{
	blkback_try_connect(data);
}

static void blkback_close_rings(void *data)
{
	blkback_close(data);
}

static const struct xenpv_backend_ops blkback_backend_ops = {
	.restart	= blkback_restart,
	.connect	= blkback_connect,
	.close		= blkback_close_rings,
};

static void blkback_frontend_changed(struct xenbus_device *xbdev,
				     enum xenbus_state frontend_state)
{
	struct blkback_dev *dev = dev_get_drvdata(&xbdev->dev);
	bool gone;

	mutex_lock(&dev->mutex);
	dev->frontend_state = frontend_state;
	gone = xenpv_backend_frontend_changed(xbdev, frontend_state,
					      &blkback_backend_ops, dev);
	mutex_unlock(&dev->mutex);
	/* The toolstack is done with it: remove() runs from here. */
	if (gone)
		device_unregister(&xbdev->dev);
}

/* ---- Counters: statistics/ in sysfs, the rings in debugfs ------------------ */

/* The device's counters, past connections included (statistics/). */
static void blkback_sum_stats(struct device *d, u64 *sum)
{
	struct blkback_dev *dev = dev_get_drvdata(d);
	unsigned int i;

	memset(sum, 0, BLKBACK_NR_STATS * sizeof(*sum));
	mutex_lock(&dev->mutex);
	xenpv_stats_add(sum, dev->past, BLKBACK_NR_STATS);
	for (i = 0; dev->rings && i < dev->nr_rings; i++)
		xenpv_stats_add(sum, dev->rings[i].stats, BLKBACK_NR_STATS);
	mutex_unlock(&dev->mutex);
}

/* statistics/: Linux's backend's files, generated from blkback_stat_desc. */
static struct xenpv_stats_sysfs blkback_stats_sysfs = {
	.desc	= blkback_stat_desc,
	.nr	= BLKBACK_NR_STATS,
	.sum	= blkback_sum_stats,
};

static int blkback_rings_show(struct seq_file *m, void *unused)
{
	struct blkback_dev *dev = m->private;
	struct blkback_ring *ring;
	unsigned int i;

	xenpv_stats_seq_header(m, "ring inflight pgrant_live",
			       blkback_stat_desc, BLKBACK_NR_STATS);
	mutex_lock(&dev->mutex);
	seq_printf(m, "# state %s, %u rings\n",
		   xenpv_state_name(&blkback_states, dev->state), dev->nr_rings);
	for (i = 0; dev->rings && i < dev->nr_rings; i++) {
		ring = &dev->rings[i];
		seq_printf(m, "%u %u %u", i, READ_ONCE(ring->inflight),
			   READ_ONCE(ring->pgrant.nr_live));
		xenpv_stats_seq_values(m, BLKBACK_NR_STATS, ring->stats);
	}
	mutex_unlock(&dev->mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(blkback_rings);

/* ---- Probe and remove ------------------------------------------------------- */

static int blkback_probe(struct xenbus_device *xbdev,
			 const struct xenbus_device_id *id)
{
	const char *devid = strrchr(xbdev->nodename, '/');
	struct blkback_dev *dev;
	char name[32];
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->xbdev = xbdev;
	dev->domid = xbdev->otherend_id;
	if (!devid || kstrtouint(devid + 1, 10, &dev->handle))
		dev->handle = 0;
	mutex_init(&dev->mutex);
	INIT_DELAYED_WORK(&dev->resize_work, blkback_resize_work);
	xenpv_fail_init(&dev->fail, blkback_fail_work);
	dev->state = BB_WAIT_DEVICE;
	dev_set_drvdata(&xbdev->dev, dev);
	atomic_long_inc(&blkback_census[BLKBACK_CENSUS_DEVS]);

	err = device_add_group(&xbdev->dev, &blkback_stats_sysfs.group);
	if (err)
		goto out_free;
	err = xenbus_watch_pathfmt(xbdev, &dev->watch, NULL,
				   blkback_hotplug_changed, "%s/%s",
				   xbdev->nodename, "physical-device");
	if (err)
		goto out_group;
	snprintf(name, sizeof(name), "vbd-%u-%u", dev->domid, dev->handle);
	dev->debugfs = debugfs_create_dir(name, blkback_debugfs_root);
	debugfs_create_file("rings", 0444, dev->debugfs, dev,
			    &blkback_rings_fops);
	err = blkback_write_limits(dev);
	if (err) {
		/*
		 * Failed, but bound: the toolstack takes it down the usual
		 * way (an unbound device would wait for a forced removal).
		 */
		mutex_lock(&dev->mutex);
		blkback_set_state(dev, BB_CLOSED);
		mutex_unlock(&dev->mutex);
		xenbus_dev_fatal(xbdev, err, "writing the backend's limits");
		return 0;
	}
	err = xenbus_switch_state(xbdev, XenbusStateInitWait);
	if (err)
		goto out_watch;
	return 0;

out_watch:
	debugfs_remove_recursive(dev->debugfs);
	unregister_xenbus_watch(&dev->watch);
	kfree(dev->watch.node);
out_group:
	device_remove_group(&xbdev->dev, &blkback_stats_sysfs.group);
out_free:
	xenbus_dev_fatal(xbdev, err, "setting up the backend");
	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(dev);
	atomic_long_dec(&blkback_census[BLKBACK_CENSUS_DEVS]);
	return err;
}

static void blkback_remove(struct xenbus_device *xbdev)
{
	struct blkback_dev *dev = dev_get_drvdata(&xbdev->dev);

	/* Readers of these take the mutex: remove them before taking it. */
	debugfs_remove_recursive(dev->debugfs);
	device_remove_group(&xbdev->dev, &blkback_stats_sysfs.group);
	unregister_xenbus_watch(&dev->watch);
	kfree(dev->watch.node);

	mutex_lock(&dev->mutex);
	blkback_disconnect(dev);
	if (dev->state != BB_CLOSED)
		blkback_set_state(dev, BB_CLOSED);
	compat_bdev_close(&dev->bdev);
	dev->devt = 0;
	mutex_unlock(&dev->mutex);

	cancel_delayed_work_sync(&dev->resize_work);
	cancel_work_sync(&dev->fail.work);
	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(dev);
	atomic_long_dec(&blkback_census[BLKBACK_CENSUS_DEVS]);
}

XENPV_REMOVE(blkback_remove);

static struct xenbus_driver blkback_driver = {
	.ids			= XENPV_IDS("vbd"),
	.probe			= blkback_probe,
	.remove			= blkback_remove_xenbus,
	.otherend_changed	= blkback_frontend_changed,
};

/**
 * blkback_xenbus_init() - register the "vbd" backend driver
 *
 * Return: 0 or a negative errno.
 */
int blkback_xenbus_init(void)
{
	return xenpv_register_backend(&blkback_driver, &blkback_stats_sysfs);
}

/**
 * blkback_xenbus_exit() - unregister it; every device is removed first
 */
void blkback_xenbus_exit(void)
{
	xenpv_unregister_backend(&blkback_driver, &blkback_stats_sysfs);
}
