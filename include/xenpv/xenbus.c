// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel side of the xenpv core (see <xenpv/xenbus.h>).  Each module
 * compiles its own copy through its xenpv.c, so the fault injection knobs
 * and the log lines are the module's own.
 */

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/irq.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <xen/page.h>

#include <xenpv/xenbus.h>

/* ---- State changes ------------------------------------------------------- */

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
bool xenpv_state_change(const struct xenpv_states *sm, struct device *dev,
			unsigned int from, unsigned int to,
			enum xenbus_state peer_state)
{
	if (from == to || !xenpv_state_allowed(sm, from, to))
		return false;
	if (sm->debug)
		dev_dbg(dev, "%s -> %s (%s %s)\n", sm->table[from].name,
			sm->table[to].name, sm->peer,
			xenbus_strstate(peer_state));
	else
		dev_info(dev, "%s -> %s (%s %s)\n", sm->table[from].name,
			 sm->table[to].name, sm->peer,
			 xenbus_strstate(peer_state));
	return true;
}

/* ---- Failing a device once ----------------------------------------------- */

/**
 * xenpv_fail_init() - set up a device's failure, not failed
 * @f: the failure
 * @fn: the driver's handler, run once from a work item after the first
 *	xenpv_fail()
 */
void xenpv_fail_init(struct xenpv_fail *f, work_func_t fn)
{
	f->failed = false;
	INIT_WORK(&f->work, fn);
}

/**
 * xenpv_fail() - the other end broke the protocol: fail this device
 * @f: the device's failure
 * @why: what it did, for the one log line (copied)
 *
 * The first call records @why and schedules the driver's handler, which
 * stops the device and logs the line with xenpv_fail_report(); later
 * calls do nothing.  Other devices are not affected.
 *
 * Context: any, the interrupt handler included.
 * Return: true for the first call.
 */
bool xenpv_fail(struct xenpv_fail *f, const char *why)
{
	if (xchg(&f->failed, true))
		return false;
	strscpy(f->why, why, sizeof(f->why));
	schedule_work(&f->work);
	return true;
}

/**
 * xenpv_fail_report() - the one log line of a failed device
 * @f: the failure, from its handler
 * @xbdev: the device
 * @peer: what the log calls the other end: "frontend" or "backend"
 * @how: what the toolstack is told
 *
 * "PEER PATH broke the protocol (WHY): failing the device", through
 * xenbus_dev_error() or xenbus_dev_fatal(), which also write it to the
 * device's error node in xenstore.
 */
void xenpv_fail_report(struct xenpv_fail *f, struct xenbus_device *xbdev,
		       const char *peer, enum xenpv_fail_how how)
{
	if (how == XENPV_FAIL_FATAL)
		xenbus_dev_fatal(xbdev, -EPROTO,
				 "%s %s broke the protocol (%s): failing the device",
				 peer, xbdev->otherend, f->why);
	else
		xenbus_dev_error(xbdev, -EPROTO,
				 "%s %s broke the protocol (%s): failing the device",
				 peer, xbdev->otherend, f->why);
}

/**
 * xenpv_fail_reset() - not failed any more: a new connection starts
 * @f: the failure; its handler has run (or is cancelled)
 */
void xenpv_fail_reset(struct xenpv_fail *f)
{
	WRITE_ONCE(f->failed, false);
}

/* ---- xenstore ------------------------------------------------------------ */

/**
 * xenpv_xs_printf() - xenbus_printf(), with XENPV_FAULT_XS_WRITE
 * @xbt: the transaction, or XBT_NIL
 * @dir: the directory
 * @node: the key
 * @fmt: the value's format
 *
 * Return: 0 or a negative errno (-EIO when a fault is injected).
 */
