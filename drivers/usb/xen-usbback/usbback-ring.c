// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV USB backend: the rings.
 *
 * One worker per controller, on the module's workqueue, does everything
 * that touches the rings: it answers the requests whose URBs ended, sends
 * the port events on the conn ring, and takes new requests off the URB
 * ring.  Each request is copied out of its slot once and checked by the
 * protocol core against the controller before anything is done with it;
 * data moves by grant copy between the frontend's segments and a buffer
 * of our own, so that no grant of the frontend stays mapped.  URB
 * completions only queue the request for the worker.
 */

#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/page.h>

#include "usbback.h"

static bool usbback_reset_on_address = true;
module_param_named(reset_on_address, usbback_reset_on_address, bool, 0644);
MODULE_PARM_DESC(reset_on_address,
		 "Reset a device when its frontend addresses it after a port reset (default: on)");

/* ---- Answers ----------------------------------------------------------------- */

static void usbback_stat(struct usbback_dev *dev, enum usbback_stat s, u64 n)
{
	xenpv_stat_add(&dev->stats[s], n);
}

/*
 * Write one response, an isochronous request's with its error count and
 * start frame; the caller pushes (usbback_push()).
 */
static void usbback_respond_iso(struct usbback_dev *dev, u16 id, s32 status,
				u32 actual_length, u32 error_count,
				u16 start_frame)
{
	struct xenusb_urb_back_ring *ring = &dev->urb_ring;

	usbback_put_rsp(RING_GET_RESPONSE(ring, ring->rsp_prod_pvt), id, status,
			actual_length, error_count, start_frame);
	ring->rsp_prod_pvt++;
}

static void usbback_respond(struct usbback_dev *dev, u16 id, s32 status,
			    u32 actual_length)
{
	usbback_respond_iso(dev, id, status, actual_length, 0, 0);
}

static void usbback_push(struct usbback_dev *dev)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&dev->urb_ring, notify);
	if (notify) {
		notify_remote_via_irq(dev->irq);
		usbback_stat(dev, USBBACK_STAT_NOTIFY, 1);
	}
}

/*
 * Copy between the request's segments and its buffer, or (@descs) an
 * isochronous request's descriptor segments and its descriptor copy: the
 * first @limit bytes, to the frontend (@to_front) or from it.  A grant
 * the frontend made unusable fails the copy.
 */
static int usbback_copy(struct usbback_dev *dev, struct usbback_pend *p,
			bool to_front, bool descs, u32 limit)
{
	const struct xenusb_request_segment *segs = p->req.raw.seg;
	domid_t domid = dev->xbdev->otherend_id;
	void *buf = descs ? (void *)p->descs : p->buf;
	struct gnttab_copy *op;
	unsigned int i, n;
	void *va;

	n = usbback_plan_copy(segs, descs ? p->req.nr_segs : 0,
			      descs ? p->req.nr_desc_segs : p->req.nr_segs,
			      limit, dev->plan);
	for (i = 0; i < n; i++) {
		op = &dev->ops[i];
		va = buf + dev->plan[i].buf_off;
		memset(op, 0, sizeof(*op));
		op->len = dev->plan[i].len;
		if (to_front) {
			op->source.u.gmfn = virt_to_gfn(va);
			op->source.offset = xen_offset_in_page(va);
			op->source.domid = DOMID_SELF;
			op->dest.u.ref = segs[dev->plan[i].seg].gref;
			op->dest.offset = dev->plan[i].seg_off;
			op->dest.domid = domid;
			op->flags = GNTCOPY_dest_gref;
		} else {
			op->source.u.ref = segs[dev->plan[i].seg].gref;
			op->source.offset = dev->plan[i].seg_off;
			op->source.domid = domid;
			op->dest.u.gmfn = virt_to_gfn(va);
			op->dest.offset = xen_offset_in_page(va);
			op->dest.domid = DOMID_SELF;
			op->flags = GNTCOPY_source_gref;
		}
	}
	if (n)
		gnttab_batch_copy(dev->ops, n);
	for (i = 0; i < n; i++) {
		if (dev->ops[i].status == GNTST_okay)
			continue;
		usbback_stat(dev, USBBACK_STAT_GRANT_ERR, 1);
		dev_warn_ratelimited(&dev->xbdev->dev,
				     "request %u: grant copy of segment %u (ref %u) failed (%d)\n",
				     p->req.id, dev->plan[i].seg,
				     segs[dev->plan[i].seg].gref,
				     dev->ops[i].status);
		return -EFAULT;
	}
	return 0;
}

