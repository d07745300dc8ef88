// SPDX-License-Identifier: GPL-2.0
/*
 * The 1,000-domain replay, a benchmark (make bench; nothing is checked):
 * dom0's watch traffic when N domains start at once, each with a disk
 * (vbd) and a network device (vif), run by the watch lanes
 * (xenbus_lanes.c, unchanged) or by one xenwatch thread (xenbus_xs.c's
 * loop, copied below), with or without one domain's lane stalled.
 *
 * Each device follows what Linux and the toolstack do.  The toolstack
 * writes the backend and frontend directories; the backend bus watch
 * fires for each backend node and, on the first, probes the device: it
 * registers the other end's state watch and the driver's watch (vbd
 * physical-device, vif hotplug-status) and switches to InitWait.  After
 * that the hotplug script writes its node, and the guest's frontend, once
 * booted, switches to Initialised; the callback that sees the second of
 * the two connects, and the device is set up.
 *
 * Every callback blocks for 1-50 ms, one in a hundred for 1-3 s,
 * fixed per device and callback so both dispatchers get the same work;
 * the stalled domain's first callback blocks for 30 s.  Times run
 * --scale times faster than that and are reported unscaled.  Output: one
 * "json {...}" line per run, read by bench_xenwatch.py, and a summary.
 */
#include <getopt.h>

#include "lanes_test.h"

#define MAX_DOMS	2000
#define NR_KINDS	2
#define STALL_DOM	1
#define STALL_MS	30000
#define HOTPLUG_MS	100
#define FRONT_MS	300

static unsigned int scale = 25, nr_doms = 1000;
static const char *times_file;
static bool stall;

static const char * const kind_name[NR_KINDS] = { "vbd", "vif" };
static const char * const kind_dev[NR_KINDS] = { "51712", "0" };
static const char * const kind_hp[NR_KINDS] = { "physical-device", "hotplug-status" };

struct dev {
	int dom, kind;
	char be[64];
	char fe_state[80];
	char hp[96];
	struct xenbus_watch otherend, driver;
	bool probed, hp_ok, fe_ok, connected;
	unsigned int calls;
	unsigned long setup_ms;
};

static struct dev devs[MAX_DOMS + 1][NR_KINDS];
static unsigned long t0, left, events;

static unsigned long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000UL + ts.tv_nsec / 1000;
}

/* Block for @ms of unscaled time. */
static void block_ms(unsigned long ms)
{
	xw_sleep_us(ms * 1000 / scale);
}

/* The time the n-th callback for @d takes, the same in every run. */
static unsigned long cost_ms(struct dev *d)
{
	u64 h = 0x9e3779b97f4a7c15ULL * (d->dom * 2 + d->kind + 1) +
		0xbf58476d1ce4e5b9ULL * ++d->calls;

	h ^= h >> 31;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 29;
	if (h % 100 == 0)
		return 1000 + (h >> 8) % 2001;
	return 1 + (h >> 8) % 50;
}

/* ---- The world outside dom0's kernel: toolstack, scripts, guests ---- */

struct action {
	unsigned long due;
	char path[96];
	char value[8];
};

static pthread_mutex_t world_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t world_cond = PTHREAD_COND_INITIALIZER;
static struct action *actions;
static unsigned int nr_actions;
static bool world_stop;

/* Write @value at @path in @ms of unscaled time. */
static void later(unsigned long ms, const char *path, const char *value)
{
	struct action *a;

	pthread_mutex_lock(&world_lock);
	a = &actions[nr_actions++];
	a->due = now_us() + ms * 1000 / scale;
	snprintf(a->path, sizeof(a->path), "%s", path);
	snprintf(a->value, sizeof(a->value), "%s", value);
	pthread_cond_signal(&world_cond);
	pthread_mutex_unlock(&world_lock);
}

static void *world_thread(void *arg)
{
	struct action a;
	unsigned int i, next;

	pthread_mutex_lock(&world_lock);
	while (!world_stop) {
		for (i = 0, next = nr_actions; i < nr_actions; i++)
			if (next == nr_actions || actions[i].due < actions[next].due)
				next = i;
		if (next == nr_actions || actions[next].due > now_us()) {
			pthread_mutex_unlock(&world_lock);
			xw_sleep_us(100);
			pthread_mutex_lock(&world_lock);
			continue;
		}
		a = actions[next];
		actions[next] = actions[--nr_actions];
		pthread_mutex_unlock(&world_lock);
		xw_write(a.path, a.value);
		pthread_mutex_lock(&world_lock);
	}
	pthread_mutex_unlock(&world_lock);
	return NULL;
}

/* ---- dom0's kernel: the backends' watch callbacks ---- */

