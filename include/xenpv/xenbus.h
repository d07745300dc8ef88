/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenbus glue shared by the block frontend and backend (and the test-only
 * hostile frontend, tools/testing/xen-blkhostile): the check and log line
 * of a device's state change, a xenstore transaction retried until it
 * commits, and the reading (and the one error line) of the set of keys the
 * other end writes for the negotiation.
 *
 * Each driver keeps its own enum of states, their names and its table of
 * allowed transitions, and changes its state through one wrapper that
 * asserts its lock, asks xenpv_state_change() and then stores the state.
 */
#ifndef _XENPV_XENBUS_H
#define _XENPV_XENBUS_H

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <xen/xenbus.h>

/**
 * struct xenpv_states - one driver's per-device state machine
 * @names: the name of each state, for the log
 * @allowed: @allowed[from] has BIT(to) set when from -> to is allowed
 * @peer: what the log calls the other end: "frontend" or "backend"
 * @debug: log with dev_dbg() rather than dev_info()
 */
struct xenpv_states {
	const char *const *names;
	const u8 *allowed;
	const char *peer;
	bool debug;
};

/**
 * xenpv_state_change() - check and log a device's move to another state
 * @sm: the driver's state machine
 * @dev: the device, for the log
 * @from: the device's state now
 * @to: the new state
 * @peer_state: the other end's xenbus state, for the log
 *
 * A move to the state the device is in already is no move.  One that @sm
 * does not allow is a driver bug, warned about once and refused.  Any
 * other is logged once, as "FROM -> TO (PEER STATE)".
 *
 * Context: under the lock that protects the caller's state.
 * Return: true if the caller is to store @to as the device's state.
 */
static inline bool xenpv_state_change(const struct xenpv_states *sm,
				      struct device *dev, unsigned int from,
				      unsigned int to,
				      enum xenbus_state peer_state)
{
	if (from == to)
		return false;
	if (WARN_ON_ONCE(!(sm->allowed[from] & BIT(to))))
		return false;
	if (sm->debug)
		dev_dbg(dev, "%s -> %s (%s %s)\n", sm->names[from],
			sm->names[to], sm->peer, xenbus_strstate(peer_state));
	else
		dev_info(dev, "%s -> %s (%s %s)\n", sm->names[from],
			 sm->names[to], sm->peer, xenbus_strstate(peer_state));
	return true;
}

/**
 * xenpv_xs_transaction() - write xenstore keys in one transaction
 * @write: writes the keys in the transaction it is given; an error aborts
 * @data: passed to @write
 *
 * Starts a transaction, calls @write and commits; a commit that lost a
 * race with another writer (-EAGAIN) starts over, @write included.
 *
 * Return: 0; @write's error, the transaction aborted; or the error of
 * starting or committing the transaction.
 */
static inline int
xenpv_xs_transaction(int (*write)(struct xenbus_transaction xbt, void *data),
		     void *data)
{
	struct xenbus_transaction xbt;
	int err;

	do {
		err = xenbus_transaction_start(&xbt);
		if (err)
			return err;
		err = write(xbt, data);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			return err;
		}
		err = xenbus_transaction_end(xbt, 0);
	} while (err == -EAGAIN);
	return err;
}

/**
 * xenpv_xs_read_keys() - read a set of keys of one xenstore directory
 * @dir: the directory (the other end's)
 * @names: the keys' names
 * @nr: how many keys
 * @vals: set: @vals[i] to the value of @names[i], NULL where the key is
 *	absent or cannot be read; xenpv_xs_free_keys() frees them
 */
static inline void xenpv_xs_read_keys(const char *dir,
				      const char *const *names,
				      unsigned int nr, const char **vals)
{
	unsigned int i;
	char *val;

	for (i = 0; i < nr; i++) {
		val = xenbus_read(XBT_NIL, dir, names[i], NULL);
		vals[i] = IS_ERR(val) ? NULL : val;
	}
}

/**
 * xenpv_xs_free_keys() - free the values xenpv_xs_read_keys() read
 * @vals: the values
 * @nr: how many
 */
static inline void xenpv_xs_free_keys(const char **vals, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		kfree(vals[i]);
}

/**
 * xenpv_xs_report_bad() - log the other end's key that is unusable
 * @dev: the device
 * @peer: what the log calls the other end: "frontend" or "backend"
 * @names: the keys' names
 * @vals: their values, NULL where absent
 * @nr: how many keys
 * @bad: the index of the unusable key; @nr or more if none was named
 *
 * Logs one line, PEER value NAME="VALUE" is unusable, with "?" for the
 * name of a key not named and "" for the value of an absent one.
 */
static inline void xenpv_xs_report_bad(struct device *dev, const char *peer,
				       const char *const *names,
				       const char *const *vals,
				       unsigned int nr, unsigned int bad)
{
	dev_err(dev, "%s value %s=\"%s\" is unusable\n", peer,
		bad < nr ? names[bad] : "?",
		bad < nr && vals[bad] ? vals[bad] : "");
}

#endif /* _XENPV_XENBUS_H */
