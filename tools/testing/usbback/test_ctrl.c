// SPDX-License-Identifier: GPL-2.0
/*
 * The controller: the toolstack's keys, ports, speeds, the address table
 * and the port events of the conn ring, checked against a model of what
 * the frontend knows.
 */
#include "../../../drivers/usb/xen-usbback/usbback-proto.c"
#include "../common/test.h"
#include "usbback-test.h"

static const char *or_none(const char *s)
{
	return s ?: "(none)";
}

static void parse_keys(void)
{
	static const struct {
		const char *ports, *ver;
		int ret;
		unsigned int nr, v;
	} cases[] = {
		{ "8", "2", 0, 8, 2 },
		{ "1", "1", 0, 1, 1 },
		{ "31", "2", 0, 31, 2 },
		{ "32", "2", -EINVAL, 0, 0 },
		{ "0", "2", -EINVAL, 0, 0 },
		{ "8", "3", -EINVAL, 0, 0 },
		{ "8", "0", -EINVAL, 0, 0 },
		{ NULL, "2", -EINVAL, 0, 0 },
		{ "8", NULL, -EINVAL, 0, 0 },
		{ "8 ", "2", -EINVAL, 0, 0 },
		{ "-1", "2", -EINVAL, 0, 0 },
		{ "4294967304", "2", -ERANGE, 0, 0 },
	};
	unsigned int i, nr, v;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("num-ports \"%s\" usb-ver \"%s\"", or_none(cases[i].ports),
		       or_none(cases[i].ver));
		nr = 99;
		v = 99;
		CHECK_EQ(xenpv_usb_parse_ctrl(cases[i].ports, cases[i].ver,
					      &nr, &v), cases[i].ret);
		if (cases[i].ret) {
			CHECK_EQ(nr, 99);
			CHECK_EQ(v, 99);
		} else {
			CHECK_EQ(nr, cases[i].nr);
			CHECK_EQ(v, cases[i].v);
		}
	}
	T_CASE_END();
	CHECK_EQ(usbback_ctrl_init(&ctl, 0, 2), -EINVAL);
	CHECK_EQ(usbback_ctrl_init(&ctl, 32, 2), -EINVAL);
	CHECK_EQ(usbback_ctrl_init(&ctl, 31, 3), -EINVAL);
	CHECK_EQ(usbback_ctrl_init(&ctl, 31, 1), 0);
}

static void speeds(void)
{
	CHECK_EQ(usbback_ctrl_init(&ctl, 4, XENUSB_VER_USB20), 0);
	CHECK_EQ(usbback_speed(&ctl, USB_SPEED_LOW), XENUSB_SPEED_LOW);
	CHECK_EQ(usbback_speed(&ctl, USB_SPEED_FULL), XENUSB_SPEED_FULL);
	CHECK_EQ(usbback_speed(&ctl, USB_SPEED_HIGH), XENUSB_SPEED_HIGH);
	CHECK_EQ(usbback_speed(&ctl, USB_SPEED_SUPER), -EOPNOTSUPP);
	CHECK_EQ(usbback_speed(&ctl, USB_SPEED_UNKNOWN), -EOPNOTSUPP);
	/* USB 1.1: no high speed device. */
	CHECK_EQ(usbback_ctrl_init(&ctl, 4, XENUSB_VER_USB11), 0);
	CHECK_EQ(usbback_speed(&ctl, USB_SPEED_HIGH), -EOPNOTSUPP);
	CHECK_EQ(usbback_speed(&ctl, USB_SPEED_FULL), XENUSB_SPEED_FULL);
}

static void attach_detach(void)
{
	CHECK_EQ(usbback_ctrl_init(&ctl, 4, XENUSB_VER_USB20), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 4, XENUSB_SPEED_LOW), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 4, XENUSB_SPEED_LOW), -EBUSY);
	CHECK_EQ(usbback_port_detach(&ctl, 4), 0);
	CHECK_EQ(usbback_port_detach(&ctl, 4), -ENODEV);
	/* The caller's bugs: a port or speed it should never pass. */
	CHECK_WARNS(1, CHECK_EQ(usbback_port_attach(&ctl, 5, 1), -EINVAL));
	CHECK_WARNS(1, CHECK_EQ(usbback_port_attach(&ctl, 0, 1), -EINVAL));
	CHECK_WARNS(1, CHECK_EQ(usbback_port_attach(&ctl, 1, 0), -EINVAL));
	CHECK_WARNS(1, CHECK_EQ(usbback_port_attach(&ctl, 1, 4), -EINVAL));
	CHECK_WARNS(1, CHECK_EQ(usbback_port_detach(&ctl, 5), -EINVAL));
}

