// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen event channels as their own x86 interrupts (EVTCHNOP_bind_vector)
 *
 * In an HVM or PVH guest Xen signals every event channel through one upcall
 * vector per vCPU, and the guest scans the pending bitmaps to find out which
 * channels fired.  A hypervisor that sets XEN_HVM_CPUID_EVTCHN_VECTOR can
 * instead raise a channel as a vector of the guest's choice in the local
 * APIC of a vCPU of its choice.
 *
 * Each interdomain (or unbound) channel bound through bind_evtchn_to_irq*()
 * then gets its Linux IRQ from an irq domain stacked on the x86 vector
 * domain, as an MSI would: the vector domain picks the vector and the CPU,
 * and moves them when the affinity changes; the chips here bind the channel
 * to that (vCPU, vector) with EVTCHNOP_bind_vector, and wrap the chips of
 * events_base.c, which keep masking, acknowledging and late EOI as they are
 * for the upcall.  Only the FIFO ABI is supported: the 2-level ABI would
 * deliver a bound port itself when unmasking it on its own CPU.
 *
 * xen.evtchn_vectors=0 keeps every channel on the upcall.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/printk.h>

#include <asm/hw_irq.h>
#include <asm/irq_regs.h>
#include <asm/irqdomain.h>
#include <asm/processor-flags.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>

#include <xen/events.h>
#include <xen/xen.h>
#include <xen/xen-ops.h>
#include <xen/interface/event_channel.h>

#include "events_internal.h"
#include "events_vector.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "xen."

/*
 * The operation and its CPUID bit (leaf base + 4, EAX) are proposed to
 * upstream Xen; their numbers are provisional and must match the
 * hypervisor's.
 */
#define EVTCHNOP_bind_vector		15
#define XEN_HVM_CPUID_EVTCHN_VECTOR	BIT(15)

struct evtchn_bind_vector {
	evtchn_port_t port;
	u32 vcpu;
	u32 vector;	/* 0: back to the upcall on vcpu */
	u32 flags;	/* must be 0 */
};

/* Set while the upcall handles a port: see xen_evtchn_in_upcall(). */
DEFINE_PER_CPU(bool, xen_evtchn_upcall_active);

static bool evtchn_vectors = true;
module_param(evtchn_vectors, bool, 0444);
MODULE_PARM_DESC(evtchn_vectors,
		 "Give each interdomain event channel its own interrupt vector when Xen offers it (default: on)");

static struct irq_domain *evv_domain __ro_after_init;
static const struct irq_chip *evv_base_dyn __ro_after_init;
static const struct irq_chip *evv_base_lateeoi __ro_after_init;
/* evv_chip under another name, set up by xen_evtchn_vector_init(). */
static struct irq_chip evv_lateeoi_chip __ro_after_init;

static int evv_bind(evtchn_port_t port, unsigned int cpu, unsigned int vector)
{
	struct evtchn_bind_vector bind = {
		.port = port,
		.vcpu = xen_vcpu_nr(cpu),
		.vector = vector,
	};

	return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vector, &bind);
}

/* The events_base.c chip this one wraps. */
static const struct irq_chip *evv_base(struct irq_data *d)
{
	if (irq_data_get_irq_chip(d) == &evv_lateeoi_chip)
		return evv_base_lateeoi;
	return evv_base_dyn;
}

/*
 * Bind the channel to the vector and CPU the vector domain gave the IRQ.
 * Called with the IRQ descriptor locked.
 */
static int evv_bind_irq(struct irq_data *d)
{
	unsigned int cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));
	evtchn_port_t port = xen_evtchn_irq_port(d->irq);
	struct irq_cfg *cfg = irqd_cfg(d);
	int err;

	if (!port)
		return 0;
	if (cpu >= nr_cpu_ids || !cfg)
		return -EINVAL;
	err = evv_bind(port, cpu, cfg->vector);
	if (err) {
		pr_err_ratelimited("irq %u: cannot bind event channel %u to vector %#x on cpu %u: %d\n",
				   d->irq, port, cfg->vector, cpu, err);
		return err;
	}
	xen_evtchn_irq_moved(d->irq, cpu);
	return 0;
}

static void evv_mask(struct irq_data *d)
{
	evv_base(d)->irq_mask(d);
}

/* Unmasking a pending port goes through EVTCHNOP_unmask: Xen raises it. */
static void evv_unmask(struct irq_data *d)
{
	evv_base(d)->irq_unmask(d);
}

