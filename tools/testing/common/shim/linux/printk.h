/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: messages are kept in a log that tests search
 * (shim_log_count()), and printed too with SHIM_VERBOSE_LOG set.  A
 * suite whose code logs defines these (xenwatch/shim/kernel.c,
 * evtchn-vector/test_events_vector.c).
 */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

void shim_printk(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Lines logged since the last shim_log_clear() that contain @needle. */
unsigned int shim_log_count(const char *needle);
void shim_log_clear(void);

#define pr_err(fmt, ...)	shim_printk("err", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	shim_printk("warn", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	shim_printk("info", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited	pr_err
#define pr_warn_ratelimited	pr_warn
#define pr_info_ratelimited	pr_info

#endif
