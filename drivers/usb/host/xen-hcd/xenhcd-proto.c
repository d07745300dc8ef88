// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protocol core of the Xen PV USB frontend: buffers to grant frames,
 * request encoding, the checks of responses, isochronous results and
 * port events, and the virtual root hub's ports.
 *
 * Pure logic (see xenhcd-proto.h): it runs in the kernel, in the
 * userspace tests and in a fuzzer.  Everything the backend wrote is
 * checked before use and a bad value is reported to the caller; only bugs
 * of the frontend itself warn.
 */

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "xenhcd-proto.h"

/* ---- The controller's states and counters -------------------------------- */

/*
 * Each state, and the states it may move to:
 *
 *	wait-backend	the backend is ready, the rings are published: connected
 *	connected	the backend breaks the protocol: broken
 *	any		the backend closes, or the device goes: closed
 */
static const struct xenpv_state xenhcd_state_table[XH_NR_STATES] = {
	[XH_WAIT_BACKEND] = { "wait-backend", BIT(XH_CONNECTED) | BIT(XH_CLOSED) },
	[XH_CONNECTED]	  = { "connected", BIT(XH_BROKEN) | BIT(XH_CLOSED) },
	[XH_BROKEN]	  = { "broken", BIT(XH_CLOSED) },
	[XH_CLOSED]	  = { "closed", BIT(XH_WAIT_BACKEND) },
};

XENPV_STATES(xenhcd_states, xenhcd_state_table, "backend");

/* The counters: statistics/ in sysfs shows the flagged ones. */
const struct xenpv_stat xenhcd_stat_desc[XENHCD_NR_STATS] = {
	[XENHCD_STAT_URBS]		= { "urbs", XENPV_STAT_SYSFS },
	[XENHCD_STAT_UNLINKS]		= { "unlinks", XENPV_STAT_SYSFS },
	[XENHCD_STAT_QUEUED]		= { "queued", XENPV_STAT_SYSFS },
	[XENHCD_STAT_URB_ERR]		= { "urb_err", XENPV_STAT_SYSFS },
	[XENHCD_STAT_BYTES]		= { "bytes", XENPV_STAT_SYSFS },
	[XENHCD_STAT_CONN_EVENTS]	= { "conn_events", 0 },
	[XENHCD_STAT_IRQS]		= { "irqs", 0 },
	[XENHCD_STAT_NOTIFY]		= { "notify", 0 },
};

/* ---- Requests ----------------------------------------------------------------- */

/* Linux's pipe has usbif's layout, less the port (<linux/usb.h>). */
#define XENHCD_URB_PIPE_IN	0x80u

/**
 * xenhcd_plan_buffer() - the grant frames a buffer spans
 * @addr: the buffer's address (only its offset in a 4 KiB frame matters)
 * @len: its length in bytes
 * @c: filled in, one part per frame
 * @max: room in @c
 *
 * Return: the number of parts (0 for an empty buffer), or -E2BIG if the
 * buffer spans more than @max frames.
 */
int xenhcd_plan_buffer(unsigned long addr, u32 len, struct xenhcd_chunk *c,
		       unsigned int max)
{
	unsigned int off = addr & (XENPV_USB_GRANT_SIZE - 1), n = 0;
	u32 pos = 0, chunk;

	while (pos < len) {
		if (n == max)
			return -E2BIG;
		chunk = min_t(u32, len - pos, XENPV_USB_GRANT_SIZE - off);
		c[n++] = (struct xenhcd_chunk){ .pos = pos, .offset = off,
						.len = chunk };
		pos += chunk;
		off = 0;
	}
	return n;
}

/**
 * xenhcd_pipe() - the usbif pipe of an URB
 * @urb_pipe: the URB's pipe (Linux's encoding)
 * @port: the root hub port of its device, 1 to 31
 *
 * Return: the pipe with port, direction, device, endpoint and type.
 */
u32 xenhcd_pipe(unsigned int urb_pipe, unsigned int port)
{
	u32 pipe = (urb_pipe >> 30 & XENUSB_PIPE_TYPE_MASK) <<
		   XENUSB_PIPE_TYPE_SHIFT;

	pipe |= (urb_pipe >> 15 & XENUSB_PIPE_EP_MASK) << XENUSB_PIPE_EP_SHIFT;
	pipe |= (urb_pipe >> 8 & XENUSB_PIPE_DEV_MASK) << XENUSB_PIPE_DEV_SHIFT;
	if (urb_pipe & XENHCD_URB_PIPE_IN)
		pipe |= XENUSB_PIPE_DIR;
	return pipe | (port & XENUSB_PIPE_PORT_MASK);
}

