// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protocol core of the Xen PV USB backend: the request slot layout,
 * request copy and checks, ring index checks, the address table, port
 * events for the conn ring, the ids in flight and the plan of the grant
 * copies of a request's data.
 *
 * Pure logic (see usbback-proto.h): it runs in the kernel, in the
 * userspace tests and in a fuzzer.  Everything the frontend wrote is
 * checked before use and a bad value is reported to the caller; only bugs
 * of the backend itself warn.
 */

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "usbback-proto.h"

/* ---- The controller's states and counters -------------------------------- */

/*
 * Each state, and the states it may move to:
 *
 *	wait-frontend	the frontend's rings map: connected
 *	connected	the frontend breaks the protocol: broken
 *	closed		the frontend starts over: wait-frontend
 *	any		the frontend closes, or the controller goes: closed
 */
static const struct xenpv_state usbback_state_table[UB_NR_STATES] = {
	[UB_WAIT_FRONTEND] = { "wait-frontend", BIT(UB_CONNECTED) | BIT(UB_CLOSED) },
	[UB_CONNECTED]	   = { "connected", BIT(UB_BROKEN) | BIT(UB_CLOSED) },
	[UB_BROKEN]	   = { "broken", BIT(UB_CLOSED) },
	[UB_CLOSED]	   = { "closed", BIT(UB_WAIT_FRONTEND) },
};

XENPV_STATES(usbback_states, usbback_state_table, "frontend");

/*
 * The counters: statistics/ in sysfs shows the flagged ones (summed over
 * the controller's connections), the debugfs file all of them.
 */
const struct xenpv_stat usbback_stat_desc[USBBACK_NR_STATS] = {
	[USBBACK_STAT_CTRL]		= { "ctrl_req", XENPV_STAT_SYSFS },
	[USBBACK_STAT_BULK]		= { "bulk_req", XENPV_STAT_SYSFS },
	[USBBACK_STAT_INT]		= { "int_req", XENPV_STAT_SYSFS },
	[USBBACK_STAT_ISO]		= { "iso_req", XENPV_STAT_SYSFS },
	[USBBACK_STAT_UNLINK]		= { "unlink_req", XENPV_STAT_SYSFS },
	[USBBACK_STAT_LOCAL]		= { "local_req", 0 },
	[USBBACK_STAT_BAD_REQ]		= { "bad_req", XENPV_STAT_SYSFS },
	[USBBACK_STAT_URB_ERR]		= { "urb_err", XENPV_STAT_SYSFS },
	[USBBACK_STAT_BYTES_IN]		= { "bytes_in", XENPV_STAT_SYSFS },
	[USBBACK_STAT_BYTES_OUT]	= { "bytes_out", XENPV_STAT_SYSFS },
	[USBBACK_STAT_GRANT_ERR]	= { "grant_err", 0 },
	[USBBACK_STAT_CONN_EVENTS]	= { "conn_events", 0 },
	[USBBACK_STAT_IRQS]		= { "irqs", 0 },
	[USBBACK_STAT_NOTIFY]		= { "notify", 0 },
	[USBBACK_STAT_DEV_RESET]	= { "dev_resets", XENPV_STAT_SYSFS },
};

/* ---- The wire format ------------------------------------------------------- */

/*
 * A request slot, byte by byte (usbif.h; the same for every ABI: no field
 * is wider than 4 bytes, and each sits on its own size):
 *
 *	0	id			2	nr_buffer_segs
 *	4	pipe
 *	8	transfer_flags		10	buffer_length
 *	12	control: the 8-byte setup packet
 *		isochronous: interval, start_frame, number_of_packets,
 *		nr_frame_desc_segs, 2 bytes each
 *		interrupt: interval; unlink: unlink_id
 *	20	seg[16]: gref (4), offset (2), length (2)
 *
 * 148 bytes, 16 slots after the 64-byte header of one 4 KiB frame.  A
 * response: id (2), start_frame (2), status, actual_length, error_count
 * (4 each), 16 bytes.  A conn ring request is an id (2 bytes); its
 * response the id, the port and the speed (1 byte each).
 */
static_assert(offsetof(struct xenusb_urb_request, nr_buffer_segs) == 2);
static_assert(offsetof(struct xenusb_urb_request, pipe) == 4);
static_assert(offsetof(struct xenusb_urb_request, transfer_flags) == 8);
static_assert(offsetof(struct xenusb_urb_request, buffer_length) == 10);
static_assert(offsetof(struct xenusb_urb_request, u.ctrl) == 12);
static_assert(offsetof(struct xenusb_urb_request, u.isoc.nr_frame_desc_segs) ==
	      18);
