// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenpv core (see <xenpv/core.h>): pure logic, no hypervisor.  Each
 * module compiles its own copy through its xenpv.c; the userspace tests
 * link it with their shim headers.  Every value the other end wrote is
 * checked before use and a bad one is reported to the caller; only bugs of
 * the driver itself warn.
 */

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xenpv/core.h>

/* ---- Names --------------------------------------------------------------- */

/**
 * xenpv_name() - entry @v of a table of names, for one log line
 * @names: the table, indexed by an enum (use XENPV_NAME())
 * @nr: its length
 * @v: the value
 *
 * Return: the name, or "unknown" for a value beyond the table or a hole.
 */
const char *xenpv_name(const char *const *names, unsigned int nr,
		       unsigned int v)
{
	return v < nr && names[v] ? names[v] : "unknown";
}

/* ---- A device's state machine -------------------------------------------- */

/**
 * xenpv_state_allowed() - may a device move from one state to another?
 * @sm: the driver's state machine
 * @from: the device's state now
 * @to: the state it is to move to
 *
 * A move the table does not allow is a bug of the driver: it warns.
 *
 * Return: true if @sm allows from -> to.
 */
bool xenpv_state_allowed(const struct xenpv_states *sm, unsigned int from,
			 unsigned int to)
{
	if (WARN_ON_ONCE(from >= sm->nr || to >= sm->nr))
		return false;
	return !WARN_ON_ONCE(!(sm->table[from].next & BIT(to)));
}

/**
 * xenpv_state_name() - a state's name
 * @sm: the driver's state machine
 * @s: the state
 *
 * Return: its name, "?" for a state beyond the table.
 */
const char *xenpv_state_name(const struct xenpv_states *sm, unsigned int s)
{
	return s < sm->nr ? sm->table[s].name : "?";
}

/**
 * xenpv_states_check() - is a driver's state table well formed?
 * @sm: the table
 * @initial: the state a device starts in
 *
 * Every state has a name, no move leads out of the table, no state moves
 * to itself, and every state can be reached from @initial.
 *
 * Return: 0, or -EINVAL naming nothing: the tests print the table.
 */
int xenpv_states_check(const struct xenpv_states *sm, unsigned int initial)
{
	unsigned int i, seen, before;

	if (!sm->nr || sm->nr > 8 || initial >= sm->nr || !sm->peer)
		return -EINVAL;
	for (i = 0; i < sm->nr; i++)
		if (!sm->table[i].name || !sm->table[i].name[0] ||
		    (sm->table[i].next & ~(BIT(sm->nr) - 1)) ||
		    (sm->table[i].next & BIT(i)))
			return -EINVAL;
	seen = BIT(initial);
	do {
		before = seen;
		for (i = 0; i < sm->nr; i++)
			if (seen & BIT(i))
				seen |= sm->table[i].next;
	} while (seen != before);
	return seen == BIT(sm->nr) - 1 ? 0 : -EINVAL;
}

/* ---- Producer indexes ---------------------------------------------------- */

static const char *const xenpv_prod_names[] = {
	[XENPV_PROD_OK]		= "ok",
	[XENPV_PROD_BACKWARDS]	= "producer index moved backwards",
	[XENPV_PROD_OVERRUN]	= "producer index more than a ring ahead",
	[XENPV_PROD_UNASKED]	= "more entries produced than there is room for",
};

/**
 * xenpv_prod_str() - a producer verdict in words, for one log line
 * @v: the verdict
 *
 * Return: a constant string.
 */
const char *xenpv_prod_str(enum xenpv_prod_verdict v)
{
	return XENPV_NAME(xenpv_prod_names, v);
}

/* ---- Request ids ----------------------------------------------------------- */

/**
 * xenpv_ids_reset() - put every id back on the free list
 * @ids: the table
 *
 * For a ring being torn down or set up anew; whatever was in flight is
 * forgotten, so collect it first.
 */
