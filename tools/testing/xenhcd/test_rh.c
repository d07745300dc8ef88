// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual root hub: port events from the backend, checked; a port's
 * life as Linux's hub driver walks it (power, connect, reset, enable,
 * suspend, resume, disconnect, a device swapped behind its back); the hub
 * descriptor and the change bitmap; requests it must stall.
 */
#include "../../../drivers/usb/host/xen-hcd/xenhcd-proto.c"
#include "../common/test.h"

/* The values <linux/usb/hcd.h> gives the hub class requests. */
static_assert(XENHCD_CLEAR_HUB_FEATURE == 0x2001);
static_assert(XENHCD_CLEAR_PORT_FEATURE == 0x2301);
static_assert(XENHCD_GET_HUB_DESCRIPTOR == 0xa006);
static_assert(XENHCD_GET_HUB_STATUS == 0xa000);
static_assert(XENHCD_GET_PORT_STATUS == 0xa300);
static_assert(XENHCD_SET_HUB_FEATURE == 0x2003);
static_assert(XENHCD_SET_PORT_FEATURE == 0x2303);

static struct xenhcd_rh rh;

#define PS(bits)	((u32)(bits))
#define PC(bits)	((u32)(bits) << 16)

/* GetPortStatus at time @now: wPortChange << 16 | wPortStatus. */
static u32 port_status(unsigned int port, u64 now)
{
	u8 buf[4];

	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_PORT_STATUS, 0, port, buf,
				   sizeof(buf), now), 0);
	return buf[0] | buf[1] << 8 | buf[2] << 16 | (u32)buf[3] << 24;
}

static int set_feature(unsigned int port, u16 feature, u64 now)
{
	return xenhcd_rh_control(&rh, XENHCD_SET_PORT_FEATURE, feature, port,
				 NULL, 0, now);
}

static int clear_feature(unsigned int port, u16 feature, u64 now)
{
	return xenhcd_rh_control(&rh, XENHCD_CLEAR_PORT_FEATURE, feature, port,
				 NULL, 0, now);
}

static struct xenusb_conn_response ev(u8 port, u8 speed)
{
	return (struct xenusb_conn_response){ .id = 1, .portnum = port,
					      .speed = speed };
}

static void init_and_events(void)
{
	static const struct {
		u8 port, speed;
		unsigned int ver;
		enum xenhcd_verdict want;
	} cases[] = {
		{ 1, XENUSB_SPEED_HIGH, 2, XENHCD_RSP_OK },
		{ 8, XENUSB_SPEED_NONE, 2, XENHCD_RSP_OK },
		{ 8, XENUSB_SPEED_LOW, 1, XENHCD_RSP_OK },
		{ 0, XENUSB_SPEED_HIGH, 2, XENHCD_RSP_PORT },
		{ 9, XENUSB_SPEED_HIGH, 2, XENHCD_RSP_PORT },
		{ 255, XENUSB_SPEED_HIGH, 2, XENHCD_RSP_PORT },
		{ 1, 4, 2, XENHCD_RSP_SPEED },
		{ 1, 255, 2, XENHCD_RSP_SPEED },
		/* A USB 1.1 controller has no high speed device. */
		{ 1, XENUSB_SPEED_HIGH, 1, XENHCD_RSP_SPEED },
	};
	struct xenusb_conn_response r;
	unsigned int i;

	CHECK_EQ(xenhcd_rh_init(&rh, 0, 2), -EINVAL);
	CHECK_EQ(xenhcd_rh_init(&rh, 32, 2), -EINVAL);
	CHECK_EQ(xenhcd_rh_init(&rh, 8, 3), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("row %u: port %u speed %u usb-ver %u", i, cases[i].port,
		       cases[i].speed, cases[i].ver);
		CHECK_EQ(xenhcd_rh_init(&rh, 8, cases[i].ver), 0);
		r = ev(cases[i].port, cases[i].speed);
		CHECK_EQ(xenhcd_check_conn(&rh, &r), cases[i].want);
	}
	T_CASE_END();
	CHECK(strstr(xenhcd_verdict_str(XENHCD_RSP_SPEED), "speed"));
	/* Unchecked events are the caller's bug. */
	CHECK_WARNS(1, CHECK(!xenhcd_rh_event(&rh, 9, XENUSB_SPEED_LOW)));
	CHECK_WARNS(1, CHECK(!xenhcd_rh_event(&rh, 1, 4)));
}

