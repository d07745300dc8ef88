// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the usbback protocol core.  The first byte picks:
 *
 *  0: a request: a controller (ports, speeds, addresses), the endpoints
 *     of the devices and one ring slot, all from the input.  The slot is
 *     decoded (checked against the pipe's bits taken apart here), checked,
 *     its isochronous descriptors checked, its data copy planned; anything
 *     accepted must satisfy every rule (an attached port, the port's
 *     address or 0 on endpoint 0, the endpoint's type, segments within
 *     their frames adding up to the buffer, a control request's length
 *     and direction), and the copy plan must move exactly the bytes asked.
 *  1: the controller driven by attaches, detaches, SET_ADDRESS, frontend
 *     replays and conn ring deliveries, against a model of what the
 *     frontend was told: the address table stays a bijection, and after a
 *     drain the frontend's view is the controller's, device for device.
 *  2: the ids in flight against a model.
 *  3: the producer checks of both rings against a model.
 *  4: single fetch: the ring page is shared, the frontend rewrites every
 *     byte right after it was fetched, and any read that does not go
 *     through the one-fetch accessors trips ASan; each byte of the slot
 *     must be fetched once and the decoded request is what was fetched.
 *
 * Any broken invariant abort()s.  Built with clang -fsanitize=fuzzer by
 * "make fuzz"; fuzz_replay.c drives the same code without libFuzzer.
 */
#include <errno.h>
#include <stdlib.h>

#include "../../../drivers/usb/xen-usbback/usbback-proto.c"
#include "../common/fuzz.h"
#include "../common/shared.h"

/* ---- Mode 0: one request ---------------------------------------------------- */

/* A controller whose ports, speeds and addresses come from the input. */
static void fuzz_ctrl(struct fuzz_in *in, struct usbback_ctrl *c)
{
	unsigned int port, nr = 1 + rd8(in) % USBBACK_MAX_PORTS;
	u32 attached = rd32(in);

	FUZZ_ASSERT(!usbback_ctrl_init(c, nr, 1 + rd8(in) % 2));
	for (port = 1; port <= nr; port++) {
		if (!(attached & BIT(port)))
			continue;
		FUZZ_ASSERT(!usbback_port_attach(c, port, 1 + rd8(in) % 3));
		usbback_set_address(c, port, rd8(in));
	}
}

/* Endpoint types from the input, endpoint 0 as the USB core has it. */
static void fuzz_eps(struct fuzz_in *in, struct usbback_eps *e)
{
	unsigned int d, ep;
	u8 b;

	for (d = 0; d < 2; d++) {
		for (ep = 0; ep < 16; ep++) {
			b = rd8(in);
			e->type[d][ep] = b & 0x80 ? USBBACK_EP_NONE : b & 3;
		}
		e->type[d][0] = XENUSB_PIPE_TYPE_CTRL;
	}
	e->config = rd8(in) % 4;
}

/* The pipe's fields, taken apart here and not with usbif.h's macros. */
static void fuzz_oracle_decode(const struct usbback_req *r,
			       const struct xenusb_urb_request *w)
{
	FUZZ_ASSERT(!memcmp(&r->raw, w, sizeof(*w)));
	FUZZ_ASSERT(r->id == w->id && r->nr_segs == w->nr_buffer_segs);
	FUZZ_ASSERT(r->port == (w->pipe & 31));
	FUZZ_ASSERT(r->unlink == !!(w->pipe & 32));
	FUZZ_ASSERT(r->devnum == ((w->pipe >> 8) & 127));
	FUZZ_ASSERT(r->ep == ((w->pipe >> 15) & 15));
	FUZZ_ASSERT(r->type == w->pipe >> 30);
	FUZZ_ASSERT(r->nr_desc_segs ==
		    (r->type == 0 ? w->u.isoc.nr_frame_desc_segs : 0));
	FUZZ_ASSERT(r->setup.length == (w->u.ctrl[6] | w->u.ctrl[7] << 8));
}

/* What an accepted request must be, whatever the verdict's path. */
static void fuzz_oracle_ok(struct usbback_ctrl *c,
			   const struct usbback_eps *e,
			   const struct usbback_req *r)
{
	const struct usbback_port *p = &c->port[r->port];
	unsigned int i, sum = 0, nsegs = r->nr_segs + r->nr_desc_segs;
	u8 type;

	if (r->action == USBBACK_ACT_UNLINK) {
		FUZZ_ASSERT(r->unlink);
		return;
	}
	FUZZ_ASSERT(r->port >= 1 && r->port <= c->nr_ports);
	FUZZ_ASSERT(p->speed != XENUSB_SPEED_NONE);
	FUZZ_ASSERT(r->devnum ? r->devnum == p->addr : r->ep == 0);
	type = r->ep ? e->type[r->in][r->ep] : XENUSB_PIPE_TYPE_CTRL;
	FUZZ_ASSERT(type == r->type);
	FUZZ_ASSERT(nsegs <= USBBACK_MAX_SEGS);
	for (i = 0; i < nsegs; i++) {
		FUZZ_ASSERT(r->raw.seg[i].length);
		FUZZ_ASSERT(r->raw.seg[i].offset + r->raw.seg[i].length <=
			    USBBACK_GRANT_SIZE);
		if (i < r->nr_segs)
			sum += r->raw.seg[i].length;
	}
	/* 64 KiB wraps the 16-bit buffer_length to 0 (bulk, interrupt). */
	FUZZ_ASSERT(sum == r->length);
	FUZZ_ASSERT(r->length == r->raw.buffer_length ||
		    (!r->raw.buffer_length && r->length == 65536 &&
		     (r->type == XENUSB_PIPE_TYPE_BULK ||
		      r->type == XENUSB_PIPE_TYPE_INT)));
	if (r->type == XENUSB_PIPE_TYPE_CTRL) {
		FUZZ_ASSERT(r->setup.length == r->raw.buffer_length);
		FUZZ_ASSERT(r->in == ((r->setup.type & USB_DIR_IN) &&
				      r->setup.length));
	}
	if (r->type == XENUSB_PIPE_TYPE_ISOC)
		FUZZ_ASSERT(r->raw.u.isoc.number_of_packets &&
			    r->raw.u.isoc.number_of_packets <=
			    USBBACK_MAX_ISO_PACKETS);
	if (r->action == USBBACK_ACT_SET_ADDRESS)
		FUZZ_ASSERT(r->setup.value <= USBBACK_MAX_ADDR &&
			    !usbback_set_address(c,
						 r->port, r->setup.value));
	if (r->action == USBBACK_ACT_SET_CONFIG)
		FUZZ_ASSERT(!r->setup.value || r->setup.value == e->config);
	if (r->action != USBBACK_ACT_SUBMIT)
		FUZZ_ASSERT(r->type == XENUSB_PIPE_TYPE_CTRL && r->ep == 0);
	/* The USB core warns on URB_SHORT_NOT_OK anywhere else. */
	FUZZ_ASSERT(r->short_not_ok ==
		    (r->in && r->type != XENUSB_PIPE_TYPE_ISOC &&
		     (r->raw.transfer_flags & XENUSB_SHORT_NOT_OK)));
}

/* The copy plan moves exactly min(limit, length) bytes, in order. */
static void fuzz_check_plan(const struct usbback_req *r, u32 limit)
{
	struct usbback_copy ops[USBBACK_MAX_COPIES];
	unsigned int i, n;
	u32 pos = 0, want = min_t(u32, limit, r->length);

	n = usbback_plan_copy(r->raw.seg, 0, r->nr_segs, limit, ops);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(ops[i].buf_off == pos && ops[i].len);
		FUZZ_ASSERT(ops[i].seg < r->nr_segs);
		FUZZ_ASSERT(ops[i].seg_off + ops[i].len <= USBBACK_GRANT_SIZE);
		FUZZ_ASSERT(ops[i].buf_off / USBBACK_GRANT_SIZE ==
			    (ops[i].buf_off + ops[i].len - 1) /
			    USBBACK_GRANT_SIZE);
		pos += ops[i].len;
	}
	FUZZ_ASSERT(pos == want);
}

