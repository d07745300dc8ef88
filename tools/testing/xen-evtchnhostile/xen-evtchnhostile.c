// SPDX-License-Identifier: GPL-2.0
/*
 * xen-evtchnhostile: tests EVTCHNOP_bind_vector from inside a guest.
 *
 * Test-only: it lives under tools/testing/ and is never installed with the
 * drivers.  Loaded in an HVM/PVH guest on a hypervisor with
 * patches/xen (Documentation/evtchn-vector.rst), it
 *
 *  1. probes the feature (XEN_HVM_CPUID_EVTCHN_VECTOR) and the operation;
 *  2. makes a loopback channel (port P, bound to a Linux event channel IRQ
 *     whose handler counts upcall deliveries, and its peer Q to send on) and
 *     two interrupts straight from the x86 vector domain, each with its own
 *     vector on its own CPU, whose handlers count what Xen injects;
 *  3. checks delivery: the upcall before binding; the bound vector on its
 *     CPU after; no second injection while the port is still pending; a
 *     rebind that raises the pending port again on the new vector; mask,
 *     send, EVTCHNOP_unmask; vector 0 back to the upcall; -EBUSY from
 *     EVTCHNOP_bind_vcpu on a bound port; a closed port's number used again
 *     is not bound any more;
 *  4. attacks: every vCPU, vector and flags fault, every port of the guest
 *     that is not unbound or interdomain, ports past the end, random calls,
 *     and a storm of rebinds while another CPU sends on the channel, each
 *     call judged by evh_expect() (evtchn-expect.h, the specification).
 *
 * Each check logs one line
 *
 *	xen-evtchnhostile: NAME: WHAT ok|WRONG
 *
 * (the attacks only when WRONG, and one summary line per group) and the
 * counters are read-only module parameters (total, wrong, done, feature)
 * for the testbed's guest script, which also fails on any kernel warning
 * or "No irq handler for vector" (an injection on a vector nobody owns).
 * On a guest without the feature (PV, or a hypervisor without the patch)
 * only the probe and, if the operation exists, the attacks run.
 */

#define pr_fmt(fmt) "xen-evtchnhostile: " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <asm/hw_irq.h>
#include <asm/irq_vectors.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <xen/events.h>
#include <xen/xen.h>
#include <xen/xen-ops.h>
#include <xen/interface/event_channel.h>
#include <xenpv/evtchn-vector-abi.h>

#include "evtchn-expect.h"

/* How long a delivery may take to show up; how long "none" is watched. */
#define EVH_WAIT_MS		5000
#define EVH_QUIET_MS		300
/*
 * Every call is a VM exit, which the testbed's emulated SVM makes slow
 * (about a millisecond): enough calls to mix every case, no more.
 */
#define EVH_STORM		600
#define EVH_RANDOM		500
/* Ports scanned for ones that must not be bound. */
#define EVH_MAX_SCAN		1024
/* Unbound ports held so that P starts a 2-level word of its own. */
#define EVH_MAX_FILL		128
#define EVH_WORD_BITS		64
/* Xen's answer to an operation it does not have (its errno.h: ENOSYS). */
#define EVH_XEN_NO_OP		(-38)

static int expect_feature = -1;
module_param(expect_feature, int, 0444);
MODULE_PARM_DESC(expect_feature,
		 "1: the feature must be offered, 0: must not, -1: either");

static int total;
module_param(total, int, 0444);
MODULE_PARM_DESC(total, "checks made");
static int wrong;
module_param(wrong, int, 0444);
MODULE_PARM_DESC(wrong, "checks that went wrong");
static int done;
module_param(done, int, 0444);
MODULE_PARM_DESC(done, "1 once every check ran");
static int feature;
module_param(feature, int, 0444);
MODULE_PARM_DESC(feature, "1 if XEN_HVM_CPUID_EVTCHN_VECTOR is offered");

/**
 * struct evh_vec - an interrupt with its own vector on one CPU
 * @irq: Linux IRQ, from the x86 vector domain
 * @cpu: the CPU it is on
 * @vcpu: that CPU's Xen vCPU id
 * @vector: its vector there
 * @hits: interrupts taken
 * @elsewhere: interrupts taken on another CPU (must stay 0)
 */
