// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV USB backend: the module and its USB interface driver "usbback".
 *
 * libxl hands a USB device to a guest by writing its bus id to a
 * controller's port/N and binding each of its interfaces to the driver
 * named "usbback" through sysfs.  The driver accepts an interface only of
 * a device that some controller's port names (so that it never takes a
 * device of dom0's on its own), and a device is on its port once every
 * interface of its active configuration is bound to it.  An interface
 * that leaves (unbind, unplug) takes the device off its port: its URBs
 * are killed and the frontend sees a disconnect.
 *
 * Lock order: usbback_mutex, then a controller's mutex, then its
 * io_mutex, then its lock.
 */

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>

#include "usbback.h"

struct workqueue_struct *usbback_wq;
struct dentry *usbback_debugfs_root;

XENPV_CENSUS(usbback, USBBACK_CENSUS_NR,
	     [USBBACK_CENSUS_CTRLS] = "ctrls",
	     [USBBACK_CENSUS_RINGS] = "rings",
	     [USBBACK_CENSUS_URBS] = "urbs",
	     [USBBACK_CENSUS_BUF_PAGES] = "buf_pages");

/* The controllers and the interfaces bound to us. */
static DEFINE_MUTEX(usbback_mutex);
static LIST_HEAD(usbback_ctrls);
static LIST_HEAD(usbback_intfs);

/**
 * struct usbback_intf - an interface bound to the usbback driver
 * @node: on usbback_intfs
 * @intf: the interface
 */
struct usbback_intf {
	struct list_head node;
	struct usb_interface *intf;
};

/* The device named @busid, if all its interfaces are bound to us. */
static struct usb_device *usbback_assigned(const char *busid)
{
	struct usb_device *udev = NULL;
	struct usbback_intf *bi;
	unsigned int n = 0;

	lockdep_assert_held(&usbback_mutex);
	if (!busid[0])
		return NULL;
	list_for_each_entry(bi, &usbback_intfs, node) {
		if (strcmp(dev_name(bi->intf->dev.parent), busid))
			continue;
		udev = interface_to_usbdev(bi->intf);
		n++;
	}
	if (!udev || !udev->actconfig ||
	    n != udev->actconfig->desc.bNumInterfaces)
		return NULL;
	return udev;
}

static void usbback_port_attach_dev(struct usbback_dev *dev, unsigned int port,
				    struct usb_device *udev)
{
	int speed = usbback_speed(&dev->ctrl, udev->speed);

	lockdep_assert_held(&dev->mutex);
	if (speed < 0) {
		dev_warn(&dev->xbdev->dev, "port %u: %s runs at %s, which a USB %s controller cannot carry\n",
			 port, dev_name(&udev->dev), usb_speed_string(udev->speed),
			 dev->ctrl.usb_ver == XENUSB_VER_USB20 ? "2.0" : "1.1");
		return;
	}
	spin_lock_irq(&dev->lock);
	if (!usbback_port_attach(&dev->ctrl, port, speed))
		dev->udev[port] = usb_get_dev(udev);
	spin_unlock_irq(&dev->lock);
	if (dev->udev[port])
		dev_info(&dev->xbdev->dev, "port %u: %s (%s)\n", port,
			 dev_name(&udev->dev), usb_speed_string(udev->speed));
}

/**
 * usbback_port_release() - take a port's device off it
 * @dev: the controller
 * @port: the port
 *
 * Its URBs are killed (and answered), the frontend is told.
 *
 * Context: &struct usbback_dev.mutex held.
 */
void usbback_port_release(struct usbback_dev *dev, unsigned int port)
{
	struct usb_device *udev;

	lockdep_assert_held(&dev->mutex);
	mutex_lock(&dev->io_mutex);
	spin_lock_irq(&dev->lock);
	udev = dev->udev[port];
	dev->udev[port] = NULL;
	if (udev)
		usbback_port_detach(&dev->ctrl, port);
	spin_unlock_irq(&dev->lock);
	if (udev)
		usbback_kill_port(dev, port);
	mutex_unlock(&dev->io_mutex);
	if (udev) {
		dev_info(&dev->xbdev->dev, "port %u: %s left\n", port,
			 dev_name(&udev->dev));
		usb_put_dev(udev);
	}
}

/* Bring each port of @dev to what port/N and the bound interfaces say. */
static void usbback_eval_ports(struct usbback_dev *dev)
{
	struct usb_device *want;
	unsigned int port;

	lockdep_assert_held(&usbback_mutex);
	mutex_lock(&dev->mutex);
	for (port = 1; port <= dev->ctrl.nr_ports; port++) {
		want = usbback_assigned(dev->busid[port]);
		if (dev->udev[port] && dev->udev[port] != want)
			usbback_port_release(dev, port);
		if (want && !dev->udev[port])
			usbback_port_attach_dev(dev, port, want);
	}
	mutex_unlock(&dev->mutex);
	usbback_kick(dev);
}

/**
 * usbback_ports_changed() - the toolstack changed a controller's port/N
 * @dev: the controller
 *
 * Context: process (the port watch).
 */
void usbback_ports_changed(struct usbback_dev *dev)
{
	mutex_lock(&usbback_mutex);
	mutex_lock(&dev->mutex);
	usbback_read_ports(dev);
	mutex_unlock(&dev->mutex);
	if (!list_empty(&dev->node))
		usbback_eval_ports(dev);
	mutex_unlock(&usbback_mutex);
}