static void fuzz_iso(struct fuzz_in *in, const struct usbback_req *r)
{
	static struct xenpv_usb_iso_desc d[USBBACK_MAX_ISO_PACKETS];
	unsigned int i, n = r->raw.u.isoc.number_of_packets;
	struct usbback_bad bad;

	fuzz_take(in, d, n * sizeof(*d));
	if (usbback_check_iso(r, d, &bad)) {
		FUZZ_ASSERT(bad.seg < n && bad.value > r->raw.buffer_length);
		return;
	}
	for (i = 0; i < n; i++)
		FUZZ_ASSERT((u64)d[i].offset + d[i].length <=
			    r->raw.buffer_length);
}

static void fuzz_request(struct fuzz_in *in)
{
	struct xenusb_urb_request w;
	struct usbback_ctrl c;
	struct usbback_eps e;
	struct usbback_req r;
	struct usbback_bad bad;
	enum usbback_verdict v;
	char msg[160];

	fuzz_ctrl(in, &c);
	fuzz_eps(in, &e);
	fuzz_take(in, &w, sizeof(w));
	usbback_get_req(&r, &w);
	fuzz_oracle_decode(&r, &w);
	v = usbback_check_req(&c, rd8(in) & 1 ? NULL : &e, &r, &bad);
	FUZZ_ASSERT(bad.verdict == v);
	FUZZ_ASSERT(usbback_bad_str(&r, &bad, msg, sizeof(msg)) > 0);
	FUZZ_ASSERT(usbback_verdict_status(v) <= 0);
	FUZZ_ASSERT(!usbback_verdict_status(v) == !v);
	FUZZ_ASSERT(v != USBBACK_REQ_INTERNAL && v != USBBACK_REQ_DUP_ID &&
		    v != USBBACK_REQ_UNLINK_UNKNOWN);
	if (v)
		return;
	if (r.action != USBBACK_ACT_UNLINK) {
		/* A NULL eps means no device: nothing may pass. */
		fuzz_oracle_ok(&c, &e, &r);
		fuzz_check_plan(&r, rd32(in));
	}
	if (r.type == XENUSB_PIPE_TYPE_ISOC && !r.unlink)
		fuzz_iso(in, &r);
}