int xenpv_xs_printf(struct xenbus_transaction xbt, const char *dir,
		    const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int err;

	if (xenpv_should_fail(XENPV_FAULT_XS_WRITE))
		return -EIO;
	va_start(ap, fmt);
	val = kvasprintf(GFP_NOIO | __GFP_HIGH, fmt, ap);
	va_end(ap);
	if (!val)
		return -ENOMEM;
	err = xenbus_write(xbt, dir, node, val);
	kfree(val);
	return err;
}

/**
 * xenpv_xs_transaction() - write xenstore keys in one transaction
 * @write: writes the keys in the transaction it is given; an error aborts
 * @data: passed to @write
 *
 * Starts a transaction, calls @write and commits; a commit that lost a
 * race with another writer (-EAGAIN) starts over, @write included.
 * XENPV_FAULT_XS_TXN fails the start or the commit (-EIO).
 *
 * Return: 0; @write's error, the transaction aborted; or the error of
 * starting or committing the transaction.
 */
int xenpv_xs_transaction(int (*write)(struct xenbus_transaction xbt,
				      void *data), void *data)
{
	struct xenbus_transaction xbt;
	int err;

	do {
		if (xenpv_should_fail(XENPV_FAULT_XS_TXN))
			return -EIO;
		err = xenbus_transaction_start(&xbt);
		if (err)
			return err;
		err = write(xbt, data);
		if (!err && xenpv_should_fail(XENPV_FAULT_XS_TXN))
			err = -EIO;
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
void xenpv_xs_read_keys(const char *dir, const char *const *names,
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
void xenpv_xs_free_keys(const char **vals, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		kfree(vals[i]);
}

/**
 * xenpv_xs_describe_bad() - say which of the other end's keys is unusable
 * @buf: filled in with "PEER value NAME=\"VALUE\" is unusable", "?" for
 *	the name of a key not named and "" for the value of an absent one
 * @size: room in @buf
 * @peer: what the log calls the other end: "frontend" or "backend"
 * @names: the keys' names
 * @vals: their values, NULL where absent
 * @nr: how many keys
 * @bad: the index of the unusable key; @nr or more if none was named
 */
void xenpv_xs_describe_bad(char *buf, size_t size, const char *peer,
			   const char *const *names, const char *const *vals,
			   unsigned int nr, unsigned int bad)
{
	snprintf(buf, size, "%s value %s=\"%.32s\" is unusable", peer,
		 bad < nr ? names[bad] : "?",
		 bad < nr && vals[bad] ? vals[bad] : "");
}

/* ---- Rings and grants ------------------------------------------------------ */

/**
 * xenpv_setup_ring() - xenbus_setup_ring(), with XENPV_FAULT_GRANT and
 *	XENPV_FAULT_ALLOC
 * @xbdev: the device (a frontend's)
 * @va: set to the ring's pages, virtually contiguous
 * @nr_pages: pages
 * @grefs: set to their grants
 *
 * Return: 0 or a negative errno; nothing is left allocated on error.
 */
int xenpv_setup_ring(struct xenbus_device *xbdev, void **va,
		     unsigned int nr_pages, grant_ref_t *grefs)
{
	if (xenpv_should_fail(XENPV_FAULT_ALLOC))
		return -ENOMEM;
	if (xenpv_should_fail(XENPV_FAULT_GRANT))
		return -ENOSPC;
	return xenbus_setup_ring(xbdev, GFP_KERNEL, va, nr_pages, grefs);
}

/**
 * xenpv_map_ring() - xenbus_map_ring_valloc(), with XENPV_FAULT_GRANT
 * @xbdev: the device (a backend's)
 * @grefs: the other end's grants of the ring's pages
 * @nr: how many
 * @va: set to the mapped ring
 *
 * Return: 0 or a negative errno; nothing is left mapped on error.
 */
int xenpv_map_ring(struct xenbus_device *xbdev, grant_ref_t *grefs,
		   unsigned int nr, void **va)
{
	if (xenpv_should_fail(XENPV_FAULT_GRANT))
		return -ENOMEM;
	return xenbus_map_ring_valloc(xbdev, grefs, nr, va);
}

/**
 * xenpv_gnttab_alloc() - gnttab_alloc_grant_references(), with
 *	XENPV_FAULT_GRANT
 * @n: references wanted
 * @head: set to their list
 *
 * Return: 0 or -ENOSPC.
 */
int xenpv_gnttab_alloc(unsigned int n, grant_ref_t *head)
{
	if (xenpv_should_fail(XENPV_FAULT_GRANT))
		return -ENOSPC;
	return gnttab_alloc_grant_references(n, head) < 0 ? -ENOSPC : 0;
}

/**
 * xenpv_grant_page() - grant the other end access to one page, with
 *	XENPV_FAULT_GRANT
 * @otherend: the other end's domain
 * @page: the page (its first grant frame)
 * @access: what the other end may do with it
 *
 * Return: the grant reference, or a negative errno.
 */
int xenpv_grant_page(domid_t otherend, struct page *page,
		     enum xenpv_access access)
{
	if (xenpv_should_fail(XENPV_FAULT_GRANT))
		return -ENOSPC;
	return gnttab_grant_foreign_access(otherend, xen_page_to_gfn(page),
					   access == XENPV_READ_ONLY);
}

/* ---- Event channels -------------------------------------------------------- */

/**
 * xenpv_evtchn_bind() - bind a ring's event channel, with late EOI
 * @xbdev: the device
 * @port: XENPV_EVTCHN_OURS: set to the port allocated for the other end;
 *	XENPV_EVTCHN_PEERS: the other end's port
 * @owner: whose port it is
 * @handler: the interrupt handler, which ends each event with
 *	xenpv_irq_eoi() (or leaves that to the work it wakes)
 * @name: the interrupt's name
 * @data: passed to @handler
 *
 * Every ring of this project uses late EOI: Xen does not deliver the next
 * event of a channel before the last one was looked at, so a flood from
 * the other end costs one event per look.  Unbind with
 * unbind_from_irqhandler(), which closes the port either way.
 * XENPV_FAULT_EVTCHN fails it (-ENOSPC).
 *
 * Return: the interrupt number, or a negative errno with nothing left
 * allocated or bound.
 */
int xenpv_evtchn_bind(struct xenbus_device *xbdev, evtchn_port_t *port,
		      enum xenpv_evtchn_owner owner, irq_handler_t handler,
		      const char *name, void *data)
{
	int err;

	if (xenpv_should_fail(XENPV_FAULT_EVTCHN))
		return -ENOSPC;
	if (owner == XENPV_EVTCHN_PEERS)
		return bind_interdomain_evtchn_to_irqhandler_lateeoi(xbdev,
								     *port,
								     handler,
								     0, name,
								     data);
	err = xenbus_alloc_evtchn(xbdev, port);
	if (err)
		return err;
	err = bind_evtchn_to_irqhandler_lateeoi(*port, handler, 0, name, data);
	if (err < 0) {
		xenbus_free_evtchn(xbdev, *port);
		*port = 0;
	}
	return err;
}

/**
 * xenpv_irq_place() - put a ring's interrupt on its CPU
 * @xbdev: the device, for the log
 * @irq: the ring's interrupt
 * @cpu: the CPU the ring's work comes from, or -1 if no CPU is tied to it
 * @spread: with @cpu -1: the ring's index plus the other end's domain id
 *
 * The one policy of this project's drivers.  A ring's interrupt runs
 * where its work comes from when the driver knows that CPU: a frontend
 * ring serves the blk-mq hardware queue of certain CPUs, and completing
 * on the first of them finds the issuer's data in its cache and wakes no
 * other CPU.  A ring with no such CPU (a backend's, whose worker thread
 * the scheduler runs near whatever woke it) is spread over the online
 * CPUs by ring index plus domain id, so that the rings of one device, and
 * the first rings of different guests, do not all land on CPU 0 where
 * Xen binds every channel at first.
 *
 * Return: the CPU the interrupt is bound to, or -1 if it could not be
 * moved (logged; it keeps working where it is).
 */
int xenpv_irq_place(struct xenbus_device *xbdev, int irq, int cpu,
		    unsigned int spread)
{
	int err;

	if (cpu < 0)
		cpu = cpumask_local_spread(spread, NUMA_NO_NODE);
	err = irq_set_affinity(irq, cpumask_of(cpu));
	if (err) {
		dev_warn(&xbdev->dev, "interrupt %d stays off cpu %d: %d\n",
			 irq, cpu, err);
		return -1;
	}
	return cpu;
}

/* ---- A thread that follows its interrupt -------------------------------- */

static void xenpv_irq_follow_notify(struct irq_affinity_notify *notify,
				    const cpumask_t *mask)
{
	struct xenpv_irq_follow *f = container_of(notify, typeof(*f), notify);
	const struct cpumask *eff = irq_get_effective_affinity_mask(f->irq);

	/* Xen delivers an event channel on one CPU: the effective one. */
	if (eff && !cpumask_empty(eff))
		mask = eff;
	set_cpus_allowed_ptr(f->task, mask);
}

/* The notifier lives in its ring, which outlives the registration. */
static void xenpv_irq_follow_release(struct kref *ref)
{
}

/**
 * xenpv_irq_follow() - run a thread on the CPU its interrupt lands on
 * @f: zeroed, in the structure that owns @task
 * @irq: the interrupt that wakes @task
 * @cpu: the CPU @irq is bound to now (xenpv_irq_place()), or -1
 * @task: the thread
 *
 * A backend's worker thread does nothing but what its ring's interrupt
 * wakes it for.  Woken on the CPU it last ran on, elsewhere, it needs an
 * IPI (in a PV dom0, an event channel through Xen and a trip through
 * Xen's scheduler): at queue depth 1 that is most of a request's cost in
 * dom0.  So the thread is allowed only where the interrupt lands, and
 * follows it when it moves (/proc/irq/N/smp_affinity, irqbalance).  Best
 * effort: on an error the thread stays free to run anywhere.
 *
 * Context: process.  xenpv_irq_unfollow() before @irq is freed or @task
 * stopped.
 */
void xenpv_irq_follow(struct xenpv_irq_follow *f, int irq, int cpu,
		      struct task_struct *task)
{
	f->task = task;
	f->irq = irq;
	if (cpu >= 0)
		set_cpus_allowed_ptr(task, cpumask_of(cpu));
	f->notify.notify = xenpv_irq_follow_notify;
	f->notify.release = xenpv_irq_follow_release;
	if (irq_set_affinity_notifier(irq, &f->notify))
		f->irq = 0;
}

/**
 * xenpv_irq_unfollow() - stop moving a thread with its interrupt
 * @f: given to xenpv_irq_follow(), or zeroed
 *
 * Waits for a move in progress.
 *
 * Context: process.
 */
void xenpv_irq_unfollow(struct xenpv_irq_follow *f)
{
	if (f->irq > 0)
		irq_set_affinity_notifier(f->irq, NULL);
	f->irq = 0;
}

/* ---- Counters ------------------------------------------------------------------ */

/**
 * xenpv_stats_seq_header() - the header line of a debugfs counter table
 * @m: the debugfs file
 * @gauges: the names of the columns the driver prints before the
 *	counters, space-separated
 * @desc: the counter table
 * @nr: its length
 */
void xenpv_stats_seq_header(struct seq_file *m, const char *gauges,
			    const struct xenpv_stat *desc, unsigned int nr)
{
	unsigned int i;

	seq_puts(m, gauges);
	for (i = 0; i < nr; i++)
		seq_printf(m, " %s", desc[i].name);
	seq_putc(m, '\n');
}

/**
 * xenpv_stats_seq_values() - the end of a debugfs counter table's line
 * @m: the debugfs file
 * @nr: the counters
 * @v: their values, read with READ_ONCE()
 *
 * After the driver's gauges: each value preceded by a space, then the end
 * of the line.
 */
void xenpv_stats_seq_values(struct seq_file *m, unsigned int nr, const u64 *v)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		seq_printf(m, " %llu", READ_ONCE(v[i]));
	seq_putc(m, '\n');
}

static ssize_t xenpv_stat_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct xenpv_stats_attr *a = container_of(attr, struct xenpv_stats_attr,
						  attr);
	u64 v[XENPV_MAX_STATS] = { };

	if (!dev_get_drvdata(dev))
		return -ENODEV;
	a->s->sum(dev, v);
	return sysfs_emit(buf, "%llu\n", v[a->idx]);
}

/**
 * xenpv_stats_sysfs_init() - make a statistics/ group from a counter table
 * @s: @desc, @nr and @sum set; the rest is made here
 *
 * One read-only file per counter flagged XENPV_STAT_SYSFS, named after it,
 * showing the device's total (@sum).
 *
 * Return: 0, -EINVAL for a bad table, or -ENOMEM.
 */
int xenpv_stats_sysfs_init(struct xenpv_stats_sysfs *s)
{
	unsigned int i, n = 0;

	if (WARN_ON_ONCE(s->nr > XENPV_MAX_STATS ||
			 xenpv_stats_check(s->desc, s->nr)))
		return -EINVAL;
	s->attrs = kcalloc(s->nr, sizeof(*s->attrs), GFP_KERNEL);
	s->list = kcalloc(s->nr + 1, sizeof(*s->list), GFP_KERNEL);
	if (!s->attrs || !s->list) {
		xenpv_stats_sysfs_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < s->nr; i++) {
		struct xenpv_stats_attr *a = &s->attrs[n];

		if (!(s->desc[i].flags & XENPV_STAT_SYSFS))
			continue;
		sysfs_attr_init(&a->attr.attr);
		a->attr.attr.name = s->desc[i].name;
		a->attr.attr.mode = 0444;
		a->attr.show = xenpv_stat_show;
		a->s = s;
		a->idx = i;
		s->list[n++] = &a->attr.attr;
	}
	s->group.name = "statistics";
	s->group.attrs = s->list;
	return 0;
}

/**
 * xenpv_stats_sysfs_free() - free what xenpv_stats_sysfs_init() made
 * @s: the group, removed from every device
 */
void xenpv_stats_sysfs_free(struct xenpv_stats_sysfs *s)
{
	kfree(s->attrs);
	kfree(s->list);
	s->attrs = NULL;
	s->list = NULL;
}

/* ---- Census ---------------------------------------------------------------------- */

static int xenpv_census_show(struct seq_file *m, void *unused)
{
	const struct xenpv_census *c = m->private;
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		seq_printf(m, "%s %ld\n", c->names[i],
			   atomic_long_read(&c->count[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenpv_census);

/**
 * xenpv_census_debugfs() - the module's census file
 * @parent: the module's debugfs directory
 * @c: the census
 *
 * PARENT/census, one "name value" a line: what a leak test compares
 * before and after.
 */
void xenpv_census_debugfs(struct dentry *parent, const struct xenpv_census *c)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		if (WARN_ON_ONCE(!c->names[i]))	/* an item left unnamed */
			return;
	debugfs_create_file("census", 0400, parent, (void *)c,
			    &xenpv_census_fops);
}

/**
 * xenpv_backend_frontend_changed() - a backend's walk of its frontend's
 *	xenbus states, as libxl expects it
 * @xbdev: the backend's device
 * @state: the frontend's new state
 * @ops: what the driver does at each step
 * @data: passed to @ops
 *
 * Initialising after Closed: @ops->restart, then InitWait unless it
 * failed (it said why, with xenbus_dev_fatal() for example).  Initialised
 * or Connected: @ops->connect.  Closing: @ops->close, then Closing.
 * Closed: @ops->close, then Closed, and once the toolstack took the
 * device offline, as Unknown (the frontend is gone): @ops->close and the
 * device is to go.
 *
 * Context: the driver's device lock held (its otherend_changed).
 * Return: true when the caller is to drop its lock and call
 * device_unregister() (remove() runs from there).
 */
bool xenpv_backend_frontend_changed(struct xenbus_device *xbdev,
				    enum xenbus_state state,
				    const struct xenpv_backend_ops *ops,
				    void *data)
{
	switch (state) {
	case XenbusStateInitialising:
		if (xbdev->state == XenbusStateClosed && !ops->restart(data))
			xenbus_switch_state(xbdev, XenbusStateInitWait);
		return false;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		ops->connect(data);
		return false;
	case XenbusStateClosing:
		ops->close(data);
		xenbus_switch_state(xbdev, XenbusStateClosing);
		return false;
	case XenbusStateClosed:
		ops->close(data);
		xenbus_switch_state(xbdev, XenbusStateClosed);
		if (xenbus_dev_is_online(xbdev))
			return false;
		fallthrough;
	case XenbusStateUnknown:
		ops->close(data);
		return true;
	default:
		return false;
	}
}

/**
 * xenpv_register_backend() - register a backend driver whose devices
 *	have a statistics/ group
 * @drv: the driver
 * @s: its group (xenpv_stats_sysfs_init() is done here)
 *
 * Return: 0 or a negative errno, with nothing left registered.
 */
int xenpv_register_backend(struct xenbus_driver *drv,
			   struct xenpv_stats_sysfs *s)
{
	int err = xenpv_stats_sysfs_init(s);

	if (err)
		return err;
	err = xenbus_register_backend(drv);
	if (err)
		xenpv_stats_sysfs_free(s);
	return err;
}

/**
 * xenpv_unregister_backend() - undo xenpv_register_backend()
 * @drv: the driver; each device is removed first
 * @s: its group
 */
void xenpv_unregister_backend(struct xenbus_driver *drv,
			      struct xenpv_stats_sysfs *s)
{
	xenbus_unregister_driver(drv);
	xenpv_stats_sysfs_free(s);
}

/* ---- Fault injection ------------------------------------------------------------ */

#ifdef XENPV_FAULT_INJECTION
/* Verbose 1: a line per injected fault, no stack dump. */
#define XENPV_FAULT_ATTR	{ .interval = 1, .times = ATOMIC_INIT(1),	\
				  .require_end = ULONG_MAX,			\
				  .stacktrace_depth = 32, .verbose = 1,		\
				  .ratelimit_state =				\
					RATELIMIT_STATE_INIT_DISABLED }

struct fault_attr xenpv_fault_attr[XENPV_FAULT_NR] = {
	[0 ... XENPV_FAULT_NR - 1] = XENPV_FAULT_ATTR,
};

static const char *const xenpv_fault_names[XENPV_FAULT_NR] = {
	[XENPV_FAULT_GRANT]	= "grant",
	[XENPV_FAULT_ALLOC]	= "alloc",
	[XENPV_FAULT_EVTCHN]	= "evtchn",
	[XENPV_FAULT_XS_WRITE]	= "xs_write",
	[XENPV_FAULT_XS_TXN]	= "xs_txn",
};

/**
 * xenpv_fault_debugfs() - the module's fault injection knobs
 * @parent: the module's debugfs directory
 *
 * PARENT/fault/KIND/ for each &enum xenpv_fault, with the files of
 * Documentation/fault-injection/fault-injection.rst (probability,
 * interval, times, ...); all off until probability is written.
 */
void xenpv_fault_debugfs(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("fault", parent);
	unsigned int i;

	for (i = 0; i < XENPV_FAULT_NR; i++)
		fault_create_debugfs_attr(xenpv_fault_names[i], dir,
					  &xenpv_fault_attr[i]);
}
#else
void xenpv_fault_debugfs(struct dentry *parent)
{
}
#endif
