// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV USB frontend: a virtual host controller whose URBs go to the
 * backend on the usbif URB ring, and whose root hub's ports follow the
 * backend's port events on the conn ring.
 *
 * Everything the backend writes is checked by the protocol core
 * (xenhcd-proto.c) before it is used: producer indexes, response ids,
 * lengths, statuses, ports and speeds.  A backend that breaks the
 * protocol fails the controller with one log line: its URBs end with
 * -ESHUTDOWN, the guest's other devices go on.
 *
 * Locking: &struct xenhcd.lock (interrupts off) protects the rings, the
 * ids, the waiting lists and the root hub; &struct xenhcd.mutex the
 * xenbus side.  URBs are given back with the lock dropped, as their
 * completions may submit again.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/usb.h>
#include <linux/usb/hcd.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <compat/compat.h>
#include <xenpv/xenbus.h>

#include "xenhcd-proto.h"

/**
 * struct xenhcd_urbp - our part of an URB
 * @urb: the URB
 * @node: on &struct xenhcd.waiting until sent, then on a list of URBs to
 *	give back
 * @unode: on &struct xenhcd.unlinks while its unlink waits for an id
 * @id: its ring id while on the ring, -1 before
 * @status: what to give it back with
 * @unlink_queued: an unlink was asked for (queued or sent)
 * @nr_grefs: grants of its buffer, then of its packet descriptors
 * @grefs: the grants
 * @descs: an isochronous URB's packet descriptors (whole pages: the
 *	backend writes the results there), NULL for the others
 * @desc_order: their page order
 */
struct xenhcd_urbp {
	struct urb *urb;
	struct list_head node;
	struct list_head unode;
	int id;
	int status;
	bool unlink_queued;
	unsigned int nr_grefs;
	grant_ref_t grefs[XENPV_USB_MAX_SEGS];
	struct xenpv_usb_iso_desc *descs;
	unsigned int desc_order;
};

/**
 * struct xenhcd - one virtual host controller (the hcd's private part)
 * @xbdev: its xenbus device
 * @lock: the rings, ids, lists and root hub (see the top of the file)
 * @mutex: the xenbus side
 * @state: enum xenhcd_state, changed under @mutex
 * @backend_state: the backend's last xenbus state
 * @rh: the virtual root hub
 * @ids: the URB ring's ids
 * @sent: what each id's request asked for
 * @waiting: URBs waiting for a free id
 * @unlinks: URBs whose unlink waits for a free id
 * @urb_ring: the URB ring
 * @conn_ring: the conn ring
 * @urb_ref: the URB ring's grant
 * @conn_ref: the conn ring's grant
 * @evtchn: our event channel
 * @irq: its interrupt, 0 while unbound
 * @fail: the backend broke the protocol
 * @stats: counters (enum xenhcd_stat), under @lock
 */
struct xenhcd {
	struct xenbus_device *xbdev;
	spinlock_t lock;		/* see the top of the file */
	struct mutex mutex;		/* the xenbus side */
	enum xenhcd_state state;
	enum xenbus_state backend_state;
	struct xenhcd_rh rh;
	struct xenpv_ids ids;
	struct xenhcd_sent sent[XENHCD_URB_RING_SIZE];
	struct list_head waiting;
	struct list_head unlinks;
	struct xenusb_urb_front_ring urb_ring;
	struct xenusb_conn_front_ring conn_ring;
	grant_ref_t urb_ref;
	grant_ref_t conn_ref;
	evtchn_port_t evtchn;
	int irq;
	struct xenpv_fail fail;
	u64 stats[XENHCD_NR_STATS];
};

static struct xenhcd *hcd_to_xenhcd(struct usb_hcd *hcd)
{
	return (struct xenhcd *)hcd->hcd_priv;
}

static struct usb_hcd *xenhcd_to_hcd(struct xenhcd *h)
{
	return container_of((void *)h, struct usb_hcd, hcd_priv);
}

static void xenhcd_stat(struct xenhcd *h, enum xenhcd_stat s, u64 n)
{
	xenpv_stat_add(&h->stats[s], n);
}

/* ---- Sending ------------------------------------------------------------------ */

static void xenhcd_end_grants(struct xenhcd_urbp *up)
{
	unsigned int i;

	for (i = 0; i < up->nr_grefs; i++)
		gnttab_end_foreign_access(up->grefs[i], NULL);
	up->nr_grefs = 0;
}