/* ---- Mode 1: the controller and the conn ring --------------------------------- */

static void fuzz_check_table(const struct usbback_ctrl *c)
{
	unsigned int a, p;

	for (a = 1; a <= USBBACK_MAX_ADDR; a++) {
		p = c->addr_port[a];
		if (p)
			FUZZ_ASSERT(p <= c->nr_ports && c->port[p].addr == a &&
				    c->port[p].speed);
	}
	for (p = 1; p <= c->nr_ports; p++)
		if (c->port[p].addr)
			FUZZ_ASSERT(c->addr_port[c->port[p].addr] == p);
}

static void fuzz_deliver(struct usbback_ctrl *c, u8 *seen, u32 *seen_gen,
			 const u32 *gen)
{
	struct usbback_conn_event ev;

	if (!usbback_conn_next(c, &ev))
		return;
	FUZZ_ASSERT(ev.port >= 1 && ev.port <= c->nr_ports);
	FUZZ_ASSERT(ev.speed <= XENUSB_SPEED_HIGH);
	/* Connect only to an empty port, disconnect only a device. */
	FUZZ_ASSERT((ev.speed == XENUSB_SPEED_NONE) == !!seen[ev.port]);
	seen[ev.port] = ev.speed;
	seen_gen[ev.port] = gen[ev.port];
}

static void fuzz_ctrl_ops(struct fuzz_in *in)
{
	u32 gen[USBBACK_MAX_PORTS + 1] = { }, seen_gen[USBBACK_MAX_PORTS + 1];
	u8 seen[USBBACK_MAX_PORTS + 1] = { };
	unsigned int port, n = 1 + rd8(in) % USBBACK_MAX_PORTS, i;
	struct usbback_ctrl c;
	u8 op;

	FUZZ_ASSERT(!usbback_ctrl_init(&c, n, XENUSB_VER_USB20));
	while (in->n) {
		op = rd8(in);
		port = 1 + (op >> 3) % n;
		switch (op & 7) {
		case 0:
			if (!usbback_port_attach(&c, port, 1 + rd8(in) % 3))
				gen[port]++;
			break;
		case 1:
			usbback_port_detach(&c, port);
			break;
		case 2:
		case 3:
			usbback_set_address(&c, port, rd8(in));
			break;
		case 4:
			usbback_conn_replay(&c);
			memset(seen, 0, sizeof(seen));
			break;
		default:
			fuzz_deliver(&c, seen, seen_gen, gen);
			break;
		}
		fuzz_check_table(&c);
	}
	for (i = 0; i < 2 * USBBACK_MAX_PORTS && usbback_conn_pending(&c); i++)
		fuzz_deliver(&c, seen, seen_gen, gen);
	FUZZ_ASSERT(!usbback_conn_pending(&c));
	for (port = 1; port <= n; port++) {
		FUZZ_ASSERT(seen[port] == c.port[port].speed);
		FUZZ_ASSERT(!seen[port] || seen_gen[port] == gen[port]);
	}
}

