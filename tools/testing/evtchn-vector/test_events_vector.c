// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/xen/events/events_vector.c compiled unchanged against fakes of
 * genirq, the x86 vector domain and Xen (shim/evv-shim.h): when the
 * feature turns on, which chip an IRQ gets, and what each step of a
 * channel's life asks Xen for: activation, affinity moves (with the
 * vector domain failing, or having nothing to do), acks on the vector
 * and through the upcall, deactivation, the rebind after a restore and
 * freeing.  The fake vector domain hands out a new vector for each move;
 * the fake Xen records each EVTCHNOP_bind_vector and whether the IRQ's
 * descriptor was locked during it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../drivers/xen/events/events_vector.c"

#include "../common/test.h"

/* ---- The fakes ---------------------------------------------------------- */

#define NR_IRQS		32
#define FIRST_IRQ	24
#define VCPU_BASE	100	/* xen_vcpu_nr(cpu) is cpu + VCPU_BASE */

unsigned int nr_cpu_ids = 4;
bool xen_fifo_events;
struct irq_domain *x86_vector_domain = &(struct irq_domain){};

static struct {
	struct irq_desc desc[NR_IRQS];
	bool used[NR_IRQS];
	evtchn_port_t port[NR_IRQS];	/* xen_evtchn_irq_port() */
	unsigned int port_cpu[64];	/* cpu_from_evtchn() */
	bool hvm;
	u32 cpuid_base, cpuid_eax;
	bool no_fwnode, no_domain;
	int parent_affinity_ret;	/* irq_chip_set_affinity_parent() */
	unsigned int next_vector;
	int bind_ret;
	unsigned int binds;
	struct evtchn_bind_vector last_bind;
	bool bind_locked;
	unsigned int moved_irq, moved_cpu, moves;
	unsigned int counted, parent_acks, frees;
	irq_flow_handler_t handler[NR_IRQS];	/* irq_domain_set_info() */
	struct irq_desc *edge_handled;		/* handle_edge_irq() */
	unsigned int edges;
	struct pt_regs *regs;			/* get_irq_regs() */
	const char *base_called;
	struct irq_domain domain;
	struct fwnode_handle fwnode;
} f;

struct irq_desc *irq_to_desc(unsigned int irq)
{
	return irq < NR_IRQS && f.used[irq] ? &f.desc[irq] : NULL;
}

struct irq_data *irq_get_irq_data(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	return desc ? &desc->irq_data : NULL;
}

const struct irq_chip *irq_data_get_irq_chip(struct irq_data *d)
{
	return d->chip;
}

const struct cpumask *irq_data_get_effective_affinity_mask(struct irq_data *d)
{
	return &d->effective;
}

struct irq_cfg *irqd_cfg(struct irq_data *d)
{
	return &d->cfg;
}

int irq_set_chip(unsigned int irq, const struct irq_chip *chip)
{
	f.desc[irq].irq_data.chip = chip;
	return 0;
}

void irq_chip_ack_parent(struct irq_data *d)
{
	f.parent_acks++;
}

/* The vector domain: a new vector on the first CPU of @dest. */
int irq_chip_set_affinity_parent(struct irq_data *d,
				 const struct cpumask *dest, bool force)
{
	if (f.parent_affinity_ret < 0 ||
	    f.parent_affinity_ret == IRQ_SET_MASK_OK_DONE)
		return f.parent_affinity_ret;
	d->effective.bits = BIT(cpumask_first(dest));
	d->cfg.vector = f.next_vector++;
	return f.parent_affinity_ret;
}

void handle_edge_irq(struct irq_desc *desc)
{
	f.edge_handled = desc;
	f.edges++;
}

struct pt_regs *get_irq_regs(void)
{
	return f.regs;
}

void init_irq_alloc_info(struct irq_alloc_info *info,
			 const struct cpumask *mask)
{
	memset(info, 0, sizeof(*info));
}

int irq_domain_alloc_irqs_parent(struct irq_domain *d, unsigned int virq,
				 unsigned int nr_irqs, void *arg)
{
	return 0;
}

