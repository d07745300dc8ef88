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
#include <xenpv/core.h>

#include "../shared.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHIM_ASAN 1
#endif
#elif defined(__SANITIZE_ADDRESS__)
#define SHIM_ASAN 1
#endif
#ifdef SHIM_ASAN
#include <sanitizer/asan_interface.h>
#define SHIM_POISON(p, n)	__asan_poison_memory_region((p), (n))
#define SHIM_UNPOISON(p, n)	__asan_unpoison_memory_region((p), (n))
#endif
#ifndef SHIM_POISON
#define SHIM_POISON(p, n)	((void)(p), (void)(n))
#define SHIM_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

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

/* ---- Shared memory (../shared.h) ------------------------------------------ */

struct shim_shared shim_shared;

void shim_shared_begin(void *base, size_t len, u8 *fetches, u8 *seen,
		       void (*after_fetch)(const u8 *src, size_t n))
{
	shim_shared = (struct shim_shared) {
		.base = base, .len = len, .fetches = fetches, .seen = seen,
		.after_fetch = after_fetch, .lo = len, .hi = 0,
	};
	memset(fetches, 0, len);
	SHIM_POISON(base, len);
}

void shim_shared_end(void)
{
	if (shim_shared.base)
		SHIM_UNPOISON(shim_shared.base, shim_shared.len);
	memset(&shim_shared, 0, sizeof(shim_shared));
}

/*
 * The fetches since the last call: how many bytes of [off, off + len)
 * were fetched exactly once (the others, and any byte fetched outside,
 * make the count differ from @len); the counters are cleared.
 */
size_t shim_shared_fetched(size_t off, size_t len)
{
	size_t i, once = 0, outside = 0;

	for (i = off; i < off + len && i < shim_shared.len; i++)
		once += shim_shared.fetches[i] == 1;
	for (i = shim_shared.lo; i < shim_shared.hi; i++)
		if (i < off || i >= off + len)
			outside += shim_shared.fetches[i];
	if (shim_shared.lo < shim_shared.hi)
		memset(shim_shared.fetches + shim_shared.lo, 0,
		       shim_shared.hi - shim_shared.lo);
	shim_shared.lo = shim_shared.len;
	shim_shared.hi = 0;
	return outside ? 0 : once;
}

static bool shim_in_shared(const void *p, size_t n)
{
	const u8 *b = shim_shared.base;

	return b && (const u8 *)p >= b && (const u8 *)p + n <= b + shim_shared.len;
}

/* A fetch of [src, src + n): counted, recorded, then the hook. */
static void shim_fetch(void *dst, const void *src, size_t n)
{
	size_t off = (const u8 *)src - shim_shared.base, i;

	SHIM_UNPOISON(shim_shared.base, shim_shared.len);
	memcpy(dst, src, n);
	if (off < shim_shared.lo)
		shim_shared.lo = off;
	if (off + n > shim_shared.hi)
		shim_shared.hi = off + n;
	for (i = 0; i < n; i++) {
		if (shim_shared.fetches[off + i] < 255)
			shim_shared.fetches[off + i]++;
		shim_shared.seen[off + i] = ((const u8 *)src)[i];
	}
	if (shim_shared.after_fetch)
		shim_shared.after_fetch(src, n);
	SHIM_POISON(shim_shared.base, shim_shared.len);
}

static void shim_store(void *dst, const void *src, size_t n)
{
	SHIM_UNPOISON(shim_shared.base, shim_shared.len);
	memcpy(dst, src, n);
	SHIM_POISON(shim_shared.base, shim_shared.len);
}

void xenpv_copy_shared(void *dst, const void *src, size_t len)
{
	if (shim_in_shared(src, len))
		shim_fetch(dst, src, len);
	else
		memcpy(dst, src, len);
}

RING_IDX xenpv_read_idx(const RING_IDX *idx)
{
	RING_IDX v;

	xenpv_copy_shared(&v, idx, sizeof(v));
	return v;
}

void xenpv_write_idx(RING_IDX *idx, RING_IDX val)
{
	xenpv_write_shared(idx, &val, sizeof(val));
}

void xenpv_write_shared(void *dst, const void *src, size_t len)
{
	if (shim_in_shared(dst, len))
		shim_store(dst, src, len);
	else
		memcpy(dst, src, len);
}
