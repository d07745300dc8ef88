// SPDX-License-Identifier: GPL-2.0
/*
 * xen-blkhostile: a hostile blkif frontend, to test Xen block backends.
 *
 * Test-only: it lives under tools/testing/ and is never installed with the
 * drivers.  Bound to a guest's "vbd" devices in place of xen-blkfront, it
 * connects like a frontend (one one-page ring in the x86_64 ABI, one event
 * channel, no persistent grants) and then puts malformed requests on the
 * ring, one at a time: segment counts past the limits, grants never given
 * or given read-only, a write to a disk given read-only, ranges past the
 * end of the disk, segments outside their page, an unknown operation,
 * indirect requests too large, a flood of notifications and, last, a
 * request producer that jumps past the ring.
 *
 * A backend must answer every bad request with an error (or fail the
 * device), never serve it, never hang, and go on serving good requests on
 * the same ring; a producer index that cannot be right must fail the
 * device.  Each attack logs one line,
 *
 *	xen-blkhostile: attack NAME: OUTCOME (status S) ok|WRONG
 *
 * judged by the outcomes hb_attacks[] expects, and the counters are
 * read-only module parameters (total, wrong, done) for a test to poll.
 *
 * Per device, one work item runs the attacks and then takes the connection
 * down: it waits (bounded) for the backend to close before it ends any
 * grant, and the pages are freed only once the backend has let go of them
 * (gnttab_end_foreign_access() defers that while a grant is mapped).
 */

#define pr_fmt(fmt) "xen-blkhostile: " fmt

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/protocols.h>
#include <xenpv/xenbus.h>

/* How long one attack waits for a response or for the device to fail. */
#define HB_WAIT_MS		10000
/* How long each step of the close handshake waits for the backend. */
#define HB_CLOSE_MS		10000
#define HB_STORM	100000UL
/* Our request ids: a tag in the top bits, a sequence number below. */
#define HB_ID_TAG		0x4842000000000000ULL
#define HB_ID_TAG_MASK		0xffff000000000000ULL
#define HB_NO_ID		U64_MAX
/* A grant reference far past any grant table. */
#define HB_HUGE_GREF		0xfffff0U
#define HB_MAX_PLAN		64
#define HB_NR_FRAMES		BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST
#define HB_SEGS_PER_FRAME	\
	(XEN_PAGE_SIZE / sizeof(struct blkif_request_segment))
#define HB_SECTORS_PER_PAGE	(XEN_PAGE_SIZE >> 9)

/* The ring is the native x86_64 one: 112-byte slots, 32 in a page. */
static_assert(sizeof(union blkif_sring_entry) == 112);

/* ---- Outcomes ------------------------------------------------------------ */

/**
 * enum hb_outcome - what became of one attack
 * @HB_OKAY: a response with BLKIF_RSP_OKAY
 * @HB_ERROR: a response with any other status
 * @HB_FAILED: the backend left Connected (Closing, Closed or gone)
 * @HB_TIMEOUT: none of those within HB_WAIT_MS
 * @HB_BAD_RSP: a response to no request of ours, or a response producer
 *	ahead of the requests
 * @HB_ABORTED: the device is being removed
 * @HB_SKIPPED: not run (feature not offered, device already failed, ring
 *	full); neither right nor wrong
 * @HB_NR_OUTCOMES: number of outcomes
 */
enum hb_outcome {
	HB_OKAY,
	HB_ERROR,
	HB_FAILED,
	HB_TIMEOUT,
	HB_BAD_RSP,
	HB_ABORTED,
	HB_SKIPPED,
	HB_NR_OUTCOMES
};

static const char *const hb_outcome_names[HB_NR_OUTCOMES] = {
	[HB_OKAY]	= "okay",
	[HB_ERROR]	= "error",
	[HB_FAILED]	= "failed-device",
	[HB_TIMEOUT]	= "timeout",
	[HB_BAD_RSP]	= "bad-response",
	[HB_ABORTED]	= "aborted",
	[HB_SKIPPED]	= "skipped",
};

/**
 * struct hb_result - the outcome of one attack
 * @outcome: what happened
 * @have_rsp: a response to the attack's request arrived
 * @op: its operation
 * @status: its status
 * @why: for HB_SKIPPED, the reason
 */
struct hb_result {
	enum hb_outcome outcome;
	bool have_rsp;
	u8 op;
	s16 status;
	const char *why;
};

/* ---- The device ---------------------------------------------------------- */

/**
 * enum hb_state - one device's life, changed by hb_set_state() only
 * @HB_NEW: ring, pages, grants and event channel set up in probe
 * @HB_PUBLISHED: ring-ref, event-channel and protocol written; Initialised
 * @HB_ATTACKING: both ends Connected; the work item runs the attacks
 * @HB_CLOSING: the close handshake runs, then every grant is ended
 * @HB_CLOSED: nothing left granted or bound
 * @HB_NR_STATES: number of states
 */
enum hb_state {
	HB_NEW,
	HB_PUBLISHED,
	HB_ATTACKING,
	HB_CLOSING,
	HB_CLOSED,
	HB_NR_STATES
};

/* Each state, and the states it may move to. */
static const struct xenpv_state hb_state_table[HB_NR_STATES] = {
	[HB_NEW]	= { "new", BIT(HB_PUBLISHED) | BIT(HB_CLOSING) },
	[HB_PUBLISHED]	= { "published", BIT(HB_ATTACKING) | BIT(HB_CLOSING) },
	[HB_ATTACKING]	= { "attacking", BIT(HB_CLOSING) },
	[HB_CLOSING]	= { "closing", BIT(HB_CLOSED) },
	[HB_CLOSED]	= { "closed", 0 },
};

