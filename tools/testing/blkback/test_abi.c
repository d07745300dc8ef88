// SPDX-License-Identifier: GPL-2.0
/*
 * Ring slot layouts of both ABIs: sizes, byte positions of every field,
 * the one-copy decoder, slot addresses and responses.
 */
#include "../../../drivers/block/xen-blkback/blkback-proto.c"
#include "../common/shared.h"
#include "../common/test.h"

/* Little-endian stores at explicit byte positions, independent of C structs. */
static void put16(u8 *p, unsigned int off, u16 v)
{
	p[off] = v;
	p[off + 1] = v >> 8;
}

static void put32(u8 *p, unsigned int off, u32 v)
{
	put16(p, off, v);
	put16(p, off + 2, v >> 16);
}

static void put64(u8 *p, unsigned int off, u64 v)
{
	put32(p, off, v);
	put32(p, off + 4, v >> 32);
}

static void sizes(void)
{
	static const unsigned int want[] = { 32, 64, 128, 256, 512 };
	unsigned int order;

	CHECK_EQ(blkback_slot_size(BLKBACK_ABI_X86_32), 108);
	CHECK_EQ(blkback_slot_size(BLKBACK_ABI_X86_64), 112);
	CHECK_EQ(blkback_slot_size(BLKBACK_ABI_NATIVE),
		 sizeof(union blkif_sring_entry));
	for (order = 0; order <= 4; order++) {
		CHECK_EQ(blkback_ring_size(BLKBACK_ABI_X86_32, order),
			 want[order]);
		CHECK_EQ(blkback_ring_size(BLKBACK_ABI_X86_64, order),
			 want[order]);
		CHECK_EQ(blkback_ring_size(BLKBACK_ABI_NATIVE, order),
			 __CONST_RING_SIZE(blkif, 4096 << order));
	}
	CHECK_EQ(blkback_ring_size(BLKBACK_ABI_X86_64, 5), 0);
	CHECK_EQ(blkback_ring_size(BLKBACK_ABI_X86_32, UINT_MAX), 0);
}

/*
 * A request's first bytes: @op, @byte1, and @id and @sector at the ABI's
 * @id_off (4 for x86_32, 8 for x86_64); junk in all the rest.
 */
static void fill_head(u8 *slot, u8 op, u8 byte1, unsigned int id_off, u64 id,
		      u64 sector)
{
	memset(slot, 0xee, 112);	/* padding and junk everywhere */
	slot[0] = op;
	slot[1] = byte1;
	put64(slot, id_off, id);
	put64(slot, id_off + 8, sector);
}

static enum blkback_abi abi_of(unsigned int id_off)
{
	return id_off == 4 ? BLKBACK_ABI_X86_32 : BLKBACK_ABI_X86_64;
}

/* A write with 11 segments at the byte positions of the ABI of @id_off. */
static void fill_rw(u8 *slot, unsigned int id_off)
{
	unsigned int i, seg = id_off + 16;

	fill_head(slot, BLKIF_OP_WRITE, 11, id_off, 0x1122334455667788ULL,
		  0x0102030405060708ULL);
	put16(slot, 2, 0x1234);
	for (i = 0; i < 11; i++) {
		put32(slot, seg + 8 * i, 0xa0000000u + i);
		slot[seg + 8 * i + 4] = i % 8;
		slot[seg + 8 * i + 5] = 7;
	}
}

static void check_rw(const struct blkback_req *r)
{
	unsigned int i;

	CHECK_EQ(r->operation, BLKIF_OP_WRITE);
	CHECK_EQ(r->op, BLKIF_OP_WRITE);
	CHECK(!r->indirect);
	CHECK_EQ(r->nr_segs, 11);
	CHECK_EQ(r->handle, 0x1234);
	CHECK(r->id == 0x1122334455667788ULL);
	CHECK(r->sector == 0x0102030405060708ULL);
	for (i = 0; i < 11; i++) {
		CHECK_EQ(r->seg[i].gref, 0xa0000000u + i);
		CHECK_EQ(r->seg[i].first_sect, i % 8);
		CHECK_EQ(r->seg[i].last_sect, 7);
	}
}

static void rw_layouts(void)
{
	u8 slot[112];
	struct blkback_req r;

	/* x86_64: id at 8, sector at 16, segments from 24. */
	fill_rw(slot, 8);
	blkback_get_req(&r, slot, BLKBACK_ABI_X86_64);
	check_rw(&r);
	/* x86_32: no padding, id at 4, sector at 12, segments from 20. */
	fill_rw(slot, 4);
	blkback_get_req(&r, slot, BLKBACK_ABI_X86_32);
	check_rw(&r);
	/* The wrong ABI gives garbage, not a crash. */
	blkback_get_req(&r, slot, BLKBACK_ABI_X86_64);
	CHECK(r.id != 0x1122334455667788ULL);
}

