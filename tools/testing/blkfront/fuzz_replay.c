// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_response.c without libFuzzer, under gcc's sanitizers (see
 * ../common/replay.h): random inputs, and every third one a negotiation
 * with mostly plausible xenstore values.
 */
#include "fuzz_response.c"

#define REPLAY_INPUTS	300000
#define REPLAY_ROOM	1200

#include "../common/replay.h"

/* Xenstore-ish values: mostly plausible, sometimes broken. */
static const char *const xs_pool[] = {
	"~", "~", "0", "1", "1", "2", "3", "4", "8", "11", "12", "64", "256",
	"512", "512", "1024", "4096", "4096", "8192", "3072", "2097152",
	"4294967295", "4294967296", "18014398509481984", "", "-1", "12abc",
	"007", "18446744073709551616",
};

static size_t semi_valid_nego(u8 *buf, size_t room)
{
	size_t len = 1;
	unsigned int i;

	buf[0] = 1;
	for (i = 0; i < 7; i++)
		buf[len++] = t_rng();
	for (i = 0; i < BLKFRONT_XS_NR; i++) {
		const char *v = xs_pool[t_rng() % ARRAY_SIZE(xs_pool)];

		if (i == BLKFRONT_XS_SECTOR_SIZE && t_rng() % 4)
			v = t_rng() % 2 ? "512" : "4096";
		if (!replay_put_line(buf, room, &len, v))
			break;
	}
	return len;
}

static size_t replay_input(u8 *buf, size_t room, unsigned int i)
{
	if (i % 3 == 1)
		return semi_valid_nego(buf, room);
	return random_input(buf, room);
}
