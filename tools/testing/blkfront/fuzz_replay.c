// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_response.c without libFuzzer, under gcc's sanitizers (see
 * ../common/replay.h): random inputs, and every third one a negotiation
 * with mostly plausible xenstore values.
 */
#include "fuzz_response.c"

#define REPLAY_INPUTS	300000
#define REPLAY_ROOM	5000

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

/*
 * Requests in flight, then responses that mostly name them: slot i of the
 * ring answers the i-th request, with the right or a wrong operation.
 */
static size_t semi_valid_shared(u8 *buf, size_t room)
{
	unsigned int nreq = 1 + t_rng() % 32, i;
	struct blkif_response rsp;
	size_t len = 0;

	if (room < 8 + nreq + 4096)
		return random_input(buf, room);
	buf[len++] = 3;
	buf[len++] = nreq;
	for (i = 0; i < 4; i++)
		buf[len++] = t_rng();
	for (i = 0; i < nreq; i++)
		buf[len++] = t_rng() % 3;	/* the op of id i */
	buf[len++] = t_rng() % 40;		/* rsp_prod - rsp_cons */
	memset(buf + len, 0, 4096 - 64);
	for (i = 0; i < 32; i++) {
		memset(&rsp, 0, sizeof(rsp));
		rsp.id = t_rng() % 8 ? (i + 3 * i / 4) % nreq : t_rng();
		rsp.operation = t_rng() % 8 ? buf[6 + rsp.id % nreq] : t_rng();
		rsp.status = t_rng() % 8 ? 0 : -(int)(t_rng() % 4);
		memcpy(buf + len + i * sizeof(union blkif_sring_entry), &rsp,
		       sizeof(rsp));
	}
	len += 4096 - 64;
	for (; len < room && t_rng() % 64; len++)
		buf[len] = t_rng();	/* the flips */
	return len;
}

static size_t replay_input(u8 *buf, size_t room, unsigned int i)
{
	if (i % 3 == 1)
		return semi_valid_nego(buf, room);
	if (i % 3 == 2 && i % 2)
		return semi_valid_shared(buf, room);
	return random_input(buf, room);
}