static const struct xenpv_states hb_states = {
	.table	= hb_state_table,
	.nr	= HB_NR_STATES,
	.peer	= "backend",
	.debug	= true,
};

/**
 * struct hb_dev - one hostile frontend device
 * @xbdev: the xenbus device
 * @lock: protects @state
 * @state: hb_set_state() only, under @lock
 * @back_state: the backend's state as last seen by the otherend watch;
 *	WRITE_ONCE() there, READ_ONCE() elsewhere
 * @stopping: remove() runs: attacks end at once; WRITE_ONCE()/READ_ONCE()
 * @wq: woken by the interrupt, a backend state change and remove()
 * @work: runs the attacks, then hb_close()
 * @ring: the front ring; the work item's alone once published
 * @ring_ref: the ring's grant
 * @evtchn: the event channel, 0 if none
 * @irq: its interrupt, 0 if not bound
 * @data: reads land here (granted writable as @data_ref)
 * @data_ref: grant of @data
 * @ro: a page granted read-only as @ro_ref
 * @ro_ref: grant of @ro
 * @frames: indirect frames (granted read-only as @frame_refs)
 * @frame_refs: grants of @frames
 * @unused_ref: a grant reference allocated and never granted
 * @next_seq: sequence number of the next request id
 * @sectors: the backend's "sectors" (read at Connected, like the rest)
 * @sector_size: "sector-size"
 * @max_indirect: "feature-max-indirect-segments", 0 if absent
 * @discard: "feature-discard"
 * @readonly: "info" has VDISK_READONLY: the toolstack gave the disk read-only
 * @handle: our "virtual-device", the handle of our requests
 */
struct hb_dev {
	struct xenbus_device *xbdev;
	struct mutex lock;		/* protects @state */
	enum hb_state state;
	enum xenbus_state back_state;
	bool stopping;
	wait_queue_head_t wq;
	struct work_struct work;

	struct blkif_front_ring ring;
	grant_ref_t ring_ref;
	evtchn_port_t evtchn;
	int irq;
	struct page *data;
	grant_ref_t data_ref;
	struct page *ro;
	grant_ref_t ro_ref;
	struct page *frames[HB_NR_FRAMES];
	grant_ref_t frame_refs[HB_NR_FRAMES];
	grant_ref_t unused_ref;
	u64 next_seq;

	u64 sectors;
	unsigned int sector_size;
	unsigned int max_indirect;
	bool discard;
	bool readonly;
	u16 handle;
};

/* ---- Module parameters and counters -------------------------------------- */

static char *hb_attacks_param;
module_param_named(attacks, hb_attacks_param, charp, 0444);
MODULE_PARM_DESC(attacks, "Comma-separated attacks, in order (default: all)");

/* Totals over all devices, under hb_count_lock; read-only for users. */
static DEFINE_MUTEX(hb_count_lock);
static unsigned int hb_nr_total;
static unsigned int hb_nr_wrong;
static unsigned int hb_nr_done;
module_param_named(total, hb_nr_total, uint, 0444);
MODULE_PARM_DESC(total, "Attacks run so far");
module_param_named(wrong, hb_nr_wrong, uint, 0444);
MODULE_PARM_DESC(wrong, "Attacks with a wrong outcome, plus failed teardowns");
module_param_named(done, hb_nr_done, uint, 0444);
MODULE_PARM_DESC(done, "Devices that finished their attacks and closed");

/* The attacks to run, indexes into hb_attacks[]; set once at init. */
static unsigned int hb_plan[HB_MAX_PLAN];
static unsigned int hb_plan_len;

/* ---- State --------------------------------------------------------------- */

static void hb_set_state(struct hb_dev *hb, enum hb_state to)
{
	lockdep_assert_held(&hb->lock);
	if (xenpv_state_change(&hb_states, &hb->xbdev->dev, hb->state, to,
			       READ_ONCE(hb->back_state)))
		hb->state = to;
}

static enum hb_state hb_get_state(struct hb_dev *hb)
{
	enum hb_state s;

	mutex_lock(&hb->lock);
	s = hb->state;
	mutex_unlock(&hb->lock);
	return s;
}

/* The backend has failed or let go of the device. */
static bool hb_state_gone(enum xenbus_state s)
{
	return s == XenbusStateClosing || s == XenbusStateClosed ||
	       s == XenbusStateUnknown;
}

static bool hb_back_failed(struct hb_dev *hb)
{
	return hb_state_gone(READ_ONCE(hb->back_state));
}

/* ---- Grants -------------------------------------------------------------- */

static int hb_grant_page(struct hb_dev *hb, struct page **page,
			 grant_ref_t *ref, bool readonly)
{
	int gref;

	*page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!*page)
		return -ENOMEM;
	gref = gnttab_grant_foreign_access(hb->xbdev->otherend_id,
					   xen_page_to_gfn(*page), readonly);
	if (gref < 0) {
		__free_page(*page);
		*page = NULL;
		return gref;
	}
	*ref = gref;
	return 0;
}

/*
 * End a page's grant; the page is freed once the backend has no mapping
 * of it left, which may be later.  Never touch it again.
 */
static void hb_end_page(struct page **page, grant_ref_t *ref)
{
	if (*ref != INVALID_GRANT_REF)
		gnttab_end_foreign_access(*ref, *page);
	else if (*page)
		__free_page(*page);
	*ref = INVALID_GRANT_REF;
	*page = NULL;
}