void xenpv_ids_reset(struct xenpv_ids *ids)
{
	unsigned int i;

	for (i = 0; i < ids->size; i++)
		ids->ent[i] = (struct xenpv_id) { .next = i + 1 };
	ids->free_head = 0;
	ids->nr_free = ids->size;
}

/**
 * xenpv_ids_init() - allocate the ids of one ring, all free
 * @ids: the table to set up
 * @size: number of ids, the ring's slot count
 * @gfp: allocation flags
 *
 * Return: 0, -EINVAL for a size of 0 or above XENPV_MAX_IDS, or -ENOMEM.
 */
int xenpv_ids_init(struct xenpv_ids *ids, unsigned int size, gfp_t gfp)
{
	memset(ids, 0, sizeof(*ids));
	if (!size || size > XENPV_MAX_IDS)
		return -EINVAL;
	ids->ent = kcalloc(size, sizeof(*ids->ent), gfp);
	if (!ids->ent)
		return -ENOMEM;
	ids->size = size;
	xenpv_ids_reset(ids);
	return 0;
}

/**
 * xenpv_ids_destroy() - free what xenpv_ids_init() allocated
 * @ids: the table; may be zeroed or already destroyed
 */
void xenpv_ids_destroy(struct xenpv_ids *ids)
{
	kfree(ids->ent);
	memset(ids, 0, sizeof(*ids));
}

/**
 * xenpv_ids_next_in_flight() - walk the ids in flight
 * @ids: the ring's ids
 * @from: first id to look at
 *
 * Return: the lowest id >= @from in flight, or -ENOENT.
 */
int xenpv_ids_next_in_flight(const struct xenpv_ids *ids, unsigned int from)
{
	unsigned int id;

	for (id = from; id < ids->size; id++)
		if (ids->ent[id].flags & XENPV_ID_BUSY)
			return id;
	return -ENOENT;
}

/**
 * xenpv_id_priv() - the caller's pointer of an id in flight
 * @ids: the ring's ids
 * @id: the id
 *
 * Return: the pointer given to xenpv_id_get(), NULL if @id is not in
 * flight.
 */
void *xenpv_id_priv(const struct xenpv_ids *ids, unsigned int id)
{
	const struct xenpv_id *e = xenpv_id_entry(ids, id);

	return e ? e->priv : NULL;
}

static const char *const xenpv_id_names[] = {
	[XENPV_ID_OK]		= "ok",
	[XENPV_ID_RANGE]	= "id out of range",
	[XENPV_ID_STALE]	= "id not in flight",
	[XENPV_ID_WRONG_OP]	= "operation differs from the request's",
};

/**
 * xenpv_id_str() - an id verdict in words, for one log line
 * @v: the verdict
 *
 * Return: a constant string.
 */
const char *xenpv_id_str(enum xenpv_id_verdict v)
{
	return XENPV_NAME(xenpv_id_names, v);
}

/* ---- Counters ---------------------------------------------------------------- */

static bool xenpv_stat_name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

/**
 * xenpv_stats_check() - is a driver's counter table complete?
 * @desc: the table, indexed by the driver's counter enum
 * @nr: its length, the enum's count
 *
 * Every counter has a name fit for a file and a column, and no two share
 * one: a counter added to the enum and not to the table has none.
 *
 * Return: 0, or -EINVAL.
 */
int xenpv_stats_check(const struct xenpv_stat *desc, unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		if (!xenpv_stat_name_ok(desc[i].name) ||
		    (desc[i].flags & ~XENPV_STAT_SYSFS))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!strcmp(desc[i].name, desc[j].name))
				return -EINVAL;
	}
	return 0;
}

/**
 * xenpv_stats_add() - add one set of counters to another
 * @sum: the total
 * @v: what to add, read with READ_ONCE() (its writer may be at work)
 * @nr: counters in each
 */
void xenpv_stats_add(u64 *sum, const u64 *v, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		sum[i] += READ_ONCE(v[i]);
}
