/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenpv core: what every paravirtual driver of this project needs and
 * what runs the same in the kernel and in the userspace tests.  The code
 * is include/xenpv/core.c, which each module (through its own xenpv.c)
 * and each test program links.
 *
 *  - a device's state table and its check (each driver keeps its own
 *    explicit table: it is the documentation);
 *  - the check of a producer index the other end wrote;
 *  - the ids of the requests in flight on a ring, and the check of the id
 *    and operation a response names;
 *  - one descriptor table of a driver's counters, from which its sysfs,
 *    debugfs and statistics files are generated (<xenpv/xenbus.h>);
 *  - the one way to read a shared ring: every value the other end can
 *    change is fetched once, with xenpv_copy_shared() or xenpv_read_idx(),
 *    and only the private copy is looked at afterwards.
 *
 * The kernel glue (xenstore, event channels, failing a device once, fault
 * injection) is in <xenpv/xenbus.h>, the blkif units in <xenpv/blkif.h>,
 * the xenstore number parser in <xenpv/xs-parse.h>.
 */
#ifndef _XENPV_CORE_H
#define _XENPV_CORE_H

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#include <xen/interface/io/ring.h>

/* ---- Reading what the other end shares ----------------------------------- */

#ifdef XENPV_TEST_SHARED
/*
 * The userspace tests provide these: they let a test see every fetch
 * from shared memory and change the memory between two fetches.
 */
void xenpv_copy_shared(void *dst, const void *src, size_t len);
RING_IDX xenpv_read_idx(const RING_IDX *idx);
void xenpv_write_idx(RING_IDX *idx, RING_IDX val);
void xenpv_write_shared(void *dst, const void *src, size_t len);
#else
/**
 * xenpv_copy_shared() - copy memory the other end may rewrite, once
 * @dst: the private copy
 * @src: the shared memory (a ring slot, an indirect frame)
 * @len: bytes; a constant where possible, so that the copy is a few moves
 *
 * The compiler barrier keeps every later use on @dst: no value is fetched
 * from @src twice.
 */
static __always_inline void xenpv_copy_shared(void *dst, const void *src,
					      size_t len)
{
	memcpy(dst, src, len);
	barrier();
}

/**
 * xenpv_read_idx() - fetch a ring index the other end writes, once
 * @idx: the shared index (req_prod, rsp_prod, an event index)
 *
 * Return: its value.
 */
static __always_inline RING_IDX xenpv_read_idx(const RING_IDX *idx)
{
	return READ_ONCE(*idx);
}

/**
 * xenpv_write_idx() - store a ring index the other end reads
 * @idx: the shared index
 * @val: its new value
 */
static __always_inline void xenpv_write_idx(RING_IDX *idx, RING_IDX val)
{
	WRITE_ONCE(*idx, val);
}

/**
 * xenpv_write_shared() - write into memory the other end reads
 * @dst: the shared memory (a ring slot)
 * @src: what to write
 * @len: bytes
 */
static __always_inline void xenpv_write_shared(void *dst, const void *src,
					       size_t len)
{
	memcpy(dst, src, len);
}
#endif

/* ---- Names --------------------------------------------------------------- */

/*
 * XENPV_NAME(names, v): entry @v of a table of names (an enum's, in
 * words), or "unknown" for a value beyond it.
 */
#define XENPV_NAME(names, v)	\
	xenpv_name(names, sizeof(names) / sizeof((names)[0]), v)

const char *xenpv_name(const char *const *names, unsigned int nr,
		       unsigned int v);

/* ---- A device's state machine -------------------------------------------- */

/**
 * struct xenpv_state - one state of a driver's state machine
 * @name: its name, for the log and sysfs
 * @next: BIT() of each state it may move to
 */
struct xenpv_state {
	const char *name;
	u8 next;
};

/**
 * struct xenpv_states - one driver's per-device state machine
 * @table: @nr states, indexed by the driver's state enum: each row names
 *	the state and the states it may move to
 * @nr: number of states, at most 8
 * @peer: what the log calls the other end: "frontend" or "backend"
 * @debug: log the changes with dev_dbg() rather than dev_info()
 */
struct xenpv_states {
	const struct xenpv_state *table;
	unsigned int nr;
	const char *peer;
	bool debug;
};

/* XENPV_STATES(var, rows, peer): @var, the state machine of table @rows. */
#define XENPV_STATES(var, rows, peer_name)				\
const struct xenpv_states var = {					\
	.table = rows, .nr = sizeof(rows) / sizeof((rows)[0]),		\
	.peer = peer_name,						\
}

bool xenpv_state_allowed(const struct xenpv_states *sm, unsigned int from,
			 unsigned int to);