/* Grant the @n frames of @base that @c names, after @up's grants so far. */
static int xenhcd_grant_buffer(struct xenhcd *h, struct xenhcd_urbp *up,
			       const void *base, const struct xenhcd_chunk *c,
			       unsigned int n, bool readonly)
{
	unsigned int i;
	int ref;

	for (i = 0; i < n; i++) {
		ref = gnttab_grant_foreign_access(h->xbdev->otherend_id,
						  virt_to_gfn(base + c[i].pos),
						  readonly);
		if (ref < 0) {
			xenhcd_end_grants(up);
			return ref;
		}
		up->grefs[up->nr_grefs++] = ref;
	}
	return 0;
}

static void xenhcd_free_urbp(struct xenhcd_urbp *up)
{
	if (up->descs)
		free_pages((unsigned long)up->descs, up->desc_order);
	kfree(up);
}

/*
 * An isochronous URB's packet descriptors, in pages of their own: the
 * backend writes each packet's result into them.
 */
static int xenhcd_alloc_descs(struct xenhcd_urbp *up, gfp_t mem_flags)
{
	struct urb *urb = up->urb;
	int i, n = urb->number_of_packets;

	if (n <= 0 || n > XENPV_USB_MAX_ISO_PACKETS)
		return -EINVAL;
	up->desc_order = get_order(n * XENPV_USB_ISO_DESC_SIZE);
	up->descs = (void *)__get_free_pages(mem_flags | __GFP_ZERO,
					     up->desc_order);
	if (!up->descs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		up->descs[i].offset = urb->iso_frame_desc[i].offset;
		up->descs[i].length = urb->iso_frame_desc[i].length;
	}
	return 0;
}

/*
 * The buffer's frames, and an isochronous URB's descriptor frames after
 * them, planned and granted: the number of each in @u.
 */
static int xenhcd_grant_urb(struct xenhcd *h, struct xenhcd_urbp *up,
			    struct xenhcd_chunk *chunks, struct xenhcd_urb *u)
{
	struct urb *urb = up->urb;
	u32 len = urb->transfer_buffer_length;
	int n, m = 0, err;

	n = xenhcd_plan_buffer((unsigned long)urb->transfer_buffer, len, chunks,
			       XENPV_USB_MAX_SEGS);
	if (n < 0)
		return n;
	if (n && !urb->transfer_buffer)
		return -EINVAL;
	if (up->descs) {
		m = xenhcd_plan_buffer((unsigned long)up->descs,
				       urb->number_of_packets * XENPV_USB_ISO_DESC_SIZE,
				       chunks + n, XENPV_USB_MAX_SEGS - n);
		if (m < 0)
			return m;
	}
	err = xenhcd_grant_buffer(h, up, urb->transfer_buffer, chunks, n,
				  !usb_pipein(urb->pipe));
	if (!err)
		err = xenhcd_grant_buffer(h, up, up->descs, chunks + n, m, false);
	u->nr_segs = n;
	u->nr_desc_segs = m;
	return err;
}

/*
 * @up's URB ends with @status: to @done, given back once the lock is
 * dropped; a dequeue meanwhile finds no hcpriv and leaves it alone.
 */
static void xenhcd_done(struct xenhcd_urbp *up, int status,
			struct list_head *done)
{
	up->status = status;
	up->urb->hcpriv = NULL;
	list_add_tail(&up->node, done);
}

/* Put an URB on the ring: -ENOSPC if no id is free, else 0 or an error. */
static int xenhcd_send(struct xenhcd *h, struct xenhcd_urbp *up)
{
	struct xenhcd_chunk chunks[XENPV_USB_MAX_SEGS];
	struct urb *urb = up->urb;
	u32 len = urb->transfer_buffer_length;
	struct xenhcd_urb u = { };
	int id, err;

	lockdep_assert_held(&h->lock);
	id = xenpv_id_get(&h->ids, XENHCD_OP_SUBMIT, 0, up);
	if (id < 0)
		return id;
	err = xenhcd_grant_urb(h, up, chunks, &u);
	if (err) {
		xenpv_id_put(&h->ids, id);
		return err;
	}
	u.id = id;
	u.pipe = xenhcd_pipe(urb->pipe, urb->dev->portnum);
	u.short_not_ok = urb->transfer_flags & URB_SHORT_NOT_OK;
	u.length = len;
	if (usb_pipecontrol(urb->pipe))
		memcpy(u.setup, urb->setup_packet, sizeof(u.setup));
	if (usb_pipeint(urb->pipe) || usb_pipeisoc(urb->pipe))
		u.interval = urb->interval;
	if (up->descs) {
		u.start_frame = urb->start_frame;
		u.nr_packets = urb->number_of_packets;
	}
	u.chunks = chunks;
	u.grefs = up->grefs;
	xenhcd_encode(RING_GET_REQUEST(&h->urb_ring, h->urb_ring.req_prod_pvt), &u);
	h->urb_ring.req_prod_pvt++;
	h->sent[id] = (struct xenhcd_sent){ .length = len, .nr_packets = u.nr_packets };
	up->id = id;
	xenhcd_stat(h, XENHCD_STAT_URBS, 1);
	return 0;
}