struct evh_vec {
	int irq;
	unsigned int cpu;
	u32 vcpu;
	u32 vector;
	atomic_t hits;
	atomic_t elsewhere;
};

/**
 * struct evh_ctx - the test's channel and interrupts
 * @p: the port under test (receives what @q sends)
 * @q: its loopback peer
 * @evirq: Linux's event channel IRQ of @p (the upcall path)
 * @home_vcpu: the vCPU Linux bound @p to; back on the upcall it goes there
 *	(Linux's 2-level ABI code looks for a port only on its own vCPU)
 * @upcalls: @p delivered through the upcall
 * @leave_pending: the vector handlers leave @p pending
 * @vec: the two vector interrupts
 * @stop: ends the sender thread of the storm
 * @sent: sends of the storm's sender thread
 * @fill: unbound ports held below @p (evh_fill_word())
 * @nr_fill: how many
 */
struct evh_ctx {
	evtchn_port_t p, q;
	int evirq;
	u32 home_vcpu;
	atomic_t upcalls;
	bool leave_pending;
	struct evh_vec vec[2];
	bool stop;
	unsigned long sent;
	evtchn_port_t fill[EVH_MAX_FILL];
	int nr_fill;
};

static struct evh_ctx evh = { .evirq = -1, .vec = { { .irq = -1 }, { .irq = -1 } } };
static unsigned long evh_start;

/* Say which group of checks starts, and when: a hang shows where. */
static void evh_phase(const char *name)
{
	pr_info("%s (at %u ms)\n", name, jiffies_to_msecs(jiffies - evh_start));
}

static void evh_judge(const char *name, const char *what, bool ok)
{
	total++;
	if (!ok)
		wrong++;
	pr_info("%s: %s %s\n", name, what, ok ? "ok" : "WRONG");
}

/* ---- Hypercalls ---------------------------------------------------------- */

static int evh_bind(evtchn_port_t port, u32 vcpu, u32 vector, u32 flags)
{
	struct evtchn_bind_vector bv = {
		.port = port, .vcpu = vcpu, .vector = vector, .flags = flags,
	};

	return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vector, &bv);
}

static int evh_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

static int evh_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

/* EVTCHNSTAT_* of @port (and its vCPU in @vcpu), or EVH_PORT_INVALID. */
static u32 evh_status(evtchn_port_t port, u32 *vcpu)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	if (HYPERVISOR_event_channel_op(EVTCHNOP_status, &st))
		return EVH_PORT_INVALID;
	if (vcpu)
		*vcpu = st.vcpu;
	return st.status;
}

/*
 * Linux's 2-level ABI code scans a word of 64 pending bits whenever Xen
 * flags it, and takes every pending unmasked port of its CPU there: a
 * bound port in a word with busy ports (0-63: xenstore, the console,
 * timers) would be taken by that scan too, which the Linux side must
 * prevent for its bound ports, and a test cannot.  Hold the free ports up
 * to the start of a word, so that P starts a word no busy port shares (Xen
 * hands out the lowest free port).
 */
static int evh_fill_word(void)
{
	struct evtchn_alloc_unbound au = {
		.dom = DOMID_SELF, .remote_dom = DOMID_SELF,
	};
	int rc;

	while (evh.nr_fill < EVH_MAX_FILL) {
		au.port = 0;
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au);
		if (rc)
			return rc;
		if (au.port >= EVH_WORD_BITS && !(au.port % EVH_WORD_BITS)) {
			/* The next allocation gets it again. */
			evh_close(au.port);
			return 0;
		}
		evh.fill[evh.nr_fill++] = au.port;
	}
	return -ENOSPC;
}

/* A loopback channel: @p gets what is sent on @q. */
static int evh_loopback(evtchn_port_t *p, evtchn_port_t *q)
{
	struct evtchn_alloc_unbound au = {
		.dom = DOMID_SELF, .remote_dom = DOMID_SELF,
	};
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	int rc;

	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au);
	if (rc)
		return rc;
	bi.remote_port = au.port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
	if (rc) {
		evh_close(au.port);
		return rc;
	}
	*p = au.port;
	*q = bi.local_port;
	return 0;
}

