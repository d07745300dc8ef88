// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the fuzz target without libFuzzer, so "make check" exercises it
 * with gcc's sanitizers: a fixed-seed stream of random and semi-valid
 * inputs, or the files named on the command line (to replay a crash).
 */
#include "fuzz_response.c"
#include "../common/test.h"

#define REPLAY_INPUTS	300000

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Xenstore-ish values: mostly plausible, sometimes broken. */
static const char *const xs_pool[] = {
	"~", "~", "0", "1", "1", "2", "3", "4", "8", "11", "12", "64", "256",
	"512", "512", "1024", "4096", "4096", "8192", "3072", "2097152",
	"4294967295", "4294967296", "18014398509481984", "", "-1", "12abc",
	"007", "18446744073709551616",
};

static size_t semi_valid_nego(u8 *buf, size_t room)
{
	size_t len = 1, n;
	unsigned int i;

	buf[0] = 1;
	for (i = 0; i < 7; i++)
		buf[len++] = rng();
	for (i = 0; i < BLKFRONT_XS_NR; i++) {
		const char *v = xs_pool[rng() % ARRAY_SIZE(xs_pool)];

		if (i == BLKFRONT_XS_SECTOR_SIZE && rng() % 4)
			v = rng() % 2 ? "512" : "4096";
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
	static u8 buf[1200];
	unsigned int i;
	size_t len;

	for (i = 0; i < REPLAY_INPUTS; i++) {
		if (i % 3 == 1)
			len = semi_valid_nego(buf, sizeof(buf));
		else
			len = random_input(buf, sizeof(buf));
		LLVMFuzzerTestOneInput(buf, len);
	}
	CHECK_EQ(i, REPLAY_INPUTS);
}

static void replay_file(const char *path)
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
	printf("# replayed %s (%zu bytes)\n", path, len);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		replay_file(argv[i]);
	if (argc > 1)
		return 0;
	RUN(random_inputs);
	return t_done();
}