/* Put an URB's unlink on the ring: false if no id is free. */
static bool xenhcd_send_unlink(struct xenhcd *h, struct xenhcd_urbp *up)
{
	int id = xenpv_id_get(&h->ids, XENHCD_OP_UNLINK, 0, up);

	if (id < 0)
		return false;
	xenhcd_encode_unlink(RING_GET_REQUEST(&h->urb_ring, h->urb_ring.req_prod_pvt),
			     id, xenhcd_pipe(up->urb->pipe, up->urb->dev->portnum),
			     up->id);
	h->urb_ring.req_prod_pvt++;
	h->sent[id] = (struct xenhcd_sent){ };
	xenhcd_stat(h, XENHCD_STAT_UNLINKS, 1);
	return true;
}

/*
 * Send what waits while ids are free: unlinks first.  URBs that cannot
 * be sent at all go to @done.
 */
static void xenhcd_pump(struct xenhcd *h, struct list_head *done)
{
	struct xenhcd_urbp *up, *next;
	int notify, err;

	lockdep_assert_held(&h->lock);
	list_for_each_entry_safe(up, next, &h->unlinks, unode) {
		if (!xenhcd_send_unlink(h, up))
			break;
		list_del_init(&up->unode);
	}
	list_for_each_entry_safe(up, next, &h->waiting, node) {
		err = xenhcd_send(h, up);
		if (err == -ENOSPC)
			break;
		list_del_init(&up->node);
		if (err)
			xenhcd_done(up, err, done);
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h->urb_ring, notify);
	if (notify) {
		notify_remote_via_irq(h->irq);
		xenhcd_stat(h, XENHCD_STAT_NOTIFY, 1);
	}
}

/* Give back the URBs on @done; the lock is not held. */
static void xenhcd_giveback(struct xenhcd *h, struct list_head *done)
{
	struct usb_hcd *hcd = xenhcd_to_hcd(h);
	struct xenhcd_urbp *up, *next;
	unsigned long flags;

	list_for_each_entry_safe(up, next, done, node) {
		spin_lock_irqsave(&h->lock, flags);
		usb_hcd_unlink_urb_from_ep(hcd, up->urb);
		spin_unlock_irqrestore(&h->lock, flags);
		usb_hcd_giveback_urb(hcd, up->urb, up->status);
		xenhcd_free_urbp(up);
	}
}

/* Everything in flight or waiting ends with -ESHUTDOWN (to @done). */
static void xenhcd_end_all(struct xenhcd *h, struct list_head *done)
{
	struct xenhcd_urbp *up, *next;
	const struct xenpv_id *e;
	int id = -1;

	lockdep_assert_held(&h->lock);
	while ((id = xenpv_ids_next_in_flight(&h->ids, id + 1)) >= 0) {
		e = xenpv_id_entry(&h->ids, id);
		if (e->op != XENHCD_OP_SUBMIT)
			continue;
		up = e->priv;
		xenhcd_end_grants(up);
		xenhcd_done(up, -ESHUTDOWN, done);
	}
	xenpv_ids_reset(&h->ids);
	list_for_each_entry_safe(up, next, &h->waiting, node) {
		list_del(&up->node);
		xenhcd_done(up, -ESHUTDOWN, done);
	}
	list_for_each_entry_safe(up, next, &h->unlinks, unode)
		list_del_init(&up->unode);
}

/* ---- The USB core's side ---------------------------------------------------------- */

