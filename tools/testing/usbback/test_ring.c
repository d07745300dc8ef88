// SPDX-License-Identifier: GPL-2.0
/*
 * The rings: producer checks of both, one fetch of each request slot
 * while the frontend rewrites it, the response layout, the ids in flight
 * and the plan of the grant copies.
 */
#include "../../../drivers/usb/xen-usbback/usbback-proto.c"
#include "../common/test.h"
#include "../common/shared.h"
#include "usbback-test.h"

static unsigned int avail;

struct prod_case {
	RING_IDX req_prod, req_cons, rsp_prod_pvt;
	enum xenpv_prod_verdict want;
	unsigned int avail;
};

typedef enum xenpv_prod_verdict (*prod_fn)(RING_IDX req_prod, RING_IDX req_cons,
					   RING_IDX rsp_prod_pvt,
					   unsigned int *avail);

static void check_prods(prod_fn fn, const struct prod_case *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, c++) {
		T_CASE("prod %#x cons %#x rsp %#x", c->req_prod, c->req_cons,
		       c->rsp_prod_pvt);
		avail = 99;
		CHECK_EQ(fn(c->req_prod, c->req_cons, c->rsp_prod_pvt, &avail),
			 c->want);
		CHECK_EQ(avail, c->avail);
	}
	T_CASE_END();
}

static void urb_producer(void)
{
	static const struct prod_case cases[] = {
		{ 0, 0, 0, XENPV_PROD_OK, 0 },
		{ 16, 0, 0, XENPV_PROD_OK, 16 },
		{ 17, 0, 0, XENPV_PROD_OVERRUN, 0 },
		/* Five taken and unanswered: eleven more at most. */
		{ 16, 5, 0, XENPV_PROD_OK, 11 },
		{ 17, 5, 0, XENPV_PROD_UNASKED, 0 },
		{ 4, 5, 5, XENPV_PROD_BACKWARDS, 0 },
		{ 0x80000005u, 5, 5, XENPV_PROD_BACKWARDS, 0 },
		{ 3, 0xfffffffeu, 0xfffffffeu, XENPV_PROD_OK, 5 },
	};

	check_prods(usbback_check_req_prod, cases, ARRAY_SIZE(cases));
	/* Our own indexes out of step: a bug of ours. */
	CHECK_WARNS(1, CHECK_EQ(usbback_check_req_prod(20, 20, 0, &avail),
				XENPV_PROD_OVERRUN));
}

static void conn_producer(void)
{
	static const struct prod_case cases[] = {
		/* Linux's frontend posts all 512 at once. */
		{ 512, 0, 0, XENPV_PROD_OK, 512 },
		{ 513, 0, 0, XENPV_PROD_OVERRUN, 0 },
		{ 600, 100, 100, XENPV_PROD_OK, 500 },
		{ 600, 100, 90, XENPV_PROD_OK, 500 },
		{ 603, 100, 90, XENPV_PROD_UNASKED, 0 },
		{ 602, 100, 90, XENPV_PROD_OK, 502 },
		{ 99, 100, 100, XENPV_PROD_BACKWARDS, 0 },
	};

	check_prods(usbback_check_conn_prod, cases, ARRAY_SIZE(cases));
	CHECK_WARNS(1, CHECK_EQ(usbback_check_conn_prod(600, 600, 0, &avail),
				XENPV_PROD_OVERRUN));
}

/* A hostile frontend: every byte fetched changes right after. */
static void flip_after_fetch(const u8 *src, size_t n)
{
	u8 *p = (u8 *)src;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] ^= 0x5a;
}

static void one_fetch(void)
{
	static u8 ring[USBBACK_GRANT_SIZE] __aligned(8);
	static u8 fetches[sizeof(ring)], seen[sizeof(ring)];
	struct xenusb_urb_request r = iso_req(3, 192);
	struct usbback_req req;
	u8 *slot = ring + 64 + 3 * sizeof(r);
	size_t i;

	memcpy(slot, &r, sizeof(r));
	shim_shared_begin(ring, sizeof(ring), fetches, seen, flip_after_fetch);
	usbback_get_req(&req, slot);
	shim_shared_end();
	/* Each byte of the slot once, nothing else. */
	for (i = 0; i < sizeof(ring); i++) {
		T_CASE("byte %zu", i);
		CHECK_EQ(fetches[i], ring + i >= slot && ring + i < slot + sizeof(r));
	}
	T_CASE_END();
	/* The decoded request is what was there at the fetch. */
	CHECK(!memcmp(&req.raw, &r, sizeof(r)));
	CHECK_EQ(req.id, 7);
	CHECK_EQ(req.port, 1);
	CHECK_EQ(req.devnum, 5);
	CHECK_EQ(req.ep, 4);
	CHECK_EQ(req.type, XENUSB_PIPE_TYPE_ISOC);
	CHECK(req.in);
	CHECK(!req.unlink);
	CHECK_EQ(req.nr_segs, 1);
	CHECK_EQ(req.nr_desc_segs, 1);
	/* And the slot did change under the copy. */
	CHECK_EQ(slot[0], 7 ^ 0x5a);
}

static void response_layout(void)
{
	struct xenusb_urb_response rsp;

	usbback_put_rsp(&rsp, 0xbeef, XENUSB_STATUS_STALL, 4096, 3, 0x1234);
	CHECK_EQ(rsp.id, 0xbeef);
	CHECK_EQ(rsp.status, -32);
	CHECK_EQ(rsp.actual_length, 4096);
	CHECK_EQ(rsp.error_count, 3);
	CHECK_EQ(rsp.start_frame, 0x1234);
}