/* Power, connect and reset, as hub_port_init() goes. */
static void enumerate(void)
{
	u8 map[4];

	CHECK_EQ(xenhcd_rh_init(&rh, 8, XENUSB_VER_USB20), 0);
	/* libxl attached before the guest: the event comes before power. */
	CHECK(!xenhcd_rh_event(&rh, 3, XENUSB_SPEED_HIGH));
	CHECK_EQ(port_status(3, 0), 0);
	CHECK_EQ(xenhcd_rh_changes(&rh, map), 0);
	CHECK_EQ(set_feature(3, USB_PORT_FEAT_POWER, 0), 0);
	CHECK_EQ(port_status(3, 0), PS(USB_PORT_STAT_POWER |
				      USB_PORT_STAT_CONNECTION |
				      USB_PORT_STAT_HIGH_SPEED) |
		 PC(USB_PORT_STAT_C_CONNECTION));
	CHECK_EQ(xenhcd_rh_changes(&rh, map), 2);
	CHECK_EQ(map[0], BIT(3));
	CHECK_EQ(map[1], 0);
	CHECK_EQ(clear_feature(3, USB_PORT_FEAT_C_CONNECTION, 0), 0);
	CHECK_EQ(xenhcd_rh_changes(&rh, map), 0);

	CHECK_EQ(set_feature(3, USB_PORT_FEAT_RESET, 100), 0);
	CHECK_EQ(port_status(3, 109), PS(USB_PORT_STAT_POWER |
					USB_PORT_STAT_CONNECTION |
					USB_PORT_STAT_RESET));
	CHECK_EQ(port_status(3, 110), PS(USB_PORT_STAT_POWER |
					USB_PORT_STAT_CONNECTION |
					USB_PORT_STAT_ENABLE |
					USB_PORT_STAT_HIGH_SPEED) |
		 PC(USB_PORT_STAT_C_RESET));
	CHECK_EQ(clear_feature(3, USB_PORT_FEAT_C_RESET, 110), 0);
	CHECK_EQ(port_status(3, 200) >> 16, 0);
	/* Powering a powered port changes nothing. */
	CHECK_EQ(set_feature(3, USB_PORT_FEAT_POWER, 300), 0);
	CHECK(port_status(3, 300) & USB_PORT_STAT_ENABLE);
	/* A second reset: disabled while it lasts, enabled again after. */
	CHECK_EQ(set_feature(3, USB_PORT_FEAT_RESET, 400), 0);
	CHECK_EQ(port_status(3, 405), PS(USB_PORT_STAT_POWER |
					USB_PORT_STAT_CONNECTION |
					USB_PORT_STAT_RESET));
	CHECK(port_status(3, 410) & USB_PORT_STAT_ENABLE);
}

static void power_all(unsigned int speed_port1)
{
	unsigned int port;

	CHECK_EQ(xenhcd_rh_init(&rh, 4, XENUSB_VER_USB20), 0);
	for (port = 1; port <= 4; port++)
		CHECK_EQ(set_feature(port, USB_PORT_FEAT_POWER, 0), 0);
	if (speed_port1) {
		CHECK(xenhcd_rh_event(&rh, 1, speed_port1));
		CHECK_EQ(clear_feature(1, USB_PORT_FEAT_C_CONNECTION, 0), 0);
		CHECK_EQ(set_feature(1, USB_PORT_FEAT_RESET, 0), 0);
		port_status(1, 10);
		CHECK_EQ(clear_feature(1, USB_PORT_FEAT_C_RESET, 10), 0);
	}
}

static void disconnect(void)
{
	power_all(XENUSB_SPEED_LOW);
	CHECK_EQ(port_status(1, 20), PS(USB_PORT_STAT_POWER |
				       USB_PORT_STAT_CONNECTION |
				       USB_PORT_STAT_ENABLE |
				       USB_PORT_STAT_LOW_SPEED));
	CHECK(xenhcd_rh_event(&rh, 1, XENUSB_SPEED_NONE));
	CHECK_EQ(port_status(1, 20), PS(USB_PORT_STAT_POWER) |
		 PC(USB_PORT_STAT_C_CONNECTION));
	/* A repeat changes nothing. */
	CHECK_EQ(clear_feature(1, USB_PORT_FEAT_C_CONNECTION, 20), 0);
	CHECK(!xenhcd_rh_event(&rh, 1, XENUSB_SPEED_NONE));
	CHECK_EQ(port_status(1, 20), PS(USB_PORT_STAT_POWER));
}