static int xenhcd_urb_enqueue(struct usb_hcd *hcd, struct urb *urb,
			      gfp_t mem_flags)
{
	struct xenhcd *h = hcd_to_xenhcd(hcd);
	struct xenhcd_urbp *up;
	unsigned long flags;
	LIST_HEAD(done);
	int err;

	if (urb->transfer_buffer_length > XENPV_USB_MAX_LENGTH)
		return -EMSGSIZE;
	up = kzalloc(sizeof(*up), mem_flags);
	if (!up)
		return -ENOMEM;
	up->urb = urb;
	up->id = -1;
	INIT_LIST_HEAD(&up->unode);
	if (usb_pipeisoc(urb->pipe)) {
		err = xenhcd_alloc_descs(up, mem_flags);
		if (err) {
			xenhcd_free_urbp(up);
			return err;
		}
	}
	spin_lock_irqsave(&h->lock, flags);
	err = READ_ONCE(h->state) == XH_CONNECTED ? 0 : -ESHUTDOWN;
	if (!err)
		err = usb_hcd_link_urb_to_ep(hcd, urb);
	if (!err) {
		urb->hcpriv = up;
		list_add_tail(&up->node, &h->waiting);
		xenhcd_pump(h, &done);
	}
	spin_unlock_irqrestore(&h->lock, flags);
	if (err)
		xenhcd_free_urbp(up);
	xenhcd_giveback(h, &done);
	return err;
}

static int xenhcd_urb_dequeue(struct usb_hcd *hcd, struct urb *urb, int status)
{
	struct xenhcd *h = hcd_to_xenhcd(hcd);
	struct xenhcd_urbp *up;
	unsigned long flags;
	LIST_HEAD(done);
	int err;

	spin_lock_irqsave(&h->lock, flags);
	err = usb_hcd_check_unlink_urb(hcd, urb, status);
	up = urb->hcpriv;
	if (err || !up)
		goto out;
	if (up->id < 0) {
		/* Not on the ring yet: ends here. */
		list_del(&up->node);
		xenhcd_done(up, status, &done);
	} else if (h->state != XH_CONNECTED) {
		/* Nothing will answer: xenhcd_end_all() ends it. */
	} else if (!up->unlink_queued) {
		/* The backend answers the URB once it unlinked it. */
		up->unlink_queued = true;
		list_add_tail(&up->unode, &h->unlinks);
		xenhcd_pump(h, &done);
	}
out:
	spin_unlock_irqrestore(&h->lock, flags);
	xenhcd_giveback(h, &done);
	return err;
}

static int xenhcd_hub_status_data(struct usb_hcd *hcd, char *buf)
{
	struct xenhcd *h = hcd_to_xenhcd(hcd);
	unsigned long flags;
	int n;

	spin_lock_irqsave(&h->lock, flags);
	n = xenhcd_rh_changes(&h->rh, buf);
	spin_unlock_irqrestore(&h->lock, flags);
	return n;
}

static int xenhcd_hub_control(struct usb_hcd *hcd, u16 type_req, u16 value,
			      u16 index, char *buf, u16 length)
{
	struct xenhcd *h = hcd_to_xenhcd(hcd);
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&h->lock, flags);
	ret = xenhcd_rh_control(&h->rh, type_req, value, index, buf, length,
				ktime_to_ms(ktime_get()));
	spin_unlock_irqrestore(&h->lock, flags);
	return ret;
}

static int xenhcd_start(struct usb_hcd *hcd)
{
	hcd->uses_new_polling = 1;
	clear_bit(HCD_FLAG_POLL_RH, &hcd->flags);
	hcd->state = HC_STATE_RUNNING;
	return 0;
}

static void xenhcd_stop(struct usb_hcd *hcd)
{
}

static int xenhcd_get_frame(struct usb_hcd *hcd)
{
	return 0;
}

/*
 * The root hub suspends when it has no device awake: nothing to stop,
 * the backend's port events wake it (xenhcd_rh_changed()).  Without
 * these, its autosuspend would fail and leave it deaf to port changes.
 */
static int xenhcd_bus_suspend(struct usb_hcd *hcd)
{
	return 0;
}

static int xenhcd_bus_resume(struct usb_hcd *hcd)
{
	return 0;
}

