/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared memory for single-fetch tests: the protocol cores read what the
 * other end shares only through xenpv_copy_shared() and xenpv_read_idx()
 * (<xenpv/core.h>); the userspace versions of those, in shim/linux.c,
 * count every fetch of every byte of a region a test declares shared,
 * record the value each fetch saw, and call the test's hook after each
 * fetch, which may rewrite the region as a hostile peer would.  The
 * region is ASan-poisoned the rest of the time, so a read that does not
 * go through them aborts the test.
 */
#ifndef TESTING_COMMON_SHARED_H
#define TESTING_COMMON_SHARED_H

#include <linux/types.h>

/**
 * struct shim_shared - the region a test shares, while it is declared
 * @base: its first byte, 8-byte aligned
 * @len: its length, a multiple of 8
 * @fetches: @len counters, one per byte, of fetches since the test last
 *	cleared them
 * @seen: @len bytes, the value of each byte at its last fetch
 * @after_fetch: called after each fetch of [@src, @src + @n) with the
 *	whole region unpoisoned; may rewrite any of it; may be NULL
 * @lo: offset of the first byte fetched since the counters were cleared
 *	(@len if none)
 * @hi: offset past the last one (0 if none): what shim_shared_fetched()
 *	looks at and clears, not the whole region
 */
struct shim_shared {
	u8 *base;
	size_t len;
	u8 *fetches;
	u8 *seen;
	void (*after_fetch)(const u8 *src, size_t n);
	size_t lo;
	size_t hi;
};

extern struct shim_shared shim_shared;

void shim_shared_begin(void *base, size_t len, u8 *fetches, u8 *seen,
		       void (*after_fetch)(const u8 *src, size_t n));
void shim_shared_end(void);
size_t shim_shared_fetched(size_t off, size_t len);

#endif
