// SPDX-License-Identifier: GPL-2.0
/*
 * Feature negotiation and xenstore number parsing.
 */
#include "../../../drivers/block/xen-blkfront/blkfront-proto.c"
#include "../common/test.h"

/* What Linux's blkback writes for a 1 GiB disk on a 4-queue backend. */
static struct xenpv_xs_vals typical(void)
{
	struct xenpv_xs_vals be = { { NULL } };

	be.val[BLKFRONT_XS_MAX_QUEUES] = "4";
	be.val[BLKFRONT_XS_MAX_RING_ORDER] = "4";
	be.val[BLKFRONT_XS_MAX_INDIRECT] = "256";
	be.val[BLKFRONT_XS_PERSISTENT] = "1";
	be.val[BLKFRONT_XS_FLUSH] = "1";
	be.val[BLKFRONT_XS_DISCARD] = "1";
	be.val[BLKFRONT_XS_DISCARD_GRAN] = "4096";
	be.val[BLKFRONT_XS_DISCARD_ALIGN] = "0";
	be.val[BLKFRONT_XS_DISCARD_SECURE] = "0";
	be.val[BLKFRONT_XS_SECTOR_SIZE] = "512";
	be.val[BLKFRONT_XS_PHYS_SECTOR_SIZE] = "4096";
	be.val[BLKFRONT_XS_SECTORS] = "2097152";
	be.val[BLKFRONT_XS_INFO] = "0";
	return be;
}

static struct xenpv_xs_vals minimal(void)
{
	struct xenpv_xs_vals be = { { NULL } };

	be.val[BLKFRONT_XS_SECTOR_SIZE] = "512";
	be.val[BLKFRONT_XS_SECTORS] = "8";
	be.val[BLKFRONT_XS_INFO] = "0";
	return be;
}

static const struct blkfront_wants fe_default = {
	.nr_cpus = 8, .max_rings = 0, .max_ring_order = 4,
	.max_indirect_segs = 32, .max_sector_size = 4096, .persistent = true,
};

static struct blkfront_params p;
static enum blkfront_xs_key bad;

static int nego(const struct xenpv_xs_vals *be,
		const struct blkfront_wants *fe)
{
	bad = BLKFRONT_XS_NR;
	return blkfront_negotiate(be, fe, &p, &bad);
}

/* Negotiation with @key set to @str must fail with @err, blaming @key. */
#define CHECK_REJECT(key, str, err) do {				\
	enum blkfront_xs_key __k = (key);				\
	struct xenpv_xs_vals __be = typical();			\
	__be.val[__k] = (str);						\
	CHECK_EQ(nego(&__be, &fe_default), (err));			\
	CHECK_EQ(bad, __k);						\
	CHECK_EQ(p.sector_size, 0);					\
} while (0)

static void typical_backend(void)
{
	struct xenpv_xs_vals be = typical();

	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.nr_rings, 4);
	CHECK_EQ(p.ring_order, 4);
	CHECK_EQ(p.ring_size, 512);
	CHECK(!p.legacy_ring_pages);
	CHECK_EQ(p.max_indirect_segs, 32);
	CHECK_EQ(p.max_segs, 32);
	CHECK(p.persistent);
	CHECK(p.flush);
	CHECK_EQ(p.flush_op, BLKIF_OP_FLUSH_DISKCACHE);
	CHECK(!p.fua);
	CHECK(p.discard);
	CHECK(!p.discard_secure);
	CHECK_EQ(p.discard_granularity, 4096);
	CHECK_EQ(p.discard_alignment, 0);
	CHECK_EQ(p.sector_size, 512);
	CHECK_EQ(p.physical_sector_size, 4096);
	CHECK_EQ(p.sectors, 2097152);
	CHECK_EQ(p.info, 0);
	CHECK_EQ(bad, BLKFRONT_XS_NR);
}

static void minimal_backend(void)
{
	struct xenpv_xs_vals be = minimal();

	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.nr_rings, 1);
	CHECK_EQ(p.ring_order, 0);
	CHECK_EQ(p.ring_size, 32);
	CHECK_EQ(p.max_indirect_segs, 0);
	CHECK_EQ(p.max_segs, 11);
	CHECK(!p.persistent);
	CHECK(!p.flush);
	CHECK(!p.fua);
	CHECK(!p.discard);
	CHECK_EQ(p.physical_sector_size, 512);
	CHECK_EQ(p.sectors, 8);
}