/**
 * xenhcd_encode() - write an URB's request into a ring slot
 * @req: the slot (written once, whole)
 * @u: the URB's request
 *
 * A bulk or interrupt transfer of 64 KiB goes with buffer_length 0, as
 * Linux's xen-hcd sends it (XENPV_USB_MAX_LENGTH).
 *
 * Return: 0, or -E2BIG for more segments or bytes than a request carries
 * (the caller's bug: it warns).
 */
int xenhcd_encode(struct xenusb_urb_request *req, const struct xenhcd_urb *u)
{
	unsigned int i, nsegs = u->nr_segs + u->nr_desc_segs;
	struct xenusb_urb_request r;

	if (WARN_ON_ONCE(nsegs > XENPV_USB_MAX_SEGS ||
			 u->length > XENPV_USB_MAX_LENGTH ||
			 (u->length > U16_MAX &&
			  xenusb_pipetype(u->pipe) != XENUSB_PIPE_TYPE_BULK &&
			  xenusb_pipetype(u->pipe) != XENUSB_PIPE_TYPE_INT)))
		return -E2BIG;
	memset(&r, 0, sizeof(r));
	r.id = u->id;
	r.nr_buffer_segs = u->nr_segs;
	r.pipe = u->pipe;
	r.transfer_flags = u->short_not_ok ? XENUSB_SHORT_NOT_OK : 0;
	r.buffer_length = (u16)u->length;	/* 64 KiB goes as 0 */
	switch (xenusb_pipetype(u->pipe)) {
	case XENUSB_PIPE_TYPE_CTRL:
		memcpy(r.u.ctrl, u->setup, sizeof(r.u.ctrl));
		break;
	case XENUSB_PIPE_TYPE_ISOC:
		r.u.isoc.interval = u->interval;
		r.u.isoc.start_frame = u->start_frame;
		r.u.isoc.number_of_packets = u->nr_packets;
		r.u.isoc.nr_frame_desc_segs = u->nr_desc_segs;
		break;
	case XENUSB_PIPE_TYPE_INT:
		r.u.intr.interval = u->interval;
		break;
	default:
		break;
	}
	for (i = 0; i < nsegs; i++) {
		r.seg[i].gref = u->grefs[i];
		r.seg[i].offset = u->chunks[i].offset;
		r.seg[i].length = u->chunks[i].len;
	}
	xenpv_write_shared(req, &r, sizeof(r));
	return 0;
}

/**
 * xenhcd_encode_unlink() - write an unlink request into a ring slot
 * @req: the slot (written once, whole)
 * @id: the unlink request's own id
 * @pipe: the pipe of the URB to cancel
 * @unlink_id: the id of the URB's request
 */
void xenhcd_encode_unlink(struct xenusb_urb_request *req, u16 id, u32 pipe,
			  u16 unlink_id)
{
	struct xenusb_urb_request r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.pipe = pipe | XENUSB_PIPE_UNLINK;
	r.u.unlink.unlink_id = unlink_id;
	xenpv_write_shared(req, &r, sizeof(r));
}

/* ---- Responses ------------------------------------------------------------------ */

static const char *const xenhcd_verdict_names[] = {
	[XENHCD_RSP_OK]			= "ok",
	[XENHCD_RSP_PROD_BACKWARDS]	= "producer index moved backwards",
	[XENHCD_RSP_PROD_OVERRUN]	= "producer index more than a ring ahead",
	[XENHCD_RSP_PROD_UNASKED]	= "more responses than requests",
	[XENHCD_RSP_BAD_ID]		= "response id out of range",
	[XENHCD_RSP_STALE_ID]		= "response id not in flight",
	[XENHCD_RSP_LENGTH]		= "actual_length beyond the buffer",
	[XENHCD_RSP_ERROR_COUNT]	= "error_count beyond the packets",
	[XENHCD_RSP_STATUS]		= "positive status",
	[XENHCD_RSP_ISO_LENGTH]		= "packet actual_length beyond its length",
	[XENHCD_RSP_ISO_STATUS]		= "packet status not an errno",
	[XENHCD_RSP_PORT]		= "port event for no such port",
	[XENHCD_RSP_SPEED]		= "port event with a bad speed",
};

