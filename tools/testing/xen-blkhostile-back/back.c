// SPDX-License-Identifier: GPL-2.0
/*
 * xen-blkhostile-back: a hostile blkif backend, to test Xen block frontends.
 *
 * Test-only: it lives under tools/testing/ and is never installed with the
 * drivers.  Loaded in dom0 before the real block backend, it takes the
 * "vbd" devices whose device id is its devid parameter (xvdb by default)
 * and leaves every other one to the backend loaded after it.  It serves
 * such a device like a backend, from memory (every request's data moves
 * with grant copies, nothing is mapped), and breaks the protocol in one
 * way per device: the attack named by its attack parameter when the
 * device appears.  The attacks:
 *
 *  - at the negotiation: "sectors", "sector-size", "feature-persistent",
 *    "multi-queue-max-queues", "max-ring-page-order", "max-ring-pages"
 *    and "feature-max-indirect-segments" out of range or malformed;
 *  - on the ring, once @after requests were served well: responses with
 *    an unknown, a duplicate or a stale id, the wrong operation, an
 *    unknown status, a response before any request, the response
 *    producer a ring ahead or moved back;
 *  - in xenstore while connected: Connected -> InitWait -> Connected,
 *    Closing with requests held, "sectors", "sector-size" or a feature
 *    changed (and a well-formed resize, the control).
 *
 * Each attack logs one line when it fires,
 *
 *	xen-blkhostile-back: vbd-D-N: attack NAME fired: WHAT
 *
 * and the counters (read-only parameters bound, fired, served) tell a test
 * how far it got.  Judging the frontend is the test's: it looks at the
 * guest (tools/testing/xen-testbed/scenarios/hostile_back.sh).
 */

#define pr_fmt(fmt) "xen-blkhostile-back: " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/protocols.h>
#include <xenpv/blkif.h>
#include <xenpv/xenbus.h>

/* The most rings and pages we map: what our own frontend may ask for. */
#define HBB_MAX_RINGS		8
#define HBB_MAX_PAGES		XENPV_BLK_MAX_RING_PAGES
/* Requests held back by attacks that answer out of order. */
#define HBB_MAX_HELD		64

/* ---- Module parameters and counters -------------------------------------- */

static unsigned int hbb_devid = 51728;	/* xvdb */
module_param_named(devid, hbb_devid, uint, 0444);
MODULE_PARM_DESC(devid, "The vbd device id to take (default 51728, xvdb)");

static char hbb_attack_name[32] = "none";
module_param_string(attack, hbb_attack_name, sizeof(hbb_attack_name), 0644);
MODULE_PARM_DESC(attack, "The attack on the next device taken (default none)");

static unsigned int hbb_after = 4;
module_param_named(after, hbb_after, uint, 0644);
MODULE_PARM_DESC(after, "Requests served well before a ring attack (default 4)");

static unsigned int hbb_sectors = 32768;
module_param_named(sectors, hbb_sectors, uint, 0444);
MODULE_PARM_DESC(sectors, "Size of the memory disk in 512-byte sectors (default 32768)");

static atomic_t hbb_nr_bound = ATOMIC_INIT(0);
static atomic_t hbb_nr_fired = ATOMIC_INIT(0);
static atomic_t hbb_nr_served = ATOMIC_INIT(0);

