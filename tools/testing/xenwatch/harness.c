// SPDX-License-Identifier: GPL-2.0
/*
 * The xenwatch harness: a fake xenstore (nodes and watches), the reader
 * thread, and helpers for the tests; see harness.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/slab.h>

#include "../../../drivers/xen/xenbus/xenbus_lanes.h"
#include "harness.h"

#define XW_BUCKETS	4096
#define XW_MAX_DOMID	32768
#define XW_HANG_MS	30000

struct xw_node {
	struct xw_node *next;
	char *path;
	char *value;
};

struct xw_xswatch {
	struct xw_xswatch *next;
	struct xenbus_watch *watch;
	char token[24];
};

/* A raw event on its way to the reader: what xenstored sends. */
struct xw_raw {
	struct xw_raw *next;
	char *path;
	char token[24];
};

/* The fake xenstored: nodes and watches, by path, under xw_lock. */
static pthread_mutex_t xw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t xw_cond = PTHREAD_COND_INITIALIZER;
static struct xw_node *xw_nodes[XW_BUCKETS];
static struct xw_xswatch *xw_watches[XW_BUCKETS];
static struct xw_raw *xw_head, **xw_tail = &xw_head;
static unsigned long xw_queued, xw_handed;
static unsigned long xw_seq[XW_MAX_DOMID];
static bool xw_stopping;
static pthread_t xw_reader;
int (*xw_deliver)(struct xs_watch_event *event) = xs_lanes_watch_msg;
bool xw_lanes_off;

static unsigned int xw_hash(const char *s)
{
	unsigned int h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % XW_BUCKETS;
}

static struct xw_node *xw_node_find(const char *path)
{
	struct xw_node *n;

	for (n = xw_nodes[xw_hash(path)]; n; n = n->next)
		if (!strcmp(n->path, path))
			return n;
	return NULL;
}

/* Queue an event for the reader: @path fired @token's watch. */
static void xw_raw_queue(const char *path, const char *token)
{
	struct xw_raw *r = calloc(1, sizeof(*r));

	r->path = strdup(path);
	snprintf(r->token, sizeof(r->token), "%s", token);
	*xw_tail = r;
	xw_tail = &r->next;
	xw_queued++;
	pthread_cond_broadcast(&xw_cond);
}

/* Fire every watch on @path or on a node above it, as xenstored does. */
static void xw_fire_path(const char *path)
{
	char prefix[256];
	struct xw_xswatch *w;
	size_t i, len = strlen(path);

	for (i = 1; i <= len && i < sizeof(prefix); i++) {
		if (i < len && path[i] != '/')
			continue;
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		for (w = xw_watches[xw_hash(prefix)]; w; w = w->next)
			if (!strcmp(w->watch->node, prefix))
				xw_raw_queue(path, w->token);
	}
}

void xw_write(const char *path, const char *value)
{
	struct xw_node *n;

	pthread_mutex_lock(&xw_lock);
	n = xw_node_find(path);
	if (!n) {
		n = calloc(1, sizeof(*n));
		n->path = strdup(path);
		n->next = xw_nodes[xw_hash(path)];
		xw_nodes[xw_hash(path)] = n;
	}
	free(n->value);
	n->value = strdup(value);
	xw_fire_path(path);
	pthread_mutex_unlock(&xw_lock);
}

void xw_rm(const char *path)
{
	struct xw_node **p, *n;
	size_t len = strlen(path);
	unsigned int b;

	pthread_mutex_lock(&xw_lock);
	for (b = 0; b < XW_BUCKETS; b++) {
		for (p = &xw_nodes[b]; (n = *p);) {
			if (strncmp(n->path, path, len) ||
			    (n->path[len] && n->path[len] != '/')) {
				p = &n->next;
				continue;
			}
			*p = n->next;
			free(n->path);
			free(n->value);
			free(n);
		}
	}
	xw_fire_path(path);
	pthread_mutex_unlock(&xw_lock);
}

