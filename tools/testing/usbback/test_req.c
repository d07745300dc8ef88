// SPDX-License-Identifier: GPL-2.0
/*
 * Request checks: the pipe against the ports, addresses and endpoints;
 * segments against the buffer; control setup packets and the requests
 * the backend answers itself; isochronous packets; the transfer flags
 * kept; each verdict's status, fatality and message.
 */
#include "../../../drivers/usb/xen-usbback/usbback-proto.c"
#include "../common/test.h"
#include "usbback-test.h"

static struct usbback_bad bad;

/* Check @r against the test controller, with @port's device's endpoints. */
static enum usbback_verdict check(const struct xenusb_urb_request *r,
				  struct usbback_req *out)
{
	struct usbback_eps eps = dev_eps();
	struct usbback_req req = decode(r);
	enum usbback_verdict v;
	bool attached = req.port >= 1 && req.port <= ctl.nr_ports &&
			ctl.port[req.port].speed != XENUSB_SPEED_NONE;

	v = usbback_check_req(&ctl, attached ? &eps : NULL, &req, &bad);
	if (out)
		*out = req;
	CHECK_EQ(bad.verdict, v);
	return v;
}

static const char *msg(const struct xenusb_urb_request *r)
{
	static char buf[160];
	struct usbback_req req = decode(r);

	usbback_bad_str(&req, &bad, buf, sizeof(buf));
	return buf;
}

/* The message, after its "request ID " start, is @want. */
#define CHECK_MSG(r, want) do {						\
	const char *__m = msg(r), *__w = (want);			\
	if (strncmp(__m, "request 7 ", 10) || strcmp(__m + 10, __w)) {	\
		t_fail(__FILE__, __LINE__);				\
		printf("message \"%s\", want \"%s\"\n", __m, __w);	\
	}								\
} while (0)

/* A data request's pipe and the verdict it must get. */
struct pipe_case {
	u8 type, port, dev, ep;
	bool in;
	enum usbback_verdict want;
};

static void pipes(void)
{
	static const struct pipe_case cases[] = {
		{ XENUSB_PIPE_TYPE_BULK, 1, 5, 1, true, USBBACK_REQ_OK },
		{ XENUSB_PIPE_TYPE_BULK, 1, 5, 2, false, USBBACK_REQ_OK },
		{ XENUSB_PIPE_TYPE_INT, 1, 5, 3, true, USBBACK_REQ_OK },
		{ XENUSB_PIPE_TYPE_BULK, 0, 5, 1, true, USBBACK_REQ_BAD_PORT },
		{ XENUSB_PIPE_TYPE_BULK, 5, 5, 1, true, USBBACK_REQ_BAD_PORT },
		{ XENUSB_PIPE_TYPE_BULK, 31, 5, 1, true, USBBACK_REQ_BAD_PORT },
		{ XENUSB_PIPE_TYPE_BULK, 3, 5, 1, true, USBBACK_REQ_NO_DEVICE },
		{ XENUSB_PIPE_TYPE_BULK, 4, 0, 1, true, USBBACK_REQ_NO_DEVICE },
		{ XENUSB_PIPE_TYPE_BULK, 1, 6, 1, true, USBBACK_REQ_BAD_ADDR },
		{ XENUSB_PIPE_TYPE_BULK, 2, 5, 1, true, USBBACK_REQ_BAD_ADDR },
		/* Address 0: only endpoint 0, as in the default state. */
		{ XENUSB_PIPE_TYPE_BULK, 1, 0, 1, true, USBBACK_REQ_BAD_ADDR },
		{ XENUSB_PIPE_TYPE_BULK, 2, 0, 1, true, USBBACK_REQ_BAD_ADDR },
		{ XENUSB_PIPE_TYPE_BULK, 1, 5, 6, true, USBBACK_REQ_NO_ENDPOINT },
		{ XENUSB_PIPE_TYPE_BULK, 1, 5, 1, false, USBBACK_REQ_NO_ENDPOINT },
		{ XENUSB_PIPE_TYPE_BULK, 1, 5, 15, false, USBBACK_REQ_NO_ENDPOINT },
		{ XENUSB_PIPE_TYPE_BULK, 1, 5, 3, true, USBBACK_REQ_WRONG_TYPE },
		{ XENUSB_PIPE_TYPE_INT, 1, 5, 1, true, USBBACK_REQ_WRONG_TYPE },
		{ XENUSB_PIPE_TYPE_ISOC, 1, 5, 1, true, USBBACK_REQ_ISO_PACKETS },
		{ XENUSB_PIPE_TYPE_BULK, 1, 5, 0, true, USBBACK_REQ_WRONG_TYPE },
	};
	struct xenusb_urb_request r;
	unsigned int i;

	ctl_setup();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct pipe_case *c = &cases[i];

		T_CASE("row %u: type %u port %u dev %u ep %u %s", i, c->type,
		       c->port, c->dev, c->ep, c->in ? "in" : "out");
		r = wire(c->type, c->port, c->dev, c->ep, c->in, 512, 0);
		CHECK_EQ(check(&r, NULL), c->want);
	}
	T_CASE_END();
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 6, 1, true, 512, 0);
	check(&r, NULL);
	CHECK_MSG(&r, "(port 1 dev 6 ep 1): device address not the port's (6, limit 5)");
	r = wire(XENUSB_PIPE_TYPE_BULK, 9, 5, 1, true, 512, 0);
	check(&r, NULL);
	CHECK_MSG(&r, "(port 9 dev 5 ep 1): no such port (9, limit 4)");
}