static int hbb_get_counter(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops hbb_counter_ops = {
	.get = hbb_get_counter,
};

module_param_cb(bound, &hbb_counter_ops, &hbb_nr_bound, 0444);
MODULE_PARM_DESC(bound, "Devices taken so far");
module_param_cb(fired, &hbb_counter_ops, &hbb_nr_fired, 0444);
MODULE_PARM_DESC(fired, "Attacks that fired so far");
module_param_cb(served, &hbb_counter_ops, &hbb_nr_served, 0444);
MODULE_PARM_DESC(served, "Requests answered well so far");

/* The disk: one for every device, whatever its attack. */
static u8 *hbb_disk;

/* ---- The attacks ----------------------------------------------------------- */

/**
 * enum hbb_when - when an attack fires
 * @HBB_AT_PROBE: the limits written at probe (InitWait)
 * @HBB_AT_KEYS: the device's keys written at connection
 * @HBB_AT_CONNECTED: right after Connected, before any request
 * @HBB_AT_REQUEST: once @hbb_after requests were served well
 */
enum hbb_when {
	HBB_AT_PROBE,
	HBB_AT_KEYS,
	HBB_AT_CONNECTED,
	HBB_AT_REQUEST,
};

/**
 * enum hbb_kind - what an attack does
 * @HBB_NONE: nothing: a well-behaved backend, the control
 * @HBB_KEY: write @key = @value (at probe or at connection)
 * @HBB_KEY_LIVE: while connected, write @key = @value and Connected again
 * @HBB_RSP_ID: answer the next request with an unknown id
 * @HBB_RSP_DUP: answer the first of two requests twice, in one batch
 * @HBB_RSP_STALE: answer a request, then again while another is held
 * @HBB_RSP_OP: answer with the wrong operation
 * @HBB_RSP_STATUS: answer with an unknown status
 * @HBB_RSP_EARLY: a response before any request
 * @HBB_PROD_JUMP: the response producer a ring and more ahead
 * @HBB_PROD_REWIND: the response producer moved back behind the consumer,
 *	and no response after it (it would move the producer on again)
 * @HBB_FLIP: Connected -> InitWait -> Connected
 * @HBB_CLOSING: Closing, with requests held unanswered
 */
enum hbb_kind {
	HBB_NONE,
	HBB_KEY,
	HBB_KEY_LIVE,
	HBB_RSP_ID,
	HBB_RSP_DUP,
	HBB_RSP_STALE,
	HBB_RSP_OP,
	HBB_RSP_STATUS,
	HBB_RSP_EARLY,
	HBB_PROD_JUMP,
	HBB_PROD_REWIND,
	HBB_FLIP,
	HBB_CLOSING,
};

/**
 * struct hbb_attack - one attack
 * @name: its name in the attack parameter and the log
 * @kind: what it does
 * @when: when it fires
 * @key: for HBB_KEY and HBB_KEY_LIVE, the key written
 * @value: and its value
 */
struct hbb_attack {
	const char *name;
	enum hbb_kind kind;
	enum hbb_when when;
	const char *key;
	const char *value;
};

#define HBB_LIMIT(n, k, v)	{ n, HBB_KEY, HBB_AT_PROBE, k, v }
#define HBB_VALUE(n, k, v)	{ n, HBB_KEY, HBB_AT_KEYS, k, v }
#define HBB_LIVE(n, k, v)	{ n, HBB_KEY_LIVE, HBB_AT_REQUEST, k, v }
#define HBB_RING(n, kind)	{ n, kind, HBB_AT_REQUEST, NULL, NULL }

static const struct hbb_attack hbb_attacks[] = {
	{ "none", HBB_NONE, HBB_AT_REQUEST, NULL, NULL },
	HBB_VALUE("sectors_huge", XENPV_BLK_KEY_SECTORS, "18446744073709551615"),
	HBB_VALUE("sectors_junk", XENPV_BLK_KEY_SECTORS, "12abc"),
	HBB_VALUE("sector_size_odd", XENPV_BLK_KEY_SECTOR_SIZE, "1000"),
	HBB_VALUE("sector_size_zero", XENPV_BLK_KEY_SECTOR_SIZE, "0"),
	HBB_VALUE("sector_size_huge", XENPV_BLK_KEY_SECTOR_SIZE, "1048576"),
	HBB_LIMIT("persistent_two", XENPV_BLK_KEY_PERSISTENT, "2"),
	HBB_LIMIT("queues_zero", XENPV_BLK_KEY_MAX_QUEUES, "0"),
	HBB_LIMIT("queues_huge", XENPV_BLK_KEY_MAX_QUEUES, "4294967295"),
	HBB_LIMIT("ring_order_huge", XENPV_BLK_KEY_MAX_RING_ORDER,
		  "4294967295"),
	HBB_LIMIT("ring_pages_odd", XENPV_BLK_KEY_MAX_RING_PAGES, "3"),
	HBB_LIMIT("indirect_huge", XENPV_BLK_KEY_MAX_INDIRECT, "4294967295"),
	HBB_RING("rsp_unknown_id", HBB_RSP_ID),
	HBB_RING("rsp_dup_id", HBB_RSP_DUP),
	HBB_RING("rsp_stale_id", HBB_RSP_STALE),
	HBB_RING("rsp_bad_op", HBB_RSP_OP),
	HBB_RING("rsp_bad_status", HBB_RSP_STATUS),
	{ "rsp_early", HBB_RSP_EARLY, HBB_AT_CONNECTED, NULL, NULL },
	HBB_RING("prod_jump", HBB_PROD_JUMP),
	HBB_RING("prod_rewind", HBB_PROD_REWIND),
	HBB_RING("flip_initwait", HBB_FLIP),
	HBB_RING("closing_inflight", HBB_CLOSING),
	HBB_LIVE("resize_ok", XENPV_BLK_KEY_SECTORS, "16384"),
	HBB_LIVE("resize_junk", XENPV_BLK_KEY_SECTORS, "junk"),
	HBB_LIVE("sector_size_change", XENPV_BLK_KEY_SECTOR_SIZE, "4096"),
	HBB_LIVE("feature_change", XENPV_BLK_KEY_FLUSH, "0"),
};

static const struct hbb_attack *hbb_find_attack(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hbb_attacks); i++)
		if (sysfs_streq(hbb_attacks[i].name, name))
			return &hbb_attacks[i];
	return NULL;
}

