// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen PV block backend: module parameters, debugfs root, init and exit.
 *
 * The backend serves "vbd" devices: one ring and one worker thread per
 * frontend queue (blkback-ring.c), driven by the xenbus state machine in
 * blkback-xenbus.c, with every request checked by the protocol core
 * (blkback-proto.c).  Documentation/blkback.rst describes the parameters.
 */

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <xen/xen.h>

#include "blkback.h"

unsigned int blkback_max_queues;
module_param_named(max_queues, blkback_max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues,
		 "Most rings (queues) per device; 0: dom0's online CPUs (default)");

unsigned int blkback_max_ring_order = BLKBACK_MAX_RING_ORDER;
module_param_named(max_ring_page_order, blkback_max_ring_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "log2 of the most grant frames per ring (0-4, default 4)");

unsigned int blkback_max_indirect = BLKBACK_DEF_INDIRECT_SEGS;
module_param_named(max_indirect_segments, blkback_max_indirect, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Segments per indirect request offered (12-4096, default 256; 0-11: no indirect requests)");

unsigned int blkback_max_pgnt = 1056;
module_param_named(max_persistent_grants, blkback_max_pgnt, uint, 0444);
MODULE_PARM_DESC(max_persistent_grants,
		 "Persistent grants kept mapped per ring; 0 turns them off (default 1056)");

unsigned int blkback_pgnt_idle_ms = 60000;
module_param_named(persistent_grant_idle_ms, blkback_pgnt_idle_ms, uint,
		   0444);
MODULE_PARM_DESC(persistent_grant_idle_ms,
		 "Unmap persistent grants unused for this long (ms, default 60000)");

unsigned int blkback_resize_poll_ms = 1000;
module_param_named(resize_poll_ms, blkback_resize_poll_ms, uint, 0644);
MODULE_PARM_DESC(resize_poll_ms,
		 "Check the backing devices' size this often (ms; 0: only on a physical-device write; default 1000)");

bool blkback_offer_flush = true;
module_param_named(feature_flush_cache, blkback_offer_flush, bool, 0444);
MODULE_PARM_DESC(feature_flush_cache,
		 "Offer cache flushes; off, only write barriers are offered, as old backends did (default on)");

struct dentry *blkback_debugfs_root;

static int __init blkback_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	if (!blkback_max_queues)
		blkback_max_queues = num_online_cpus();
	blkback_max_ring_order = min_t(unsigned int, blkback_max_ring_order,
				       BLKBACK_MAX_RING_ORDER);
	blkback_max_indirect = blkback_clamp_max_indirect(blkback_max_indirect);
	if (blkback_max_pgnt > BLKBACK_MAX_PGNT)
		blkback_max_pgnt = BLKBACK_MAX_PGNT;
	if (!blkback_pgnt_idle_ms)
		blkback_pgnt_idle_ms = 1;
	blkback_debugfs_root = debugfs_create_dir("xen-blkback", NULL);
	err = blkback_xenbus_init();
	if (err)
		debugfs_remove_recursive(blkback_debugfs_root);
	return err;
}
module_init(blkback_init);

static void __exit blkback_exit(void)
{
	blkback_xenbus_exit();
	debugfs_remove_recursive(blkback_debugfs_root);
}
module_exit(blkback_exit);

MODULE_DESCRIPTION("Xen virtual block device backend, multiqueue, hardened");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vbd");
