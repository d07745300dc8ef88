// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the frontend's xenstore keys: numbers, the connection keys,
 * per-queue key names and the per-queue transport keys.
 */
#include "../../../drivers/block/xen-blkback/blkback-proto.c"
#include "../common/test.h"

static const struct blkback_offers lim = {
	.max_rings = 4, .max_ring_order = 4, .persistent = true,
};

static struct blkback_conn c;
static enum blkback_xs_key bad;

static int conn(const struct xenpv_xs_vals *xs,
		const struct blkback_offers *l)
{
	bad = 77;
	return blkback_parse_connect(xs, l, &c, &bad);
}

/*
 * Every field of the connection parsed against the one given by
 * designated initializers (fields not named are 0).  A macro, so that a
 * failure names the caller's line.
 */
#define CHECK_CONN(...) do {						\
	const struct blkback_conn __w = { __VA_ARGS__ };		\
	CHECK_EQ(c.abi, __w.abi);					\
	CHECK_EQ(c.nr_rings, __w.nr_rings);				\
	CHECK_EQ(c.ring_order, __w.ring_order);				\
	CHECK_EQ(c.nr_ring_pages, __w.nr_ring_pages);			\
	CHECK_EQ(c.ring_size, __w.ring_size);				\
	CHECK_EQ(c.persistent, __w.persistent);				\
} while (0)

/* A value of one key: parsed (@err 0), or rejected with @err. */
struct key_case {
	const char *str;
	int err;
};

/*
 * @key set to each value in turn, all other keys absent.  A rejected
 * key must be the one blamed, and nothing connected.
 */
static void check_key(enum blkback_xs_key key, const struct key_case *kc,
		      unsigned int n)
{
	struct xenpv_xs_vals xs = { { NULL } };
	unsigned int i;

	for (i = 0; i < n; i++, kc++) {
		T_CASE("%s = \"%s\"", blkback_xs_names[key], kc->str);
		xs.val[key] = kc->str;
		CHECK_EQ(conn(&xs, &lim), kc->err);
		if (!kc->err)
			continue;
		CHECK_EQ(bad, key);
		CHECK_EQ(c.nr_rings, 0);
	}
	T_CASE_END();
}