/* ---- The device ------------------------------------------------------------ */

/**
 * enum hbb_state - one device's life, changed by hbb_set_state() only
 * @HBB_WAIT: probed, InitWait written, waiting for the frontend's rings
 * @HBB_SERVING: rings mapped, Connected written, requests served
 * @HBB_CLOSED: rings unmapped; the frontend may start over
 * @HBB_NR_STATES: number of states
 */
enum hbb_state {
	HBB_WAIT,
	HBB_SERVING,
	HBB_CLOSED,
	HBB_NR_STATES
};

static const struct xenpv_state hbb_state_table[HBB_NR_STATES] = {
	[HBB_WAIT]	= { "wait", BIT(HBB_SERVING) | BIT(HBB_CLOSED) },
	[HBB_SERVING]	= { "serving", BIT(HBB_CLOSED) },
	[HBB_CLOSED]	= { "closed", BIT(HBB_WAIT) },
};

static XENPV_STATES(hbb_states, hbb_state_table, "frontend");

/**
 * struct hbb_ring - one of the frontend's rings, mapped
 * @back: its backend side
 * @irq: the event channel's interrupt, 0 if none
 * @held: requests read and not answered yet (attacks that hold them)
 * @nr_held: entries of @held
 */
struct hbb_ring {
	struct blkif_back_ring back;
	int irq;
	struct blkif_request held[HBB_MAX_HELD];
	unsigned int nr_held;
};

/**
 * struct hbb_dev - one device served
 * @xbdev: the xenbus device
 * @lock: protects everything below but @work's own progress
 * @fe_state: the frontend's last state, for the log
 * @state: hbb_set_state() only
 * @attack: the device's attack, chosen at probe
 * @fired: the attack fired (once per device)
 * @served: requests answered well
 * @rings: @nr_rings mapped rings while serving
 * @nr_rings: rings of the connection
 * @max_segs: segments an indirect request may have (what we offered)
 * @work: serves the rings; queued by their interrupts
 * @frame: one indirect frame's segments, copied out of its grant
 */
struct hbb_dev {
	struct xenbus_device *xbdev;
	struct mutex lock;	/* all of it */
	enum xenbus_state fe_state;
	enum hbb_state state;
	const struct hbb_attack *attack;
	bool fired;
	unsigned int served;
	struct hbb_ring rings[HBB_MAX_RINGS];
	unsigned int nr_rings;
	unsigned int max_segs;
	struct work_struct work;
	struct blkif_request_segment *frame;
};

static void hbb_set_state(struct hbb_dev *d, enum hbb_state to)
{
	lockdep_assert_held(&d->lock);
	if (xenpv_state_change(&hbb_states, &d->xbdev->dev, d->state, to,
			       d->fe_state))
		d->state = to;
}

/* The attack fires now: one log line, counted once per device. */
static void hbb_fire(struct hbb_dev *d, const char *what)
{
	if (d->fired)
		return;
	d->fired = true;
	atomic_inc(&hbb_nr_fired);
	pr_info("%s: attack %s fired: %s\n", dev_name(&d->xbdev->dev),
		d->attack->name, what);
}

static bool hbb_is(const struct hbb_dev *d, enum hbb_kind kind)
{
	return d->attack->kind == kind;
}

/* ---- Data: grant copies between the frontend's pages and the disk ---------- */

/*
 * Copy @len bytes between the frontend's grant @gref (at @off in its
 * frame) and the disk at byte @pos, in pieces that stay in one page of
 * the disk.  Return: true if every piece was copied.
 */
static bool hbb_copy(struct hbb_dev *d, grant_ref_t gref, unsigned int off,
		     u64 pos, unsigned int len, bool to_disk)
{
	struct gnttab_copy op;
	unsigned int n;
	void *va;

	while (len) {
		va = hbb_disk + pos;
		n = min_t(unsigned int, len, PAGE_SIZE - offset_in_page(va));
		/* Written as a write; a read swaps the ends. */
		memset(&op, 0, sizeof(op));
		op.len = n;
		op.flags = GNTCOPY_source_gref;
		op.source.u.ref = gref;
		op.source.domid = d->xbdev->otherend_id;
		op.source.offset = off;
		op.dest.u.gmfn = xen_page_to_gfn(vmalloc_to_page(va));
		op.dest.domid = DOMID_SELF;
		op.dest.offset = offset_in_page(va);
		if (!to_disk) {
			swap(op.source, op.dest);
			op.flags = GNTCOPY_dest_gref;
		}
		gnttab_batch_copy(&op, 1);
		if (op.status != GNTST_okay)
			return false;
		len -= n;
		off += n;
		pos += n;
	}
	return true;
}