static void discard_layouts(void)
{
	unsigned int id_off;
	struct blkback_req r;
	u8 slot[112];

	for (id_off = 4; id_off <= 8; id_off += 4) {
		fill_head(slot, BLKIF_OP_DISCARD, BLKIF_DISCARD_SECURE, id_off,
			  77, 4096);
		put64(slot, id_off + 16, 0x100000000ULL);
		blkback_get_req(&r, slot, abi_of(id_off));
		CHECK_EQ(r.operation, BLKIF_OP_DISCARD);
		CHECK_EQ(r.discard_flag, BLKIF_DISCARD_SECURE);
		CHECK_EQ(r.id, 77);
		CHECK_EQ(r.sector, 4096);
		CHECK(r.nr_sectors == 0x100000000ULL);
		CHECK_EQ(r.nr_segs, 0);
	}
}

static void indirect_layouts(void)
{
	unsigned int id_off, i;
	struct blkback_req r;
	u8 slot[112];

	/* The 16-bit handle at id+16, 2 bytes of padding, then 8 grefs. */
	for (id_off = 4; id_off <= 8; id_off += 4) {
		fill_head(slot, BLKIF_OP_INDIRECT, BLKIF_OP_READ, id_off, 5,
			  8192);
		put16(slot, 2, 1025);
		put16(slot, id_off + 16, 51712);
		for (i = 0; i < 8; i++)
			put32(slot, id_off + 20 + 4 * i, 1000 + i);
		blkback_get_req(&r, slot, abi_of(id_off));
		CHECK_EQ(r.operation, BLKIF_OP_INDIRECT);
		CHECK_EQ(r.op, BLKIF_OP_READ);
		CHECK(r.indirect);
		CHECK_EQ(r.nr_segs, 1025);
		CHECK_EQ(r.id, 5);
		CHECK_EQ(r.sector, 8192);
		CHECK_EQ(r.handle, 51712);
		for (i = 0; i < 8; i++)
			CHECK_EQ(r.indirect_grefs[i], 1000 + i);
	}
	/* The 32-bit indirect request is 64 bytes, as in Xen's header. */
	CHECK_EQ(4 + 20 + 8 * 4 + 8, 64);
}

/* The kernel's own struct is the x86_64 layout in a 64-bit build. */
static void native_struct_agrees(void)
{
	union blkif_sring_entry e;
	struct blkback_req r;

	memset(&e, 0x5a, sizeof(e));
	e.req.operation = BLKIF_OP_READ;
	e.req.u.rw.nr_segments = 2;
	e.req.u.rw.handle = 768;
	e.req.u.rw.id = 0xdeadbeefcafeULL;
	e.req.u.rw.sector_number = 123456789;
	e.req.u.rw.seg[0] = (struct blkif_request_segment){ 17, 0, 7 };
	e.req.u.rw.seg[1] = (struct blkif_request_segment){ 18, 2, 3 };
	blkback_get_req(&r, &e, BLKBACK_ABI_NATIVE);
	CHECK_EQ(r.op, BLKIF_OP_READ);
	CHECK_EQ(r.nr_segs, 2);
	CHECK_EQ(r.handle, 768);
	CHECK(r.id == 0xdeadbeefcafeULL);
	CHECK_EQ(r.sector, 123456789);
	CHECK_EQ(r.seg[1].gref, 18);
	CHECK_EQ(r.seg[1].first_sect, 2);
	CHECK_EQ(r.seg[1].last_sect, 3);
	/* Segments past nr_segments are not copied. */
	CHECK_EQ(r.seg[2].gref, 0);
}

/* A slot allocated at its exact size: ASan fails any read past it. */
static void reads_stay_in_slot(void)
{
	unsigned int abi, op;
	struct blkback_req r;
	u8 *slot;

	for (abi = BLKBACK_ABI_X86_32; abi <= BLKBACK_ABI_X86_64; abi++) {
		for (op = 0; op < 256; op++) {
			slot = malloc(blkback_slot_size(abi));
			memset(slot, 0xff, blkback_slot_size(abi));
			slot[0] = op;
			blkback_get_req(&r, slot, abi);
			CHECK_EQ(r.operation, op);
			CHECK(r.id == U64_MAX);
			/* nr_segments 255: only 11 kept. */
			if (op != BLKIF_OP_DISCARD && op != BLKIF_OP_INDIRECT)
				CHECK_EQ(r.nr_segs, 255);
			free(slot);
		}
	}
}

/* The frontend rewrites each byte right after it was fetched. */
static void flip_after_fetch(const u8 *src, size_t n)
{
	u8 *p = (u8 *)src;

	while (n--)
		*p++ ^= 0x5a;
}

/*
 * A request is fetched once: every byte of its slot read exactly once
 * (one copy), none read outside the one-fetch accessors (the region is
 * poisoned: ASan), and the request decoded is the one the frontend wrote
 * before it rewrote the slot.
 */