static void segment_layouts(void)
{
	struct xenusb_urb_request r;
	struct usbback_req req;

	ctl_setup();
	/* 16 segments: the most a request has, 65535 bytes. */
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 1, true, 65535, 0);
	CHECK_EQ(r.nr_buffer_segs, 16);
	CHECK_EQ(check(&r, &req), USBBACK_REQ_OK);
	CHECK_EQ(req.action, USBBACK_ACT_SUBMIT);
	r.nr_buffer_segs = 17;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_TOO_MANY_SEGS);
	CHECK_MSG(&r, "(port 1 dev 5 ep 1): too many segments (17, limit 16)");
	r.nr_buffer_segs = 0xffff;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_TOO_MANY_SEGS);

	/*
	 * 64 KiB in 16 full segments: the 16-bit buffer_length wraps to 0,
	 * as Linux's xen-hcd sends it; taken at 64 KiB when the segments
	 * hold exactly that.
	 */
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 1, true, 65536, 0);
	CHECK_EQ(r.buffer_length, 0);
	CHECK_EQ(r.nr_buffer_segs, 16);
	CHECK_EQ(check(&r, &req), USBBACK_REQ_OK);
	CHECK_EQ(req.length, 65536);
	r.seg[15].length--;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_LENGTH);
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 1, true, 65536, 100);
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_LENGTH);

	/* Unaligned: the first segment ends at its frame's end. */
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 2, false, 8192, 100);
	CHECK_EQ(r.nr_buffer_segs, 3);
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_OK);
	r.seg[0].length++;
	r.seg[2].length--;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_SEG_BEYOND_FRAME);
	CHECK_EQ(bad.seg, 0);
	CHECK_EQ(bad.value, 4097);
	CHECK_MSG(&r, "(port 1 dev 5 ep 2): segment beyond its frame 0 (4097, limit 4096)");
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 2, false, 8192, 100);
	r.seg[1].offset = 0xffff;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_SEG_BEYOND_FRAME);
	CHECK_EQ(bad.seg, 1);

	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 2, false, 8192, 100);
	r.seg[1].length = 0;
	r.seg[2].length += 4096;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_SEG_EMPTY);

	/* The segments must add up to buffer_length, both ways. */
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 2, false, 8192, 100);
	r.buffer_length--;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_LENGTH);
	r.buffer_length += 2;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_LENGTH);
	CHECK_EQ(bad.value, 8192);
	CHECK_EQ(bad.limit, 8193);
	/* A zero-length transfer has no segment. */
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 2, false, 0, 0);
	CHECK_EQ(r.nr_buffer_segs, 0);
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_OK);
	r.nr_buffer_segs = 1;
	r.seg[0].length = 1;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_LENGTH);
}