/* An indirect frame's segments, copied out of its grant into d->frame. */
static bool hbb_copy_frame(struct hbb_dev *d, grant_ref_t gref)
{
	struct gnttab_copy op = {
		.flags = GNTCOPY_source_gref,
		.len = XEN_PAGE_SIZE,
	};

	op.source.u.ref = gref;
	op.source.domid = d->xbdev->otherend_id;
	op.dest.u.gmfn = virt_to_gfn(d->frame);
	op.dest.domid = DOMID_SELF;
	gnttab_batch_copy(&op, 1);
	return op.status == GNTST_okay;
}

/* Move the data of @n segments; true if all were valid and copied. */
static bool hbb_do_segs(struct hbb_dev *d, const struct blkif_request_segment *segs,
			unsigned int n, u64 sector, bool write)
{
	u64 pos = sector << XENPV_BLK_SECTOR_SHIFT;
	u64 end = (u64)hbb_sectors << XENPV_BLK_SECTOR_SHIFT;
	unsigned int i, len;

	for (i = 0; i < n; i++) {
		if (segs[i].first_sect > segs[i].last_sect ||
		    segs[i].last_sect >= XENPV_BLK_SECTORS_PER_GRANT)
			return false;
		len = (segs[i].last_sect - segs[i].first_sect + 1) <<
		      XENPV_BLK_SECTOR_SHIFT;
		if (pos > end || len > end - pos)
			return false;
		if (!hbb_copy(d, segs[i].gref,
			      segs[i].first_sect << XENPV_BLK_SECTOR_SHIFT,
			      pos, len, write))
			return false;
		pos += len;
	}
	return true;
}

/* An indirect read or write: its frames one at a time. */
static bool hbb_do_indirect(struct hbb_dev *d, const struct blkif_request *req)
{
	unsigned int n = req->u.indirect.nr_segments, f, k;
	u64 sector = req->u.indirect.sector_number;
	u8 op = req->u.indirect.indirect_op;

	if (op != BLKIF_OP_READ && op != BLKIF_OP_WRITE)
		return false;
	if (!n || n > d->max_segs)
		return false;
	for (f = 0; n; f++, n -= k) {
		k = min_t(unsigned int, n, XENPV_BLK_SEGS_PER_FRAME);
		if (!hbb_copy_frame(d, req->u.indirect.indirect_grefs[f]))
			return false;
		if (!hbb_do_segs(d, d->frame, k, sector, op == BLKIF_OP_WRITE))
			return false;
		sector += (u64)k * XENPV_BLK_SECTORS_PER_GRANT;
	}
	return true;
}

/* Carry out @req; return the status to answer it with. */
static s16 hbb_serve(struct hbb_dev *d, const struct blkif_request *req)
{
	unsigned int n = req->u.rw.nr_segments;
	bool ok;

	switch (req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		ok = n && n <= BLKIF_MAX_SEGMENTS_PER_REQUEST &&
		     hbb_do_segs(d, req->u.rw.seg, n, req->u.rw.sector_number,
				 req->operation == BLKIF_OP_WRITE);
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		ok = n <= BLKIF_MAX_SEGMENTS_PER_REQUEST &&
		     hbb_do_segs(d, req->u.rw.seg, n, req->u.rw.sector_number,
				 true);
		break;
	case BLKIF_OP_INDIRECT:
		ok = hbb_do_indirect(d, req);
		break;
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
	return ok ? BLKIF_RSP_OKAY : BLKIF_RSP_ERROR;
}

/* ---- Responses, well formed or not ---------------------------------------- */

static u8 hbb_req_op(const struct blkif_request *req)
{
	return req->operation == BLKIF_OP_INDIRECT ?
	       req->u.indirect.indirect_op : req->operation;
}

/* The id every request kind keeps at the same place in the native ABI. */
static u64 hbb_req_id(const struct blkif_request *req)
{
	return req->u.rw.id;
}

static void hbb_put_rsp(struct hbb_ring *r, u64 id, u8 op, s16 status)
{
	struct blkif_response *rsp = RING_GET_RESPONSE(&r->back,
						       r->back.rsp_prod_pvt);

	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
	r->back.rsp_prod_pvt++;
}

static void hbb_push(struct hbb_ring *r)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&r->back, notify);
	if (notify)
		notify_remote_via_irq(r->irq);
}

/* Write the response producer ourselves, where no response is, and kick. */
static void hbb_set_rsp_prod(struct hbb_ring *r, RING_IDX prod)
{
	virt_wmb();	/* the slots before the index, as any push does */
	WRITE_ONCE(r->back.sring->rsp_prod, prod);
	notify_remote_via_irq(r->irq);
}