/*
 * The local APIC's EOI and the vector domain's move bookkeeping, for an
 * event Xen raised on the vector.  A port raised before its IRQ was
 * activated can still come through the upcall (a FIFO queue held it): its
 * vector is not in service then.  That is rare, so say it.
 */
static void evv_ack_vector(struct irq_data *d)
{
	if (xen_evtchn_in_upcall()) {
		pr_info_ratelimited("irq %u: an event came through the upcall, not on its vector\n",
				    d->irq);
		return;
	}
	xen_evtchn_irq_count(d->irq);
	irq_chip_ack_parent(d);
}

static void evv_ack(struct irq_data *d)
{
	evv_base(d)->irq_ack(d);
	evv_ack_vector(d);
}

static void evv_mask_ack(struct irq_data *d)
{
	evv_base(d)->irq_mask_ack(d);
	evv_ack_vector(d);
}

/* Sets the port pending again and unmasks it: Xen raises it anew. */
static int evv_retrigger(struct irq_data *d)
{
	return evv_base(d)->irq_retrigger(d);
}

/*
 * A vector on the new CPU from the vector domain, then the rebind.  The
 * vector domain keeps the old vector until the first interrupt on the new
 * one, so an event Xen raised on the old binding still arrives.
 */
static int evv_set_affinity(struct irq_data *d, const struct cpumask *dest,
			    bool force)
{
	int ret = irq_chip_set_affinity_parent(d, dest, force);
	int err;

	if (ret < 0 || ret == IRQ_SET_MASK_OK_DONE)
		return ret;
	err = evv_bind_irq(d);
	return err ? err : ret;
}

/*
 * The flow handler: handle_edge_irq(), but not for an interrupt that came
 * while the interrupted code had interrupts disabled.  No local APIC
 * delivers one then; only an event the hypervisor injects regardless of
 * the guest's IF can come, which Xen does only to deliver again an event
 * that a VM exit reports as not delivered yet.  Under QEMU's emulated SVM
 * (the testbed, with its instruction counter) such an injection was seen
 * to repeat a vector the guest had already taken, nested in its handler
 * while that held the descriptor's lock: handle_edge_irq() spun on the lock
 * for ever.  Xen's local APIC did not raise it again (the first is still
 * in service there), so there is nothing to acknowledge, and the handler
 * below it handles the channel: drop it.  Through the upcall the
 * interrupted context is the upcall's and the port was taken off its
 * queue: always handle it.
 */
static void evv_handle_irq(struct irq_desc *desc)
{
	struct pt_regs *regs = get_irq_regs();

	if (unlikely(!xen_evtchn_in_upcall() && regs &&
		     !(regs->flags & X86_EFLAGS_IF))) {
		pr_info_ratelimited("irq %u: an interrupt with interrupts disabled, not from the local APIC: ignored\n",
				    irq_desc_get_irq(desc));
		return;
	}
	handle_edge_irq(desc);
}

static struct irq_chip evv_chip = {
	/* irqbalance looks for "xen-dyn" in the name. */
	.name			= "xen-dyn-vector",
	.irq_disable		= evv_mask,
	.irq_mask		= evv_mask,
	.irq_unmask		= evv_unmask,
	.irq_ack		= evv_ack,
	.irq_mask_ack		= evv_mask_ack,
	.irq_set_affinity	= evv_set_affinity,
	.irq_retrigger		= evv_retrigger,
};

static int evv_domain_alloc(struct irq_domain *dom, unsigned int virq,
			    unsigned int nr_irqs, void *arg)
{
	unsigned int i;
	int err;

	err = irq_domain_alloc_irqs_parent(dom, virq, nr_irqs, arg);
	if (err)
		return err;
	for (i = 0; i < nr_irqs; i++)
		irq_domain_set_info(dom, virq + i, virq + i, &evv_chip, NULL,
				    evv_handle_irq, NULL, "event");
	return 0;
}

/* After the parent's activation: the IRQ has its vector now. */
static int evv_domain_activate(struct irq_domain *dom, struct irq_data *d,
			       bool reserve)
{
	return reserve ? 0 : evv_bind_irq(d);
}

/* Before the parent frees the vector: back to the upcall, masked. */
static void evv_domain_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	evtchn_port_t port = xen_evtchn_irq_port(d->irq);
	int err;

	if (!port)
		return;
	err = evv_bind(port, cpu_from_evtchn(port), 0);
	if (err)
		pr_warn_ratelimited("irq %u: cannot return event channel %u to the upcall: %d\n",
				    d->irq, port, err);
}

