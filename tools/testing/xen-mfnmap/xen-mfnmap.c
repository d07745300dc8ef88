// SPDX-License-Identifier: GPL-2.0
/*
 * xen-mfnmap: the machine frames that back this PV domain's memory.
 *
 * Test-only: it lives under tools/testing/ and is never installed with the
 * drivers.  The testbed's instruction profiler (prof/insnprof.c) sees the
 * machine address of every block of code it counts; both the testbed's
 * dom0 and its guests run the same kernel at the same virtual addresses,
 * so only the machine frame tells whose code ran.  Loaded in dom0, this
 * module lists dom0's frames in debugfs, as runs of consecutive frames:
 *
 *	/sys/kernel/debug/xen-mfnmap: one "FIRST_MFN COUNT" line (hex, decimal)
 *	per run, in pseudo-physical order
 *
 * Only "System RAM" is walked (the p2m itself spans all the memory a
 * domain could ever have, far too much to go through); frames the p2m
 * marks as identity (I/O holes) or foreign (another domain's, mapped
 * here) are not dom0's memory and are left out.
 */

#define pr_fmt(fmt) "xen-mfnmap: " fmt

#include <linux/debugfs.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/pfn.h>
#include <linux/seq_file.h>
#include <xen/xen.h>
#include <asm/xen/page.h>

static struct dentry *mm_file;

/* The run of consecutive frames being gathered, and where it goes. */
struct mm_run {
	struct seq_file *m;
	unsigned long first;
	unsigned long count;
};

static void mm_add(struct mm_run *run, unsigned long mfn)
{
	if (run->count && mfn == run->first + run->count) {
		run->count++;
		return;
	}
	if (run->count)
		seq_printf(run->m, "%lx %lu\n", run->first, run->count);
	run->first = mfn;
	run->count = 1;
}

/* One range of "System RAM": only the frames that are our own memory. */
static int mm_range(struct resource *res, void *data)
{
	unsigned long pfn, mfn;

	for (pfn = PFN_DOWN(res->start); pfn <= PFN_DOWN(res->end); pfn++) {
		mfn = __pfn_to_mfn(pfn);
		if (mfn != INVALID_P2M_ENTRY &&
		    !(mfn & (FOREIGN_FRAME_BIT | IDENTITY_FRAME_BIT)))
			mm_add(data, mfn);
	}
	cond_resched();
	return 0;
}

static int mm_show(struct seq_file *m, void *unused)
{
	struct mm_run run = { .m = m };

	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
			    &run, mm_range);
	if (run.count)
		seq_printf(m, "%lx %lu\n", run.first, run.count);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mm);

static int __init mm_init(void)
{
	if (!xen_pv_domain()) {
		pr_err("only a PV domain has a p2m to list\n");
		return -ENODEV;
	}
	mm_file = debugfs_create_file("xen-mfnmap", 0400, NULL, NULL,
				      &mm_fops);
	return 0;
}

static void __exit mm_exit(void)
{
	debugfs_remove(mm_file);
}

module_init(mm_init);
module_exit(mm_exit);
MODULE_DESCRIPTION("Test only: list a PV domain's machine frames");
MODULE_LICENSE("GPL");
