// SPDX-License-Identifier: GPL-2.0
/*
 * xen-usbhostile: a hostile usbif frontend, to test Xen PV USB backends.
 *
 * Test-only: it lives under tools/testing/ and is never installed with the
 * drivers.  Bound to a guest's "vusb" controller in place of xen-hcd, it
 * connects like a frontend (one URB ring, one conn ring, one event
 * channel) and puts bad requests on the URB ring, one at a time.  The
 * toolstack gave the controller a device on port 1 (the testbed's USB
 * disk) and one with an isochronous endpoint on port 2 (QEMU's USB audio
 * device), which the module addresses, reads the configuration of and
 * switches to the alternate setting that has the endpoint, as a driver
 * would.  Then:
 *
 *  - requests a frontend may send by mistake or through a race, which
 *    must get an error response while the controller keeps working: a
 *    port the controller does not have, a device address not the port's
 *    device's, an unlink of an id not in flight, grant references never
 *    given (for the data into and out of the device); isochronous ones on
 *    endpoint 0 and on the endpoint's other direction (which the device
 *    lacks), with a descriptor or data grant never given, and two that
 *    the backend passes on and dom0's USB core refuses (interval 0, a
 *    packet longer than the endpoint's packets);
 *  - a good GET_DESCRIPTOR on port 1 and a good isochronous transfer on
 *    port 2 (each packet's result written back into its descriptor);
 *  - then one request that breaks the protocol (the "fatal" parameter,
 *    uh_violations[]): more segments than a request has, a segment past
 *    its page, segments longer than the buffer, the id of a request still
 *    in flight (two GET_DESCRIPTORs of one id in one batch), a request
 *    producer that jumps past the ring, or an isochronous request with 0
 *    or too many packets, more packets than its descriptor segments hold,
 *    no descriptor segment, a descriptor segment past its page, buffer
 *    and descriptor segments over 16 together, or a packet that ends past
 *    the buffer; the backend must fail the controller (leave Connected).
 *
 * Each attack logs one line,
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
/* The ports the toolstack attached a device to: any, and isochronous. */
#define UH_PORT		1
#define UH_ISO_PORT	2
/* The address we give UH_ISO_PORT's device. */
#define UH_ISO_ADDR	9
/* Packets of a good isochronous request, one endpoint's packet each. */
#define UH_ISO_PACKETS	4
/* Room for a configuration descriptor. */
#define UH_CONFIG_LEN	512
/* What a descriptor's result fields hold until the backend writes them. */
#define UH_UNTOUCHED	0x5a5a5a5a
/* A response status no usbif status is: there was no response. */
#define UH_NO_RESPONSE	1
/* Our request ids start here; each attack takes the next. */
#define UH_ID_BASE	0x4800

static char *fatal = "prod_jump";
module_param(fatal, charp, 0444);
MODULE_PARM_DESC(fatal, "the protocol violation sent last, one of uh_violations[] (too_many_segs, ..., iso_packet_past_buffer)");
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
 * @descs: a page for isochronous packet descriptors, granted writable as
 *	@descs_ref
 * @descs_ref: its grant
 * @back: the backend's xenbus state, as otherend_changed last saw it
 * @speed: each port's device's speed the backend reported, 0 for none
 * @iso: UH_ISO_PORT's device's isochronous endpoint, once found
 * @iso.intf: its interface
 * @iso.alt: the alternate setting that has it
 * @iso.addr: its bEndpointAddress
 * @iso.maxp: its packet size
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
	struct page *descs;
	grant_ref_t descs_ref;
	wait_queue_head_t wq;
	struct work_struct work;
	u16 id;
	enum xenbus_state back;
	u8 speed[UH_ISO_PORT + 1];
	struct {
		u8 intf;
		u8 alt;
		u8 addr;
		u16 maxp;
	} iso;
};