/* Out and in between two looks: connected, but disabled, so re-enumerated. */
static void swapped(void)
{
	power_all(XENUSB_SPEED_HIGH);
	CHECK(xenhcd_rh_event(&rh, 1, XENUSB_SPEED_NONE));
	CHECK(xenhcd_rh_event(&rh, 1, XENUSB_SPEED_FULL));
	CHECK_EQ(port_status(1, 30), PS(USB_PORT_STAT_POWER |
				       USB_PORT_STAT_CONNECTION) |
		 PC(USB_PORT_STAT_C_CONNECTION));
	/* A connect with a new speed over a connected port does the same. */
	power_all(XENUSB_SPEED_HIGH);
	CHECK(xenhcd_rh_event(&rh, 1, XENUSB_SPEED_LOW));
	CHECK_EQ(port_status(1, 30), PS(USB_PORT_STAT_POWER |
				       USB_PORT_STAT_CONNECTION |
				       USB_PORT_STAT_LOW_SPEED) |
		 PC(USB_PORT_STAT_C_CONNECTION));
}

static void reset_then_unplug(void)
{
	power_all(0);
	CHECK(xenhcd_rh_event(&rh, 2, XENUSB_SPEED_HIGH));
	CHECK_EQ(set_feature(2, USB_PORT_FEAT_RESET, 50), 0);
	CHECK(xenhcd_rh_event(&rh, 2, XENUSB_SPEED_NONE));
	/* The reset ends with the device gone: not enabled, no reset change. */
	CHECK_EQ(port_status(2, 100), PS(USB_PORT_STAT_POWER) |
		 PC(USB_PORT_STAT_C_CONNECTION));
	/* A reset of an empty port ends, enabling nothing. */
	CHECK_EQ(set_feature(2, USB_PORT_FEAT_RESET, 100), 0);
	CHECK_EQ(port_status(2, 110), PS(USB_PORT_STAT_POWER) |
		 PC(USB_PORT_STAT_C_CONNECTION | USB_PORT_STAT_C_RESET));
	/* An unpowered port does not reset. */
	CHECK_EQ(clear_feature(2, USB_PORT_FEAT_POWER, 110), 0);
	CHECK_EQ(set_feature(2, USB_PORT_FEAT_RESET, 110), 0);
	CHECK_EQ(port_status(2, 200), 0);
}

static void suspend_resume(void)
{
	power_all(XENUSB_SPEED_FULL);
	/* A disabled port does not suspend. */
	CHECK_EQ(set_feature(2, USB_PORT_FEAT_SUSPEND, 0), 0);
	CHECK(!(port_status(2, 0) & USB_PORT_STAT_SUSPEND));
	CHECK_EQ(set_feature(1, USB_PORT_FEAT_SUSPEND, 0), 0);
	CHECK(port_status(1, 0) & USB_PORT_STAT_SUSPEND);
	CHECK_EQ(clear_feature(1, USB_PORT_FEAT_SUSPEND, 1000), 0);
	/* A second resume request does not push the end back. */
	CHECK_EQ(clear_feature(1, USB_PORT_FEAT_SUSPEND, 1010), 0);
	CHECK(port_status(1, 1019) & USB_PORT_STAT_SUSPEND);
	CHECK_EQ(port_status(1, 1020), PS(USB_PORT_STAT_POWER |
					 USB_PORT_STAT_CONNECTION |
					 USB_PORT_STAT_ENABLE) |
		 PC(USB_PORT_STAT_C_SUSPEND));
	/* Disabling a suspended port ends the suspend at once. */
	CHECK_EQ(set_feature(1, USB_PORT_FEAT_SUSPEND, 2000), 0);
	CHECK_EQ(clear_feature(1, USB_PORT_FEAT_ENABLE, 2000), 0);
	CHECK_EQ(port_status(1, 2000) & 0xffff, PS(USB_PORT_STAT_POWER |
						   USB_PORT_STAT_CONNECTION));
}

