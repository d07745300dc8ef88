/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for drivers/xen/events/events_vector.c: the little of
 * genirq, the irq domain hierarchy, the x86 vector domain and Xen that it
 * calls, as plain declarations.  test_events_vector.c defines them as
 * fakes that record what the file under test asked for.  Every kernel
 * header the file includes is a one-line shim that includes this one.
 */
#ifndef _EVV_SHIM_H
#define _EVV_SHIM_H

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/types.h>

#define __init
#define __ro_after_init
#define NUMA_NO_NODE		(-1)

#define module_param(name, type, perm)
#define MODULE_PARM_DESC(name, desc)

/* One CPU runs the tests: a per-CPU variable is a variable. */
#define DEFINE_PER_CPU(type, name)	type name
#define DECLARE_PER_CPU(type, name)	extern type name
#define __this_cpu_read(var)		(var)
#define __this_cpu_write(var, val)	((var) = (val))

/* CPUs are the bits of one word. */
struct cpumask {
	unsigned long bits;
};

extern unsigned int nr_cpu_ids;

static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return m->bits ? (unsigned int)__builtin_ctzl(m->bits) : nr_cpu_ids;
}

typedef struct {
	int locked;
} raw_spinlock_t;

#define raw_spin_lock_irqsave(l, flags)					\
	do { (flags) = 0; WARN_ON((l)->locked++); } while (0)
#define raw_spin_unlock_irqrestore(l, flags)				\
	do { (void)(flags); WARN_ON(--(l)->locked); } while (0)

struct irq_data;
struct irq_domain;
struct fwnode_handle {
	const char *name;
};

struct irq_chip {
	const char *name;
	void (*irq_disable)(struct irq_data *d);
	void (*irq_mask)(struct irq_data *d);
	void (*irq_unmask)(struct irq_data *d);
	void (*irq_ack)(struct irq_data *d);
	void (*irq_mask_ack)(struct irq_data *d);
	int (*irq_set_affinity)(struct irq_data *d, const struct cpumask *dest,
				bool force);
	int (*irq_retrigger)(struct irq_data *d);
};

/* The vector domain's part of an IRQ (asm/hw_irq.h). */
struct irq_cfg {
	unsigned int dest_apicid;
	unsigned int vector;
};

struct irq_data {
	unsigned int irq;
	struct irq_domain *domain;
	const struct irq_chip *chip;
	struct cpumask effective;
	struct irq_cfg cfg;
};

struct irq_desc {
	raw_spinlock_t lock;
	struct irq_data irq_data;
};

struct irq_alloc_info {
	int type;
};

struct irq_domain_ops {
	int (*alloc)(struct irq_domain *d, unsigned int virq,
		     unsigned int nr_irqs, void *arg);
	void (*free)(struct irq_domain *d, unsigned int virq,
		     unsigned int nr_irqs);
	int (*activate)(struct irq_domain *d, struct irq_data *irqd,
			bool reserve);
	void (*deactivate)(struct irq_domain *d, struct irq_data *irqd);
};

struct irq_domain {
	const struct irq_domain_ops *ops;
	struct irq_domain *parent;
};

enum {
	IRQ_SET_MASK_OK = 0,
	IRQ_SET_MASK_OK_NOCOPY,
	IRQ_SET_MASK_OK_DONE,
};

typedef void (*irq_flow_handler_t)(struct irq_desc *desc);

static inline unsigned int irq_desc_get_irq(struct irq_desc *desc)
{
	return desc->irq_data.irq;
}

/* The interrupted context (asm/irq_regs.h, asm/processor-flags.h). */
struct pt_regs {
	unsigned long flags;
};

#define X86_EFLAGS_IF		BIT(9)

struct pt_regs *get_irq_regs(void);

extern struct irq_domain *x86_vector_domain;

struct irq_desc *irq_to_desc(unsigned int irq);
struct irq_data *irq_get_irq_data(unsigned int irq);
const struct irq_chip *irq_data_get_irq_chip(struct irq_data *d);
const struct cpumask *irq_data_get_effective_affinity_mask(struct irq_data *d);
struct irq_cfg *irqd_cfg(struct irq_data *d);
int irq_set_chip(unsigned int irq, const struct irq_chip *chip);
void irq_chip_ack_parent(struct irq_data *d);
int irq_chip_set_affinity_parent(struct irq_data *d,
				 const struct cpumask *dest, bool force);
void handle_edge_irq(struct irq_desc *desc);
void init_irq_alloc_info(struct irq_alloc_info *info,
			 const struct cpumask *mask);
int irq_domain_alloc_irqs_parent(struct irq_domain *d, unsigned int virq,
				 unsigned int nr_irqs, void *arg);
void irq_domain_set_info(struct irq_domain *d, unsigned int virq,
			 unsigned long hwirq, const struct irq_chip *chip,
			 void *chip_data, irq_flow_handler_t handler,
			 void *handler_data, const char *handler_name);
void irq_domain_free_irqs_common(struct irq_domain *d, unsigned int virq,
				 unsigned int nr_irqs);
int irq_domain_alloc_irqs(struct irq_domain *d, unsigned int nr_irqs,
			  int node, void *arg);
void irq_domain_free_irqs(unsigned int virq, unsigned int nr_irqs);
struct fwnode_handle *irq_domain_alloc_named_fwnode(const char *name);
void irq_domain_free_fwnode(struct fwnode_handle *fn);
struct irq_domain *
irq_domain_create_hierarchy(struct irq_domain *parent, unsigned int flags,
			    unsigned int size, struct fwnode_handle *fn,
			    const struct irq_domain_ops *ops, void *host_data);

/* Xen: the guest's view (asm/xen/hypervisor.h, xen/xen.h, xen/xen-ops.h). */
typedef u32 evtchn_port_t;

int HYPERVISOR_event_channel_op(int cmd, void *arg);
u32 xen_cpuid_base(void);
u32 cpuid_eax(u32 leaf);
bool xen_hvm_domain(void);
u32 xen_vcpu_nr(int cpu);
unsigned int cpu_from_evtchn(evtchn_port_t port);
extern bool xen_fifo_events;

#endif