/* A grant reference that is ours but grants nothing. */
static int hb_claim_unused(struct hb_dev *hb)
{
	grant_ref_t head;
	int ref, err;

	err = gnttab_alloc_grant_references(1, &head);
	if (err)
		return err;
	ref = gnttab_claim_grant_reference(&head);
	if (ref < 0) {
		gnttab_free_grant_references(head);
		return ref;
	}
	hb->unused_ref = ref;
	return 0;
}

static irqreturn_t hb_interrupt(int irq, void *data)
{
	struct hb_dev *hb = data;

	wake_up(&hb->wq);
	return IRQ_HANDLED;
}

/* Ring, pages, grants, event channel; hb_release() undoes any part. */
static int hb_setup(struct hb_dev *hb)
{
	struct xenbus_device *xbdev = hb->xbdev;
	struct blkif_sring *sring;
	unsigned int i;
	int err;

	err = xenbus_setup_ring(xbdev, GFP_KERNEL, (void **)&sring, 1,
				&hb->ring_ref);
	if (err)
		return err;
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&hb->ring, sring, XEN_PAGE_SIZE);
	err = hb_grant_page(hb, &hb->data, &hb->data_ref, false);
	if (!err)
		err = hb_grant_page(hb, &hb->ro, &hb->ro_ref, true);
	for (i = 0; !err && i < HB_NR_FRAMES; i++)
		err = hb_grant_page(hb, &hb->frames[i], &hb->frame_refs[i],
				    true);
	if (!err)
		err = hb_claim_unused(hb);
	if (!err)
		err = xenbus_alloc_evtchn(xbdev, &hb->evtchn);
	if (err)
		return err;
	err = bind_evtchn_to_irqhandler(hb->evtchn, hb_interrupt, 0,
					"xen-blkhostile", hb);
	if (err < 0) {
		xenbus_free_evtchn(xbdev, hb->evtchn);
		hb->evtchn = 0;
		return err;
	}
	hb->irq = err;
	return 0;
}

/* Unbind the event channel and end every grant (see hb_end_page()). */
static void hb_release(struct hb_dev *hb)
{
	void *sring = hb->ring.sring;
	unsigned int i;

	if (hb->irq > 0)
		unbind_from_irqhandler(hb->irq, hb);	/* closes the port */
	hb->irq = 0;
	hb->evtchn = 0;
	if (hb->unused_ref != INVALID_GRANT_REF)
		gnttab_free_grant_reference(hb->unused_ref);
	hb->unused_ref = INVALID_GRANT_REF;
	for (i = 0; i < HB_NR_FRAMES; i++)
		hb_end_page(&hb->frames[i], &hb->frame_refs[i]);
	hb_end_page(&hb->ro, &hb->ro_ref);
	hb_end_page(&hb->data, &hb->data_ref);
	xenbus_teardown_ring(&sring, 1, &hb->ring_ref);
	hb->ring.sring = NULL;
}

/* ---- Requests and responses ---------------------------------------------- */

static void hb_set_id(struct blkif_request *req, u64 id)
{
	switch (req->operation) {
	case BLKIF_OP_INDIRECT:
		req->u.indirect.id = id;
		break;
	case BLKIF_OP_DISCARD:
		req->u.discard.id = id;
		break;
	default:
		req->u.rw.id = id;
		break;
	}
}

static u8 hb_req_op(const struct blkif_request *req)
{
	if (req->operation == BLKIF_OP_INDIRECT)
		return req->u.indirect.indirect_op;
	return req->operation;
}

static bool hb_rsp_ready(struct hb_dev *hb)
{
	return READ_ONCE(hb->ring.sring->rsp_prod) != hb->ring.rsp_cons;
}

/*
 * Copy the next response out of the ring.  Return: 1 with @rsp filled in,
 * 0 if there is none, -EPROTO if the backend produced more responses than
 * there are requests.
 */
static int hb_get_rsp(struct hb_dev *hb, struct blkif_response *rsp)
{
	struct blkif_front_ring *r = &hb->ring;
	RING_IDX prod;
	int more;

	RING_FINAL_CHECK_FOR_RESPONSES(r, more);
	if (!more)
		return 0;
	prod = READ_ONCE(r->sring->rsp_prod);
	virt_rmb();	/* the slot is read after rsp_prod */
	if (prod - r->rsp_cons > r->req_prod_pvt - r->rsp_cons) {
		pr_err("backend's rsp_prod %u is ahead of our requests (%u, consumed %u)\n",
		       prod, r->req_prod_pvt, r->rsp_cons);
		return -EPROTO;
	}
	RING_COPY_RESPONSE(r, r->rsp_cons, rsp);
	r->rsp_cons++;
	return 1;
}

/*
 * Log a response and decide whether it ends the wait for request @id
 * (HB_NO_ID: no response is expected at all).  A late response to an
 * earlier request of ours is logged and waited past.
 */
static bool hb_take_rsp(struct hb_dev *hb, u64 id, u8 op,
			const struct blkif_response *rsp,
			struct hb_result *res)
{
	u64 seq = rsp->id & ~HB_ID_TAG_MASK;
	bool ours = (rsp->id & HB_ID_TAG_MASK) == HB_ID_TAG &&
		    seq < hb->next_seq;

