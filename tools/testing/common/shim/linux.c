// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: the kernel services the protocol core uses, with
 * allocation counting, allocation failure injection and WARN counting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/slab.h>

long shim_allocs_live;
unsigned long shim_allocs_total;
unsigned long shim_warnings;
const char *shim_last_warning = "";
static char shim_warn_buf[256];
static unsigned long shim_fail_countdown;

void shim_fail_alloc(unsigned long nth)
{
	shim_fail_countdown = nth;
}

void shim_warn(const char *file, int line, const char *cond)
{
	shim_warnings++;
	snprintf(shim_warn_buf, sizeof(shim_warn_buf), "%s:%d: %s",
		 file, line, cond);
	shim_last_warning = shim_warn_buf;
	if (getenv("SHIM_VERBOSE_WARN"))
		printf("#   WARNING at %s\n", shim_warn_buf);
}

static void *shim_alloc(size_t size, bool zero)
{
	void *p;

	if (shim_fail_countdown && --shim_fail_countdown == 0)
		return NULL;
	p = malloc(size ? size : 1);
	if (!p)
		return NULL;
	/* Poison, so reads of memory nobody wrote show up in tests. */
	memset(p, zero ? 0 : 0xa5, size);
	shim_allocs_live++;
	shim_allocs_total++;
	return p;
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
	if (!p)
		return;
	shim_allocs_live--;
	free((void *)p);
}