static void usbback_free_pend(struct usbback_pend *p)
{
	usb_free_urb(p->urb);
	if (p->buf) {
		free_pages((unsigned long)p->buf, p->order);
		atomic_long_sub(1 << p->order,
				&usbback_census[USBBACK_CENSUS_BUF_PAGES]);
	}
	if (p->descs) {
		free_pages((unsigned long)p->descs, p->desc_order);
		atomic_long_sub(1 << p->desc_order,
				&usbback_census[USBBACK_CENSUS_BUF_PAGES]);
	}
	kfree(p->setup);
	kfree(p);
	atomic_long_dec(&usbback_census[USBBACK_CENSUS_URBS]);
}

/* Forget a request in flight: its id may come back once answered. */
static void usbback_forget(struct usbback_dev *dev, unsigned int slot)
{
	spin_lock_irq(&dev->lock);
	usbback_inflight_del(&dev->inflight, slot);
	dev->pend[slot] = NULL;
	spin_unlock_irq(&dev->lock);
}

/* An isochronous request's packets' results, into its descriptor copy. */
static void usbback_iso_results(struct usbback_pend *p)
{
	const struct usb_iso_packet_descriptor *d = p->urb->iso_frame_desc;
	unsigned int i;

	for (i = 0; i < p->urb->number_of_packets; i++) {
		p->descs[i].actual_length = d[i].actual_length;
		p->descs[i].status = d[i].status;
	}
}

/*
 * Answer one request whose URB ended: data (and an isochronous request's
 * packet results) back first, then the response.  An isochronous IN
 * request's data lies at each packet's offset: the whole buffer goes back.
 */
static void usbback_answer(struct usbback_dev *dev, struct usbback_pend *p)
{
	struct urb *urb = p->urb;
	u32 len = urb->actual_length, back = len;
	s32 status = usbback_urb_status(urb->status);
	bool iso = p->req.type == XENUSB_PIPE_TYPE_ISOC;

	if (urb->status)
		usbback_stat(dev, USBBACK_STAT_URB_ERR, 1);
	if (iso) {
		usbback_iso_results(p);
		back = p->req.length;
	}
	if ((p->req.in && back && usbback_copy(dev, p, true, false, back)) ||
	    (iso && usbback_copy(dev, p, true, true,
				 urb->number_of_packets * XENPV_USB_ISO_DESC_SIZE))) {
		status = XENUSB_STATUS_INVAL;
		len = 0;
	}
	usbback_stat(dev, p->req.in ? USBBACK_STAT_BYTES_IN :
				      USBBACK_STAT_BYTES_OUT, len);
	usbback_forget(dev, p->slot);
	usbback_respond_iso(dev, p->req.id, status, len,
			    iso ? urb->error_count : 0, iso ? urb->start_frame : 0);
	usbback_free_pend(p);
}

static bool usbback_answer_done(struct usbback_dev *dev)
{
	struct usbback_pend *p, *next;
	LIST_HEAD(done);

	spin_lock_irq(&dev->lock);
	list_splice_init(&dev->done, &done);
	spin_unlock_irq(&dev->lock);
	if (list_empty(&done))
		return false;
	list_for_each_entry_safe(p, next, &done, node)
		usbback_answer(dev, p);
	usbback_push(dev);
	return true;
}

