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

XENPV_UINT_PARAM(blkback, max_queues, 0,
		 "Most rings (queues) per device; 0: dom0's online CPUs (default)");
XENPV_UINT_PARAM(blkback, max_ring_page_order, XENPV_BLK_MAX_RING_ORDER,
		 "log2 of the most grant frames per ring (0-4, default 4)");
XENPV_UINT_PARAM(blkback, max_indirect_segments, BLKBACK_DEF_INDIRECT_SEGS,
		 "Segments per indirect request offered (12-4096, default 256; 0-11: no indirect requests)");
XENPV_UINT_PARAM(blkback, max_persistent_grants, 1056,
		 "Persistent grants kept mapped per ring; 0 turns them off (default 1056)");
XENPV_UINT_PARAM(blkback, persistent_grant_idle_ms, 60000,
		 "Unmap persistent grants unused for this long (ms, default 60000)");
XENPV_UINT_PARAM_RW(blkback, resize_poll_ms, 1000,
		    "Check the backing devices' size this often (ms; 0: only on a physical-device write; default 1000)");
XENPV_BOOL_PARAM(blkback, feature_flush_cache, true,
		 "Offer cache flushes; off, only write barriers are offered, as old backends did (default on)");

XENPV_BOOL_PARAM(blkback, worker_follows_irq, true,
		 "Run each ring's worker on its interrupt's CPU, following it when it moves (default on)");

struct dentry *blkback_debugfs_root;
XENPV_CENSUS(blkback, BLKBACK_CENSUS_NR,
	     [BLKBACK_CENSUS_DEVS] = "devs",
	     [BLKBACK_CENSUS_RINGS] = "rings",
	     [BLKBACK_CENSUS_ROOMS] = "rooms",
	     [BLKBACK_CENSUS_PGRANT_PAGES] = "pgrant_pages");

static int __init blkback_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	if (!blkback_max_queues)
		blkback_max_queues = num_online_cpus();
	blkback_max_ring_page_order = min_t(unsigned int, blkback_max_ring_page_order,
					    XENPV_BLK_MAX_RING_ORDER);
	blkback_max_indirect_segments = blkback_clamp_max_indirect(blkback_max_indirect_segments);
	if (blkback_max_persistent_grants > BLKBACK_MAX_PGRANT)
		blkback_max_persistent_grants = BLKBACK_MAX_PGRANT;
	if (!blkback_persistent_grant_idle_ms)
		blkback_persistent_grant_idle_ms = 1;
	blkback_debugfs_root = debugfs_create_dir("xen-blkback", NULL);
	xenpv_census_debugfs(blkback_debugfs_root, &blkback_census_desc);
	xenpv_fault_debugfs(blkback_debugfs_root);
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