	pr_info("  response id %#llx op %u status %d%s\n", rsp->id,
		rsp->operation, rsp->status,
		rsp->id == id ? "" : ours ? " (late, to an earlier request)" :
		" (to no request of ours)");
	if (rsp->id == id) {
		if (rsp->operation != op)
			pr_warn("  response op %u, request op %u\n",
				rsp->operation, op);
		res->have_rsp = true;
		res->op = rsp->operation;
		res->status = rsp->status;
		res->outcome = rsp->status == BLKIF_RSP_OKAY ? HB_OKAY :
							      HB_ERROR;
		return true;
	}
	if (ours && id != HB_NO_ID)
		return false;
	res->outcome = HB_BAD_RSP;
	return true;
}

static bool hb_woken(struct hb_dev *hb)
{
	return hb_rsp_ready(hb) || hb_back_failed(hb) ||
	       READ_ONCE(hb->stopping);
}

/* Wait for the response to @id (of operation @op) or the device's end. */
static void hb_wait(struct hb_dev *hb, u64 id, u8 op, struct hb_result *res)
{
	unsigned long end = jiffies + msecs_to_jiffies(HB_WAIT_MS);
	struct blkif_response rsp;
	long left;
	int got;

	for (;;) {
		got = hb_get_rsp(hb, &rsp);
		if (got < 0) {
			res->outcome = HB_BAD_RSP;
			return;
		}
		if (got) {
			if (hb_take_rsp(hb, id, op, &rsp, res))
				return;
			continue;
		}
		if (hb_back_failed(hb)) {
			res->outcome = HB_FAILED;
			return;
		}
		if (READ_ONCE(hb->stopping)) {
			res->outcome = HB_ABORTED;
			return;
		}
		left = (long)(end - jiffies);
		if (left <= 0) {
			res->outcome = HB_TIMEOUT;
			return;
		}
		wait_event_timeout(hb->wq, hb_woken(hb), left);
	}
}

/* Put @req on the ring with a fresh id, notify, wait for the outcome. */
static void hb_send(struct hb_dev *hb, struct blkif_request *req,
		    struct hb_result *res)
{
	struct blkif_front_ring *r = &hb->ring;
	u64 id;

	if (RING_FULL(r)) {
		res->outcome = HB_SKIPPED;
		res->why = "ring full of unanswered requests";
		return;
	}
	id = HB_ID_TAG | hb->next_seq++;
	hb_set_id(req, id);
	memcpy(RING_GET_REQUEST(r, r->req_prod_pvt), req, sizeof(*req));
	r->req_prod_pvt++;
	RING_PUSH_REQUESTS(r);
	notify_remote_via_irq(hb->irq);
	hb_wait(hb, id, hb_req_op(req), res);
}

/* ---- The attacks --------------------------------------------------------- */

/*
 * A read of @nsegs segments from @sector, each segment the whole data
 * page (the slot holds at most BLKIF_MAX_SEGMENTS_PER_REQUEST).
 */
static void hb_read(struct hb_dev *hb, struct blkif_request *req,
		    u64 sector, u8 nsegs)
{
	unsigned int i, n = min_t(unsigned int, nsegs,
				  BLKIF_MAX_SEGMENTS_PER_REQUEST);

	req->operation = BLKIF_OP_READ;
	req->u.rw.nr_segments = nsegs;
	req->u.rw.handle = hb->handle;
	req->u.rw.sector_number = sector;
	for (i = 0; i < n; i++) {
		req->u.rw.seg[i].gref = hb->data_ref;
		req->u.rw.seg[i].first_sect = 0;
		req->u.rw.seg[i].last_sect = HB_SECTORS_PER_PAGE - 1;
	}
}

static int hb_prep_good(struct hb_dev *hb, struct blkif_request *req,
			unsigned long arg)
{
	hb_read(hb, req, 0, 1);
	return 0;
}

/* @arg: the segment count to claim. */
static int hb_prep_segs(struct hb_dev *hb, struct blkif_request *req,
			unsigned long arg)
{
	hb_read(hb, req, 0, arg);
	return 0;
}

/* @arg: 0 for a reference never granted, 1 for one past any table. */
static int hb_prep_bad_gref(struct hb_dev *hb, struct blkif_request *req,
			    unsigned long arg)
{
	hb_read(hb, req, 0, 1);
	req->u.rw.seg[0].gref = arg ? HB_HUGE_GREF : hb->unused_ref;
	return 0;
}

/* A read: the backend would have to write into a read-only grant. */
static int hb_prep_ro_gref(struct hb_dev *hb, struct blkif_request *req,
			   unsigned long arg)
{
	hb_read(hb, req, 0, 1);
	req->u.rw.seg[0].gref = hb->ro_ref;
	return 0;
}

/* A write to a disk given read-only (only then: else it is a good write). */
static int hb_prep_write_ro(struct hb_dev *hb, struct blkif_request *req,
			    unsigned long arg)
{
	if (!hb->readonly)
		return -EOPNOTSUPP;
	hb_read(hb, req, 0, 1);
	req->operation = BLKIF_OP_WRITE;
	return 0;
}

/* @arg: 0 to start at the capacity, 1 to wrap around 2^64. */
static int hb_prep_range(struct hb_dev *hb, struct blkif_request *req,
			 unsigned long arg)
{
	hb_read(hb, req, arg ? ~0ULL - 3 : hb->sectors, 1);
	return 0;
}

#define HB_SEG(first, last)	((first) << 8 | (last))

/* @arg: HB_SEG(first_sect, last_sect) of the only segment. */
static int hb_prep_bounds(struct hb_dev *hb, struct blkif_request *req,
			  unsigned long arg)
{
	hb_read(hb, req, 0, 1);
	req->u.rw.seg[0].first_sect = (arg >> 8) & 0xff;
	req->u.rw.seg[0].last_sect = arg & 0xff;
	return 0;
}