/* A control request on ep0 and what must become of it. */
struct ctrl_case {
	u8 port, dev, type, request;
	u16 value, index, length;
	enum usbback_verdict want;
	enum usbback_action action;
};

static void control(void)
{
	static const struct ctrl_case cases[] = {
		{ 2, 0, USB_DIR_IN, USB_REQ_GET_DESCRIPTOR, USB_DT_DEVICE << 8,
		  0, 18, USBBACK_REQ_OK, USBBACK_ACT_SUBMIT },
		{ 1, 5, USB_DIR_IN, USB_REQ_GET_STATUS, 0, 0, 2,
		  USBBACK_REQ_OK, USBBACK_ACT_SUBMIT },
		/* After a virtual port reset, address 0 is the device. */
		{ 1, 0, USB_DIR_IN, USB_REQ_GET_DESCRIPTOR, USB_DT_DEVICE << 8,
		  0, 64, USBBACK_REQ_OK, USBBACK_ACT_SUBMIT },
		{ 2, 0, 0, USB_REQ_SET_ADDRESS, 7, 0, 0, USBBACK_REQ_OK,
		  USBBACK_ACT_SET_ADDRESS },
		{ 2, 0, 0, USB_REQ_SET_ADDRESS, 127, 0, 0, USBBACK_REQ_OK,
		  USBBACK_ACT_SET_ADDRESS },
		{ 2, 0, 0, USB_REQ_SET_ADDRESS, 128, 0, 0,
		  USBBACK_REQ_BAD_NEW_ADDR, USBBACK_ACT_SUBMIT },
		{ 2, 0, 0, USB_REQ_SET_ADDRESS, 5, 0, 0,
		  USBBACK_REQ_BAD_NEW_ADDR, USBBACK_ACT_SUBMIT },
		{ 1, 5, 0, USB_REQ_SET_ADDRESS, 5, 0, 0, USBBACK_REQ_OK,
		  USBBACK_ACT_SET_ADDRESS },
		{ 1, 0, 0, USB_REQ_SET_ADDRESS, 0, 0, 0, USBBACK_REQ_OK,
		  USBBACK_ACT_SET_ADDRESS },
		{ 1, 5, 0, USB_REQ_SET_CONFIGURATION, 1, 0, 0, USBBACK_REQ_OK,
		  USBBACK_ACT_SET_CONFIG },
		{ 1, 5, 0, USB_REQ_SET_CONFIGURATION, 0, 0, 0, USBBACK_REQ_OK,
		  USBBACK_ACT_SET_CONFIG },
		{ 1, 5, 0, USB_REQ_SET_CONFIGURATION, 2, 0, 0,
		  USBBACK_REQ_NEW_CONFIG, USBBACK_ACT_SUBMIT },
		{ 1, 5, USB_RECIP_INTERFACE, USB_REQ_SET_INTERFACE, 1, 0, 0,
		  USBBACK_REQ_OK, USBBACK_ACT_SET_INTERFACE },
		{ 1, 5, USB_RECIP_ENDPOINT, USB_REQ_CLEAR_FEATURE,
		  USB_ENDPOINT_HALT, 0x81, 0, USBBACK_REQ_OK,
		  USBBACK_ACT_CLEAR_HALT },
		/* Another feature of an endpoint: the device's business. */
		{ 1, 5, USB_RECIP_ENDPOINT, USB_REQ_CLEAR_FEATURE, 1, 0x81, 0,
		  USBBACK_REQ_OK, USBBACK_ACT_SUBMIT },
		/* A class request that happens to use number 5. */
		{ 1, 5, USB_TYPE_CLASS, USB_REQ_SET_ADDRESS, 9, 0, 0,
		  USBBACK_REQ_OK, USBBACK_ACT_SUBMIT },
		{ 3, 0, USB_DIR_IN, USB_REQ_GET_DESCRIPTOR, USB_DT_DEVICE << 8,
		  0, 18, USBBACK_REQ_NO_DEVICE, USBBACK_ACT_SUBMIT },
	};
	struct xenusb_urb_request r;
	struct usbback_req req;
	unsigned int i;

	ctl_setup();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ctrl_case *c = &cases[i];

		T_CASE("row %u: port %u dev %u type %#x request %u value %u",
		       i, c->port, c->dev, c->type, c->request, c->value);
		r = ctrl_req(c->port, c->dev, c->type, c->request, c->value,
			     c->index, c->length);
		CHECK_EQ(check(&r, &req), c->want);
		CHECK_EQ(req.action, c->action);
		CHECK_EQ(usbback_verdict_status(c->want),
			 c->want == USBBACK_REQ_NEW_CONFIG ? XENUSB_STATUS_STALL :
			 c->want == USBBACK_REQ_NO_DEVICE ? XENUSB_STATUS_NODEV :
			 c->want ? XENUSB_STATUS_INVAL : XENUSB_STATUS_OK);
	}
	T_CASE_END();
	/* None of these changed the table: the caller does that. */
	CHECK_EQ(ctl.port[2].addr, 0);
	CHECK_EQ(ctl.addr_port[7], 0);
}

