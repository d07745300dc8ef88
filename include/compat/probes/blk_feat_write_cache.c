// SPDX-License-Identifier: GPL-2.0
/* queue_limits.features with BLK_FEAT_WRITE_CACHE and BLK_FEAT_FUA (6.11+) */
#include <linux/blkdev.h>

void probe(struct queue_limits *lim);
void probe(struct queue_limits *lim)
{
	lim->features |= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA;
}
