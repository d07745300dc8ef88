// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the xen-hcd protocol core.  The first byte picks:
 *
 *  0: a hostile backend's responses to a stream of submits and unlinks,
 *     all from the input, against a model of the ids in flight and what
 *     each asked for: a response is accepted exactly when its id is in
 *     flight and (for a submit) its length, error count and status fit,
 *     and an accepted one frees exactly its id.
 *  1: the root hub driven by port events (checked first) and hub
 *     requests with a clock, from the input: a port is connected exactly
 *     when it is powered and has a device, never enabled without a
 *     connection nor while resetting, suspended only when enabled, its
 *     speed bits those of its device, and the change bitmap names
 *     exactly the ports with change bits.
 *  2: buffers cut into grant frames and encoded: the parts cover the
 *     buffer in order within their frames, and the slot says it all.
 *  3: isochronous packet results against their lengths.
 *  4: single fetch: the response page is shared, the backend rewrites
 *     every byte right after it was fetched; each byte of a response is
 *     fetched once and the checks see what was fetched.
 *
 * Any broken invariant abort()s.  Built with clang -fsanitize=fuzzer by
 * "make fuzz"; fuzz_replay.c drives the same code without libFuzzer.
 */
#include <errno.h>
#include <stdlib.h>

#include "../../../drivers/usb/host/xen-hcd/xenhcd-proto.c"
#include "../common/fuzz.h"
#include "../common/shared.h"

/* ---- Mode 0: responses ------------------------------------------------------ */

struct fuzz_model {
	bool busy[XENHCD_URB_RING_SIZE];
	u8 op[XENHCD_URB_RING_SIZE];
	struct xenhcd_sent sent[XENHCD_URB_RING_SIZE];
};

static bool fuzz_rsp_fits(const struct fuzz_model *m,
			  const struct xenusb_urb_response *r)
{
	const struct xenhcd_sent *s;

	if (r->id >= XENHCD_URB_RING_SIZE || !m->busy[r->id])
		return false;
	s = &m->sent[r->id];
	if (m->op[r->id] == XENHCD_OP_UNLINK)
		return true;
	return r->actual_length >= 0 && (u32)r->actual_length <= s->length &&
	       r->error_count >= 0 && (u32)r->error_count <= s->nr_packets &&
	       r->status <= 0;
}

static void fuzz_one_rsp(struct xenpv_ids *ids, struct fuzz_model *m,
			 struct fuzz_in *in)
{
	struct xenusb_urb_response r;
	struct xenhcd_done d;
	enum xenhcd_verdict v;
	bool fits;

	fuzz_take(in, &r, sizeof(r));
	if (rd8(in) & 1)
		r.id %= XENHCD_URB_RING_SIZE + 2;
	fits = fuzz_rsp_fits(m, &r);
	v = xenhcd_complete_rsp(ids, m->sent, &r, &d);
	FUZZ_ASSERT((v == XENHCD_RSP_OK) == fits);
	FUZZ_ASSERT(strcmp(xenhcd_verdict_str(v), "unknown"));
	if (!fits)
		return;
	FUZZ_ASSERT(d.id == r.id && d.op == m->op[r.id] && d.priv == m);
	if (d.op == XENHCD_OP_SUBMIT)
		FUZZ_ASSERT(d.actual_length == (u32)r.actual_length &&
			    d.status <= 0 && (!d.status) == (!r.status));
	m->busy[r.id] = false;
}

static void fuzz_responses(struct fuzz_in *in)
{
	struct fuzz_model m = { };
	struct xenpv_ids ids;
	unsigned int i, n;
	int id;
	u8 op;

	FUZZ_ASSERT(!xenpv_ids_init(&ids, XENHCD_URB_RING_SIZE, GFP_KERNEL));
	while (in->n) {
		op = rd8(in);
		if (op & 1) {
			fuzz_one_rsp(&ids, &m, in);
		} else {
			id = xenpv_id_get(&ids, op & 2 ? XENHCD_OP_UNLINK :
					  XENHCD_OP_SUBMIT, 0, &m);
			if (id < 0) {
				FUZZ_ASSERT(xenpv_ids_in_flight(&ids) ==
					    XENHCD_URB_RING_SIZE);
				continue;
			}
			FUZZ_ASSERT(!m.busy[id]);
			m.busy[id] = true;
			m.op[id] = op & 2 ? XENHCD_OP_UNLINK : XENHCD_OP_SUBMIT;
			m.sent[id] = (struct xenhcd_sent){ rd16(in), rd8(in) % 8 };
		}
		for (i = 0, n = 0; i < XENHCD_URB_RING_SIZE; i++)
			n += m.busy[i];
		FUZZ_ASSERT(xenpv_ids_in_flight(&ids) == n);
	}
	xenpv_ids_destroy(&ids);
}