static void try_connect(struct dev *d)
{
	char path[96];

	if (!d->hp_ok || !d->fe_ok || d->connected)
		return;
	block_ms(cost_ms(d));
	d->connected = true;
	d->setup_ms = (now_us() - t0) * scale / 1000;
	snprintf(path, sizeof(path), "%s/state", d->be);
	xw_write(path, "4");
	__atomic_sub_fetch(&left, 1, __ATOMIC_RELEASE);
}

static void count_event(void)
{
	__atomic_add_fetch(&events, 1, __ATOMIC_RELAXED);
}

/*
 * A watch of @d fired: read @node, and once it holds a number of at least
 * @min (the frontend's state), or anything for @min 0, set *@ready.
 */
static void dev_fired(struct dev *d, const char *node, int min, bool *ready)
{
	char *v = xw_read(node);

	count_event();
	block_ms(cost_ms(d));
	if (v && atoi(v) >= min)
		*ready = true;
	free(v);
	try_connect(d);
}

static void otherend_cb(struct xenbus_watch *w, const char *path,
			const char *token)
{
	struct dev *d = container_of(w, struct dev, otherend);

	dev_fired(d, d->fe_state, 3, &d->fe_ok);
}

static void driver_cb(struct xenbus_watch *w, const char *path,
		      const char *token)
{
	struct dev *d = container_of(w, struct dev, driver);

	dev_fired(d, d->hp, 0, &d->hp_ok);
}

/* The device's probe: its watches, InitWait, and what that sets off. */
static void probe(struct dev *d)
{
	char path[96];

	d->probed = true;
	d->otherend.node = d->fe_state;
	d->otherend.callback = otherend_cb;
	d->driver.node = d->hp;
	d->driver.callback = driver_cb;
	xw_register(&d->otherend, d->dom);
	xw_register(&d->driver, d->dom);
	snprintf(path, sizeof(path), "%s/state", d->be);
	xw_write(path, "2");
	later(HOTPLUG_MS, d->hp, d->kind ? "connected" : "ca:1");
	later(FRONT_MS, d->fe_state, "3");
}

static void bus_cb(struct xenbus_watch *w, const char *path,
		   const char *token)
{
	int dom = xs_path_domid(w->node, path);
	struct dev *d;

	count_event();
	if (dom < 1 || dom > (int)nr_doms)
		return;
	d = &devs[dom][!strncmp(path, "backend/vif/", 12)];
	if (stall && dom == STALL_DOM && !d->probed && !d->kind)
		block_ms(STALL_MS);
	block_ms(cost_ms(d));
	if (!d->probed)
		probe(d);
}

static struct xenbus_watch bus = { .node = "backend", .callback = bus_cb };

/* ---- One xenwatch thread, as xenbus_xs.c runs it ---- */

static LIST_HEAD(single_events);
static pthread_mutex_t single_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t single_cond = PTHREAD_COND_INITIALIZER;

static int single_msg(struct xs_watch_event *ev)
{
	ev->handle = (struct xenbus_watch *)strtoul(ev->token, NULL, 16);
	pthread_mutex_lock(&single_lock);
	list_add_tail(&ev->list, &single_events);
	pthread_cond_signal(&single_cond);
	pthread_mutex_unlock(&single_lock);
	return 0;
}

static void *xenwatch_thread(void *arg)
{
	struct xs_watch_event *ev;

	for (;;) {
		pthread_mutex_lock(&single_lock);
		while (list_empty(&single_events))
			pthread_cond_wait(&single_cond, &single_lock);
		ev = list_first_entry(&single_events, struct xs_watch_event, list);
		list_del(&ev->list);
		pthread_mutex_unlock(&single_lock);
		ev->handle->callback(ev->handle, ev->path, ev->token);
		kfree(ev);
	}
	return NULL;
}

/* ---- The run ---- */

