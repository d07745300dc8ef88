// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV USB backend: the xenbus side of a "vusb" controller.
 *
 * libxl creates the controller with "num-ports", "usb-ver" and an empty
 * port/N per port, and waits 10 s for InitWait, which probe writes at
 * once.  It then (even before the guest's frontend exists) writes a USB
 * bus id to port/N and binds the device's interfaces to the "usbback"
 * USB driver; the port watch and the USB driver (usbback-main.c) put the
 * device on its port when both are done.  The frontend's Connected (or
 * Initialised) maps its rings, and every attached device is reported to
 * it on the conn ring.  Closing or Closed takes the rings down, every URB
 * ended and answered first.
 */

#include <linux/debugfs.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xenpv/usbif.h>

#include "usbback.h"

static void usbback_set_state(struct usbback_dev *dev, enum usbback_state to)
{
	lockdep_assert_held(&dev->mutex);
	if (xenpv_state_change(&usbback_states, &dev->xbdev->dev, dev->state,
			       to, dev->frontend_state))
		WRITE_ONCE(dev->state, to);
}

static void usbback_fail_work(struct work_struct *work)
{
	struct usbback_dev *dev = container_of(work, struct usbback_dev,
					       fail.work);

	mutex_lock(&dev->mutex);
	if (dev->state == UB_CONNECTED) {
		usbback_set_state(dev, UB_BROKEN);
		usbback_ring_disconnect(dev);
		xenpv_fail_report(&dev->fail, dev->xbdev, "frontend",
				  XENPV_FAIL_FATAL);
	}
	mutex_unlock(&dev->mutex);
}

/* ---- Ports -------------------------------------------------------------------- */

/**
 * usbback_read_ports() - read what the toolstack wrote to each port/N
 * @dev: the controller
 *
 * An absent key or one too long for a bus id counts as an empty port.
 *
 * Context: &struct usbback_dev.mutex held.
 */
void usbback_read_ports(struct usbback_dev *dev)
{
	unsigned int port;
	char key[16];
	char *val;

	lockdep_assert_held(&dev->mutex);
	for (port = 1; port <= dev->ctrl.nr_ports; port++) {
		snprintf(key, sizeof(key), "%s/%u", XENPV_USB_KEY_PORT, port);
		val = xenbus_read(XBT_NIL, dev->xbdev->nodename, key, NULL);
		dev->busid[port][0] = '\0';
		if (IS_ERR(val))
			continue;
		if (strlen(val) < USBBACK_BUSID_LEN)
			strscpy(dev->busid[port], val, USBBACK_BUSID_LEN);
		else
			dev_warn(&dev->xbdev->dev, "port %u: bus id too long, ignored\n",
				 port);
		kfree(val);
	}
}

static void usbback_port_changed(struct xenbus_watch *watch, const char *path,
				 const char *token)
{
	struct usbback_dev *dev = container_of(watch, struct usbback_dev,
					       port_watch);

	usbback_ports_changed(dev);
}

/* ---- Connecting ------------------------------------------------------------------ */

static int usbback_read_ring_keys(struct usbback_dev *dev, grant_ref_t *urb_ref,
				  grant_ref_t *conn_ref, evtchn_port_t *evtchn)
{
	const char *fe = dev->xbdev->otherend;
	unsigned int v[3];

	if (xenbus_scanf(XBT_NIL, fe, XENPV_USB_KEY_URB_RING_REF, "%u", &v[0]) != 1 ||
	    xenbus_scanf(XBT_NIL, fe, XENPV_USB_KEY_CONN_RING_REF, "%u", &v[1]) != 1 ||
	    xenbus_scanf(XBT_NIL, fe, XENPV_USB_KEY_EVTCHN, "%u", &v[2]) != 1)
		return -EINVAL;
	*urb_ref = v[0];
	*conn_ref = v[1];
	*evtchn = v[2];
	return 0;
}

