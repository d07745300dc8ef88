// SPDX-License-Identifier: GPL-2.0
/*
 * xen-watchstall: xenbus watches that stall, flood and time themselves,
 * to test and measure the xenbus watch lanes (patches/series).
 *
 * Test-only: it lives under tools/testing/ and is never installed with the
 * drivers; "make -C KDIR M=$PWD" builds it against a kernel tree that has
 * the lanes (scripts/build-testbed-modules.sh does, for the testbed).
 * What it does is chosen by its parameters; several may be given.
 *
 * In dom0, about a guest D (its watches run in D's lane):
 *
 *   stall_domid=D    watches /local/domain/D/data/tb-stall: writing a
 *                    number of milliseconds there makes the callback sleep
 *                    that long, as a backend waiting for a stuck guest does
 *                    (stalls_begun, stalls_done), and longer while the
 *                    writable parameter stall_hold is 1; and counts the
 *                    events at /local/domain/D/data/tb-after
 *                    (after_events), which queue behind a stall in the
 *                    same lane
 *   flood_domid=D    watches /local/domain/D/data/tb-flood, with no
 *                    will_handle(), taking flood_delay_us per callback, and
 *                    counts its events (flood_events) and the events at the
 *                    node itself (flood_resyncs: a resync fires them)
 *   lat_domid=D      writes /local/domain/D/data/tb-lat/<n> lat_samples
 *                    times, lat_interval_ms apart, and records for each the
 *                    time from the write to the start of its callback, in
 *                    debugfs xen-watchstall/latency_us (one number a line)
 *
 * In a guest:
 *
 *   flood_writes=N   rewrites data/tb-flood/<i mod flood_nodes> N times in
 *                    all, from flood_threads threads, or until data/tb-stop
 *                    exists (dom0 writes it: its watches of this domain
 *                    are flooded) or the module is removed; flood_written
 *                    counts the writes so far, flood_errors those xenstore
 *                    refused; flood_done is set (and a line logged) at the
 *                    end
 *
 * The counters are read-only parameters under
 * /sys/module/xen_watchstall/parameters/.
 */

#define pr_fmt(fmt) "xen-watchstall: " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#define WS_LAT_SLOTS	64
#define WS_MAX_THREADS	16

static int stall_domid = -1;
module_param(stall_domid, int, 0444);
MODULE_PARM_DESC(stall_domid, "Domain whose lane a stall watch runs in (-1: none)");
static int flood_domid = -1;
module_param(flood_domid, int, 0444);
MODULE_PARM_DESC(flood_domid, "Domain whose flood node is watched (-1: none)");
static unsigned int flood_delay_us = 200;
module_param(flood_delay_us, uint, 0444);
MODULE_PARM_DESC(flood_delay_us, "Time each flood callback takes (us)");
static int lat_domid = -1;
module_param(lat_domid, int, 0444);
MODULE_PARM_DESC(lat_domid, "Domain whose lane the latency watch runs in (-1: none)");
static unsigned int lat_samples = 200;
module_param(lat_samples, uint, 0444);
MODULE_PARM_DESC(lat_samples, "Latency samples to take");
static unsigned int lat_interval_ms = 20;
module_param(lat_interval_ms, uint, 0444);
MODULE_PARM_DESC(lat_interval_ms, "Time between two latency samples (ms)");
static unsigned int stall_hold;
module_param(stall_hold, uint, 0644);
MODULE_PARM_DESC(stall_hold, "1: a stall goes on past its time until this is 0");
static unsigned int flood_writes;
module_param(flood_writes, uint, 0444);
MODULE_PARM_DESC(flood_writes, "Guest: writes to data/tb-flood in all (0: none)");
static unsigned int flood_nodes = 200;
module_param(flood_nodes, uint, 0444);
MODULE_PARM_DESC(flood_nodes, "Guest: nodes under data/tb-flood written in turn");
static unsigned int flood_threads = 4;
module_param(flood_threads, uint, 0444);
MODULE_PARM_DESC(flood_threads, "Guest: threads writing");

/* Counters, read-only parameters. */
static unsigned int stalls_begun, stalls_done, after_events;
module_param(stalls_begun, uint, 0444);
module_param(stalls_done, uint, 0444);
module_param(after_events, uint, 0444);
static unsigned int flood_events, flood_resyncs, flood_done;
module_param(flood_events, uint, 0444);
module_param(flood_resyncs, uint, 0444);
module_param(flood_done, uint, 0444);
static atomic_t flood_written = ATOMIC_INIT(0);
static atomic_t flood_refused = ATOMIC_INIT(0);