static_assert(offsetof(struct xenusb_urb_request, seg) == 20);
static_assert(sizeof(struct xenusb_request_segment) == 8);
static_assert(sizeof(struct xenusb_urb_request) == 148);
static_assert(sizeof(struct xenusb_urb_response) == 16);
static_assert(offsetof(struct xenusb_urb_response, status) == 4);
static_assert(sizeof(struct xenusb_conn_response) == 4);
static_assert(USBBACK_URB_RING_SIZE == 16);
static_assert(USBBACK_CONN_RING_SIZE == 512);
/* The in-flight table has a bit per ring slot; a port mask a bit per port. */
static_assert(USBBACK_URB_RING_SIZE <= 32 && USBBACK_MAX_PORTS < 32);

/* The usbif pipe types are Linux's PIPE_* values, as the frontends use. */
static_assert(XENUSB_PIPE_TYPE_ISOC == 0 && XENUSB_PIPE_TYPE_INT == 1 &&
	      XENUSB_PIPE_TYPE_CTRL == 2 && XENUSB_PIPE_TYPE_BULK == 3);

static u16 usbback_le16(const u8 *p)
{
	return p[0] | (p[1] << 8);
}

/**
 * usbback_get_req() - copy one request out of its ring slot
 * @req: filled in; only this private copy may be used afterwards
 * @slot: the slot; read exactly once
 *
 * The frontend may rewrite the slot at any time, so the whole slot is
 * copied with one xenpv_copy_shared() before any field is decoded.
 * Nothing is checked here; any request yields the id to answer.
 */
void usbback_get_req(struct usbback_req *req, const void *slot)
{
	const struct xenusb_urb_request *r = &req->raw;
	u32 pipe;

	xenpv_copy_shared(&req->raw, slot, sizeof(req->raw));
	pipe = r->pipe;
	req->id = r->id;
	req->port = xenusb_pipeportnum(pipe);
	req->devnum = xenusb_pipedevice(pipe);
	req->ep = xenusb_pipeendpoint(pipe);
	req->type = xenusb_pipetype(pipe);
	req->in = xenusb_pipein(pipe);
	req->unlink = xenusb_pipeunlink(pipe);
	req->nr_segs = r->nr_buffer_segs;
	req->nr_desc_segs = req->type == XENUSB_PIPE_TYPE_ISOC ?
			    r->u.isoc.nr_frame_desc_segs : 0;
	req->setup.type = r->u.ctrl[0];
	req->setup.request = r->u.ctrl[1];
	req->setup.value = usbback_le16(&r->u.ctrl[2]);
	req->setup.index = usbback_le16(&r->u.ctrl[4]);
	req->setup.length = usbback_le16(&r->u.ctrl[6]);
	req->short_not_ok = false;
	req->action = USBBACK_ACT_SUBMIT;
}

/**
 * usbback_put_rsp() - write a response into a ring slot
 * @slot: the slot of index rsp_prod_pvt
 * @id: the request's id
 * @status: XENUSB_STATUS_* (usbback_urb_status(), usbback_verdict_status())
 * @actual_length: bytes transferred
 * @error_count: an isochronous request's packets that failed
 * @start_frame: an isochronous request's first frame
 *
 * Publishing it (RING_PUSH_RESPONSES...) is the caller's.
 */
void usbback_put_rsp(void *slot, u16 id, s32 status, u32 actual_length,
		     u32 error_count, u16 start_frame)
{
	struct xenusb_urb_response rsp = {
		.id = id,
		.start_frame = start_frame,
		.status = status,
		.actual_length = actual_length,
		.error_count = error_count,
	};

	xenpv_write_shared(slot, &rsp, sizeof(rsp));
}

/**
 * usbback_check_req_prod() - check the frontend's URB request producer
 * @req_prod: the shared ring's req_prod, read once (and followed by a read
 *	barrier before any slot is read)
 * @req_cons: the backend's req_cons
 * @rsp_prod_pvt: the backend's rsp_prod_pvt
 * @avail: set to the requests that may be consumed now, 0 on any error
 *
 * The frontend may have at most a ring of requests unanswered: no more
 * requests than free response slots.  Inconsistent indexes of our own are
 * a bug: it warns and the ring stops.
 *
 * Return: XENPV_PROD_OK or what is wrong.
 */
enum xenpv_prod_verdict usbback_check_req_prod(RING_IDX req_prod,
					       RING_IDX req_cons,
					       RING_IDX rsp_prod_pvt,
					       unsigned int *avail)
{
	RING_IDX used = req_cons - rsp_prod_pvt;

	*avail = 0;
	if (WARN_ON_ONCE(used > USBBACK_URB_RING_SIZE))
		return XENPV_PROD_OVERRUN;
	return xenpv_check_prod(req_prod, req_cons, USBBACK_URB_RING_SIZE,
				USBBACK_URB_RING_SIZE - used, avail);
}

/**
 * usbback_check_conn_prod() - check the frontend's conn request producer
 * @req_prod: the conn ring's req_prod, read once
 * @req_cons: the backend's req_cons
 * @rsp_prod_pvt: the backend's rsp_prod_pvt
 * @avail: set to the requests that may be consumed now, 0 on any error
 *
 * Conn requests are empty slots for port events; the backend takes one
 * per event it sends, and answers it at once.
 *
 * Return: XENPV_PROD_OK or what is wrong.
 */