/* ---- Attacks on the ring ---------------------------------------------------- */

/* Answer @req, as an attack of the device's kind may twist it. */
static void hbb_answer(struct hbb_dev *d, struct hbb_ring *r,
		       const struct blkif_request *req, s16 status)
{
	u64 id = hbb_req_id(req);
	u8 op = hbb_req_op(req);

	if (d->fired || d->served < hbb_after) {
		hbb_put_rsp(r, id, op, status);
		return;
	}
	switch (d->attack->kind) {
	case HBB_RSP_ID:
		hbb_fire(d, "response to id 0xdead0000, never sent");
		hbb_put_rsp(r, 0xdead0000, op, status);
		return;
	case HBB_RSP_OP:
		hbb_fire(d, "response with operation 0x55");
		hbb_put_rsp(r, id, 0x55, status);
		return;
	case HBB_RSP_STATUS:
		hbb_fire(d, "response with status 7");
		hbb_put_rsp(r, id, op, 7);
		return;
	case HBB_PROD_JUMP:
		hbb_put_rsp(r, id, op, status);
		hbb_fire(d, "response producer a ring and 5 ahead");
		r->back.rsp_prod_pvt += RING_SIZE(&r->back) + 5;
		return;
	default:
		hbb_put_rsp(r, id, op, status);
	}
}

/*
 * Attacks that need requests held: a duplicate answer needs two requests
 * in flight; a stale answer needs a request held while an old one is
 * answered again; Closing needs some unanswered.  Return: true if @req
 * was held.
 */
static bool hbb_hold(struct hbb_dev *d, struct hbb_ring *r,
		     const struct blkif_request *req)
{
	if (d->fired || d->served < hbb_after || r->nr_held >= HBB_MAX_HELD)
		return false;
	if (!hbb_is(d, HBB_RSP_DUP) && !hbb_is(d, HBB_RSP_STALE) &&
	    !hbb_is(d, HBB_CLOSING))
		return false;
	r->held[r->nr_held++] = *req;
	return true;
}

/* With requests held, fire the attack that holds them. */
static void hbb_release_held(struct hbb_dev *d, struct hbb_ring *r)
{
	const struct blkif_request *a = &r->held[0];

	if (hbb_is(d, HBB_RSP_DUP) && r->nr_held >= 2) {
		hbb_fire(d, "two responses to one request, in one batch");
		hbb_put_rsp(r, hbb_req_id(a), hbb_req_op(a), hbb_serve(d, a));
		hbb_put_rsp(r, hbb_req_id(a), hbb_req_op(a), BLKIF_RSP_OKAY);
		hbb_push(r);
	} else if (hbb_is(d, HBB_RSP_STALE) && r->nr_held >= 2) {
		hbb_put_rsp(r, hbb_req_id(a), hbb_req_op(a), hbb_serve(d, a));
		hbb_push(r);
		msleep(200);	/* the frontend takes it, and frees its id */
		hbb_fire(d, "a second response to an answered request");
		hbb_put_rsp(r, hbb_req_id(a), hbb_req_op(a), BLKIF_RSP_OKAY);
		hbb_push(r);
	} else if (hbb_is(d, HBB_CLOSING) && r->nr_held >= 1) {
		hbb_fire(d, "Closing with requests unanswered");
		xenbus_switch_state(d->xbdev, XenbusStateClosing);
	}
}

/* ---- Attacks in xenstore while connected ----------------------------------- */

static int hbb_write_live(struct xenbus_transaction xbt, void *data)
{
	struct hbb_dev *d = data;
	const char *dir = d->xbdev->nodename;
	int err;

	err = xenbus_printf(xbt, dir, d->attack->key, "%s", d->attack->value);
	if (!err)
		err = xenbus_printf(xbt, dir, "state", "%d",
				    XenbusStateConnected);
	return err;
}

/* Attacks that are not about one response; they run between requests. */
static void hbb_attack_between(struct hbb_dev *d, struct hbb_ring *r)
{
	char what[96];

	if (d->fired || d->served < hbb_after)
		return;
	switch (d->attack->kind) {
	case HBB_KEY_LIVE:
		snprintf(what, sizeof(what), "%s=%s while connected",
			 d->attack->key, d->attack->value);
		hbb_fire(d, what);
		xenpv_xs_transaction(hbb_write_live, d);
		break;
	case HBB_FLIP:
		hbb_fire(d, "Connected -> InitWait -> Connected");
		xenbus_switch_state(d->xbdev, XenbusStateInitWait);
		msleep(100);
		xenbus_switch_state(d->xbdev, XenbusStateConnected);
		break;
	case HBB_PROD_REWIND:
		msleep(100);	/* the frontend consumes what it has */
		hbb_fire(d, "response producer 3 behind the consumer");
		hbb_set_rsp_prod(r, r->back.rsp_prod_pvt - 3);
		break;
	default:
		break;
	}
}

