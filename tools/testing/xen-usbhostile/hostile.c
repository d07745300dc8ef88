// SPDX-License-Identifier: GPL-2.0
/*
 * xen-usbhostile: a hostile usbif frontend, to test Xen PV USB backends.
 *
 * Test-only: it lives under tools/testing/ and is never installed with the
 * drivers.  Bound to a guest's "vusb" controller in place of xen-hcd, it
 * connects like a frontend (one URB ring, one conn ring, one event
 * channel) and puts bad requests on the URB ring, one at a time:
 *
 *  - requests a frontend may send by mistake or through a race, which
 *    must get an error response while the controller keeps working: a
 *    port the controller does not have, a device address not the port's
 *    device's, an unlink of an id not in flight, and grant references
 *    never given (for the data into and out of the device);
 *  - then one request that breaks the protocol (the "fatal" parameter):
 *    more segments than a request has, a segment past its page, segments
 *    longer than the buffer, the id of a request still in flight (two
 *    GET_DESCRIPTORs of one id in one batch), or a request producer that
 *    jumps past the ring; the backend must fail the
 *    controller (leave Connected).
 *
 * Between the two, a good GET_DESCRIPTOR to the port's device must still
 * be answered with its 18 bytes.  Each attack logs one line,
 *
 *	xen-usbhostile: attack NAME: OUTCOME ok|WRONG
 *
 * and the counters are read-only module parameters (total, wrong, done)
 * for a test to poll.  The module then closes the controller (Closed,
 * bounded waits) so that it can be loaded again for the next fatal attack.
 */

#define pr_fmt(fmt) "xen-usbhostile: " fmt

#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb/ch9.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/io/usbif.h>
#include <xenpv/usbif.h>

/* How long one attack waits for its response or for the backend. */
#define UH_WAIT_MS	10000
/* A grant reference far past any grant table. */
#define UH_HUGE_GREF	0xfffff0U
/* The port the toolstack attached a device to. */
#define UH_PORT		1
/* Our request ids start here; each attack takes the next. */
#define UH_ID_BASE	0x4800

static char *fatal = "prod_jump";
module_param(fatal, charp, 0444);
MODULE_PARM_DESC(fatal, "the protocol violation sent last: too_many_segs, seg_past_page, seg_too_long, dup_id or prod_jump");
static int total;
module_param(total, int, 0444);
MODULE_PARM_DESC(total, "attacks run");
static int wrong;
module_param(wrong, int, 0444);
MODULE_PARM_DESC(wrong, "attacks whose outcome was not the expected one");
static int done;
module_param(done, int, 0444);
MODULE_PARM_DESC(done, "1 once every attack ran and the controller is closed");

/**
 * struct uh_dev - one controller under attack
 * @xbdev: its xenbus device
 * @urb: the URB ring
 * @conn: the conn ring (left empty)
 * @urb_ref: the URB ring's grant
 * @conn_ref: the conn ring's grant
 * @evtchn: the event channel
 * @irq: its interrupt, 0 when unbound
 * @data: a page for request data, granted writable as @data_ref
 * @data_ref: its grant
 * @back: the backend's xenbus state, as otherend_changed last saw it
 * @port_speed: UH_PORT's device's speed the backend reported, 0 for none
 * @wq: woken by the interrupt and by the backend's state changes
 * @work: runs the attacks
 * @id: the next request id
 */
struct uh_dev {
	struct xenbus_device *xbdev;
	struct xenusb_urb_front_ring urb;
	struct xenusb_conn_front_ring conn;
	grant_ref_t urb_ref;
	grant_ref_t conn_ref;
	evtchn_port_t evtchn;
	int irq;
	struct page *data;
	grant_ref_t data_ref;
	wait_queue_head_t wq;
	struct work_struct work;
	u16 id;
	enum xenbus_state back;
	u8 port_speed;
};