void irq_domain_set_info(struct irq_domain *d, unsigned int virq,
			 unsigned long hwirq, const struct irq_chip *chip,
			 void *chip_data, irq_flow_handler_t handler,
			 void *handler_data, const char *handler_name)
{
	f.desc[virq].irq_data.domain = d;
	f.desc[virq].irq_data.chip = chip;
	f.handler[virq] = handler;
}

void irq_domain_free_irqs_common(struct irq_domain *d, unsigned int virq,
				 unsigned int nr_irqs)
{
}

/* An IRQ on CPU 0 with vector 0x30, not yet activated. */
int irq_domain_alloc_irqs(struct irq_domain *d, unsigned int nr_irqs,
			  int node, void *arg)
{
	unsigned int irq;
	int err;

	for (irq = FIRST_IRQ; irq < NR_IRQS && f.used[irq]; irq++)
		;
	if (irq == NR_IRQS)
		return -ENOSPC;
	memset(&f.desc[irq], 0, sizeof(f.desc[irq]));
	f.desc[irq].irq_data.irq = irq;
	f.desc[irq].irq_data.effective.bits = BIT(0);
	f.desc[irq].irq_data.cfg.vector = 0x30;
	f.used[irq] = true;
	err = d->ops->alloc(d, irq, nr_irqs, arg);
	if (err) {
		f.used[irq] = false;
		return err;
	}
	return irq;
}

void irq_domain_free_irqs(unsigned int virq, unsigned int nr_irqs)
{
	f.used[virq] = false;
	f.frees++;
}

struct fwnode_handle *irq_domain_alloc_named_fwnode(const char *name)
{
	f.fwnode.name = name;
	return f.no_fwnode ? NULL : &f.fwnode;
}

void irq_domain_free_fwnode(struct fwnode_handle *fn)
{
	CHECK(fn == &f.fwnode);
}

struct irq_domain *
irq_domain_create_hierarchy(struct irq_domain *parent, unsigned int flags,
			    unsigned int size, struct fwnode_handle *fn,
			    const struct irq_domain_ops *ops, void *host_data)
{
	CHECK(parent == x86_vector_domain);
	if (f.no_domain)
		return NULL;
	f.domain.ops = ops;
	f.domain.parent = parent;
	return &f.domain;
}

int HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	const struct evtchn_bind_vector *bind = arg;
	struct irq_desc *desc;
	unsigned int irq;

	CHECK_EQ(cmd, EVTCHNOP_bind_vector);
	f.binds++;
	f.last_bind = *bind;
	f.bind_locked = false;
	for (irq = 0; irq < NR_IRQS; irq++) {
		desc = irq_to_desc(irq);
		if (desc && f.port[irq] == bind->port)
			f.bind_locked = desc->lock.locked;
	}
	return f.bind_ret;
}

u32 xen_cpuid_base(void)
{
	return f.cpuid_base;
}

u32 cpuid_eax(u32 leaf)
{
	return leaf == f.cpuid_base + 4 ? f.cpuid_eax : 0;
}

bool xen_hvm_domain(void)
{
	return f.hvm;
}

u32 xen_vcpu_nr(int cpu)
{
	return cpu + VCPU_BASE;
}

unsigned int cpu_from_evtchn(evtchn_port_t port)
{
	return f.port_cpu[port];
}

evtchn_port_t xen_evtchn_irq_port(unsigned int irq)
{
	return f.port[irq];
}

void xen_evtchn_irq_moved(unsigned int irq, unsigned int cpu)
{
	f.moved_irq = irq;
	f.moved_cpu = cpu;
	f.moves++;
}

void xen_evtchn_irq_count(unsigned int irq)
{
	f.counted++;
}

/* The kernel log: the lines since the last shim_log_clear(). */
static char log_lines[64][256];
static unsigned int log_nr;