/* The frontend is ready: map its rings and connect (once). */
static void usbback_try_connect(void *data)
{
	struct usbback_dev *dev = data;
	grant_ref_t urb_ref, conn_ref;
	evtchn_port_t evtchn;
	int err;

	lockdep_assert_held(&dev->mutex);
	if (dev->state != UB_WAIT_FRONTEND)
		return;
	err = usbback_read_ring_keys(dev, &urb_ref, &conn_ref, &evtchn);
	if (err) {
		xenbus_dev_fatal(dev->xbdev, err, "%s: ring refs or event channel unusable",
				 dev->xbdev->otherend);
		return;
	}
	xenpv_fail_reset(&dev->fail);	/* a new connection */
	err = usbback_ring_connect(dev, urb_ref, conn_ref, evtchn);
	if (err) {
		xenbus_dev_fatal(dev->xbdev, err, "mapping rings %u, %u, event channel %u",
				 urb_ref, conn_ref, evtchn);
		return;
	}
	err = xenbus_switch_state(dev->xbdev, XenbusStateConnected);
	if (err) {
		usbback_ring_disconnect(dev);
		return;
	}
	usbback_set_state(dev, UB_CONNECTED);
	dev_info(&dev->xbdev->dev, "connected: %u ports, USB %s\n",
		 dev->ctrl.nr_ports,
		 dev->ctrl.usb_ver == XENUSB_VER_USB20 ? "2.0" : "1.1");
}

/* The frontend closes or is gone: take the rings down. */
static void usbback_close(void *data)
{
	struct usbback_dev *dev = data;

	lockdep_assert_held(&dev->mutex);
	usbback_ring_disconnect(dev);
	if (dev->state != UB_CLOSED)
		usbback_set_state(dev, UB_CLOSED);
}

static int usbback_restart(void *data)
{
	usbback_set_state(data, UB_WAIT_FRONTEND);
	return 0;
}

static const struct xenpv_backend_ops usbback_backend_ops = {
	.restart	= usbback_restart,
	.connect	= usbback_try_connect,
	.close		= usbback_close,
};

static void usbback_frontend_changed(struct xenbus_device *xbdev,
				     enum xenbus_state frontend_state)
{
	struct usbback_dev *dev = dev_get_drvdata(&xbdev->dev);
	bool gone;

	mutex_lock(&dev->mutex);
	dev->frontend_state = frontend_state;
	gone = xenpv_backend_frontend_changed(xbdev, frontend_state,
					      &usbback_backend_ops, dev);
	mutex_unlock(&dev->mutex);
	/* The toolstack is done with it: remove() runs from here. */
	if (gone)
		device_unregister(&xbdev->dev);
}

/* ---- Counters ------------------------------------------------------------------- */

static void usbback_sum_stats(struct device *d, u64 *sum)
{
	struct usbback_dev *dev = dev_get_drvdata(d);
	unsigned int i;

	for (i = 0; i < USBBACK_NR_STATS; i++)
		sum[i] = READ_ONCE(dev->stats[i]);
}

/* statistics/, generated from usbback_stat_desc. */
static struct xenpv_stats_sysfs usbback_stats_sysfs = {
	.desc	= usbback_stat_desc,
	.nr	= USBBACK_NR_STATS,
	.sum	= usbback_sum_stats,
};

/*
 * debugfs stats: one line of every counter, after the controller's state
 * and the requests in flight (taken off the ring, not answered yet).
 */
