// SPDX-License-Identifier: GPL-2.0
/*
 * Requests: buffers cut at grant frames, the usbif pipe of an URB, the
 * encoding of each transfer type and of an unlink, written once.
 */
#include "../../../drivers/usb/host/xen-hcd/xenhcd-proto.c"
#include "../common/test.h"
#include "../common/shared.h"

struct plan_case {
	unsigned long addr;
	u32 len;
	unsigned int max;
	int want;
	u16 first_len, last_len;
};

static void buffers(void)
{
	static const struct plan_case cases[] = {
		{ 0x10000, 0, 16, 0, 0, 0 },
		{ 0x10000, 1, 16, 1, 1, 1 },
		{ 0x10000, 4096, 16, 1, 4096, 4096 },
		{ 0x10000, 4097, 16, 2, 4096, 1 },
		{ 0x10fff, 2, 16, 2, 1, 1 },
		{ 0x10100, 4096, 16, 2, 3840, 256 },
		{ 0x10000, 65535, 16, 16, 4096, 4095 },
		{ 0x10001, 65535, 16, 16, 4095, 4096 },
		{ 0x10002, 65535, 16, -E2BIG, 0, 0 },
		{ 0x10000, 65536, 15, -E2BIG, 0, 0 },
		{ 0x10000, 61440, 15, 15, 4096, 4096 },
	};
	struct xenhcd_chunk c[16];
	unsigned int i, k;
	u32 pos;
	int n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct plan_case *t = &cases[i];

		T_CASE("addr %#lx len %u max %u", t->addr, t->len, t->max);
		n = xenhcd_plan_buffer(t->addr, t->len, c, t->max);
		CHECK_EQ(n, t->want);
		if (n <= 0)
			continue;
		CHECK_EQ(c[0].len, t->first_len);
		CHECK_EQ(c[n - 1].len, t->last_len);
		CHECK_EQ(c[0].offset, t->addr & 4095);
		for (k = 0, pos = 0; k < (unsigned int)n; k++) {
			CHECK_EQ(c[k].pos, pos);
			CHECK(c[k].offset + c[k].len <= XENPV_USB_GRANT_SIZE);
			CHECK(k == 0 || c[k].offset == 0);
			pos += c[k].len;
		}
		CHECK_EQ(pos, t->len);
	}
	T_CASE_END();
}

/* Linux's pipe: the <linux/usb.h> layout, built here by hand. */
static unsigned int linux_pipe(unsigned int type, unsigned int dev,
			       unsigned int ep, bool in)
{
	return type << 30 | ep << 15 | dev << 8 | (in ? 0x80 : 0);
}

static void pipes(void)
{
	u32 p = xenhcd_pipe(linux_pipe(3, 5, 2, true), 4);

	CHECK_EQ(xenusb_pipeportnum(p), 4);
	CHECK_EQ(xenusb_pipedevice(p), 5);
	CHECK_EQ(xenusb_pipeendpoint(p), 2);
	CHECK(xenusb_pipein(p));
	CHECK(xenusb_pipebulk(p));
	CHECK(!xenusb_pipeunlink(p));
	p = xenhcd_pipe(linux_pipe(0, 127, 15, false), 31);
	CHECK_EQ(p, 0x0007ff1fu);
	CHECK(xenusb_pipeisoc(p) && xenusb_pipeout(p));
	p = xenhcd_pipe(linux_pipe(2, 0, 0, true), 1);
	CHECK_EQ(p, 0x80000081u);
	/* Linux's own bits 0-6 (none today) never leak into the port. */
	CHECK_EQ(xenhcd_pipe(linux_pipe(1, 3, 1, true) | 0x7f, 2) & 0x7f, 2);
}