#define HB_BAD_OP	0x7f

static int hb_prep_bad_op(struct hb_dev *hb, struct blkif_request *req,
			  unsigned long arg)
{
	hb_read(hb, req, 0, 1);
	req->operation = HB_BAD_OP;
	return 0;
}

/* Indirect variants (the arg of hb_prep_indirect()). */
enum {
	HB_IND_MORE,	/* one segment more than offered */
	HB_IND_MAX,	/* the most the field holds */
	HB_IND_GREF,	/* the frame's grant was never given */
	HB_IND_OP,	/* indirect_op is a flush */
};

/* Fill @nframes indirect frames with @nsegs valid segments. */
static void hb_fill_frames(struct hb_dev *hb, unsigned int nsegs,
			   unsigned int nframes)
{
	struct blkif_request_segment *seg;
	unsigned int f, i, n;

	for (f = 0; f < nframes && nsegs; f++, nsegs -= n) {
		seg = page_address(hb->frames[f]);
		n = min_t(unsigned int, nsegs, HB_SEGS_PER_FRAME);
		for (i = 0; i < n; i++) {
			seg[i].gref = hb->data_ref;
			seg[i].first_sect = 0;
			seg[i].last_sect = HB_SECTORS_PER_PAGE - 1;
		}
	}
}

static int hb_prep_indirect(struct hb_dev *hb, struct blkif_request *req,
			    unsigned long arg)
{
	unsigned int i, nsegs = 1, nframes;

	if (!hb->max_indirect)
		return -EOPNOTSUPP;
	if (arg == HB_IND_MORE)
		nsegs = min_t(unsigned int, hb->max_indirect + 1, U16_MAX);
	else if (arg == HB_IND_MAX)
		nsegs = U16_MAX;
	nframes = min_t(unsigned int, DIV_ROUND_UP(nsegs, HB_SEGS_PER_FRAME),
			HB_NR_FRAMES);
	hb_fill_frames(hb, nsegs, nframes);

	req->operation = BLKIF_OP_INDIRECT;
	req->u.indirect.indirect_op = arg == HB_IND_OP ?
				      BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_READ;
	req->u.indirect.nr_segments = nsegs;
	req->u.indirect.sector_number = 0;
	req->u.indirect.handle = hb->handle;
	for (i = 0; i < nframes; i++)
		req->u.indirect.indirect_grefs[i] = hb->frame_refs[i];
	if (arg == HB_IND_GREF)
		req->u.indirect.indirect_grefs[0] = hb->unused_ref;
	return 0;
}

/* A discard from 8 sectors before the end, 64 sectors long. */
static int hb_prep_discard(struct hb_dev *hb, struct blkif_request *req,
			   unsigned long arg)
{
	if (!hb->discard)
		return -EOPNOTSUPP;
	req->operation = BLKIF_OP_DISCARD;
	req->u.discard.flag = 0;
	req->u.discard.sector_number = hb->sectors - min_t(u64, hb->sectors, 8);
	req->u.discard.nr_sectors = 64;
	return 0;
}

/*
 * @arg notifications with no request (fewer if they take longer than
 * HB_WAIT_MS: a PVH guest under emulation sends a few thousand a second),
 * then a good read must work.
 */
static void hb_run_storm(struct hb_dev *hb, unsigned long arg,
			 struct hb_result *res)
{
	unsigned long start = jiffies, i = 0;
	unsigned long end = start + msecs_to_jiffies(HB_WAIT_MS);
	struct blkif_request req = { };

	while (i < arg) {
		notify_remote_via_irq(hb->irq);
		if (++i % 256)
			continue;
		cond_resched();
		if (READ_ONCE(hb->stopping)) {
			res->outcome = HB_ABORTED;
			return;
		}
		if (time_after(jiffies, end))
			break;
	}
	pr_info("  %lu notifications in %u ms%s\n", i,
		jiffies_to_msecs(jiffies - start),
		i < arg ? " (stopped at the time limit)" : "");
	hb_prep_good(hb, &req, 0);
	hb_send(hb, &req, res);
}

/*
 * req_prod a ring and @arg slots ahead of the requests: a backend must
 * fail the device rather than consume slots we never filled.
 */
static void hb_run_prod_jump(struct hb_dev *hb, unsigned long arg,
			     struct hb_result *res)
{
	struct blkif_front_ring *r = &hb->ring;
	RING_IDX bogus = r->req_prod_pvt + RING_SIZE(r) + arg;

	pr_info("  req_prod %u -> %u (ring of %u, %u unanswered)\n",
		r->req_prod_pvt, bogus, RING_SIZE(r),
		r->req_prod_pvt - r->rsp_cons);
	/* The slots as they are before the index, as any push does. */
	virt_wmb();
	WRITE_ONCE(r->sring->req_prod, bogus);
	notify_remote_via_irq(hb->irq);
	hb_wait(hb, HB_NO_ID, 0, res);
}

/**
 * struct hb_attack - one attack and the outcomes that are right for it
 * @name: its name in the attacks parameter and the log
 * @prep: fill in one request (all but its id); -EOPNOTSUPP to skip it
 * @run: instead of @prep, for an attack that is not one request
 * @arg: passed to @prep or @run
 * @expect: BIT() of each &enum hb_outcome that is right
 */