/* ---- Mode 1: the root hub ------------------------------------------------------ */

static void fuzz_rh_invariants(const struct xenhcd_rh *rh)
{
	const struct xenhcd_port *p;
	unsigned int port, bits;
	u8 map[4];
	int len;

	len = xenhcd_rh_changes(rh, map);
	for (port = 1; port <= rh->nr_ports; port++) {
		p = &rh->port[port];
		bits = p->status;
		FUZZ_ASSERT(!!(bits & USB_PORT_STAT_CONNECTION) ==
			    ((bits & USB_PORT_STAT_POWER) &&
			     p->speed != XENUSB_SPEED_NONE));
		if (bits & USB_PORT_STAT_ENABLE)
			FUZZ_ASSERT((bits & USB_PORT_STAT_CONNECTION) &&
				    !(bits & USB_PORT_STAT_RESET));
		if (bits & USB_PORT_STAT_SUSPEND)
			FUZZ_ASSERT(bits & USB_PORT_STAT_ENABLE);
		if (bits & USB_PORT_STAT_LOW_SPEED)
			FUZZ_ASSERT(p->speed == XENUSB_SPEED_LOW);
		if (bits & USB_PORT_STAT_HIGH_SPEED)
			FUZZ_ASSERT(p->speed == XENUSB_SPEED_HIGH);
		FUZZ_ASSERT(!(bits & USB_PORT_STAT_OVERCURRENT));
		FUZZ_ASSERT(!!(bits >> 16) ==
			    !!(len && (map[port / 8] & BIT(port % 8))));
	}
}

static void fuzz_rh(struct fuzz_in *in)
{
	static const u16 reqs[] = {
		XENHCD_CLEAR_HUB_FEATURE, XENHCD_CLEAR_PORT_FEATURE,
		XENHCD_GET_HUB_DESCRIPTOR, XENHCD_GET_HUB_STATUS,
		XENHCD_GET_PORT_STATUS, XENHCD_SET_HUB_FEATURE,
		XENHCD_SET_PORT_FEATURE,
	};
	struct xenusb_conn_response ev;
	struct xenhcd_rh rh;
	u8 buf[64], op;
	u64 now = 0;
	u16 req;

	if (xenhcd_rh_init(&rh, 1 + rd8(in) % 31, 1 + rd8(in) % 2))
		return;
	while (in->n) {
		op = rd8(in);
		now += op >> 4;
		if (op & 1) {
			ev.portnum = rd8(in);
			ev.speed = rd8(in);
			if (xenhcd_check_conn(&rh, &ev) == XENHCD_RSP_OK)
				xenhcd_rh_event(&rh, ev.portnum, ev.speed);
			else
				FUZZ_ASSERT(!ev.portnum || ev.portnum > rh.nr_ports ||
					    ev.speed > XENUSB_SPEED_HIGH ||
					    rh.usb_ver == XENUSB_VER_USB11);
		} else {
			req = op & 2 ? rd16(in) : reqs[rd8(in) % ARRAY_SIZE(reqs)];
			xenhcd_rh_control(&rh, req, rd8(in) % 24, rd8(in),
					  buf, rd8(in) % sizeof(buf), now);
		}
		fuzz_rh_invariants(&rh);
	}
}

/* ---- Mode 2: buffers and encoding ------------------------------------------------- */

