/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What EVTCHNOP_bind_vector must answer, as Documentation/evtchn-vector.rst
 * specifies it: the reference that xen-evtchnhostile judges the real
 * hypervisor by, and that tools/testing/evtchn checks against the
 * document's table in userspace.
 */
#ifndef _EVTCHN_EXPECT_H
#define _EVTCHN_EXPECT_H

#include <linux/errno.h>
#include <linux/types.h>
#include <xenpv/evtchn-vector-abi.h>

/* Not an EVTCHNSTAT_*: EVTCHNOP_status refused the port (-EINVAL). */
#define EVH_PORT_INVALID	0xffffffffU

/**
 * struct evh_call - one EVTCHNOP_bind_vector call and what the caller knows
 * @hvm: the caller is an HVM/PVH guest with a local APIC
 * @nr_vcpus: the caller's vCPUs (Xen's max_vcpus)
 * @upcall_vector: the vector Xen raises the upcall on for @arg.vcpu, or 0
 * @port_state: EVTCHNSTAT_* of @arg.port, or EVH_PORT_INVALID
 * @arg: the argument
 */
struct evh_call {
	bool hvm;
	u32 nr_vcpus;
	u32 upcall_vector;
	u32 port_state;
	struct evtchn_bind_vector arg;
};

/**
 * evh_expect() - what Xen must return for a call
 * @c: the call
 *
 * The checks in the order Xen makes them, so that a call with several
 * faults gets the first one's error.
 *
 * Return: 0 or the negative errno the hypervisor must return.
 */
static inline int evh_expect(const struct evh_call *c)
{
	const struct evtchn_bind_vector *a = &c->arg;

	if (a->flags)
		return -EINVAL;
	if (a->vcpu >= c->nr_vcpus)
		return -ENOENT;
	if (!c->hvm)
		return -EOPNOTSUPP;
	if (a->vector && (a->vector < XENPV_EVTCHN_VECTOR_MIN ||
			  a->vector > XENPV_EVTCHN_VECTOR_MAX))
		return -EINVAL;
	if (a->vector && a->vector == c->upcall_vector)
		return -EBUSY;
	if (c->port_state != EVTCHNSTAT_unbound &&
	    c->port_state != EVTCHNSTAT_interdomain)
		return -EINVAL;
	return 0;
}

#endif /* _EVTCHN_EXPECT_H */
