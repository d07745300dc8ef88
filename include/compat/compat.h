/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels these drivers build against is
 * handled here, and only here.  Which side of each difference a kernel is
 * on is decided by compiling a probe (include/compat/probes/), never by
 * comparing version numbers: distributions backport.
 *
 * To add one: write include/compat/probes/NAME.c, whose first comment
 * line says what it detects, that compiles only when the feature is
 * there; use COMPAT_HAVE_NAME below to give the drivers one interface.
 */
#ifndef _XEN_PV_COMPAT_H
#define _XEN_PV_COMPAT_H

#include "generated/compat-probes.h"

#include <linux/blk-mq.h>
#include <linux/blkdev.h>

/**
 * compat_blk_mq_alloc_disk() - blk_mq_alloc_disk() with limits and cache
 * @set: the tag set
 * @lim: the queue's limits
 * @write_cache: the disk has a volatile write cache (flush works)
 * @fua: the disk takes FUA writes
 * @data: queuedata
 *
 * Kernels before 6.9 take no limits at allocation, and before 6.11 the
 * write cache is not part of them: apply both after allocating there.
 *
 * Return: the gendisk or an ERR_PTR().
 */
static inline struct gendisk *
compat_blk_mq_alloc_disk(struct blk_mq_tag_set *set, struct queue_limits *lim,
			 bool write_cache, bool fua, void *data)
{
#ifdef COMPAT_HAVE_BLK_MQ_ALLOC_DISK_LIM
#ifdef COMPAT_HAVE_BLK_FEAT_WRITE_CACHE
	if (write_cache)
		lim->features |= BLK_FEAT_WRITE_CACHE | (fua ? BLK_FEAT_FUA : 0);
	return blk_mq_alloc_disk(set, lim, data);
#else
	struct gendisk *disk = blk_mq_alloc_disk(set, lim, data);

	if (!IS_ERR(disk))
		blk_queue_write_cache(disk->queue, write_cache, fua);
	return disk;
#endif
#else
	struct gendisk *disk = blk_mq_alloc_disk(set, data);
	struct request_queue *q;

	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
	blk_queue_logical_block_size(q, lim->logical_block_size);
	blk_queue_physical_block_size(q, lim->physical_block_size);
	blk_queue_max_hw_sectors(q, lim->max_hw_sectors);
	blk_queue_max_segments(q, lim->max_segments);
	blk_queue_max_segment_size(q, lim->max_segment_size);
	blk_queue_segment_boundary(q, lim->seg_boundary_mask);
	blk_queue_max_discard_sectors(q, lim->max_hw_discard_sectors);
	blk_queue_max_secure_erase_sectors(q, lim->max_secure_erase_sectors);
	q->limits.discard_granularity = lim->discard_granularity;
	q->limits.discard_alignment = lim->discard_alignment;
	blk_queue_write_cache(q, write_cache, fua);
	return disk;
#endif
}

#endif /* _XEN_PV_COMPAT_H */
