// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the fuzz target without libFuzzer, so "make check" exercises it
 * with gcc's sanitizers: a fixed-seed stream of random and semi-valid
 * inputs, then the saved corpus of "make fuzz" if there is one; or only
 * the files named on the command line (to replay a crash).
 */
#include <dirent.h>

#include "fuzz_request.c"
#include "../common/test.h"

#define REPLAY_INPUTS	200000

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t put_be(u8 *buf, size_t len, u64 v, unsigned int n)
{
	while (n--)
		buf[len++] = v >> (8 * n);
	return len;
}

/* Mostly small, sometimes on an edge. */
static u64 pick_sector(void)
{
	switch (rng() % 4) {
	case 0:
		return 0;
	case 1:
		return rng() % 4096;
	case 2:
		return (1 << 20) - rng() % 64;
	}
	return U64_MAX - rng() % 64;
}

static void semi_valid_segs(struct blkif_request_segment *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		s[i].gref = rng();
		s[i].first_sect = rng() % 16 ? 0 : rng() % 9;
		s[i].last_sect = rng() % 16 ? 7 : rng() % 9;
	}
}

/* A read, write, flush, discard or indirect request that often passes. */
static size_t semi_valid_request(u8 *buf, size_t room)
{
	static const u8 ops[] = { 0, 1, 2, 3, 5, 6, 6, 6, 4, 9 };
	static struct blkif_request_segment frame[512];
	struct fuzz_req64 r64 = { 0 };
	struct fuzz_tail *t = &r64.t;
	bool abi64 = rng() % 2;
	size_t len = 0, n;

	len = put_be(buf, len, 0, 1);
	len = put_be(buf, len, (rng() | 0x7c) & (rng() % 4 ? ~2 : ~0), 1);
	len = put_be(buf, len, rng() % 8 ? 0 : rng() % 4, 1);
	len = put_be(buf, len, rng() % 4 ? 0x8000 | (rng() % 4096) : rng(), 2);
	len = put_be(buf, len, rng() % 4 ? 1 << 20 : rng(), 8);
	r64.op = ops[rng() % ARRAY_SIZE(ops)];
	r64.id = rng();
	r64.sector = pick_sector();
	if (r64.op == BLKIF_OP_INDIRECT) {
		r64.byte1 = rng() % 8 ? rng() % 2 : rng() % 8;
		r64.word = rng() % 8 ? 1 + rng() % 1100 : rng();
		t->ind.handle = rng();
	} else if (r64.op == BLKIF_OP_DISCARD) {
		r64.byte1 = rng() % 2;
		t->nr_sectors = rng() % 8 ? 1 + rng() % 2048 :
				rng() % 2 ? 0 : rng();
	} else {
		struct blkif_request_segment segs[BLKIF_MAX_SEGMENTS_PER_REQUEST];

		r64.byte1 = rng() % 8 ? rng() % 12 : rng();
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
	n = min_t(size_t, room - len, (rng() % 8) * 512) / 8;
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
	size_t len = 0, n;
	unsigned int i;

	buf[len++] = 3;
	buf[len++] = rng();
	for (i = 0; i < 40; i++) {
		const char *v = xs_pool[rng() % ARRAY_SIZE(xs_pool)];

		if (i == 0 && rng() % 2)
			v = rng() % 2 ? "x86_64-abi" : "x86_32-abi";
		n = strlen(v);
		if (len + n + 1 >= room)
			break;
		memcpy(buf + len, v, n);
		len += n;
		buf[len++] = '\n';
	}
	return len;
}

static size_t random_input(u8 *buf, size_t room)
{
	size_t len = rng() % room, i;

	for (i = 0; i < len; i++)
		buf[i] = rng();
	return len;
}

static void random_inputs(void)
{
	static u8 buf[4096];
	unsigned int i;
	size_t len;

	for (i = 0; i < REPLAY_INPUTS; i++) {
		switch (i % 4) {
		case 0:
		case 1:
			len = semi_valid_request(buf, sizeof(buf));
			break;
		case 2:
			len = semi_valid_xs(buf, sizeof(buf));
			break;
		default:
			len = random_input(buf, sizeof(buf));
			break;
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	CHECK_EQ(i, REPLAY_INPUTS);
}

static void replay_file(const char *path, bool quiet)
{
	static u8 buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	if (!quiet)
		printf("# replayed %s (%zu bytes)\n", path, len);
}

/* What "make fuzz" saved, if it ran here; nothing to do otherwise. */
static void saved_corpus(void)
{
	DIR *d = opendir("fuzz-corpus");
	char path[512];
	struct dirent *e;
	unsigned int n = 0;

	if (!d) {
		printf("# no fuzz-corpus/ here\n");
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "fuzz-corpus/%s", e->d_name);
		replay_file(path, true);
		n++;
	}
	closedir(d);
	printf("# replayed %u corpus files\n", n);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		replay_file(argv[i], false);
	if (argc > 1)
		return 0;
	RUN(random_inputs);
	RUN(saved_corpus);
	return t_done();
}