static void usbback_urb_done(struct urb *urb)
{
	struct usbback_pend *p = urb->context;
	struct usbback_dev *dev = p->dev;
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	list_add_tail(&p->node, &dev->done);
	spin_unlock_irqrestore(&dev->lock, flags);
	queue_work(usbback_wq, &dev->work);
}

/* ---- Port events ------------------------------------------------------------- */

/* Send what the frontend has not been told, while it left us requests. */
static bool usbback_send_conn(struct usbback_dev *dev)
{
	struct xenusb_conn_back_ring *ring = &dev->conn_ring;
	struct usbback_conn_event ev;
	struct xenusb_conn_request creq;
	struct xenusb_conn_response rsp;
	enum xenpv_prod_verdict v;
	unsigned int avail;
	bool sent = false, more;
	int notify;

	do {
		v = usbback_check_conn_prod(xenpv_read_idx(&ring->sring->req_prod),
					    ring->req_cons, ring->rsp_prod_pvt,
					    &avail);
		if (v != XENPV_PROD_OK) {
			xenpv_fail(&dev->fail, "conn ring: bad request producer");
			return sent;
		}
		virt_rmb();	/* the slots after the index */
		for (more = true; avail && more; avail--) {
			spin_lock_irq(&dev->lock);
			more = usbback_conn_next(&dev->ctrl, &ev);
			spin_unlock_irq(&dev->lock);
			if (!more)
				break;
			xenpv_copy_shared(&creq, RING_GET_REQUEST(ring, ring->req_cons),
					  sizeof(creq));
			ring->req_cons++;
			rsp = (struct xenusb_conn_response){
				.id = creq.id, .portnum = ev.port, .speed = ev.speed,
			};
			xenpv_write_shared(RING_GET_RESPONSE(ring, ring->rsp_prod_pvt),
					   &rsp, sizeof(rsp));
			ring->rsp_prod_pvt++;
			usbback_stat(dev, USBBACK_STAT_CONN_EVENTS, 1);
			sent = true;
		}
		spin_lock_irq(&dev->lock);
		more = usbback_conn_pending(&dev->ctrl);
		spin_unlock_irq(&dev->lock);
		/* Out of requests with events left: wait for the next one. */
		if (more)
			RING_FINAL_CHECK_FOR_REQUESTS(ring, more);
	} while (more);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(ring, notify);
	if (notify)
		notify_remote_via_irq(dev->irq);
	return sent;
}

/* ---- Requests ---------------------------------------------------------------- */

static u8 usbback_ep_type(const struct usb_host_endpoint *ep)
{
	if (!ep)
		return USBBACK_EP_NONE;
	switch (usb_endpoint_type(&ep->desc)) {
	case USB_ENDPOINT_XFER_ISOC:
		return XENUSB_PIPE_TYPE_ISOC;
	case USB_ENDPOINT_XFER_INT:
		return XENUSB_PIPE_TYPE_INT;
	case USB_ENDPOINT_XFER_BULK:
		return XENUSB_PIPE_TYPE_BULK;
	default:
		return XENUSB_PIPE_TYPE_CTRL;
	}
}

/* The endpoints the USB core has for @udev now. */
static void usbback_fill_eps(struct usb_device *udev, struct usbback_eps *eps)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		eps->type[0][i] = usbback_ep_type(READ_ONCE(udev->ep_out[i]));
		eps->type[1][i] = usbback_ep_type(READ_ONCE(udev->ep_in[i]));
	}
	eps->config = udev->actconfig ?
		      udev->actconfig->desc.bConfigurationValue : 0;
}