static int ws_get_atomic(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops ws_atomic_ops = { .get = ws_get_atomic };
module_param_cb(flood_written, &ws_atomic_ops, &flood_written, 0444);
module_param_cb(flood_errors, &ws_atomic_ops, &flood_refused, 0444);
static unsigned int lat_done;
module_param(lat_done, uint, 0444);

/* A watch of this module: its node, made from the domain. */
struct ws_watch {
	struct xenbus_watch w;
	bool registered;
};

static struct ws_watch stall_watch, after_watch, flood_watch, lat_watch;

static void ws_count(unsigned int *counter)
{
	WRITE_ONCE(*counter, READ_ONCE(*counter) + 1);
}

/* ---- Stall ------------------------------------------------------------ */

static void stall_changed(struct xenbus_watch *w, const char *path,
			  const char *token)
{
	unsigned long end;
	unsigned int ms;

	if (strcmp(path, w->node) ||
	    xenbus_scanf(XBT_NIL, w->node, "", "%u", &ms) != 1 || !ms)
		return;
	pr_info("stalling a watch callback of domain %d's lane for %u ms\n",
		stall_domid, ms);
	ws_count(&stalls_begun);
	end = jiffies + msecs_to_jiffies(ms);
	while (time_before(jiffies, end) || READ_ONCE(stall_hold))
		msleep(100);
	ws_count(&stalls_done);
	pr_info("stall of domain %d's lane over\n", stall_domid);
}

static void after_changed(struct xenbus_watch *w, const char *path,
			  const char *token)
{
	if (strcmp(path, w->node))
		ws_count(&after_events);
}

/* ---- Flood ------------------------------------------------------------ */

static void flood_changed(struct xenbus_watch *w, const char *path,
			  const char *token)
{
	if (!strcmp(path, w->node))
		ws_count(&flood_resyncs);
	else
		ws_count(&flood_events);
	if (flood_delay_us)
		usleep_range(flood_delay_us, flood_delay_us + 10);
}

static atomic_t flood_next = ATOMIC_INIT(0);
static atomic_t flood_running = ATOMIC_INIT(0);
static struct task_struct *flood_tasks[WS_MAX_THREADS];

static int flood_thread(void *unused)
{
	unsigned int i;
	char name[16];
	int err;

	while (!kthread_should_stop()) {
		i = atomic_inc_return(&flood_next) - 1;
		if (i >= flood_writes)
			break;
		/* Told to stop: a node read straight from xenstore. */
		if (i % 64 == 0 && xenbus_exists(XBT_NIL, "data", "tb-stop"))
			break;
		snprintf(name, sizeof(name), "%u", i % max(flood_nodes, 1U));
		err = xenbus_printf(XBT_NIL, "data/tb-flood", name, "%d", i);
		if (err)
			atomic_inc(&flood_refused);
		atomic_inc(&flood_written);
		if (flood_writes >= 10 && i % (flood_writes / 10) == 0)
			pr_info("flood: %u of %u writes\n", i, flood_writes);
	}
	if (atomic_dec_and_test(&flood_running)) {
		WRITE_ONCE(flood_done, 1);
		pr_info("flood done: %d writes, %d refused\n",
			atomic_read(&flood_written), atomic_read(&flood_refused));
	}
	while (!kthread_should_stop())
		msleep(100);
	return 0;
}

static int flood_start(void)
{
	unsigned int i, n = clamp(flood_threads, 1U, (unsigned int)WS_MAX_THREADS);

	atomic_set(&flood_running, n);
	for (i = 0; i < n; i++) {
		flood_tasks[i] = kthread_run(flood_thread, NULL, "ws-flood/%u", i);
		if (IS_ERR(flood_tasks[i])) {
			int err = PTR_ERR(flood_tasks[i]);

			flood_tasks[i] = NULL;
			return err;
		}
	}
	pr_info("flooding data/tb-flood: %u writes to %u nodes from %u threads\n",
		flood_writes, flood_nodes, n);
	return 0;
}

static void flood_stop(void)
{
	unsigned int i;

	for (i = 0; i < WS_MAX_THREADS; i++)
		if (flood_tasks[i])
			kthread_stop(flood_tasks[i]);
}

/* ---- Latency ---------------------------------------------------------- */

static u64 lat_sent[WS_LAT_SLOTS];	/* ns at the write, 0: none */
static u32 *lat_us;			/* the samples, lat_done of them */
static DEFINE_SPINLOCK(lat_lock);
static struct task_struct *lat_task;
static struct dentry *ws_debugfs;

static void lat_changed(struct xenbus_watch *w, const char *path,
			const char *token)
{
	u64 now = ktime_get_ns();
	const char *leaf = strrchr(path, '/');
	unsigned int slot;

	if (!leaf || kstrtouint(leaf + 1, 10, &slot) || slot >= WS_LAT_SLOTS)
		return;
	spin_lock(&lat_lock);
	if (lat_sent[slot] && lat_done < lat_samples) {
		lat_us[lat_done] = div_u64(now - lat_sent[slot], NSEC_PER_USEC);
		WRITE_ONCE(lat_done, lat_done + 1);
	}
	lat_sent[slot] = 0;
	spin_unlock(&lat_lock);
}

static int lat_thread(void *unused)
{
	unsigned int i, slot;
	char node[16];

	for (i = 0; i < lat_samples && !kthread_should_stop(); i++) {
		slot = i % WS_LAT_SLOTS;
		snprintf(node, sizeof(node), "%u", slot);
		spin_lock(&lat_lock);
		lat_sent[slot] = ktime_get_ns();
		spin_unlock(&lat_lock);
		xenbus_printf(XBT_NIL, lat_watch.w.node, node, "%u", i);
		msleep(lat_interval_ms);
	}
	while (!kthread_should_stop())
		msleep(100);
	return 0;
}

static int lat_show(struct seq_file *m, void *v)
{
	unsigned int i, n = READ_ONCE(lat_done);

	for (i = 0; i < n; i++)
		seq_printf(m, "%u\n", lat_us[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lat);

static int lat_start(void)
{
	lat_us = kcalloc(lat_samples, sizeof(*lat_us), GFP_KERNEL);
	if (!lat_us)
		return -ENOMEM;
	ws_debugfs = debugfs_create_dir("xen-watchstall", NULL);
	debugfs_create_file("latency_us", 0400, ws_debugfs, NULL, &lat_fops);
	lat_task = kthread_run(lat_thread, NULL, "ws-latency");
	if (IS_ERR(lat_task)) {
		int err = PTR_ERR(lat_task);

		lat_task = NULL;
		return err;
	}
	return 0;
}

/* ---- Set-up ----------------------------------------------------------- */

static int ws_watch(struct ws_watch *ws, int domid, const char *leaf,
		    void (*cb)(struct xenbus_watch *, const char *, const char *))
{
	int err;

	ws->w.node = kasprintf(GFP_KERNEL, "/local/domain/%d/data/%s", domid,
			       leaf);
	if (!ws->w.node)
		return -ENOMEM;
	ws->w.callback = cb;
	err = register_xenbus_watch_domain(&ws->w, domid);
	if (err) {
		kfree(ws->w.node);
		ws->w.node = NULL;
		return err;
	}
	ws->registered = true;
	return 0;
}

static void ws_unwatch(struct ws_watch *ws)
{
	if (ws->registered)
		unregister_xenbus_watch(&ws->w);
	kfree(ws->w.node);
	ws->registered = false;
}

static void ws_exit(void)
{
	if (lat_task)
		kthread_stop(lat_task);
	flood_stop();
	ws_unwatch(&stall_watch);
	ws_unwatch(&after_watch);
	ws_unwatch(&flood_watch);
	ws_unwatch(&lat_watch);
	debugfs_remove_recursive(ws_debugfs);
	kfree(lat_us);
}

static int __init ws_init(void)
{
	int err = 0;

	if (!xen_domain())
		return -ENODEV;
	if (stall_domid >= 0) {
		err = ws_watch(&stall_watch, stall_domid, "tb-stall",
			       stall_changed);
		if (!err)
			err = ws_watch(&after_watch, stall_domid, "tb-after",
				       after_changed);
	}
	if (!err && flood_domid >= 0)
		err = ws_watch(&flood_watch, flood_domid, "tb-flood",
			       flood_changed);
	if (!err && lat_domid >= 0) {
		err = ws_watch(&lat_watch, lat_domid, "tb-lat", lat_changed);
		if (!err)
			err = lat_start();
	}
	if (!err && flood_writes)
		err = flood_start();
	if (err)
		ws_exit();
	return err;
}

static void __exit ws_cleanup(void)
{
	ws_exit();
}

module_init(ws_init);
module_exit(ws_cleanup);
MODULE_DESCRIPTION("Test-only xenbus watches that stall, flood and time themselves");
MODULE_LICENSE("GPL");