static void inflight(void)
{
	struct usbback_inflight f = { };
	unsigned int i;

	for (i = 0; i < USBBACK_URB_RING_SIZE; i++)
		CHECK_EQ(usbback_inflight_add(&f, 1000 + i), i);
	CHECK_EQ(usbback_inflight_count(&f), 16);
	/* Every slot taken: the caller's producer check failed. */
	CHECK_WARNS(1, CHECK_EQ(usbback_inflight_add(&f, 7), -ENOSPC));
	/* A duplicate is found before the table is full. */
	CHECK_EQ(usbback_inflight_add(&f, 1003), -EEXIST);
	CHECK_EQ(usbback_inflight_find(&f, 1005), 5);
	CHECK_EQ(usbback_inflight_find(&f, 7), -ENOENT);
	usbback_inflight_del(&f, 5);
	CHECK_EQ(usbback_inflight_find(&f, 1005), -ENOENT);
	CHECK_EQ(usbback_inflight_count(&f), 15);
	/* The freed slot is taken again, for any id. */
	CHECK_EQ(usbback_inflight_add(&f, 0xffff), 5);
	CHECK_EQ(usbback_inflight_add(&f, 0xffff), -EEXIST);
	CHECK_WARNS(1, usbback_inflight_del(&f, 16));
	usbback_inflight_del(&f, 0);
	CHECK_WARNS(1, usbback_inflight_del(&f, 0));
	CHECK_EQ(usbback_inflight_count(&f), 15);
}

/* Apply a copy plan between @segs' frames and a buffer, as Xen would. */
static void apply(const struct usbback_copy *ops, unsigned int n,
		  u8 frames[][USBBACK_GRANT_SIZE], u8 *buf)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		CHECK(ops[i].seg_off + ops[i].len <= USBBACK_GRANT_SIZE);
		CHECK_EQ(ops[i].buf_off / USBBACK_GRANT_SIZE,
			 (ops[i].buf_off + ops[i].len - 1) / USBBACK_GRANT_SIZE);
		memcpy(buf + ops[i].buf_off, frames[ops[i].seg] + ops[i].seg_off,
		       ops[i].len);
	}
}

static void copy_plans(void)
{
	static u8 frames[USBBACK_MAX_SEGS][USBBACK_GRANT_SIZE];
	static u8 buf[USBBACK_MAX_SEGS * USBBACK_GRANT_SIZE];
	static const struct { unsigned int off, len, limit, nops; } cases[] = {
		{ 0, 4096, 4096, 1 },
		{ 0, 512, 512, 1 },
		{ 100, 4096, 4096, 2 },
		{ 100, 8192, 8192, 4 },
		{ 100, 8192, 13, 1 },
		{ 100, 8192, 3996, 1 },
		{ 100, 8192, 3997, 2 },
		{ 0, 65535, 65535, 16 },
		{ 1, 61440, 61440, 30 },
		{ 0, 4096, 0, 0 },
	};
	struct xenusb_urb_request r;
	struct usbback_copy ops[USBBACK_MAX_COPIES];
	unsigned int i, j, k, n, pos;

	for (i = 0; i < USBBACK_MAX_SEGS; i++)
		for (j = 0; j < USBBACK_GRANT_SIZE; j++)
			frames[i][j] = i * 7 + j * 13;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("offset %u length %u limit %u", cases[i].off,
		       cases[i].len, cases[i].limit);
		memset(&r, 0, sizeof(r));
		n = fill_segs(&r, 0, cases[i].off, cases[i].len);
		memset(buf, 0, sizeof(buf));
		k = usbback_plan_copy(r.seg, 0, n, cases[i].limit, ops);
		CHECK_EQ(k, cases[i].nops);
		apply(ops, k, frames, buf);
		/* The bytes arrive in order, as many as the limit. */
		pos = 0;
		for (j = 0; j < n; j++)
			for (k = 0; k < r.seg[j].length; k++, pos++)
				if (pos < cases[i].limit &&
				    buf[pos] != frames[j][r.seg[j].offset + k])
					goto wrong;
		CHECK(!buf[cases[i].limit]);
		continue;
wrong:
		CHECK_EQ(pos, -1);
	}
	T_CASE_END();
	/* Descriptor segments after the buffer's start their own buffer. */
	memset(&r, 0, sizeof(r));
	n = fill_segs(&r, 0, 0, 100);
	fill_segs(&r, n, 4000, 200);
	CHECK_EQ(usbback_plan_copy(r.seg, n, 2, 200, ops), 2);
	CHECK_EQ(ops[0].seg, 1);
	CHECK_EQ(ops[0].buf_off, 0);
	CHECK_EQ(ops[0].seg_off, 4000);
	CHECK_EQ(ops[1].seg, 2);
	CHECK_EQ(ops[1].buf_off, 96);
	CHECK_WARNS(1, CHECK_EQ(usbback_plan_copy(r.seg, 10, 7, 200, ops), 0));
}

int main(void)
{
	RUN(urb_producer);
	RUN(conn_producer);
	RUN(one_fetch);
	RUN(response_layout);
	RUN(inflight);
	RUN(copy_plans);
	return t_done();
}
