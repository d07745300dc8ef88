/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Protocol core of the Xen PV USB backend (usbif, Xen's io/usbif.h).
 *
 * Pure logic over the usbif wire format and the state of one virtual
 * host controller: no hypercalls, no xenbus, no USB core.  The same
 * source compiles into the kernel module, into the userspace tests under
 * tools/testing/usbback/ and into a libFuzzer target.
 *
 * Nothing the frontend wrote is trusted.  A request is copied out of the
 * shared ring once (usbback_get_req()) and only the private copy is looked
 * at afterwards.  Every field is checked against what is attached to the
 * controller (ports, device addresses, endpoints) and against the buffer
 * it describes, and a bad request gets a precise verdict for one log line
 * and its response.  Locking is the caller's: the functions that change a
 * &struct usbback_ctrl expect the lock that protects it to be held.
 *
 * Units: buffers are described in 4 KiB grant frames, whatever the page
 * size of either domain.
 */
#ifndef _XEN_USBBACK_PROTO_H
#define _XEN_USBBACK_PROTO_H

#include <linux/types.h>
#include <linux/usb/ch9.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/usbif.h>
#include <xenpv/core.h>
#include <xenpv/usbif.h>

/* Slots of the two rings: one 4 KiB frame each, as usbif.h fixes them. */
#define USBBACK_URB_RING_SIZE	XENUSB_URB_RING_SIZE
#define USBBACK_CONN_RING_SIZE	XENUSB_CONN_RING_SIZE

#define USBBACK_GRANT_SIZE	XENPV_USB_GRANT_SIZE
#define USBBACK_MAX_SEGS	XENPV_USB_MAX_SEGS
#define USBBACK_MAX_PORTS	XENPV_USB_MAX_PORTS
#define USBBACK_MAX_ADDR	XENPV_USB_MAX_ADDR
#define USBBACK_MAX_ISO_PACKETS	XENPV_USB_MAX_ISO_PACKETS

/* ---- The controller's states and counters -------------------------------- */

/**
 * enum usbback_state - where a virtual host controller is in its life
 * @UB_WAIT_FRONTEND: probed (InitWait written); devices may already be
 *	attached to its ports, waiting for the frontend's rings
 * @UB_CONNECTED: the rings are mapped and the worker runs
 * @UB_BROKEN: the frontend broke the protocol: its URBs are killed and
 *	answered, the controller is failed (xenbus_dev_fatal)
 * @UB_CLOSED: disconnected; a frontend that starts over (Initialising)
 *	brings it back to @UB_WAIT_FRONTEND
 * @UB_NR_STATES: number of states
 *
 * Changed only by usbback_set_state() under &struct usbback_ctrl_dev.mutex,
 * against usbback_states (usbback-proto.c).
 */
enum usbback_state {
	UB_WAIT_FRONTEND,
	UB_CONNECTED,
	UB_BROKEN,
	UB_CLOSED,
	UB_NR_STATES
};

extern const struct xenpv_states usbback_states;

/**
 * enum usbback_stat - the counters of one controller (usbback_stat_desc[])
 * @USBBACK_STAT_CTRL: control requests taken off the ring
 * @USBBACK_STAT_BULK: bulk requests
 * @USBBACK_STAT_INT: interrupt requests
 * @USBBACK_STAT_ISO: isochronous requests
 * @USBBACK_STAT_UNLINK: unlink requests
 * @USBBACK_STAT_LOCAL: requests answered by the backend itself
 *	(SET_ADDRESS, SET_CONFIGURATION of the active configuration)
 * @USBBACK_STAT_BAD_REQ: requests refused by the checks
 * @USBBACK_STAT_URB_ERR: URBs the USB core ended with an error
 * @USBBACK_STAT_BYTES_IN: bytes read from devices
 * @USBBACK_STAT_BYTES_OUT: bytes written to devices
 * @USBBACK_STAT_GRANT_ERR: grant copies that failed
 * @USBBACK_STAT_CONN_EVENTS: port events sent on the conn ring
 * @USBBACK_STAT_IRQS: event channel interrupts taken
 * @USBBACK_STAT_NOTIFY: notifications sent to the frontend
 * @USBBACK_STAT_DEV_RESET: devices reset for the frontend's SET_ADDRESS
 * @USBBACK_NR_STATS: number of counters
 *
 * Written only by the controller's worker; read by others with
 * READ_ONCE().
 */
enum usbback_stat {
	USBBACK_STAT_CTRL,
	USBBACK_STAT_BULK,
	USBBACK_STAT_INT,
	USBBACK_STAT_ISO,
	USBBACK_STAT_UNLINK,
	USBBACK_STAT_LOCAL,
	USBBACK_STAT_BAD_REQ,
	USBBACK_STAT_URB_ERR,
	USBBACK_STAT_BYTES_IN,
	USBBACK_STAT_BYTES_OUT,
	USBBACK_STAT_GRANT_ERR,
	USBBACK_STAT_CONN_EVENTS,
	USBBACK_STAT_IRQS,
	USBBACK_STAT_NOTIFY,
	USBBACK_STAT_DEV_RESET,
	USBBACK_NR_STATS
};

extern const struct xenpv_stat usbback_stat_desc[USBBACK_NR_STATS];

/* ---- The controller as the checks see it ---------------------------------- */

/* An endpoint the device does not have in its active configuration. */
#define USBBACK_EP_NONE		0xff

/**
 * struct usbback_eps - the endpoints a device has now
 * @type: [direction][number]: the endpoint's transfer type as a usbif
 *	pipe type (XENUSB_PIPE_TYPE_*), or USBBACK_EP_NONE; direction 1 is
 *	IN.  Endpoint 0 is always control, both ways.
 * @config: bConfigurationValue of the active configuration, 0 for none
 *
 * The kernel fills it from the USB core's view of the device (its
 * ep_in/ep_out tables) at the time of the check: SET_INTERFACE changes it.
 */
struct usbback_eps {
	u8 type[2][16];
	u8 config;
};

/**
 * struct usbback_port - one port of the virtual root hub
 * @speed: XENUSB_SPEED_* of the device attached, XENUSB_SPEED_NONE if none
 * @addr: the address the frontend gave the device (SET_ADDRESS), 0 while
 *	it has none
 * @reported: the speed the frontend was last told on the conn ring
 * @renewed: another device was attached since the frontend was last told:
 *	it must see a disconnect first, even at the same speed
 */
struct usbback_port {
	u8 speed;
	u8 addr;
	u8 reported;
	bool renewed;
};

/**
 * struct usbback_ctrl - one virtual host controller's protocol state
 * @nr_ports: "num-ports", 1 to USBBACK_MAX_PORTS
 * @usb_ver: "usb-ver": XENUSB_VER_USB11 or XENUSB_VER_USB20
 * @port: ports 1 to @nr_ports at index 1 to @nr_ports (index 0 unused)
 * @addr_port: for each device address, the port of the device that has
 *	it, 0 for none (the address table; index 0 unused)
 * @dirty: BIT(port) for each port whose state the frontend has not been
 *	told yet
 *
 * Changed by usbback_ctrl_init(), usbback_port_attach(),
 * usbback_port_detach(), usbback_set_address(), usbback_conn_replay() and
 * usbback_conn_next(), all under the lock that protects it.
 */
struct usbback_ctrl {
	unsigned int nr_ports;
	unsigned int usb_ver;
	struct usbback_port port[USBBACK_MAX_PORTS + 1];
	u8 addr_port[USBBACK_MAX_ADDR + 1];
	u32 dirty;
};

int usbback_ctrl_init(struct usbback_ctrl *ctrl, unsigned int nr_ports,
		      unsigned int usb_ver);
int usbback_speed(const struct usbback_ctrl *ctrl, unsigned int usb_speed);
int usbback_port_attach(struct usbback_ctrl *ctrl, unsigned int port,
			unsigned int speed);
int usbback_port_detach(struct usbback_ctrl *ctrl, unsigned int port);
int usbback_set_address(struct usbback_ctrl *ctrl, unsigned int port,
			unsigned int addr);

/* ---- Port events on the conn ring ---------------------------------------- */

/**
 * struct usbback_conn_event - one conn ring response to send
 * @port: the port, 1 to &struct usbback_ctrl.nr_ports
 * @speed: XENUSB_SPEED_*; XENUSB_SPEED_NONE is a disconnect
 */
struct usbback_conn_event {
	u8 port;
	u8 speed;
};

void usbback_conn_replay(struct usbback_ctrl *ctrl);
bool usbback_conn_pending(const struct usbback_ctrl *ctrl);
bool usbback_conn_next(struct usbback_ctrl *ctrl,
		       struct usbback_conn_event *ev);

/* ---- Requests ------------------------------------------------------------- */

/**
 * enum usbback_action - what the backend does with a request that passed
 * @USBBACK_ACT_SUBMIT: submit it to the device through the USB core
 * @USBBACK_ACT_UNLINK: cancel the request it names
 * @USBBACK_ACT_SET_ADDRESS: record the address (usbback_set_address()),
 *	reset the device (the frontend has just reset its port) and answer:
 *	the device keeps the address dom0 gave it
 * @USBBACK_ACT_SET_CONFIG: SET_CONFIGURATION of the active configuration
 *	(or of none): answer at once, the device stays as it is
 * @USBBACK_ACT_SET_INTERFACE: SET_INTERFACE, through the USB core
 *	(usb_set_interface()) so that its endpoint state follows
 * @USBBACK_ACT_CLEAR_HALT: CLEAR_FEATURE(ENDPOINT_HALT), through the USB
 *	core (usb_clear_halt()), which resets the host side's toggle too
 */
enum usbback_action {
	USBBACK_ACT_SUBMIT,
	USBBACK_ACT_UNLINK,
	USBBACK_ACT_SET_ADDRESS,
	USBBACK_ACT_SET_CONFIG,
	USBBACK_ACT_SET_INTERFACE,
	USBBACK_ACT_CLEAR_HALT,
};

/**
 * struct usbback_setup - a control request's setup packet, decoded
 * @type: bmRequestType
 * @request: bRequest
 * @value: wValue
 * @index: wIndex
 * @length: wLength
 */
struct usbback_setup {
	u8 type;
	u8 request;
	u16 value;
	u16 index;
	u16 length;
};

/**
 * struct usbback_req - a request, copied out of the ring and decoded
 * @raw: the private copy of the whole slot, as sent
 * @id: its id, echoed in the response
 * @port: the port from the pipe (0-31)
 * @devnum: the device address from the pipe
 * @ep: the endpoint number from the pipe
 * @type: the transfer type from the pipe, XENUSB_PIPE_TYPE_*
 * @in: the pipe's direction is IN (for a control request, set by the
 *	checks from the setup packet)
 * @unlink: the pipe's unlink bit
 * @nr_segs: buffer segments as sent (nr_buffer_segs)
 * @nr_desc_segs: an isochronous request's descriptor segments, 0 for the
 *	others
 * @length: the transfer's length in bytes (set by the checks):
 *	buffer_length, or 65536 for a bulk or interrupt request of 0 whose
 *	segments hold 64 KiB (usbif's 16 bits cannot say 65536, and Linux's
 *	xen-hcd sends it so)
 * @short_not_ok: a short IN transfer is an error (URB_SHORT_NOT_OK; set
 *	by the checks): the frontend's XENUSB_SHORT_NOT_OK, kept only where
 *	Linux's USB core accepts the flag, an IN transfer that is not
 *	isochronous (it warns on any other URB that carries it)
 * @setup: a control request's setup packet (set by usbback_get_req())
 * @action: what to do with it (set by the checks)
 *
 * Every field is private to the backend: no pointer into shared memory.
 */
struct usbback_req {
	struct xenusb_urb_request raw;
	u16 id;
	u8 port;
	u8 devnum;
	u8 ep;
	u8 type;
	bool in;
	bool unlink;
	u16 nr_segs;
	u16 nr_desc_segs;
	u32 length;
	bool short_not_ok;
	struct usbback_setup setup;
	enum usbback_action action;
};

void usbback_get_req(struct usbback_req *req, const void *slot);
void usbback_put_rsp(void *slot, u16 id, s32 status, u32 actual_length,
		     u32 error_count, u16 start_frame);

enum xenpv_prod_verdict usbback_check_req_prod(RING_IDX req_prod,
					       RING_IDX req_cons,
					       RING_IDX rsp_prod_pvt,
					       unsigned int *avail);
enum xenpv_prod_verdict usbback_check_conn_prod(RING_IDX req_prod,
						RING_IDX req_cons,
						RING_IDX rsp_prod_pvt,
						unsigned int *avail);

/**
 * enum usbback_verdict - what a request check found
 * @USBBACK_REQ_OK: the request may be carried out (&struct usbback_req
 *	.action says how)
 * @USBBACK_REQ_BAD_PORT: port 0 or beyond the controller's ports
 * @USBBACK_REQ_NO_DEVICE: nothing is attached to the port
 * @USBBACK_REQ_BAD_ADDR: the device address is not the port's device's
 * @USBBACK_REQ_NO_ENDPOINT: the device has no such endpoint now
 * @USBBACK_REQ_WRONG_TYPE: the pipe's type is not the endpoint's
 * @USBBACK_REQ_TOO_MANY_SEGS: more segments than a request can carry
 * @USBBACK_REQ_SEG_BEYOND_FRAME: a segment ends past its 4 KiB frame
 * @USBBACK_REQ_SEG_EMPTY: a segment of 0 bytes
 * @USBBACK_REQ_LENGTH: the segments do not add up to buffer_length (or
 *	to 64 KiB for a bulk or interrupt request of buffer_length 0)
 * @USBBACK_REQ_CTRL_LENGTH: a control request whose wLength is not its
 *	buffer_length
 * @USBBACK_REQ_CTRL_DIR: a control request whose pipe direction is not
 *	its setup packet's
 * @USBBACK_REQ_ISO_PACKETS: an isochronous request of 0 or too many
 *	packets
 * @USBBACK_REQ_ISO_DESCS: the descriptor segments do not hold exactly the
 *	packets' descriptors
 * @USBBACK_REQ_ISO_PACKET: a packet lies outside the transfer buffer
 * @USBBACK_REQ_BAD_NEW_ADDR: SET_ADDRESS to an address beyond 127 or held
 *	by another port's device
 * @USBBACK_REQ_NEW_CONFIG: SET_CONFIGURATION to another configuration
 *	(not supported: its interfaces would leave the backend)
 * @USBBACK_REQ_UNLINK_UNKNOWN: an unlink of an id not in flight
 * @USBBACK_REQ_DUP_ID: the id of a request still in flight
 * @USBBACK_REQ_INTERNAL: the backend's own bug (it warns)
 *
 * Each is answered with usbback_verdict_status(); those for which
 * usbback_verdict_fatal() is true break the protocol and also fail the
 * controller: a frontend that follows usbif never sends them.  The others
 * can follow from a race with an unplug or from the guest's own drivers,
 * and fail alone.
 */
enum usbback_verdict {
	USBBACK_REQ_OK,
	USBBACK_REQ_BAD_PORT,
	USBBACK_REQ_NO_DEVICE,
	USBBACK_REQ_BAD_ADDR,
	USBBACK_REQ_NO_ENDPOINT,
	USBBACK_REQ_WRONG_TYPE,
	USBBACK_REQ_TOO_MANY_SEGS,
	USBBACK_REQ_SEG_BEYOND_FRAME,
	USBBACK_REQ_SEG_EMPTY,
	USBBACK_REQ_LENGTH,
	USBBACK_REQ_CTRL_LENGTH,
	USBBACK_REQ_CTRL_DIR,
	USBBACK_REQ_ISO_PACKETS,
	USBBACK_REQ_ISO_DESCS,
	USBBACK_REQ_ISO_PACKET,
	USBBACK_REQ_BAD_NEW_ADDR,
	USBBACK_REQ_NEW_CONFIG,
	USBBACK_REQ_UNLINK_UNKNOWN,
	USBBACK_REQ_DUP_ID,
	USBBACK_REQ_INTERNAL,
};

/**
 * struct usbback_bad - details of a failed check, for one log line
 * @verdict: what is wrong
 * @seg: the segment or packet at fault
 * @value: the offending value
 * @limit: the limit it broke
 */
struct usbback_bad {
	enum usbback_verdict verdict;
	unsigned int seg;
	u64 value;
	u64 limit;
};

enum usbback_verdict usbback_check_req(const struct usbback_ctrl *ctrl,
				       const struct usbback_eps *eps,
				       struct usbback_req *req,
				       struct usbback_bad *bad);
enum usbback_verdict usbback_check_iso(const struct usbback_req *req,
				       const struct xenpv_usb_iso_desc *descs,
				       struct usbback_bad *bad);
s32 usbback_verdict_status(enum usbback_verdict v);
bool usbback_verdict_fatal(enum usbback_verdict v);
const char *usbback_verdict_str(enum usbback_verdict v);
int usbback_bad_str(const struct usbback_req *req,
		    const struct usbback_bad *bad, char *buf, size_t size);
s32 usbback_urb_status(int status);

/* ---- Requests in flight --------------------------------------------------- */

/**
 * struct usbback_inflight - the ids of the requests being carried out
 * @id: the id in each busy slot
 * @busy: BIT(slot) for each busy slot
 *
 * A frontend has at most a ring's worth of requests unanswered (the
 * producer check sees to it), so one slot per ring slot is enough, and a
 * second request with the id of one in flight is a protocol violation:
 * both could not be answered exactly once.
 */
struct usbback_inflight {
	u16 id[USBBACK_URB_RING_SIZE];
	u32 busy;
};

int usbback_inflight_add(struct usbback_inflight *f, u16 id);
int usbback_inflight_find(const struct usbback_inflight *f, u16 id);
void usbback_inflight_del(struct usbback_inflight *f, unsigned int slot);
unsigned int usbback_inflight_count(const struct usbback_inflight *f);

/* ---- Copying data between the frontend's segments and a buffer ----------- */

/**
 * struct usbback_copy - one grant copy: part of a segment, within one of
 *	the backend buffer's 4 KiB frames
 * @seg: the segment (index into the request's seg[])
 * @seg_off: byte offset in the segment's frame (its offset included)
 * @buf_off: byte offset in the backend's buffer
 * @len: bytes
 */
struct usbback_copy {
	u8 seg;
	u16 seg_off;
	u32 buf_off;
	u16 len;
};

/* A segment crosses at most one 4 KiB boundary of the backend's buffer. */
#define USBBACK_MAX_COPIES	(2 * USBBACK_MAX_SEGS)

unsigned int usbback_plan_copy(const struct xenusb_request_segment *segs,
			       unsigned int first, unsigned int nr,
			       u32 limit, struct usbback_copy *ops);

#endif /* _XEN_USBBACK_PROTO_H */