/* ---- Serving the rings ---------------------------------------------------- */

/* Take every request off @r; false if its producer cannot be trusted. */
static bool hbb_serve_ring(struct hbb_dev *d, struct hbb_ring *r)
{
	struct blkif_request req;
	RING_IDX rp;
	bool more;
	s16 status;

	do {
		/*
		 * A rewound producer stays as it is until the frontend looks:
		 * answering on would move it forward again at once.
		 */
		if (hbb_is(d, HBB_PROD_REWIND) && d->fired)
			return true;
		rp = READ_ONCE(r->back.sring->req_prod);
		virt_rmb();	/* the slots are read after req_prod */
		if (rp - r->back.req_cons > RING_SIZE(&r->back))
			return false;
		while (r->back.req_cons != rp) {
			RING_COPY_REQUEST(&r->back, r->back.req_cons, &req);
			r->back.req_cons++;
			if (hbb_hold(d, r, &req))
				continue;
			status = hbb_serve(d, &req);
			hbb_answer(d, r, &req, status);
			if (status == BLKIF_RSP_OKAY && !d->fired) {
				d->served++;
				atomic_inc(&hbb_nr_served);
			}
		}
		hbb_push(r);
		hbb_release_held(d, r);
		hbb_attack_between(d, r);
		RING_FINAL_CHECK_FOR_REQUESTS(&r->back, more);
	} while (more);
	return true;
}

static void hbb_work(struct work_struct *work)
{
	struct hbb_dev *d = container_of(work, struct hbb_dev, work);
	unsigned int i;

	mutex_lock(&d->lock);
	for (i = 0; d->state == HBB_SERVING && i < d->nr_rings; i++) {
		if (!hbb_serve_ring(d, &d->rings[i])) {
			pr_warn("%s: ring %u: request producer out of range, ring no longer served\n",
				dev_name(&d->xbdev->dev), i);
			d->nr_rings = i;	/* serve no more of them */
		}
	}
	mutex_unlock(&d->lock);
}

/* The work takes the requests; the channel is bound with late EOI. */
static irqreturn_t hbb_interrupt(int irq, void *data)
{
	struct hbb_dev *d = data;

	schedule_work(&d->work);
	xen_irq_lateeoi(irq, 0);
	return IRQ_HANDLED;
}

/* ---- Connecting ------------------------------------------------------------ */

/* The frontend's value of one of its keys, as a number; @def if absent. */
static unsigned int hbb_fe_uint(struct hbb_dev *d, const char *dir,
				const char *key, unsigned int def)
{
	return xenbus_read_unsigned(dir, key, def);
}

/* Map one ring the frontend describes in @dir and bind its channel. */
static int hbb_map_ring(struct hbb_dev *d, struct hbb_ring *r,
			const char *dir, unsigned int order)
{
	grant_ref_t refs[HBB_MAX_PAGES];
	unsigned int i, nr = 1U << order;
	evtchn_port_t port;
	char key[16];
	void *va;
	int err;

	for (i = 0; i < nr; i++) {
		if (order)
			snprintf(key, sizeof(key), "%s%u", XENPV_BLK_KEY_RING_REF,
				 i);
		else
			strscpy(key, XENPV_BLK_KEY_RING_REF, sizeof(key));
		refs[i] = hbb_fe_uint(d, dir, key, 0);
	}
	port = hbb_fe_uint(d, dir, XENPV_BLK_KEY_EVTCHN, 0);
	err = xenbus_map_ring_valloc(d->xbdev, refs, nr, &va);
	if (err)
		return err;
	BACK_RING_INIT(&r->back, (struct blkif_sring *)va, XEN_PAGE_SIZE * nr);
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(d->xbdev, port,
							    hbb_interrupt, 0,
							   "blkhostile-back",
							   d);
	if (err < 0) {
		xenbus_unmap_ring_vfree(d->xbdev, va);
		r->back.sring = NULL;
		return err;
	}
	r->irq = err;
	return 0;
}

static void hbb_unmap_rings(struct hbb_dev *d)
{
	unsigned int i;

	for (i = 0; i < HBB_MAX_RINGS; i++) {
		struct hbb_ring *r = &d->rings[i];

		if (r->irq > 0)
			unbind_from_irqhandler(r->irq, d);
		r->irq = 0;
		if (r->back.sring)
			xenbus_unmap_ring_vfree(d->xbdev, r->back.sring);
		r->back.sring = NULL;
		r->nr_held = 0;
	}
	d->nr_rings = 0;
}

