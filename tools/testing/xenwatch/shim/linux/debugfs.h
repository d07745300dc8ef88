/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: debugfs files are not made; tests call show directly. */
#ifndef _SHIM_LINUX_DEBUGFS_H
#define _SHIM_LINUX_DEBUGFS_H

#include <linux/seq_file.h>

struct dentry;

struct file_operations {
	int (*show)(struct seq_file *m, void *v);
};

#define DEFINE_SHOW_ATTRIBUTE(name)					\
	static const struct file_operations name##_fops = {		\
		.show = name##_show,					\
	}

static inline struct dentry *debugfs_create_dir(const char *name,
						struct dentry *parent)
{
	(void)name;
	(void)parent;
	return (struct dentry *)1;
}

static inline struct dentry *
debugfs_create_file(const char *name, unsigned int mode, struct dentry *parent,
		    void *data, const struct file_operations *fops)
{
	(void)name;
	(void)mode;
	(void)parent;
	(void)data;
	(void)fops;
	return (struct dentry *)1;
}

#endif