static void fetched_once(void)
{
	static u8 ring[4096] __aligned(4096);
	static u8 fetches[4096], seen[4096];
	unsigned int abi, i, body;
	struct blkback_req r;
	u8 *slot;

	for (abi = BLKBACK_ABI_X86_32; abi <= BLKBACK_ABI_X86_64; abi++) {
		T_CASE("abi %u", abi);
		body = abi == BLKBACK_ABI_X86_32 ? 4 : 8;
		slot = blkback_ring_slot(ring, abi, 32, 3);
		fill_rw(slot, body);
		shim_shared_begin(ring, sizeof(ring), fetches, seen,
				  flip_after_fetch);
		blkback_get_req(&r, slot, abi);
		shim_shared_end();
		for (i = 0; i < sizeof(ring); i++)
			CHECK_EQ(fetches[i], slot + blkback_slot_size(abi) >
					     ring + i && ring + i >= slot);
		check_rw(&r);
		/* The slot did change under the parser. */
		CHECK_EQ(slot[0], BLKIF_OP_WRITE ^ 0x5a);
	}
	T_CASE_END();
}

static void slot_addresses(void)
{
	static u8 ring[16 * 4096];
	unsigned int size = blkback_ring_size(BLKBACK_ABI_X86_32, 4);
	u8 *s;

	s = blkback_ring_slot(ring, BLKBACK_ABI_X86_32, 32, 0);
	CHECK(s == ring + 64);
	s = blkback_ring_slot(ring, BLKBACK_ABI_X86_32, 32, 33);
	CHECK(s == ring + 64 + 108);
	s = blkback_ring_slot(ring, BLKBACK_ABI_X86_64, 32, 31);
	CHECK(s == ring + 64 + 31 * 112);
	s = blkback_ring_slot(ring, BLKBACK_ABI_X86_64, 32, UINT_MAX);
	CHECK(s == ring + 64 + 31 * 112);
	/* The last slot of the largest ring ends inside the ring. */
	s = blkback_ring_slot(ring, BLKBACK_ABI_X86_32, size, size - 1);
	CHECK(s + 108 <= ring + sizeof(ring));
	s = blkback_ring_slot(ring, BLKBACK_ABI_X86_64, size, size - 1);
	CHECK(s + 112 <= ring + sizeof(ring));
	CHECK(s == (u8 *)&((struct blkif_sring *)ring)->ring[size - 1]);
}

static void responses(void)
{
	struct blkif_response rsp;
	u8 slot[112];
	unsigned int i;

	memset(slot, 0xcc, sizeof(slot));
	blkback_put_rsp(slot, 0x0123456789abcdefULL, BLKIF_OP_FLUSH_DISKCACHE,
			BLKIF_RSP_EOPNOTSUPP);
	/* id at 0, operation at 8, status at 10: 12 bytes in both ABIs. */
	CHECK_EQ(slot[0], 0xef);
	CHECK_EQ(slot[7], 0x01);
	CHECK_EQ(slot[8], BLKIF_OP_FLUSH_DISKCACHE);
	CHECK_EQ(slot[10], 0xfe);
	CHECK_EQ(slot[11], 0xff);
	for (i = 12; i < sizeof(slot); i++)
		CHECK_EQ(slot[i], 0xcc);
	memcpy(&rsp, slot, sizeof(rsp));
	CHECK(rsp.id == 0x0123456789abcdefULL);
	CHECK_EQ(rsp.operation, BLKIF_OP_FLUSH_DISKCACHE);
	CHECK_EQ(rsp.status, BLKIF_RSP_EOPNOTSUPP);
}

static void protocols(void)
{
	enum blkback_abi abi = 99;

	CHECK_EQ(blkback_parse_protocol(NULL, &abi), 0);
	CHECK_EQ(abi, BLKBACK_ABI_X86_64);
	CHECK_EQ(blkback_parse_protocol("x86_32-abi", &abi), 0);
	CHECK_EQ(abi, BLKBACK_ABI_X86_32);
	CHECK_EQ(blkback_parse_protocol("x86_64-abi", &abi), 0);
	CHECK_EQ(abi, BLKBACK_ABI_X86_64);
	abi = 99;
	CHECK_EQ(blkback_parse_protocol("arm-abi", &abi), -EINVAL);
	CHECK_EQ(blkback_parse_protocol("x86_32-abi ", &abi), -EINVAL);
	CHECK_EQ(blkback_parse_protocol("X86_32-ABI", &abi), -EINVAL);
	CHECK_EQ(blkback_parse_protocol("", &abi), -EINVAL);
	CHECK_EQ(abi, 99);
}

int main(void)
{
	RUN(sizes);
	RUN(rw_layouts);
	RUN(discard_layouts);
	RUN(indirect_layouts);
	RUN(native_struct_agrees);
	RUN(reads_stay_in_slot);
	RUN(fetched_once);
	RUN(slot_addresses);
	RUN(responses);
	RUN(protocols);
	return t_done();
}