/* The producer verdicts are xenpv's, in the same order. */
static_assert(XENHCD_RSP_PROD_BACKWARDS == (int)XENPV_PROD_BACKWARDS &&
	      XENHCD_RSP_PROD_UNASKED == (int)XENPV_PROD_UNASKED);

/**
 * xenhcd_verdict_str() - a verdict in words, for the one log line
 * @v: the verdict
 *
 * Return: a constant string.
 */
const char *xenhcd_verdict_str(enum xenhcd_verdict v)
{
	return XENPV_NAME(xenhcd_verdict_names, v);
}

/**
 * xenhcd_check_prod() - check a producer index the backend wrote
 * @prod: rsp_prod of the URB or conn ring, read once (a read barrier
 *	follows before any slot is read)
 * @cons: our rsp_cons
 * @ring_size: the ring's slots
 * @outstanding: requests on the ring not answered yet
 * @avail: set to the responses that may be consumed now, 0 on any error
 *
 * Return: XENHCD_RSP_OK or the producer verdict.
 */
enum xenhcd_verdict xenhcd_check_prod(RING_IDX prod, RING_IDX cons,
				      unsigned int ring_size,
				      unsigned int outstanding,
				      unsigned int *avail)
{
	return (enum xenhcd_verdict)xenpv_check_prod(prod, cons, ring_size,
						     outstanding, avail);
}

/**
 * xenhcd_get_rsp() - copy one response out of its ring slot, once
 * @rsp: the private copy, the only one looked at afterwards
 * @slot: the slot
 */
void xenhcd_get_rsp(struct xenusb_urb_response *rsp, const void *slot)
{
	xenpv_copy_shared(rsp, slot, sizeof(*rsp));
}

/**
 * xenhcd_check_rsp() - check a response against the request it answers
 * @ids: the ring's ids; a submit's op is XENHCD_OP_SUBMIT, an unlink's
 *	XENHCD_OP_UNLINK
 * @sent: what each id's request asked for, indexed by id
 * @rsp: the private copy of the response
 *
 * An unlink's response says nothing more: only its id counts.  Changes
 * nothing.
 *
 * Return: XENHCD_RSP_OK or what is wrong.
 */
enum xenhcd_verdict xenhcd_check_rsp(const struct xenpv_ids *ids,
				     const struct xenhcd_sent *sent,
				     const struct xenusb_urb_response *rsp)
{
	const struct xenpv_id *e;
	const struct xenhcd_sent *s;

	if (rsp->id >= ids->size)
		return XENHCD_RSP_BAD_ID;
	e = xenpv_id_entry(ids, rsp->id);
	if (!e)
		return XENHCD_RSP_STALE_ID;
	if (e->op == XENHCD_OP_UNLINK)
		return XENHCD_RSP_OK;
	s = &sent[rsp->id];
	/* usbif has them signed: a negative one is out of range too. */
	if ((u32)rsp->actual_length > s->length)
		return XENHCD_RSP_LENGTH;
	if ((u32)rsp->error_count > s->nr_packets)
		return XENHCD_RSP_ERROR_COUNT;
	if (rsp->status > 0)
		return XENHCD_RSP_STATUS;
	return XENHCD_RSP_OK;
}

/**
 * xenhcd_complete_rsp() - check a response and free its id
 * @ids: the ring's ids
 * @sent: what each id's request asked for
 * @rsp: the private copy of the response
 * @done: filled in when the response is good
 *
 * Return: XENHCD_RSP_OK with the id free again, or what is wrong with
 * nothing changed.
 */
enum xenhcd_verdict xenhcd_complete_rsp(struct xenpv_ids *ids,
					const struct xenhcd_sent *sent,
					const struct xenusb_urb_response *rsp,
					struct xenhcd_done *done)
{
	enum xenhcd_verdict v = xenhcd_check_rsp(ids, sent, rsp);
	const struct xenpv_id *e;

	if (v)
		return v;
	e = xenpv_id_entry(ids, rsp->id);
	*done = (struct xenhcd_done){
		.id = rsp->id,
		.op = e->op,
		.priv = e->priv,
	};
	if (e->op == XENHCD_OP_SUBMIT) {
		done->status = xenhcd_status(rsp->status);
		done->actual_length = rsp->actual_length;
		done->error_count = rsp->error_count;
		done->start_frame = rsp->start_frame;
	}
	xenpv_id_put(ids, rsp->id);
	return XENHCD_RSP_OK;
}