enum xenpv_prod_verdict usbback_check_conn_prod(RING_IDX req_prod,
						RING_IDX req_cons,
						RING_IDX rsp_prod_pvt,
						unsigned int *avail)
{
	RING_IDX used = req_cons - rsp_prod_pvt;

	*avail = 0;
	if (WARN_ON_ONCE(used > USBBACK_CONN_RING_SIZE))
		return XENPV_PROD_OVERRUN;
	return xenpv_check_prod(req_prod, req_cons, USBBACK_CONN_RING_SIZE,
				USBBACK_CONN_RING_SIZE - used, avail);
}

/* ---- The controller ---------------------------------------------------------- */

/**
 * usbback_ctrl_init() - a controller with every port empty
 * @ctrl: set up
 * @nr_ports: its ports, 1 to USBBACK_MAX_PORTS
 * @usb_ver: XENUSB_VER_USB11 or XENUSB_VER_USB20
 *
 * Return: 0, or -EINVAL for a port count or version out of range.
 */
int usbback_ctrl_init(struct usbback_ctrl *ctrl, unsigned int nr_ports,
		      unsigned int usb_ver)
{
	memset(ctrl, 0, sizeof(*ctrl));
	if (!nr_ports || nr_ports > USBBACK_MAX_PORTS ||
	    (usb_ver != XENUSB_VER_USB11 && usb_ver != XENUSB_VER_USB20))
		return -EINVAL;
	ctrl->nr_ports = nr_ports;
	ctrl->usb_ver = usb_ver;
	return 0;
}

/**
 * usbback_speed() - the usbif speed of a device on this controller
 * @ctrl: the controller
 * @usb_speed: the device's enum usb_device_speed value (USB_SPEED_*)
 *
 * usbif carries low, full and high speed; a high speed device cannot sit
 * on a USB 1.1 controller, and SuperSpeed on none.
 *
 * Return: XENUSB_SPEED_LOW, _FULL or _HIGH, or -EOPNOTSUPP.
 */
int usbback_speed(const struct usbback_ctrl *ctrl, unsigned int usb_speed)
{
	switch (usb_speed) {
	case USB_SPEED_LOW:
		return XENUSB_SPEED_LOW;
	case USB_SPEED_FULL:
		return XENUSB_SPEED_FULL;
	case USB_SPEED_HIGH:
		if (ctrl->usb_ver >= XENUSB_VER_USB20)
			return XENUSB_SPEED_HIGH;
		return -EOPNOTSUPP;
	default:
		return -EOPNOTSUPP;
	}
}

static bool usbback_port_ok(const struct usbback_ctrl *ctrl, unsigned int port)
{
	return port >= 1 && port <= ctrl->nr_ports;
}

/* Forget the address of @port's device. */
static void usbback_clear_addr(struct usbback_ctrl *ctrl, unsigned int port)
{
	u8 addr = ctrl->port[port].addr;

	if (addr && ctrl->addr_port[addr] == port)
		ctrl->addr_port[addr] = 0;
	ctrl->port[port].addr = 0;
}

/**
 * usbback_port_attach() - a device is now on a port
 * @ctrl: the controller
 * @port: the port
 * @speed: XENUSB_SPEED_LOW, _FULL or _HIGH (usbback_speed())
 *
 * The device starts without an address, as after a reset, and the
 * frontend is to be told (usbback_conn_next()); if it was told of another
 * device on this port and not of its removal, it sees a disconnect first.
 *
 * Return: 0, -EINVAL for a bad port or speed (a bug of the caller: it
 * warns), or -EBUSY if a device is attached to the port already.
 */
int usbback_port_attach(struct usbback_ctrl *ctrl, unsigned int port,
			unsigned int speed)
{
	struct usbback_port *p;

	if (WARN_ON_ONCE(!usbback_port_ok(ctrl, port) ||
			 speed < XENUSB_SPEED_LOW || speed > XENUSB_SPEED_HIGH))
		return -EINVAL;
	p = &ctrl->port[port];
	if (p->speed != XENUSB_SPEED_NONE)
		return -EBUSY;
	usbback_clear_addr(ctrl, port);
	p->speed = speed;
	if (p->reported != XENUSB_SPEED_NONE)
		p->renewed = true;
	ctrl->dirty |= BIT(port);
	return 0;
}

/**
 * usbback_port_detach() - the device has left a port
 * @ctrl: the controller
 * @port: the port
 *
 * Its address is free again and the frontend is to be told.
 *
 * Return: 0, -EINVAL for a bad port (it warns), or -ENODEV if nothing was
 * attached.
 */
