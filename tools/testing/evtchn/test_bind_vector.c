// SPDX-License-Identifier: GPL-2.0
/*
 * The specification of EVTCHNOP_bind_vector's answers (evh_expect(), which
 * xen-evtchnhostile judges the hypervisor by) against the table of
 * Documentation/evtchn-vector.rst, and the argument's layout.
 */
#include <stddef.h>

#include <linux/kernel.h>

#include "../common/test.h"
#include "../xen-evtchnhostile/evtchn-expect.h"

#define UPCALL	0xf3	/* Linux's HYPERVISOR_CALLBACK_VECTOR */

struct row {
	const char *what;
	bool hvm;
	u32 state, vcpu, vector, flags;
	int want;
};

/* Two vCPUs, the upcall on UPCALL. */
static const struct row rows[] = {
	{ "interdomain port",		true, EVTCHNSTAT_interdomain, 1, 0x40, 0, 0 },
	{ "unbound port",		true, EVTCHNSTAT_unbound, 0, 0x40, 0, 0 },
	{ "lowest vector",		true, EVTCHNSTAT_interdomain, 0, 0x20, 0, 0 },
	{ "highest vector",		true, EVTCHNSTAT_interdomain, 0, 0xff, 0, 0 },
	{ "vector 0: the upcall",	true, EVTCHNSTAT_interdomain, 1, 0, 0, 0 },
	{ "exception vector 0x1f",	true, EVTCHNSTAT_interdomain, 0, 0x1f, 0, -EINVAL },
	{ "APIC-illegal vector 0x0f",	true, EVTCHNSTAT_interdomain, 0, 0x0f, 0, -EINVAL },
	{ "vector 1",			true, EVTCHNSTAT_interdomain, 0, 1, 0, -EINVAL },
	{ "vector 0x100",		true, EVTCHNSTAT_interdomain, 0, 0x100, 0, -EINVAL },
	{ "vector ~0",			true, EVTCHNSTAT_interdomain, 0, U32_MAX, 0, -EINVAL },
	{ "the upcall's vector",	true, EVTCHNSTAT_interdomain, 1, UPCALL, 0, -EBUSY },
	{ "vCPU past the last",		true, EVTCHNSTAT_interdomain, 2, 0x40, 0, -ENOENT },
	{ "vCPU ~0",			true, EVTCHNSTAT_interdomain, U32_MAX, 0x40, 0, -ENOENT },
	{ "flags",			true, EVTCHNSTAT_interdomain, 0, 0x40, 1, -EINVAL },
	{ "closed port",		true, EVTCHNSTAT_closed, 0, 0x40, 0, -EINVAL },
	{ "VIRQ port",			true, EVTCHNSTAT_virq, 0, 0x40, 0, -EINVAL },
	{ "IPI port",			true, EVTCHNSTAT_ipi, 0, 0x40, 0, -EINVAL },
	{ "PIRQ port",			true, EVTCHNSTAT_pirq, 0, 0x40, 0, -EINVAL },
	{ "no such port",		true, EVH_PORT_INVALID, 0, 0x40, 0, -EINVAL },
	{ "no such port, vector 0",	true, EVH_PORT_INVALID, 0, 0, 0, -EINVAL },
	{ "PV guest",			false, EVTCHNSTAT_interdomain, 0, 0x40, 0, -EOPNOTSUPP },
	{ "PV guest, vector 0",		false, EVTCHNSTAT_interdomain, 0, 0, 0, -EOPNOTSUPP },
	/* Several faults: the first check Xen makes decides. */
	{ "flags before the vCPU",	true, EVTCHNSTAT_closed, 9, 1, 1, -EINVAL },
	{ "vCPU before the vector",	true, EVTCHNSTAT_closed, 9, 1, 0, -ENOENT },
	{ "PV before the vector",	false, EVTCHNSTAT_closed, 0, 1, 0, -EOPNOTSUPP },
	{ "PV after the vCPU",		false, EVTCHNSTAT_closed, 2, 1, 0, -ENOENT },
	{ "vector before the port",	true, EVH_PORT_INVALID, 0, 0x10, 0, -EINVAL },
	{ "upcall before the port",	true, EVTCHNSTAT_virq, 0, UPCALL, 0, -EBUSY },
};

static struct evh_call call_of(const struct row *r)
{
	return (struct evh_call){
		.hvm = r->hvm, .nr_vcpus = 2, .upcall_vector = UPCALL,
		.port_state = r->state,
		.arg = { .port = 5, .vcpu = r->vcpu, .vector = r->vector,
			 .flags = r->flags },
	};
}

static void test_table(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct evh_call c = call_of(&rows[i]);

		T_CASE("%s", rows[i].what);
		CHECK_EQ(evh_expect(&c), rows[i].want);
	}
	T_CASE_END();
}

/* Of all 512 low vector numbers exactly 0x20-0xff but the upcall's, and 0. */
static void test_every_vector(void)
{
	struct evh_call c = call_of(&rows[0]);
	int accepted = 0, busy = 0;
	u32 v;

	for (v = 0; v < 0x200; v++) {
		c.arg.vector = v;
		switch (evh_expect(&c)) {
		case 0:
			accepted++;
			CHECK(v == 0 || (v >= 0x20 && v <= 0xff));
			break;
		case -EBUSY:
			busy++;
			CHECK_EQ(v, UPCALL);
			break;
		default:
			CHECK(v != 0 && (v < 0x20 || v > 0xff));
		}
	}
	CHECK_EQ(accepted, 1 + 0xe0 - 1);
	CHECK_EQ(busy, 1);
}

/* With no upcall vector (0), vector 0 still means "back to the upcall". */
static void test_no_upcall_vector(void)
{
	struct evh_call c = call_of(&rows[4]);

	c.upcall_vector = 0;
	CHECK_EQ(evh_expect(&c), 0);
}

/* The argument as the Xen patch lays it out. */
static void test_abi(void)
{
	CHECK_EQ(EVTCHNOP_bind_vector, 15);
	CHECK_EQ(XEN_HVM_CPUID_EVTCHN_VECTOR, 1u << 15);
	CHECK_EQ(offsetof(struct evtchn_bind_vector, port), 0);
	CHECK_EQ(offsetof(struct evtchn_bind_vector, vcpu), 4);
	CHECK_EQ(offsetof(struct evtchn_bind_vector, vector), 8);
	CHECK_EQ(offsetof(struct evtchn_bind_vector, flags), 12);
	CHECK_EQ(sizeof(struct evtchn_bind_vector), 16);
}

int main(void)
{
	RUN(test_table);
	RUN(test_every_vector);
	RUN(test_no_upcall_vector);
	RUN(test_abi);
	return t_done();
}
