// SPDX-License-Identifier: GPL-2.0
/*
 * Responses: producer checks, ids, lengths, error counts and statuses
 * against what was asked, isochronous packet results, one fetch of each
 * response slot.
 */
#include "../../../drivers/usb/host/xen-hcd/xenhcd-proto.c"
#include "../common/test.h"
#include "../common/shared.h"

static struct xenpv_ids ids;
static struct xenhcd_sent sent[XENHCD_URB_RING_SIZE];
static int urbs[XENHCD_URB_RING_SIZE];

/* Ids 0-2 in flight: a 4 KiB bulk, a 3-packet iso of 576 bytes, an unlink. */
static void setup(void)
{
	CHECK_EQ(xenpv_ids_init(&ids, XENHCD_URB_RING_SIZE, GFP_KERNEL), 0);
	CHECK_EQ(xenpv_id_get(&ids, XENHCD_OP_SUBMIT, 0, &urbs[0]), 0);
	sent[0] = (struct xenhcd_sent){ 4096, 0 };
	CHECK_EQ(xenpv_id_get(&ids, XENHCD_OP_SUBMIT, 0, &urbs[1]), 1);
	sent[1] = (struct xenhcd_sent){ 576, 3 };
	CHECK_EQ(xenpv_id_get(&ids, XENHCD_OP_UNLINK, 0, NULL), 2);
	/* What an unlink leaves in its entry is not read. */
	sent[2] = (struct xenhcd_sent){ 0, 0 };
}

static struct xenusb_urb_response rsp(u16 id, s32 status, s32 len, s32 errs)
{
	return (struct xenusb_urb_response){ .id = id, .status = status,
					     .actual_length = len,
					     .error_count = errs };
}

static void producer(void)
{
	unsigned int avail = 99;

	CHECK_EQ(xenhcd_check_prod(3, 0, 16, 3, &avail), XENHCD_RSP_OK);
	CHECK_EQ(avail, 3);
	CHECK_EQ(xenhcd_check_prod(4, 0, 16, 3, &avail), XENHCD_RSP_PROD_UNASKED);
	CHECK_EQ(avail, 0);
	CHECK_EQ(xenhcd_check_prod(17, 0, 16, 16, &avail),
		 XENHCD_RSP_PROD_OVERRUN);
	CHECK_EQ(xenhcd_check_prod(5, 6, 16, 3, &avail),
		 XENHCD_RSP_PROD_BACKWARDS);
	/* The conn ring: all 512 posted, any number of events up to them. */
	CHECK_EQ(xenhcd_check_prod(512, 0, 512, 512, &avail), XENHCD_RSP_OK);
	CHECK_EQ(avail, 512);
	CHECK(strstr(xenhcd_verdict_str(XENHCD_RSP_PROD_UNASKED), "more"));
}

struct rsp_case {
	struct xenusb_urb_response r;
	enum xenhcd_verdict want;
};

static void checks(void)
{
	const struct rsp_case cases[] = {
		{ rsp(0, 0, 4096, 0), XENHCD_RSP_OK },
		{ rsp(0, 0, 0, 0), XENHCD_RSP_OK },
		{ rsp(0, XENUSB_STATUS_STALL, 13, 0), XENHCD_RSP_OK },
		{ rsp(0, -12345, 13, 0), XENHCD_RSP_OK },
		{ rsp(0, 0, 4097, 0), XENHCD_RSP_LENGTH },
		{ rsp(0, 0, -1, 0), XENHCD_RSP_LENGTH },
		{ rsp(0, 0, 0x7fffffff, 0), XENHCD_RSP_LENGTH },
		{ rsp(0, 0, 512, 1), XENHCD_RSP_ERROR_COUNT },
		{ rsp(0, 1, 512, 0), XENHCD_RSP_STATUS },
		{ rsp(1, 0, 576, 3), XENHCD_RSP_OK },
		{ rsp(1, 0, 576, 4), XENHCD_RSP_ERROR_COUNT },
		{ rsp(1, 0, 576, -1), XENHCD_RSP_ERROR_COUNT },
		{ rsp(1, 0, 577, 0), XENHCD_RSP_LENGTH },
		/* An unlink's response carries nothing else. */
		{ rsp(2, 99, -5, -5), XENHCD_RSP_OK },
		{ rsp(3, 0, 0, 0), XENHCD_RSP_STALE_ID },
		{ rsp(15, 0, 0, 0), XENHCD_RSP_STALE_ID },
		{ rsp(16, 0, 0, 0), XENHCD_RSP_BAD_ID },
		{ rsp(0xffff, 0, 0, 0), XENHCD_RSP_BAD_ID },
	};
	unsigned int i;

	setup();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("row %u: id %u status %d len %d errs %d", i,
		       cases[i].r.id, cases[i].r.status,
		       cases[i].r.actual_length, cases[i].r.error_count);
		CHECK_EQ(xenhcd_check_rsp(&ids, sent, &cases[i].r),
			 cases[i].want);
	}
	T_CASE_END();
	CHECK_EQ(xenpv_ids_in_flight(&ids), 3);
	xenpv_ids_destroy(&ids);
}