static void stalls(void)
{
	u8 buf[4] = { 1, 2, 3, 4 };

	CHECK_EQ(xenhcd_rh_init(&rh, 4, XENUSB_VER_USB20), 0);
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_PORT_STATUS, 0, 0, buf, 4,
				   0), -EPIPE);
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_PORT_STATUS, 0, 5, buf, 4,
				   0), -EPIPE);
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_PORT_STATUS, 0, 1, buf, 3,
				   0), -EPIPE);
	CHECK_EQ(set_feature(0, USB_PORT_FEAT_POWER, 0), -EPIPE);
	CHECK_EQ(clear_feature(5, USB_PORT_FEAT_POWER, 0), -EPIPE);
	CHECK_EQ(set_feature(1, USB_PORT_FEAT_TEST, 0), -EPIPE);
	CHECK_EQ(set_feature(1, 200, 0), -EPIPE);
	CHECK_EQ(clear_feature(1, USB_PORT_FEAT_RESET, 0), -EPIPE);
	CHECK_EQ(set_feature(1, USB_PORT_FEAT_INDICATOR, 0), 0);
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_SET_HUB_FEATURE, 0, 0, buf, 4,
				   0), -EPIPE);
	CHECK_EQ(xenhcd_rh_control(&rh, 0x1234, 0, 0, buf, 4, 0), -EPIPE);
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_CLEAR_HUB_FEATURE, 1, 0, NULL,
				   0, 0), 0);
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_HUB_STATUS, 0, 0, buf, 4,
				   0), 0);
	CHECK(!memcmp(buf, "\0\0\0\0", 4));
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_HUB_STATUS, 0, 0, buf, 2,
				   0), -EPIPE);
}

static void descriptor(void)
{
	static const u8 want8[] = { 11, USB_DT_HUB, 8, 0x0a, 0, 10, 0,
				    0, 0, 0xff, 0xff };
	static const u8 want31[] = { 15, USB_DT_HUB, 31, 0x0a, 0, 10, 0,
				     0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff };
	u8 buf[32];

	CHECK_EQ(xenhcd_rh_init(&rh, 8, XENUSB_VER_USB20), 0);
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_HUB_DESCRIPTOR, 0x2900, 0,
				   buf, sizeof(buf), 0), 0);
	CHECK(!memcmp(buf, want8, sizeof(want8)));
	CHECK_EQ(buf[sizeof(want8)], 0xee);
	CHECK_EQ(xenhcd_rh_init(&rh, 31, XENUSB_VER_USB20), 0);
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_HUB_DESCRIPTOR, 0x2900, 0,
				   buf, sizeof(buf), 0), 0);
	CHECK(!memcmp(buf, want31, sizeof(want31)));
	/* Less room, less written. */
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(xenhcd_rh_control(&rh, XENHCD_GET_HUB_DESCRIPTOR, 0x2900, 0,
				   buf, 7, 0), 0);
	CHECK(!memcmp(buf, want31, 7));
	CHECK_EQ(buf[7], 0xee);
}

static void change_map(void)
{
	u8 map[4];
	unsigned int port;

	CHECK_EQ(xenhcd_rh_init(&rh, 31, XENUSB_VER_USB20), 0);
	for (port = 1; port <= 31; port++)
		CHECK_EQ(set_feature(port, USB_PORT_FEAT_POWER, 0), 0);
	CHECK(xenhcd_rh_event(&rh, 7, XENUSB_SPEED_FULL));
	CHECK(xenhcd_rh_event(&rh, 8, XENUSB_SPEED_FULL));
	CHECK(xenhcd_rh_event(&rh, 31, XENUSB_SPEED_LOW));
	CHECK_EQ(xenhcd_rh_changes(&rh, map), 4);
	CHECK_EQ(map[0], 0x80);
	CHECK_EQ(map[1], 0x01);
	CHECK_EQ(map[2], 0);
	CHECK_EQ(map[3], 0x80);
}

int main(void)
{
	RUN(init_and_events);
	RUN(enumerate);
	RUN(disconnect);
	RUN(swapped);
	RUN(reset_then_unplug);
	RUN(suspend_resume);
	RUN(stalls);
	RUN(descriptor);
	RUN(change_map);
	return t_done();
}