/* ---- Mode 2: ids in flight ------------------------------------------------------ */

static void fuzz_inflight(struct fuzz_in *in)
{
	struct usbback_inflight f = { };
	int model[USBBACK_URB_RING_SIZE];	/* id in each slot, -1 free */
	unsigned int i, count = 0;
	int slot;
	u16 id;

	for (i = 0; i < USBBACK_URB_RING_SIZE; i++)
		model[i] = -1;
	while (in->n) {
		id = rd8(in) % 24;
		if (rd8(in) & 1) {
			slot = usbback_inflight_find(&f, id);
			for (i = 0; i < USBBACK_URB_RING_SIZE; i++)
				if (model[i] == id)
					break;
			FUZZ_ASSERT(slot == (i < USBBACK_URB_RING_SIZE ? (int)i :
					     -ENOENT));
			if (slot >= 0) {
				usbback_inflight_del(&f, slot);
				model[slot] = -1;
				count--;
			}
		} else if (count < USBBACK_URB_RING_SIZE) {
			slot = usbback_inflight_add(&f, id);
			for (i = 0; i < USBBACK_URB_RING_SIZE; i++)
				FUZZ_ASSERT(model[i] != id || slot == -EEXIST);
			if (slot >= 0) {
				FUZZ_ASSERT(model[slot] == -1);
				model[slot] = id;
				count++;
			}
		}
		FUZZ_ASSERT(usbback_inflight_count(&f) == count);
	}
}

/* ---- Mode 3: producer checks ------------------------------------------------------ */

static void fuzz_prod(struct fuzz_in *in)
{
	RING_IDX prod = rd32(in), cons = rd32(in), used = rd16(in);
	unsigned int avail, size = rd8(in) & 1 ? USBBACK_CONN_RING_SIZE :
					     USBBACK_URB_RING_SIZE;
	enum xenpv_prod_verdict v;
	RING_IDX n = prod - cons;

	used %= size + 1;
	if (size == USBBACK_URB_RING_SIZE)
		v = usbback_check_req_prod(prod, cons, cons - used, &avail);
	else
		v = usbback_check_conn_prod(prod, cons, cons - used, &avail);
	if ((s32)n < 0)
		FUZZ_ASSERT(v == XENPV_PROD_BACKWARDS && !avail);
	else if (n > size)
		FUZZ_ASSERT(v == XENPV_PROD_OVERRUN && !avail);
	else if (n > size - used)
		FUZZ_ASSERT(v == XENPV_PROD_UNASKED && !avail);
	else
		FUZZ_ASSERT(v == XENPV_PROD_OK && avail == n);
}

/* ---- Mode 4: single fetch ----------------------------------------------------------- */

static void fuzz_shared(struct fuzz_in *in)
{
	static u8 ring[USBBACK_GRANT_SIZE] __aligned(8);
	static u8 fetches[sizeof(ring)], seen[sizeof(ring)];
	struct xenusb_urb_request w;
	unsigned int idx = rd8(in) % USBBACK_URB_RING_SIZE;
	u8 *slot = ring + 64 + idx * sizeof(w);
	struct usbback_req r;
	size_t i;

	fuzz_take(in, slot, sizeof(w));
	fuzz_flip_in = in;
	shim_shared_begin(ring, sizeof(ring), fetches, seen, fuzz_flip);
	usbback_get_req(&r, slot);
	shim_shared_end();
	for (i = 0; i < sizeof(ring); i++)
		FUZZ_ASSERT(fetches[i] == (ring + i >= slot &&
					   ring + i < slot + sizeof(w)));
	memcpy(&w, seen + (slot - ring), sizeof(w));
	fuzz_oracle_decode(&r, &w);
}

static const fuzz_mode_fn fuzz_modes[] = {
	fuzz_request, fuzz_ctrl_ops, fuzz_inflight, fuzz_prod, fuzz_shared,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	return fuzz_one(fuzz_modes, ARRAY_SIZE(fuzz_modes), data, size);
}