/* ---- Interrupts ---------------------------------------------------------- */

static irqreturn_t evh_upcall_handler(int irq, void *data)
{
	atomic_inc(&evh.upcalls);
	return IRQ_HANDLED;
}

static irqreturn_t evh_vec_handler(int irq, void *data)
{
	struct evh_vec *v = data;

	if (smp_processor_id() != v->cpu)
		atomic_inc(&v->elsewhere);
	/* The port is delivered here, not through Linux's event IRQ. */
	if (!READ_ONCE(evh.leave_pending))
		xen_clear_irq_pending(evh.evirq);
	atomic_inc(&v->hits);
	return IRQ_HANDLED;
}

/*
 * An interrupt of the x86 vector domain (the default irq domain on x86),
 * with its vector on @cpu: what a guest driver's vector would be.
 */
static int evh_vec_setup(struct evh_vec *v, unsigned int cpu)
{
	struct irq_alloc_info info = { .mask = cpumask_of(cpu) };
	struct irq_data *d;
	int irq, rc;

	irq = irq_domain_alloc_irqs(NULL, 1, cpu_to_node(cpu), &info);
	if (irq < 0)
		return irq;
	irq_set_handler(irq, handle_edge_irq);
	rc = irq_set_affinity(irq, cpumask_of(cpu));
	if (!rc)
		rc = request_irq(irq, evh_vec_handler, 0, "evtchnhostile", v);
	if (rc) {
		irq_dispose_mapping(irq);
		return rc;
	}
	d = irq_get_irq_data(irq);
	v->irq = irq;
	v->cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));
	v->vcpu = xen_vcpu_nr(v->cpu);
	v->vector = irqd_cfg(d)->vector;
	pr_info("irq %d: vector 0x%x on cpu %u (vCPU %u)\n", irq, v->vector,
		v->cpu, v->vcpu);
	return v->cpu == cpu ? 0 : -EIO;
}

static void evh_vec_free(struct evh_vec *v)
{
	if (v->irq < 0)
		return;
	free_irq(v->irq, v);
	irq_dispose_mapping(v->irq);
	v->irq = -1;
}

/* ---- Delivery checks ----------------------------------------------------- */

/* Wait until @a reaches @want; false if it did not within EVH_WAIT_MS. */
static bool evh_wait(atomic_t *a, int want)
{
	unsigned long end = jiffies + msecs_to_jiffies(EVH_WAIT_MS);

	while (atomic_read(a) < want && time_before(jiffies, end))
		usleep_range(1000, 2000);
	return atomic_read(a) >= want;
}

/* The delivery counters: upcalls, hits on vector 0, on vector 1. */
static void evh_snap(int c[3])
{
	c[0] = atomic_read(&evh.upcalls);
	c[1] = atomic_read(&evh.vec[0].hits);
	c[2] = atomic_read(&evh.vec[1].hits);
}

/*
 * Since the snapshot @c, exactly @up more upcalls and @v0, @v1 more hits
 * on the two vectors: wait for the expected ones, then watch EVH_QUIET_MS
 * for any more.
 */
static void evh_expect_counts(const char *name, const int c[3], int up,
			      int v0, int v1)
{
	char what[96];
	int now[3];
	bool ok;

	evh_wait(&evh.upcalls, c[0] + up);
	evh_wait(&evh.vec[0].hits, c[1] + v0);
	evh_wait(&evh.vec[1].hits, c[2] + v1);
	msleep(EVH_QUIET_MS);
	evh_snap(now);
	up = now[0] - c[0] - up;
	v0 = now[1] - c[1] - v0;
	v1 = now[2] - c[2] - v1;
	ok = !up && !v0 && !v1;
	snprintf(what, sizeof(what), "deliveries off by upcall %+d, vec0 %+d, vec1 %+d",
		 up, v0, v1);
	evh_judge(name, ok ? "deliveries as expected" : what, ok);
}