static void missing_required(void)
{
	static const enum blkfront_xs_key req[] = {
		BLKFRONT_XS_SECTOR_SIZE, BLKFRONT_XS_SECTORS, BLKFRONT_XS_INFO,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(req); i++)
		CHECK_REJECT(req[i], NULL, -ENOENT);
}

static void queues_clamped(void)
{
	/* The backend offers 64 queues; the fewest of the three limits wins. */
	static const struct {
		unsigned int nr_cpus, max_rings, nr_rings;
	} cases[] = {
		{ 2, 0, 2 }, { 16, 3, 3 }, { 16, 100, 16 },
	};
	struct xenpv_xs_vals be = typical();
	struct blkfront_wants fe = fe_default;
	unsigned int i;

	be.val[BLKFRONT_XS_MAX_QUEUES] = "64";
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("%u cpus, max_rings %u", cases[i].nr_cpus,
		       cases[i].max_rings);
		fe.nr_cpus = cases[i].nr_cpus;
		fe.max_rings = cases[i].max_rings;
		CHECK_EQ(nego(&be, &fe), 0);
		CHECK_EQ(p.nr_rings, cases[i].nr_rings);
	}
	T_CASE_END();
	CHECK_REJECT(BLKFRONT_XS_MAX_QUEUES, "0", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_MAX_QUEUES, "4294967296", -ERANGE);
}

/*
 * At InitWait only the ring keys are there: the rings alone negotiate,
 * to the same settings the full negotiation reaches, and a bad ring key
 * is still blamed.
 */
static void rings_before_geometry(void)
{
	struct xenpv_xs_vals be = { { NULL } }, full = typical();
	struct blkfront_params rings;

	be.val[BLKFRONT_XS_MAX_QUEUES] = "4";
	be.val[BLKFRONT_XS_MAX_RING_ORDER] = "2";
	full.val[BLKFRONT_XS_MAX_RING_ORDER] = "2";
	CHECK_EQ(nego(&be, &fe_default), -ENOENT);
	CHECK_EQ(blkfront_negotiate_rings(&be, &fe_default, &rings, &bad), 0);
	CHECK_EQ(nego(&full, &fe_default), 0);
	CHECK_EQ(rings.nr_rings, p.nr_rings);
	CHECK_EQ(rings.ring_order, p.ring_order);
	CHECK_EQ(rings.ring_size, 128);
	CHECK_EQ(rings.sectors, 0);
	be.val[BLKFRONT_XS_MAX_RING_ORDER] = "x";
	bad = BLKFRONT_XS_NR;
	CHECK_EQ(blkfront_negotiate_rings(&be, &fe_default, &rings, &bad), -EINVAL);
	CHECK_EQ(bad, BLKFRONT_XS_MAX_RING_ORDER);
	CHECK_EQ(rings.nr_rings, 0);
}

static void ring_order_clamped(void)
{
	/* The backend offers order 10: the frontend's limit wins. */
	static const struct {
		unsigned int max_ring_order, ring_order, ring_size;
	} cases[] = {
		{ 4, 4, 512 }, { 2, 2, 128 }, { 0, 0, 32 },
	};
	struct xenpv_xs_vals be = typical();
	struct blkfront_wants fe = fe_default;
	unsigned int i;

	be.val[BLKFRONT_XS_MAX_RING_ORDER] = "10";
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("max_ring_order %u", cases[i].max_ring_order);
		fe.max_ring_order = cases[i].max_ring_order;
		CHECK_EQ(nego(&be, &fe), 0);
		CHECK_EQ(p.ring_order, cases[i].ring_order);
		CHECK_EQ(p.ring_size, cases[i].ring_size);
	}
	T_CASE_END();
	CHECK_REJECT(BLKFRONT_XS_MAX_RING_ORDER, "x", -EINVAL);
}