static const struct irq_domain_ops evv_domain_ops = {
	.alloc		= evv_domain_alloc,
	.free		= irq_domain_free_irqs_common,
	.activate	= evv_domain_activate,
	.deactivate	= evv_domain_deactivate,
};

/**
 * xen_evtchn_vector_alloc_irq() - an IRQ with a vector of its own
 * @lateeoi: the channel's driver calls xen_irq_lateeoi()
 *
 * Return: an IRQ in the event-channel vector domain, or a negative errno
 * (-ENODEV when the feature is off) for the caller to use the upcall.
 */
int xen_evtchn_vector_alloc_irq(bool lateeoi)
{
	struct irq_alloc_info info;
	int irq;

	if (!evv_domain)
		return -ENODEV;
	init_irq_alloc_info(&info, NULL);
	irq = irq_domain_alloc_irqs(evv_domain, 1, NUMA_NO_NODE, &info);
	if (irq < 0) {
		pr_warn_ratelimited("no vector for an event channel (%d), it uses the upcall\n",
				    irq);
		return irq;
	}
	if (lateeoi)
		irq_set_chip(irq, &evv_lateeoi_chip);
	return irq;
}

/**
 * xen_evtchn_vector_free_irq() - free an IRQ if it is in the vector domain
 * @irq: an IRQ that events_base.c no longer uses
 *
 * Return: true if @irq was one of this domain's and is freed now.
 */
bool xen_evtchn_vector_free_irq(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	if (!evv_domain || !d || d->domain != evv_domain)
		return false;
	irq_domain_free_irqs(irq, 1);
	return true;
}

/**
 * xen_evtchn_vector_rebind() - bind an IRQ's new channel to its vector
 * @irq: an IRQ that rebind_evtchn_irq() gave a new channel
 *
 * After a restore or a migration Xen holds no binding, and only the IRQs
 * of xenstore and the console keep theirs across it, on a new channel:
 * bind it to the vector and CPU the IRQ has, before it is unmasked.
 * Nothing for an IRQ on the upcall.
 */
void xen_evtchn_vector_rebind(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!evv_domain || !desc || desc->irq_data.domain != evv_domain)
		return;
	raw_spin_lock_irqsave(&desc->lock, flags);
	evv_bind_irq(&desc->irq_data);
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

static bool __init evv_offered(void)
{
	u32 base = xen_cpuid_base();

	return base && (cpuid_eax(base + 4) & XEN_HVM_CPUID_EVTCHN_VECTOR);
}

/**
 * xen_evtchn_vector_init() - set up the vector domain if Xen offers it
 * @dyn: the chip of events_base.c for channels without late EOI
 * @lateeoi: its chip for channels with late EOI
 *
 * Called by xen_init_IRQ() once the event channel ABI is chosen.
 */
void __init xen_evtchn_vector_init(const struct irq_chip *dyn,
				   const struct irq_chip *lateeoi)
{
	struct fwnode_handle *fn;

	if (!xen_hvm_domain())
		goto off;
	if (!evtchn_vectors) {
		pr_info("event channel vectors off (xen.evtchn_vectors=0): event channels use the upcall\n");
		return;
	}
	if (!evv_offered()) {
		pr_info("Xen does not offer EVTCHNOP_bind_vector: event channels use the upcall\n");
		goto off;
	}
	if (!xen_fifo_events) {
		pr_info("event channel vectors need the FIFO ABI: event channels use the upcall\n");
		goto off;
	}
	fn = irq_domain_alloc_named_fwnode("XEN-EVTCHN");
	if (!fn)
		goto off;
	evv_domain = irq_domain_create_hierarchy(x86_vector_domain, 0, 0, fn,
						 &evv_domain_ops, NULL);
	if (!evv_domain) {
		irq_domain_free_fwnode(fn);
		pr_warn("cannot create the event channel vector domain: event channels use the upcall\n");
		goto off;
	}
	evv_base_dyn = dyn;
	evv_base_lateeoi = lateeoi;
	evv_lateeoi_chip = evv_chip;
	evv_lateeoi_chip.name = "xen-dyn-vector-lateeoi";
	pr_info("interdomain event channels get vectors of their own (xen.evtchn_vectors=0 turns this off)\n");
	return;
off:
	/* What /sys/module/xen/parameters/evtchn_vectors shows: in use or not. */
	evtchn_vectors = false;
}