static void usbback_count(struct usbback_dev *dev, const struct usbback_req *req)
{
	static const u8 stat[] = {
		[XENUSB_PIPE_TYPE_ISOC] = USBBACK_STAT_ISO,
		[XENUSB_PIPE_TYPE_INT] = USBBACK_STAT_INT,
		[XENUSB_PIPE_TYPE_CTRL] = USBBACK_STAT_CTRL,
		[XENUSB_PIPE_TYPE_BULK] = USBBACK_STAT_BULK,
	};

	usbback_stat(dev, req->unlink ? USBBACK_STAT_UNLINK : stat[req->type & 3], 1);
}

/*
 * Check @req under the lock: the verdict, with the port's device (*@udev)
 * and, for an unlink, the URB to unlink (*@urb, a reference taken), or
 * for the others the slot it takes in flight (*@slot).
 */
static enum usbback_verdict usbback_check(struct usbback_dev *dev,
					  struct usbback_req *req,
					  struct usbback_bad *bad,
					  struct usb_device **udev,
					  struct urb **urb, int *slot)
{
	struct usbback_eps eps;
	enum usbback_verdict v;
	int target;

	*udev = NULL;
	*urb = NULL;
	spin_lock_irq(&dev->lock);
	if (req->port >= 1 && req->port <= dev->ctrl.nr_ports)
		*udev = dev->udev[req->port];
	if (*udev)
		usbback_fill_eps(*udev, &eps);
	v = usbback_check_req(&dev->ctrl, *udev ? &eps : NULL, req, bad);
	if (!v && usbback_inflight_find(&dev->inflight, req->id) >= 0)
		v = USBBACK_REQ_DUP_ID;
	if (!v && req->unlink) {
		target = usbback_inflight_find(&dev->inflight,
					       req->raw.u.unlink.unlink_id);
		if (target < 0)
			v = USBBACK_REQ_UNLINK_UNKNOWN;
		else if (dev->pend[target])
			*urb = usb_get_urb(dev->pend[target]->urb);
	} else if (!v) {
		*slot = usbback_inflight_add(&dev->inflight, req->id);
		if (*slot < 0)
			v = USBBACK_REQ_INTERNAL;
	}
	if (!v && req->action == USBBACK_ACT_SET_ADDRESS &&
	    usbback_set_address(&dev->ctrl, req->port, req->setup.value))
		v = USBBACK_REQ_BAD_NEW_ADDR;	/* checked: cannot happen */
	bad->verdict = v;
	spin_unlock_irq(&dev->lock);
	return v;
}

static unsigned int usbback_pipe(struct usb_device *udev,
				 const struct usbback_req *req)
{
	unsigned int ep = req->ep;

	switch (req->type) {
	case XENUSB_PIPE_TYPE_CTRL:
		return req->in ? usb_rcvctrlpipe(udev, ep) :
				 usb_sndctrlpipe(udev, ep);
	case XENUSB_PIPE_TYPE_INT:
		return req->in ? usb_rcvintpipe(udev, ep) :
				 usb_sndintpipe(udev, ep);
	case XENUSB_PIPE_TYPE_ISOC:
		return req->in ? usb_rcvisocpipe(udev, ep) :
				 usb_sndisocpipe(udev, ep);
	default:
		return req->in ? usb_rcvbulkpipe(udev, ep) :
				 usb_sndbulkpipe(udev, ep);
	}
}

static void usbback_refuse(struct usbback_dev *dev, struct usbback_req *req,
			   struct usbback_bad *bad)
{
	char why[sizeof(dev->fail.why)];

	usbback_stat(dev, USBBACK_STAT_BAD_REQ, 1);
	usbback_respond(dev, req->id, usbback_verdict_status(bad->verdict), 0);
	usbback_bad_str(req, bad, why, sizeof(why));
	if (usbback_verdict_fatal(bad->verdict))
		xenpv_fail(&dev->fail, why);
	else
		dev_info_ratelimited(&dev->xbdev->dev, "refused: %s\n", why);
}

/*
 * An isochronous request's descriptors, copied in and checked, and its
 * URB's packets: one pass, so that the URB is built from the checked copy
 * only.  Its start frame is the host controller's to pick (URB_ISO_ASAP):
 * the frontend's frame numbers are its own virtual controller's.
 */