static void legacy_ring_pages(void)
{
	struct xenpv_xs_vals be = typical();

	be.val[BLKFRONT_XS_MAX_RING_ORDER] = NULL;
	be.val[BLKFRONT_XS_MAX_RING_PAGES] = "8";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.ring_order, 3);
	CHECK(p.legacy_ring_pages);
	be.val[BLKFRONT_XS_MAX_RING_PAGES] = "1";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.ring_order, 0);
	CHECK(!p.legacy_ring_pages);
	/* Both schemes: the larger wins, and the new key is understood. */
	be.val[BLKFRONT_XS_MAX_RING_ORDER] = "1";
	be.val[BLKFRONT_XS_MAX_RING_PAGES] = "4";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.ring_order, 2);
	CHECK(!p.legacy_ring_pages);
	CHECK_REJECT(BLKFRONT_XS_MAX_RING_PAGES, "3", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_MAX_RING_PAGES, "0", -EINVAL);
}

static void indirect_clamped(void)
{
	/*
	 * The offer is capped at 4096 and at the frontend's limit; 11 or
	 * fewer segments are no better than a direct request: none.
	 */
	static const struct {
		const char *offer;
		unsigned int limit, max_indirect_segs, max_segs;
	} cases[] = {
		{ "100000", 8192, 4096, 4096 }, { "11", 8192, 0, 11 },
		{ "12", 8192, 12, 12 }, { "12", 0, 0, 11 },
	};
	struct xenpv_xs_vals be = typical();
	struct blkfront_wants fe = fe_default;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		T_CASE("offer %s, limit %u", cases[i].offer, cases[i].limit);
		be.val[BLKFRONT_XS_MAX_INDIRECT] = cases[i].offer;
		fe.max_indirect_segs = cases[i].limit;
		CHECK_EQ(nego(&be, &fe), 0);
		CHECK_EQ(p.max_indirect_segs, cases[i].max_indirect_segs);
		CHECK_EQ(p.max_segs, cases[i].max_segs);
	}
	T_CASE_END();
	CHECK_REJECT(BLKFRONT_XS_MAX_INDIRECT, "-1", -EINVAL);
}

static void sector_sizes(void)
{
	struct xenpv_xs_vals be = typical();

	be.val[BLKFRONT_XS_SECTOR_SIZE] = "4096";
	be.val[BLKFRONT_XS_PHYS_SECTOR_SIZE] = NULL;
	be.val[BLKFRONT_XS_SECTORS] = "1001";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.sector_size, 4096);
	CHECK_EQ(p.physical_sector_size, 4096);
	/* Capacity in whole 4 KiB blocks. */
	CHECK_EQ(p.sectors, 1000);
	CHECK_REJECT(BLKFRONT_XS_SECTOR_SIZE, "1000", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_SECTOR_SIZE, "256", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_SECTOR_SIZE, "0", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_SECTOR_SIZE, "8192", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_SECTOR_SIZE, "4294967296", -ERANGE);
	CHECK_REJECT(BLKFRONT_XS_PHYS_SECTOR_SIZE, "256", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_PHYS_SECTOR_SIZE, "3072", -EINVAL);
	be.val[BLKFRONT_XS_PHYS_SECTOR_SIZE] = "2048";
	CHECK_EQ(nego(&be, &fe_default), -EINVAL);
	CHECK_EQ(bad, BLKFRONT_XS_PHYS_SECTOR_SIZE);
}

static void capacity(void)
{
	struct xenpv_xs_vals be = typical();

	be.val[BLKFRONT_XS_SECTORS] = "0";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.sectors, 0);
	/* The largest size whose byte count fits loff_t. */
	be.val[BLKFRONT_XS_SECTORS] = "18014398509481983";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.sectors, 18014398509481983ULL);
	CHECK_REJECT(BLKFRONT_XS_SECTORS, "18014398509481984", -ERANGE);
	CHECK_REJECT(BLKFRONT_XS_SECTORS, "18446744073709551615", -ERANGE);
	CHECK_REJECT(BLKFRONT_XS_SECTORS, "18446744073709551616", -ERANGE);
	CHECK_REJECT(BLKFRONT_XS_SECTORS, "1e9", -EINVAL);
}

static void info_flags(void)
{
	struct xenpv_xs_vals be = typical();

	be.val[BLKFRONT_XS_INFO] = "4294967295";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.info, VDISK_CDROM | VDISK_REMOVABLE | VDISK_READONLY);
	be.val[BLKFRONT_XS_INFO] = "4";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.info, VDISK_READONLY);
	CHECK_REJECT(BLKFRONT_XS_INFO, "4294967296", -ERANGE);
}