/* Send on Q and expect that delivery (see evh_expect_counts()). */
static void evh_send_expect(const char *name, int up, int v0, int v1)
{
	int c[3];

	evh_snap(c);
	evh_send(evh.q);
	evh_expect_counts(name, c, up, v0, v1);
}

/* Bind @p and judge the result: @want is what the call must return. */
static void evh_bind_judged(const char *name, u32 vcpu, u32 vector, int want)
{
	int rc = evh_bind(evh.p, vcpu, vector, 0);
	char what[64];

	snprintf(what, sizeof(what), "bind to vCPU %u vector 0x%x: %d (want %d)",
		 vcpu, vector, rc, want);
	evh_judge(name, what, rc == want);
}

/* Pending, unmasked, rebound: raised again on the new vector. */
static void evh_check_pending(void)
{
	struct evh_vec *v1 = &evh.vec[1];
	int c[3];

	WRITE_ONCE(evh.leave_pending, true);
	evh_send_expect("pending-send", 0, 1, 0);
	evh_send_expect("pending-again", 0, 0, 0);
	WRITE_ONCE(evh.leave_pending, false);
	evh_snap(c);
	evh_bind_judged("rebind", v1->vcpu, v1->vector, 0);
	evh_expect_counts("rebind-pending", c, 0, 0, 1);
}

/* Masked: nothing; EVTCHNOP_unmask of the pending port injects it. */
static void evh_check_mask(void)
{
	struct evtchn_unmask um = { .port = evh.p };
	int c[3];

	disable_irq(evh.evirq);
	evh_send_expect("masked-send", 0, 0, 0);
	evh_snap(c);
	HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &um);
	evh_expect_counts("unmask", c, 0, 0, 1);
	enable_irq(evh.evirq);
}

static void evh_check_delivery(void)
{
	struct evh_vec *v0 = &evh.vec[0], *v1 = &evh.vec[1];
	struct evtchn_bind_vcpu bvc = { .port = evh.p, .vcpu = v1->vcpu };
	int rc;

	/* Before binding: the upcall, as always. */
	evh_send_expect("upcall", 1, 0, 0);
	evh_bind_judged("bind", v0->vcpu, v0->vector, 0);
	evh_send_expect("bound", 0, 1, 0);
	evh_check_pending();
	evh_check_mask();

	/* Bound ports move with EVTCHNOP_bind_vector only. */
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bvc);
	evh_judge("bind_vcpu", rc == -EBUSY ? "-EBUSY on a bound port" :
		  "bind_vcpu on a bound port did not fail with -EBUSY",
		  rc == -EBUSY);

	/* Vector 0: the upcall again. */
	evh_bind_judged("unbind", evh.home_vcpu, 0, 0);
	evh_send_expect("unbound", 1, 0, 0);
	pr_info("delivery: vec0 %d hits (%d elsewhere), vec1 %d (%d elsewhere)\n",
		atomic_read(&v0->hits), atomic_read(&v0->elsewhere),
		atomic_read(&v1->hits), atomic_read(&v1->elsewhere));
}

/* ---- The storm ----------------------------------------------------------- */

static int evh_sender(void *unused)
{
	/*
	 * Bursts with a pause between: a sender that never sleeps floods the
	 * CPUs with interrupts until, under the testbed's emulation, the
	 * rebinding thread hardly runs.
	 */
	while (!READ_ONCE(evh.stop)) {
		evh_send(evh.q);
		if (++evh.sent % 16)
			cond_resched();
		else
			usleep_range(1000, 2000);
	}
	return 0;
}

/*
 * Rebind @p round the two vectors and the upcall while another CPU sends
 * on it as fast as it can: every call must succeed, nothing may arrive on
 * a CPU that does not own the vector, and the port must still work after.
 */