char *xw_read(const char *path)
{
	struct xw_node *n;
	char *v = NULL;

	pthread_mutex_lock(&xw_lock);
	n = xw_node_find(path);
	if (n)
		v = strdup(n->value);
	pthread_mutex_unlock(&xw_lock);
	return v;
}

/* The children of @dir/@node, as Linux's xenbus_directory() gives them. */
char **xenbus_directory(struct xenbus_transaction t, const char *dir,
			const char *node, unsigned int *num)
{
	char path[256], names[64][64];
	unsigned int b, i, n = 0;
	struct xw_node *nd;
	size_t len, sz = 0;
	char **ret, *s;

	(void)t;
	len = snprintf(path, sizeof(path), "%s%s%s", dir, *node ? "/" : "",
		       node);
	pthread_mutex_lock(&xw_lock);
	for (b = 0; b < XW_BUCKETS; b++) {
		for (nd = xw_nodes[b]; nd; nd = nd->next) {
			const char *rest = nd->path + len;

			if (strncmp(nd->path, path, len) || *rest != '/')
				continue;
			rest++;
			snprintf(names[n], sizeof(names[n]), "%.*s",
				 (int)strcspn(rest, "/"), rest);
			for (i = 0; i < n && strcmp(names[i], names[n]); i++)
				;
			if (i == n && n + 1 < ARRAY_SIZE(names))
				sz += strlen(names[n++]) + 1;
		}
	}
	pthread_mutex_unlock(&xw_lock);
	if (!n)
		return ERR_PTR(-ENOENT);
	ret = kmalloc(n * sizeof(char *) + sz, GFP_KERNEL);
	if (!ret)
		return ERR_PTR(-ENOMEM);
	s = (char *)&ret[n];
	for (i = 0; i < n; i++) {
		ret[i] = s;
		s = stpcpy(s, names[i]) + 1;
	}
	*num = n;
	return ret;
}

static void xw_token(struct xenbus_watch *watch, char *buf, size_t len)
{
	snprintf(buf, len, "%lX", (long)watch);
}

int xw_register(struct xenbus_watch *watch, int domid)
{
	struct xw_xswatch *w;
	int err;

	watch->nr_pending = 0;
	err = xw_lanes_off ? 0 : xs_lanes_register(watch, domid);
	if (err)
		return err;
	w = calloc(1, sizeof(*w));
	w->watch = watch;
	xw_token(watch, w->token, sizeof(w->token));
	pthread_mutex_lock(&xw_lock);
	w->next = xw_watches[xw_hash(watch->node)];
	xw_watches[xw_hash(watch->node)] = w;
	/* xenstored fires a watch once when it is set. */
	xw_raw_queue(watch->node, w->token);
	pthread_mutex_unlock(&xw_lock);
	return 0;
}

void xw_unregister(struct xenbus_watch *watch)
{
	struct xw_xswatch **p, *w;

	pthread_mutex_lock(&xw_lock);
	for (p = &xw_watches[xw_hash(watch->node)]; (w = *p); p = &w->next) {
		if (w->watch == watch) {
			*p = w->next;
			free(w);
			break;
		}
	}
	pthread_mutex_unlock(&xw_lock);
	if (!xw_lanes_off)
		xs_lanes_unregister(watch);
}

void xw_fire(struct xenbus_watch *watch, const char *path)
{
	char token[24];

	xw_token(watch, token, sizeof(token));
	pthread_mutex_lock(&xw_lock);
	xw_raw_queue(path, token);
	pthread_mutex_unlock(&xw_lock);
}

unsigned long xw_next_seq(int domid)
{
	unsigned long n;

	pthread_mutex_lock(&xw_lock);
	n = ++xw_seq[domid];
	pthread_mutex_unlock(&xw_lock);
	return n;
}

