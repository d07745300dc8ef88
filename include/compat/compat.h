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
#include <linux/fs.h>

#ifndef COMPAT_HAVE_BLK_MQ_ALLOC_DISK_LIM
/* Before 6.9: a queue's limits are set one by one, after allocation. */
static inline void compat_set_limits_old(struct request_queue *q,
					 const struct queue_limits *lim,
					 bool write_cache, bool fua)
{
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
}
#endif

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

	if (!IS_ERR(disk))
		compat_set_limits_old(disk->queue, lim, write_cache, fua);
	return disk;
#endif
}

/**
 * compat_queue_update_limits() - change a live disk's transfer limits
 * @q: the disk's queue, quiesced (requests built for the old limits may
 *	still come; the driver must take them)
 * @want: the disk's limits, of which the transfer and discard ones are
 *	taken (its block sizes must not have changed)
 * @write_cache: the disk has a volatile write cache (flush works)
 * @fua: the disk takes FUA writes
 *
 * Return: 0 or a negative errno.
 */
static inline int compat_queue_update_limits(struct request_queue *q,
					     const struct queue_limits *want,
					     bool write_cache, bool fua)
{
#ifdef COMPAT_HAVE_BLK_MQ_ALLOC_DISK_LIM
	struct queue_limits lim = queue_limits_start_update(q);

	lim.max_segments = want->max_segments;
	lim.max_hw_sectors = want->max_hw_sectors;
	lim.max_hw_discard_sectors = want->max_hw_discard_sectors;
	lim.max_secure_erase_sectors = want->max_secure_erase_sectors;
	lim.discard_granularity = want->discard_granularity;
	lim.discard_alignment = want->discard_alignment;
#ifdef COMPAT_HAVE_BLK_FEAT_WRITE_CACHE
	lim.features &= ~(BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA);
	if (write_cache)
		lim.features |= BLK_FEAT_WRITE_CACHE | (fua ? BLK_FEAT_FUA : 0);
	return queue_limits_commit_update(q, &lim);
#else
	int err = queue_limits_commit_update(q, &lim);

	if (!err)
		blk_queue_write_cache(q, write_cache, fua);
	return err;
#endif
#else
	compat_set_limits_old(q, want, write_cache, fua);
	return 0;
#endif
}

/**
 * struct compat_bdev - a block device opened exclusively by a driver
 * @bdev: the device, valid between compat_bdev_open() and
 *	compat_bdev_close()
 * @file: (6.10+) the open file that holds it
 * @mode: (before) the mode it was opened with, needed to release it
 */
struct compat_bdev {
	struct block_device *bdev;
#ifdef COMPAT_HAVE_BDEV_FILE_OPEN
	struct file *file;
#else
	fmode_t mode;
#endif
};

/**
 * compat_bdev_open() - open a block device by number, exclusively
 * @h: filled in on success
 * @devt: the device number
 * @write: open for writing too
 * @holder: the exclusive holder (not NULL)
 *
 * Return: 0 or a negative errno (-EBUSY if someone else holds it).
 */
static inline int compat_bdev_open(struct compat_bdev *h, dev_t devt,
				   bool write, void *holder)
{
#ifdef COMPAT_HAVE_BDEV_FILE_OPEN
	struct file *f;

	f = bdev_file_open_by_dev(devt, BLK_OPEN_READ |
				  (write ? BLK_OPEN_WRITE : 0), holder, NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	h->file = f;
	h->bdev = file_bdev(f);
#else
	struct block_device *bdev;
	fmode_t mode = FMODE_READ | FMODE_EXCL | (write ? FMODE_WRITE : 0);

	bdev = blkdev_get_by_dev(devt, mode, holder);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->bdev = bdev;
	h->mode = mode;
#endif
	return 0;
}

/**
 * compat_bdev_close() - release what compat_bdev_open() opened
 * @h: the handle; its @bdev is NULL afterwards (closing twice is a no-op)
 *
 * The exclusive claim ends before this returns, so the device can be
 * opened again at once.
 */
static inline void compat_bdev_close(struct compat_bdev *h)
{
	if (!h->bdev)
		return;
#ifdef COMPAT_HAVE_BDEV_FILE_OPEN
	bdev_fput(h->file);
	h->file = NULL;
#else
	blkdev_put(h->bdev, h->mode);
#endif
	h->bdev = NULL;
}

#endif /* _XEN_PV_COMPAT_H */