static void control_data_stage(void)
{
	struct xenusb_urb_request r;
	struct usbback_req req;

	ctl_setup();
	r = ctrl_req(1, 5, USB_DIR_IN, USB_REQ_GET_DESCRIPTOR, 0x200, 0, 255);
	CHECK_EQ(check(&r, &req), USBBACK_REQ_OK);
	CHECK(req.in);
	CHECK_EQ(req.setup.length, 255);
	CHECK_EQ(req.setup.value, 0x200);
	/* wLength must be the buffer's length. */
	r.buffer_length = 254;
	r.seg[0].length = 254;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_CTRL_LENGTH);
	CHECK_MSG(&r, "(port 1 dev 5 ep 0): wLength not the buffer's length (255, limit 254)");
	/* An IN setup packet on an OUT pipe, and the other way round. */
	r = ctrl_req(1, 5, USB_DIR_IN, USB_REQ_GET_DESCRIPTOR, 0x200, 0, 9);
	r.pipe &= ~XENUSB_PIPE_DIR;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_CTRL_DIR);
	r = ctrl_req(1, 5, USB_TYPE_VENDOR, 1, 0, 0, 9);
	r.pipe |= XENUSB_PIPE_DIR;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_CTRL_DIR);
	CHECK(usbback_verdict_fatal(USBBACK_REQ_CTRL_DIR));
	/* No data stage: it goes out whatever the pipe says. */
	r = ctrl_req(1, 5, USB_DIR_IN | USB_TYPE_VENDOR, 1, 0, 0, 0);
	r.pipe |= XENUSB_PIPE_DIR;
	CHECK_EQ(check(&r, &req), USBBACK_REQ_OK);
	CHECK(!req.in);
}

