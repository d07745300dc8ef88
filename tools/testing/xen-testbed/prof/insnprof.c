// SPDX-License-Identifier: GPL-2.0
/*
 * insnprof: a QEMU TCG plugin that counts executed instructions per
 * translation block, and says in which machine page each block's code
 * lies, for finding where the testbed's instructions go and on whose
 * behalf (see Documentation/testbed.rst, "Profiling").
 *
 * Arguments: serial=PATH (the serial log to follow), out=DIR, ram=MIB (the
 * machine's memory, as given to -m).  A line "@@PROF start NAME" in the
 * serial log opens a window; "@@PROF stop NAME" writes what ran since to
 * DIR/NAME.txt, as lines "vaddr mpage insns runs": a block's start
 * address, the machine page of its first instruction (hex, "-" outside
 * RAM), its instruction count and how often it ran in the window.
 *
 * The machine page is what tells dom0's code from a guest's: both run the
 * same kernel at the same virtual addresses, in different memory.
 *
 * Counting is an inline add per block, with no call out of the generated
 * code, so the profile is cheap enough to run in every benchmark.  It is
 * exact only when QEMU runs its vCPUs on one thread, as it does with
 * -icount; testbed.py refuses to profile without it.
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

#define NO_PAGE		UINT64_MAX
#define GIB		0x40000000ULL

/*
 * One block of code, however often QEMU translates it again: blocks are
 * kept in a hash table keyed by address, machine page and length, so
 * memory and the files stay bounded over a long boot.
 */
struct block {
	uint64_t vaddr;
	uint64_t mpage;
	uint64_t insns;
	uint64_t runs;	/* added to inline by the generated code */
	uint64_t base;	/* @runs when the window opened */
};

static struct block **table;	/* under lock */
static size_t table_size, nr_blocks;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const char *serial_path, *out_dir;

/*
 * The host mapping of the machine's RAM, found from the first block that
 * runs in it.  QEMU's q35 machine puts the first @low_size bytes of RAM
 * at machine address 0 and the rest from 4 GiB up; QEMU follows the RAM
 * mapping with a guard page, so the mapping ends where RAM ends.
 */
static uint64_t ram_size, low_size;
static uintptr_t ram_start, ram_end;

static void find_ram(uintptr_t h)
{
	unsigned long long start, end;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx", &start, &end) != 2)
			continue;
		if (h < start || h >= end || end - start < ram_size)
			continue;
		ram_end = end;
		ram_start = end - ram_size;
		break;
	}
	fclose(f);
}

static uint64_t machine_page(const void *haddr)
{
	uintptr_t h = (uintptr_t)haddr;
	uint64_t off;

	if (!h)
		return NO_PAGE;
	if (!ram_end)
		find_ram(h);
	if (h < ram_start || h >= ram_end)
		return NO_PAGE;
	off = h - ram_start;
	if (off >= low_size)
		off += 4 * GIB - low_size;
	return off >> 12;
}

static size_t slot_of(uint64_t vaddr, uint64_t mpage, uint64_t insns,
		      size_t size)
{
	uint64_t h = vaddr * 0x9e3779b97f4a7c15ULL ^ mpage * 0xc2b2ae3d27d4eb4fULL ^
		     insns;

	return (h ^ h >> 29) & (size - 1);
}

static bool grow(void)
{
	size_t size = table_size ? table_size * 2 : 1 << 16, i, k;
	struct block **t = calloc(size, sizeof(*t));

	if (!t)
		return false;
	for (i = 0; i < table_size; i++) {
		struct block *b = table[i];

		if (!b)
			continue;
		k = slot_of(b->vaddr, b->mpage, b->insns, size);
		while (t[k])
			k = (k + 1) & (size - 1);
		t[k] = b;
	}
	free(table);
	table = t;
	table_size = size;
	return true;
}

/* The block of this code, made on first sight; NULL when out of memory. */
static struct block *find_block(uint64_t vaddr, uint64_t mpage,
				uint64_t insns)
{
	struct block *b;
	size_t k;

	if (2 * (nr_blocks + 1) > table_size && !grow())
		return NULL;
	k = slot_of(vaddr, mpage, insns, table_size);
	for (; (b = table[k]); k = (k + 1) & (table_size - 1))
		if (b->vaddr == vaddr && b->mpage == mpage && b->insns == insns)
			return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->vaddr = vaddr;
	b->mpage = mpage;
	b->insns = insns;
	table[k] = b;
	nr_blocks++;
	return b;
}

static void tb_trans(uint64_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb), mpage = NO_PAGE;
	size_t insns = qemu_plugin_tb_n_insns(tb);
	struct block *b;

	(void)id;
	if (insns)
		mpage = machine_page(qemu_plugin_insn_haddr(qemu_plugin_tb_get_insn(tb, 0)));
	pthread_mutex_lock(&lock);
	b = find_block(vaddr, mpage, insns);
	pthread_mutex_unlock(&lock);
	if (b)
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
							 &b->runs, 1);
}

/* Open a window: every block counts from zero again. */
static void window_start(void)
{
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < table_size; i++)
		if (table[i])
			table[i]->base = __atomic_load_n(&table[i]->runs, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock);
}

/* Close the window NAME: what ran in it, to DIR/NAME.txt. */
static void window_stop(const char *name)
{
	char path[4096], tmp[4200];
	struct block *b;
	uint64_t runs;
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.txt", out_dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	pthread_mutex_lock(&lock);
	for (i = 0; i < table_size; i++) {
		b = table[i];
		if (!b)
			continue;
		runs = __atomic_load_n(&b->runs, __ATOMIC_RELAXED) - b->base;
		if (!runs)
			continue;
		if (b->mpage == NO_PAGE)
			fprintf(f, "%" PRIx64 " - %" PRIu64 " %" PRIu64 "\n",
				b->vaddr, b->insns, runs);
		else
			fprintf(f, "%" PRIx64 " %" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				b->vaddr, b->mpage, b->insns, runs);
	}
	pthread_mutex_unlock(&lock);
	fclose(f);
	rename(tmp, path);
}

/* Follow the serial log for "@@PROF start|stop NAME" lines. */
static void *follow(void *arg)
{
	char line[4096], cmd[16], name[256];
	size_t len = 0;
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
		if (!fgets(line + len, sizeof(line) - len, f)) {
			clearerr(f);
			usleep(20000);
			continue;
		}
		/* A line QEMU is still writing: read on until its end. */
		len = strlen(line);
		if (len && line[len - 1] != '\n' && len < sizeof(line) - 1)
			continue;
		len = 0;
		p = strstr(line, "@@PROF ");
		if (!p || sscanf(p + 7, "%15s %255[A-Za-z0-9_.-]", cmd, name) != 2)
			continue;
		if (!strcmp(cmd, "start"))
			window_start();
		else if (!strcmp(cmd, "stop"))
			window_stop(name);
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
		else if (!strncmp(argv[i], "ram=", 4))
			ram_size = strtoull(argv[i] + 4, NULL, 10) << 20;
	}
	if (!serial_path || !out_dir || !ram_size) {
		fprintf(stderr, "insnprof: needs serial=PATH,out=DIR,ram=MIB\n");
		return -1;
	}
	/* q35: 2 GiB below 4 GiB once RAM reaches 2.75 GiB, else up to 2.75. */
	low_size = ram_size >= 0xb0000000ULL ? 2 * GIB : ram_size;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	if (pthread_create(&t, NULL, follow, NULL))
		return -1;
	pthread_detach(t);
	return 0;
}