static int usbback_prepare_iso(struct usbback_dev *dev, struct usbback_pend *p,
			       struct usbback_bad *bad)
{
	unsigned int i, n = p->req.raw.u.isoc.number_of_packets;
	u32 size = n * XENPV_USB_ISO_DESC_SIZE;
	struct urb *urb = p->urb;

	p->desc_order = get_order(size);
	p->descs = (void *)__get_free_pages(GFP_KERNEL, p->desc_order);
	if (!p->descs)
		return -ENOMEM;
	atomic_long_add(1 << p->desc_order,
			&usbback_census[USBBACK_CENSUS_BUF_PAGES]);
	if (usbback_copy(dev, p, false, true, size))
		return -EFAULT;
	if (usbback_check_iso(&p->req, p->descs, bad))
		return -EPROTO;
	urb->number_of_packets = n;
	urb->interval = p->req.raw.u.isoc.interval;
	urb->transfer_flags |= URB_ISO_ASAP;
	for (i = 0; i < n; i++) {
		urb->iso_frame_desc[i].offset = p->descs[i].offset;
		urb->iso_frame_desc[i].length = p->descs[i].length;
	}
	return 0;
}

/*
 * Build the URB of a checked request; its data copied in for OUT.  An
 * isochronous IN buffer starts zeroed: all of it goes back to the
 * frontend, the gaps between the packets' data too.
 */
static int usbback_prepare(struct usbback_dev *dev, struct usbback_pend *p,
			   struct usb_device *udev, struct usbback_bad *bad)
{
	const struct usbback_req *req = &p->req;
	bool iso = req->type == XENUSB_PIPE_TYPE_ISOC;
	u32 len = req->length;
	struct urb *urb;

	if (len) {
		p->order = get_order(len);
		p->buf = (void *)__get_free_pages(GFP_KERNEL |
						  (iso && req->in ? __GFP_ZERO : 0),
						  p->order);
		if (!p->buf)
			return -ENOMEM;
		atomic_long_add(1 << p->order,
				&usbback_census[USBBACK_CENSUS_BUF_PAGES]);
		if (!req->in && usbback_copy(dev, p, false, false, len))
			return -EFAULT;
	}
	urb = usb_alloc_urb(iso ? req->raw.u.isoc.number_of_packets : 0,
			    GFP_KERNEL);
	if (!urb)
		return -ENOMEM;
	p->urb = urb;
	if (req->type == XENUSB_PIPE_TYPE_CTRL) {
		p->setup = kmemdup(req->raw.u.ctrl, sizeof(*p->setup), GFP_KERNEL);
		if (!p->setup)
			return -ENOMEM;
		urb->setup_packet = (unsigned char *)p->setup;
	}
	urb->dev = udev;
	urb->pipe = usbback_pipe(udev, req);
	urb->transfer_buffer = p->buf;
	urb->transfer_buffer_length = len;
	if (req->short_not_ok)
		urb->transfer_flags |= URB_SHORT_NOT_OK;
	if (req->type == XENUSB_PIPE_TYPE_INT)
		urb->interval = req->raw.u.intr.interval;
	urb->complete = usbback_urb_done;
	urb->context = p;
	return iso ? usbback_prepare_iso(dev, p, bad) : 0;
}

/*
 * Hand a checked data request to the device; answered when it ends.  An
 * isochronous request whose packets lie outside its buffer is refused
 * like any other bad request.
 */
static void usbback_submit(struct usbback_dev *dev, struct usbback_req *req,
			   struct usb_device *udev, unsigned int slot)
{
	struct usbback_bad bad = {};
	struct usbback_pend *p;
	int err = -ENOMEM;