struct hb_attack {
	const char *name;
	int (*prep)(struct hb_dev *hb, struct blkif_request *req,
		    unsigned long arg);
	void (*run)(struct hb_dev *hb, unsigned long arg,
		    struct hb_result *res);
	unsigned long arg;
	u8 expect;
};

/* Right outcomes: a good request is served; a bad one is refused. */
#define HB_GOOD		BIT(HB_OKAY)
#define HB_BAD		(BIT(HB_ERROR) | BIT(HB_FAILED))
#define HB_BROKEN	BIT(HB_FAILED)

#define HB_REQ(n, fn, a, e)	{ .name = n, .prep = fn, .arg = a, .expect = e }
#define HB_RUN(n, fn, a, e)	{ .name = n, .run = fn, .arg = a, .expect = e }

/* Every attack, in the default order; the ring-breaking one last. */
static const struct hb_attack hb_attacks[] = {
	HB_REQ("good",			hb_prep_good, 0, HB_GOOD),
	HB_REQ("segs_zero",		hb_prep_segs, 0, HB_BAD),
	HB_REQ("segs_over",		hb_prep_segs,
	       BLKIF_MAX_SEGMENTS_PER_REQUEST + 1, HB_BAD),
	HB_REQ("segs_255",		hb_prep_segs, 255, HB_BAD),
	HB_REQ("bad_gref",		hb_prep_bad_gref, 0, HB_BAD),
	HB_REQ("bad_gref_huge",		hb_prep_bad_gref, 1, HB_BAD),
	HB_REQ("ro_gref",		hb_prep_ro_gref, 0, HB_BAD),
	HB_REQ("write_ro",		hb_prep_write_ro, 0, HB_BAD),
	HB_REQ("beyond_end",		hb_prep_range, 0, HB_BAD),
	HB_REQ("wrap",			hb_prep_range, 1, HB_BAD),
	HB_REQ("first_gt_last",		hb_prep_bounds, HB_SEG(5, 2), HB_BAD),
	HB_REQ("last_past_page",	hb_prep_bounds, HB_SEG(0, 8), HB_BAD),
	HB_REQ("bad_op",		hb_prep_bad_op, 0, HB_BAD),
	HB_REQ("indirect_too_many",	hb_prep_indirect, HB_IND_MORE, HB_BAD),
	HB_REQ("indirect_65535",	hb_prep_indirect, HB_IND_MAX, HB_BAD),
	HB_REQ("indirect_bad_gref",	hb_prep_indirect, HB_IND_GREF, HB_BAD),
	HB_REQ("indirect_bad_op",	hb_prep_indirect, HB_IND_OP, HB_BAD),
	HB_REQ("discard_beyond",	hb_prep_discard, 0, HB_BAD),
	HB_RUN("notify_storm",		hb_run_storm, HB_STORM, HB_GOOD),
	HB_REQ("good_after",		hb_prep_good, 0, HB_GOOD),
	HB_RUN("prod_jump",		hb_run_prod_jump, 7, HB_BROKEN),
};

static_assert(ARRAY_SIZE(hb_attacks) <= HB_MAX_PLAN);

/* ---- Running the attacks ------------------------------------------------- */

/**
 * struct hb_tally - one device's counts
 * @total: attacks run (not skipped)
 * @wrong: attacks with a wrong outcome, plus a failed connection or close
 */
struct hb_tally {
	unsigned int total;
	unsigned int wrong;
};

static void hb_run_one(struct hb_dev *hb, const struct hb_attack *a,
		       struct hb_result *res)
{
	struct blkif_request req;

	if (READ_ONCE(hb->stopping)) {
		res->outcome = HB_ABORTED;
		return;
	}
	if (hb_back_failed(hb)) {
		res->outcome = HB_SKIPPED;
		res->why = "the device has failed";
		return;
	}
	if (a->run) {
		a->run(hb, a->arg, res);
		return;
	}
	memset(&req, 0, sizeof(req));
	if (a->prep(hb, &req, a->arg)) {
		res->outcome = HB_SKIPPED;
		res->why = "does not apply to this device";
		return;
	}
	hb_send(hb, &req, res);
}

static void hb_log(const struct hb_attack *a, const struct hb_result *res,
		   struct hb_tally *t)
{
	char status[8] = "none";
	bool right;

	if (res->outcome == HB_SKIPPED) {
		pr_info("attack %s: skipped (%s)\n", a->name, res->why);
		return;
	}
	right = a->expect & BIT(res->outcome);
	if (res->have_rsp)
		snprintf(status, sizeof(status), "%d", res->status);
	pr_info("attack %s: %s (status %s) %s\n", a->name,
		hb_outcome_names[res->outcome], status, right ? "ok" : "WRONG");
	t->total++;
	if (!right)
		t->wrong++;
}

static void hb_run_plan(struct hb_dev *hb, struct hb_tally *t)
{
	unsigned int i;

	pr_info("%s: %llu sectors of %u bytes%s, %u indirect segments, discard %s, ring of %u\n",
		hb->xbdev->nodename, hb->sectors, hb->sector_size,
		hb->readonly ? " (read-only)" : "", hb->max_indirect,
		hb->discard ? "yes" : "no", RING_SIZE(&hb->ring));
	for (i = 0; i < hb_plan_len; i++) {
		const struct hb_attack *a = &hb_attacks[hb_plan[i]];
		struct hb_result res = { };

		hb_run_one(hb, a, &res);
		hb_log(a, &res, t);
	}
}

/* ---- Closing ------------------------------------------------------------- */