static u32 uh_pipe(unsigned int port, unsigned int dev, unsigned int ep,
		   unsigned int type, bool in)
{
	return port | dev << XENUSB_PIPE_DEV_SHIFT | ep << XENUSB_PIPE_EP_SHIFT |
	       type << XENUSB_PIPE_TYPE_SHIFT | (in ? XENUSB_PIPE_DIR : 0);
}

/* The next slot, cleared, with the next id. */
static struct xenusb_urb_request *uh_next(struct uh_dev *uh)
{
	struct xenusb_urb_request *req;

	req = RING_GET_REQUEST(&uh->urb, uh->urb.req_prod_pvt);
	memset(req, 0, sizeof(*req));
	req->id = uh->id++;
	return req;
}

/* A control request on the next slot: setup packet and one data segment. */
static struct xenusb_urb_request *uh_ctrl(struct uh_dev *uh, unsigned int port,
					  unsigned int dev, u8 type, u8 request,
					  u16 value, u16 len, grant_ref_t gref)
{
	struct xenusb_urb_request *req = uh_next(uh);
	__le16 v = cpu_to_le16(value), l = cpu_to_le16(len);

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

/*
 * One request out and its response in @rsp; status UH_NO_RESPONSE if
 * none came within UH_WAIT_MS.
 */
static void uh_call(struct uh_dev *uh, struct xenusb_urb_request *req,
		    struct xenusb_urb_response *rsp)
{
	u16 id = req->id;

	uh_push(uh, 1);
	if (!uh_response(uh, id, rsp))
		*rsp = (struct xenusb_urb_response){ .status = UH_NO_RESPONSE };
}

/* One request out; its response must come with @status. */
static void uh_expect(struct uh_dev *uh, const char *name,
		      struct xenusb_urb_request *req, s32 status)
{
	struct xenusb_urb_response rsp;

	uh_call(uh, req, &rsp);
	if (rsp.status == UH_NO_RESPONSE)
		uh_judge(name, false, "no response (backend state %d)",
			 uh_back_state(uh));
	else
		uh_judge(name, rsp.status == status, "status %d (expected %d)",
			 rsp.status, status);
}

/* The controller must still answer a good request. */
static void uh_good(struct uh_dev *uh)
{
	struct xenusb_urb_response rsp;
	u8 *d = page_address(uh->data);

	memset(d, 0, 18);
	uh_call(uh, uh_get_desc(uh, UH_PORT, 0, uh->data_ref), &rsp);
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

/* ---- Isochronous requests --------------------------------------------------- */

/* The first isochronous endpoint in a configuration descriptor. */
static bool uh_iso_find(struct uh_dev *uh, const u8 *d, unsigned int len)
{
	const struct usb_endpoint_descriptor *ep;
	unsigned int pos, intf = 0, alt = 0;

	for (pos = 0; pos + 2 <= len && d[pos] >= 2 && pos + d[pos] <= len;
	     pos += d[pos]) {
		if (d[pos + 1] == USB_DT_INTERFACE &&
		    d[pos] >= USB_DT_INTERFACE_SIZE) {
			intf = d[pos + 2];
			alt = d[pos + 3];
			continue;
		}
		ep = (const void *)&d[pos];
		if (d[pos + 1] != USB_DT_ENDPOINT ||
		    d[pos] < USB_DT_ENDPOINT_SIZE || !usb_endpoint_xfer_isoc(ep))
			continue;
		uh->iso.intf = intf;
		uh->iso.alt = alt;
		uh->iso.addr = ep->bEndpointAddress;
		uh->iso.maxp = usb_endpoint_maxp(ep);
		/* A good request and one packet one byte longer fit a page. */
		return uh->iso.maxp &&
		       UH_ISO_PACKETS * uh->iso.maxp < XEN_PAGE_SIZE;
	}
	return false;
}

/*
 * Address UH_ISO_PORT's device (the backend resets it), find its
 * isochronous endpoint and select the alternate setting that has it.
 */
static bool uh_iso_setup(struct uh_dev *uh)
{
	struct xenusb_urb_request *req;
	struct xenusb_urb_response rsp;
	u8 *d = page_address(uh->data);
	const char *step = "SET_ADDRESS";

	uh_call(uh, uh_ctrl(uh, UH_ISO_PORT, 0, USB_DIR_OUT,
			    USB_REQ_SET_ADDRESS, UH_ISO_ADDR, 0, 0), &rsp);
	if (rsp.status)
		goto fail;
	step = "GET_DESCRIPTOR(configuration)";
	memset(d, 0, UH_CONFIG_LEN);
	uh_call(uh, uh_ctrl(uh, UH_ISO_PORT, UH_ISO_ADDR, USB_DIR_IN,
			    USB_REQ_GET_DESCRIPTOR, USB_DT_CONFIG << 8,
			    UH_CONFIG_LEN, uh->data_ref), &rsp);
	if (rsp.status ||
	    !uh_iso_find(uh, d, min_t(u32, rsp.actual_length, UH_CONFIG_LEN)))
		goto fail;
	step = "SET_INTERFACE";
	req = uh_ctrl(uh, UH_ISO_PORT, UH_ISO_ADDR,
		      USB_DIR_OUT | USB_RECIP_INTERFACE, USB_REQ_SET_INTERFACE,
		      uh->iso.alt, 0, 0);
	req->u.ctrl[4] = uh->iso.intf;
	uh_call(uh, req, &rsp);
	if (rsp.status)
		goto fail;
	uh_judge("iso_setup", true,
		 "port %u: interface %u alt %u endpoint %#x, %u-byte packets",
		 UH_ISO_PORT, uh->iso.intf, uh->iso.alt, uh->iso.addr,
		 uh->iso.maxp);
	return true;
fail:
	uh_judge("iso_setup", false, "port %u: %s: status %d, %u bytes",
		 UH_ISO_PORT, step, rsp.status, rsp.actual_length);
	return false;
}

/*
 * A good isochronous request on the next slot: UH_ISO_PACKETS packets of
 * the endpoint's size back to back in segment 0 (the data page), their
 * descriptors in segment 1 (the descriptor page), result fields
 * UH_UNTOUCHED.
 */
static struct xenusb_urb_request *uh_iso(struct uh_dev *uh)
{
	struct xenpv_usb_iso_desc *d = page_address(uh->descs);
	struct xenusb_urb_request *req = uh_next(uh);
	unsigned int i, len = UH_ISO_PACKETS * uh->iso.maxp;

	req->pipe = uh_pipe(UH_ISO_PORT, UH_ISO_ADDR,
			    uh->iso.addr & USB_ENDPOINT_NUMBER_MASK,
			    XENUSB_PIPE_TYPE_ISOC, uh->iso.addr & USB_DIR_IN);
	req->buffer_length = len;
	req->nr_buffer_segs = 1;
	req->seg[0] = (struct xenusb_request_segment){ uh->data_ref, 0, len };
	req->u.isoc.interval = 1;
	req->u.isoc.number_of_packets = UH_ISO_PACKETS;
	req->u.isoc.nr_frame_desc_segs = 1;
	req->seg[1] = (struct xenusb_request_segment){
		uh->descs_ref, 0, UH_ISO_PACKETS * XENPV_USB_ISO_DESC_SIZE };
	for (i = 0; i < UH_ISO_PACKETS; i++)
		d[i] = (struct xenpv_usb_iso_desc){ i * uh->iso.maxp,
			uh->iso.maxp, UH_UNTOUCHED, UH_UNTOUCHED };
	return req;
}

/* The good request's last packet one byte longer, and its buffer too. */
static struct xenusb_urb_request *uh_iso_long(struct uh_dev *uh)
{
	struct xenpv_usb_iso_desc *d = page_address(uh->descs);
	struct xenusb_urb_request *req = uh_iso(uh);

	d[UH_ISO_PACKETS - 1].length++;
	req->buffer_length++;
	req->seg[0].length++;
	return req;
}

/* It must go through whole, each packet's result written back. */
static void uh_iso_good(struct uh_dev *uh)
{
	const struct xenpv_usb_iso_desc *d = page_address(uh->descs);
	bool in = uh->iso.addr & USB_DIR_IN;
	struct xenusb_urb_response rsp;
	unsigned int i, whole = 0;

	uh_call(uh, uh_iso(uh), &rsp);
	for (i = 0; i < UH_ISO_PACKETS; i++)
		if (!d[i].status && (in ? d[i].actual_length <= d[i].length :
					  d[i].actual_length == d[i].length))
			whole++;
	uh_judge("good_iso", !rsp.status && !rsp.error_count &&
		 whole == UH_ISO_PACKETS,
		 "status %d, %u bytes, %u errors, %u of %u packets whole",
		 rsp.status, rsp.actual_length, rsp.error_count, whole,
		 UH_ISO_PACKETS);
}

static void uh_iso_harmless(struct uh_dev *uh)
{
	struct xenusb_urb_request *req;

	/* Endpoint 0 is the control endpoint. */
	req = uh_iso(uh);
	req->pipe &= ~(XENUSB_PIPE_EP_MASK << XENUSB_PIPE_EP_SHIFT);
	uh_expect(uh, "iso_on_ctrl_ep", req, XENUSB_STATUS_INVAL);
	/* The endpoint's other direction, which the device does not have. */
	req = uh_iso(uh);
	req->pipe ^= XENUSB_PIPE_DIR;
	uh_expect(uh, "iso_wrong_dir", req, XENUSB_STATUS_INVAL);
	/* Descriptors, then data, from a grant never given. */
	req = uh_iso(uh);
	req->seg[1].gref = UH_HUGE_GREF;
	uh_expect(uh, "iso_bad_desc_gref", req, XENUSB_STATUS_INVAL);
	req = uh_iso(uh);
	req->seg[0].gref = UH_HUGE_GREF;
	uh_expect(uh, "iso_bad_data_gref", req, XENUSB_STATUS_INVAL);
	/* Well formed, but dom0's USB core refuses them. */
	req = uh_iso(uh);
	req->u.isoc.interval = 0;
	uh_expect(uh, "iso_interval_zero", req, XENUSB_STATUS_INVAL);
	uh_expect(uh, "iso_packet_too_long", uh_iso_long(uh),
		  XENUSB_STATUS_INVAL);
}

/* ---- The protocol violations ------------------------------------------------ */

/*
 * Each puts its request(s) on the ring and returns how many slots to
 * publish; uh_violations[] names them for the "fatal" parameter.
 */
static unsigned int uh_v_too_many_segs(struct uh_dev *uh)
{
	uh_get_desc(uh, UH_PORT, 0, uh->data_ref)->nr_buffer_segs =
		XENUSB_MAX_SEGMENTS_PER_REQUEST + 1;
	return 1;
}

static unsigned int uh_v_seg_past_page(struct uh_dev *uh)
{
	uh_get_desc(uh, UH_PORT, 0, uh->data_ref)->seg[0].offset =
		XEN_PAGE_SIZE - 8;
	return 1;
}

static unsigned int uh_v_seg_too_long(struct uh_dev *uh)
{
	/* The buffer is 18 bytes. */
	uh_get_desc(uh, UH_PORT, 0, uh->data_ref)->seg[0].length = 64;
	return 1;
}

/*
 * Its twin in the same batch: the backend answers the first (which went
 * to the device) only after it took the batch.
 */
static unsigned int uh_v_dup_id(struct uh_dev *uh)
{
	u16 id = uh_get_desc(uh, UH_PORT, 0, uh->data_ref)->id;
	struct xenusb_urb_request *twin;

	uh->urb.req_prod_pvt++;
	twin = uh_get_desc(uh, UH_PORT, 0, uh->data_ref);
	twin->id = id;
	return 1;
}

static unsigned int uh_v_prod_jump(struct uh_dev *uh)
{
	uh_get_desc(uh, UH_PORT, 0, uh->data_ref);
	return XENUSB_URB_RING_SIZE + 7;
}

static unsigned int uh_v_iso_no_packets(struct uh_dev *uh)
{
	uh_iso(uh)->u.isoc.number_of_packets = 0;
	return 1;
}

static unsigned int uh_v_iso_too_many_packets(struct uh_dev *uh)
{
	uh_iso(uh)->u.isoc.number_of_packets = XENPV_USB_MAX_ISO_PACKETS + 1;
	return 1;
}

/* One packet more than the descriptor segment holds. */
static unsigned int uh_v_iso_descs_short(struct uh_dev *uh)
{
	uh_iso(uh)->u.isoc.number_of_packets = UH_ISO_PACKETS + 1;
	return 1;
}

static unsigned int uh_v_iso_no_desc_segs(struct uh_dev *uh)
{
	uh_iso(uh)->u.isoc.nr_frame_desc_segs = 0;
	return 1;
}

static unsigned int uh_v_iso_desc_past_page(struct uh_dev *uh)
{
	uh_iso(uh)->seg[1].offset = XEN_PAGE_SIZE - XENPV_USB_ISO_DESC_SIZE;
	return 1;
}

/* One buffer segment and 16 descriptor segments. */
static unsigned int uh_v_iso_too_many_segs(struct uh_dev *uh)
{
	uh_iso(uh)->u.isoc.nr_frame_desc_segs = XENUSB_MAX_SEGMENTS_PER_REQUEST;
	return 1;
}

/* The last packet starts in the buffer and ends past it. */
static unsigned int uh_v_iso_packet_past_buffer(struct uh_dev *uh)
{
	struct xenpv_usb_iso_desc *d = page_address(uh->descs);
	struct xenusb_urb_request *req = uh_iso(uh);

	d[UH_ISO_PACKETS - 1].offset = req->buffer_length - 1;
	return 1;
}

static const struct uh_violation {
	const char *name;
	bool iso;	/* needs UH_ISO_PORT's isochronous endpoint */
	unsigned int (*send)(struct uh_dev *uh);
} uh_violations[] = {
	{ "too_many_segs", false, uh_v_too_many_segs },
	{ "seg_past_page", false, uh_v_seg_past_page },
	{ "seg_too_long", false, uh_v_seg_too_long },
	{ "dup_id", false, uh_v_dup_id },
	{ "prod_jump", false, uh_v_prod_jump },
	{ "iso_no_packets", true, uh_v_iso_no_packets },
	{ "iso_too_many_packets", true, uh_v_iso_too_many_packets },
	{ "iso_descs_short", true, uh_v_iso_descs_short },
	{ "iso_no_desc_segs", true, uh_v_iso_no_desc_segs },
	{ "iso_desc_past_page", true, uh_v_iso_desc_past_page },
	{ "iso_too_many_segs", true, uh_v_iso_too_many_segs },
	{ "iso_packet_past_buffer", true, uh_v_iso_packet_past_buffer },
};

/*
 * Until the backend leaves Connected (UH_WAIT_MS at most), take the
 * responses it sends, for the log: the number, and the last in @last.
 */
static unsigned int uh_drain(struct uh_dev *uh,
			     struct xenusb_urb_response *last)
{
	unsigned long end = jiffies + msecs_to_jiffies(UH_WAIT_MS);
	unsigned int n = 0;

	*last = (struct xenusb_urb_response){ .status = UH_NO_RESPONSE };
	while (uh_back_state(uh) == XenbusStateConnected &&
	       time_before(jiffies, end)) {
		wait_event_timeout(uh->wq, RING_HAS_UNCONSUMED_RESPONSES(&uh->urb) ||
				   uh_back_state(uh) != XenbusStateConnected, HZ / 10);
		while (RING_HAS_UNCONSUMED_RESPONSES(&uh->urb)) {
			virt_rmb();	/* the slots after rsp_prod */
			*last = *RING_GET_RESPONSE(&uh->urb, uh->urb.rsp_cons);
			uh->urb.rsp_cons++;
			n++;
		}
	}
	return n;
}

/* The protocol violation: the backend must leave Connected. */
static void uh_fatal(struct uh_dev *uh, bool iso_ok)
{
	const struct uh_violation *v = NULL;
	struct xenusb_urb_response last;
	enum xenbus_state s;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(uh_violations); i++)
		if (!strcmp(fatal, uh_violations[i].name))
			v = &uh_violations[i];
	if (!v || (v->iso && !iso_ok)) {
		uh_judge(fatal, false, v ? "no isochronous endpoint" :
			 "unknown attack");
		return;
	}
	uh_push(uh, v->send(uh));
	n = uh_drain(uh, &last);
	s = uh_back_state(uh);
	uh_judge(fatal, s != XenbusStateConnected,
		 "backend state %s; %u responses meanwhile, the last id %u status %d",
		 xenbus_strstate(s), n, last.id, last.status);
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

/* A zeroed page granted writable to the backend. */
static int uh_grant_page(struct uh_dev *uh, struct page **page,
			 grant_ref_t *ref)
{
	int err;

	*page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!*page)
		return -ENOMEM;
	err = gnttab_grant_foreign_access(uh->xbdev->otherend_id,
					  xen_page_to_gfn(*page), 0);
	if (err < 0) {
		__free_page(*page);
		*page = NULL;
		return err;
	}
	*ref = err;
	return 0;
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
	err = uh_grant_page(uh, &uh->data, &uh->data_ref);
	if (!err)
		err = uh_grant_page(uh, &uh->descs, &uh->descs_ref);
	if (err)
		return err;
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
	if (uh->descs)
		gnttab_end_foreign_access(uh->descs_ref, uh->descs);
	uh->descs = NULL;
	xenbus_teardown_ring((void **)&uh->urb.sring, 1, &uh->urb_ref);
	xenbus_teardown_ring((void **)&uh->conn.sring, 1, &uh->conn_ref);
}

/*
 * Has the backend reported a device on UH_PORT and on UH_ISO_PORT?  The
 * toolstack may attach them after we connected.  Consumes port events;
 * does not sleep.
 */
static bool uh_ports_up(struct uh_dev *uh)
{
	struct xenusb_conn_response rsp;

	while (RING_HAS_UNCONSUMED_RESPONSES(&uh->conn)) {
		virt_rmb();	/* the slots after rsp_prod */
		rsp = *RING_GET_RESPONSE(&uh->conn, uh->conn.rsp_cons);
		uh->conn.rsp_cons++;
		if (rsp.portnum < ARRAY_SIZE(uh->speed))
			uh->speed[rsp.portnum] = rsp.speed;
	}
	return uh->speed[UH_PORT] != XENUSB_SPEED_NONE &&
	       uh->speed[UH_ISO_PORT] != XENUSB_SPEED_NONE;
}

static void uh_work(struct work_struct *work)
{
	struct uh_dev *uh = container_of(work, struct uh_dev, work);
	bool iso_ok;
	int err;

	err = uh_connect(uh);
	if (!err && !wait_event_timeout(uh->wq, uh_ports_up(uh),
					msecs_to_jiffies(3 * UH_WAIT_MS)))
		err = -ENODEV;
	if (err) {
		uh_judge("connect", false, "failed (%d)", err);
	} else {
		uh_harmless(uh);
		iso_ok = uh_iso_setup(uh);
		if (iso_ok)
			uh_iso_harmless(uh);
		uh_good(uh);
		if (iso_ok)
			uh_iso_good(uh);
		uh_fatal(uh, iso_ok);
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