	p = XENPV_ALLOC(kzalloc(sizeof(*p), GFP_KERNEL));
	if (p) {
		atomic_long_inc(&usbback_census[USBBACK_CENSUS_URBS]);
		p->dev = dev;
		p->req = *req;
		p->slot = slot;
		p->port = req->port;
		err = usbback_prepare(dev, p, udev, &bad);
	}
	if (!err) {
		spin_lock_irq(&dev->lock);
		dev->pend[slot] = p;
		spin_unlock_irq(&dev->lock);
		err = usb_submit_urb(p->urb, GFP_KERNEL);
		if (!err)
			return;
	}
	usbback_forget(dev, slot);
	if (bad.verdict)
		usbback_refuse(dev, req, &bad);
	else
		usbback_respond(dev, req->id, err == -EFAULT ? XENUSB_STATUS_INVAL :
					       usbback_urb_status(err), 0);
	if (p)
		usbback_free_pend(p);
}

/* ---- Killing URBs -------------------------------------------------------------- */

/* Kill the URBs in flight of @port (0: every port), waiting for each. */
static void usbback_kill(struct usbback_dev *dev, unsigned int port)
{
	struct urb *urbs[USBBACK_URB_RING_SIZE];
	unsigned int i, n = 0;

	spin_lock_irq(&dev->lock);
	for (i = 0; i < USBBACK_URB_RING_SIZE; i++)
		if (dev->pend[i] && (!port || dev->pend[i]->port == port))
			urbs[n++] = usb_get_urb(dev->pend[i]->urb);
	spin_unlock_irq(&dev->lock);
	for (i = 0; i < n; i++) {
		usb_kill_urb(urbs[i]);
		usb_put_urb(urbs[i]);
	}
}

/**
 * usbback_kill_port() - end every URB sent to a port's device
 * @dev: the controller
 * @port: the port, whose device is leaving
 *
 * They are answered by the worker (status "shutdown").
 *
 * Context: process; &struct usbback_dev.io_mutex held, so that no new one
 * is submitted meanwhile.
 */
void usbback_kill_port(struct usbback_dev *dev, unsigned int port)
{
	lockdep_assert_held(&dev->io_mutex);
	usbback_kill(dev, port);
	usbback_kick(dev);
}

/* ---- Requests the backend carries out -------------------------------------- */

/*
 * The frontend addresses its port's device after a reset of its virtual
 * port, so the device itself is reset too, as a port reset does on real
 * hardware.  Whatever the last user left half done (a bulk-only transport
 * in the middle of a command when xl destroy killed its URBs, say) is
 * gone, and a guest's error recovery, which resets the port, reaches the
 * device.  The USB core gives it back its address and configuration.
 */
static int usbback_reset_dev(struct usbback_dev *dev, unsigned int port,
			     struct usb_device *udev)
{
	int err;

	lockdep_assert_held(&dev->io_mutex);
	if (!READ_ONCE(usbback_reset_on_address))
		return 0;
	usbback_kill(dev, port);
	err = usb_lock_device_for_reset(udev, NULL);
	if (err)
		return err;
	err = usb_reset_device(udev);
	usb_unlock_device(udev);
	usbback_stat(dev, USBBACK_STAT_DEV_RESET, 1);
	if (err)
		dev_info_ratelimited(&dev->xbdev->dev, "port %u: reset of %s failed: %d\n",
				     port, dev_name(&udev->dev), err);
	return err;
}

/* SET_INTERFACE and CLEAR_FEATURE(HALT), through the USB core. */
static int usbback_core_request(struct usb_device *udev,
				const struct usbback_req *req)
{
	unsigned int ep = req->setup.index & USB_ENDPOINT_NUMBER_MASK;

	if (req->action == USBBACK_ACT_SET_INTERFACE)
		return usb_set_interface(udev, req->setup.index, req->setup.value);
	if (req->setup.index & USB_DIR_IN)
		return usb_clear_halt(udev, usb_rcvbulkpipe(udev, ep));
	return usb_clear_halt(udev, usb_sndbulkpipe(udev, ep));
}

