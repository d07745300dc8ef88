/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Strict parsing of xenstore numbers, shared by the block frontend and
 * backend protocol cores (and their userspace tests).
 */
#ifndef _XENPV_XS_PARSE_H
#define _XENPV_XS_PARSE_H

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/types.h>

/**
 * xenpv_parse_u64() - strictly parse a xenstore decimal number
 * @s: the string
 * @val: set on success
 *
 * Only the digits 0-9: no sign, no space, no base prefix, no newline.
 *
 * Return: 0, -EINVAL for anything else (also an empty string or NULL), or
 * -ERANGE if the number does not fit in 64 bits.
 */
static inline int xenpv_parse_u64(const char *s, u64 *val)
{
	const char *p;
	u64 v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	for (p = s; *p; p++) {
		unsigned int d = *p - '0';

		if (v > (U64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

/**
 * xenpv_parse_u32() - xenpv_parse_u64() for a 32-bit value
 * @s: the string
 * @val: set on success
 *
 * Return: 0, -EINVAL, or -ERANGE above U32_MAX.
 */
static inline int xenpv_parse_u32(const char *s, u32 *val)
{
	u64 v;
	int ret = xenpv_parse_u64(s, &v);

	if (ret)
		return ret;
	if (v > U32_MAX)
		return -ERANGE;
	*val = v;
	return 0;
}

#endif /* _XENPV_XS_PARSE_H */
