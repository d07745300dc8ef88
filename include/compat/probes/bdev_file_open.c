// SPDX-License-Identifier: GPL-2.0
/* bdev_file_open_by_dev() and bdev_fput(): block devices as files (6.10+) */
#include <linux/blkdev.h>
#include <linux/fs.h>

void probe(dev_t devt, void *holder);
void probe(dev_t devt, void *holder)
{
	struct file *f = bdev_file_open_by_dev(devt, BLK_OPEN_READ, holder,
					       NULL);

	if (!IS_ERR(f))
		bdev_fput(f);
}