/**
 * xenhcd_status() - the URB status of a response's status
 * @status: XENUSB_STATUS_*, 0 or negative (checked)
 *
 * Return: 0 or a negative errno, as the USB core knows them; -EPROTO for
 * a status usbif does not name.
 */
int xenhcd_status(s32 status)
{
	switch (status) {
	case XENUSB_STATUS_OK:
		return 0;
	case XENUSB_STATUS_NODEV:
		return -ENODEV;
	case XENUSB_STATUS_INVAL:
		return -EINVAL;
	case XENUSB_STATUS_STALL:
		return -EPIPE;
	case XENUSB_STATUS_IOERROR:
		return -EPROTO;
	case XENUSB_STATUS_BABBLE:
		return -EOVERFLOW;
	case XENUSB_STATUS_SHUTDOWN:
		return -ESHUTDOWN;
	default:
		return -EPROTO;
	}
}

/**
 * xenhcd_iso_packet() - one isochronous packet's result from the backend
 * @back: the packet's descriptor as the backend left it (shared; read
 *	once)
 * @length: the packet's length as we sent it (ours: the backend may have
 *	rewritten its copy)
 * @actual: set to the bytes the packet carried
 * @status: set to its status, 0 or a negative errno
 *
 * Return: XENHCD_RSP_OK, or XENHCD_RSP_ISO_LENGTH / _ISO_STATUS with
 * nothing set.
 */
enum xenhcd_verdict xenhcd_iso_packet(const struct xenpv_usb_iso_desc *back,
				      u32 length, u32 *actual, int *status)
{
	struct xenpv_usb_iso_desc d;

	xenpv_copy_shared(&d, back, sizeof(d));
	if (d.actual_length > length)
		return XENHCD_RSP_ISO_LENGTH;
	if (d.status > 0 || d.status < -MAX_ERRNO)
		return XENHCD_RSP_ISO_STATUS;
	*actual = d.actual_length;
	*status = d.status;
	return XENHCD_RSP_OK;
}

/* ---- Port events and the virtual root hub ----------------------------------------- */

/* The status bits a port shows, and the change bits (wPortChange << 16). */
#define XENHCD_PS(bit)		((u32)(bit))
#define XENHCD_PC(bit)		((u32)(bit) << 16)
#define XENHCD_PS_SPEED		(USB_PORT_STAT_LOW_SPEED | USB_PORT_STAT_HIGH_SPEED)
#define XENHCD_PC_ALL		XENHCD_PC(USB_PORT_STAT_C_CONNECTION |	\
					  USB_PORT_STAT_C_ENABLE |	\
					  USB_PORT_STAT_C_SUSPEND |	\
					  USB_PORT_STAT_C_OVERCURRENT |	\
					  USB_PORT_STAT_C_RESET)

/**
 * xenhcd_rh_init() - a root hub with every port off and empty
 * @rh: set up
 * @nr_ports: "num-ports", 1 to XENPV_USB_MAX_PORTS
 * @usb_ver: XENUSB_VER_USB11 or XENUSB_VER_USB20
 *
 * Return: 0, or -EINVAL for a port count or version out of range.
 */
int xenhcd_rh_init(struct xenhcd_rh *rh, unsigned int nr_ports,
		   unsigned int usb_ver)
{
	memset(rh, 0, sizeof(*rh));
	if (!nr_ports || nr_ports > XENPV_USB_MAX_PORTS ||
	    (usb_ver != XENUSB_VER_USB11 && usb_ver != XENUSB_VER_USB20))
		return -EINVAL;
	rh->nr_ports = nr_ports;
	rh->usb_ver = usb_ver;
	return 0;
}

/**
 * xenhcd_check_conn() - check a port event from the conn ring
 * @rh: the root hub
 * @rsp: the private copy of the event
 *
 * Return: XENHCD_RSP_OK, XENHCD_RSP_PORT for a port beyond the hub's, or
 * XENHCD_RSP_SPEED for a speed usbif does not have or, high speed, a USB
 * 1.1 controller cannot have.
 */
enum xenhcd_verdict xenhcd_check_conn(const struct xenhcd_rh *rh,
				      const struct xenusb_conn_response *rsp)
{
	if (!rsp->portnum || rsp->portnum > rh->nr_ports)
		return XENHCD_RSP_PORT;
	if (rsp->speed > XENUSB_SPEED_HIGH ||
	    (rsp->speed == XENUSB_SPEED_HIGH && rh->usb_ver < XENUSB_VER_USB20))
		return XENHCD_RSP_SPEED;
	return XENHCD_RSP_OK;
}