static u32 uh_pipe(unsigned int port, unsigned int dev, unsigned int ep,
		   unsigned int type, bool in)
{
	return port | dev << XENUSB_PIPE_DEV_SHIFT | ep << XENUSB_PIPE_EP_SHIFT |
	       type << XENUSB_PIPE_TYPE_SHIFT | (in ? XENUSB_PIPE_DIR : 0);
}

/* A control request on the next slot: setup packet and one data segment. */
static struct xenusb_urb_request *uh_ctrl(struct uh_dev *uh, unsigned int port,
					  unsigned int dev, u8 type, u8 request,
					  u16 value, u16 len, grant_ref_t gref)
{
	struct xenusb_urb_request *req;
	__le16 v = cpu_to_le16(value), l = cpu_to_le16(len);

	req = RING_GET_REQUEST(&uh->urb, uh->urb.req_prod_pvt);
	memset(req, 0, sizeof(*req));
	req->id = uh->id++;
	req->pipe = uh_pipe(port, dev, 0, XENUSB_PIPE_TYPE_CTRL,
			    type & USB_DIR_IN);
	req->buffer_length = len;
	req->u.ctrl[0] = type;
	req->u.ctrl[1] = request;
	memcpy(&req->u.ctrl[2], &v, 2);
	memcpy(&req->u.ctrl[6], &l, 2);
	if (len) {
		req->nr_buffer_segs = 1;
		req->seg[0].gref = gref;
		req->seg[0].length = len;
	}
	return req;
}

/* GET_DESCRIPTOR(device), 18 bytes into segment 0 (@gref). */
static struct xenusb_urb_request *uh_get_desc(struct uh_dev *uh,
					      unsigned int port,
					      unsigned int dev, grant_ref_t gref)
{
	return uh_ctrl(uh, port, dev, USB_DIR_IN, USB_REQ_GET_DESCRIPTOR,
		       USB_DT_DEVICE << 8, 18, gref);
}

/* Publish @n more requests (past the ring, for prod_jump) and notify. */
static void uh_push(struct uh_dev *uh, unsigned int n)
{
	uh->urb.req_prod_pvt += n;
	RING_PUSH_REQUESTS(&uh->urb);
	notify_remote_via_irq(uh->irq);
}

/* Cached: a wait condition must not sleep (a xenstore read would). */
static enum xenbus_state uh_back_state(struct uh_dev *uh)
{
	return READ_ONCE(uh->back);
}

/* The response to @id (others are dropped); false after UH_WAIT_MS. */
static bool uh_response(struct uh_dev *uh, u16 id,
			struct xenusb_urb_response *rsp)
{
	unsigned long end = jiffies + msecs_to_jiffies(UH_WAIT_MS);
	bool found = false;

	while (!found && time_before(jiffies, end)) {
		wait_event_timeout(uh->wq, RING_HAS_UNCONSUMED_RESPONSES(&uh->urb) ||
				   uh_back_state(uh) != XenbusStateConnected, HZ / 10);
		while (!found && RING_HAS_UNCONSUMED_RESPONSES(&uh->urb)) {
			virt_rmb();	/* the slots after rsp_prod */
			*rsp = *RING_GET_RESPONSE(&uh->urb, uh->urb.rsp_cons);
			uh->urb.rsp_cons++;
			found = rsp->id == id;
		}
		if (uh_back_state(uh) != XenbusStateConnected)
			break;
	}
	return found;
}

static void uh_judge(const char *name, bool ok, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("attack %s: %pV %s\n", name, &vaf, ok ? "ok" : "WRONG");
	va_end(args);
	total++;
	if (!ok)
		wrong++;
}

/* One request out; its response must come with @status. */
static void uh_expect(struct uh_dev *uh, const char *name,
		      struct xenusb_urb_request *req, s32 status)
{
	struct xenusb_urb_response rsp;
	u16 id = req->id;

