// SPDX-License-Identifier: GPL-2.0
/*
 * insnprof: a QEMU TCG plugin that counts executed instructions per
 * translation block and per host vCPU, for finding where the testbed's
 * instructions go (see Documentation/testbed.rst, "Profiling").
 *
 * Arguments: serial=PATH (the serial log to follow), out=DIR.  Whenever a
 * line "@@PROF snap NAME" appears in the serial log, the counters so far
 * are written to DIR/NAME.txt as lines "vaddr insns n0 n1 ...": a block's
 * start address, its instruction count and how often each vCPU ran it.
 * Two snapshots subtracted give the profile of what ran between them.
 *
 * QEMU 7.2 as Debian ships it has no qemu-plugin.h: qemu-plugin-min.h
 * declares the few calls used, as plugin API version 1 defines them.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu-plugin-min.h"

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_VCPUS 8

struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t runs[MAX_VCPUS];
	struct block *next;
};

static struct block *blocks;
static const char *serial_path, *out_dir;

static void block_ran(unsigned int vcpu, void *udata)
{
	struct block *b = udata;

	b->runs[vcpu < MAX_VCPUS ? vcpu : MAX_VCPUS - 1]++;
}

static void tb_trans(uint64_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = calloc(1, sizeof(*b));

	if (!b)
		return;
	b->vaddr = qemu_plugin_tb_vaddr(tb);
	b->insns = qemu_plugin_tb_n_insns(tb);
	b->next = __atomic_load_n(&blocks, __ATOMIC_ACQUIRE);
	__atomic_store_n(&blocks, b, __ATOMIC_RELEASE);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_ran,
					     QEMU_PLUGIN_CB_NO_REGS, b);
}

static void snapshot(const char *name)
{
	char path[4096], tmp[4200];
	struct block *b;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s.txt", out_dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	for (b = __atomic_load_n(&blocks, __ATOMIC_ACQUIRE); b; b = b->next) {
		uint64_t any = 0;

		for (i = 0; i < MAX_VCPUS; i++)
			any |= b->runs[i];
		if (!any)
			continue;
		fprintf(f, "%" PRIx64 " %" PRIu64, b->vaddr, b->insns);
		for (i = 0; i < MAX_VCPUS; i++)
			fprintf(f, " %" PRIu64, b->runs[i]);
		fputc('\n', f);
	}
	fclose(f);
	rename(tmp, path);
}

/* Follow the serial log for "@@PROF snap NAME" lines. */
static void *follow(void *arg)
{
	char line[4096], name[256];
	FILE *f = NULL;

	(void)arg;
	for (;;) {
		const char *p;

		if (!f) {
			f = fopen(serial_path, "r");
			if (!f) {
				usleep(200000);
				continue;
			}
		}
		if (!fgets(line, sizeof(line), f)) {
			clearerr(f);
			usleep(100000);
			continue;
		}
		p = strstr(line, "@@PROF snap ");
		if (p && sscanf(p + 12, "%255[A-Za-z0-9_.-]", name) == 1)
			snapshot(name);
	}
	return NULL;
}

__attribute__((visibility("default")))
int qemu_plugin_install(uint64_t id, const struct qemu_info_t *info,
			int argc, char **argv)
{
	pthread_t t;
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "serial=", 7))
			serial_path = argv[i] + 7;
		else if (!strncmp(argv[i], "out=", 4))
			out_dir = argv[i] + 4;
	}
	if (!serial_path || !out_dir) {
		fprintf(stderr, "insnprof: needs serial=PATH,out=DIR\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	if (pthread_create(&t, NULL, follow, NULL))
		return -1;
	pthread_detach(t);
	return 0;
}
