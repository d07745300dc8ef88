/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a string hash salted with a pointer (FNV-1a). */
#ifndef _SHIM_LINUX_STRINGHASH_H
#define _SHIM_LINUX_STRINGHASH_H

#include <linux/types.h>

static inline unsigned int full_name_hash(const void *salt, const char *name,
					  unsigned int len)
{
	u64 h = 0xcbf29ce484222325ULL ^ (u64)(unsigned long)salt;

	while (len--) {
		h ^= (unsigned char)*name++;
		h *= 0x100000001b3ULL;
	}
	return (unsigned int)(h ^ (h >> 32));
}

#endif