static void addresses(void)
{
	ctl_setup();
	CHECK_EQ(ctl.addr_port[5], 1);
	CHECK_EQ(usbback_set_address(&ctl, 2, 5), -EINVAL);
	CHECK_EQ(usbback_set_address(&ctl, 2, 128), -EINVAL);
	CHECK_EQ(usbback_set_address(&ctl, 3, 9), -ENODEV);
	CHECK_EQ(usbback_set_address(&ctl, 0, 9), -ENODEV);
	CHECK_EQ(usbback_set_address(&ctl, 5, 9), -ENODEV);
	CHECK_EQ(usbback_set_address(&ctl, 2, 127), 0);
	CHECK_EQ(ctl.addr_port[127], 2);
	/* A new address frees the old one. */
	CHECK_EQ(usbback_set_address(&ctl, 1, 6), 0);
	CHECK_EQ(ctl.addr_port[5], 0);
	CHECK_EQ(ctl.addr_port[6], 1);
	CHECK_EQ(usbback_set_address(&ctl, 2, 5), 0);
	CHECK_EQ(ctl.addr_port[127], 0);
	/* Address 0: none. */
	CHECK_EQ(usbback_set_address(&ctl, 1, 0), 0);
	CHECK_EQ(ctl.addr_port[6], 0);
	CHECK_EQ(ctl.port[1].addr, 0);
	/* A detach frees the address; a new device starts without one. */
	CHECK_EQ(usbback_set_address(&ctl, 1, 6), 0);
	CHECK_EQ(usbback_port_detach(&ctl, 1), 0);
	CHECK_EQ(ctl.addr_port[6], 0);
	CHECK_EQ(usbback_port_attach(&ctl, 1, XENUSB_SPEED_HIGH), 0);
	CHECK_EQ(ctl.port[1].addr, 0);
	CHECK_EQ(usbback_set_address(&ctl, 2, 6), 0);
}

/* The frontend as the conn ring tells it: each port's speed. */
static u8 seen[USBBACK_MAX_PORTS + 1];
static unsigned int nr_events;

/*
 * Send every pending event to the model; a connect over a connect or a
 * disconnect of nothing is what a frontend cannot follow.
 */
static void drain(void)
{
	struct usbback_conn_event ev;
	unsigned int guard = 0;

	while (usbback_conn_next(&ctl, &ev)) {
		CHECK(ev.port >= 1 && ev.port <= ctl.nr_ports);
		CHECK(ev.speed <= XENUSB_SPEED_HIGH);
		if (ev.speed == XENUSB_SPEED_NONE)
			CHECK(seen[ev.port] != XENUSB_SPEED_NONE);
		else
			CHECK_EQ(seen[ev.port], XENUSB_SPEED_NONE);
		seen[ev.port] = ev.speed;
		nr_events++;
		if (++guard > 2 * USBBACK_MAX_PORTS)
			break;
	}
	CHECK(guard <= 2 * USBBACK_MAX_PORTS);
	CHECK(!usbback_conn_pending(&ctl));
}

static void model_reset(void)
{
	memset(seen, 0, sizeof(seen));
	nr_events = 0;
}

static void conn_events(void)
{
	struct usbback_conn_event ev;

	model_reset();
	CHECK_EQ(usbback_ctrl_init(&ctl, 4, XENUSB_VER_USB20), 0);
	CHECK(!usbback_conn_next(&ctl, &ev));
	CHECK_EQ(usbback_port_attach(&ctl, 2, XENUSB_SPEED_HIGH), 0);
	CHECK(usbback_conn_pending(&ctl));
	CHECK(usbback_conn_next(&ctl, &ev));
	CHECK_EQ(ev.port, 2);
	CHECK_EQ(ev.speed, XENUSB_SPEED_HIGH);
	CHECK(!usbback_conn_next(&ctl, &ev));
	seen[2] = XENUSB_SPEED_HIGH;

	/* Replaced by another device of the same speed: out, then in. */
	CHECK_EQ(usbback_port_detach(&ctl, 2), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 2, XENUSB_SPEED_HIGH), 0);
	CHECK(usbback_conn_next(&ctl, &ev));
	CHECK_EQ(ev.speed, XENUSB_SPEED_NONE);
	CHECK(usbback_conn_next(&ctl, &ev));
	CHECK_EQ(ev.speed, XENUSB_SPEED_HIGH);
	CHECK(!usbback_conn_next(&ctl, &ev));

	/* In and out before the frontend heard of it: nothing. */
	CHECK_EQ(usbback_port_attach(&ctl, 3, XENUSB_SPEED_LOW), 0);
	CHECK_EQ(usbback_port_detach(&ctl, 3), 0);
	CHECK(!usbback_conn_next(&ctl, &ev));

	/* Out and in at another speed. */
	CHECK_EQ(usbback_port_detach(&ctl, 2), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 2, XENUSB_SPEED_FULL), 0);
	drain();
	CHECK_EQ(nr_events, 2);
	CHECK_EQ(seen[2], XENUSB_SPEED_FULL);
}

