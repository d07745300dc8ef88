// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: the kernel services xenbus_lanes.c uses beyond the
 * common ones: workqueues (thread pools), wait queues, current, jiffies,
 * a searchable printk log, seq_file and kasprintf.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

/* ---- current, jiffies ---- */

static __thread struct task_struct shim_task;

struct task_struct *shim_current(void)
{
	return &shim_task;
}

unsigned long shim_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- wait queues ---- */

void shim_wake_up(struct wait_queue_head *q)
{
	pthread_mutex_lock(&q->m);
	__atomic_add_fetch(&q->seq, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&q->c);
	pthread_mutex_unlock(&q->m);
}

void shim_wait_for(struct wait_queue_head *q, unsigned long seen)
{
	pthread_mutex_lock(&q->m);
	while (__atomic_load_n(&q->seq, __ATOMIC_ACQUIRE) == seen)
		pthread_cond_wait(&q->c, &q->m);
	pthread_mutex_unlock(&q->m);
}

/* ---- workqueues ---- */

struct workqueue_struct {
	struct list_head pending;
	pthread_cond_t more;
	pthread_cond_t idle;
	int busy;
	bool stop;
	int max_active;
	int nr_threads;
	pthread_t *threads;
};

/* One lock for every workqueue and the timer list. */
static pthread_mutex_t wq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cond = PTHREAD_COND_INITIALIZER;
static struct delayed_work *timers[64];
static bool timer_started;
struct workqueue_struct *system_wq;

static void *wq_thread(void *arg)
{
	struct workqueue_struct *wq = arg;
	struct work_struct *w;

	pthread_mutex_lock(&wq_lock);
	for (;;) {
		while ((list_empty(&wq->pending) || wq->busy >= wq->max_active) &&
		       !wq->stop)
			pthread_cond_wait(&wq->more, &wq_lock);
		if (wq->stop)
			break;
		w = list_first_entry(&wq->pending, struct work_struct, entry);
		list_del(&w->entry);
		INIT_LIST_HEAD(&w->entry);
		w->pending = false;
		wq->busy++;
		pthread_mutex_unlock(&wq_lock);
		w->func(w);
		pthread_mutex_lock(&wq_lock);
		if (!--wq->busy && list_empty(&wq->pending))
			pthread_cond_broadcast(&wq->idle);
		/* A bound lowered meanwhile may leave a thread waiting. */
		pthread_cond_signal(&wq->more);
	}
	pthread_mutex_unlock(&wq_lock);
	return NULL;
}

/* Threads up to @max_active; those beyond a lowered bound just idle. */
static void wq_grow(struct workqueue_struct *wq, int max_active)
{
	wq->max_active = max_active;
	if (max_active <= wq->nr_threads)
		return;
	wq->threads = realloc(wq->threads, max_active * sizeof(pthread_t));
	while (wq->nr_threads < max_active)
		pthread_create(&wq->threads[wq->nr_threads++], NULL, wq_thread, wq);
}

struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags,
					 int max_active, ...)
{
	struct workqueue_struct *wq = calloc(1, sizeof(*wq));

	(void)name;
	(void)flags;
	INIT_LIST_HEAD(&wq->pending);
	pthread_cond_init(&wq->more, NULL);
	pthread_cond_init(&wq->idle, NULL);
	pthread_mutex_lock(&wq_lock);
	wq_grow(wq, max_active);
	pthread_mutex_unlock(&wq_lock);
	return wq;
}

void workqueue_set_max_active(struct workqueue_struct *wq, int max_active)
{
	pthread_mutex_lock(&wq_lock);
	wq_grow(wq, max_active);
	pthread_cond_broadcast(&wq->more);
	pthread_mutex_unlock(&wq_lock);
}

static bool queue_locked(struct workqueue_struct *wq, struct work_struct *w)
{
	if (w->pending)
		return false;
	w->pending = true;
	list_add_tail(&w->entry, &wq->pending);
	pthread_cond_signal(&wq->more);
	return true;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	bool queued;

	pthread_mutex_lock(&wq_lock);
	queued = queue_locked(wq, work);
	pthread_mutex_unlock(&wq_lock);
	return queued;
}