static void fuzz_encode(struct fuzz_in *in)
{
	struct xenhcd_chunk c[XENPV_USB_MAX_SEGS];
	grant_ref_t grefs[XENPV_USB_MAX_SEGS];
	unsigned long addr = rd64(in);
	u32 len = rd32(in) % 70000, pos = 0;
	unsigned int max = rd8(in) % (XENPV_USB_MAX_SEGS + 1), i;
	struct xenusb_urb_request r;
	struct xenhcd_urb u = { };
	int n = xenhcd_plan_buffer(addr, len, c, max);

	if (n < 0) {
		FUZZ_ASSERT(n == -E2BIG && len);
		/* It spans more frames than there is room for. */
		FUZZ_ASSERT(max <= (addr % XENPV_USB_GRANT_SIZE + len - 1) /
				   XENPV_USB_GRANT_SIZE);
		return;
	}
	for (i = 0; i < (unsigned int)n; i++) {
		FUZZ_ASSERT(c[i].pos == pos && c[i].len);
		FUZZ_ASSERT(c[i].offset + c[i].len <= XENPV_USB_GRANT_SIZE);
		FUZZ_ASSERT(c[i].offset == (addr + pos) % XENPV_USB_GRANT_SIZE);
		pos += c[i].len;
		grefs[i] = rd32(in);
	}
	FUZZ_ASSERT(pos == len);
	if (len > XENPV_USB_MAX_LENGTH)
		return;
	u.id = rd16(in);
	u.pipe = xenhcd_pipe(rd32(in), 1 + rd8(in) % 31);
	u.length = len;
	u.nr_segs = n;
	u.chunks = c;
	u.grefs = grefs;
	fuzz_take(in, u.setup, sizeof(u.setup));
	/* 64 KiB is for bulk and interrupt (test_req checks the refusal). */
	if (len > U16_MAX && !xenusb_pipebulk(u.pipe) && !xenusb_pipeint(u.pipe))
		return;
	FUZZ_ASSERT(!xenhcd_encode(&r, &u));
	FUZZ_ASSERT(r.id == u.id && r.pipe == u.pipe && r.nr_buffer_segs == n);
	FUZZ_ASSERT(r.buffer_length == (u16)len);
	for (i = 0; i < (unsigned int)n; i++)
		FUZZ_ASSERT(r.seg[i].gref == grefs[i] &&
			    r.seg[i].offset == c[i].offset &&
			    r.seg[i].length == c[i].len);
	for (; i < XENPV_USB_MAX_SEGS; i++)
		FUZZ_ASSERT(!r.seg[i].gref && !r.seg[i].length);
	if (xenusb_pipectrl(u.pipe))
		FUZZ_ASSERT(!memcmp(r.u.ctrl, u.setup, 8));
}

/* ---- Mode 3: isochronous packets ------------------------------------------------------ */

static void fuzz_iso(struct fuzz_in *in)
{
	struct xenpv_usb_iso_desc d;
	u32 length, actual = 7;
	int status = 7;
	enum xenhcd_verdict v;

	while (in->n) {
		fuzz_take(in, &d, sizeof(d));
		length = rd16(in);
		v = xenhcd_iso_packet(&d, length, &actual, &status);
		if (d.actual_length > length)
			FUZZ_ASSERT(v == XENHCD_RSP_ISO_LENGTH);
		else if (d.status > 0 || d.status < -4095)
			FUZZ_ASSERT(v == XENHCD_RSP_ISO_STATUS);
		else
			FUZZ_ASSERT(v == XENHCD_RSP_OK && actual <= length &&
				    status == d.status);
	}
}

/* ---- Mode 4: single fetch ---------------------------------------------------------- */

static void fuzz_shared(struct fuzz_in *in)
{
	static u8 page[XENPV_USB_GRANT_SIZE] __aligned(8);
	static u8 fetches[sizeof(page)], seen[sizeof(page)];
	unsigned int idx = rd8(in) % XENHCD_URB_RING_SIZE;
	struct xenusb_urb_response r, *slot = (void *)(page + 64) + idx * 16;
	struct xenhcd_sent sent[XENHCD_URB_RING_SIZE] = { };
	struct xenpv_ids ids;
	size_t off = (u8 *)slot - page;

	FUZZ_ASSERT(!xenpv_ids_init(&ids, XENHCD_URB_RING_SIZE, GFP_KERNEL));
	FUZZ_ASSERT(xenpv_id_get(&ids, XENHCD_OP_SUBMIT, 0, NULL) == 0);
	sent[0].length = rd16(in);
	fuzz_take(in, slot, sizeof(*slot));
	fuzz_flip_in = in;
	shim_shared_begin(page, sizeof(page), fetches, seen, fuzz_flip);
	xenhcd_get_rsp(&r, slot);
	FUZZ_ASSERT(shim_shared_fetched(off, sizeof(r)) == sizeof(r));
	shim_shared_end();
	FUZZ_ASSERT(!memcmp(&r, seen + off, sizeof(r)));
	FUZZ_ASSERT((xenhcd_check_rsp(&ids, sent, &r) == XENHCD_RSP_OK) ==
		    (r.id == 0 && r.actual_length >= 0 &&
		     (u32)r.actual_length <= sent[0].length &&
		     r.error_count == 0 && r.status <= 0));
	xenpv_ids_destroy(&ids);
}

static const fuzz_mode_fn fuzz_modes[] = {
	fuzz_responses, fuzz_rh, fuzz_encode, fuzz_iso, fuzz_shared,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	return fuzz_one(fuzz_modes, ARRAY_SIZE(fuzz_modes), data, size);
}
