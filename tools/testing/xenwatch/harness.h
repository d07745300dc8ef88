/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenwatch harness: drivers/xen/xenbus/xenbus_lanes.c, compiled
 * unchanged, fed by a fake xenstore and a reader thread playing the
 * xenbus reader (xenbus_comms.c) and xenstored.
 *
 * lanes_test.h starts and stops the lanes around each test case.
 * xw_register() plays register_xenbus_watch() in lanes mode: it gives the
 * watch its lane and sets it in the fake xenstore, which fires it once.
 * A write, a removal or xw_fire() queues an event for each watch on the
 * node or above it; the reader thread turns each into a struct
 * xs_watch_event as xenbus_comms.c does and hands it to
 * xs_lanes_watch_msg().  xw_next_seq() numbers events per domain, so
 * callbacks can check their order.
 */
#ifndef XW_HARNESS_H
#define XW_HARNESS_H

#include <pthread.h>
#include <stdbool.h>

#include <xen/xenbus.h>

struct xs_watch_event;

/*
 * What the reader hands each event to: xs_lanes_watch_msg() unless a
 * program (the benchmark's single xenwatch thread) sets another, and then
 * also xw_lanes_off, so that watches do not register with the lanes.
 */
extern int (*xw_deliver)(struct xs_watch_event *event);
extern bool xw_lanes_off;

void xw_reader_start(void);
/* Stop the reader once it has handed over everything queued. */
void xw_reader_stop(void);

int xw_register(struct xenbus_watch *watch, int domid);
void xw_unregister(struct xenbus_watch *watch);

void xw_write(const char *path, const char *value);
void xw_rm(const char *path);
char *xw_read(const char *path);
/* An event for @watch at @path, as xenstored would send it. */
void xw_fire(struct xenbus_watch *watch, const char *path);
/* The next number of domain @domid's events, from 1. */
unsigned long xw_next_seq(int domid);

/* Wait until the reader has handed over every event queued so far. */
void xw_sync(void);
/* Events the reader handed over so far. */
unsigned long xw_delivered(void);

/* A one-shot gate that threads wait on until it opens. */
struct xw_gate {
	pthread_mutex_t m;
	pthread_cond_t c;
	bool open;
	int waiting;
};

void xw_gate_init(struct xw_gate *g);
void xw_gate_open(struct xw_gate *g);
void xw_gate_wait(struct xw_gate *g);
/* Wait until @n threads wait at @g; false after 30 s. */
bool xw_gate_has_waiters(struct xw_gate *g, int n);

/* Wait until *@counter reaches @n; false after 30 s (a hang). */
bool xw_wait_count(unsigned long *counter, unsigned long n);
void xw_sleep_us(unsigned long us);

#endif
