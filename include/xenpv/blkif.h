/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The units and limits of the blkif protocol (Xen's io/blkif.h), defined
 * once for the block frontend and backend and their userspace tests.
 *
 * blkif counts in 512-byte sectors and 4 KiB grant frames, whatever the
 * page size of either domain or the disk's logical block size.  An
 * indirect request's segments fill whole frames, at most
 * BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST of them.
 */
#ifndef _XENPV_BLKIF_H
#define _XENPV_BLKIF_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <xen/interface/io/blkif.h>

#define XENPV_BLK_SECTOR_SHIFT		9
#define XENPV_BLK_SECTOR_SIZE		512U
#define XENPV_BLK_GRANT_SHIFT		12
#define XENPV_BLK_GRANT_SIZE		4096U
#define XENPV_BLK_SECTORS_PER_GRANT	\
	(XENPV_BLK_GRANT_SIZE >> XENPV_BLK_SECTOR_SHIFT)

/* Segment descriptors in one indirect frame (the same for every ABI). */
#define XENPV_BLK_SEGS_PER_FRAME	\
	(XENPV_BLK_GRANT_SIZE / sizeof(struct blkif_request_segment))
/* The most segments an indirect request can describe: its frames full. */
#define XENPV_BLK_MAX_INDIRECT_SEGS	\
	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * XENPV_BLK_SEGS_PER_FRAME)

/* The largest ring either driver sets up or maps: 16 grant frames. */
#define XENPV_BLK_MAX_RING_ORDER	4
#define XENPV_BLK_MAX_RING_PAGES	16U

/* Ring indexes and padding before the first slot of a shared ring. */
#define XENPV_BLK_SRING_HEADER		64U

/*
 * The xenstore keys of the protocol, as Xen's blkif.h names them: each is
 * written by one end and read by the other.  A frontend's multi-queue
 * keys say "queue" where this project says ring.
 */
#define XENPV_BLK_KEY_RING_ORDER		"ring-page-order"
#define XENPV_BLK_KEY_NUM_RING_PAGES		"num-ring-pages"
#define XENPV_BLK_KEY_MAX_RING_ORDER		"max-ring-page-order"
#define XENPV_BLK_KEY_MAX_RING_PAGES		"max-ring-pages"
#define XENPV_BLK_KEY_NUM_QUEUES		"multi-queue-num-queues"
#define XENPV_BLK_KEY_MAX_QUEUES		"multi-queue-max-queues"
#define XENPV_BLK_KEY_MAX_INDIRECT		"feature-max-indirect-segments"
#define XENPV_BLK_KEY_PERSISTENT		"feature-persistent"
#define XENPV_BLK_KEY_PROTOCOL			"protocol"
#define XENPV_BLK_KEY_EVTCHN			"event-channel"
#define XENPV_BLK_KEY_RING_REF			"ring-ref"
#define XENPV_BLK_KEY_SECTORS			"sectors"
#define XENPV_BLK_KEY_INFO			"info"
#define XENPV_BLK_KEY_SECTOR_SIZE		"sector-size"
#define XENPV_BLK_KEY_PHYS_SECTOR_SIZE		"physical-sector-size"
#define XENPV_BLK_KEY_FLUSH			"feature-flush-cache"
#define XENPV_BLK_KEY_BARRIER			"feature-barrier"
#define XENPV_BLK_KEY_DISCARD			"feature-discard"
#define XENPV_BLK_KEY_DISCARD_GRAN		"discard-granularity"
#define XENPV_BLK_KEY_DISCARD_ALIGN		"discard-alignment"
#define XENPV_BLK_KEY_DISCARD_SECURE		"discard-secure"

static_assert(XENPV_BLK_SECTOR_SIZE >> XENPV_BLK_SECTOR_SHIFT == 1);
static_assert(XENPV_BLK_GRANT_SIZE >> XENPV_BLK_GRANT_SHIFT == 1);
static_assert(XENPV_BLK_MAX_RING_PAGES >> XENPV_BLK_MAX_RING_ORDER == 1);
static_assert(XENPV_BLK_SEGS_PER_FRAME == 512);
static_assert(XENPV_BLK_MAX_INDIRECT_SEGS <= U16_MAX);
static_assert(offsetof(struct blkif_sring, ring) == XENPV_BLK_SRING_HEADER);

#endif /* _XENPV_BLKIF_H */
