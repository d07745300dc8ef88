/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the kernel's fixed-size hash tables of hlists. */
#ifndef _SHIM_LINUX_HASHTABLE_H
#define _SHIM_LINUX_HASHTABLE_H

#include <linux/list.h>
#include <linux/types.h>

#define GOLDEN_RATIO_32 0x61C88647U
#define GOLDEN_RATIO_64 0x61C8864680B583EBULL

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

static inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * GOLDEN_RATIO_64) >> (64 - bits));
}

#define hash_min(val, bits) \
	(sizeof(val) <= 4 ? hash_32(val, bits) : hash_64(val, bits))

#define DEFINE_HASHTABLE(name, bits) \
	struct hlist_head name[1 << (bits)] = { { NULL } }
#define HASH_SIZE(name)		(sizeof(name) / sizeof((name)[0]))
#define HASH_BITS(name)		((unsigned int)__builtin_ctz(HASH_SIZE(name)))

#define hash_add(table, node, key) \
	hlist_add_head(node, &(table)[hash_min(key, HASH_BITS(table))])
#define hash_del(node)		hlist_del_init(node)
#define hash_for_each_possible(name, obj, member, key) \
	hlist_for_each_entry(obj, &(name)[hash_min(key, HASH_BITS(name))], member)
#define hash_for_each(name, bkt, obj, member)				\
	for ((bkt) = 0, obj = NULL; !obj && (bkt) < (int)HASH_SIZE(name); \
	     (bkt)++)							\
		hlist_for_each_entry(obj, &(name)[bkt], member)

#endif