int usbback_port_detach(struct usbback_ctrl *ctrl, unsigned int port)
{
	if (WARN_ON_ONCE(!usbback_port_ok(ctrl, port)))
		return -EINVAL;
	if (ctrl->port[port].speed == XENUSB_SPEED_NONE)
		return -ENODEV;
	usbback_clear_addr(ctrl, port);
	ctrl->port[port].speed = XENUSB_SPEED_NONE;
	ctrl->dirty |= BIT(port);
	return 0;
}

/**
 * usbback_set_address() - the frontend's SET_ADDRESS for a port's device
 * @ctrl: the controller
 * @port: the port, with a device attached
 * @addr: the new address, 0 for none
 *
 * The USB device keeps the address dom0's USB core gave it; the backend
 * keeps this table to know which device the frontend means.
 *
 * Return: 0; -EINVAL for an address beyond 127 or one another port's
 * device has, -ENODEV for a port without a device.
 */
int usbback_set_address(struct usbback_ctrl *ctrl, unsigned int port,
			unsigned int addr)
{
	if (!usbback_port_ok(ctrl, port) ||
	    ctrl->port[port].speed == XENUSB_SPEED_NONE)
		return -ENODEV;
	if (addr > USBBACK_MAX_ADDR ||
	    (addr && ctrl->addr_port[addr] && ctrl->addr_port[addr] != port))
		return -EINVAL;
	usbback_clear_addr(ctrl, port);
	ctrl->port[port].addr = addr;
	if (addr)
		ctrl->addr_port[addr] = port;
	return 0;
}

/* ---- Port events --------------------------------------------------------------- */

/**
 * usbback_conn_replay() - a frontend (re)connected: tell it everything
 * @ctrl: the controller
 *
 * A new frontend knows of no device: each attached port is to be
 * reported, as libxl may have attached devices long before the frontend
 * existed.
 */
void usbback_conn_replay(struct usbback_ctrl *ctrl)
{
	unsigned int port;

	ctrl->dirty = 0;
	for (port = 1; port <= ctrl->nr_ports; port++) {
		ctrl->port[port].reported = XENUSB_SPEED_NONE;
		ctrl->port[port].renewed = false;
		if (ctrl->port[port].speed != XENUSB_SPEED_NONE)
			ctrl->dirty |= BIT(port);
	}
}

/**
 * usbback_conn_pending() - is a port event waiting to be sent?
 * @ctrl: the controller
 *
 * Return: true if usbback_conn_next() has an event.
 */
bool usbback_conn_pending(const struct usbback_ctrl *ctrl)
{
	return ctrl->dirty != 0;
}

/**
 * usbback_conn_next() - the next port event to send on the conn ring
 * @ctrl: the controller
 * @ev: set to the event
 *
 * The events bring the frontend's view of each port to the port's state,
 * whatever happened in between: a device replaced by another shows as a
 * disconnect then a connect, a device attached and removed before the
 * frontend heard of it shows as nothing.  The caller sends @ev and must
 * not drop it: the frontend is taken to know it.
 *
 * Return: true with @ev set, false if there is nothing to send.
 */
bool usbback_conn_next(struct usbback_ctrl *ctrl,
		       struct usbback_conn_event *ev)
{
	struct usbback_port *p;
	unsigned int port;

	while (ctrl->dirty) {
		port = __ffs(ctrl->dirty);
		p = &ctrl->port[port];
		if (p->reported != XENUSB_SPEED_NONE &&
		    (p->renewed || p->speed != p->reported)) {
			/* The device it knows is gone: a disconnect first. */
			p->reported = XENUSB_SPEED_NONE;
			p->renewed = false;
			*ev = (struct usbback_conn_event){ port, XENUSB_SPEED_NONE };
			if (p->speed == XENUSB_SPEED_NONE)
				ctrl->dirty &= ~BIT(port);
			return true;
		}
		ctrl->dirty &= ~BIT(port);
		p->renewed = false;
		if (p->speed != p->reported) {
			p->reported = p->speed;
			*ev = (struct usbback_conn_event){ port, p->speed };
			return true;
		}
	}
	return false;
}

/* ---- Request checks ---------------------------------------------------------- */

/* Is @req a standard request of the given type and number? */
static bool usbback_is_std(const struct usbback_req *req, u8 type, u8 request)
{
	return req->setup.type == type && req->setup.request == request;
}

/* What the backend does with a control request that passed the checks. */
static enum usbback_verdict usbback_ctrl_action(const struct usbback_ctrl *ctrl,
						const struct usbback_eps *eps,
						struct usbback_req *req,
						struct usbback_bad *bad)
{
	unsigned int v = req->setup.value;