/* The speed bits of a device of usbif speed @speed. */
static u32 xenhcd_speed_bits(u8 speed)
{
	switch (speed) {
	case XENUSB_SPEED_LOW:
		return USB_PORT_STAT_LOW_SPEED;
	case XENUSB_SPEED_HIGH:
		return USB_PORT_STAT_HIGH_SPEED;
	default:
		return 0;
	}
}

/* A powered port's connection follows its device. */
static void xenhcd_rh_connection(struct xenhcd_port *p)
{
	p->status &= ~(USB_PORT_STAT_CONNECTION | USB_PORT_STAT_ENABLE |
		       USB_PORT_STAT_SUSPEND | USB_PORT_STAT_RESET |
		       XENHCD_PS_SPEED);
	p->resuming = false;
	if (p->speed != XENUSB_SPEED_NONE)
		p->status |= USB_PORT_STAT_CONNECTION |
			     xenhcd_speed_bits(p->speed);
	p->status |= XENHCD_PC(USB_PORT_STAT_C_CONNECTION);
}

/**
 * xenhcd_rh_event() - a checked port event: a device came or went
 * @rh: the root hub
 * @port: the port (xenhcd_check_conn() passed)
 * @speed: the device's speed, XENUSB_SPEED_NONE when it went
 *
 * A device that goes leaves its port disabled, and one that comes finds
 * it disabled, so the hub driver enumerates it anew even when the backend
 * swapped devices between two looks.  An event that changes nothing (a
 * repeat) is ignored.
 *
 * Return: true if a port's change bits are set: the hub is to be polled.
 */
bool xenhcd_rh_event(struct xenhcd_rh *rh, unsigned int port,
		     unsigned int speed)
{
	struct xenhcd_port *p;

	if (WARN_ON_ONCE(!port || port > rh->nr_ports ||
			 speed > XENUSB_SPEED_HIGH))
		return false;
	p = &rh->port[port];
	if (p->speed == speed)
		return false;
	p->speed = speed;
	if (!(p->status & USB_PORT_STAT_POWER))
		return false;
	xenhcd_rh_connection(p);
	return true;
}

/**
 * xenhcd_rh_changes() - the hub's status change bitmap
 * @rh: the root hub
 * @buf: filled in, bit N for port N with a change bit set; room for
 *	1 + nr_ports / 8 bytes
 *
 * Return: the bitmap's length if any port changed, else 0.
 */
int xenhcd_rh_changes(const struct xenhcd_rh *rh, u8 *buf)
{
	unsigned int port, len = 1 + rh->nr_ports / 8;
	bool any = false;

	memset(buf, 0, len);
	for (port = 1; port <= rh->nr_ports; port++) {
		if (rh->port[port].status & XENHCD_PC_ALL) {
			buf[port / 8] |= BIT(port % 8);
			any = true;
		}
	}
	return any ? len : 0;
}

/* A reset or a resume whose time has come ends when the port is looked at. */
static void xenhcd_rh_settle(struct xenhcd_port *p, u64 now)
{
	if (now < p->deadline)
		return;
	if (p->status & USB_PORT_STAT_RESET) {
		p->status &= ~USB_PORT_STAT_RESET;
		p->status |= XENHCD_PC(USB_PORT_STAT_C_RESET);
		if (p->status & USB_PORT_STAT_CONNECTION)
			p->status |= USB_PORT_STAT_ENABLE |
				     xenhcd_speed_bits(p->speed);
	}
	if (p->resuming) {
		p->resuming = false;
		p->status &= ~USB_PORT_STAT_SUSPEND;
		p->status |= XENHCD_PC(USB_PORT_STAT_C_SUSPEND);
	}
}

static void xenhcd_put_le(u8 *buf, u32 v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		buf[i] = v >> (8 * i);
}

/* The hub descriptor: no power switching, per-port over-current. */
static int xenhcd_rh_descriptor(const struct xenhcd_rh *rh, u8 *buf,
				u16 room)
{
	unsigned int bytes = 1 + rh->nr_ports / 8, len = 7 + 2 * bytes;
	u8 d[7 + 2 * (1 + XENPV_USB_MAX_PORTS / 8)];

	memset(d, 0, sizeof(d));
	d[0] = len;
	d[1] = USB_DT_HUB;
	d[2] = rh->nr_ports;
	xenhcd_put_le(&d[3], HUB_CHAR_NO_LPSM | HUB_CHAR_INDV_PORT_OCPM, 2);
	d[5] = 10;	/* bPwrOn2PwrGood, 2 ms units */
	/* DeviceRemovable all 0 (removable), PortPwrCtrlMask all 1. */
	memset(&d[7 + bytes], 0xff, bytes);
	memcpy(buf, d, min_t(unsigned int, len, room));
	return 0;
}