static void iso_requests(void)
{
	struct xenpv_usb_iso_desc d[3];
	struct xenusb_urb_request r;
	struct usbback_req req;
	unsigned int i;

	ctl_setup();
	r = iso_req(3, 192);
	CHECK_EQ(check(&r, &req), USBBACK_REQ_OK);
	CHECK_EQ(req.nr_segs, 1);
	CHECK_EQ(req.nr_desc_segs, 1);
	for (i = 0; i < 3; i++)
		d[i] = (struct xenpv_usb_iso_desc){ i * 192, 192, 0, 0 };
	CHECK_EQ(usbback_check_iso(&req, d, &bad), USBBACK_REQ_OK);
	d[2].length = 193;
	CHECK_EQ(usbback_check_iso(&req, d, &bad), USBBACK_REQ_ISO_PACKET);
	CHECK_EQ(bad.seg, 2);
	CHECK_EQ(bad.value, 577);
	CHECK_EQ(bad.limit, 576);
	CHECK_MSG(&r, "(port 1 dev 5 ep 4): iso packet beyond the buffer 2 (577, limit 576)");
	/* 32-bit wrap-around of offset + length is caught. */
	d[2] = (struct xenpv_usb_iso_desc){ 0xffffff00u, 0x100, 0, 0 };
	CHECK_EQ(usbback_check_iso(&req, d, &bad), USBBACK_REQ_ISO_PACKET);

	r = iso_req(3, 192);
	r.u.isoc.number_of_packets = 0;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_ISO_PACKETS);
	r.u.isoc.number_of_packets = USBBACK_MAX_ISO_PACKETS + 1;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_ISO_PACKETS);
	r.u.isoc.number_of_packets = 4;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_ISO_DESCS);
	r.u.isoc.number_of_packets = 3;
	r.u.isoc.nr_frame_desc_segs = 0;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_ISO_DESCS);
	/* Buffer and descriptor segments share the 16. */
	r = iso_req(3, 192);
	r.u.isoc.nr_frame_desc_segs = 16;
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_TOO_MANY_SEGS);
	/* The most packets: 1024 descriptors fill four frames. */
	r = iso_req(USBBACK_MAX_ISO_PACKETS, 8);
	CHECK_EQ(r.u.isoc.nr_frame_desc_segs, 4);
	CHECK_EQ(check(&r, NULL), USBBACK_REQ_OK);
	/* Only an isochronous pipe's descriptor segments count. */
	r = wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 1, true, 512, 0);
	r.u.isoc.nr_frame_desc_segs = 16;
	CHECK_EQ(check(&r, &req), USBBACK_REQ_OK);
	CHECK_EQ(req.nr_desc_segs, 0);
}

/*
 * XENUSB_SHORT_NOT_OK goes on only where Linux's USB core takes
 * URB_SHORT_NOT_OK: IN transfers but isochronous ones (it warns on the
 * others, and a frontend must not make dom0 warn at will).
 */
struct flag_case {
	const char *what;
	struct xenusb_urb_request r;
	bool want;
};

static void transfer_flags(void)
{
	struct flag_case cases[] = {
		{ "bulk in", wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 1, true, 512, 0), true },
		{ "bulk out", wire(XENUSB_PIPE_TYPE_BULK, 1, 5, 2, false, 512, 0), false },
		{ "interrupt in", wire(XENUSB_PIPE_TYPE_INT, 1, 5, 3, true, 8, 0), true },
		{ "control in", ctrl_req(1, 5, USB_DIR_IN, USB_REQ_GET_DESCRIPTOR,
					 0x100, 0, 18), true },
		/* No data stage: it goes out. */
		{ "control in, no data", ctrl_req(1, 5, USB_DIR_IN | USB_TYPE_VENDOR,
						  1, 0, 0, 0), false },
		{ "iso in", iso_req(3, 192), false },
		{ "iso out", iso_req(3, 192), false },
	};
	struct usbback_req req;
	unsigned int i;

	ctl_setup();
	cases[6].r.pipe = pipe_of(XENUSB_PIPE_TYPE_ISOC, 1, 5, 5, false);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("%s", cases[i].what);
		CHECK_EQ(check(&cases[i].r, &req), USBBACK_REQ_OK);
		CHECK(!req.short_not_ok);
		cases[i].r.transfer_flags = XENUSB_SHORT_NOT_OK;
		CHECK_EQ(check(&cases[i].r, &req), USBBACK_REQ_OK);
		CHECK_EQ(req.short_not_ok, cases[i].want);
	}
	T_CASE_END();
	/* A refused request keeps nothing. */
	cases[0].r.nr_buffer_segs = USBBACK_MAX_SEGS + 1;
	CHECK_EQ(check(&cases[0].r, &req), USBBACK_REQ_TOO_MANY_SEGS);
	CHECK(!req.short_not_ok);
}