/* A port changed: have the hub driver look, waking the root hub first. */
static void xenhcd_rh_changed(struct usb_hcd *hcd)
{
	if (HCD_RH_RUNNING(hcd))
		usb_hcd_poll_rh_status(hcd);
	else
		usb_hcd_resume_root_hub(hcd);
}

#define XENHCD_DRIVER(ver_flag, desc)					\
{									\
	.description		= "xen-hcd",				\
	.product_desc		= desc,					\
	.hcd_priv_size		= sizeof(struct xenhcd),		\
	.flags			= ver_flag,				\
	.start			= xenhcd_start,				\
	.stop			= xenhcd_stop,				\
	.urb_enqueue		= xenhcd_urb_enqueue,			\
	.urb_dequeue		= xenhcd_urb_dequeue,			\
	.get_frame_number	= xenhcd_get_frame,			\
	.hub_status_data	= xenhcd_hub_status_data,		\
	.hub_control		= xenhcd_hub_control,			\
	.bus_suspend		= xenhcd_bus_suspend,			\
	.bus_resume		= xenhcd_bus_resume,			\
}

static const struct hc_driver xenhcd_usb20_driver =
	XENHCD_DRIVER(HCD_USB2, "Xen USB2.0 Virtual Host Controller");
static const struct hc_driver xenhcd_usb11_driver =
	XENHCD_DRIVER(HCD_USB11, "Xen USB1.1 Virtual Host Controller");

/* ---- The backend's side ---------------------------------------------------------- */

static void xenhcd_broken(struct xenhcd *h, enum xenhcd_verdict v)
{
	xenpv_fail(&h->fail, xenhcd_verdict_str(v));
}

/*
 * An isochronous URB's packets' results, from the descriptors the backend
 * wrote (no longer granted: read once each, and checked).
 */
static enum xenhcd_verdict xenhcd_iso_results(struct xenhcd_urbp *up,
					      const struct xenhcd_done *d)
{
	struct usb_iso_packet_descriptor *p = up->urb->iso_frame_desc;
	enum xenhcd_verdict v;
	int i;

	for (i = 0; i < up->urb->number_of_packets; i++) {
		v = xenhcd_iso_packet(&up->descs[i], p[i].length,
				      &p[i].actual_length, &p[i].status);
		if (v)
			return v;
	}
	up->urb->error_count = d->error_count;
	up->urb->start_frame = d->start_frame;
	return XENHCD_RSP_OK;
}

/* Take the URB ring's responses; the URBs they end go to @done. */
static bool xenhcd_urb_responses(struct xenhcd *h, struct list_head *done)
{
	struct xenusb_urb_response rsp;
	struct xenhcd_urbp *up;
	struct xenhcd_done d;
	enum xenhcd_verdict v;
	unsigned int avail;
	bool did = false;
	int more;

	do {
		v = xenhcd_check_prod(xenpv_read_idx(&h->urb_ring.sring->rsp_prod),
				      h->urb_ring.rsp_cons, XENHCD_URB_RING_SIZE,
				      h->urb_ring.req_prod_pvt - h->urb_ring.rsp_cons,
				      &avail);
		if (v)
			goto bad;
		virt_rmb();	/* the slots after the index */
		for (; avail; avail--) {
			xenhcd_get_rsp(&rsp, RING_GET_RESPONSE(&h->urb_ring,
							       h->urb_ring.rsp_cons));
			v = xenhcd_complete_rsp(&h->ids, h->sent, &rsp, &d);
			if (v)
				goto bad;
			h->urb_ring.rsp_cons++;
			did = true;
			if (d.op != XENHCD_OP_SUBMIT)
				continue;
			up = d.priv;
			xenhcd_end_grants(up);
			up->id = -1;
			list_del_init(&up->unode);
			/* Bad packet results: this URB fails, then the controller. */
			if (up->descs)
				v = xenhcd_iso_results(up, &d);
			up->urb->actual_length = v ? 0 : d.actual_length;
			if (v || d.status)
				xenhcd_stat(h, XENHCD_STAT_URB_ERR, 1);
			xenhcd_stat(h, XENHCD_STAT_BYTES, up->urb->actual_length);
			xenhcd_done(up, v ? -EPROTO : d.status, done);
			if (v)
				goto bad;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&h->urb_ring, more);
	} while (more);
	return did;
bad:
	xenhcd_broken(h, v);
	return did;
}