/* The rings the frontend published: one, or multi-queue-num-queues. */
static int hbb_map_rings(struct hbb_dev *d)
{
	const char *fe = d->xbdev->otherend;
	unsigned int order = hbb_fe_uint(d, fe, XENPV_BLK_KEY_RING_ORDER, 0);
	unsigned int n = hbb_fe_uint(d, fe, XENPV_BLK_KEY_NUM_QUEUES, 1);
	char dir[128];
	unsigned int i;
	int err = 0;

	if (!n || n > HBB_MAX_RINGS || order > XENPV_BLK_MAX_RING_ORDER)
		return -EINVAL;
	for (i = 0; !err && i < n; i++) {
		if (n == 1)
			strscpy(dir, fe, sizeof(dir));
		else
			snprintf(dir, sizeof(dir), "%s/queue-%u", fe, i);
		err = hbb_map_ring(d, &d->rings[i], dir, order);
	}
	d->nr_rings = err ? 0 : n;
	if (err)
		hbb_unmap_rings(d);
	return err;
}

/* The device's keys, with the attack's value where it has one. */
static int hbb_write_keys(struct xenbus_transaction xbt, void *data)
{
	struct hbb_dev *d = data;
	const char *dir = d->xbdev->nodename;
	int err;

	err = xenbus_printf(xbt, dir, XENPV_BLK_KEY_SECTORS, "%u",
			    hbb_sectors);
	if (!err)
		err = xenbus_printf(xbt, dir, XENPV_BLK_KEY_INFO, "%u", 0);
	if (!err)
		err = xenbus_printf(xbt, dir, XENPV_BLK_KEY_SECTOR_SIZE, "%u",
				    XENPV_BLK_SECTOR_SIZE);
	if (!err)
		err = xenbus_printf(xbt, dir, XENPV_BLK_KEY_FLUSH, "%u", 1);
	if (!err && d->attack->when == HBB_AT_KEYS)
		err = xenbus_printf(xbt, dir, d->attack->key, "%s",
				    d->attack->value);
	return err;
}