/**
 * usbback_ctrl_add() - a new controller may take devices
 * @dev: the controller
 */
void usbback_ctrl_add(struct usbback_dev *dev)
{
	mutex_lock(&usbback_mutex);
	list_add_tail(&dev->node, &usbback_ctrls);
	mutex_unlock(&usbback_mutex);
}

/**
 * usbback_ctrl_del() - a controller goes: each of its devices leaves it
 * @dev: the controller
 */
void usbback_ctrl_del(struct usbback_dev *dev)
{
	unsigned int port;

	mutex_lock(&usbback_mutex);
	list_del_init(&dev->node);
	mutex_lock(&dev->mutex);
	for (port = 1; port <= dev->ctrl.nr_ports; port++)
		usbback_port_release(dev, port);
	mutex_unlock(&dev->mutex);
	mutex_unlock(&usbback_mutex);
}

/*
 * Does a port of some controller name @busid?  The ports are read again:
 * libxl binds right after its write to port/N, which our watch may not
 * have seen yet.
 */
static bool usbback_wanted(const char *busid)
{
	struct usbback_dev *dev;
	unsigned int port;
	bool found = false;

	lockdep_assert_held(&usbback_mutex);
	list_for_each_entry(dev, &usbback_ctrls, node) {
		mutex_lock(&dev->mutex);
		usbback_read_ports(dev);
		for (port = 1; port <= dev->ctrl.nr_ports; port++)
			found |= !strcmp(dev->busid[port], busid);
		mutex_unlock(&dev->mutex);
	}
	return found;
}

static int usbback_usb_probe(struct usb_interface *intf,
			     const struct usb_device_id *id)
{
	struct usbback_intf *bi;
	struct usbback_dev *dev;
	int err = -ENODEV;

	mutex_lock(&usbback_mutex);
	if (!usbback_wanted(dev_name(intf->dev.parent)))
		goto out;
	err = -ENOMEM;
	bi = kzalloc(sizeof(*bi), GFP_KERNEL);
	if (!bi)
		goto out;
	bi->intf = intf;
	list_add_tail(&bi->node, &usbback_intfs);
	usb_set_intfdata(intf, bi);
	list_for_each_entry(dev, &usbback_ctrls, node)
		usbback_eval_ports(dev);
	err = 0;
out:
	mutex_unlock(&usbback_mutex);
	return err;
}

static void usbback_usb_disconnect(struct usb_interface *intf)
{
	struct usbback_intf *bi = usb_get_intfdata(intf);
	struct usbback_dev *dev;

	mutex_lock(&usbback_mutex);
	list_del(&bi->node);
	list_for_each_entry(dev, &usbback_ctrls, node)
		usbback_eval_ports(dev);
	mutex_unlock(&usbback_mutex);
	usb_set_intfdata(intf, NULL);
	kfree(bi);
}

/*
 * A reset keeps the device on its port.  The backend resets it itself
 * (the frontend's SET_ADDRESS) with the port's URBs killed first and the
 * worker, the only one to submit, busy with the reset; a reset dom0 makes
 * ends the frontend's URBs in flight with an error, as the device's own
 * reset does on real hardware.  Without these, the USB core would unbind
 * the interfaces for the reset, taking the device off its port.
 */
static int usbback_usb_pre_reset(struct usb_interface *intf)
{
	return 0;
}

static int usbback_usb_post_reset(struct usb_interface *intf)
{
	return 0;
}

/*
 * Any interface: libxl binds whatever the user attaches.  Probe refuses
 * those of devices no port names, so nothing of dom0's is taken.
 */
static const struct usb_device_id usbback_ids[] = {
	{ .driver_info = 1 },
	{ }
};

static struct usb_driver usbback_usb_driver = {
	.name		= USBBACK_DRIVER_NAME,
	.probe		= usbback_usb_probe,
	.disconnect	= usbback_usb_disconnect,
	.pre_reset	= usbback_usb_pre_reset,
	.post_reset	= usbback_usb_post_reset,
	.id_table	= usbback_ids,
};

static int __init usbback_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	err = xenpv_stats_check(usbback_stat_desc, USBBACK_NR_STATS);
	if (!err)
		err = xenpv_states_check(&usbback_states, UB_WAIT_FRONTEND);
	if (err)
		return err;
	usbback_wq = alloc_workqueue("xen-usbback", WQ_UNBOUND, 0);
	if (!usbback_wq)
		return -ENOMEM;
	usbback_debugfs_root = debugfs_create_dir("xen-usbback", NULL);
	xenpv_census_debugfs(usbback_debugfs_root, &usbback_census_desc);
	xenpv_fault_debugfs(usbback_debugfs_root);
	err = usb_register(&usbback_usb_driver);
	if (err)
		goto out_wq;
	err = usbback_xenbus_init();
	if (err)
		goto out_usb;
	return 0;

out_usb:
	usb_deregister(&usbback_usb_driver);
out_wq:
	debugfs_remove_recursive(usbback_debugfs_root);
	destroy_workqueue(usbback_wq);
	return err;
}
module_init(usbback_init);

static void __exit usbback_exit(void)
{
	usbback_xenbus_exit();
	usb_deregister(&usbback_usb_driver);
	destroy_workqueue(usbback_wq);
	debugfs_remove_recursive(usbback_debugfs_root);
}
module_exit(usbback_exit);

MODULE_DESCRIPTION("Xen PV USB backend (usbif), driven by xl's type=pv controllers");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vusb");
