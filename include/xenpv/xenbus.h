/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel side of the xenpv core, shared by the block frontend and
 * backend (and the test-only modules under tools/testing/): the code is
 * include/xenpv/xenbus.c, which each module compiles through its own
 * xenpv.c.
 *
 *  - the checked and logged change of a device's state;
 *  - failing a device once, from any context, with one log line;
 *  - xenstore writes and transactions;
 *  - event channels: binding (always with late EOI), the EOI, and the one
 *    policy for where a ring's interrupt runs;
 *  - the remove() callback across kernels;
 *  - counters: sysfs and debugfs output generated from a driver's
 *    descriptor table (<xenpv/core.h>);
 *  - a census of what the module holds (debugfs), for leak tests;
 *  - fault injection (XENPV_FAULT_INJECTION): grant references, memory,
 *    event channels, xenstore writes and transactions, each a fault_attr
 *    in the module's debugfs directory, as null_blk does.
 */
#ifndef _XENPV_XENBUS_H
#define _XENPV_XENBUS_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <compat/compat.h>
#include <xenpv/core.h>

#ifdef XENPV_FAULT_INJECTION
#include <linux/fault-inject.h>
#endif

struct dentry;

/* ---- Module parameters ----------------------------------------------------- */

/*
 * XENPV_UINT_PARAM(prefix, name, def, desc) defines the module parameter
 * @name, unsigned int prefix_name, set to @def, read-only in sysfs (it is
 * read when a device connects), described by @desc (Documentation/ has
 * the details).  The _RW forms are writable, the BOOL forms bool.  The
 * variable is named after the parameter, whose name is the user's (and
 * often Linux's own driver's).
 */