static void numbers(void)
{
	u64 v = 5;
	u32 w = 5;

	CHECK_EQ(xenpv_parse_u64("0", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(xenpv_parse_u64("007", &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(xenpv_parse_u64("18446744073709551615", &v), 0);
	CHECK(v == U64_MAX);
	CHECK_EQ(xenpv_parse_u64("18446744073709551616", &v), -ERANGE);
	CHECK_EQ(xenpv_parse_u64("99999999999999999999", &v), -ERANGE);
	CHECK(v == U64_MAX);
	CHECK_EQ(xenpv_parse_u64(NULL, &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64("", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64("-1", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64("+1", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64(" 1", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64("1 ", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64("1\n", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64("0x10", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u64("12abc", &v), -EINVAL);
	CHECK_EQ(xenpv_parse_u32("4294967295", &w), 0);
	CHECK_EQ(w, U32_MAX);
	CHECK_EQ(xenpv_parse_u32("4294967296", &w), -ERANGE);
	CHECK_EQ(xenpv_parse_u32("1.5", &w), -EINVAL);
	CHECK_EQ(w, U32_MAX);
}

static void defaults(void)
{
	struct xenpv_xs_vals xs = { { NULL } };

	CHECK_EQ(conn(&xs, &lim), 0);
	CHECK_CONN(.abi = BLKBACK_ABI_NATIVE, .nr_rings = 1, .ring_order = 0,
		   .nr_ring_pages = 1, .ring_size = 32, .persistent = false);
}

/* What Linux's blkfront writes with 4 queues and 4-page rings. */
static void typical_frontend(void)
{
	struct xenpv_xs_vals xs = { { NULL } };
	struct blkback_offers no_pers = lim;

	xs.val[BLKBACK_XS_PROTOCOL] = "x86_64-abi";
	xs.val[BLKBACK_XS_NUM_QUEUES] = "4";
	xs.val[BLKBACK_XS_RING_ORDER] = "2";
	xs.val[BLKBACK_XS_PERSISTENT] = "1";
	CHECK_EQ(conn(&xs, &lim), 0);
	CHECK_CONN(.abi = BLKBACK_ABI_X86_64, .nr_rings = 4, .ring_order = 2,
		   .nr_ring_pages = 4, .ring_size = 128, .persistent = true);
	no_pers.persistent = false;
	CHECK_EQ(conn(&xs, &no_pers), 0);
	CHECK(!c.persistent);
	xs.val[BLKBACK_XS_PROTOCOL] = "x86_32-abi";
	xs.val[BLKBACK_XS_RING_ORDER] = "4";
	CHECK_EQ(conn(&xs, &lim), 0);
	CHECK_CONN(.abi = BLKBACK_ABI_X86_32, .nr_rings = 4, .ring_order = 4,
		   .nr_ring_pages = 16, .ring_size = 512, .persistent = true);
}

static void queues(void)
{
	static const struct key_case cases[] = {
		{ "1", 0 }, { "4", 0 }, { "5", -ERANGE }, { "0", -ERANGE },
		{ "-1", -EINVAL }, { "4294967297", -ERANGE }, { "2 ", -EINVAL },
		{ "", -EINVAL },
	};

	check_key(BLKBACK_XS_NUM_QUEUES, cases, ARRAY_SIZE(cases));
}

static void ring_orders(void)
{
	struct xenpv_xs_vals xs = { { NULL } };
	struct blkback_offers small = lim, big = lim;
	static const struct key_case cases[] = {
		{ "0", 0 }, { "4", 0 }, { "5", -ERANGE }, { "1x", -EINVAL },
		{ "18446744073709551616", -ERANGE },
	};

	check_key(BLKBACK_XS_RING_ORDER, cases, ARRAY_SIZE(cases));
	small.max_ring_order = 2;
	xs.val[BLKBACK_XS_RING_ORDER] = "2";
	CHECK_EQ(conn(&xs, &small), 0);
	xs.val[BLKBACK_XS_RING_ORDER] = "3";
	CHECK_EQ(conn(&xs, &small), -ERANGE);
	/* A limit above what this backend supports is capped. */
	big.max_ring_order = 9;
	xs.val[BLKBACK_XS_RING_ORDER] = "4";
	CHECK_EQ(conn(&xs, &big), 0);
	xs.val[BLKBACK_XS_RING_ORDER] = "5";
	CHECK_EQ(conn(&xs, &big), -ERANGE);
}

static void ring_pages(void)
{
	struct xenpv_xs_vals xs = { { NULL } };
	static const struct key_case cases[] = {
		{ "16", 0 }, { "1", 0 }, { "3", -EINVAL }, { "0", -ERANGE },
		{ "32", -ERANGE },
	};

	xs.val[BLKBACK_XS_NUM_RING_PAGES] = "4";
	CHECK_EQ(conn(&xs, &lim), 0);
	CHECK_EQ(c.ring_order, 2);
	CHECK_EQ(c.nr_ring_pages, 4);
	check_key(BLKBACK_XS_NUM_RING_PAGES, cases, ARRAY_SIZE(cases));
	/* Both schemes at once must agree. */
	xs.val[BLKBACK_XS_RING_ORDER] = "2";
	CHECK_EQ(conn(&xs, &lim), 0);
	xs.val[BLKBACK_XS_NUM_RING_PAGES] = "8";
	CHECK_EQ(conn(&xs, &lim), -EINVAL);
	CHECK_EQ(bad, BLKBACK_XS_NUM_RING_PAGES);
}

static void protocol_and_persistent(void)
{
	static const struct key_case protocol[] = {
		{ "x86_32-abi", 0 }, { "arm-abi", -EINVAL }, { "", -EINVAL },
	};
	static const struct key_case persistent[] = {
		{ "0", 0 }, { "1", 0 }, { "2", -EINVAL }, { "yes", -EINVAL },
		{ "1\n", -EINVAL },
	};

	check_key(BLKBACK_XS_PROTOCOL, protocol, ARRAY_SIZE(protocol));
	check_key(BLKBACK_XS_PERSISTENT, persistent, ARRAY_SIZE(persistent));
	CHECK(!strcmp(blkback_xs_names[BLKBACK_XS_PERSISTENT],
		      "feature-persistent"));
	CHECK(!strcmp(blkback_xs_names[BLKBACK_XS_RING_ORDER],
		      "ring-page-order"));
}

static void bad_limits_warn(void)
{
	struct xenpv_xs_vals xs = { { NULL } };
	struct blkback_offers none = lim;

	none.max_rings = 0;
	CHECK_WARNS(1, CHECK_EQ(conn(&xs, &none), -EINVAL));
	CHECK_EQ(bad, BLKBACK_XS_NR);
}

static char path[64];

static int qkey(const struct blkback_conn *cc, unsigned int q,
		enum blkback_rkey k, unsigned int idx)
{
	memset(path, 0, sizeof(path));
	return blkback_xs_rkey(cc, q, k, idx, path, sizeof(path));
}

/* The top-level names are listed by position: each at its key. */
static void top_key_names(void)
{
	static const char *const want[BLKBACK_XS_NR] = {
		[BLKBACK_XS_PROTOCOL]		= "protocol",
		[BLKBACK_XS_NUM_QUEUES]		= "multi-queue-num-queues",
		[BLKBACK_XS_RING_ORDER]		= "ring-page-order",
		[BLKBACK_XS_NUM_RING_PAGES]	= "num-ring-pages",
		[BLKBACK_XS_PERSISTENT]		= "feature-persistent",
	};
	unsigned int k;

	for (k = 0; k < BLKBACK_XS_NR; k++) {
		T_CASE("key %u", k);
		CHECK(want[k] && !strcmp(blkback_xs_names[k], want[k]));
	}
	T_CASE_END();
}

static void key_names(void)
{
	struct blkback_conn one = { .nr_rings = 1, .nr_ring_pages = 1 };
	struct blkback_conn many = { .nr_rings = UINT_MAX };
	char small[8];

	CHECK_EQ(qkey(&one, 0, BLKBACK_RK_EVTCHN, 0), 13);
	CHECK(!strcmp(path, "event-channel"));
	CHECK_EQ(qkey(&one, 0, BLKBACK_RK_RING_REF, 7), 8);
	CHECK(!strcmp(path, "ring-ref"));
	CHECK_EQ(qkey(&one, 0, BLKBACK_RK_RING_REFN, 0), 9);
	CHECK(!strcmp(path, "ring-ref0"));
	CHECK_EQ(qkey(&one, 0, BLKBACK_RK_RING_REFN, 15), 10);
	CHECK(!strcmp(path, "ring-ref15"));
	CHECK_EQ(qkey(&one, 0, BLKBACK_RK_RING_REFN, 16), -EINVAL);
	CHECK_EQ(qkey(&one, 1, BLKBACK_RK_EVTCHN, 0), -EINVAL);
	CHECK_EQ(qkey(&one, 0, 9, 0), -EINVAL);

	CHECK(qkey(&many, 0, BLKBACK_RK_EVTCHN, 0) > 0);
	CHECK(!strcmp(path, "queue-0/event-channel"));
	CHECK(qkey(&many, UINT_MAX - 1, BLKBACK_RK_RING_REFN, 15) < 32);
	CHECK(!strcmp(path, "queue-4294967294/ring-ref15"));
	CHECK_EQ(blkback_xs_rkey(&many, 3, BLKBACK_RK_RING_REF, 0, small,
				 sizeof(small)), -ENAMETOOLONG);
	CHECK_EQ(blkback_xs_rkey(&one, 0, BLKBACK_RK_RING_REF, 0, small,
				 sizeof(small)), -ENAMETOOLONG);
	/* "ring-ref1" and its NUL fit 10 bytes exactly. */
	CHECK_EQ(blkback_xs_rkey(&one, 0, BLKBACK_RK_RING_REFN, 1, path, 10),
		 9);
	CHECK_EQ(blkback_xs_rkey(&one, 0, BLKBACK_RK_RING_REFN, 1, path, 9),
		 -ENAMETOOLONG);
}

static struct blkback_ring_cfg q;
static struct blkback_rbad qbad;

static void one_frame_queue(void)
{
	struct blkback_conn one = { .nr_rings = 1, .nr_ring_pages = 1 };
	struct blkback_ring_xs xs = { .evtchn = "15", .ring_ref = "8" };

	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), 0);
	CHECK_EQ(q.evtchn, 15);
	CHECK_EQ(q.nr_ring_refs, 1);
	CHECK_EQ(q.ring_refs[0], 8);
	/* ring-ref wins over ring-ref0; ring-ref0 alone is taken too. */
	xs.ring_refn[0] = "9";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), 0);
	CHECK_EQ(q.ring_refs[0], 8);
	xs.ring_ref = NULL;
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), 0);
	CHECK_EQ(q.ring_refs[0], 9);
	xs.ring_refn[0] = NULL;
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), -ENOENT);
	CHECK_EQ(qbad.key, BLKBACK_RK_RING_REF);
	CHECK_EQ(q.evtchn, 0);

	xs.ring_ref = "4294967295";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), 0);
	CHECK_EQ(q.ring_refs[0], U32_MAX);
	xs.ring_ref = "4294967296";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), -ERANGE);
	xs.ring_ref = "x";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), -EINVAL);
	xs.ring_ref = "8";

	xs.evtchn = NULL;
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), -ENOENT);
	CHECK_EQ(qbad.key, BLKBACK_RK_EVTCHN);
	xs.evtchn = "0";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), -ERANGE);
	xs.evtchn = "1";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), 0);
	xs.evtchn = "4294967296";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), -ERANGE);
	xs.evtchn = "15 ";
	CHECK_EQ(blkback_parse_ring(&one, &xs, &q, &qbad), -EINVAL);
	CHECK_EQ(qbad.key, BLKBACK_RK_EVTCHN);
}