	if (req->ep != 0)
		return USBBACK_REQ_OK;
	if (usbback_is_std(req, USB_DIR_OUT, USB_REQ_SET_ADDRESS)) {
		bad->value = v;
		bad->limit = USBBACK_MAX_ADDR;
		if (v > USBBACK_MAX_ADDR ||
		    (v && ctrl->addr_port[v] && ctrl->addr_port[v] != req->port))
			return USBBACK_REQ_BAD_NEW_ADDR;
		req->action = USBBACK_ACT_SET_ADDRESS;
	} else if (usbback_is_std(req, USB_DIR_OUT, USB_REQ_SET_CONFIGURATION)) {
		bad->value = v;
		bad->limit = eps->config;
		if (v && v != eps->config)
			return USBBACK_REQ_NEW_CONFIG;
		req->action = USBBACK_ACT_SET_CONFIG;
	} else if (usbback_is_std(req, USB_DIR_OUT | USB_RECIP_INTERFACE,
				  USB_REQ_SET_INTERFACE)) {
		req->action = USBBACK_ACT_SET_INTERFACE;
	} else if (usbback_is_std(req, USB_DIR_OUT | USB_RECIP_ENDPOINT,
				  USB_REQ_CLEAR_FEATURE) &&
		   v == USB_ENDPOINT_HALT) {
		req->action = USBBACK_ACT_CLEAR_HALT;
	}
	return USBBACK_REQ_OK;
}

/* The pipe against the port, its device, its address and its endpoint. */
static enum usbback_verdict usbback_check_pipe(const struct usbback_ctrl *ctrl,
					       const struct usbback_eps *eps,
					       const struct usbback_req *req,
					       struct usbback_bad *bad)
{
	const struct usbback_port *p;
	u8 type;

	bad->value = req->port;
	bad->limit = ctrl->nr_ports;
	if (!usbback_port_ok(ctrl, req->port))
		return USBBACK_REQ_BAD_PORT;
	p = &ctrl->port[req->port];
	if (p->speed == XENUSB_SPEED_NONE || !eps)
		return USBBACK_REQ_NO_DEVICE;
	/*
	 * Address 0 is the default one, the port's device's after a reset
	 * (the frontend resets its virtual ports on its own), where only
	 * endpoint 0 works.
	 */
	bad->value = req->devnum;
	bad->limit = p->addr;
	if (req->devnum ? req->devnum != p->addr : req->ep != 0)
		return USBBACK_REQ_BAD_ADDR;
	bad->value = req->ep;
	type = eps->type[req->in][req->ep];
	if (req->ep == 0)
		type = XENUSB_PIPE_TYPE_CTRL;
	if (type == USBBACK_EP_NONE)
		return USBBACK_REQ_NO_ENDPOINT;
	bad->limit = type;
	if (type != req->type)
		return USBBACK_REQ_WRONG_TYPE;
	return USBBACK_REQ_OK;
}

/*
 * Segments [@first, @first + @nr): each within its frame, not empty,
 * together @len bytes.
 */
static enum usbback_verdict usbback_check_segs(const struct usbback_req *req,
					       unsigned int first,
					       unsigned int nr, u32 len,
					       struct usbback_bad *bad)
{
	const struct xenusb_request_segment *seg;
	u32 sum = 0;
	unsigned int i;

	for (i = first; i < first + nr; i++) {
		seg = &req->raw.seg[i];
		bad->seg = i;
		bad->value = seg->offset + seg->length;
		bad->limit = USBBACK_GRANT_SIZE;
		if (bad->value > USBBACK_GRANT_SIZE)
			return USBBACK_REQ_SEG_BEYOND_FRAME;
		if (!seg->length)
			return USBBACK_REQ_SEG_EMPTY;
		sum += seg->length;
	}
	bad->value = sum;
	bad->limit = len;
	return sum == len ? USBBACK_REQ_OK : USBBACK_REQ_LENGTH;
}

/* An isochronous request's packets and descriptor segments. */
static enum usbback_verdict usbback_check_iso_req(const struct usbback_req *req,
						  struct usbback_bad *bad)
{
	unsigned int n = req->raw.u.isoc.number_of_packets;

	bad->value = n;
	bad->limit = USBBACK_MAX_ISO_PACKETS;
	if (!n || n > USBBACK_MAX_ISO_PACKETS)
		return USBBACK_REQ_ISO_PACKETS;
	if (usbback_check_segs(req, req->nr_segs, req->nr_desc_segs,
			       n * XENPV_USB_ISO_DESC_SIZE, bad))
		return USBBACK_REQ_ISO_DESCS;
	return USBBACK_REQ_OK;
}

/* A control request's setup packet against its pipe and buffer. */
static enum usbback_verdict usbback_check_setup(struct usbback_req *req,
						struct usbback_bad *bad)
{
	bool in = (req->setup.type & USB_DIR_IN) && req->setup.length;

	bad->value = req->setup.length;
	bad->limit = req->raw.buffer_length;
	if (req->setup.length != req->raw.buffer_length)
		return USBBACK_REQ_CTRL_LENGTH;
	/* Without a data stage the direction is moot: it goes out. */
	bad->value = req->in;
	bad->limit = in;
	if (req->setup.length && req->in != in)
		return USBBACK_REQ_CTRL_DIR;
	req->in = in;
	return USBBACK_REQ_OK;
}