/* Carry out one request taken off the ring. */
static void usbback_handle(struct usbback_dev *dev, struct usbback_req *req)
{
	struct usb_device *udev;
	struct usbback_bad bad;
	struct urb *urb;
	int slot = -1, err;

	mutex_lock(&dev->io_mutex);
	usbback_count(dev, req);
	if (usbback_check(dev, req, &bad, &udev, &urb, &slot)) {
		usbback_refuse(dev, req, &bad);
		goto out;
	}
	switch (req->action) {
	case USBBACK_ACT_UNLINK:
		if (urb) {
			usb_unlink_urb(urb);
			usb_put_urb(urb);
		}
		usbback_respond(dev, req->id, XENUSB_STATUS_OK, 0);
		goto out;
	case USBBACK_ACT_SUBMIT:
		usbback_submit(dev, req, udev, slot);
		goto out;
	case USBBACK_ACT_SET_INTERFACE:
	case USBBACK_ACT_CLEAR_HALT:
		err = usbback_core_request(udev, req);
		break;
	case USBBACK_ACT_SET_ADDRESS:
		err = usbback_reset_dev(dev, req->port, udev);
		break;
	default:	/* SET_CONFIGURATION: answered here */
		usbback_stat(dev, USBBACK_STAT_LOCAL, 1);
		err = 0;
		break;
	}
	usbback_forget(dev, slot);
	usbback_respond(dev, req->id, err == -EIO ? XENUSB_STATUS_IOERROR :
				      usbback_urb_status(err), 0);
out:
	mutex_unlock(&dev->io_mutex);
}

static bool usbback_take_requests(struct usbback_dev *dev)
{
	struct xenusb_urb_back_ring *ring = &dev->urb_ring;
	enum xenpv_prod_verdict v;
	struct usbback_req req;
	unsigned int avail;
	bool did = false;
	int more;

	do {
		v = usbback_check_req_prod(xenpv_read_idx(&ring->sring->req_prod),
					   ring->req_cons, ring->rsp_prod_pvt,
					   &avail);
		if (v != XENPV_PROD_OK) {
			xenpv_fail(&dev->fail, v == XENPV_PROD_UNASKED ?
				   "URB ring: more requests than free slots" :
				   "URB ring: bad request producer");
			return did;
		}
		virt_rmb();	/* the slots after the index */
		for (; avail && !xenpv_failed(&dev->fail); avail--) {
			usbback_get_req(&req, RING_GET_REQUEST(ring, ring->req_cons));
			ring->req_cons++;
			usbback_handle(dev, &req);
			did = true;
		}
		usbback_push(dev);
		if (xenpv_failed(&dev->fail))
			return did;
		RING_FINAL_CHECK_FOR_REQUESTS(ring, more);
	} while (more);
	return did;
}

/**
 * usbback_work_fn() - the controller's worker
 * @work: &struct usbback_dev.work
 *
 * Answers the requests whose URBs ended, sends port events, takes new
 * requests; then ends the event channel's interrupt (late EOI).
 */
void usbback_work_fn(struct work_struct *work)
{
	struct usbback_dev *dev = container_of(work, struct usbback_dev, work);
	bool did;

	if (!READ_ONCE(dev->running))
		return;
	did = usbback_answer_done(dev);
	if (!xenpv_failed(&dev->fail)) {
		did |= usbback_send_conn(dev);
		did |= usbback_take_requests(dev);
	}
	if (test_and_clear_bit(0, &dev->eoi)) {
		usbback_stat(dev, USBBACK_STAT_IRQS, 1);
		xenpv_irq_eoi(dev->irq, did);
	}
}

static irqreturn_t usbback_interrupt(int irq, void *data)
{
	struct usbback_dev *dev = data;

	set_bit(0, &dev->eoi);
	queue_work(usbback_wq, &dev->work);
	return IRQ_HANDLED;
}