static void discard_params(void)
{
	struct xenpv_xs_vals be = typical();

	be.val[BLKFRONT_XS_DISCARD_GRAN] = NULL;
	be.val[BLKFRONT_XS_DISCARD_ALIGN] = NULL;
	be.val[BLKFRONT_XS_DISCARD_SECURE] = "1";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.discard_granularity, 512);
	CHECK_EQ(p.discard_alignment, 0);
	CHECK(p.discard_secure);
	be.val[BLKFRONT_XS_DISCARD_GRAN] = "0";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.discard_granularity, 512);
	/* An alignment of a granule or more is the same as its remainder. */
	be.val[BLKFRONT_XS_DISCARD_GRAN] = "4096";
	be.val[BLKFRONT_XS_DISCARD_ALIGN] = "4608";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.discard_alignment, 512);
	/* A non-power-of-two granule of whole sectors is fine (RAID). */
	be.val[BLKFRONT_XS_DISCARD_GRAN] = "196608";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.discard_granularity, 196608);
	CHECK_REJECT(BLKFRONT_XS_DISCARD_GRAN, "1000", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_DISCARD_ALIGN, "100", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_DISCARD_SECURE, "2", -EINVAL);

	/* Granularity in whole logical blocks. */
	be = typical();
	be.val[BLKFRONT_XS_SECTOR_SIZE] = "4096";
	be.val[BLKFRONT_XS_DISCARD_GRAN] = "2048";
	CHECK_EQ(nego(&be, &fe_default), -EINVAL);
	CHECK_EQ(bad, BLKFRONT_XS_DISCARD_GRAN);

	/* No discard: its other keys are not even looked at. */
	be = typical();
	be.val[BLKFRONT_XS_DISCARD] = "0";
	be.val[BLKFRONT_XS_DISCARD_GRAN] = "garbage";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK(!p.discard);
	CHECK_EQ(p.discard_granularity, 0);
}

static void flush_and_barrier(void)
{
	struct xenpv_xs_vals be = minimal();

	be.val[BLKFRONT_XS_BARRIER] = "1";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK(p.flush);
	CHECK_EQ(p.flush_op, BLKIF_OP_WRITE_BARRIER);
	CHECK(p.fua);
	/* A barrier cannot go indirect, so FUA goes with indirect. */
	be.val[BLKFRONT_XS_MAX_INDIRECT] = "64";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK(p.flush);
	CHECK(!p.fua);
	be.val[BLKFRONT_XS_FLUSH] = "1";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK_EQ(p.flush_op, BLKIF_OP_FLUSH_DISKCACHE);
	CHECK(!p.fua);
	be.val[BLKFRONT_XS_BARRIER] = "0";
	be.val[BLKFRONT_XS_FLUSH] = "0";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK(!p.flush);
	CHECK_REJECT(BLKFRONT_XS_FLUSH, "yes", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_BARRIER, "", -EINVAL);
	CHECK_REJECT(BLKFRONT_XS_FLUSH, "2", -EINVAL);
}

static void persistent(void)
{
	struct xenpv_xs_vals be = typical();
	struct blkfront_wants fe = fe_default;

	fe.persistent = false;
	CHECK_EQ(nego(&be, &fe), 0);
	CHECK(!p.persistent);
	be.val[BLKFRONT_XS_PERSISTENT] = "0";
	CHECK_EQ(nego(&be, &fe_default), 0);
	CHECK(!p.persistent);
	CHECK_REJECT(BLKFRONT_XS_PERSISTENT, "01x", -EINVAL);
}

static void bad_frontend_limits(void)
{
	struct xenpv_xs_vals be = typical();
	struct blkfront_wants fe = fe_default;

	fe.nr_cpus = 0;
	CHECK_WARNS(1, CHECK_EQ(nego(&be, &fe), -EINVAL));
	CHECK_EQ(bad, BLKFRONT_XS_NR);
	fe = fe_default;
	fe.max_sector_size = 3000;
	CHECK_WARNS(1, CHECK_EQ(nego(&be, &fe), -EINVAL));
	/* @bad may be NULL. */
	CHECK_EQ(blkfront_negotiate(&be, &fe_default, &p, NULL), 0);
	be.val[BLKFRONT_XS_INFO] = "z";
	CHECK_EQ(blkfront_negotiate(&be, &fe_default, &p, NULL), -EINVAL);
}