static void evh_storm(void)
{
	struct evh_vec *v0 = &evh.vec[0], *v1 = &evh.vec[1];
	struct task_struct *t;
	int i, rc, bad = 0;
	char what[96];

	t = kthread_create(evh_sender, NULL, "evtchnhostile");
	if (IS_ERR(t)) {
		evh_judge("storm", "no sender thread", false);
		return;
	}
	kthread_bind(t, v1->cpu);
	WRITE_ONCE(evh.stop, false);
	wake_up_process(t);
	for (i = 0; i < EVH_STORM; i++) {
		switch (i % 3) {
		case 0:
			rc = evh_bind(evh.p, v0->vcpu, v0->vector, 0);
			break;
		case 1:
			rc = evh_bind(evh.p, v1->vcpu, v1->vector, 0);
			break;
		default:
			rc = evh_bind(evh.p, evh.home_vcpu, 0, 0);
			break;
		}
		bad += rc != 0;
		cond_resched();
	}
	WRITE_ONCE(evh.stop, true);
	kthread_stop(t);
	msleep(EVH_QUIET_MS);
	snprintf(what, sizeof(what), "%d rebinds, %d failed, %lu sends",
		 EVH_STORM, bad, evh.sent);
	evh_judge("storm", what, !bad);
	evh_judge("storm-cpu", "every injection on the vector's own CPU",
		  !atomic_read(&v0->elsewhere) && !atomic_read(&v1->elsewhere));

	/* The port still works, and nothing is left over. */
	xen_clear_irq_pending(evh.evirq);
	evh_bind_judged("after-storm", v0->vcpu, v0->vector, 0);
	msleep(EVH_QUIET_MS);
	evh_send_expect("after-storm-send", 0, 1, 0);
}

/* ---- Attacks ------------------------------------------------------------- */

static u32 evh_nr_vcpus(void)
{
	return num_possible_cpus();
}

/* Make the call @c describes and judge it by the specification. */
static bool evh_attack(const char *name, struct evh_call *c)
{
	int want = evh_expect(c);
	int rc = evh_bind(c->arg.port, c->arg.vcpu, c->arg.vector, c->arg.flags);

	total++;
	if (rc == want)
		return true;
	wrong++;
	pr_info("%s: port %u vCPU %u vector 0x%x flags 0x%x: %d (want %d) WRONG\n",
		name, c->arg.port, c->arg.vcpu, c->arg.vector, c->arg.flags, rc, want);
	return false;
}

static void evh_call_init(struct evh_call *c, evtchn_port_t port)
{
	*c = (struct evh_call){
		.hvm = feature,
		.nr_vcpus = evh_nr_vcpus(),
		.upcall_vector = feature ? HYPERVISOR_CALLBACK_VECTOR : 0,
		.port_state = evh_status(port, NULL),
		.arg = { .port = port, .vector = evh.vec[0].vector ?: 0x40 },
	};
	c->arg.vcpu = evh.vec[0].irq >= 0 ? evh.vec[0].vcpu : 0;
}

/* Bad flags, vCPUs and vectors, on the channel's peer Q. */
static void evh_attack_args(void)
{
	static const u32 flags[] = { 1, 2, 0x80000000U, U32_MAX };
	static const u32 vcpus[] = { 4096, 0x10000, U32_MAX - 1, U32_MAX };
	static const u32 vectors[] = { 0x100, 0x1000, 0x80000020U, U32_MAX };
	struct evh_call c;
	int i, n = 0, ok = 0;
	u32 v;

	for (i = 0; i < ARRAY_SIZE(flags); i++, n++) {
		evh_call_init(&c, evh.q);
		c.arg.flags = flags[i];
		ok += evh_attack("flags", &c);
	}
	for (i = 0; i <= ARRAY_SIZE(vcpus); i++, n++) {
		evh_call_init(&c, evh.q);
		c.arg.vcpu = i ? vcpus[i - 1] : evh_nr_vcpus();
		ok += evh_attack("vcpu", &c);
	}
	/* Every vector below 0x20 (0 is "back to the upcall") and past 0xff. */
	for (v = 0; v < XENPV_EVTCHN_VECTOR_MIN; v++, n++) {
		evh_call_init(&c, evh.q);
		c.arg.vector = v;
		ok += evh_attack("vector", &c);
	}
	for (i = 0; i < ARRAY_SIZE(vectors); i++, n++) {
		evh_call_init(&c, evh.q);
		c.arg.vector = vectors[i];
		ok += evh_attack("vector", &c);
	}
	/* The upcall's own vector, on each vCPU. */
	for (v = 0; v < evh_nr_vcpus(); v++, n++) {
		evh_call_init(&c, evh.q);
		c.arg.vcpu = v;
		c.arg.vector = HYPERVISOR_CALLBACK_VECTOR;
		ok += evh_attack("upcall-vector", &c);
	}
	evh_bind(evh.q, 0, 0, 0);
	pr_info("attacks on the arguments: %d of %d as specified\n", ok, n);
}

