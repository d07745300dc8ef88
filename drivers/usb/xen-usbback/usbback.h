/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen PV USB backend: the driver's own structures, shared by the USB side
 * (usbback-main.c), the xenbus side (usbback-xenbus.c) and the ring side
 * (usbback-ring.c).  The protocol logic is in usbback-proto.c.
 */
#ifndef _XEN_USBBACK_H
#define _XEN_USBBACK_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/usb.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/interface/io/usbif.h>
#include <compat/compat.h>
#include <xenpv/xenbus.h>

#include "usbback-proto.h"

/* The name libxl binds interfaces to: /sys/bus/usb/drivers/usbback. */
#define USBBACK_DRIVER_NAME	"usbback"

/* The longest USB bus id ("1-1.2.3.4.5") libxl writes to port/N. */
#define USBBACK_BUSID_LEN	32

struct usbback_dev;

/**
 * struct usbback_pend - one request of the frontend being carried out
 * @node: on &struct usbback_dev.done once its URB ended
 * @dev: the controller
 * @req: the private copy of the request, checked
 * @slot: its slot in &struct usbback_dev.inflight and .pend
 * @port: the port of its device
 * @urb: the URB submitted to the device
 * @buf: the transfer buffer (whole pages), NULL without data
 * @order: its page order
 * @setup: a control request's setup packet
 * @descs: an isochronous request's packet descriptors (whole pages),
 *	copied from the frontend's descriptor segments, NULL for the others
 * @desc_order: their page order
 */
struct usbback_pend {
	struct list_head node;
	struct usbback_dev *dev;
	struct usbback_req req;
	unsigned int slot;
	unsigned int port;
	struct urb *urb;
	void *buf;
	unsigned int order;
	struct usb_ctrlrequest *setup;
	struct xenpv_usb_iso_desc *descs;
	unsigned int desc_order;
};

/**
 * struct usbback_dev - one virtual host controller ("vusb" device)
 * @xbdev: its xenbus device
 * @node: on the module's list of controllers (usbback_ctrls)
 * @mutex: serialises the xenbus side, the ports and the rings' set-up
 * @io_mutex: held while a request is checked and submitted, and while a
 *	port's device leaves, so that no URB goes to a device that left
 * @lock: protects @ctrl, @inflight, @pend, @udev and @done; taken from
 *	URB completions
 * @state: enum usbback_state, changed under @mutex
 * @frontend_state: the frontend's last xenbus state
 * @ctrl: the protocol state: ports, addresses, port events
 * @udev: the device on each port (a reference held), NULL for none
 * @busid: what the toolstack wrote to each port/N, "" for none
 * @inflight: the ids of the requests being carried out
 * @pend: the request in each slot of @inflight
 * @done: requests whose URB ended, to answer
 * @urb_ring: the URB ring, mapped while connected
 * @conn_ring: the conn ring, mapped while connected
 * @irq: the event channel's interrupt, 0 while unbound
 * @work: the worker: answers, port events, new requests
 * @running: the rings are up and the worker may touch them
 * @port_watch: on our port/ directory
 * @fail: the frontend broke the protocol
 * @eoi: bit 0: an event came and waits for its late EOI from the worker
 * @stats: counters, written by the worker (enum usbback_stat)
 * @plan: the worker's grant copy plan of one request
 * @ops: the worker's grant copies of one request
 * @debugfs: its directory in the module's debugfs directory
 */
struct usbback_dev {
	struct xenbus_device *xbdev;
	struct list_head node;
	struct mutex mutex;		/* the xenbus side and the ports */
	struct mutex io_mutex;		/* submitting against leaving */
	spinlock_t lock;		/* protocol state, URB completions */
	enum usbback_state state;
	enum xenbus_state frontend_state;
	struct usbback_ctrl ctrl;
	struct usb_device *udev[USBBACK_MAX_PORTS + 1];
	char busid[USBBACK_MAX_PORTS + 1][USBBACK_BUSID_LEN];
	struct usbback_inflight inflight;
	struct usbback_pend *pend[USBBACK_URB_RING_SIZE];
	struct list_head done;
	struct xenusb_urb_back_ring urb_ring;
	struct xenusb_conn_back_ring conn_ring;
	int irq;
	struct work_struct work;
	bool running;
	struct xenbus_watch port_watch;
	struct xenpv_fail fail;
	unsigned long eoi;
	u64 stats[USBBACK_NR_STATS];
	struct usbback_copy plan[USBBACK_MAX_COPIES];
	struct gnttab_copy ops[USBBACK_MAX_COPIES];
	struct dentry *debugfs;
};

/**
 * enum usbback_census - what the module holds (debugfs census)
 * @USBBACK_CENSUS_CTRLS: controllers probed and not removed
 * @USBBACK_CENSUS_RINGS: ring pairs mapped (two grants of the frontend
 *	each) and not unmapped
 * @USBBACK_CENSUS_URBS: requests given a URB and not freed
 * @USBBACK_CENSUS_BUF_PAGES: pages of those requests' transfer buffers
 * @USBBACK_CENSUS_NR: number of counters
 *
 * With no controller left all are 0; the lifecycle tests compare them.
 */
enum usbback_census {
	USBBACK_CENSUS_CTRLS,
	USBBACK_CENSUS_RINGS,
	USBBACK_CENSUS_URBS,
	USBBACK_CENSUS_BUF_PAGES,
	USBBACK_CENSUS_NR
};

extern atomic_long_t usbback_census[USBBACK_CENSUS_NR];

/* usbback-main.c */
extern struct workqueue_struct *usbback_wq;
extern struct dentry *usbback_debugfs_root;
void usbback_ctrl_add(struct usbback_dev *dev);
void usbback_ctrl_del(struct usbback_dev *dev);
void usbback_ports_changed(struct usbback_dev *dev);
void usbback_port_release(struct usbback_dev *dev, unsigned int port);

/* usbback-ring.c */
int usbback_ring_connect(struct usbback_dev *dev, grant_ref_t urb_ref,
			 grant_ref_t conn_ref, evtchn_port_t evtchn);
void usbback_ring_disconnect(struct usbback_dev *dev);
void usbback_kill_port(struct usbback_dev *dev, unsigned int port);
void usbback_kick(struct usbback_dev *dev);
void usbback_work_fn(struct work_struct *work);

/* usbback-xenbus.c */
void usbback_read_ports(struct usbback_dev *dev);
int usbback_xenbus_init(void);
void usbback_xenbus_exit(void);

#endif /* _XEN_USBBACK_H */
