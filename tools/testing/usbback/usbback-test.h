/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the usbback tests share: a controller with devices on some ports,
 * the endpoints of a typical device, and a maker of wire requests that
 * go through usbback_get_req() as the ring's would.  Include after the
 * protocol core and ../common/test.h.
 */
#ifndef TESTING_USBBACK_TEST_H
#define TESTING_USBBACK_TEST_H

#include <linux/compiler.h>

/*
 * The controller of the tests: 4 ports; a high speed device on port 1
 * with address 5, a full speed one on port 2 without an address yet,
 * nothing on ports 3 and 4.
 */
static struct usbback_ctrl ctl;

static inline void ctl_setup(void)
{
	CHECK_EQ(usbback_ctrl_init(&ctl, 4, XENUSB_VER_USB20), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 1, XENUSB_SPEED_HIGH), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 2, XENUSB_SPEED_FULL), 0);
	CHECK_EQ(usbback_set_address(&ctl, 1, 5), 0);
}

/*
 * The device's endpoints, configuration 1: ep1 bulk IN, ep2 bulk OUT,
 * ep3 interrupt IN, ep4 isochronous IN, ep5 isochronous OUT.
 */
static inline struct usbback_eps dev_eps(void)
{
	struct usbback_eps e;

	memset(&e, USBBACK_EP_NONE, sizeof(e));
	e.config = 1;
	e.type[0][0] = XENUSB_PIPE_TYPE_CTRL;
	e.type[1][0] = XENUSB_PIPE_TYPE_CTRL;
	e.type[1][1] = XENUSB_PIPE_TYPE_BULK;
	e.type[0][2] = XENUSB_PIPE_TYPE_BULK;
	e.type[1][3] = XENUSB_PIPE_TYPE_INT;
	e.type[1][4] = XENUSB_PIPE_TYPE_ISOC;
	e.type[0][5] = XENUSB_PIPE_TYPE_ISOC;
	return e;
}

/* A pipe as a frontend writes it. */
static inline u32 pipe_of(unsigned int type, unsigned int port,
			  unsigned int dev, unsigned int ep, bool in)
{
	return type << XENUSB_PIPE_TYPE_SHIFT | ep << XENUSB_PIPE_EP_SHIFT |
	       dev << XENUSB_PIPE_DEV_SHIFT | (in ? XENUSB_PIPE_DIR : 0) | port;
}

/*
 * Segments for @len bytes starting at @offset in the first frame, each
 * frame filled to its end, from segment @first on; returns how many.
 */
static inline unsigned int fill_segs(struct xenusb_urb_request *r,
				     unsigned int first, unsigned int offset,
				     unsigned int len)
{
	unsigned int n = 0, chunk;

	while (len && first + n < USBBACK_MAX_SEGS) {
		chunk = min(len, USBBACK_GRANT_SIZE - offset);
		r->seg[first + n] = (struct xenusb_request_segment){
			.gref = 100 + first + n, .offset = offset,
			.length = chunk };
		len -= chunk;
		offset = 0;
		n++;
	}
	return n;
}

/* A wire request of @len bytes at frame offset @off, segments filled in. */
static inline struct xenusb_urb_request wire(unsigned int type,
					     unsigned int port,
					     unsigned int dev, unsigned int ep,
					     bool in, unsigned int len,
					     unsigned int off)
{
	struct xenusb_urb_request r;

	memset(&r, 0, sizeof(r));
	r.id = 7;
	r.pipe = pipe_of(type, port, dev, ep, in);
	r.buffer_length = len;
	r.nr_buffer_segs = fill_segs(&r, 0, off, len);
	return r;
}

/* A setup packet into a wire request. */
static inline void set_setup(struct xenusb_urb_request *r, u8 type, u8 request,
			     u16 value, u16 index, u16 length)
{
	r->u.ctrl[0] = type;
	r->u.ctrl[1] = request;
	r->u.ctrl[2] = value;
	r->u.ctrl[3] = value >> 8;
	r->u.ctrl[4] = index;
	r->u.ctrl[5] = index >> 8;
	r->u.ctrl[6] = length;
	r->u.ctrl[7] = length >> 8;
}

/* A control request on ep0 of @port's device at address @dev. */
static inline struct xenusb_urb_request ctrl_req(unsigned int port,
						 unsigned int dev, u8 type,
						 u8 request, u16 value,
						 u16 index, u16 length)
{
	struct xenusb_urb_request r = wire(XENUSB_PIPE_TYPE_CTRL, port, dev, 0,
					   type & USB_DIR_IN, length, 0);

	set_setup(&r, type, request, value, index, length);
	return r;
}

/* An isochronous request of @n packets of @size bytes on ep4 IN. */
static inline struct xenusb_urb_request iso_req(unsigned int n, unsigned int size)
{
	struct xenusb_urb_request r = wire(XENUSB_PIPE_TYPE_ISOC, 1, 5, 4, true,
					   n * size, 0);

	r.u.isoc.number_of_packets = n;
	r.u.isoc.interval = 1;
	r.u.isoc.nr_frame_desc_segs = fill_segs(&r, r.nr_buffer_segs, 0,
						n * XENPV_USB_ISO_DESC_SIZE);
	return r;
}

/* Decode @r as the ring would hand it over. */
static inline struct usbback_req decode(const struct xenusb_urb_request *r)
{
	struct usbback_req req;

	usbback_get_req(&req, r);
	return req;
}

#endif