/*
 * Wait up to @ms for the backend to reach a state of @states (BIT()s).
 * The state is read from xenstore, since in remove() the watch is gone.
 */
static enum xenbus_state hb_wait_backend(struct hb_dev *hb, u32 states,
					 unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	enum xenbus_state s;

	for (;;) {
		s = xenbus_read_driver_state(hb->xbdev->otherend);
		if ((states & BIT(s)) || time_after(jiffies, end))
			return s;
		wait_event_timeout(hb->wq,
				   states & BIT(READ_ONCE(hb->back_state)),
				   msecs_to_jiffies(100));
	}
}

/**
 * hb_close() - take the connection down and end every grant
 * @hb: the device
 *
 * Switches to Closing (unless the backend already left Connected) and to
 * Closed, waits up to HB_CLOSE_MS for the backend to follow each, then
 * unbinds the event channel and ends the grants.  A backend that does not
 * close in time only delays the freeing of the pages it still maps.
 *
 * Context: process; not concurrently with the work item.
 * Return: true if the backend closed (or its device is gone), or if the
 * device was closed before.
 */
static bool hb_close(struct hb_dev *hb)
{
	const u32 closing = BIT(XenbusStateClosing) | BIT(XenbusStateClosed) |
			    BIT(XenbusStateUnknown);
	const u32 closed = BIT(XenbusStateClosed) | BIT(XenbusStateUnknown);
	enum xenbus_state s;
	bool ok;

	mutex_lock(&hb->lock);
	if (hb->state >= HB_CLOSING) {
		mutex_unlock(&hb->lock);
		return true;
	}
	hb_set_state(hb, HB_CLOSING);
	mutex_unlock(&hb->lock);

	s = xenbus_read_driver_state(hb->xbdev->otherend);
	if (!(closing & BIT(s))) {
		xenbus_switch_state(hb->xbdev, XenbusStateClosing);
		hb_wait_backend(hb, closing, HB_CLOSE_MS);
	}
	xenbus_switch_state(hb->xbdev, XenbusStateClosed);
	s = hb_wait_backend(hb, closed, HB_CLOSE_MS);
	ok = closed & BIT(s);
	hb_release(hb);

	mutex_lock(&hb->lock);
	hb_set_state(hb, HB_CLOSED);
	mutex_unlock(&hb->lock);
	pr_info("teardown: backend %s, grants ended: %s\n",
		xenbus_strstate(s), ok ? "ok" : "WRONG");
	return ok;
}

static void hb_count(const struct hb_tally *t)
{
	mutex_lock(&hb_count_lock);
	WRITE_ONCE(hb_nr_total, hb_nr_total + t->total);
	WRITE_ONCE(hb_nr_wrong, hb_nr_wrong + t->wrong);
	/* A reader that sees "done" move sees the counts of that device. */
	smp_store_release(&hb_nr_done, hb_nr_done + 1);
	mutex_unlock(&hb_count_lock);
}

/* The attacks (once both ends are Connected), then the close. */
static void hb_work(struct work_struct *work)
{
	struct hb_dev *hb = container_of(work, struct hb_dev, work);
	struct hb_tally t = { };
	enum hb_state s = hb_get_state(hb);

	if (s >= HB_CLOSING)
		return;
	if (s == HB_ATTACKING) {
		hb_run_plan(hb, &t);
	} else {
		pr_err("%s: the backend went %s before connecting\n",
		       hb->xbdev->nodename,
		       xenbus_strstate(READ_ONCE(hb->back_state)));
		t.wrong++;
	}
	if (!hb_close(hb))
		t.wrong++;
	pr_info("done: %u attacks, %u wrong\n", t.total, t.wrong);
	hb_count(&t);
}

/* ---- xenbus -------------------------------------------------------------- */

/* The ring's keys, in one transaction (xenpv_xs_transaction()). */
static int hb_write_keys(struct xenbus_transaction xbt, void *data)
{
	struct hb_dev *hb = data;
	const char *node = hb->xbdev->nodename;
	int err;

	err = xenbus_printf(xbt, node, "ring-ref", "%u", hb->ring_ref);
	if (!err)
		err = xenbus_printf(xbt, node, "event-channel", "%u",
				    hb->evtchn);
	if (!err)
		err = xenbus_printf(xbt, node, "protocol", "%s",
				    XEN_IO_PROTO_ABI_X86_64);
	return err;
}

/* Backend in InitWait: offer the ring. */
static void hb_publish(struct hb_dev *hb)
{
	int err;

	lockdep_assert_held(&hb->lock);
	err = xenpv_xs_transaction(hb_write_keys, hb);
	if (!err)
		err = xenbus_switch_state(hb->xbdev, XenbusStateInitialised);
	if (err) {
		xenbus_dev_fatal(hb->xbdev, err, "publishing the ring");
		return;
	}
	hb_set_state(hb, HB_PUBLISHED);
}

static int hb_read_backend(struct hb_dev *hb)
{
	const char *be = hb->xbdev->otherend;
	unsigned long long sectors;

	if (xenbus_scanf(XBT_NIL, be, "sectors", "%llu", &sectors) != 1)
		return -EINVAL;
	hb->sectors = sectors;
	hb->sector_size = xenbus_read_unsigned(be, "sector-size", 512);
	hb->max_indirect = xenbus_read_unsigned(be,
						"feature-max-indirect-segments",
						0);
	hb->discard = xenbus_read_unsigned(be, "feature-discard", 0);
	hb->readonly = xenbus_read_unsigned(be, "info", 0) & VDISK_READONLY;
	hb->handle = xenbus_read_unsigned(hb->xbdev->nodename,
					  "virtual-device", 0);
	return 0;
}