	uh_push(uh, 1);
	if (!uh_response(uh, id, &rsp)) {
		uh_judge(name, false, "no response (backend state %d)",
			 uh_back_state(uh));
		return;
	}
	uh_judge(name, rsp.status == status, "status %d (expected %d)",
		 rsp.status, status);
}

/* The controller must still answer a good request. */
static void uh_good(struct uh_dev *uh)
{
	struct xenusb_urb_response rsp;
	u8 *d = page_address(uh->data);
	struct xenusb_urb_request *req;
	u16 id;

	memset(d, 0, 18);
	req = uh_get_desc(uh, UH_PORT, 0, uh->data_ref);
	id = req->id;
	uh_push(uh, 1);
	if (!uh_response(uh, id, &rsp)) {
		uh_judge("good_get_desc", false, "no response");
		return;
	}
	uh_judge("good_get_desc", !rsp.status && rsp.actual_length == 18 &&
		 d[1] == USB_DT_DEVICE, "status %d, %u bytes, type %u",
		 rsp.status, rsp.actual_length, d[1]);
}

static void uh_harmless(struct uh_dev *uh)
{
	struct xenusb_urb_request *req;

	uh_expect(uh, "bad_port", uh_get_desc(uh, XENUSB_MAX_PORTNR, 0,
					      uh->data_ref), XENUSB_STATUS_NODEV);
	uh_expect(uh, "port_zero", uh_get_desc(uh, 0, 0, uh->data_ref),
		  XENUSB_STATUS_NODEV);
	uh_expect(uh, "bad_addr", uh_get_desc(uh, UH_PORT, 77, uh->data_ref),
		  XENUSB_STATUS_NODEV);
	req = uh_get_desc(uh, UH_PORT, 0, 0);
	req->pipe |= XENUSB_PIPE_UNLINK;
	req->nr_buffer_segs = 0;
	req->buffer_length = 0;
	req->u.unlink.unlink_id = 0x7777;
	uh_expect(uh, "unlink_unknown", req, XENUSB_STATUS_INVAL);
	/* Data the device sends, copied to a grant never given. */
	uh_expect(uh, "bad_gref_in", uh_get_desc(uh, UH_PORT, 0, UH_HUGE_GREF),
		  XENUSB_STATUS_INVAL);
	/* Data for the device, from one: never reaches the device. */
	uh_expect(uh, "bad_gref_out",
		  uh_ctrl(uh, UH_PORT, 0, USB_DIR_OUT | USB_TYPE_VENDOR, 1, 0,
			  8, UH_HUGE_GREF), XENUSB_STATUS_INVAL);
}

/* The protocol violation: the backend must leave Connected. */
static void uh_fatal(struct uh_dev *uh)
{
	struct xenusb_urb_request *req;
	unsigned int n = 1;
	enum xenbus_state s;

	req = uh_get_desc(uh, UH_PORT, 0, uh->data_ref);
	if (!strcmp(fatal, "too_many_segs")) {
		req->nr_buffer_segs = XENUSB_MAX_SEGMENTS_PER_REQUEST + 1;
	} else if (!strcmp(fatal, "seg_past_page")) {
		req->seg[0].offset = XEN_PAGE_SIZE - 8;
	} else if (!strcmp(fatal, "seg_too_long")) {
		req->seg[0].length = 64;	/* the buffer is 18 bytes */
	} else if (!strcmp(fatal, "dup_id")) {
		/*
		 * Its twin in the same batch: the backend answers the first
		 * (which went to the device) only after it took the batch.
		 */
		uh->urb.req_prod_pvt++;
		req = uh_get_desc(uh, UH_PORT, 0, uh->data_ref);
		req->id = uh->id - 2;
	} else if (!strcmp(fatal, "prod_jump")) {
		n = XENUSB_URB_RING_SIZE + 7;
	} else {
		uh_judge(fatal, false, "unknown attack");
		return;
	}
	uh_push(uh, n);
	wait_event_timeout(uh->wq, uh_back_state(uh) != XenbusStateConnected,
			   msecs_to_jiffies(UH_WAIT_MS));
	s = uh_back_state(uh);
	uh_judge(fatal, s != XenbusStateConnected,
		 "backend state %s", xenbus_strstate(s));
}

