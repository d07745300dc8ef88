// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_request.c without libFuzzer, under gcc's sanitizers (see
 * ../common/replay.h): half the inputs requests that often pass, a
 * quarter xenstore keys, a quarter random bytes.
 */
#include "fuzz_request.c"

#define REPLAY_INPUTS	200000
#define REPLAY_ROOM	4096

#include "../common/replay.h"

/* Mostly small, sometimes on an edge. */
static u64 pick_sector(void)
{
	switch (t_rng() % 4) {
	case 0:
		return 0;
	case 1:
		return t_rng() % 4096;
	case 2:
		return (1 << 20) - t_rng() % 64;
	}
	return U64_MAX - t_rng() % 64;
}

static void semi_valid_segs(struct blkif_request_segment *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		s[i].gref = t_rng();
		s[i].first_sect = t_rng() % 16 ? 0 : t_rng() % 9;
		s[i].last_sect = t_rng() % 16 ? 7 : t_rng() % 9;
	}
}

/* A read, write, flush, discard or indirect request that often passes. */
static size_t semi_valid_request(u8 *buf, size_t room)
{
	static const u8 ops[] = { 0, 1, 2, 3, 5, 6, 6, 6, 4, 9 };
	static struct blkif_request_segment frame[512];
	struct fuzz_req64 r64 = { 0 };
	struct fuzz_tail *t = &r64.t;
	bool abi64 = t_rng() % 2;
	size_t len = 0, n;

	len = replay_put_be(buf, len, 0, 1);
	len = replay_put_be(buf, len, (t_rng() | 0x7c) & (t_rng() % 4 ? ~2 : ~0), 1);
	len = replay_put_be(buf, len, t_rng() % 8 ? 0 : t_rng() % 4, 1);
	len = replay_put_be(buf, len,
			    t_rng() % 4 ? 0x8000 | (t_rng() % 4096) : t_rng(), 2);
	len = replay_put_be(buf, len, t_rng() % 4 ? 1 << 20 : t_rng(), 8);
	r64.op = ops[t_rng() % ARRAY_SIZE(ops)];
	r64.id = t_rng();
	r64.sector = pick_sector();
	if (r64.op == BLKIF_OP_INDIRECT) {
		r64.byte1 = t_rng() % 8 ? t_rng() % 2 : t_rng() % 8;
		r64.word = t_rng() % 8 ? 1 + t_rng() % 1100 : t_rng();
		t->ind.handle = t_rng();
	} else if (r64.op == BLKIF_OP_DISCARD) {
		r64.byte1 = t_rng() % 2;
		t->nr_sectors = t_rng() % 8 ? 1 + t_rng() % 2048 :
				t_rng() % 2 ? 0 : t_rng();
	} else {
		struct blkif_request_segment segs[BLKIF_MAX_SEGMENTS_PER_REQUEST];

		r64.byte1 = t_rng() % 8 ? t_rng() % 12 : t_rng();
		semi_valid_segs(segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
		memcpy(t->seg, segs, sizeof(segs));
	}
	if (abi64) {
		memcpy(buf + len, &r64, sizeof(r64));
		len += sizeof(r64);
	} else {
		/* The 32-bit slot: the same fields, 4 bytes less padding. */
		memcpy(buf + len, &r64, 4);
		memcpy(buf + len + 4, (u8 *)&r64 + 8, sizeof(r64) - 8);
		len += sizeof(r64) - 4;
	}
	buf[1] = (buf[1] & ~1) | abi64;
	n = min_t(size_t, room - len, (t_rng() % 8) * 512) / 8;
	semi_valid_segs(frame, n);
	memcpy(buf + len, frame, n * sizeof(*frame));
	return len + n * sizeof(*frame);
}

/* Xenstore-ish values: mostly plausible, sometimes broken. */
static const char *const xs_pool[] = {
	"~", "~", "0", "1", "1", "2", "3", "4", "8", "16", "17", "32",
	"x86_64-abi", "x86_32-abi", "arm-abi", "", "-1", "12abc", "007",
	"4294967295", "4294967296", "18446744073709551616",
};

static size_t semi_valid_xs(u8 *buf, size_t room)
{
	size_t len = 0;
	unsigned int i;

	buf[len++] = 3;
	buf[len++] = t_rng();
	for (i = 0; i < 40; i++) {
		const char *v = xs_pool[t_rng() % ARRAY_SIZE(xs_pool)];

		if (i == 0 && t_rng() % 2)
			v = t_rng() % 2 ? "x86_64-abi" : "x86_32-abi";
		if (!replay_put_line(buf, room, &len, v))
			break;
	}
	return len;
}

/* A shared ring of requests that often pass, for the single-fetch mode. */
static size_t semi_valid_shared(u8 *buf, size_t room)
{
	size_t len = semi_valid_request(buf, room);

	buf[0] = 4;
	return len;
}

static size_t replay_input(u8 *buf, size_t room, unsigned int i)
{
	switch (i % 8) {
	case 0:
	case 1:
	case 2:
		return semi_valid_request(buf, room);
	case 3:
		return semi_valid_shared(buf, room);
	case 4:
	case 5:
		return semi_valid_xs(buf, room);
	}
	return random_input(buf, room);
}