static bool is_bool_key(enum blkfront_xs_key k)
{
	return k == BLKFRONT_XS_PERSISTENT || k == BLKFRONT_XS_FLUSH ||
	       k == BLKFRONT_XS_BARRIER || k == BLKFRONT_XS_DISCARD ||
	       k == BLKFRONT_XS_DISCARD_SECURE;
}

/* Every key is parsed strictly, and a bad one is named. */
static void every_key_strict(void)
{
	enum blkfront_xs_key k;

	for (k = 0; k < BLKFRONT_XS_NR; k++) {
		CHECK_REJECT(k, "abc", -EINVAL);
		CHECK_REJECT(k, "", -EINVAL);
		CHECK_REJECT(k, "1 ", -EINVAL);
		CHECK_REJECT(k, "99999999999999999999",
			     is_bool_key(k) ? -EINVAL : -ERANGE);
	}
}

static void key_names(void)
{
	unsigned int i, j;

	for (i = 0; i < BLKFRONT_XS_NR; i++) {
		CHECK(blkfront_xs_names[i]);
		for (j = 0; j < i; j++)
			CHECK(strcmp(blkfront_xs_names[i],
				     blkfront_xs_names[j]) != 0);
	}
	CHECK(!strcmp(blkfront_xs_names[BLKFRONT_XS_MAX_INDIRECT],
		      "feature-max-indirect-segments"));
	CHECK(!strcmp(blkfront_xs_names[BLKFRONT_XS_MAX_RING_ORDER],
		      "max-ring-page-order"));
}

static void parse_numbers(void)
{
	static const struct { const char *s; int ret; u64 val; } cases[] = {
		{ "0", 0, 0 },
		{ "7", 0, 7 },
		{ "007", 0, 7 },
		{ "4294967296", 0, 4294967296ULL },
		{ "18446744073709551615", 0, U64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "000000000000000000000000000042", 0, 42 },
		{ "12abc", -EINVAL, 0 },
		{ "99999999999999999999x", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1\n", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "1.0", -EINVAL, 0 },
	};
	unsigned int i;
	u64 v, want;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* On failure the output is left alone. */
		want = 0xdeadbeef;
		if (!cases[i].ret)
			want = cases[i].val;
		v = 0xdeadbeef;
		CHECK_EQ(xenpv_parse_u64(cases[i].s, &v), cases[i].ret);
		CHECK(v == want);
		if (v != want)
			printf("#   case \"%s\"\n", cases[i].s);
	}
	CHECK_EQ(xenpv_parse_u64(NULL, &v), -EINVAL);
}

static void parse_u32_and_sectors(void)
{
	u32 v32 = 1;
	u64 v;

	CHECK_EQ(xenpv_parse_u32("4294967295", &v32), 0);
	CHECK_EQ(v32, U32_MAX);
	CHECK_EQ(xenpv_parse_u32("4294967296", &v32), -ERANGE);
	CHECK_EQ(v32, U32_MAX);
	CHECK_EQ(xenpv_parse_u32("abc", &v32), -EINVAL);

	CHECK_EQ(blkfront_parse_sectors("15", 4096, &v), 0);
	CHECK_EQ(v, 8);
	CHECK_EQ(blkfront_parse_sectors("15", 512, &v), 0);
	CHECK_EQ(v, 15);
	CHECK_EQ(blkfront_parse_sectors("", 512, &v), -EINVAL);
	CHECK_WARNS(1, CHECK_EQ(blkfront_parse_sectors("8", 1000, &v),
				-EINVAL));
}

int main(void)
{
	RUN(typical_backend);
	RUN(minimal_backend);
	RUN(missing_required);
	RUN(queues_clamped);
	RUN(rings_before_geometry);
	RUN(ring_order_clamped);
	RUN(legacy_ring_pages);
	RUN(indirect_clamped);
	RUN(sector_sizes);
	RUN(capacity);
	RUN(info_flags);
	RUN(discard_params);
	RUN(flush_and_barrier);
	RUN(persistent);
	RUN(bad_frontend_limits);
	RUN(every_key_strict);
	RUN(key_names);
	RUN(parse_numbers);
	RUN(parse_u32_and_sectors);
	return t_done();
}