/* libxl attaches before the frontend exists; each new frontend hears all. */
static void replay(void)
{
	model_reset();
	CHECK_EQ(usbback_ctrl_init(&ctl, 8, XENUSB_VER_USB20), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 1, XENUSB_SPEED_HIGH), 0);
	CHECK_EQ(usbback_port_attach(&ctl, 8, XENUSB_SPEED_LOW), 0);
	usbback_conn_replay(&ctl);
	drain();
	CHECK_EQ(nr_events, 2);
	CHECK_EQ(seen[1], XENUSB_SPEED_HIGH);
	CHECK_EQ(seen[8], XENUSB_SPEED_LOW);
	/* The frontend goes; a new one knows nothing. */
	model_reset();
	CHECK_EQ(usbback_port_detach(&ctl, 1), 0);
	usbback_conn_replay(&ctl);
	drain();
	CHECK_EQ(nr_events, 1);
	CHECK_EQ(seen[8], XENUSB_SPEED_LOW);
	CHECK_EQ(seen[1], XENUSB_SPEED_NONE);
}

/* Random attaches, detaches and drains against the model. */
static void random_sequences(void)
{
	u32 gen[USBBACK_MAX_PORTS + 1], seen_gen[USBBACK_MAX_PORTS + 1];
	struct usbback_conn_event ev;
	unsigned int round, step, port, n;

	for (round = 0; round < 300; round++) {
		model_reset();
		memset(gen, 0, sizeof(gen));
		memset(seen_gen, 0, sizeof(seen_gen));
		n = 1 + t_rng() % USBBACK_MAX_PORTS;
		CHECK_EQ(usbback_ctrl_init(&ctl, n, XENUSB_VER_USB20), 0);
		for (step = 0; step < 200; step++) {
			port = 1 + t_rng() % n;
			switch (t_rng() % 4) {
			case 0:
				if (!usbback_port_attach(&ctl, port,
							 1 + t_rng() % 3))
					gen[port]++;
				break;
			case 1:
				usbback_port_detach(&ctl, port);
				break;
			case 2:
				/* Deliver one event now and then. */
				if (usbback_conn_next(&ctl, &ev)) {
					CHECK_EQ(ev.speed == XENUSB_SPEED_NONE,
						 seen[ev.port] != XENUSB_SPEED_NONE);
					seen[ev.port] = ev.speed;
					seen_gen[ev.port] = gen[ev.port];
				}
				break;
			default:
				if (t_rng() % 8 == 0) {
					usbback_conn_replay(&ctl);
					memset(seen, 0, sizeof(seen));
				}
				break;
			}
		}
		while (usbback_conn_next(&ctl, &ev)) {
			CHECK_EQ(ev.speed == XENUSB_SPEED_NONE,
				 seen[ev.port] != XENUSB_SPEED_NONE);
			seen[ev.port] = ev.speed;
			seen_gen[ev.port] = gen[ev.port];
		}
		/* The frontend's view is the state, device for device. */
		for (port = 1; port <= n; port++) {
			T_CASE("round %u port %u", round, port);
			CHECK_EQ(seen[port], ctl.port[port].speed);
			if (seen[port])
				CHECK_EQ(seen_gen[port], gen[port]);
		}
	}
	T_CASE_END();
}

int main(void)
{
	RUN(parse_keys);
	RUN(speeds);
	RUN(attach_detach);
	RUN(addresses);
	RUN(conn_events);
	RUN(replay);
	RUN(random_sequences);
	return t_done();
}
