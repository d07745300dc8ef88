// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_request.c without libFuzzer, under gcc's sanitizers (see
 * ../common/replay.h): half the inputs requests that often pass, the
 * rest controller sequences, single fetches and random bytes.
 */
#include "fuzz_request.c"

#define REPLAY_INPUTS	200000
#define REPLAY_ROOM	4096

#include "../common/replay.h"
#include "../common/test.h"
#include "usbback-test.h"

/* Mostly right, now and then off by a little or a lot. */
static unsigned int nudge(unsigned int v, unsigned int lot)
{
	switch (t_rng() % 16) {
	case 0:
		return v + 1;
	case 1:
		return v - 1;
	case 2:
		return t_rng() % lot;
	}
	return v;
}

/* The header of mode 0: the tests' controller and device. */
static size_t semi_valid_ctrl(u8 *buf)
{
	struct usbback_eps e = dev_eps();
	size_t len = 0;
	unsigned int d, ep;

	len = replay_put_be(buf, len, 0, 1);
	len = replay_put_be(buf, len, 3, 1);			/* 4 ports */
	len = replay_put_be(buf, len, t_rng() % 8 ? 0x6 : t_rng(), 4);
	len = replay_put_be(buf, len, 1, 1);			/* usb-ver 2 */
	len = replay_put_be(buf, len, 2, 1);			/* port 1: high */
	len = replay_put_be(buf, len, 5, 1);			/* address 5 */
	len = replay_put_be(buf, len, 1, 1);			/* port 2: full */
	len = replay_put_be(buf, len, 0, 1);			/* no address */
	for (d = 0; d < 2; d++)
		for (ep = 0; ep < 16; ep++)
			buf[len++] = e.type[d][ep] == USBBACK_EP_NONE ? 0x80 :
				     e.type[d][ep];
	return replay_put_be(buf, len, 1, 1);
}

/*
 * Segments that still add up to the buffer: one moved within its frame
 * or past its end, or bytes moved from one to another.
 */
static void mangle_segs(struct xenusb_urb_request *r)
{
	unsigned int n = min_t(unsigned int, r->nr_buffer_segs, USBBACK_MAX_SEGS);
	struct xenusb_request_segment *a, *b;

	a = &r->seg[t_rng() % n];
	b = &r->seg[t_rng() % n];
	if (t_rng() % 2) {
		a->offset += t_rng() % 2 ? 1 : t_rng() % 4096;
		return;
	}
	n = t_rng() % 2 ? a->length : t_rng() % (a->length + 1);
	a->length -= n;
	b->length += n;
}

static struct xenusb_urb_request semi_valid_wire(void)
{
	static const u8 eps[] = { 0, 0, 0, 1, 2, 3, 4, 5, 6 };
	unsigned int ep = eps[t_rng() % ARRAY_SIZE(eps)], type, n;
	bool in = ep == 1 || ep == 3 || ep == 4 || (ep == 0 && t_rng() % 2);
	struct xenusb_urb_request r;

	type = ep == 0 ? XENUSB_PIPE_TYPE_CTRL : ep == 3 ? XENUSB_PIPE_TYPE_INT :
	       ep >= 4 ? XENUSB_PIPE_TYPE_ISOC : XENUSB_PIPE_TYPE_BULK;
	static const u8 recips[] = { 0, 0, USB_RECIP_INTERFACE,
				     USB_RECIP_ENDPOINT, USB_TYPE_CLASS };
	n = t_rng() % 4 ? t_rng() % 8192 : t_rng() % 65536;
	if (type == XENUSB_PIPE_TYPE_CTRL)
		n = in ? t_rng() % 256 : t_rng() % 2 ? 0 : t_rng() % 64;
	r = wire(nudge(type, 4), nudge(1 + t_rng() % 2, 32),
		 ep == 0 && t_rng() % 2 ? 0 : 5, nudge(ep, 16), in, n,
		 t_rng() % 2 ? 0 : t_rng() % 4096);
	if (type == XENUSB_PIPE_TYPE_CTRL)
		set_setup(&r, (in ? USB_DIR_IN : 0) |
			  recips[t_rng() % ARRAY_SIZE(recips)],
			  t_rng() % 4 ? t_rng() % 12 : t_rng(),
			  t_rng() % 2 ? t_rng() % 3 : t_rng() % 200,
			  t_rng() % 3 ? 0 : 0x81, nudge(n, 65536));
	if (type == XENUSB_PIPE_TYPE_ISOC) {
		n = 1 + t_rng() % 64;
		r.u.isoc.number_of_packets = nudge(n, 2048);
		r.u.isoc.nr_frame_desc_segs = fill_segs(&r, r.nr_buffer_segs,
							t_rng() % 2 ? 0 : 4000,
							n * XENPV_USB_ISO_DESC_SIZE);
	}
	if (t_rng() % 16 == 0)
		r.pipe |= XENUSB_PIPE_UNLINK;
	if (t_rng() % 16 == 0)
		r.nr_buffer_segs = nudge(r.nr_buffer_segs, 64);
	if (t_rng() % 16 == 0)
		r.seg[t_rng() % 16].length = nudge(r.seg[0].length, 8192);
	if (r.nr_buffer_segs && t_rng() % 8 == 0)
		mangle_segs(&r);
	return r;
}

static size_t semi_valid_request(u8 *buf, size_t room)
{
	struct xenusb_urb_request r = semi_valid_wire();
	struct xenpv_usb_iso_desc d;
	size_t len = semi_valid_ctrl(buf);
	unsigned int i;

	memcpy(buf + len, &r, sizeof(r));
	len += sizeof(r);
	len = replay_put_be(buf, len, t_rng() % 16 ? 0 : 1, 1);
	len = replay_put_be(buf, len, t_rng() % 2 ? r.buffer_length : t_rng() % 70000, 4);
	for (i = 0; i < r.u.isoc.number_of_packets && len + sizeof(d) < room; i++) {
		d = (struct xenpv_usb_iso_desc){
			.offset = nudge(i * 16, 70000), .length = nudge(16, 70000) };
		memcpy(buf + len, &d, sizeof(d));
		len += sizeof(d);
	}
	return len;
}

/* Controller sequences: mostly attaches, detaches and deliveries. */
static size_t semi_valid_ops(u8 *buf, size_t room)
{
	size_t len = 0, n = 16 + t_rng() % 400;

	buf[len++] = 1;
	buf[len++] = t_rng() % 8;
	while (len + 2 < room && n--) {
		buf[len++] = t_rng();
		buf[len++] = t_rng() % 4 ? t_rng() % 8 : t_rng();
	}
	return len;
}

static size_t semi_valid_shared(u8 *buf)
{
	struct xenusb_urb_request r = semi_valid_wire();
	size_t len = 0;

	buf[len++] = 4;
	buf[len++] = t_rng();
	memcpy(buf + len, &r, sizeof(r));
	return len + sizeof(r) + 32;
}

static size_t replay_input(u8 *buf, size_t room, unsigned int i)
{
	switch (i % 8) {
	case 0:
	case 1:
	case 2:
	case 3:
		return semi_valid_request(buf, room);
	case 4:
		return semi_valid_ops(buf, room);
	case 5:
		return semi_valid_shared(buf);
	}
	return random_input(buf, room);
}