/* ---- Connecting and closing ------------------------------------------------ */

static irqreturn_t uh_interrupt(int irq, void *data)
{
	struct uh_dev *uh = data;

	wake_up(&uh->wq);
	return IRQ_HANDLED;
}

static bool uh_wait_back(struct uh_dev *uh, enum xenbus_state want)
{
	return wait_event_timeout(uh->wq, uh_back_state(uh) == want,
				  msecs_to_jiffies(UH_WAIT_MS));
}

static int uh_connect(struct uh_dev *uh)
{
	struct xenbus_device *xbdev = uh->xbdev;
	struct xenusb_urb_sring *us;
	struct xenusb_conn_sring *cs;
	unsigned int i;
	int err;

	xenbus_switch_state(xbdev, XenbusStateInitialising);
	if (!uh_wait_back(uh, XenbusStateInitWait)) {
		pr_warn("backend not in InitWait (state %d)\n", uh_back_state(uh));
		return -ETIMEDOUT;
	}
	err = xenbus_setup_ring(xbdev, GFP_KERNEL, (void **)&us, 1, &uh->urb_ref);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&uh->urb, us, XEN_PAGE_SIZE);
	err = xenbus_setup_ring(xbdev, GFP_KERNEL, (void **)&cs, 1, &uh->conn_ref);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&uh->conn, cs, XEN_PAGE_SIZE);
	/* Room for port events: the backend replays them once connected. */
	for (i = 0; i < XENUSB_CONN_RING_SIZE; i++)
		RING_GET_REQUEST(&uh->conn, i)->id = i;
	uh->conn.req_prod_pvt = XENUSB_CONN_RING_SIZE;
	RING_PUSH_REQUESTS(&uh->conn);
	err = xenbus_alloc_evtchn(xbdev, &uh->evtchn);
	if (err)
		return err;
	err = bind_evtchn_to_irqhandler(uh->evtchn, uh_interrupt, 0,
					"usbhostile", uh);
	if (err < 0) {
		xenbus_free_evtchn(xbdev, uh->evtchn);
		return err;
	}
	uh->irq = err;
	uh->data = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!uh->data)
		return -ENOMEM;
	err = gnttab_grant_foreign_access(xbdev->otherend_id,
					  xen_page_to_gfn(uh->data), 0);
	if (err < 0) {
		__free_page(uh->data);
		uh->data = NULL;
		return err;
	}
	uh->data_ref = err;
	if (xenbus_printf(XBT_NIL, xbdev->nodename, XENPV_USB_KEY_URB_RING_REF,
			  "%u", uh->urb_ref) ||
	    xenbus_printf(XBT_NIL, xbdev->nodename, XENPV_USB_KEY_CONN_RING_REF,
			  "%u", uh->conn_ref) ||
	    xenbus_printf(XBT_NIL, xbdev->nodename, XENPV_USB_KEY_EVTCHN,
			  "%u", uh->evtchn))
		return -EIO;
	xenbus_switch_state(xbdev, XenbusStateConnected);
	if (!uh_wait_back(uh, XenbusStateConnected)) {
		pr_warn("backend did not connect (state %d)\n", uh_back_state(uh));
		return -ETIMEDOUT;
	}
	return 0;
}