void shim_printk(const char *level, const char *fmt, ...)
{
	va_list ap;

	if (log_nr == ARRAY_SIZE(log_lines)) {
		t_fail(__FILE__, __LINE__);
		printf("more than %zu log lines\n", ARRAY_SIZE(log_lines));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(log_lines[log_nr++], sizeof(log_lines[0]), fmt, ap);
	va_end(ap);
	if (getenv("SHIM_VERBOSE_LOG"))
		printf("#   [%s] %s", level, log_lines[log_nr - 1]);
}

unsigned int shim_log_count(const char *needle)
{
	unsigned int i, n = 0;

	for (i = 0; i < log_nr; i++)
		n += !!strstr(log_lines[i], needle);
	return n;
}

void shim_log_clear(void)
{
	log_nr = 0;
}

/* events_base.c's chips, each function saying which chip ran. */
#define BASE_CHIP(name)							\
static void name##_mask(struct irq_data *d) { f.base_called = #name; }	\
static void name##_ack(struct irq_data *d) { f.base_called = #name; }	\
static int name##_retrigger(struct irq_data *d)			\
{									\
	f.base_called = #name;						\
	return 0;							\
}									\
static const struct irq_chip name##_chip = {				\
	.irq_mask = name##_mask, .irq_unmask = name##_mask,		\
	.irq_ack = name##_ack, .irq_mask_ack = name##_ack,		\
	.irq_retrigger = name##_retrigger,				\
}

BASE_CHIP(dyn);
BASE_CHIP(lateeoi);

/* ---- Helpers -------------------------------------------------------------- */

/* A guest that gets the feature: HVM, Xen offers it, FIFO, parameter on. */
static void setup(void)
{
	memset(&f, 0, sizeof(f));
	f.hvm = true;
	f.cpuid_base = 0x40000000;
	f.cpuid_eax = XEN_HVM_CPUID_EVTCHN_VECTOR;
	f.next_vector = 0x40;
	xen_fifo_events = true;
	evtchn_vectors = true;
	evv_domain = NULL;
	xen_evtchn_upcall_handling(false);
	shim_log_clear();
}

/* An IRQ of the domain for @port (on @cpu for the upcall), activated. */
static unsigned int active_irq(bool lateeoi, evtchn_port_t port,
			       unsigned int cpu)
{
	int irq = xen_evtchn_vector_alloc_irq(lateeoi);

	CHECK(irq >= FIRST_IRQ);
	if (irq < 0)
		return 0;
	f.port[irq] = port;
	f.port_cpu[port] = cpu;
	CHECK_EQ(evv_domain_ops.activate(evv_domain, &f.desc[irq].irq_data,
					 false), 0);
	return irq;
}

static struct irq_data *data_of(unsigned int irq)
{
	return &f.desc[irq].irq_data;
}

static void check_bind(evtchn_port_t port, unsigned int cpu,
		       unsigned int vector)
{
	CHECK_EQ(f.last_bind.port, port);
	CHECK_EQ(f.last_bind.vcpu, cpu + VCPU_BASE);
	CHECK_EQ(f.last_bind.vector, vector);
	CHECK_EQ(f.last_bind.flags, 0);
}

/* ---- When the feature is on ---------------------------------------------- */

struct init_row {
	const char *what;
	bool hvm, param, offered, fifo, no_fwnode, no_domain;
	bool on;
	const char *log;
};

static const struct init_row init_rows[] = {
	{ "all there", true, true, true, true, false, false, true,
	  "get vectors of their own" },
	{ "PV guest", false, true, true, true, false, false, false, NULL },
	{ "xen.evtchn_vectors=0", true, false, true, true, false, false, false,
	  "xen.evtchn_vectors=0" },
	{ "Xen without the operation", true, true, false, true, false, false,
	  false, "does not offer EVTCHNOP_bind_vector" },
	{ "2-level ABI", true, true, true, false, false, false, false,
	  "need the FIFO ABI" },
	{ "no fwnode", true, true, true, true, true, false, false, NULL },
	{ "no domain", true, true, true, true, false, true, false,
	  "cannot create the event channel vector domain" },
};

