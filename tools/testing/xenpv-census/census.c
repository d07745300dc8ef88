// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv-census: what a test counts before and after, to find leaks.
 *
 * Test-only, like tools/testing/xen-blkhostile: loaded in a guest or in
 * dom0 by the testbed's leak scenarios.  One debugfs file,
 * /sys/kernel/debug/xenpv-census/grant_refs_free: the grant references
 * this domain could still allocate.  The grant table keeps its free count
 * to itself, so it is measured through the public API: take references in
 * shrinking batches until none is left (the table grows to its largest
 * the first time), count them, give them all back.  Read it only while
 * no driver of the domain needs a new reference.
 */

#define pr_fmt(fmt) "xenpv-census: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#define CENSUS_MAX_BATCHES	256

static struct dentry *census_dir;
static DEFINE_MUTEX(census_lock);	/* one count at a time */
static grant_ref_t census_heads[CENSUS_MAX_BATCHES];

/* Free grant references, by taking them all and giving them back. */
static unsigned long census_count_grefs(void)
{
	unsigned int chunk = 1024, nr = 0, i;
	unsigned long total = 0;

	mutex_lock(&census_lock);
	while (chunk && nr < CENSUS_MAX_BATCHES) {
		if (gnttab_alloc_grant_references(chunk, &census_heads[nr])) {
			chunk /= 2;
			continue;
		}
		nr++;
		total += chunk;
	}
	for (i = 0; i < nr; i++)
		gnttab_free_grant_references(census_heads[i]);
	mutex_unlock(&census_lock);
	return total;
}

static int census_grefs_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%lu\n", census_count_grefs());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(census_grefs);

static int __init census_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	census_dir = debugfs_create_dir("xenpv-census", NULL);
	debugfs_create_file("grant_refs_free", 0400, census_dir, NULL,
			    &census_grefs_fops);
	return 0;
}
module_init(census_init);

static void __exit census_exit(void)
{
	debugfs_remove_recursive(census_dir);
}
module_exit(census_exit);

MODULE_DESCRIPTION("Counts for leak tests of Xen PV drivers");
MODULE_LICENSE("GPL");
