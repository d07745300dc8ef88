/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Protocol core of the Xen PV USB frontend (usbif, Xen's io/usbif.h).
 *
 * Pure logic: the request encoding, the checks of everything the backend
 * writes (responses, port events, isochronous results) and the virtual
 * root hub's ports.  No hypercalls, no xenbus, no USB core: the same
 * source compiles into the module, into the userspace tests under
 * tools/testing/xenhcd/ and into a libFuzzer target.
 *
 * The backend is not trusted: each response and port event is copied out
 * of its ring once, and an id not in flight, a length beyond what was
 * asked, a port beyond the controller or a speed it cannot have is a
 * protocol violation that stops the controller.  Locking is the caller's:
 * the functions that change an object expect the controller's lock held.
 */
#ifndef _XEN_HCD_PROTO_H
#define _XEN_HCD_PROTO_H

#include <linux/types.h>
#include <linux/usb/ch9.h>
#include <linux/usb/ch11.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/usbif.h>
#include <xenpv/core.h>
#include <xenpv/usbif.h>

#define XENHCD_URB_RING_SIZE	XENUSB_URB_RING_SIZE
#define XENHCD_CONN_RING_SIZE	XENUSB_CONN_RING_SIZE

/* ---- The controller's states and counters ------------------------------- */

/**
 * enum xenhcd_state - where a virtual host controller is in its life
 * @XH_WAIT_BACKEND: probed, the host controller registered, waiting for
 *	the backend's InitWait
 * @XH_CONNECTED: rings set up and published; URBs go on the ring
 * @XH_BROKEN: the backend broke the protocol: every URB fails, the
 *	controller is dead to the USB core
 * @XH_CLOSED: disconnected, the host controller removed
 * @XH_NR_STATES: number of states
 *
 * Changed only by xenhcd_set_state() under the device's mutex, against
 * xenhcd_states.
 */
enum xenhcd_state {
	XH_WAIT_BACKEND,
	XH_CONNECTED,
	XH_BROKEN,
	XH_CLOSED,
	XH_NR_STATES
};

extern const struct xenpv_states xenhcd_states;

/**
 * enum xenhcd_stat - one controller's counters (xenhcd_stat_desc[])
 * @XENHCD_STAT_URBS: URBs put on the ring
 * @XENHCD_STAT_UNLINKS: unlink requests put on the ring
 * @XENHCD_STAT_QUEUED: URBs that waited for a free ring slot
 * @XENHCD_STAT_URB_ERR: URBs the backend ended with an error
 * @XENHCD_STAT_BYTES: bytes the backend reported transferred
 * @XENHCD_STAT_CONN_EVENTS: port events taken off the conn ring
 * @XENHCD_STAT_IRQS: interrupts taken
 * @XENHCD_STAT_NOTIFY: notifications sent to the backend
 * @XENHCD_NR_STATS: number of counters
 */
enum xenhcd_stat {
	XENHCD_STAT_URBS,
	XENHCD_STAT_UNLINKS,
	XENHCD_STAT_QUEUED,
	XENHCD_STAT_URB_ERR,
	XENHCD_STAT_BYTES,
	XENHCD_STAT_CONN_EVENTS,
	XENHCD_STAT_IRQS,
	XENHCD_STAT_NOTIFY,
	XENHCD_NR_STATS
};

extern const struct xenpv_stat xenhcd_stat_desc[XENHCD_NR_STATS];

/* ---- Requests ----------------------------------------------------------------- */

/**
 * struct xenhcd_chunk - the part of a buffer in one 4 KiB grant frame
 * @pos: byte offset of the part from the buffer's start
 * @offset: byte offset of the part in its frame
 * @len: bytes, at most up to the frame's end
 */
struct xenhcd_chunk {
	u32 pos;
	u16 offset;
	u16 len;
};

int xenhcd_plan_buffer(unsigned long addr, u32 len, struct xenhcd_chunk *c,
		       unsigned int max);
u32 xenhcd_pipe(unsigned int urb_pipe, unsigned int port);

/* What an id in flight is for (the op of &struct xenpv_id). */
#define XENHCD_OP_SUBMIT	0
#define XENHCD_OP_UNLINK	1

/**
 * struct xenhcd_urb - an URB ready to be encoded
 * @id: its ring id
 * @pipe: the usbif pipe (xenhcd_pipe())
 * @short_not_ok: URB_SHORT_NOT_OK
 * @length: transfer_buffer_length, at most 65535, or 65536 for bulk and
 *	interrupt (XENPV_USB_MAX_LENGTH)
 * @setup: a control URB's setup packet
 * @interval: an interrupt or isochronous URB's interval
 * @start_frame: an isochronous URB's start frame
 * @nr_packets: an isochronous URB's packets
 * @nr_segs: buffer segments
 * @nr_desc_segs: an isochronous URB's descriptor segments
 * @chunks: @nr_segs + @nr_desc_segs parts (xenhcd_plan_buffer()), buffer
 *	first
 * @grefs: the grant of each part
 */
struct xenhcd_urb {
	u16 id;
	u32 pipe;
	bool short_not_ok;
	u32 length;
	u8 setup[8];
	u16 interval;
	u16 start_frame;
	u16 nr_packets;
	unsigned int nr_segs;
	unsigned int nr_desc_segs;
	const struct xenhcd_chunk *chunks;
	const grant_ref_t *grefs;
};

int xenhcd_encode(struct xenusb_urb_request *req, const struct xenhcd_urb *u);
void xenhcd_encode_unlink(struct xenusb_urb_request *req, u16 id, u32 pipe,
			  u16 unlink_id);

/* ---- Responses ------------------------------------------------------------------ */

/**
 * enum xenhcd_verdict - what a check of the backend's output found
 * @XENHCD_RSP_OK: nothing wrong
 * @XENHCD_RSP_PROD_BACKWARDS: a producer index moved backwards
 * @XENHCD_RSP_PROD_OVERRUN: a producer index is more than a ring ahead
 * @XENHCD_RSP_PROD_UNASKED: more responses than requests outstanding
 * @XENHCD_RSP_BAD_ID: a response's id beyond the ring
 * @XENHCD_RSP_STALE_ID: a response's id not in flight
 * @XENHCD_RSP_LENGTH: actual_length negative or beyond the buffer
 * @XENHCD_RSP_ERROR_COUNT: error_count beyond the packets
 * @XENHCD_RSP_STATUS: a positive status
 * @XENHCD_RSP_ISO_LENGTH: a packet's actual_length beyond its length
 * @XENHCD_RSP_ISO_STATUS: a packet's status not 0 or an errno
 * @XENHCD_RSP_PORT: a port event for a port beyond the controller's
 * @XENHCD_RSP_SPEED: a port event with a speed the controller cannot have
 *
 * Anything but XENHCD_RSP_OK is a protocol violation by the backend: log
 * xenhcd_verdict_str() once and fail the controller.  The first three are
 * the values of &enum xenpv_prod_verdict.
 */
enum xenhcd_verdict {
	XENHCD_RSP_OK,
	XENHCD_RSP_PROD_BACKWARDS,
	XENHCD_RSP_PROD_OVERRUN,
	XENHCD_RSP_PROD_UNASKED,
	XENHCD_RSP_BAD_ID,
	XENHCD_RSP_STALE_ID,
	XENHCD_RSP_LENGTH,
	XENHCD_RSP_ERROR_COUNT,
	XENHCD_RSP_STATUS,
	XENHCD_RSP_ISO_LENGTH,
	XENHCD_RSP_ISO_STATUS,
	XENHCD_RSP_PORT,
	XENHCD_RSP_SPEED,
};

const char *xenhcd_verdict_str(enum xenhcd_verdict v);

/**
 * struct xenhcd_sent - what a request in flight asked for
 * @length: buffer bytes
 * @nr_packets: isochronous packets, 0 for other URBs
 */
struct xenhcd_sent {
	u32 length;
	u16 nr_packets;
};

/**
 * struct xenhcd_done - a checked response
 * @id: the request's id, now free again
 * @op: XENHCD_OP_SUBMIT or XENHCD_OP_UNLINK
 * @priv: the pointer given to xenpv_id_get()
 * @status: 0 or a negative errno for the URB
 * @actual_length: bytes transferred, within what was asked
 * @error_count: isochronous packets that failed
 * @start_frame: an isochronous URB's first frame
 */
struct xenhcd_done {
	unsigned int id;
	u8 op;
	void *priv;
	int status;
	u32 actual_length;
	u32 error_count;
	u16 start_frame;
};

enum xenhcd_verdict xenhcd_check_prod(RING_IDX prod, RING_IDX cons,
				      unsigned int ring_size,
				      unsigned int outstanding,
				      unsigned int *avail);
void xenhcd_get_rsp(struct xenusb_urb_response *rsp, const void *slot);
enum xenhcd_verdict xenhcd_check_rsp(const struct xenpv_ids *ids,
				     const struct xenhcd_sent *sent,
				     const struct xenusb_urb_response *rsp);
enum xenhcd_verdict xenhcd_complete_rsp(struct xenpv_ids *ids,
					const struct xenhcd_sent *sent,
					const struct xenusb_urb_response *rsp,
					struct xenhcd_done *done);
int xenhcd_status(s32 status);
enum xenhcd_verdict xenhcd_iso_packet(const struct xenpv_usb_iso_desc *back,
				      u32 length, u32 *actual, int *status);

/* ---- Port events and the virtual root hub ---------------------------------------- */

/**
 * struct xenhcd_port - one port of the virtual root hub
 * @status: wPortStatus in the low 16 bits, wPortChange in the high 16
 *	(USB_PORT_STAT_*), as GetPortStatus reports them
 * @speed: XENUSB_SPEED_* of the device the backend reports on the port
 * @resuming: a resume (ClearPortFeature(SUSPEND)) is in progress
 * @deadline: ms clock at which a reset or a resume in progress ends
 */
struct xenhcd_port {
	u32 status;
	u8 speed;
	bool resuming;
	u64 deadline;
};

/**
 * struct xenhcd_rh - the virtual root hub
 * @nr_ports: ports, 1 to XENPV_USB_MAX_PORTS ("num-ports")
 * @usb_ver: XENUSB_VER_USB11 or XENUSB_VER_USB20 ("usb-ver")
 * @port: ports 1 to @nr_ports at index 1 to @nr_ports
 */
struct xenhcd_rh {
	unsigned int nr_ports;
	unsigned int usb_ver;
	struct xenhcd_port port[XENPV_USB_MAX_PORTS + 1];
};

/* A reset and a resume take this long, as on a real port. */
#define XENHCD_RESET_MS		10
#define XENHCD_RESUME_MS	20

int xenhcd_rh_init(struct xenhcd_rh *rh, unsigned int nr_ports,
		   unsigned int usb_ver);
enum xenhcd_verdict xenhcd_check_conn(const struct xenhcd_rh *rh,
				      const struct xenusb_conn_response *rsp);
bool xenhcd_rh_event(struct xenhcd_rh *rh, unsigned int port,
		     unsigned int speed);
int xenhcd_rh_changes(const struct xenhcd_rh *rh, u8 *buf);
int xenhcd_rh_control(struct xenhcd_rh *rh, u16 type_req, u16 value, u16 index,
		      u8 *buf, u16 length, u64 now);

/*
 * The hub class requests of hub_control(), (bmRequestType << 8) |
 * bRequest: the kernel's <linux/usb/hcd.h> names them ClearHubFeature
 * and so on.
 */
#define XENHCD_HUB_REQ(type, req)	((u16)((type) << 8 | (req)))
#define XENHCD_CLEAR_HUB_FEATURE	XENHCD_HUB_REQ(USB_RT_HUB, USB_REQ_CLEAR_FEATURE)
#define XENHCD_CLEAR_PORT_FEATURE	XENHCD_HUB_REQ(USB_RT_PORT, USB_REQ_CLEAR_FEATURE)
#define XENHCD_GET_HUB_DESCRIPTOR	XENHCD_HUB_REQ(USB_DIR_IN | USB_RT_HUB, \
						       USB_REQ_GET_DESCRIPTOR)
#define XENHCD_GET_HUB_STATUS		XENHCD_HUB_REQ(USB_DIR_IN | USB_RT_HUB, \
						       USB_REQ_GET_STATUS)
#define XENHCD_GET_PORT_STATUS		XENHCD_HUB_REQ(USB_DIR_IN | USB_RT_PORT, \
						       USB_REQ_GET_STATUS)
#define XENHCD_SET_HUB_FEATURE		XENHCD_HUB_REQ(USB_RT_HUB, USB_REQ_SET_FEATURE)
#define XENHCD_SET_PORT_FEATURE		XENHCD_HUB_REQ(USB_RT_PORT, USB_REQ_SET_FEATURE)

#endif /* _XEN_HCD_PROTO_H */