static void *timer_thread(void *arg)
{
	struct timespec ts;
	unsigned long now;
	unsigned int i;

	(void)arg;
	pthread_mutex_lock(&wq_lock);
	for (;;) {
		now = shim_jiffies();
		for (i = 0; i < ARRAY_SIZE(timers); i++) {
			if (!timers[i] || timers[i]->due > now)
				continue;
			timers[i]->timer = false;
			queue_locked(timers[i]->wq, &timers[i]->work);
			timers[i] = NULL;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 2000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&timer_cond, &wq_lock, &ts);
	}
	return NULL;
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay)
{
	pthread_t t;
	unsigned int i;

	pthread_mutex_lock(&wq_lock);
	if (dw->timer || dw->work.pending) {
		pthread_mutex_unlock(&wq_lock);
		return false;
	}
	if (!timer_started) {
		timer_started = true;
		pthread_create(&t, NULL, timer_thread, NULL);
		pthread_detach(t);
	}
	for (i = 0; i < ARRAY_SIZE(timers) && timers[i]; i++)
		;
	if (i == ARRAY_SIZE(timers))
		abort();
	dw->wq = wq;
	dw->due = shim_jiffies() + delay;
	dw->timer = true;
	timers[i] = dw;
	pthread_cond_signal(&timer_cond);
	pthread_mutex_unlock(&wq_lock);
	return true;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	pthread_mutex_lock(&wq_lock);
	while (wq->busy || !list_empty(&wq->pending))
		pthread_cond_wait(&wq->idle, &wq_lock);
	pthread_mutex_unlock(&wq_lock);
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	int i;

	flush_workqueue(wq);
	pthread_mutex_lock(&wq_lock);
	wq->stop = true;
	pthread_cond_broadcast(&wq->more);
	pthread_mutex_unlock(&wq_lock);
	for (i = 0; i < wq->nr_threads; i++)
		pthread_join(wq->threads[i], NULL);
	free(wq->threads);
	free(wq);
}

__attribute__((constructor)) static void shim_system_wq(void)
{
	system_wq = alloc_workqueue("events", 0, 1);
}

/* ---- printk log ---- */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char **log_lines;
static unsigned int log_nr, log_cap;

void shim_printk(const char *level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (getenv("SHIM_VERBOSE_LOG"))
		printf("#   [%s] %s", level, line);
	pthread_mutex_lock(&log_lock);
	if (log_nr == log_cap) {
		log_cap = log_cap ? 2 * log_cap : 64;
		log_lines = realloc(log_lines, log_cap * sizeof(*log_lines));
	}
	log_lines[log_nr++] = strdup(line);
	pthread_mutex_unlock(&log_lock);
}

unsigned int shim_log_count(const char *needle)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&log_lock);
	for (i = 0; i < log_nr; i++)
		n += strstr(log_lines[i], needle) != NULL;
	pthread_mutex_unlock(&log_lock);
	return n;
}

void shim_log_clear(void)
{
	pthread_mutex_lock(&log_lock);
	while (log_nr)
		free(log_lines[--log_nr]);
	pthread_mutex_unlock(&log_lock);
}

/* ---- seq_file, kasprintf ---- */

static void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (m->count + n + 1 > m->size) {
		m->size = 2 * (m->count + n + 1);
		m->buf = realloc(m->buf, m->size);
	}
	vsnprintf(m->buf + m->count, n + 1, fmt, ap);
	m->count += n;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_printf(m, "%s", s);
}

void seq_putc(struct seq_file *m, char c)
{
	seq_printf(m, "%c", c);
}

char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	char *p;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = kmalloc(n + 1, gfp);
	if (p)
		vsnprintf(p, n + 1, fmt, ap);
	return p;
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return p;
}