#define XENPV_PARAM(ctype, ptype, prefix, name, def, mode, desc)	\
	ctype prefix##_##name = (def);					\
	module_param_named(name, prefix##_##name, ptype, mode);		\
	__MODULE_INFO(parm, prefix##_##name, #name ":" desc)
#define XENPV_UINT_PARAM(prefix, name, def, desc)			\
	XENPV_PARAM(unsigned int, uint, prefix, name, def, 0444, desc)
#define XENPV_UINT_PARAM_RW(prefix, name, def, desc)			\
	XENPV_PARAM(unsigned int, uint, prefix, name, def, 0644, desc)
#define XENPV_BOOL_PARAM(prefix, name, def, desc)			\
	XENPV_PARAM(bool, bool, prefix, name, def, 0444, desc)
#define XENPV_BOOL_PARAM_RW(prefix, name, def, desc)			\
	XENPV_PARAM(bool, bool, prefix, name, def, 0644, desc)

/* ---- State changes ------------------------------------------------------- */

bool xenpv_state_change(const struct xenpv_states *sm, struct device *dev,
			unsigned int from, unsigned int to,
			enum xenbus_state peer_state);

/* ---- Failing a device once ----------------------------------------------- */

/**
 * struct xenpv_fail - the other end broke the protocol: fail the device
 * @failed: set once, from any context, by xenpv_fail(); read locklessly
 *	with xenpv_failed() on the I/O path
 * @why: what the other end did, written by the first xenpv_fail() alone
 * @work: the driver's handler, scheduled once by the first xenpv_fail():
 *	it takes the device's lock, stops what is in flight and logs the one
 *	line with xenpv_fail_report()
 */
struct xenpv_fail {
	bool failed;
	char why[96];
	struct work_struct work;
};

/**
 * enum xenpv_fail_how - what xenpv_fail_report() tells the toolstack
 * @XENPV_FAIL_ERROR: an error node; the device stays in its xenbus state
 * @XENPV_FAIL_FATAL: an error node, and the device switches to Closing
 */
enum xenpv_fail_how {
	XENPV_FAIL_ERROR,
	XENPV_FAIL_FATAL,
};

void xenpv_fail_init(struct xenpv_fail *f, work_func_t fn);
bool xenpv_fail(struct xenpv_fail *f, const char *why);
void xenpv_fail_report(struct xenpv_fail *f, struct xenbus_device *xbdev,
		       const char *peer, enum xenpv_fail_how how);
void xenpv_fail_reset(struct xenpv_fail *f);

/**
 * xenpv_failed() - has the device been failed?
 * @f: its failure
 *
 * Return: true once xenpv_fail() was called (until xenpv_fail_reset()).
 */
static inline bool xenpv_failed(const struct xenpv_fail *f)
{
	return READ_ONCE(f->failed);
}

/* ---- xenstore ------------------------------------------------------------ */

__printf(4, 5)
int xenpv_xs_printf(struct xenbus_transaction xbt, const char *dir,
		    const char *node, const char *fmt, ...);
int xenpv_xs_transaction(int (*write)(struct xenbus_transaction xbt,
				      void *data), void *data);
void xenpv_xs_read_keys(const char *dir, const char *const *names,
			unsigned int nr, const char **vals);
void xenpv_xs_free_keys(const char **vals, unsigned int nr);
void xenpv_xs_describe_bad(char *buf, size_t size, const char *peer,
			   const char *const *names, const char *const *vals,
			   unsigned int nr, unsigned int bad);

/* ---- Rings and grants ------------------------------------------------------ */

/**
 * enum xenpv_access - what the other end may do with a page
 * @XENPV_READ_WRITE: read and write it
 * @XENPV_READ_ONLY: only read it
 */
enum xenpv_access {
	XENPV_READ_WRITE,
	XENPV_READ_ONLY,
};

int xenpv_setup_ring(struct xenbus_device *xbdev, void **va,
		     unsigned int nr_pages, grant_ref_t *grefs);
int xenpv_map_ring(struct xenbus_device *xbdev, grant_ref_t *grefs,
		   unsigned int nr, void **va);
int xenpv_gnttab_alloc(unsigned int n, grant_ref_t *head);
int xenpv_grant_page(domid_t otherend, struct page *page,
		     enum xenpv_access access);

/* ---- Event channels -------------------------------------------------------- */

/**
 * enum xenpv_evtchn_owner - whose event channel a ring binds
 * @XENPV_EVTCHN_OURS: allocate one for the other end (a frontend), and
 *	close it when unbinding
 * @XENPV_EVTCHN_PEERS: bind the port the other end allocated (a backend)
 */
enum xenpv_evtchn_owner {
	XENPV_EVTCHN_OURS,
	XENPV_EVTCHN_PEERS,
};

int xenpv_evtchn_bind(struct xenbus_device *xbdev, evtchn_port_t *port,
		      enum xenpv_evtchn_owner owner, irq_handler_t handler,
		      const char *name, void *data);
int xenpv_irq_place(struct xenbus_device *xbdev, int irq, int cpu,
		    unsigned int spread);

/**
 * struct xenpv_irq_follow - a thread that runs where an interrupt lands
 * @notify: the interrupt's affinity notifier
 * @task: the thread the interrupt wakes
 * @irq: the interrupt, while registered
 *
 * Embedded in the ring that owns both; see xenpv_irq_follow().
 */
struct xenpv_irq_follow {
	struct irq_affinity_notify notify;
	struct task_struct *task;
	int irq;
};

void xenpv_irq_follow(struct xenpv_irq_follow *f, int irq, int cpu,
		      struct task_struct *task);
void xenpv_irq_unfollow(struct xenpv_irq_follow *f);

/**
 * xenpv_irq_eoi() - end a late-EOI interrupt once its work is looked at
 * @irq: the interrupt
 * @did_work: the event had something to do; false counts it as spurious,
 *	which makes Xen delay the next one of a channel that keeps firing
 *	for nothing (an event storm from the other end)
 */
static inline void xenpv_irq_eoi(int irq, bool did_work)
{
	xen_irq_lateeoi(irq, did_work ? 0 : XEN_EOI_FLAG_SPURIOUS);
}

/* ---- remove() ---------------------------------------------------------------- */

/*
 * XENPV_REMOVE(fn) defines fn_xenbus(), the xenbus_driver.remove callback
 * of this kernel (void since 6.4, int before), calling
 * void fn(struct xenbus_device *).
 */
#ifdef COMPAT_HAVE_XENBUS_REMOVE_VOID
#define XENPV_REMOVE(fn)						\
static void fn##_xenbus(struct xenbus_device *xbdev)			\
{									\
	fn(xbdev);							\
}
#else
#define XENPV_REMOVE(fn)						\
static int fn##_xenbus(struct xenbus_device *xbdev)			\
{									\
	fn(xbdev);							\
	return 0;							\
}
#endif

/* XENPV_IDS(type): the id table of a driver of one device type. */
#define XENPV_IDS(type)							\
	((const struct xenbus_device_id[]){ { type }, { "" } })

/* ---- Counters ------------------------------------------------------------------ */

/* The most counters a driver's table may have (the sums live on the stack). */
#define XENPV_MAX_STATS		32

void xenpv_stats_seq_header(struct seq_file *m, const char *gauges,
			    const struct xenpv_stat *desc, unsigned int nr);
void xenpv_stats_seq_values(struct seq_file *m, unsigned int nr, const u64 *v);

struct xenpv_stats_sysfs;

/**
 * struct xenpv_stats_attr - one generated sysfs file (private)
 * @attr: the device attribute
 * @s: the group it belongs to
 * @idx: the counter it shows
 */
struct xenpv_stats_attr {
	struct device_attribute attr;
	const struct xenpv_stats_sysfs *s;
	unsigned int idx;
};

/**
 * struct xenpv_stats_sysfs - a device's statistics/ directory
 * @desc: the driver's counter table
 * @nr: its length, at most XENPV_MAX_STATS
 * @sum: fills @nr counters with the device's totals
 * @attrs: generated, one per XENPV_STAT_SYSFS counter
 * @list: generated, NULL-terminated
 * @group: the group to add to each device (device_add_group())
 *
 * Set @desc, @nr and @sum; xenpv_stats_sysfs_init() makes the rest.
 */
struct xenpv_stats_sysfs {
	const struct xenpv_stat *desc;
	unsigned int nr;
	void (*sum)(struct device *dev, u64 *v);
	struct xenpv_stats_attr *attrs;
	struct attribute **list;
	struct attribute_group group;
};

int xenpv_stats_sysfs_init(struct xenpv_stats_sysfs *s);
void xenpv_stats_sysfs_free(struct xenpv_stats_sysfs *s);
/**
 * struct xenpv_backend_ops - a backend's steps as its frontend's state
 *	changes (xenpv_backend_frontend_changed())
 * @restart: the frontend starts over: offer a new connection; 0, or a
 *	negative errno after saying why (the device stays in Closed)
 * @connect: the frontend is ready: map its rings, connect
 * @close: the frontend closes or is gone: take the rings down (also
 *	when they are down already)
 */
struct xenpv_backend_ops {
	int (*restart)(void *data);
	void (*connect)(void *data);
	void (*close)(void *data);
};

bool xenpv_backend_frontend_changed(struct xenbus_device *xbdev,
				    enum xenbus_state state,
				    const struct xenpv_backend_ops *ops,
				    void *data);
int xenpv_register_backend(struct xenbus_driver *drv,
			   struct xenpv_stats_sysfs *s);
void xenpv_unregister_backend(struct xenbus_driver *drv,
			      struct xenpv_stats_sysfs *s);

/* ---- Census ---------------------------------------------------------------------- */

/**
 * struct xenpv_census - what a module holds, for leak tests
 * @names: one name per counter
 * @count: the counters, changed where what they count is made and freed,
 *	never per request; with no device left all are 0
 * @nr: how many
 *
 * xenpv_census_debugfs() shows them, one "name value" a line.
 */
struct xenpv_census {
	const char *const *names;
	atomic_long_t *count;
	unsigned int nr;
};

void xenpv_census_debugfs(struct dentry *parent, const struct xenpv_census *c);

/*
 * XENPV_CENSUS(prefix, items, [ITEM] = "name", ...) defines the counters
 * prefix_census[items] and their census, prefix_census_desc, named by the
 * designated initializers that follow, one for each item of the driver's
 * enum (xenpv_census_debugfs() refuses a census with one unnamed).
 */
#define XENPV_CENSUS(prefix, items, ...)				\
atomic_long_t prefix##_census[items];					\
static const char *const prefix##_census_names[] = { __VA_ARGS__ };	\
static_assert(ARRAY_SIZE(prefix##_census_names) ==			\
	      ARRAY_SIZE(prefix##_census));				\
static const struct xenpv_census prefix##_census_desc = {		\
	.names = prefix##_census_names,					\
	.count = prefix##_census,					\
	.nr = ARRAY_SIZE(prefix##_census_names),			\
}

/* ---- Fault injection ------------------------------------------------------------ */

/**
 * enum xenpv_fault - the operations a fault can be injected into
 * @XENPV_FAULT_GRANT: granting pages, allocating grant references, and
 *	(a backend) mapping the other end's grants
 * @XENPV_FAULT_ALLOC: memory allocation
 * @XENPV_FAULT_EVTCHN: allocating and binding event channels
 * @XENPV_FAULT_XS_WRITE: xenstore writes
 * @XENPV_FAULT_XS_TXN: starting and committing xenstore transactions
 * @XENPV_FAULT_NR: number of kinds
 */
enum xenpv_fault {
	XENPV_FAULT_GRANT,
	XENPV_FAULT_ALLOC,
	XENPV_FAULT_EVTCHN,
	XENPV_FAULT_XS_WRITE,
	XENPV_FAULT_XS_TXN,
	XENPV_FAULT_NR
};

#ifdef XENPV_FAULT_INJECTION
extern struct fault_attr xenpv_fault_attr[XENPV_FAULT_NR];

/**
 * xenpv_should_fail() - inject a fault here?
 * @kind: the operation about to be done
 *
 * A probability of 0 (the default) costs one load and a branch.
 *
 * Return: true if the caller is to fail the operation as if it had.
 */
static inline bool xenpv_should_fail(enum xenpv_fault kind)
{
	return unlikely(READ_ONCE(xenpv_fault_attr[kind].probability)) &&
	       should_fail(&xenpv_fault_attr[kind], 1);
}
#else
static inline bool xenpv_should_fail(enum xenpv_fault kind)
{
	return false;
}
#endif

void xenpv_fault_debugfs(struct dentry *parent);

/* An allocation, NULL when XENPV_FAULT_ALLOC injects a failure. */
#define XENPV_ALLOC(expr)	\
	(xenpv_should_fail(XENPV_FAULT_ALLOC) ? NULL : (expr))

#endif /* _XENPV_XENBUS_H */
