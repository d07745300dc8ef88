/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen event channels as their own x86 interrupts: what events_base.c and
 * events_vector.c tell each other (Documentation/evtchn-vector.rst).
 */
#ifndef __EVENTS_VECTOR_H__
#define __EVENTS_VECTOR_H__

#include <linux/errno.h>
#include <linux/percpu.h>
#include <linux/types.h>

#include <xen/interface/event_channel.h>

struct irq_chip;

/* In events_base.c, for events_vector.c. */
evtchn_port_t xen_evtchn_irq_port(unsigned int irq);
void xen_evtchn_irq_moved(unsigned int irq, unsigned int cpu);
void xen_evtchn_irq_count(unsigned int irq);

#ifdef CONFIG_X86_LOCAL_APIC
DECLARE_PER_CPU(bool, xen_evtchn_upcall_active);

/* The upcall starts (true) or ends (false) handling a port on this CPU. */
static inline void xen_evtchn_upcall_handling(bool active)
{
	__this_cpu_write(xen_evtchn_upcall_active, active);
}

/* True while the upcall handles a port on this CPU. */
static inline bool xen_evtchn_in_upcall(void)
{
	return __this_cpu_read(xen_evtchn_upcall_active);
}

void xen_evtchn_vector_init(const struct irq_chip *dyn,
			    const struct irq_chip *lateeoi);
int xen_evtchn_vector_alloc_irq(bool lateeoi);
bool xen_evtchn_vector_free_irq(unsigned int irq);
void xen_evtchn_vector_rebind(unsigned int irq);
#else
static inline void xen_evtchn_upcall_handling(bool active)
{
}

static inline void xen_evtchn_vector_init(const struct irq_chip *dyn,
					  const struct irq_chip *lateeoi)
{
}

static inline int xen_evtchn_vector_alloc_irq(bool lateeoi)
{
	return -ENODEV;
}

static inline bool xen_evtchn_vector_free_irq(unsigned int irq)
{
	return false;
}

static inline void xen_evtchn_vector_rebind(unsigned int irq)
{
}
#endif

#endif /* __EVENTS_VECTOR_H__ */