static void unlink(void)
{
	struct xenusb_urb_request r;
	struct usbback_req req;

	ctl_setup();
	/* Whatever the rest of the slot says: the last request's leftovers. */
	memset(&r, 0xee, sizeof(r));
	r.pipe = pipe_of(XENUSB_PIPE_TYPE_BULK, 31, 99, 15, true) |
		 XENUSB_PIPE_UNLINK;
	r.u.unlink.unlink_id = 3;
	CHECK_EQ(check(&r, &req), USBBACK_REQ_OK);
	CHECK_EQ(req.action, USBBACK_ACT_UNLINK);
	CHECK(req.unlink);
	CHECK_EQ(req.raw.u.unlink.unlink_id, 3);
}

static void verdict_table(void)
{
	unsigned int v;
	char buf[64];

	for (v = USBBACK_REQ_OK; v <= USBBACK_REQ_INTERNAL; v++) {
		T_CASE("verdict %u", v);
		CHECK(strcmp(usbback_verdict_str(v), "unknown"));
		CHECK(usbback_verdict_status(v) <= 0);
		CHECK_EQ(usbback_verdict_status(v) == 0, v == USBBACK_REQ_OK);
	}
	T_CASE_END();
	CHECK(!strcmp(usbback_verdict_str(USBBACK_REQ_INTERNAL + 1), "unknown"));
	CHECK_EQ(usbback_verdict_status(USBBACK_REQ_INTERNAL + 1),
		 XENUSB_STATUS_SHUTDOWN);
	CHECK(!usbback_verdict_fatal(USBBACK_REQ_INTERNAL + 1));
	/* Fatal: what no usbif frontend sends; not fatal: unplug races. */
	CHECK(usbback_verdict_fatal(USBBACK_REQ_DUP_ID));
	CHECK(usbback_verdict_fatal(USBBACK_REQ_LENGTH));
	CHECK(!usbback_verdict_fatal(USBBACK_REQ_NO_DEVICE));
	CHECK(!usbback_verdict_fatal(USBBACK_REQ_BAD_ADDR));
	CHECK(!usbback_verdict_fatal(USBBACK_REQ_UNLINK_UNKNOWN));
	/* A short buffer cuts the message, as snprintf() does. */
	memset(&bad, 0, sizeof(bad));
	bad.verdict = USBBACK_REQ_DUP_ID;
	CHECK(usbback_bad_str(&(struct usbback_req){ .id = 1 }, &bad, buf, 8) > 8);
	CHECK_EQ(strlen(buf), 7);
}

static void urb_statuses(void)
{
	static const struct { int in; s32 out; } cases[] = {
		{ 0, XENUSB_STATUS_OK },
		{ -EPIPE, XENUSB_STATUS_STALL },
		{ -EOVERFLOW, XENUSB_STATUS_BABBLE },
		{ -EPROTO, XENUSB_STATUS_IOERROR },
		{ -EILSEQ, XENUSB_STATUS_IOERROR },
		{ -ETIME, XENUSB_STATUS_IOERROR },
		{ -EREMOTEIO, XENUSB_STATUS_IOERROR },
		{ -ENODEV, XENUSB_STATUS_NODEV },
		{ -EINVAL, XENUSB_STATUS_INVAL },
		{ -ENOENT, XENUSB_STATUS_SHUTDOWN },
		{ -ECONNRESET, XENUSB_STATUS_SHUTDOWN },
		{ -ESHUTDOWN, XENUSB_STATUS_SHUTDOWN },
		{ -12345, XENUSB_STATUS_SHUTDOWN },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("status %d", cases[i].in);
		CHECK_EQ(usbback_urb_status(cases[i].in), cases[i].out);
	}
	T_CASE_END();
}

int main(void)
{
	RUN(pipes);
	RUN(segment_layouts);
	RUN(control);
	RUN(control_data_stage);
	RUN(iso_requests);
	RUN(transfer_flags);
	RUN(unlink);
	RUN(verdict_table);
	RUN(urb_statuses);
	return t_done();
}