/* Backend Connected: read its keys, connect, start the attacks. */
static void hb_connect(struct hb_dev *hb)
{
	int err;

	lockdep_assert_held(&hb->lock);
	err = hb_read_backend(hb);
	if (!err)
		err = xenbus_switch_state(hb->xbdev, XenbusStateConnected);
	if (err) {
		xenbus_dev_fatal(hb->xbdev, err, "connecting");
		queue_work(system_long_wq, &hb->work);	/* to close */
		return;
	}
	hb_set_state(hb, HB_ATTACKING);
	queue_work(system_long_wq, &hb->work);
}

static void hb_backend_changed(struct xenbus_device *xbdev,
			       enum xenbus_state back)
{
	struct hb_dev *hb = dev_get_drvdata(&xbdev->dev);

	WRITE_ONCE(hb->back_state, back);
	wake_up(&hb->wq);
	mutex_lock(&hb->lock);
	if (back == XenbusStateInitWait && hb->state == HB_NEW)
		hb_publish(hb);
	else if (back == XenbusStateConnected && hb->state == HB_PUBLISHED)
		hb_connect(hb);
	else if (hb_state_gone(back) && hb->state == HB_PUBLISHED)
		queue_work(system_long_wq, &hb->work);	/* to close */
	/* HB_ATTACKING: the work item sees the state by itself. */
	mutex_unlock(&hb->lock);
}

static int hb_probe(struct xenbus_device *xbdev,
		    const struct xenbus_device_id *id)
{
	struct hb_dev *hb;
	unsigned int i;
	int err;

	hb = kzalloc(sizeof(*hb), GFP_KERNEL);
	if (!hb)
		return -ENOMEM;
	hb->xbdev = xbdev;
	mutex_init(&hb->lock);
	init_waitqueue_head(&hb->wq);
	INIT_WORK(&hb->work, hb_work);
	hb->ring_ref = INVALID_GRANT_REF;
	hb->data_ref = INVALID_GRANT_REF;
	hb->ro_ref = INVALID_GRANT_REF;
	hb->unused_ref = INVALID_GRANT_REF;
	for (i = 0; i < HB_NR_FRAMES; i++)
		hb->frame_refs[i] = INVALID_GRANT_REF;
	hb->back_state = xenbus_read_driver_state(xbdev->otherend);
	dev_set_drvdata(&xbdev->dev, hb);

	err = hb_setup(hb);
	if (err) {
		hb_release(hb);
		dev_set_drvdata(&xbdev->dev, NULL);
		kfree(hb);
		xenbus_dev_fatal(xbdev, err, "setting up the ring");
		return err;
	}
	/* A device a frontend closed before: start over. */
	if (xbdev->state != XenbusStateInitialising)
		xenbus_switch_state(xbdev, XenbusStateInitialising);
	mutex_lock(&hb->lock);
	if (hb->back_state == XenbusStateInitWait)
		hb_publish(hb);
	mutex_unlock(&hb->lock);
	dev_info(&xbdev->dev, "hostile frontend bound (backend %s)\n",
		 xenbus_strstate(hb->back_state));
	return 0;
}

static void hb_remove(struct xenbus_device *xbdev)
{
	struct hb_dev *hb = dev_get_drvdata(&xbdev->dev);

	WRITE_ONCE(hb->stopping, true);
	wake_up(&hb->wq);
	cancel_work_sync(&hb->work);
	hb_close(hb);
	dev_set_drvdata(&xbdev->dev, NULL);
	kfree(hb);
}

static const struct xenbus_device_id hb_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver hb_driver = {
	.name = "xen-blkhostile",
	.ids = hb_ids,
	.probe = hb_probe,
	.remove = hb_remove,
	.otherend_changed = hb_backend_changed,
	.not_essential = true,
};

/* ---- Module -------------------------------------------------------------- */

static int hb_find_attack(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hb_attacks); i++)
		if (!strcmp(hb_attacks[i].name, name))
			return i;
	return -ENOENT;
}

/* Turn the attacks parameter into hb_plan[]; unknown names fail. */
static int __init hb_parse_plan(void)
{
	char *buf, *p, *name;
	int i, err = 0;

	if (!hb_attacks_param || !*hb_attacks_param) {
		for (i = 0; i < ARRAY_SIZE(hb_attacks); i++)
			hb_plan[i] = i;
		hb_plan_len = ARRAY_SIZE(hb_attacks);
		return 0;
	}
	buf = kstrdup(hb_attacks_param, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = buf;
	while (!err && (name = strsep(&p, ","))) {
		if (!*name)
			continue;
		i = hb_find_attack(name);
		if (i < 0) {
			pr_err("unknown attack \"%s\"\n", name);
			err = -EINVAL;
		} else if (hb_plan_len == HB_MAX_PLAN) {
			pr_err("more than %u attacks\n", HB_MAX_PLAN);
			err = -E2BIG;
		} else {
			hb_plan[hb_plan_len++] = i;
		}
	}
	kfree(buf);
	return err;
}

static int __init hb_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	err = hb_parse_plan();
	if (err)
		return err;
	return xenbus_register_frontend(&hb_driver);
}
module_init(hb_init);

static void __exit hb_exit(void)
{
	xenbus_unregister_driver(&hb_driver);
}
module_exit(hb_exit);

MODULE_DESCRIPTION("Hostile Xen block frontend, to test backends");
MODULE_LICENSE("GPL");