static void test_init(void)
{
	const struct init_row *r;

	for (r = init_rows; r < init_rows + ARRAY_SIZE(init_rows); r++) {
		setup();
		T_CASE("%s", r->what);
		f.hvm = r->hvm;
		evtchn_vectors = r->param;
		f.cpuid_eax = r->offered ? XEN_HVM_CPUID_EVTCHN_VECTOR : BIT(3);
		xen_fifo_events = r->fifo;
		f.no_fwnode = r->no_fwnode;
		f.no_domain = r->no_domain;
		xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
		CHECK_EQ(!!evv_domain, r->on);
		/* The parameter reads Y only when the feature is in use. */
		CHECK_EQ(evtchn_vectors, r->on);
		if (r->log)
			CHECK_EQ(shim_log_count(r->log), 1);
		if (!r->on)
			CHECK_EQ(xen_evtchn_vector_alloc_irq(false), -ENODEV);
	}
	T_CASE_END();
}

/* No Xen CPUID leaves at all: off, without reading leaf 4. */
static void test_init_no_xen_leaves(void)
{
	setup();
	f.cpuid_base = 0;
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	CHECK(!evv_domain);
	CHECK(!evtchn_vectors);
}

/* ---- An IRQ's life --------------------------------------------------------- */

/* Each chip wraps its own base chip; both bind at activation. */
static void test_chips(void)
{
	unsigned int a, b;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	a = active_irq(false, 5, 0);
	CHECK(data_of(a)->chip == &evv_chip);
	CHECK(!strcmp(data_of(a)->chip->name, "xen-dyn-vector"));
	data_of(a)->chip->irq_mask(data_of(a));
	CHECK(!strcmp(f.base_called, "dyn"));
	b = active_irq(true, 6, 0);
	CHECK(data_of(b)->chip == &evv_lateeoi_chip);
	CHECK(!strcmp(data_of(b)->chip->name, "xen-dyn-vector-lateeoi"));
	data_of(b)->chip->irq_unmask(data_of(b));
	CHECK(!strcmp(f.base_called, "lateeoi"));
	data_of(b)->chip->irq_retrigger(data_of(b));
	CHECK(!strcmp(f.base_called, "lateeoi"));
	CHECK_EQ(f.binds, 2);
	check_bind(6, 0, 0x30);
	CHECK_EQ(f.moved_irq, b);
	CHECK_EQ(f.moved_cpu, 0);
}

/* Activation: a reservation binds nothing, nor does an IRQ with no port. */
static void test_activate(void)
{
	int irq;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	irq = xen_evtchn_vector_alloc_irq(false);
	f.port[irq] = 7;
	CHECK_EQ(evv_domain_ops.activate(evv_domain, data_of(irq), true), 0);
	CHECK_EQ(f.binds, 0);
	f.port[irq] = 0;
	CHECK_EQ(evv_domain_ops.activate(evv_domain, data_of(irq), false), 0);
	CHECK_EQ(f.binds, 0);
	f.port[irq] = 7;
	data_of(irq)->effective.bits = BIT(2);
	data_of(irq)->cfg.vector = 0x55;
	CHECK_EQ(evv_domain_ops.activate(evv_domain, data_of(irq), false), 0);
	check_bind(7, 2, 0x55);
	CHECK_EQ(f.moves, 1);
	/* Xen refuses: the error goes back, the channel did not move. */
	f.bind_ret = -EINVAL;
	CHECK_EQ(evv_domain_ops.activate(evv_domain, data_of(irq), false),
		 -EINVAL);
	CHECK_EQ(f.moves, 1);
	CHECK_EQ(shim_log_count("cannot bind event channel 7"), 1);
}

struct move_row {
	const char *what;
	int parent_ret, bind_ret;
	int want;
	bool bound, moved;
};

static const struct move_row move_rows[] = {
	{ "moved", IRQ_SET_MASK_OK, 0, IRQ_SET_MASK_OK, true, true },
	{ "moved, mask not copied", IRQ_SET_MASK_OK_NOCOPY, 0,
	  IRQ_SET_MASK_OK_NOCOPY, true, true },
	{ "the vector domain did it all", IRQ_SET_MASK_OK_DONE, 0,
	  IRQ_SET_MASK_OK_DONE, false, false },
	{ "no vector free there", -ENOSPC, 0, -ENOSPC, false, false },
	{ "Xen refuses the bind", IRQ_SET_MASK_OK, -ENOENT, -ENOENT, true,
	  false },
};