/* Take the port events, giving each request back; true if a port changed. */
static bool xenhcd_conn_events(struct xenhcd *h)
{
	struct xenusb_conn_front_ring *ring = &h->conn_ring;
	struct xenusb_conn_response rsp;
	struct xenusb_conn_request req;
	enum xenhcd_verdict v;
	unsigned int avail;
	bool changed = false;
	int more, notify;

	do {
		v = xenhcd_check_prod(xenpv_read_idx(&ring->sring->rsp_prod),
				      ring->rsp_cons, XENHCD_CONN_RING_SIZE,
				      ring->req_prod_pvt - ring->rsp_cons, &avail);
		if (v)
			goto bad;
		virt_rmb();	/* the slots after the index */
		for (; avail; avail--) {
			xenpv_copy_shared(&rsp, RING_GET_RESPONSE(ring, ring->rsp_cons),
					  sizeof(rsp));
			ring->rsp_cons++;
			v = xenhcd_check_conn(&h->rh, &rsp);
			if (v)
				goto bad;
			changed |= xenhcd_rh_event(&h->rh, rsp.portnum, rsp.speed);
			xenhcd_stat(h, XENHCD_STAT_CONN_EVENTS, 1);
			req.id = rsp.id;
			xenpv_write_shared(RING_GET_REQUEST(ring, ring->req_prod_pvt),
					   &req, sizeof(req));
			ring->req_prod_pvt++;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(ring, more);
	} while (more);
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(ring, notify);
	if (notify)
		notify_remote_via_irq(h->irq);
	return changed;
bad:
	xenhcd_broken(h, v);
	return changed;
}

static irqreturn_t xenhcd_interrupt(int irq, void *data)
{
	struct xenhcd *h = data;
	bool did = false, changed = false;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&h->lock, flags);
	xenhcd_stat(h, XENHCD_STAT_IRQS, 1);
	if (h->state == XH_CONNECTED && !xenpv_failed(&h->fail)) {
		did = xenhcd_urb_responses(h, &done);
		changed = xenhcd_conn_events(h);
		if (!xenpv_failed(&h->fail))
			xenhcd_pump(h, &done);
	}
	spin_unlock_irqrestore(&h->lock, flags);
	xenhcd_giveback(h, &done);
	if (changed)
		xenhcd_rh_changed(xenhcd_to_hcd(h));
	xenpv_irq_eoi(irq, did || changed);
	return IRQ_HANDLED;
}

/* ---- xenbus --------------------------------------------------------------------- */

static void xenhcd_set_state(struct xenhcd *h, enum xenhcd_state to)
{
	lockdep_assert_held(&h->mutex);
	if (xenpv_state_change(&xenhcd_states, &h->xbdev->dev, h->state, to,
			       h->backend_state))
		WRITE_ONCE(h->state, to);
}

/* Stop using the rings: every URB ends, the rings and channel go. */
static void xenhcd_disconnect(struct xenhcd *h, enum xenhcd_state to)
{
	unsigned long flags;
	LIST_HEAD(done);

	lockdep_assert_held(&h->mutex);
	spin_lock_irqsave(&h->lock, flags);
	if (h->state != to)
		xenhcd_set_state(h, to);
	xenhcd_end_all(h, &done);
	spin_unlock_irqrestore(&h->lock, flags);
	xenhcd_giveback(h, &done);
	if (h->irq)
		unbind_from_irqhandler(h->irq, h);	/* closes the port */
	h->irq = 0;
	h->evtchn = 0;
	if (h->urb_ring.sring)
		xenbus_teardown_ring((void **)&h->urb_ring.sring, 1, &h->urb_ref);
	if (h->conn_ring.sring)
		xenbus_teardown_ring((void **)&h->conn_ring.sring, 1, &h->conn_ref);
}

/* The backend is gone: its devices leave the root hub. */
static void xenhcd_ports_gone(struct xenhcd *h)
{
	bool changed = false;
	unsigned long flags;
	unsigned int port;

	spin_lock_irqsave(&h->lock, flags);
	for (port = 1; port <= h->rh.nr_ports; port++)
		changed |= xenhcd_rh_event(&h->rh, port, XENUSB_SPEED_NONE);
	spin_unlock_irqrestore(&h->lock, flags);
	if (changed)
		xenhcd_rh_changed(xenhcd_to_hcd(h));
}