const char *xenpv_state_name(const struct xenpv_states *sm, unsigned int s);
int xenpv_states_check(const struct xenpv_states *sm, unsigned int initial);

/* ---- Producer indexes ---------------------------------------------------- */

/**
 * enum xenpv_prod_verdict - what the check of a producer index found
 * @XENPV_PROD_OK: the entries up to it may be consumed
 * @XENPV_PROD_BACKWARDS: it moved back behind what was consumed
 * @XENPV_PROD_OVERRUN: it is more than a ring ahead of the consumer
 * @XENPV_PROD_UNASKED: more entries than the consumer has room for:
 *	responses to requests never sent, requests without a free response
 *	slot
 *
 * Anything but XENPV_PROD_OK is the other end breaking the protocol: log
 * xenpv_prod_str() once, fail the device, never loop on it.
 */
enum xenpv_prod_verdict {
	XENPV_PROD_OK,
	XENPV_PROD_BACKWARDS,
	XENPV_PROD_OVERRUN,
	XENPV_PROD_UNASKED,
};

const char *xenpv_prod_str(enum xenpv_prod_verdict v);

/**
 * xenpv_check_prod() - check a producer index the other end wrote
 * @prod: the shared producer, fetched once (xenpv_read_idx()), before any
 *	entry is read
 * @cons: our consumer index
 * @ring_size: slots in the ring
 * @room: entries we can take now: for responses, the requests
 *	outstanding; for requests, the free response slots
 * @avail: set to the entries that may be consumed, 0 on any error
 *
 * Return: XENPV_PROD_OK or what is wrong with @prod.
 */
static inline enum xenpv_prod_verdict
xenpv_check_prod(RING_IDX prod, RING_IDX cons, unsigned int ring_size,
		 unsigned int room, unsigned int *avail)
{
	RING_IDX n = prod - cons;

	*avail = 0;
	if ((s32)n < 0)
		return XENPV_PROD_BACKWARDS;
	if (n > ring_size)
		return XENPV_PROD_OVERRUN;
	if (n > room)
		return XENPV_PROD_UNASKED;
	*avail = n;
	return XENPV_PROD_OK;
}

/* ---- Request ids ----------------------------------------------------------- */

/**
 * struct xenpv_id - one request id (private to core.c)
 * @priv: the caller's pointer for the request using the id
 * @next: next free id while the id is free
 * @op: operation the response must carry
 * @flags: the caller's bits (XENPV_ID_BUSY is the core's)
 */
struct xenpv_id {
	void *priv;
	u32 next;
	u8 op;
	u8 flags;
};

/* Set while the id is in flight; the caller's flags use the other bits. */
#define XENPV_ID_BUSY		BIT(7)

/**
 * struct xenpv_ids - the ids of one ring, with a LIFO free list
 * @ent: @size entries
 * @size: number of ids, the ring's slot count
 * @nr_free: ids on the free list
 * @free_head: first free id, @size when none is free
 *
 * Protected by the lock of the ring that owns it.
 */
struct xenpv_ids {
	struct xenpv_id *ent;
	unsigned int size;
	unsigned int nr_free;
	u32 free_head;
};

/**
 * enum xenpv_id_verdict - what the check of a response's id found
 * @XENPV_ID_OK: a request in flight, with that operation
 * @XENPV_ID_RANGE: an id beyond the ring
 * @XENPV_ID_STALE: an id not in flight (answered already, never sent)
 * @XENPV_ID_WRONG_OP: the operation is not the request's
 */
enum xenpv_id_verdict {
	XENPV_ID_OK,
	XENPV_ID_RANGE,
	XENPV_ID_STALE,
	XENPV_ID_WRONG_OP,
};

#define XENPV_MAX_IDS		65536U

int xenpv_ids_init(struct xenpv_ids *ids, unsigned int size, gfp_t gfp);
void xenpv_ids_destroy(struct xenpv_ids *ids);
void xenpv_ids_reset(struct xenpv_ids *ids);
int xenpv_ids_next_in_flight(const struct xenpv_ids *ids, unsigned int from);
void *xenpv_id_priv(const struct xenpv_ids *ids, unsigned int id);
const char *xenpv_id_str(enum xenpv_id_verdict v);

/*
 * The per-request operations are inline: they run for every request and
 * response, and a call each would cost more than their work.
 */

/**
 * xenpv_id_get() - take a free id for a request about to go on the ring
 * @ids: the ring's ids
 * @op: operation the response must carry
 * @flags: the caller's bits, kept with the id (not XENPV_ID_BUSY)
 * @priv: the caller's pointer, handed back on completion
 *
 * Context: the ring's lock is held.
 * Return: the id, or -ENOSPC when every id is in flight.
 */