/* irq_set_affinity(): a new vector on the new CPU, then the rebind. */
static void test_set_affinity(void)
{
	const struct move_row *r;
	struct cpumask dest = { BIT(3) };
	unsigned int irq, binds;
	int ret;

	for (r = move_rows; r < move_rows + ARRAY_SIZE(move_rows); r++) {
		setup();
		T_CASE("%s", r->what);
		xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
		irq = active_irq(true, 9, 0);
		binds = f.binds;
		f.moves = 0;
		f.parent_affinity_ret = r->parent_ret;
		f.bind_ret = r->bind_ret;
		ret = data_of(irq)->chip->irq_set_affinity(data_of(irq), &dest,
							   false);
		CHECK_EQ(ret, r->want);
		CHECK_EQ(f.binds - binds, r->bound);
		if (r->bound) {
			check_bind(9, 3, 0x40);
			CHECK(!f.bind_locked);
		}
		CHECK_EQ(f.moves, r->moved);
		if (r->moved)
			CHECK_EQ(f.moved_cpu, 3);
	}
	T_CASE_END();
}

/*
 * An ack on the vector clears the event (the base chip), counts it and
 * ends the APIC's interrupt (the parent); one that came through the
 * upcall must not end the upcall's vector, and is logged.
 */
static void test_ack(void)
{
	unsigned int irq;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	irq = active_irq(true, 11, 1);
	data_of(irq)->chip->irq_ack(data_of(irq));
	CHECK(!strcmp(f.base_called, "lateeoi"));
	CHECK_EQ(f.counted, 1);
	CHECK_EQ(f.parent_acks, 1);
	f.base_called = NULL;
	data_of(irq)->chip->irq_mask_ack(data_of(irq));
	CHECK(f.base_called && !strcmp(f.base_called, "lateeoi"));
	CHECK_EQ(f.counted, 2);
	CHECK_EQ(f.parent_acks, 2);
	CHECK_EQ(shim_log_count("came through the upcall"), 0);

	xen_evtchn_upcall_handling(true);
	f.base_called = NULL;
	data_of(irq)->chip->irq_ack(data_of(irq));
	CHECK(f.base_called && !strcmp(f.base_called, "lateeoi"));
	data_of(irq)->chip->irq_mask_ack(data_of(irq));
	xen_evtchn_upcall_handling(false);
	CHECK_EQ(f.counted, 2);
	CHECK_EQ(f.parent_acks, 2);
	CHECK_EQ(shim_log_count("came through the upcall"), 2);
}

/*
 * The flow handler: an interrupt on the vector goes to handle_edge_irq(),
 * but one that came while the interrupted code had interrupts disabled is
 * not the local APIC's (QEMU's emulated SVM had Xen inject an event again,
 * nested in the handler of the first, which holds the descriptor's lock):
 * it is dropped, neither handled nor acknowledged, and logged.  Through
 * the upcall, or without a register frame, it is always handled.
 */
static void test_flow_handler(void)
{
	struct pt_regs on = { .flags = X86_EFLAGS_IF | 0x2 };
	struct pt_regs off = { .flags = 0x2 };
	irq_flow_handler_t flow;
	unsigned int irq;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	irq = active_irq(true, 13, 1);
	flow = f.handler[irq];
	CHECK(flow);
	if (!flow)
		return;

	f.regs = &on;
	flow(&f.desc[irq]);
	CHECK_EQ(f.edges, 1);
	CHECK(f.edge_handled == &f.desc[irq]);

	f.regs = &off;
	flow(&f.desc[irq]);
	CHECK_EQ(f.edges, 1);
	CHECK_EQ(f.parent_acks, 0);
	CHECK_EQ(shim_log_count("with interrupts disabled"), 1);

	xen_evtchn_upcall_handling(true);
	flow(&f.desc[irq]);
	xen_evtchn_upcall_handling(false);
	CHECK_EQ(f.edges, 2);

	f.regs = NULL;
	flow(&f.desc[irq]);
	CHECK_EQ(f.edges, 3);
	CHECK_EQ(shim_log_count("with interrupts disabled"), 1);
}