static int usbback_stats_show(struct seq_file *m, void *unused)
{
	struct usbback_dev *dev = m->private;
	unsigned int inflight;

	xenpv_stats_seq_header(m, "state inflight", usbback_stat_desc,
			       USBBACK_NR_STATS);
	spin_lock_irq(&dev->lock);
	inflight = usbback_inflight_count(&dev->inflight);
	spin_unlock_irq(&dev->lock);
	seq_printf(m, "%s %u", xenpv_state_name(&usbback_states,
						READ_ONCE(dev->state)), inflight);
	xenpv_stats_seq_values(m, USBBACK_NR_STATS, dev->stats);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(usbback_stats);

/* ---- Probe and remove ------------------------------------------------------------- */

/* "num-ports" and "usb-ver", as libxl wrote them. */
static int usbback_read_ctrl(struct usbback_dev *dev)
{
	const char *dir = dev->xbdev->nodename;
	unsigned int ports, ver;
	char *p, *v;
	int err;

	p = xenbus_read(XBT_NIL, dir, XENPV_USB_KEY_NUM_PORTS, NULL);
	v = xenbus_read(XBT_NIL, dir, XENPV_USB_KEY_USB_VER, NULL);
	err = xenpv_usb_parse_ctrl(IS_ERR(p) ? NULL : p, IS_ERR(v) ? NULL : v,
				   &ports, &ver);
	if (!err)
		err = usbback_ctrl_init(&dev->ctrl, ports, ver);
	if (err)
		xenbus_dev_fatal(dev->xbdev, err, "num-ports \"%s\" or usb-ver \"%s\" unusable",
				 IS_ERR(p) ? "" : p, IS_ERR(v) ? "" : v);
	if (!IS_ERR(p))
		kfree(p);
	if (!IS_ERR(v))
		kfree(v);
	return err;
}

static int usbback_probe(struct xenbus_device *xbdev,
			 const struct xenbus_device_id *id)
{
	struct usbback_dev *dev;
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->xbdev = xbdev;
	mutex_init(&dev->mutex);
	mutex_init(&dev->io_mutex);
	spin_lock_init(&dev->lock);
	INIT_LIST_HEAD(&dev->done);
	INIT_LIST_HEAD(&dev->node);
	INIT_WORK(&dev->work, usbback_work_fn);
	xenpv_fail_init(&dev->fail, usbback_fail_work);
	dev->state = UB_WAIT_FRONTEND;
	dev_set_drvdata(&xbdev->dev, dev);
	atomic_long_inc(&usbback_census[USBBACK_CENSUS_CTRLS]);

	err = usbback_read_ctrl(dev);
	if (err)
		goto out_free;
	err = device_add_group(&xbdev->dev, &usbback_stats_sysfs.group);
	if (err)
		goto out_free;
	dev->debugfs = debugfs_create_dir(dev_name(&xbdev->dev),
					  usbback_debugfs_root);
	debugfs_create_file("stats", 0444, dev->debugfs, dev,
			    &usbback_stats_fops);
	usbback_ctrl_add(dev);
	/* It fires once at once: devices attached before we came are seen. */
	err = xenbus_watch_pathfmt(xbdev, &dev->port_watch, NULL,
				   usbback_port_changed, "%s/%s",
				   xbdev->nodename, XENPV_USB_KEY_PORT);
	if (err)
		goto out_list;
	err = xenbus_switch_state(xbdev, XenbusStateInitWait);
	if (err)
		goto out_watch;
	return 0;

out_watch:
	unregister_xenbus_watch(&dev->port_watch);
	kfree(dev->port_watch.node);
out_list:
	usbback_ctrl_del(dev);
	debugfs_remove_recursive(dev->debugfs);
	device_remove_group(&xbdev->dev, &usbback_stats_sysfs.group);
out_free:
	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(dev);
	atomic_long_dec(&usbback_census[USBBACK_CENSUS_CTRLS]);
	return err;
}

static void usbback_remove(struct xenbus_device *xbdev)
{
	struct usbback_dev *dev = dev_get_drvdata(&xbdev->dev);

	debugfs_remove_recursive(dev->debugfs);
	device_remove_group(&xbdev->dev, &usbback_stats_sysfs.group);
	unregister_xenbus_watch(&dev->port_watch);
	kfree(dev->port_watch.node);
	/* Off the list: no device comes to a port any more; each one goes. */
	usbback_ctrl_del(dev);

	mutex_lock(&dev->mutex);
	usbback_close(dev);
	mutex_unlock(&dev->mutex);
	cancel_work_sync(&dev->fail.work);
	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(dev);
	atomic_long_dec(&usbback_census[USBBACK_CENSUS_CTRLS]);
}

XENPV_REMOVE(usbback_remove);

static struct xenbus_driver usbback_xenbus_driver = {
	.ids			= XENPV_IDS("vusb"),
	.probe			= usbback_probe,
	.remove			= usbback_remove_xenbus,
	.otherend_changed	= usbback_frontend_changed,
};

/**
 * usbback_xenbus_init() - register the "vusb" backend driver
 *
 * Return: 0 or a negative errno.
 */
int usbback_xenbus_init(void)
{
	return xenpv_register_backend(&usbback_xenbus_driver, &usbback_stats_sysfs);
}

/**
 * usbback_xenbus_exit() - unregister it; every controller is removed first
 */
void usbback_xenbus_exit(void)
{
	xenpv_unregister_backend(&usbback_xenbus_driver, &usbback_stats_sysfs);
}