/*
 * The transfer's length.  buffer_length has 16 bits, and Linux's xen-hcd
 * sends a bulk or interrupt transfer of 64 KiB (16 full segments) as 0:
 * such a request is taken at 64 KiB when its segments hold that much (a
 * control request's wLength has 16 bits too, so it never needs it).
 */
static u32 usbback_req_length(const struct usbback_req *req)
{
	u32 sum = 0;
	unsigned int i;

	if (req->raw.buffer_length || req->nr_segs > USBBACK_MAX_SEGS ||
	    (req->type != XENUSB_PIPE_TYPE_BULK &&
	     req->type != XENUSB_PIPE_TYPE_INT))
		return req->raw.buffer_length;
	for (i = 0; i < req->nr_segs; i++)
		sum += req->raw.seg[i].length;
	return sum == XENPV_USB_MAX_LENGTH ? sum : 0;
}

/**
 * usbback_check_req() - check a request against the controller
 * @ctrl: the controller's state
 * @eps: the endpoints of the device on the request's port, NULL if the
 *	port has no device
 * @req: the request from usbback_get_req(); its @length, @action and
 *	(control) @in are set here
 * @bad: filled in with the details when the check fails
 *
 * An unlink request is checked only for its id (usbback_inflight_find()
 * is the caller's): Linux's frontend leaves the rest of the slot as the
 * last request with that id had it.  A data request is checked against
 * the port, the device's address, its endpoints, the segments (each
 * within its frame, not empty, together buffer_length bytes), and by
 * kind: a control request's setup packet against its length and
 * direction, an isochronous request's packets against its descriptor
 * segments.  The frontend's transfer flags are kept only where they mean
 * something (@short_not_ok).
 *
 * Return: USBBACK_REQ_OK or the first check that failed.
 */
enum usbback_verdict usbback_check_req(const struct usbback_ctrl *ctrl,
				       const struct usbback_eps *eps,
				       struct usbback_req *req,
				       struct usbback_bad *bad)
{
	enum usbback_verdict v;

	memset(bad, 0, sizeof(*bad));
	req->length = usbback_req_length(req);
	if (req->unlink) {
		req->action = USBBACK_ACT_UNLINK;
		return USBBACK_REQ_OK;
	}
	bad->value = req->nr_segs + req->nr_desc_segs;
	bad->limit = USBBACK_MAX_SEGS;
	if (req->nr_segs + req->nr_desc_segs > USBBACK_MAX_SEGS)
		v = USBBACK_REQ_TOO_MANY_SEGS;
	else
		v = usbback_check_segs(req, 0, req->nr_segs, req->length, bad);
	if (!v && req->type == XENUSB_PIPE_TYPE_ISOC)
		v = usbback_check_iso_req(req, bad);
	if (!v && req->type == XENUSB_PIPE_TYPE_CTRL)
		v = usbback_check_setup(req, bad);
	if (!v)
		v = usbback_check_pipe(ctrl, eps, req, bad);
	if (!v && req->type == XENUSB_PIPE_TYPE_CTRL)
		v = usbback_ctrl_action(ctrl, eps, req, bad);
	/*
	 * Only for IN, and not isochronous: the USB core warns on an URB
	 * with the flag anywhere else, and a frontend must not make dom0
	 * warn at will.
	 */
	req->short_not_ok = !v && req->in && req->type != XENUSB_PIPE_TYPE_ISOC &&
			    (req->raw.transfer_flags & XENUSB_SHORT_NOT_OK);
	bad->verdict = v;
	return v;
}

/**
 * usbback_check_iso() - check an isochronous request's packets
 * @req: the request, passed by usbback_check_req()
 * @descs: its number_of_packets descriptors, copied out of the frontend's
 *	descriptor segments (only this copy is used afterwards)
 * @bad: filled in with the details when the check fails
 *
 * Each packet must lie within the transfer buffer.
 *
 * Return: USBBACK_REQ_OK or USBBACK_REQ_ISO_PACKET.
 */
enum usbback_verdict usbback_check_iso(const struct usbback_req *req,
				       const struct xenpv_usb_iso_desc *descs,
				       struct usbback_bad *bad)
{
	unsigned int i, n = req->raw.u.isoc.number_of_packets;
	u64 end;

	memset(bad, 0, sizeof(*bad));
	for (i = 0; i < n; i++) {
		end = (u64)descs[i].offset + descs[i].length;
		if (end > req->raw.buffer_length) {
			bad->verdict = USBBACK_REQ_ISO_PACKET;
			bad->seg = i;
			bad->value = end;
			bad->limit = req->raw.buffer_length;
			return USBBACK_REQ_ISO_PACKET;
		}
	}
	return USBBACK_REQ_OK;
}