/* Deactivation: back to the upcall (vector 0) on the channel's vCPU. */
static void test_deactivate(void)
{
	unsigned int irq;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	irq = active_irq(false, 12, 2);
	evv_domain_ops.deactivate(evv_domain, data_of(irq));
	check_bind(12, 2, 0);
	f.bind_ret = -EINVAL;
	evv_domain_ops.deactivate(evv_domain, data_of(irq));
	CHECK_EQ(shim_log_count("cannot return event channel 12 to the upcall"),
		 1);
	/* A channel closed first (a restore zeroes them all): no call. */
	f.port[irq] = 0;
	f.binds = 0;
	evv_domain_ops.deactivate(evv_domain, data_of(irq));
	CHECK_EQ(f.binds, 0);
}

/*
 * After a restore Xen holds no binding: rebind_evtchn_irq() gives the
 * IRQ a new channel, which must be bound to the IRQ's vector and CPU,
 * under the descriptor's lock, before it is unmasked.
 */
static void test_rebind_after_restore(void)
{
	struct cpumask dest = { BIT(1) };
	unsigned int irq;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	irq = active_irq(false, 3, 0);
	CHECK_EQ(data_of(irq)->chip->irq_set_affinity(data_of(irq), &dest,
						      false), IRQ_SET_MASK_OK);
	check_bind(3, 1, 0x40);
	/* The restore: a new channel for the IRQ, nothing bound in Xen. */
	f.port[irq] = 21;
	f.binds = 0;
	f.moves = 0;
	xen_evtchn_vector_rebind(irq);
	CHECK_EQ(f.binds, 1);
	check_bind(21, 1, 0x40);
	CHECK(f.bind_locked);
	CHECK_EQ(f.desc[irq].lock.locked, 0);
	CHECK_EQ(f.moves, 1);
	CHECK_EQ(f.moved_cpu, 1);
}

/* An IRQ outside the domain, or the feature off: the rebind does nothing. */
static void test_rebind_not_ours(void)
{
	unsigned int irq;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	irq = active_irq(false, 4, 0);
	f.binds = 0;
	data_of(irq)->domain = x86_vector_domain;
	xen_evtchn_vector_rebind(irq);
	CHECK_EQ(f.binds, 0);
	CHECK(!xen_evtchn_vector_free_irq(irq));
	xen_evtchn_vector_rebind(NR_IRQS + 1);
	CHECK_EQ(f.binds, 0);
	evv_domain = NULL;
	data_of(irq)->domain = &f.domain;
	xen_evtchn_vector_rebind(irq);
	CHECK_EQ(f.binds, 0);
}

/* Freeing: only the domain's own IRQs, each once. */
static void test_free(void)
{
	unsigned int irq;

	setup();
	xen_evtchn_vector_init(&dyn_chip, &lateeoi_chip);
	irq = active_irq(false, 8, 0);
	CHECK(xen_evtchn_vector_free_irq(irq));
	CHECK_EQ(f.frees, 1);
	CHECK(!xen_evtchn_vector_free_irq(irq));
	CHECK(!xen_evtchn_vector_free_irq(5));
	CHECK_EQ(f.frees, 1);
}

static const struct t_case_def t_cases[] = {
	T_CASE_DEF(test_init),
	T_CASE_DEF(test_init_no_xen_leaves),
	T_CASE_DEF(test_chips),
	T_CASE_DEF(test_activate),
	T_CASE_DEF(test_set_affinity),
	T_CASE_DEF(test_ack),
	T_CASE_DEF(test_flow_handler),
	T_CASE_DEF(test_deactivate),
	T_CASE_DEF(test_rebind_after_restore),
	T_CASE_DEF(test_rebind_not_ours),
	T_CASE_DEF(test_free),
	{}
};

T_SUITE(xen_events_vector, t_cases, setup);