/*
 * Every port of this guest that is not unbound or interdomain (closed,
 * VIRQ, IPI, PIRQ), and ports past the end; unbound and interdomain ports
 * other than our own belong to drivers (xenstore, the console) and are
 * left alone.
 */
static void evh_attack_ports(void)
{
	static const u32 far[] = { EVH_MAX_SCAN * 8, 1U << 17, 1U << 20, U32_MAX };
	u32 nr = min_t(u32, xen_evtchn_nr_channels(), EVH_MAX_SCAN);
	int n = 0, ok = 0, theirs = 0, i;
	struct evh_call c;
	u32 port;

	for (port = 0; port < nr + 64; port++) {
		evh_call_init(&c, port);
		if ((c.port_state == EVTCHNSTAT_unbound ||
		     c.port_state == EVTCHNSTAT_interdomain) &&
		    port != evh.p && port != evh.q) {
			theirs++;
			continue;
		}
		if (port == evh.p)
			continue;
		ok += evh_attack("port", &c);
		n++;
	}
	for (i = 0; i < ARRAY_SIZE(far); i++, n++) {
		evh_call_init(&c, far[i]);
		ok += evh_attack("far-port", &c);
	}
	evh_bind(evh.q, 0, 0, 0);
	pr_info("attacks on ports: %d of %d as specified (%u scanned, %d drivers' ports left alone)\n",
		ok, n, nr + 64, theirs);
}

/*
 * Random calls on Q (which nothing sends to) or on ports that must not be
 * bound, with random vCPUs, vectors and flags; a fixed seed repeats them.
 */
static void evh_attack_random(void)
{
	static const u32 other[] = { 0, U32_MAX, 1U << 20 };
	struct rnd_state rs;
	struct evh_call c;
	int i, ok = 0;
	u32 r;

	prandom_seed_state(&rs, 0x65766863ULL);
	for (i = 0; i < EVH_RANDOM; i++) {
		r = prandom_u32_state(&rs);
		evh_call_init(&c, r & 1 ? evh.q : other[(r >> 1) % ARRAY_SIZE(other)]);
		c.arg.vcpu = (r >> 4) % (evh_nr_vcpus() + 2);
		c.arg.vector = (r >> 8) % 0x110;
		c.arg.flags = (r >> 20) % 16 ? 0 : r >> 24;
		ok += evh_attack("random", &c);
	}
	evh_bind(evh.q, 0, 0, 0);
	pr_info("random calls: %d of %d as specified\n", ok, EVH_RANDOM);
}

/* ---- Closing ------------------------------------------------------------- */

/*
 * Close a bound port and take its number again (Xen hands out the lowest
 * free port): the new channel must arrive through the upcall, not on the
 * old port's vector.
 */
static void evh_check_close(void)
{
	struct evh_vec *v0 = &evh.vec[0];
	evtchn_port_t old = evh.p, q = evh.q;
	char what[96];
	int rc;

	evh_bind_judged("close-bind", v0->vcpu, v0->vector, 0);
	unbind_from_irqhandler(evh.evirq, &evh);
	evh.evirq = -1;
	evh_close(q);
	rc = evh_bind(old, v0->vcpu, v0->vector, 0);
	evh_judge("closed-port", rc == -EINVAL ? "bind of a closed port: -EINVAL" :
		  "bind of a closed port did not fail with -EINVAL", rc == -EINVAL);

	rc = evh_loopback(&evh.p, &evh.q);
	if (!rc)
		rc = bind_evtchn_to_irqhandler(evh.p, evh_upcall_handler, 0,
					       "evtchnhostile-up", &evh);
	if (rc < 0) {
		evh_judge("reopen", "no second loopback channel", false);
		return;
	}
	evh.evirq = rc;
	snprintf(what, sizeof(what), "port %u again as port %u", old, evh.p);
	pr_info("reopen: %s\n", what);
	evh_send_expect("reopened", 1, 0, 0);
}