/**
 * usbback_kick() - have the worker look at the rings and the ports
 * @dev: the controller
 */
void usbback_kick(struct usbback_dev *dev)
{
	if (READ_ONCE(dev->running))
		queue_work(usbback_wq, &dev->work);
}

/* ---- Connecting ------------------------------------------------------------------ */

/**
 * usbback_ring_connect() - map the frontend's rings and start the worker
 * @dev: the controller
 * @urb_ref: the grant of the URB ring
 * @conn_ref: the grant of the conn ring
 * @evtchn: the frontend's event channel
 *
 * Every attached device is reported to the new frontend.
 *
 * Context: &struct usbback_dev.mutex held.
 * Return: 0 or a negative errno (nothing left mapped).
 */
int usbback_ring_connect(struct usbback_dev *dev, grant_ref_t urb_ref,
			 grant_ref_t conn_ref, evtchn_port_t evtchn)
{
	struct xenusb_urb_sring *urb_sring;
	struct xenusb_conn_sring *conn_sring;
	void *va;
	int err;

	lockdep_assert_held(&dev->mutex);
	err = xenpv_map_ring(dev->xbdev, &urb_ref, 1, &va);
	if (err)
		return err;
	urb_sring = va;
	err = xenpv_map_ring(dev->xbdev, &conn_ref, 1, &va);
	if (err)
		goto out_urb;
	conn_sring = va;
	BACK_RING_INIT(&dev->urb_ring, urb_sring, XEN_PAGE_SIZE);
	BACK_RING_INIT(&dev->conn_ring, conn_sring, XEN_PAGE_SIZE);
	err = xenpv_evtchn_bind(dev->xbdev, &evtchn, XENPV_EVTCHN_PEERS,
				usbback_interrupt, "usbback", dev);
	if (err < 0)
		goto out_conn;
	dev->irq = err;
	atomic_long_inc(&usbback_census[USBBACK_CENSUS_RINGS]);
	spin_lock_irq(&dev->lock);
	memset(&dev->inflight, 0, sizeof(dev->inflight));
	usbback_conn_replay(&dev->ctrl);
	spin_unlock_irq(&dev->lock);
	WRITE_ONCE(dev->running, true);
	usbback_kick(dev);
	return 0;

out_conn:
	xenbus_unmap_ring_vfree(dev->xbdev, conn_sring);
out_urb:
	xenbus_unmap_ring_vfree(dev->xbdev, urb_sring);
	dev->urb_ring.sring = NULL;
	dev->conn_ring.sring = NULL;
	return err;
}

/**
 * usbback_ring_disconnect() - stop the worker, end every URB, unmap
 * @dev: the controller
 *
 * Each request in flight is answered before the rings go.
 *
 * Context: &struct usbback_dev.mutex held.
 */
void usbback_ring_disconnect(struct usbback_dev *dev)
{
	lockdep_assert_held(&dev->mutex);
	if (!dev->urb_ring.sring)
		return;
	WRITE_ONCE(dev->running, false);
	cancel_work_sync(&dev->work);
	mutex_lock(&dev->io_mutex);
	usbback_kill(dev, 0);
	mutex_unlock(&dev->io_mutex);
	/* Completions queued the worker again; it returns at once. */
	cancel_work_sync(&dev->work);
	usbback_answer_done(dev);
	WARN_ON_ONCE(usbback_inflight_count(&dev->inflight));
	unbind_from_irqhandler(dev->irq, dev);
	dev->irq = 0;
	clear_bit(0, &dev->eoi);
	xenbus_unmap_ring_vfree(dev->xbdev, dev->urb_ring.sring);
	xenbus_unmap_ring_vfree(dev->xbdev, dev->conn_ring.sring);
	dev->urb_ring.sring = NULL;
	dev->conn_ring.sring = NULL;
	atomic_long_dec(&usbback_census[USBBACK_CENSUS_RINGS]);
}
