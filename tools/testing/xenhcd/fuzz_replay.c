// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_response.c without libFuzzer, under gcc's sanitizers (see
 * ../common/replay.h): response streams that are mostly right, root hub
 * walks as the hub driver makes them, buffers, packets, single fetches
 * and random bytes.
 */
#include "fuzz_response.c"

#define REPLAY_INPUTS	200000
#define REPLAY_ROOM	4096

#include "../common/replay.h"

/* Submits and mostly fitting responses to the ids a LIFO list hands out. */
static size_t semi_valid_responses(u8 *buf, size_t room)
{
	struct xenusb_urb_response r;
	u16 len[XENHCD_URB_RING_SIZE] = { };
	unsigned int top = 0;
	size_t n = 0;

	buf[n++] = 0;
	while (n + 2 + 4 + sizeof(r) + 1 < room && t_rng() % 64) {
		if (top < XENHCD_URB_RING_SIZE && (t_rng() % 2 || !top)) {
			len[top] = t_rng() % 8192;
			buf[n++] = t_rng() % 4 ? 0 : 2;
			n = replay_put_be(buf, n, len[top], 2);
			n = replay_put_be(buf, n, t_rng() % 2, 1);
			top++;
			continue;
		}
		top--;
		memset(&r, 0, sizeof(r));
		r.id = t_rng() % 8 ? top : t_rng() % 20;
		r.actual_length = t_rng() % 8 ? (s32)(t_rng() % (len[top] + 1)) :
				  (s32)t_rng();
		r.status = t_rng() % 4 ? 0 : -(s32)(t_rng() % 120);
		r.error_count = t_rng() % 8 ? 0 : t_rng() % 3;
		buf[n++] = 1;
		memcpy(buf + n, &r, sizeof(r));
		n += sizeof(r);
		buf[n++] = 0;
	}
	return n;
}

/* Power on, events, resets, status looks, suspends: a hub driver's day. */
static size_t semi_valid_rh(u8 *buf, size_t room)
{
	static const u16 feats[] = {
		USB_PORT_FEAT_POWER, USB_PORT_FEAT_RESET, USB_PORT_FEAT_SUSPEND,
		USB_PORT_FEAT_ENABLE, USB_PORT_FEAT_C_CONNECTION,
		USB_PORT_FEAT_C_RESET, USB_PORT_FEAT_C_SUSPEND,
	};
	unsigned int ports = 1 + t_rng() % 8;
	size_t n = 0;

	buf[n++] = 1;
	buf[n++] = ports - 1;
	buf[n++] = 1;
	while (n + 6 < room && t_rng() % 128) {
		switch (t_rng() % 4) {
		case 0:
			buf[n++] = (t_rng() % 16) << 4 | 1;
			buf[n++] = 1 + t_rng() % (ports + 1);
			buf[n++] = t_rng() % 8 ? t_rng() % 4 : t_rng();
			break;
		default:
			buf[n++] = (t_rng() % 16) << 4;
			/* reqs[]: 1 clear, 4 get status, 6 set. */
			buf[n++] = t_rng() % 3 ? 4 + 2 * (t_rng() % 2) :
				   t_rng() % 2 ? 1 : t_rng() % 7;
			buf[n++] = feats[t_rng() % ARRAY_SIZE(feats)];
			buf[n++] = 1 + t_rng() % ports;
			buf[n++] = 4 + t_rng() % 40;
			break;
		}
	}
	return n;
}

static size_t semi_valid_iso(u8 *buf, size_t room)
{
	struct xenpv_usb_iso_desc d;
	size_t n = 0;
	u16 length;

	buf[n++] = 3;
	while (n + sizeof(d) + 2 < room && t_rng() % 32) {
		length = t_rng() % 1024;
		d = (struct xenpv_usb_iso_desc){
			.length = length,
			.actual_length = t_rng() % 4 ? t_rng() % (length + 2) : t_rng(),
			.status = t_rng() % 4 ? 0 : t_rng() % 2 ? -EXDEV : (s32)t_rng(),
		};
		memcpy(buf + n, &d, sizeof(d));
		n += sizeof(d);
		n = replay_put_be(buf, n, length, 2);
	}
	return n;
}

static size_t replay_input(u8 *buf, size_t room, unsigned int i)
{
	switch (i % 8) {
	case 0:
	case 1:
		return semi_valid_responses(buf, room);
	case 2:
	case 3:
		return semi_valid_rh(buf, room);
	case 4:
		return semi_valid_iso(buf, room);
	case 5:
		buf[0] = 2 + 2 * (t_rng() % 2);
		return 1 + random_input(buf + 1, room - 1);
	}
	return random_input(buf, room);
}
