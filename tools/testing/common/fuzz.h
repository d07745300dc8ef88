/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every libFuzzer target here shares: an invariant check that
 * abort()s, a reader of big-endian numbers from the input that reads
 * zeros once the input runs out, and the entry point's frame: the first
 * byte picks one of the target's modes, and after it no allocation may
 * be left and no WARN may have fired.
 *
 * Include it after the .c file under test.  fuzz_replay.c drives the same
 * entry point without libFuzzer.
 */
#ifndef TESTING_COMMON_FUZZ_H
#define TESTING_COMMON_FUZZ_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/types.h>

#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

struct fuzz_in {
	const u8 *p;
	size_t n;
};

static inline u64 fuzz_bytes(struct fuzz_in *in, unsigned int len)
{
	u64 v = 0;

	while (len--) {
		v = v << 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

#define rd8(in)		((u8)fuzz_bytes(in, 1))
#define rd16(in)	((u16)fuzz_bytes(in, 2))
#define rd32(in)	((u32)fuzz_bytes(in, 4))
#define rd64(in)	fuzz_bytes(in, 8)

/* @len bytes from the input into @dst, zeros where the input ran out. */
static inline void fuzz_take(struct fuzz_in *in, void *dst, size_t len)
{
	size_t n = min(len, in->n);

	memcpy(dst, in->p, n);
	memset((u8 *)dst + n, 0, len - n);
	in->p += n;
	in->n -= n;
}

/*
 * A strict decimal xenstore parser against libc: digits only, at least
 * one, and within 64 bits as strtoull() says.  A NULL @s is not checked.
 */
static inline void fuzz_check_parse_u64(int (*parse)(const char *s, u64 *val),
					const char *s)
{
	unsigned long long want;
	const char *p;
	u64 v = 0;
	int ret;

	if (!s)
		return;
	ret = parse(s, &v);
	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (!*s || *p) {
		FUZZ_ASSERT(ret == -EINVAL);
		return;
	}
	errno = 0;
	want = strtoull(s, NULL, 10);
	if (errno == ERANGE) {
		FUZZ_ASSERT(ret == -ERANGE);
		return;
	}
	FUZZ_ASSERT(!ret && v == want);
}

/*
 * A hostile peer for the single-fetch modes (../shared.h): after each
 * fetch, every byte just fetched changes (xor with the next input byte,
 * made odd), so a second fetch of it would see another value.
 */
static struct fuzz_in *fuzz_flip_in;

static inline void fuzz_flip(const u8 *src, size_t n)
{
	u8 *p = (u8 *)src;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] ^= rd8(fuzz_flip_in) | 1;
}

typedef void (*fuzz_mode_fn)(struct fuzz_in *in);

/*
 * One input: its first byte picks one of @nr_modes @modes, which reads the
 * rest.  What the mode allocated it must have freed, and the code under
 * test may not WARN on anything a peer can send.
 */
static inline int fuzz_one(const fuzz_mode_fn *modes, unsigned int nr_modes,
			   const u8 *data, size_t size)
{
	struct fuzz_in in = { .p = data, .n = size };
	long live = shim_allocs_live;

	modes[rd8(&in) % nr_modes](&in);
	FUZZ_ASSERT(shim_allocs_live == live);
	FUZZ_ASSERT(shim_warnings == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#endif