static inline int xenpv_id_get(struct xenpv_ids *ids, u8 op, u8 flags,
			       void *priv)
{
	struct xenpv_id *e;
	u32 id = ids->free_head;

	if (!ids->nr_free)
		return -ENOSPC;
	if (WARN_ON_ONCE(id >= ids->size))
		return -ENOSPC;

	e = &ids->ent[id];
	ids->free_head = e->next;
	ids->nr_free--;
	e->priv = priv;
	e->next = ids->size;
	e->op = op;
	e->flags = XENPV_ID_BUSY | (flags & ~XENPV_ID_BUSY);
	return id;
}

/**
 * xenpv_id_put() - give back an id whose request is finished
 * @ids: the ring's ids
 * @id: the id
 *
 * An id out of range or not in flight is a bug of the driver (responses
 * are checked with xenpv_id_check() before their id is put) and warns.
 *
 * Context: the ring's lock is held.
 * Return: 0, or -EINVAL for a bad id or a double free.
 */
static inline int xenpv_id_put(struct xenpv_ids *ids, unsigned int id)
{
	struct xenpv_id *e;

	if (WARN_ON_ONCE(id >= ids->size))
		return -EINVAL;
	e = &ids->ent[id];
	if (WARN_ON_ONCE(!(e->flags & XENPV_ID_BUSY)))
		return -EINVAL;

	*e = (struct xenpv_id) { .next = ids->free_head };
	ids->free_head = id;
	ids->nr_free++;
	return 0;
}

/**
 * xenpv_ids_in_flight() - ids taken and not yet given back
 * @ids: the ring's ids
 *
 * Return: the count.
 */
static inline unsigned int xenpv_ids_in_flight(const struct xenpv_ids *ids)
{
	return ids->size - ids->nr_free;
}

/**
 * xenpv_id_entry() - an id in flight
 * @ids: the ring's ids
 * @id: the id
 *
 * Return: its entry (operation, flags, pointer), NULL if @id is not in
 * flight.
 */
static inline const struct xenpv_id *
xenpv_id_entry(const struct xenpv_ids *ids, unsigned int id)
{
	if (id >= ids->size || !(ids->ent[id].flags & XENPV_ID_BUSY))
		return NULL;
	return &ids->ent[id];
}

/**
 * xenpv_id_check() - check the id and operation a response names
 * @ids: the ring's ids
 * @id: the response's id, as the other end wrote it
 * @op: the response's operation
 *
 * Changes nothing.
 *
 * Context: the ring's lock is held.
 * Return: XENPV_ID_OK or what is wrong.
 */
static inline enum xenpv_id_verdict xenpv_id_check(const struct xenpv_ids *ids,
						   u64 id, u8 op)
{
	const struct xenpv_id *e;

	if (id >= ids->size)
		return XENPV_ID_RANGE;
	e = &ids->ent[id];
	if (!(e->flags & XENPV_ID_BUSY))
		return XENPV_ID_STALE;
	if (op != e->op)
		return XENPV_ID_WRONG_OP;
	return XENPV_ID_OK;
}

/* ---- The other end's xenstore keys ------------------------------------------- */

/* The most keys a driver reads from the other end's directory as one set. */
#define XENPV_XS_MAX_KEYS	16

/**
 * struct xenpv_xs_vals - the other end's values of a driver's set of keys
 * @val: one string per key, indexed by the driver's key enum; NULL when
 *	the key is absent (xenpv_xs_read_keys() reads them)
 */
struct xenpv_xs_vals {
	const char *val[XENPV_XS_MAX_KEYS];
};

/* ---- Counters ---------------------------------------------------------------- */

/* The counter is also a file in the device's statistics/ directory. */
#define XENPV_STAT_SYSFS	BIT(0)

/**
 * struct xenpv_stat - one counter of a driver's descriptor table
 * @name: its name: sysfs file, debugfs column (lower case, digits, '_')
 * @flags: XENPV_STAT_*
 *
 * A driver numbers its counters with an enum, keeps them as an array of
 * u64 indexed by it, and describes them in one table of this type indexed
 * by the same enum: sysfs, debugfs and the sums are generated from it, and
 * xenpv_stats_check() catches a counter the table forgot.
 */
struct xenpv_stat {
	const char *name;
	unsigned int flags;
};

int xenpv_stats_check(const struct xenpv_stat *desc, unsigned int nr);
void xenpv_stats_add(u64 *sum, const u64 *v, unsigned int nr);

/**
 * xenpv_stat_add() - add to a counter that has one writer at a time
 * @counter: the counter (its writer's lock held, or its only writer)
 * @n: what to add
 *
 * Readers without the writer's lock see whole values (READ_ONCE()).
 */
static inline void xenpv_stat_add(u64 *counter, u64 n)
{
	WRITE_ONCE(*counter, *counter + n);
}

#endif /* _XENPV_CORE_H */