static void completes(void)
{
	struct xenusb_urb_response r;
	struct xenhcd_done d;

	setup();
	r = rsp(1, XENUSB_STATUS_IOERROR, 400, 2);
	r.start_frame = 33;
	CHECK_EQ(xenhcd_complete_rsp(&ids, sent, &r, &d), XENHCD_RSP_OK);
	CHECK_EQ(d.id, 1);
	CHECK_EQ(d.op, XENHCD_OP_SUBMIT);
	CHECK(d.priv == &urbs[1]);
	CHECK_EQ(d.status, -EPROTO);
	CHECK_EQ(d.actual_length, 400);
	CHECK_EQ(d.error_count, 2);
	CHECK_EQ(d.start_frame, 33);
	/* Answered twice: the second is stale, and changes nothing. */
	CHECK_EQ(xenhcd_complete_rsp(&ids, sent, &r, &d), XENHCD_RSP_STALE_ID);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 2);
	r = rsp(2, -1, 0, 0);
	CHECK_EQ(xenhcd_complete_rsp(&ids, sent, &r, &d), XENHCD_RSP_OK);
	CHECK_EQ(d.op, XENHCD_OP_UNLINK);
	CHECK_EQ(d.status, 0);
	/* A bad one frees nothing. */
	r = rsp(0, 0, 5000, 0);
	CHECK_EQ(xenhcd_complete_rsp(&ids, sent, &r, &d), XENHCD_RSP_LENGTH);
	CHECK_EQ(xenpv_ids_in_flight(&ids), 1);
	xenpv_ids_destroy(&ids);
}

static void statuses(void)
{
	static const struct { s32 in; int out; } cases[] = {
		{ XENUSB_STATUS_OK, 0 },
		{ XENUSB_STATUS_NODEV, -ENODEV },
		{ XENUSB_STATUS_INVAL, -EINVAL },
		{ XENUSB_STATUS_STALL, -EPIPE },
		{ XENUSB_STATUS_IOERROR, -EPROTO },
		{ XENUSB_STATUS_BABBLE, -EOVERFLOW },
		{ XENUSB_STATUS_SHUTDOWN, -ESHUTDOWN },
		{ -ENOENT, -EPROTO },
		{ -0x7fffffff, -EPROTO },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("status %d", cases[i].in);
		CHECK_EQ(xenhcd_status(cases[i].in), cases[i].out);
	}
	T_CASE_END();
}

static void iso_packets(void)
{
	static const struct {
		struct xenpv_usb_iso_desc d;
		u32 length;
		enum xenhcd_verdict want;
	} cases[] = {
		{ { 0, 192, 192, 0 }, 192, XENHCD_RSP_OK },
		{ { 0, 192, 0, -EXDEV }, 192, XENHCD_RSP_OK },
		{ { 0, 192, 100, -EREMOTEIO }, 192, XENHCD_RSP_OK },
		{ { 0, 192, 193, 0 }, 192, XENHCD_RSP_ISO_LENGTH },
		/* Our length counts, not what the backend left in its copy. */
		{ { 0, 9999, 193, 0 }, 192, XENHCD_RSP_ISO_LENGTH },
		{ { 0, 192, 0, 1 }, 192, XENHCD_RSP_ISO_STATUS },
		{ { 0, 192, 0, -4095 }, 192, XENHCD_RSP_OK },
		{ { 0, 192, 0, -4096 }, 192, XENHCD_RSP_ISO_STATUS },
	};
	unsigned int i;
	u32 actual;
	int status;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("row %u", i);
		actual = 12345;
		status = 12345;
		CHECK_EQ(xenhcd_iso_packet(&cases[i].d, cases[i].length,
					   &actual, &status), cases[i].want);
		if (cases[i].want) {
			CHECK_EQ(actual, 12345);
			CHECK_EQ(status, 12345);
		} else {
			CHECK_EQ(actual, cases[i].d.actual_length);
			CHECK_EQ(status, cases[i].d.status);
		}
	}
	T_CASE_END();
}

/* A hostile backend: every byte fetched changes right after. */
static void flip_after_fetch(const u8 *src, size_t n)
{
	u8 *p = (u8 *)src;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] ^= 0xa5;
}

static void one_fetch(void)
{
	static u8 page[XENPV_USB_GRANT_SIZE] __aligned(8);
	static u8 fetches[sizeof(page)], seen[sizeof(page)];
	struct xenusb_urb_response r, *slot = (void *)(page + 64 + 16 * 5);
	struct xenpv_usb_iso_desc *d = (void *)(page + 2048);
	u32 actual;
	int status;

	*slot = rsp(1, 0, 576, 0);
	*d = (struct xenpv_usb_iso_desc){ 0, 192, 100, 0 };
	shim_shared_begin(page, sizeof(page), fetches, seen, flip_after_fetch);
	xenhcd_get_rsp(&r, slot);
	CHECK_EQ(shim_shared_fetched(64 + 16 * 5, sizeof(r)), sizeof(r));
	CHECK_EQ(xenhcd_iso_packet(d, 192, &actual, &status), XENHCD_RSP_OK);
	CHECK_EQ(shim_shared_fetched(2048, sizeof(*d)), sizeof(*d));
	shim_shared_end();
	CHECK_EQ(r.id, 1);
	CHECK_EQ(r.actual_length, 576);
	CHECK_EQ(actual, 100);
	CHECK_EQ(status, 0);
	CHECK_EQ(slot->id, 1 ^ 0xa5a5);
}

int main(void)
{
	RUN(producer);
	RUN(checks);
	RUN(completes);
	RUN(statuses);
	RUN(iso_packets);
	RUN(one_fetch);
	return t_done();
}
