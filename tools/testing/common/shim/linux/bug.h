/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a WARN is counted and remembered (printed too with
 * SHIM_VERBOSE_WARN set) so tests can demand exactly the warnings they
 * provoke.  No BUG_ON(): the code under test must not
 * use it.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdbool.h>

extern unsigned long shim_warnings;
extern const char *shim_last_warning;
void shim_warn(const char *file, int line, const char *cond);

#define WARN_ON(cond) ({					\
	bool __c = !!(cond);					\
	if (__c)						\
		shim_warn(__FILE__, __LINE__, #cond);		\
	__c; })
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#endif