/* A response at slot 0, the producer at 1, before any request. */
static void hbb_rsp_early(struct hbb_dev *d)
{
	struct hbb_ring *r = &d->rings[0];

	hbb_fire(d, "a response before any request");
	hbb_put_rsp(r, 0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	hbb_push(r);
}

static void hbb_connect(struct hbb_dev *d)
{
	const char *proto;
	int err;

	lockdep_assert_held(&d->lock);
	if (d->state != HBB_WAIT)
		return;
	proto = xenbus_read(XBT_NIL, d->xbdev->otherend,
			    XENPV_BLK_KEY_PROTOCOL, NULL);
	err = IS_ERR(proto) ? 0 :
	      strcmp(proto, XEN_IO_PROTO_ABI_NATIVE) ? -EINVAL : 0;
	if (!IS_ERR(proto))
		kfree(proto);
	if (!err)
		err = hbb_map_rings(d);
	if (!err && d->attack->when == HBB_AT_KEYS)
		hbb_fire(d, d->attack->key);
	if (!err)
		err = xenpv_xs_transaction(hbb_write_keys, d);
	if (!err)
		err = xenbus_switch_state(d->xbdev, XenbusStateConnected);
	if (err) {
		hbb_unmap_rings(d);
		xenbus_dev_fatal(d->xbdev, err, "hostile backend: connecting");
		return;
	}
	hbb_set_state(d, HBB_SERVING);
	if (hbb_is(d, HBB_RSP_EARLY))
		hbb_rsp_early(d);
}

static void hbb_close(struct hbb_dev *d)
{
	lockdep_assert_held(&d->lock);
	hbb_unmap_rings(d);
	hbb_set_state(d, HBB_CLOSED);
}

/* Follow the frontend, as a backend does (Linux's, or this project's). */
static void hbb_frontend_changed(struct xenbus_device *xbdev,
				 enum xenbus_state fe_state)
{
	struct hbb_dev *d = dev_get_drvdata(&xbdev->dev);

	mutex_lock(&d->lock);
	d->fe_state = fe_state;
	switch (fe_state) {
	case XenbusStateInitialising:
		if (xbdev->state == XenbusStateClosed) {
			hbb_set_state(d, HBB_WAIT);
			xenbus_switch_state(xbdev, XenbusStateInitWait);
		}
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		hbb_connect(d);
		break;
	case XenbusStateClosing:
		hbb_close(d);
		xenbus_switch_state(xbdev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		hbb_close(d);
		xenbus_switch_state(xbdev, XenbusStateClosed);
		if (xenbus_dev_is_online(xbdev))
			break;
		fallthrough;
	case XenbusStateUnknown:
		hbb_close(d);
		mutex_unlock(&d->lock);
		device_unregister(&xbdev->dev);
		return;
	default:
		break;
	}
	mutex_unlock(&d->lock);
}

/* ---- Probe and remove -------------------------------------------------------- */

/* The limits a backend writes before InitWait, with the attack's value. */
static int hbb_write_limits(struct hbb_dev *d)
{
	const char *dir = d->xbdev->nodename;
	int err;

	err = xenbus_printf(XBT_NIL, dir, XENPV_BLK_KEY_MAX_QUEUES, "%u",
			    HBB_MAX_RINGS);
	if (!err)
		err = xenbus_printf(XBT_NIL, dir, XENPV_BLK_KEY_MAX_RING_ORDER,
				    "%u", XENPV_BLK_MAX_RING_ORDER);
	if (!err)
		err = xenbus_printf(XBT_NIL, dir, XENPV_BLK_KEY_MAX_INDIRECT,
				    "%u", d->max_segs);
	if (!err)
		err = xenbus_printf(XBT_NIL, dir, XENPV_BLK_KEY_PERSISTENT,
				    "%u", 0);
	if (!err && d->attack->when == HBB_AT_PROBE) {
		hbb_fire(d, d->attack->key);
		err = xenbus_printf(XBT_NIL, dir, d->attack->key, "%s",
				    d->attack->value);
	}
	return err;
}

/* Ours if its device id (the last part of its path) is @hbb_devid. */
static bool hbb_ours(struct xenbus_device *xbdev)
{
	const char *p = strrchr(xbdev->nodename, '/');
	unsigned int devid;

	return p && !kstrtouint(p + 1, 10, &devid) && devid == hbb_devid;
}

static int hbb_probe(struct xenbus_device *xbdev,
		     const struct xenbus_device_id *id)
{
	const struct hbb_attack *a = hbb_find_attack(hbb_attack_name);
	struct hbb_dev *d;
	int err;

	if (!hbb_ours(xbdev))
		return -ENODEV;	/* the backend loaded after us takes it */
	if (!a) {
		pr_err("%s: unknown attack \"%s\"\n", xbdev->nodename,
		       hbb_attack_name);
		return -EINVAL;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->frame = (void *)get_zeroed_page(GFP_KERNEL);
	if (!d->frame) {
		kfree(d);
		return -ENOMEM;
	}
	d->xbdev = xbdev;
	d->attack = a;
	/* The most we take; indirect_huge offers more than we serve. */
	d->max_segs = XENPV_BLK_MAX_INDIRECT_SEGS;
	mutex_init(&d->lock);
	INIT_WORK(&d->work, hbb_work);
	dev_set_drvdata(&xbdev->dev, d);
	atomic_inc(&hbb_nr_bound);
	pr_info("%s: taken, attack %s\n", dev_name(&xbdev->dev), a->name);
	err = hbb_write_limits(d);
	if (!err)
		err = xenbus_switch_state(xbdev, XenbusStateInitWait);
	if (err) {
		xenbus_dev_fatal(xbdev, err, "hostile backend: probe");
		dev_set_drvdata(&xbdev->dev, NULL);
		free_page((unsigned long)d->frame);
		kfree(d);
	}
	return err;
}

static void hbb_remove(struct xenbus_device *xbdev)
{
	struct hbb_dev *d = dev_get_drvdata(&xbdev->dev);

	mutex_lock(&d->lock);
	hbb_unmap_rings(d);	/* no interrupt queues the work after this */
	mutex_unlock(&d->lock);
	cancel_work_sync(&d->work);
	pr_info("%s: released (attack %s %s, %u requests served)\n",
		dev_name(&xbdev->dev), d->attack->name,
		d->fired ? "fired" : "did not fire", d->served);
	dev_set_drvdata(&xbdev->dev, NULL);
	free_page((unsigned long)d->frame);
	kfree(d);
}

static struct xenbus_driver hbb_driver = {
	.name			= "xen-blkhostile-back",
	.ids			= XENPV_IDS("vbd"),
	.probe			= hbb_probe,
	.remove			= hbb_remove,
	.otherend_changed	= hbb_frontend_changed,
};

static int __init hbb_init(void)
{
	int err;

	if (!xen_initial_domain())
		return -ENODEV;
	if (!hbb_find_attack(hbb_attack_name))
		return -EINVAL;
	hbb_disk = vzalloc((size_t)hbb_sectors << XENPV_BLK_SECTOR_SHIFT);
	if (!hbb_disk)
		return -ENOMEM;
	err = xenbus_register_backend(&hbb_driver);
	if (err)
		vfree(hbb_disk);
	return err;
}
module_init(hbb_init);

static void __exit hbb_exit(void)
{
	xenbus_unregister_driver(&hbb_driver);
	vfree(hbb_disk);
}
module_exit(hbb_exit);

MODULE_DESCRIPTION("Hostile Xen block backend, to test frontends");
MODULE_LICENSE("GPL");