/* SetPortFeature. */
static int xenhcd_port_set(struct xenhcd_port *p, u16 feature, u64 now)
{
	switch (feature) {
	case USB_PORT_FEAT_POWER:
		if (!(p->status & USB_PORT_STAT_POWER)) {
			p->status = USB_PORT_STAT_POWER;
			if (p->speed != XENUSB_SPEED_NONE)
				xenhcd_rh_connection(p);
		}
		return 0;
	case USB_PORT_FEAT_RESET:
		if (!(p->status & USB_PORT_STAT_POWER))
			return 0;
		p->status &= ~(USB_PORT_STAT_ENABLE | USB_PORT_STAT_SUSPEND |
			       XENHCD_PS_SPEED);
		p->status |= USB_PORT_STAT_RESET;
		p->resuming = false;
		p->deadline = now + XENHCD_RESET_MS;
		return 0;
	case USB_PORT_FEAT_SUSPEND:
		if (p->status & USB_PORT_STAT_ENABLE)
			p->status |= USB_PORT_STAT_SUSPEND;
		return 0;
	case USB_PORT_FEAT_INDICATOR:
		return 0;
	default:
		return -EPIPE;
	}
}

/* ClearPortFeature. */
static int xenhcd_port_clear(struct xenhcd_port *p, u16 feature, u64 now)
{
	switch (feature) {
	case USB_PORT_FEAT_POWER:
		p->status = 0;
		p->resuming = false;
		return 0;
	case USB_PORT_FEAT_ENABLE:
		p->status &= ~(USB_PORT_STAT_ENABLE | USB_PORT_STAT_SUSPEND);
		p->resuming = false;
		return 0;
	case USB_PORT_FEAT_SUSPEND:
		if ((p->status & USB_PORT_STAT_SUSPEND) && !p->resuming) {
			p->resuming = true;
			p->deadline = now + XENHCD_RESUME_MS;
		}
		return 0;
	case USB_PORT_FEAT_C_CONNECTION:
	case USB_PORT_FEAT_C_ENABLE:
	case USB_PORT_FEAT_C_SUSPEND:
	case USB_PORT_FEAT_C_OVER_CURRENT:
	case USB_PORT_FEAT_C_RESET:
		p->status &= ~BIT(feature);
		return 0;
	case USB_PORT_FEAT_INDICATOR:
		return 0;
	default:
		return -EPIPE;
	}
}

/**
 * xenhcd_rh_control() - a hub class request to the root hub
 * @rh: the root hub
 * @type_req: (bmRequestType << 8) | bRequest (XENHCD_GET_PORT_STATUS, ...)
 * @value: wValue, the feature
 * @index: wIndex, the port
 * @buf: the data stage
 * @length: room in @buf
 * @now: a millisecond clock, for resets and resumes
 *
 * Return: 0, or -EPIPE for a request the hub does not know or a port it
 * does not have (the USB core's stall).
 */
int xenhcd_rh_control(struct xenhcd_rh *rh, u16 type_req, u16 value, u16 index,
		      u8 *buf, u16 length, u64 now)
{
	bool port_ok = index >= 1 && index <= rh->nr_ports;
	struct xenhcd_port *p = port_ok ? &rh->port[index] : NULL;

	switch (type_req) {
	case XENHCD_CLEAR_HUB_FEATURE:
		return 0;
	case XENHCD_GET_HUB_STATUS:
		if (length < 4)
			return -EPIPE;
		memset(buf, 0, 4);
		return 0;
	case XENHCD_GET_HUB_DESCRIPTOR:
		return xenhcd_rh_descriptor(rh, buf, length);
	case XENHCD_GET_PORT_STATUS:
		if (!p || length < 4)
			return -EPIPE;
		xenhcd_rh_settle(p, now);
		xenhcd_put_le(buf, p->status, 4);
		return 0;
	case XENHCD_SET_PORT_FEATURE:
		return p ? xenhcd_port_set(p, value, now) : -EPIPE;
	case XENHCD_CLEAR_PORT_FEATURE:
		return p ? xenhcd_port_clear(p, value, now) : -EPIPE;
	default:
		return -EPIPE;
	}
}