/* Close (the backend lets go of the rings first), then end every grant. */
static void uh_close(struct uh_dev *uh)
{
	struct xenbus_device *xbdev = uh->xbdev;

	xenbus_switch_state(xbdev, XenbusStateClosing);
	wait_event_timeout(uh->wq, uh_back_state(uh) >= XenbusStateClosing,
			   msecs_to_jiffies(UH_WAIT_MS));
	xenbus_switch_state(xbdev, XenbusStateClosed);
	if (!uh_wait_back(uh, XenbusStateClosed))
		pr_warn("backend not Closed after %u ms (state %d)\n",
			UH_WAIT_MS, uh_back_state(uh));
	if (uh->irq)
		unbind_from_irqhandler(uh->irq, uh);
	uh->irq = 0;
	/* The grant code frees them once the backend let go. */
	if (uh->data)
		gnttab_end_foreign_access(uh->data_ref, uh->data);
	uh->data = NULL;
	xenbus_teardown_ring((void **)&uh->urb.sring, 1, &uh->urb_ref);
	xenbus_teardown_ring((void **)&uh->conn.sring, 1, &uh->conn_ref);
}

/*
 * Has the backend reported a device on UH_PORT?  The toolstack may
 * attach it after we connected.  Consumes port events; does not sleep.
 */
static bool uh_port_up(struct uh_dev *uh)
{
	struct xenusb_conn_response rsp;

	while (RING_HAS_UNCONSUMED_RESPONSES(&uh->conn)) {
		virt_rmb();	/* the slots after rsp_prod */
		rsp = *RING_GET_RESPONSE(&uh->conn, uh->conn.rsp_cons);
		uh->conn.rsp_cons++;
		if (rsp.portnum == UH_PORT)
			uh->port_speed = rsp.speed;
	}
	return uh->port_speed != XENUSB_SPEED_NONE;
}

static void uh_work(struct work_struct *work)
{
	struct uh_dev *uh = container_of(work, struct uh_dev, work);
	int err;

	err = uh_connect(uh);
	if (!err && !wait_event_timeout(uh->wq, uh_port_up(uh),
					msecs_to_jiffies(3 * UH_WAIT_MS)))
		err = -ENODEV;
	if (err) {
		uh_judge("connect", false, "failed (%d)", err);
	} else {
		uh_harmless(uh);
		uh_good(uh);
		uh_fatal(uh);
	}
	uh_close(uh);
	pr_info("%d attacks, %d wrong\n", total, wrong);
	WRITE_ONCE(done, 1);
}

static void uh_backend_changed(struct xenbus_device *xbdev,
			       enum xenbus_state state)
{
	struct uh_dev *uh = dev_get_drvdata(&xbdev->dev);

	WRITE_ONCE(uh->back, state);
	wake_up(&uh->wq);
}

static int uh_probe(struct xenbus_device *xbdev,
		    const struct xenbus_device_id *id)
{
	struct uh_dev *uh;

	uh = kzalloc(sizeof(*uh), GFP_KERNEL);
	if (!uh)
		return -ENOMEM;
	uh->xbdev = xbdev;
	uh->id = UH_ID_BASE;
	uh->urb_ref = INVALID_GRANT_REF;
	uh->conn_ref = INVALID_GRANT_REF;
	init_waitqueue_head(&uh->wq);
	INIT_WORK(&uh->work, uh_work);
	uh->back = xenbus_read_driver_state(xbdev->otherend);
	dev_set_drvdata(&xbdev->dev, uh);
	schedule_work(&uh->work);
	return 0;
}

static void uh_remove(struct xenbus_device *xbdev)
{
	struct uh_dev *uh = dev_get_drvdata(&xbdev->dev);

	cancel_work_sync(&uh->work);
	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(uh);
}

static const struct xenbus_device_id uh_ids[] = {
	{ "vusb" },
	{ "" }
};

static struct xenbus_driver uh_driver = {
	.name = "xen-usbhostile",
	.ids = uh_ids,
	.probe = uh_probe,
	.remove = uh_remove,
	.otherend_changed = uh_backend_changed,
};

static int __init uh_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	return xenbus_register_frontend(&uh_driver);
}
module_init(uh_init);

static void __exit uh_exit(void)
{
	xenbus_unregister_driver(&uh_driver);
}
module_exit(uh_exit);

MODULE_DESCRIPTION("Test only: a hostile Xen PV USB frontend");
MODULE_LICENSE("GPL");