/* As xenbus_comms.c reads an event: one allocation, "path\0token\0". */
static struct xs_watch_event *xw_event(const struct xw_raw *r)
{
	size_t plen = strlen(r->path) + 1, tlen = strlen(r->token) + 1;
	struct xs_watch_event *ev;

	ev = kmalloc(sizeof(*ev) + plen + tlen + 1, GFP_NOIO | __GFP_HIGH);
	if (!ev)
		return NULL;
	ev->len = plen + tlen;
	memcpy(ev->body, r->path, plen);
	memcpy(ev->body + plen, r->token, tlen);
	ev->path = ev->body;
	ev->token = ev->body + plen;
	return ev;
}

static void *xw_reader_thread(void *arg)
{
	struct xs_watch_event *ev;
	struct xw_raw *r;

	(void)arg;
	pthread_mutex_lock(&xw_lock);
	for (;;) {
		while (!xw_head && !xw_stopping)
			pthread_cond_wait(&xw_cond, &xw_lock);
		if (!xw_head)
			break;
		r = xw_head;
		xw_head = r->next;
		if (!xw_head)
			xw_tail = &xw_head;
		pthread_mutex_unlock(&xw_lock);
		ev = xw_event(r);
		if (ev)
			xw_deliver(ev);
		free(r->path);
		free(r);
		pthread_mutex_lock(&xw_lock);
		xw_handed++;
		pthread_cond_broadcast(&xw_cond);
	}
	pthread_mutex_unlock(&xw_lock);
	return NULL;
}

void xw_sync(void)
{
	pthread_mutex_lock(&xw_lock);
	while (xw_handed != xw_queued)
		pthread_cond_wait(&xw_cond, &xw_lock);
	pthread_mutex_unlock(&xw_lock);
}

unsigned long xw_delivered(void)
{
	unsigned long n;

	pthread_mutex_lock(&xw_lock);
	n = xw_handed;
	pthread_mutex_unlock(&xw_lock);
	return n;
}

void xw_sleep_us(unsigned long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

bool xw_wait_count(unsigned long *counter, unsigned long n)
{
	unsigned int ms;

	for (ms = 0; ms < XW_HANG_MS; ms++) {
		if (__atomic_load_n(counter, __ATOMIC_ACQUIRE) >= n)
			return true;
		xw_sleep_us(1000);
	}
	return false;
}

void xw_gate_init(struct xw_gate *g)
{
	pthread_mutex_init(&g->m, NULL);
	pthread_cond_init(&g->c, NULL);
	g->open = false;
	g->waiting = 0;
}

void xw_gate_open(struct xw_gate *g)
{
	pthread_mutex_lock(&g->m);
	g->open = true;
	pthread_cond_broadcast(&g->c);
	pthread_mutex_unlock(&g->m);
}

void xw_gate_wait(struct xw_gate *g)
{
	pthread_mutex_lock(&g->m);
	g->waiting++;
	pthread_cond_broadcast(&g->c);
	while (!g->open)
		pthread_cond_wait(&g->c, &g->m);
	g->waiting--;
	pthread_mutex_unlock(&g->m);
}

bool xw_gate_has_waiters(struct xw_gate *g, int n)
{
	unsigned int ms;
	bool ok;

	for (ms = 0; ms < XW_HANG_MS; ms++) {
		pthread_mutex_lock(&g->m);
		ok = g->waiting >= n;
		pthread_mutex_unlock(&g->m);
		if (ok)
			return true;
		xw_sleep_us(1000);
	}
	return false;
}

void xw_reader_start(void)
{
	pthread_mutex_lock(&xw_lock);
	xw_stopping = false;
	pthread_mutex_unlock(&xw_lock);
	pthread_create(&xw_reader, NULL, xw_reader_thread, NULL);
}

void xw_reader_stop(void)
{
	pthread_mutex_lock(&xw_lock);
	xw_stopping = true;
	pthread_cond_broadcast(&xw_cond);
	pthread_mutex_unlock(&xw_lock);
	pthread_join(xw_reader, NULL);
}