static void xenhcd_fail_work(struct work_struct *work)
{
	struct xenhcd *h = container_of(work, struct xenhcd, fail.work);

	mutex_lock(&h->mutex);
	if (h->state == XH_CONNECTED) {
		xenhcd_disconnect(h, XH_BROKEN);
		xenhcd_ports_gone(h);
		xenpv_fail_report(&h->fail, h->xbdev, "backend", XENPV_FAIL_FATAL);
	}
	mutex_unlock(&h->mutex);
}

static int xenhcd_write_keys(struct xenbus_transaction xbt, void *data)
{
	struct xenhcd *h = data;
	const char *dir = h->xbdev->nodename;
	int err;

	err = xenpv_xs_printf(xbt, dir, XENPV_USB_KEY_URB_RING_REF, "%u", h->urb_ref);
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_USB_KEY_CONN_RING_REF, "%u",
				      h->conn_ref);
	if (!err)
		err = xenpv_xs_printf(xbt, dir, XENPV_USB_KEY_EVTCHN, "%u", h->evtchn);
	return err;
}

/* Set up both rings and the channel, publish them, offer conn requests. */
static int xenhcd_connect(struct xenhcd *h)
{
	struct xenusb_conn_request req;
	unsigned long flags;
	unsigned int i;
	void *va;
	int err, notify;

	lockdep_assert_held(&h->mutex);
	err = xenpv_setup_ring(h->xbdev, &va, 1, &h->urb_ref);
	if (err)
		return err;
	/* The event indexes start at 1: the first entry notifies. */
	SHARED_RING_INIT((struct xenusb_urb_sring *)va);
	FRONT_RING_INIT(&h->urb_ring, (struct xenusb_urb_sring *)va, XEN_PAGE_SIZE);
	err = xenpv_setup_ring(h->xbdev, &va, 1, &h->conn_ref);
	if (err)
		goto out;
	SHARED_RING_INIT((struct xenusb_conn_sring *)va);
	FRONT_RING_INIT(&h->conn_ring, (struct xenusb_conn_sring *)va, XEN_PAGE_SIZE);
	err = xenpv_evtchn_bind(h->xbdev, &h->evtchn, XENPV_EVTCHN_OURS,
				xenhcd_interrupt, "xen-hcd", h);
	if (err < 0)
		goto out;
	h->irq = err;
	err = xenpv_xs_transaction(xenhcd_write_keys, h);
	if (err)
		goto out;
	spin_lock_irqsave(&h->lock, flags);
	for (i = 0; i < XENHCD_CONN_RING_SIZE; i++) {
		req.id = i;
		xenpv_write_shared(RING_GET_REQUEST(&h->conn_ring, i), &req, sizeof(req));
	}
	h->conn_ring.req_prod_pvt = XENHCD_CONN_RING_SIZE;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h->conn_ring, notify);
	xenhcd_set_state(h, XH_CONNECTED);
	spin_unlock_irqrestore(&h->lock, flags);
	if (notify)
		notify_remote_via_irq(h->irq);
	return 0;
out:
	xenhcd_disconnect(h, XH_CLOSED);
	return err;
}

static void xenhcd_backend_changed(struct xenbus_device *xbdev,
				   enum xenbus_state backend_state)
{
	struct xenhcd *h = dev_get_drvdata(&xbdev->dev);
	int err;

	mutex_lock(&h->mutex);
	h->backend_state = backend_state;
	switch (backend_state) {
	case XenbusStateInitWait:
	case XenbusStateInitialised:
	case XenbusStateConnected:
		if (xbdev->state != XenbusStateInitialising ||
		    h->state != XH_WAIT_BACKEND)
			break;
		err = xenhcd_connect(h);
		if (err) {
			xenbus_dev_fatal(xbdev, err, "setting up the rings");
			break;
		}
		xenbus_switch_state(xbdev, XenbusStateConnected);
		break;
	case XenbusStateClosed:
		if (xbdev->state == XenbusStateClosed)
			break;
		fallthrough;	/* missed the backend's Closing */
	case XenbusStateClosing:
		if (h->state != XH_CLOSED)
			xenhcd_disconnect(h, XH_CLOSED);
		xenhcd_ports_gone(h);
		xenbus_frontend_closed(xbdev);
		break;
	default:
		break;
	}
	mutex_unlock(&h->mutex);
}