/* ---- Setup and module glue ----------------------------------------------- */

static int evh_probe(void)
{
	u32 base = xen_cpuid_base();
	int rc;

	feature = xen_hvm_domain() && base &&
		  (cpuid_eax(base + 4) & XEN_HVM_CPUID_EVTCHN_VECTOR);
	rc = evh_bind(0, 0, 0, 1);
	pr_info("feature %s; EVTCHNOP_bind_vector with bad flags: %d\n",
		feature ? "offered" : "not offered", rc);
	if (expect_feature >= 0)
		evh_judge("probe", feature ? "offered" : "not offered",
			  feature == expect_feature);
	/* Offered and then unknown would be a lie; unknown ends the test. */
	if (feature)
		evh_judge("probe-op", "the operation exists", rc != EVH_XEN_NO_OP);
	return rc == EVH_XEN_NO_OP ? -EOPNOTSUPP : 0;
}

static int evh_setup(void)
{
	unsigned int cpu1 = cpumask_next(0, cpu_online_mask);
	int rc;

	rc = evh_fill_word();
	if (!rc)
		rc = evh_loopback(&evh.p, &evh.q);
	if (rc)
		return rc;
	rc = bind_evtchn_to_irqhandler(evh.p, evh_upcall_handler, 0,
				       "evtchnhostile-up", &evh);
	if (rc < 0) {
		evh_close(evh.p);
		evh_close(evh.q);
		return rc;
	}
	evh.evirq = rc;
	evh_status(evh.p, &evh.home_vcpu);
	pr_info("loopback: port %u receives (irq %d, vCPU %u), port %u sends\n",
		evh.p, evh.evirq, evh.home_vcpu, evh.q);
	if (!feature)
		return 0;
	if (cpu1 >= nr_cpu_ids)
		cpu1 = 0;
	rc = evh_vec_setup(&evh.vec[0], 0);
	if (!rc)
		rc = evh_vec_setup(&evh.vec[1], cpu1);
	return rc;
}

static void evh_teardown(void)
{
	if (evh.evirq >= 0) {
		/* Closing the port ends its binding. */
		unbind_from_irqhandler(evh.evirq, &evh);
		evh.evirq = -1;
		evh_close(evh.q);
	}
	evh_vec_free(&evh.vec[0]);
	evh_vec_free(&evh.vec[1]);
	while (evh.nr_fill)
		evh_close(evh.fill[--evh.nr_fill]);
}

static int __init evh_init(void)
{
	int rc;

	if (!xen_domain())
		return -ENODEV;
	evh_start = jiffies;
	if (evh_probe()) {
		pr_info("no EVTCHNOP_bind_vector in this hypervisor\n");
		goto out;
	}
	rc = evh_setup();
	if (rc) {
		evh_judge("setup", "could not set up the channel and vectors", false);
		pr_info("setup failed: %d\n", rc);
		evh_teardown();
		goto out;
	}
	if (feature) {
		evh_phase("delivery");
		evh_check_delivery();
		evh_phase("storm");
		evh_storm();
	}
	evh_phase("attacks");
	evh_attack_args();
	evh_attack_ports();
	evh_attack_random();
	if (feature) {
		evh_phase("close");
		evh_check_close();
	}
	evh_teardown();
out:
	pr_info("%d checks, %d wrong (%u ms)\n", total, wrong,
		jiffies_to_msecs(jiffies - evh_start));
	done = 1;
	return 0;
}

static void __exit evh_exit(void)
{
}

module_init(evh_init);
module_exit(evh_exit);

MODULE_DESCRIPTION("Test-only: EVTCHNOP_bind_vector from a guest");
MODULE_LICENSE("GPL");
