/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the Xen selftests: where this test runs, and small
 * readers of sysfs and procfs files.
 */
#ifndef XEN_SELFTEST_UTIL_H
#define XEN_SELFTEST_UTIL_H

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

/* Xen's frontend bus: present in every Xen domain with xenbus. */
#define XEN_FRONT_BUS	"/sys/bus/xen/devices"
/* Xen's backend bus: present where backends may run (dom0). */
#define XEN_BACK_BUS	"/sys/bus/xen-backend/devices"

static inline bool xen_dir_exists(const char *path)
{
	DIR *d = opendir(path);

	if (!d)
		return false;
	closedir(d);
	return true;
}

/* Why this test cannot run here, or NULL if it can. */
static inline const char *xen_why_not(bool need_backend)
{
	if (!xen_dir_exists("/sys/bus/xen"))
		return "not a Xen domain (no xenbus in /sys/bus/xen)";
	if (geteuid())
		return "needs root";
	if (need_backend && !xen_dir_exists(XEN_BACK_BUS))
		return "no Xen backend bus here (not dom0 or a driver domain)";
	return NULL;
}

/* Read the first line of @path into @buf, newline cut; -errno on error. */
static inline int xen_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!err)
		buf[strcspn(buf, "\n")] = '\0';
	return err;
}

/* Write @text to @path (a sysfs or procfs file): 0 or -errno. */
static inline int xen_write_str(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Read a decimal number from @path; -errno on error or if not a number. */
static inline long long xen_read_num(const char *path)
{
	char buf[64], *end;
	long long v;
	int err = xen_read_line(path, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || *end || v < 0)
		return -EINVAL;
	return v;
}

/* An environment variable as a number, or @def when unset or not one. */
static inline long xen_env_num(const char *name, long def)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 10);
	return *end ? def : v;
}

/* Run @cmd; its first line of output into @out.  Return: exit status. */
static inline int xen_run_line(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	int st;

	if (!p)
		return -1;
	out[0] = '\0';
	if (fgets(out, len, p))
		out[strcspn(out, "\n")] = '\0';
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Is the program @name on the PATH? */
static inline bool xen_have_tool(const char *name)
{
	char cmd[128], out[8];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return xen_run_line(cmd, out, sizeof(out)) == 0;
}

#endif /* XEN_SELFTEST_UTIL_H */