static void multi_frame_queue(void)
{
	struct blkback_conn four = { .nr_rings = 2, .nr_ring_pages = 4 };
	struct blkback_ring_xs xs = {
		.evtchn = "20", .ring_ref = "1",
		.ring_refn = { "100", "101", "102", "103" },
	};
	struct blkback_conn broken = four;

	CHECK_EQ(blkback_parse_ring(&four, &xs, &q, &qbad), 0);
	CHECK_EQ(q.nr_ring_refs, 4);
	CHECK_EQ(q.ring_refs[0], 100);
	CHECK_EQ(q.ring_refs[3], 103);
	xs.ring_refn[2] = NULL;
	CHECK_EQ(blkback_parse_ring(&four, &xs, &q, &qbad), -ENOENT);
	CHECK_EQ(qbad.key, BLKBACK_RK_RING_REFN);
	CHECK_EQ(qbad.idx, 2);
	CHECK_EQ(q.nr_ring_refs, 0);
	xs.ring_refn[2] = "102";
	xs.ring_refn[1] = "1e3";
	CHECK_EQ(blkback_parse_ring(&four, &xs, &q, &qbad), -EINVAL);
	CHECK_EQ(qbad.idx, 1);
	broken.nr_ring_pages = 0;
	CHECK_WARNS(1, CHECK_EQ(blkback_parse_ring(&broken, &xs, &q, &qbad),
				-EINVAL));
	broken.nr_ring_pages = 17;
	CHECK_WARNS(1, CHECK_EQ(blkback_parse_ring(&broken, &xs, &q, &qbad),
				-EINVAL));
}