/* Per verdict: its words, its response status, whether it is fatal. */
static const struct {
	const char *str;
	s32 status;
	bool fatal;
} usbback_verdicts[] = {
	[USBBACK_REQ_OK] = { "ok", XENUSB_STATUS_OK, false },
	[USBBACK_REQ_BAD_PORT] = { "no such port", XENUSB_STATUS_NODEV, false },
	[USBBACK_REQ_NO_DEVICE] = { "no device on the port",
				    XENUSB_STATUS_NODEV, false },
	[USBBACK_REQ_BAD_ADDR] = { "device address not the port's",
				   XENUSB_STATUS_NODEV, false },
	[USBBACK_REQ_NO_ENDPOINT] = { "no such endpoint", XENUSB_STATUS_INVAL,
				      false },
	[USBBACK_REQ_WRONG_TYPE] = { "pipe type not the endpoint's",
				     XENUSB_STATUS_INVAL, false },
	[USBBACK_REQ_TOO_MANY_SEGS] = { "too many segments",
					XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_SEG_BEYOND_FRAME] = { "segment beyond its frame",
					   XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_SEG_EMPTY] = { "empty segment", XENUSB_STATUS_INVAL,
				    true },
	[USBBACK_REQ_LENGTH] = { "segments not the buffer's length",
				 XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_CTRL_LENGTH] = { "wLength not the buffer's length",
				      XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_CTRL_DIR] = { "pipe direction not the setup packet's",
				   XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_ISO_PACKETS] = { "bad isochronous packet count",
				      XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_ISO_DESCS] = { "descriptor segments not the packets'",
				    XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_ISO_PACKET] = { "iso packet beyond the buffer",
				     XENUSB_STATUS_INVAL, true },
	[USBBACK_REQ_BAD_NEW_ADDR] = { "bad SET_ADDRESS", XENUSB_STATUS_INVAL,
				       false },
	[USBBACK_REQ_NEW_CONFIG] = { "SET_CONFIGURATION to another configuration",
				     XENUSB_STATUS_STALL, false },
	[USBBACK_REQ_UNLINK_UNKNOWN] = { "unlink of an id not in flight",
					 XENUSB_STATUS_INVAL, false },
	[USBBACK_REQ_DUP_ID] = { "id already in flight", XENUSB_STATUS_INVAL,
				 true },
	[USBBACK_REQ_INTERNAL] = { "internal error", XENUSB_STATUS_SHUTDOWN,
				   false },
};

static_assert(ARRAY_SIZE(usbback_verdicts) == USBBACK_REQ_INTERNAL + 1);

/**
 * usbback_verdict_status() - the response status for a verdict
 * @v: the verdict
 *
 * Return: XENUSB_STATUS_NODEV when the request names no attached device,
 * _STALL for a configuration change the device refuses, _INVAL for a
 * malformed request, _SHUTDOWN for an unknown verdict.
 */
s32 usbback_verdict_status(enum usbback_verdict v)
{
	if ((unsigned int)v >= ARRAY_SIZE(usbback_verdicts))
		return XENUSB_STATUS_SHUTDOWN;
	return usbback_verdicts[v].status;
}

/**
 * usbback_verdict_fatal() - does a verdict break the protocol?
 * @v: the verdict
 *
 * Return: true if the frontend is to lose its controller over it.
 */
bool usbback_verdict_fatal(enum usbback_verdict v)
{
	return (unsigned int)v < ARRAY_SIZE(usbback_verdicts) &&
	       usbback_verdicts[v].fatal;
}

/**
 * usbback_verdict_str() - a verdict in words
 * @v: the verdict
 *
 * Return: a constant string.
 */
const char *usbback_verdict_str(enum usbback_verdict v)
{
	if ((unsigned int)v >= ARRAY_SIZE(usbback_verdicts))
		return "unknown";
	return usbback_verdicts[v].str;
}

/**
 * usbback_bad_str() - one log line's worth on a refused request
 * @req: the request
 * @bad: what usbback_check_req() or usbback_check_iso() found
 * @buf: the text, "request ID (port P dev D ep E): WHAT (VALUE, limit
 *	LIMIT)", the segment or packet named where it matters
 * @size: room in @buf
 *
 * Return: the length written, as snprintf().
 */
int usbback_bad_str(const struct usbback_req *req,
		    const struct usbback_bad *bad, char *buf, size_t size)
{
	const char *what = usbback_verdict_str(bad->verdict);

	switch (bad->verdict) {
	case USBBACK_REQ_SEG_BEYOND_FRAME:
	case USBBACK_REQ_SEG_EMPTY:
	case USBBACK_REQ_ISO_PACKET:
		return snprintf(buf, size,
				"request %u (port %u dev %u ep %u): %s %u (%llu, limit %llu)",
				req->id, req->port, req->devnum, req->ep, what,
				bad->seg, (unsigned long long)bad->value,
				(unsigned long long)bad->limit);
	default:
		return snprintf(buf, size,
				"request %u (port %u dev %u ep %u): %s (%llu, limit %llu)",
				req->id, req->port, req->devnum, req->ep, what,
				(unsigned long long)bad->value,
				(unsigned long long)bad->limit);
	}
}

