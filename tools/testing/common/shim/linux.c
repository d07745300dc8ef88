// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: the kernel services the protocol core uses, with
 * allocation counting (allocations and bytes live), allocation failure
 * injection and WARN counting.  Thread-safe, for the suites that run the
 * code under test on several threads (tools/testing/xenwatch).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/slab.h>

long shim_allocs_live;
unsigned long shim_allocs_total;
long shim_bytes_live;
long shim_bytes_peak;
unsigned long shim_warnings;
const char *shim_last_warning = "";
static char shim_warn_buf[256];
static unsigned long shim_fail_countdown;
static pthread_mutex_t shim_lock = PTHREAD_MUTEX_INITIALIZER;

/* Each allocation starts with its size, 16 bytes to keep alignment. */
#define SHIM_HDR	16

void shim_fail_alloc(unsigned long nth)
{
	pthread_mutex_lock(&shim_lock);
	shim_fail_countdown = nth;
	pthread_mutex_unlock(&shim_lock);
}

void shim_warn(const char *file, int line, const char *cond)
{
	pthread_mutex_lock(&shim_lock);
	shim_warnings++;
	snprintf(shim_warn_buf, sizeof(shim_warn_buf), "%s:%d: %s",
		 file, line, cond);
	shim_last_warning = shim_warn_buf;
	pthread_mutex_unlock(&shim_lock);
	if (getenv("SHIM_VERBOSE_WARN"))
		printf("#   WARNING at %s:%d: %s\n", file, line, cond);
}

static void *shim_alloc(size_t size, bool zero)
{
	bool fail;
	char *p;

	pthread_mutex_lock(&shim_lock);
	fail = shim_fail_countdown && --shim_fail_countdown == 0;
	pthread_mutex_unlock(&shim_lock);
	if (fail)
		return NULL;
	p = malloc(SHIM_HDR + (size ? size : 1));
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	/* Poison, so reads of memory nobody wrote show up in tests. */
	memset(p + SHIM_HDR, zero ? 0 : 0xa5, size);
	pthread_mutex_lock(&shim_lock);
	shim_allocs_live++;
	shim_allocs_total++;
	shim_bytes_live += size;
	if (shim_bytes_live > shim_bytes_peak)
		shim_bytes_peak = shim_bytes_live;
	pthread_mutex_unlock(&shim_lock);
	return p + SHIM_HDR;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return shim_alloc(size, false);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return shim_alloc(size, true);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	(void)gfp;
	if (size && n > SIZE_MAX / size)
		return NULL;
	return shim_alloc(n * size, true);
}

void kfree(const void *p)
{
	char *h;
	size_t size;

	if (!p)
		return;
	h = (char *)p - SHIM_HDR;
	memcpy(&size, h, sizeof(size));
	pthread_mutex_lock(&shim_lock);
	shim_allocs_live--;
	shim_bytes_live -= size;
	pthread_mutex_unlock(&shim_lock);
	free(h);
}