static void encode_types(void)
{
	static const struct xenhcd_chunk chunks[3] = {
		{ 0, 100, 3996 }, { 3996, 0, 4 }, { 0, 0, 48 } };
	static const grant_ref_t grefs[3] = { 11, 12, 13 };
	struct xenhcd_urb u = {
		.id = 9, .length = 4000, .nr_segs = 2, .chunks = chunks,
		.grefs = grefs, .short_not_ok = true, .interval = 8,
		.setup = { 0x80, 6, 0, 1, 0, 0, 0xa0, 0x0f },
	};
	struct xenusb_urb_request r;

	u.pipe = xenhcd_pipe(linux_pipe(2, 3, 0, true), 1);
	CHECK_EQ(xenhcd_encode(&r, &u), 0);
	CHECK_EQ(r.id, 9);
	CHECK_EQ(r.nr_buffer_segs, 2);
	CHECK_EQ(r.pipe, u.pipe);
	CHECK_EQ(r.transfer_flags, XENUSB_SHORT_NOT_OK);
	CHECK_EQ(r.buffer_length, 4000);
	CHECK(!memcmp(r.u.ctrl, u.setup, 8));
	CHECK_EQ(r.seg[0].gref, 11);
	CHECK_EQ(r.seg[0].offset, 100);
	CHECK_EQ(r.seg[0].length, 3996);
	CHECK_EQ(r.seg[1].length, 4);
	CHECK_EQ(r.seg[2].gref, 0);

	u.pipe = xenhcd_pipe(linux_pipe(1, 3, 1, true), 1);
	u.short_not_ok = false;
	CHECK_EQ(xenhcd_encode(&r, &u), 0);
	CHECK_EQ(r.u.intr.interval, 8);
	CHECK_EQ(r.u.intr.pad[0], 0);
	CHECK_EQ(r.transfer_flags, 0);

	u.pipe = xenhcd_pipe(linux_pipe(0, 3, 4, true), 1);
	u.nr_desc_segs = 1;
	u.nr_packets = 3;
	u.start_frame = 77;
	CHECK_EQ(xenhcd_encode(&r, &u), 0);
	CHECK_EQ(r.u.isoc.interval, 8);
	CHECK_EQ(r.u.isoc.start_frame, 77);
	CHECK_EQ(r.u.isoc.number_of_packets, 3);
	CHECK_EQ(r.u.isoc.nr_frame_desc_segs, 1);
	CHECK_EQ(r.nr_buffer_segs, 2);
	CHECK_EQ(r.seg[2].gref, 13);
	CHECK_EQ(r.seg[2].length, 48);

	u.pipe = xenhcd_pipe(linux_pipe(3, 3, 1, false), 1);
	u.nr_desc_segs = 0;
	CHECK_EQ(xenhcd_encode(&r, &u), 0);
	CHECK(!memcmp(r.u.ctrl, "\0\0\0\0\0\0\0\0", 8));

	/* The caller's bugs. */
	u.nr_segs = 17;
	CHECK_WARNS(1, CHECK_EQ(xenhcd_encode(&r, &u), -E2BIG));
	u.nr_segs = 2;
	u.length = 65537;
	CHECK_WARNS(1, CHECK_EQ(xenhcd_encode(&r, &u), -E2BIG));
	/* 64 KiB: bulk and interrupt only, sent as 0 (16-bit field). */
	u.length = 65536;
	CHECK_EQ(xenhcd_encode(&r, &u), 0);
	CHECK_EQ(r.buffer_length, 0);
	u.pipe = xenhcd_pipe(linux_pipe(2, 3, 0, true), 1);
	CHECK_WARNS(1, CHECK_EQ(xenhcd_encode(&r, &u), -E2BIG));
}

static void encode_unlink(void)
{
	struct xenusb_urb_request r;

	memset(&r, 0xee, sizeof(r));
	xenhcd_encode_unlink(&r, 4, xenhcd_pipe(linux_pipe(3, 3, 1, true), 2),
			     11);
	CHECK_EQ(r.id, 4);
	CHECK(xenusb_pipeunlink(r.pipe));
	CHECK_EQ(xenusb_pipeportnum(r.pipe), 2);
	CHECK_EQ(r.u.unlink.unlink_id, 11);
	CHECK_EQ(r.nr_buffer_segs, 0);
	CHECK_EQ(r.buffer_length, 0);
	CHECK_EQ(r.seg[15].gref, 0);
}

/* The slot is written with one store of the whole request. */
static void one_store(void)
{
	static u8 ring[XENPV_USB_GRANT_SIZE] __aligned(8);
	static u8 fetches[sizeof(ring)], seen[sizeof(ring)];
	static const struct xenhcd_chunk chunks[1] = { { 0, 0, 8 } };
	static const grant_ref_t grefs[1] = { 5 };
	struct xenhcd_urb u = { .id = 2, .length = 8, .nr_segs = 1,
				.chunks = chunks, .grefs = grefs };
	struct xenusb_urb_request *slot = (void *)(ring + 64);

	u.pipe = xenhcd_pipe(linux_pipe(3, 3, 1, false), 1);
	shim_shared_begin(ring, sizeof(ring), fetches, seen, NULL);
	CHECK_EQ(xenhcd_encode(slot, &u), 0);
	/* Nothing was read back from the shared page. */
	CHECK_EQ(shim_shared_fetched(0, sizeof(ring)), 0);
	shim_shared_end();
	CHECK_EQ(slot->seg[0].gref, 5);
	CHECK_EQ(slot->id, 2);
}

int main(void)
{
	RUN(buffers);
	RUN(pipes);
	RUN(encode_types);
	RUN(encode_unlink);
	RUN(one_store);
	return t_done();
}