/* A fake xenstore directory, as our frontend writes it for 2 queues. */
static const char *const store[][2] = {
	{ "multi-queue-num-queues", "2" }, { "ring-page-order", "1" },
	{ "protocol", "x86_64-abi" }, { "feature-persistent", "1" },
	{ "queue-0/ring-ref0", "300" }, { "queue-0/ring-ref1", "301" },
	{ "queue-0/event-channel", "40" },
	{ "queue-1/ring-ref0", "310" }, { "queue-1/ring-ref1", "311" },
	{ "queue-1/event-channel", "41" },
};

static const char *xs_read(const char *key)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(store); i++)
		if (!strcmp(store[i][0], key))
			return store[i][1];
	return NULL;
}

static void whole_connection(void)
{
	struct xenpv_xs_vals fe = { { NULL } };
	struct blkback_ring_xs qxs;
	char names[XENPV_BLK_MAX_RING_PAGES + 2][32];
	unsigned int k, qi, i;

	for (k = 0; k < BLKBACK_XS_NR; k++)
		fe.val[k] = xs_read(blkback_xs_names[k]);
	CHECK_EQ(conn(&fe, &lim), 0);
	CHECK_EQ(c.nr_rings, 2);
	CHECK_EQ(c.nr_ring_pages, 2);
	for (qi = 0; qi < c.nr_rings; qi++) {
		memset(&qxs, 0, sizeof(qxs));
		CHECK(blkback_xs_rkey(&c, qi, BLKBACK_RK_EVTCHN, 0, names[0],
				      32) > 0);
		qxs.evtchn = xs_read(names[0]);
		CHECK(blkback_xs_rkey(&c, qi, BLKBACK_RK_RING_REF, 0, names[1],
				      32) > 0);
		qxs.ring_ref = xs_read(names[1]);
		for (i = 0; i < c.nr_ring_pages; i++) {
			CHECK(blkback_xs_rkey(&c, qi, BLKBACK_RK_RING_REFN, i,
					      names[i + 2], 32) > 0);
			qxs.ring_refn[i] = xs_read(names[i + 2]);
		}
		CHECK_EQ(blkback_parse_ring(&c, &qxs, &q, &qbad), 0);
		CHECK_EQ(q.evtchn, 40 + qi);
		CHECK_EQ(q.ring_refs[0], 300 + 10 * qi);
		CHECK_EQ(q.ring_refs[1], 301 + 10 * qi);
	}
}

int main(void)
{
	RUN(numbers);
	RUN(defaults);
	RUN(typical_frontend);
	RUN(queues);
	RUN(ring_orders);
	RUN(ring_pages);
	RUN(protocol_and_persistent);
	RUN(bad_limits_warn);
	RUN(top_key_names);
	RUN(key_names);
	RUN(one_frame_queue);
	RUN(multi_frame_queue);
	RUN(whole_connection);
	return t_done();
}