static int xenhcd_read_ctrl(struct xenbus_device *xbdev, unsigned int *ports,
			    unsigned int *ver)
{
	char *p, *v;
	int err;

	p = xenbus_read(XBT_NIL, xbdev->otherend, XENPV_USB_KEY_NUM_PORTS, NULL);
	v = xenbus_read(XBT_NIL, xbdev->otherend, XENPV_USB_KEY_USB_VER, NULL);
	err = xenpv_usb_parse_ctrl(IS_ERR(p) ? NULL : p, IS_ERR(v) ? NULL : v,
				   ports, ver);
	if (err)
		xenbus_dev_fatal(xbdev, err, "backend's num-ports or usb-ver unusable");
	if (!IS_ERR(p))
		kfree(p);
	if (!IS_ERR(v))
		kfree(v);
	return err;
}

static int xenhcd_probe(struct xenbus_device *xbdev,
			const struct xenbus_device_id *id)
{
	unsigned int ports, ver;
	struct usb_hcd *hcd;
	struct xenhcd *h;
	int err;

	err = xenhcd_read_ctrl(xbdev, &ports, &ver);
	if (err)
		return err;
	hcd = usb_create_hcd(ver == XENUSB_VER_USB20 ? &xenhcd_usb20_driver :
			     &xenhcd_usb11_driver, &xbdev->dev, dev_name(&xbdev->dev));
	if (!hcd)
		return -ENOMEM;
	hcd->has_tt = ver == XENUSB_VER_USB20;
	h = hcd_to_xenhcd(hcd);
	h->xbdev = xbdev;
	spin_lock_init(&h->lock);
	mutex_init(&h->mutex);
	INIT_LIST_HEAD(&h->waiting);
	INIT_LIST_HEAD(&h->unlinks);
	xenpv_fail_init(&h->fail, xenhcd_fail_work);
	h->state = XH_WAIT_BACKEND;
	h->urb_ref = INVALID_GRANT_REF;
	h->conn_ref = INVALID_GRANT_REF;
	err = xenhcd_rh_init(&h->rh, ports, ver);
	if (!err)
		err = xenpv_ids_init(&h->ids, XENHCD_URB_RING_SIZE, GFP_KERNEL);
	if (err)
		goto out_put;
	dev_set_drvdata(&xbdev->dev, h);
	err = usb_add_hcd(hcd, 0, 0);
	if (err)
		goto out_ids;
	return 0;

out_ids:
	xenpv_ids_destroy(&h->ids);
out_put:
	dev_set_drvdata(&xbdev->dev, NULL);
	usb_put_hcd(hcd);
	return err;
}

static void xenhcd_remove(struct xenbus_device *xbdev)
{
	struct xenhcd *h = dev_get_drvdata(&xbdev->dev);
	struct usb_hcd *hcd = xenhcd_to_hcd(h);

	/* The USB core dequeues every URB first: those on the ring end here. */
	mutex_lock(&h->mutex);
	if (h->state == XH_CONNECTED)
		xenhcd_disconnect(h, XH_CLOSED);
	mutex_unlock(&h->mutex);
	usb_remove_hcd(hcd);
	cancel_work_sync(&h->fail.work);
	mutex_lock(&h->mutex);
	xenhcd_disconnect(h, XH_CLOSED);
	mutex_unlock(&h->mutex);
	xenpv_ids_destroy(&h->ids);
	dev_set_drvdata(&xbdev->dev, NULL);
	usb_put_hcd(hcd);
}

XENPV_REMOVE(xenhcd_remove);

static struct xenbus_driver xenhcd_xenbus_driver = {
	.ids			= XENPV_IDS("vusb"),
	.probe			= xenhcd_probe,
	.remove			= xenhcd_remove_xenbus,
	.otherend_changed	= xenhcd_backend_changed,
};

static int __init xenhcd_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	err = xenpv_stats_check(xenhcd_stat_desc, XENHCD_NR_STATS);
	if (!err)
		err = xenpv_states_check(&xenhcd_states, XH_WAIT_BACKEND);
	if (err)
		return err;
	return xenbus_register_frontend(&xenhcd_xenbus_driver);
}
module_init(xenhcd_init);

static void __exit xenhcd_exit(void)
{
	xenbus_unregister_driver(&xenhcd_xenbus_driver);
}
module_exit(xenhcd_exit);

MODULE_DESCRIPTION("Xen PV USB frontend (usbif), hardened against its backend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vusb");
