/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EVTCHNOP_bind_vector: an event channel delivered as its own local APIC
 * vector in x86 HVM and PVH guests.
 *
 * This mirrors the Xen patch patches/xen/0001-evtchn-EVTCHNOP_bind_vector-*
 * (Xen's public event_channel.h and arch-x86/cpuid.h), which is a proposal
 * and not in upstream Xen: the operation and CPUID bit numbers may change.
 * Linux's include/xen/interface/ is Xen's and is not edited here.  The
 * interface is described in Documentation/evtchn-vector.rst.
 */
#ifndef _XENPV_EVTCHN_VECTOR_ABI_H
#define _XENPV_EVTCHN_VECTOR_ABI_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include <xen/interface/event_channel.h>

#ifndef EVTCHNOP_bind_vector
#define EVTCHNOP_bind_vector		15

/**
 * struct evtchn_bind_vector - argument of EVTCHNOP_bind_vector
 * @port: a port of the caller, unbound or interdomain
 * @vcpu: the vCPU whose local APIC receives it
 * @vector: 0x20-0xff, or 0 for the event channel upcall again
 * @flags: must be 0
 */
struct evtchn_bind_vector {
	evtchn_port_t port;
	u32 vcpu;
	u32 vector;
	u32 flags;
};
#endif

static_assert(sizeof(struct evtchn_bind_vector) == 16);

/* Xen's CPUID leaf 5 (base + 4, HVM features), EAX: the operation is offered. */
#ifndef XEN_HVM_CPUID_EVTCHN_VECTOR
#define XEN_HVM_CPUID_EVTCHN_VECTOR	BIT(15)
#endif

/* The vectors a port may be bound to: 0x00-0x1f are the exceptions. */
#define XENPV_EVTCHN_VECTOR_MIN		0x20
#define XENPV_EVTCHN_VECTOR_MAX		0xff

#endif /* _XENPV_EVTCHN_VECTOR_ABI_H */