/**
 * usbback_urb_status() - the response status of an ended URB
 * @status: the URB's status, 0 or a negative errno from the USB core
 *
 * usbif's statuses are Linux errnos, and the frontends know only these
 * few: the others are mapped to the nearest one.
 *
 * Return: XENUSB_STATUS_*.
 */
s32 usbback_urb_status(int status)
{
	switch (status) {
	case 0:
		return XENUSB_STATUS_OK;
	case -EPIPE:
		return XENUSB_STATUS_STALL;
	case -EOVERFLOW:
		return XENUSB_STATUS_BABBLE;
	case -EPROTO:
	case -EILSEQ:
	case -ETIME:
	case -ETIMEDOUT:
	case -ENOSR:
	case -ECOMM:
	case -EREMOTEIO:
	case -EXDEV:
		return XENUSB_STATUS_IOERROR;
	case -EINVAL:
	case -EMSGSIZE:
	case -EFBIG:
		return XENUSB_STATUS_INVAL;
	case -ENODEV:
	case -EHOSTUNREACH:
		return XENUSB_STATUS_NODEV;
	default:
		/* Unlinked, killed, or the device or controller gone. */
		return XENUSB_STATUS_SHUTDOWN;
	}
}

/* ---- Requests in flight ------------------------------------------------------ */

/**
 * usbback_inflight_find() - the slot of a request in flight
 * @f: the table
 * @id: the request's id
 *
 * Return: the slot, or -ENOENT if no request with @id is in flight.
 */
int usbback_inflight_find(const struct usbback_inflight *f, u16 id)
{
	unsigned int slot;

	for (slot = 0; slot < USBBACK_URB_RING_SIZE; slot++)
		if ((f->busy & BIT(slot)) && f->id[slot] == id)
			return slot;
	return -ENOENT;
}

/**
 * usbback_inflight_add() - a request with this id is now in flight
 * @f: the table
 * @id: the request's id
 *
 * Return: its slot; -EEXIST if a request with @id is in flight already
 * (a protocol violation), -ENOSPC if every slot is busy (a bug of the
 * caller, which checks the producer first: it warns).
 */
int usbback_inflight_add(struct usbback_inflight *f, u16 id)
{
	unsigned int slot;

	if (usbback_inflight_find(f, id) >= 0)
		return -EEXIST;
	if (WARN_ON_ONCE(f->busy == GENMASK(USBBACK_URB_RING_SIZE - 1, 0)))
		return -ENOSPC;
	slot = __ffs(~f->busy);
	f->busy |= BIT(slot);
	f->id[slot] = id;
	return slot;
}

/**
 * usbback_inflight_del() - a request is answered
 * @f: the table
 * @slot: its slot, from usbback_inflight_add()
 *
 * A slot not busy is a bug of the caller: it warns.
 */
void usbback_inflight_del(struct usbback_inflight *f, unsigned int slot)
{
	if (WARN_ON_ONCE(slot >= USBBACK_URB_RING_SIZE ||
			 !(f->busy & BIT(slot))))
		return;
	f->busy &= ~BIT(slot);
}

/**
 * usbback_inflight_count() - requests in flight
 * @f: the table
 *
 * Return: the count.
 */
unsigned int usbback_inflight_count(const struct usbback_inflight *f)
{
	return hweight32(f->busy);
}

/* ---- Grant copies ------------------------------------------------------------- */

/**
 * usbback_plan_copy() - the grant copies between segments and a buffer
 * @segs: the request's segments, checked by usbback_check_req()
 * @first: the first segment to copy
 * @nr: how many
 * @limit: copy at most this many bytes (what a device returned)
 * @ops: filled in, room for USBBACK_MAX_COPIES
 *
 * The segments follow each other in a buffer that starts on a 4 KiB
 * boundary; a copy stays within one 4 KiB frame on either side, so a
 * segment that crosses a boundary of the buffer's frames takes two.
 *
 * Return: the number of copies, 0 for none.
 */
unsigned int usbback_plan_copy(const struct xenusb_request_segment *segs,
			       unsigned int first, unsigned int nr,
			       u32 limit, struct usbback_copy *ops)
{
	unsigned int i, n = 0, done, len;
	u32 pos = 0;

	if (WARN_ON_ONCE(first > USBBACK_MAX_SEGS ||
			 nr > USBBACK_MAX_SEGS - first))
		return 0;
	for (i = first; i < first + nr && pos < limit; i++) {
		for (done = 0; done < segs[i].length && pos < limit;) {
			len = min3(segs[i].length - done,
				   USBBACK_GRANT_SIZE - pos % USBBACK_GRANT_SIZE,
				   limit - pos);
			if (WARN_ON_ONCE(n == USBBACK_MAX_COPIES))
				return n;
			ops[n++] = (struct usbback_copy){
				.seg = i,
				.seg_off = segs[i].offset + done,
				.buf_off = pos,
				.len = len,
			};
			done += len;
			pos += len;
		}
	}
	return n;
}