static void toolstack_writes(int dom, int kind)
{
	static const char * const keys[] = {
		"frontend", "frontend-id", "online", "type", "params",
		"mode", "device-type", "state",
	};
	struct dev *d = &devs[dom][kind];
	char path[128];
	unsigned int i;

	d->dom = dom;
	d->kind = kind;
	snprintf(d->be, sizeof(d->be), "backend/%s/%d/%s", kind_name[kind],
		 dom, kind_dev[kind]);
	snprintf(d->fe_state, sizeof(d->fe_state), "/local/domain/%d/device/%s/%s/state",
		 dom, kind_name[kind], kind_dev[kind]);
	snprintf(d->hp, sizeof(d->hp), "%s/%s", d->be, kind_hp[kind]);
	xw_write(d->fe_state, "1");
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(path, sizeof(path), "%s/%s", d->be, keys[i]);
		xw_write(path, i == ARRAY_SIZE(keys) - 1 ? "1" : "x");
	}
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *mode, unsigned int at_once, unsigned long wall_ms)
{
	static unsigned long t[MAX_DOMS * NR_KINDS];
	unsigned long all_ms = 0, stalled_ms = 0;
	unsigned int n = 0, dom, k;

	for (dom = 1; dom <= nr_doms; dom++) {
		for (k = 0; k < NR_KINDS; k++) {
			if (stall && dom == STALL_DOM) {
				stalled_ms = max(stalled_ms, devs[dom][k].setup_ms);
				continue;
			}
			t[n++] = devs[dom][k].setup_ms;
			all_ms = max(all_ms, devs[dom][k].setup_ms);
		}
	}
	qsort(t, n, sizeof(t[0]), cmp_ulong);
	printf("json {\"bench\": \"xenwatch-scale\", \"dispatcher\": \"%s\", ", mode);
	printf("\"at_once\": %u, \"domains\": %u, \"devices\": %u, ", at_once,
	       nr_doms, n);
	printf("\"stall\": %s, \"events\": %lu, \"scale\": %u, ",
	       stall ? "true" : "false", events, scale);
	printf("\"all_set_up_ms\": %lu, \"setup_p50_ms\": %lu, ", all_ms, t[n / 2]);
	printf("\"setup_p99_ms\": %lu, \"stalled_domain_ms\": %lu, ",
	       t[n * 99 / 100], stalled_ms);
	printf("\"wall_ms\": %lu}\n", wall_ms);
	printf("%-7s at_once %-3u stall %-3s: ", mode, at_once, stall ? "yes" : "no");
	printf("every other device set up in %7.1f s (p50 %6.1f s, p99 %6.1f s)\n",
	       all_ms / 1000.0, t[n / 2] / 1000.0, t[n * 99 / 100] / 1000.0);
	fflush(stdout);
}

static const char usage_text[] =
	"bench_scale [--single] [--stall] [--domains N] [--scale N] [--at-once N] [--times FILE]";

/* Each device's set-up time, "DOMID KIND MS" a line, for comparing runs. */
static void write_times(void)
{
	FILE *f = fopen(times_file, "w");
	unsigned int dom, k;

	if (!f) {
		perror(times_file);
		exit(1);
	}
	for (dom = 1; dom <= nr_doms; dom++)
		for (k = 0; k < NR_KINDS; k++)
			fprintf(f, "%u %s %lu\n", dom, kind_name[k], devs[dom][k].setup_ms);
	fclose(f);
}

static void usage(void)
{
	fprintf(stderr, "Usage: %s\n", usage_text);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "single", no_argument, NULL, 's' },
		{ "stall", no_argument, NULL, 'S' },
		{ "domains", required_argument, NULL, 'd' },
		{ "scale", required_argument, NULL, 'x' },
		{ "at-once", required_argument, NULL, 'a' },
		{ "times", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int at_once = CONFIG_XEN_WATCH_LANES;
	bool single = false;
	pthread_t world, xw;
	int c, dom, k;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			single = true;
			break;
		case 'S':
			stall = true;
			break;
		case 'd':
			nr_doms = atoi(optarg);
			break;
		case 'x':
			scale = atoi(optarg);
			break;
		case 'a':
			at_once = atoi(optarg);
			break;
		case 't':
			times_file = optarg;
			break;
		default:
			usage();
		}
	}
	if (!nr_doms || nr_doms > MAX_DOMS || !scale || !at_once)
		usage();
	/* A long run is no hang: no alarm (lanes_test.h). */
	alarm(0);
	/*
	 * The kernel's thresholds are in real time: run them --scale times
	 * faster too, or a callback stuck for xenbus.watch_stuck_ms's 1 s
	 * would hold its worker for --scale seconds of replayed time.
	 */
	WRITE_ONCE(xs_stuck_ms, max(READ_ONCE(xs_stuck_ms) / scale, 1U));
	WRITE_ONCE(xs_warn_ms, max(READ_ONCE(xs_warn_ms) / scale, 1U));
	actions = calloc(nr_doms * NR_KINDS * 2 + 16, sizeof(*actions));
	xw_default_bounds();
	if (single) {
		xw_lanes_off = true;
		xw_deliver = single_msg;
		pthread_create(&xw, NULL, xenwatch_thread, NULL);
		xw_reader_start();
	} else {
		xw_start(at_once);
	}
	pthread_create(&world, NULL, world_thread, NULL);
	xw_register(&bus, XS_LANE_BY_PATH);
	left = nr_doms * NR_KINDS;
	t0 = now_us();
	for (dom = 1; dom <= (int)nr_doms; dom++)
		for (k = 0; k < NR_KINDS; k++)
			toolstack_writes(dom, k);
	while (__atomic_load_n(&left, __ATOMIC_ACQUIRE))
		xw_sleep_us(1000);
	report(single ? "single" : "lanes", single ? 1 : at_once,
	       (now_us() - t0) / 1000);
	if (times_file)
		write_times();
	/* Callbacks may still run: leave without tearing down. */
	exit(0);
}
