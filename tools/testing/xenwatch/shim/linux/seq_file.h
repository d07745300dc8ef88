/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a seq_file writes into a growing buffer. */
#ifndef _SHIM_LINUX_SEQ_FILE_H
#define _SHIM_LINUX_SEQ_FILE_H

#include <stddef.h>

struct seq_file {
	char *buf;
	size_t size;
	size_t count;
};

void seq_printf(struct seq_file *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);

#endif
