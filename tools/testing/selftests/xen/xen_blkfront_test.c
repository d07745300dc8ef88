// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV block frontend selftests, run in a Xen guest (PV, PVH or HVM):
 *
 *   queues_match_vcpus      one blk-mq hardware queue per online vCPU, and
 *                           every vCPU mapped to exactly one of them
 *   irq_on_submitting_vcpu  I/O submitted from a vCPU completes with an
 *                           interrupt on that vCPU (or one sharing its
 *                           queue)
 *   irq_follows_affinity    queue 0's event channel interrupt, moved to
 *                           another vCPU through smp_affinity_list, is
 *                           taken there (upcall or per-channel vector)
 *   write_read_verify       data written in mixed sizes reads back intact
 *   survives_save_restore   data written before the host saves and
 *                           restores the guest reads back after, and the
 *                           disk takes I/O again
 *
 * The first three only read (the third moves an interrupt and puts it
 * back); the last two write and run only on a disk
 * named in XEN_SELFTEST_DISK (its contents are lost).  The last one also
 * needs XEN_SELFTEST_SAVE_WAIT: how many seconds to wait for the host to
 * run "xl save" and "xl restore" on this guest (at most SAVE_WAIT_MAX:
 * the harness stops a test after its timeout, 30 s unless it says more).
 */
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

#define MAX_CPUS	256
#define VERIFY_MB	64
#define SAVE_MB		16
#define IRQ_READS	1000

FIXTURE(disk) {
	char name[256];	/* xvdX */
	char path[272];	/* /dev/xvdX */
	bool writable;		/* named by XEN_SELFTEST_DISK */
	long long sectors;	/* size, 512-byte units */
};

/* The disk named in XEN_SELFTEST_DISK, or the first xvd disk. */
static bool pick_disk(char *name, size_t len, bool *named)
{
	const char *env = getenv("XEN_SELFTEST_DISK");
	struct dirent *e;
	DIR *d;

	*named = env && *env;
	if (*named) {
		snprintf(name, len, "%s", strncmp(env, "/dev/", 5) ? env : env + 5);
		return true;
	}
	d = opendir("/sys/block");
	if (!d)
		return false;
	name[0] = '\0';
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "xvd", 3) &&
		    (!name[0] || strcmp(e->d_name, name) < 0))
			snprintf(name, len, "%s", e->d_name);
	closedir(d);
	return name[0];
}

FIXTURE_SETUP(disk)
{
	const char *why = xen_why_not(false);
	char p[320];

	if (why)
		SKIP(return, "%s", why);
	if (!pick_disk(self->name, sizeof(self->name), &self->writable))
		SKIP(return, "no Xen PV disk (xvd*) in /sys/block");
	snprintf(self->path, sizeof(self->path), "/dev/%s", self->name);
	snprintf(p, sizeof(p), "/sys/block/%s/size", self->name);
	self->sectors = xen_read_num(p);
	ASSERT_GT(self->sectors, 0) TH_LOG("no disk %s", self->name);
	snprintf(p, sizeof(p), "/sys/block/%s/ro", self->name);
	if (self->writable && xen_read_num(p) != 0)
		self->writable = false;
}

FIXTURE_TEARDOWN(disk)
{
}

/* Parse a cpu_list ("0, 2, 3") into @on; return the count. */
static int parse_cpus(const char *s, bool *on)
{
	int n = 0;
	char *end;
	long c;

	while (*s) {
		c = strtol(s, &end, 10);
		if (end == s) {
			s++;
			continue;
		}
		if (c >= 0 && c < MAX_CPUS) {
			on[c] = true;
			n++;
		}
		s = end;
	}
	return n;
}

/* The hardware queues' CPU lists; @owner[cpu] = queue.  Return: queues. */
static int queue_map(const char *disk, int *owner)
{
	char p[200], buf[4096];
	bool on[MAX_CPUS];
	int q, c;

	for (c = 0; c < MAX_CPUS; c++)
		owner[c] = -1;
	for (q = 0;; q++) {
		snprintf(p, sizeof(p), "/sys/block/%s/mq/%d/cpu_list", disk, q);
		if (xen_read_line(p, buf, sizeof(buf)))
			return q;
		memset(on, 0, sizeof(on));
		parse_cpus(buf, on);
		for (c = 0; c < MAX_CPUS; c++)
			if (on[c])
				owner[c] = owner[c] == -1 ? q : -2;
	}
}

static bool cpu_online(int c)
{
	char p[80];

	if (c == 0)
		return true;
	snprintf(p, sizeof(p), "/sys/devices/system/cpu/cpu%d/online", c);
	return xen_read_num(p) == 1;
}

TEST_F(disk, queues_match_vcpus)
{
	int owner[MAX_CPUS], nq, c, ncpu = 0;
	long limit;

	nq = queue_map(self->name, owner);
	for (c = 0; c < MAX_CPUS; c++) {
		if (!cpu_online(c))
			continue;
		ncpu++;
		EXPECT_GE(owner[c], 0)
			TH_LOG("vCPU %d is in %s of %s's queues", c,
			       owner[c] == -1 ? "none" : "more than one", self->name);
	}
	limit = xen_read_num("/sys/module/xen_blkfront/parameters/max_queues");
	if (limit > 0 && limit < ncpu)
		SKIP(return, "xen_blkfront max_queues=%ld limits the queues below the %d vCPUs",
		     limit, ncpu);
	/* A backend that offers fewer queues than vCPUs fails this too. */
	ASSERT_EQ(ncpu, nq)
		TH_LOG("%s has %d hardware queues for %d vCPUs",
		       self->name, nq, ncpu);
}

/*
 * The disk's interrupt counts per CPU, summed over its queues; with @irq,
 * only queue 0's (the first of its lines: rings bind in order), whose
 * IRQ number goes there.  The number of CPU columns, or -1.
 */
static int irq_counts(const char *disk, long long *per_cpu, int *irq)
{
	char link[256], prefix[64], line[4096], *tok, *save;
	int ncols = 0, c, found = 0;
	ssize_t n;
	FILE *f;

	/* Our frontend names a ring's interrupt blkif-DEVID-rN. */
	snprintf(line, sizeof(line), "/sys/block/%s/device", disk);
	n = readlink(line, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	tok = strrchr(link, '-');
	snprintf(prefix, sizeof(prefix), "blkif-%s-", tok ? tok + 1 : "");
	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	memset(per_cpu, 0, MAX_CPUS * sizeof(*per_cpu));
	if (fgets(line, sizeof(line), f))
		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save))
			ncols++;
	for (int pass = 0; pass < 2 && !found; pass++) {
		rewind(f);
		if (!fgets(line, sizeof(line), f))
			break;
		while (fgets(line, sizeof(line), f)) {
			char *name = strrchr(line, ' ');
			long long v[MAX_CPUS];

			if (!name || strncmp(name + 1, pass ? "blkif" : prefix,
					     strlen(pass ? "blkif" : prefix)))
				continue;
			tok = strtok_r(line, " \t\n", &save);	/* "IRQ:" */
			if (irq && found)
				continue;
			if (irq)
				*irq = atoi(tok);
			for (c = 0; c < ncols && c < MAX_CPUS; c++) {
				tok = strtok_r(NULL, " \t\n", &save);
				v[c] = tok ? atoll(tok) : 0;
			}
			for (c = 0; c < ncols && c < MAX_CPUS; c++)
				per_cpu[c] += v[c];
			found++;
		}
	}
	fclose(f);
	return found ? ncols : -1;
}

/* @reads 4 KiB O_DIRECT reads of @dev from CPU @cpu, in a child. */
static int read_from(const char *dev, int cpu, long long sectors, int reads)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		cpu_set_t set;
		void *buf;
		int fd, i;
		long long span = sectors / 8 > 262144 ? 262144 : sectors / 8;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) ||
		    posix_memalign(&buf, 4096, 4096))
			_exit(1);
		fd = open(dev, O_RDONLY | O_DIRECT);
		if (fd < 0)
			_exit(2);
		for (i = 0; i < reads; i++)
			if (pread(fd, buf, 4096, (off_t)(random() % span) * 4096) != 4096)
				_exit(3);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(disk, irq_on_submitting_vcpu)
{
	long long before[MAX_CPUS], after[MAX_CPUS], total, local;
	int owner[MAX_CPUS], cpu, c, ncols, online = 0;

	for (c = 0; c < MAX_CPUS; c++)
		online += cpu_online(c);
	if (online < 2)
		SKIP(return, "one vCPU: nothing to tell apart");
	queue_map(self->name, owner);
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!cpu_online(cpu) || owner[cpu] < 0)
			continue;
		ncols = irq_counts(self->name, before, NULL);
		if (ncols < 0)
			SKIP(return, "no blkif interrupt in /proc/interrupts");
		ASSERT_EQ(0, read_from(self->path, cpu, self->sectors, IRQ_READS))
			TH_LOG("reading %s from vCPU %d failed", self->path, cpu);
		ASSERT_EQ(ncols, irq_counts(self->name, after, NULL));
		total = 0;
		local = 0;
		for (c = 0; c < ncols; c++) {
			total += after[c] - before[c];
			if (owner[c] == owner[cpu])
				local += after[c] - before[c];
		}
		ASSERT_GE(total, IRQ_READS / 20)
			TH_LOG("%d reads from vCPU %d took only %lld interrupts",
			       IRQ_READS, cpu, total);
		EXPECT_GE(local * 10, total * 9)
			TH_LOG("vCPU %d (queue %d): %lld of %lld interrupts on a vCPU of its queue",
			       cpu, owner[cpu], local, total);
	}
}

/* Write @text to /proc/irq/@irq/@file: 0 or -errno. */
static int irq_write(int irq, const char *file, const char *text)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/irq/%d/%s", irq, file);
	return xen_write_str(path, text);
}

TEST_F(disk, irq_follows_affinity)
{
	long long before[MAX_CPUS], after[MAX_CPUS], total = 0, there;
	int owner[MAX_CPUS], irq = -1, ncols, cpu = -1, now, target = -1, c, err;
	char path[64], old[256], text[16];

	queue_map(self->name, owner);
	for (c = 0; c < MAX_CPUS && cpu < 0; c++)
		if (cpu_online(c) && owner[c] == 0)
			cpu = c;
	ncols = irq_counts(self->name, before, &irq);
	if (ncols < 0 || irq < 0 || cpu < 0)
		SKIP(return, "no blkif interrupt or no vCPU mapped to queue 0");
	snprintf(path, sizeof(path), "/proc/irq/%d/effective_affinity_list", irq);
	now = (int)xen_read_num(path);
	for (c = 0; c < ncols && target < 0; c++)
		if (c != now && cpu_online(c))
			target = c;
	if (target < 0)
		SKIP(return, "one vCPU: nowhere to move the interrupt");
	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list", irq);
	ASSERT_EQ(0, xen_read_line(path, old, sizeof(old)));
	snprintf(text, sizeof(text), "%d\n", target);
	err = irq_write(irq, "smp_affinity_list", text);
	if (err == -EIO)
		SKIP(return, "irq %d has a kernel-managed affinity", irq);
	ASSERT_EQ(0, err) TH_LOG("moving irq %d to vCPU %d: %s", irq, target,
				 strerror(-err));
	ASSERT_EQ(ncols, irq_counts(self->name, before, &irq));
	err = read_from(self->path, cpu, self->sectors, IRQ_READS);
	ASSERT_EQ(ncols, irq_counts(self->name, after, &irq));
	strcat(old, "\n");
	irq_write(irq, "smp_affinity_list", old);
	ASSERT_EQ(0, err) TH_LOG("reading %s from vCPU %d failed", self->path, cpu);
	for (c = 0; c < ncols; c++)
		total += after[c] - before[c];
	there = after[target] - before[target];
	ASSERT_GE(total, IRQ_READS / 20)
		TH_LOG("%d reads of queue 0 took only %lld interrupts of irq %d",
		       IRQ_READS, total, irq);
	EXPECT_GE(there * 10, total * 9)
		TH_LOG("irq %d moved from vCPU %d to %d: %lld of its %lld interrupts there",
		       irq, now, target, there, total);
}

/* Stamp each 512-byte sector of @buf with the seed and its own number. */
static void stamp(uint64_t *buf, size_t len, uint64_t seed, uint64_t sector)
{
	size_t i, k;

	for (i = 0; i < len / 512; i++)
		for (k = 0; k < 64; k++)
			buf[i * 64 + k] = (seed ^ (sector + i)) * 0x9e3779b97f4a7c15ULL + k;
}

/* The first sector of @buf that is not as stamped, or -1. */
static long long unstamped(const uint64_t *buf, size_t len, uint64_t seed,
			   uint64_t sector)
{
	size_t i, k;

	for (i = 0; i < len / 512; i++)
		for (k = 0; k < 64; k++)
			if (buf[i * 64 + k] !=
			    (seed ^ (sector + i)) * 0x9e3779b97f4a7c15ULL + k)
				return sector + i;
	return -1;
}

/*
 * Write (@write) or check @mb MiB at @start_mb of @dev in mixed sizes from
 * 4 KiB to 1 MiB.  Return: 0, -1 on an I/O error, or the first bad
 * sector + 1.
 */
static long long pattern_io(const char *dev, int mb, int start_mb,
			    uint64_t seed, bool write)
{
	static const size_t sizes[] = { 4096, 16384, 65536, 262144, 1048576 };
	uint64_t *buf;
	off_t off = (off_t)start_mb << 20, end = off + ((off_t)mb << 20);
	long long bad = 0;
	int fd, i = write ? 0 : 2;

	if (posix_memalign((void **)&buf, 4096, 1 << 20))
		return -1;
	fd = open(dev, (write ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	while (off < end && !bad) {
		size_t len = sizes[i++ % 5];

		if (off + (off_t)len > end)
			len = end - off;
		if (write) {
			stamp(buf, len, seed, off / 512);
			if (pwrite(fd, buf, len, off) != (ssize_t)len)
				bad = -1;
		} else if (pread(fd, buf, len, off) != (ssize_t)len) {
			bad = -1;
		} else {
			bad = unstamped(buf, len, seed, off / 512) + 1;
		}
		off += len;
	}
	if (write && !bad && fsync(fd))
		bad = -1;
	close(fd);
	free(buf);
	return bad;
}

TEST_F(disk, write_read_verify)
{
	int mb = VERIFY_MB;
	uint64_t seed = time(NULL);

	if (!self->writable)
		SKIP(return, "writes only to a disk named in XEN_SELFTEST_DISK (not read-only)");
	if (self->sectors / 2048 < mb)
		mb = self->sectors / 2048;
	ASSERT_EQ(0, pattern_io(self->path, mb, 0, seed, true))
		TH_LOG("writing %d MiB to %s failed", mb, self->path);
	ASSERT_EQ(0, pattern_io(self->path, mb, 0, seed, false))
		TH_LOG("reading %s back: I/O error (-1) or first bad sector + 1", self->path);
}

/* Wait until the kernel log says the guest was suspended (and resumed). */
static bool saw_suspend(int kmsg, int seconds)
{
	char rec[2048];
	ssize_t n;
	int i;

	for (i = 0; i < seconds * 5; i++) {
		while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
			if (n <= 0)
				continue;
			rec[n] = '\0';
			if (strstr(rec, "suspending xenstore"))
				return true;
		}
		usleep(200000);
	}
	return false;
}

/* The longest wait for the save; the test's timeout leaves a minute more. */
#define SAVE_WAIT_MAX	540

TEST_F_TIMEOUT(disk, survives_save_restore, SAVE_WAIT_MAX + 60)
{
	long wait = xen_env_num("XEN_SELFTEST_SAVE_WAIT", 0);
	uint64_t seed = time(NULL) ^ 0x5a5a;
	int kmsg, i;

	if (!self->writable || wait <= 0)
		SKIP(return, "needs XEN_SELFTEST_DISK and XEN_SELFTEST_SAVE_WAIT (seconds)");
	ASSERT_LE(wait, SAVE_WAIT_MAX)
		TH_LOG("XEN_SELFTEST_SAVE_WAIT above %d s", SAVE_WAIT_MAX);
	ASSERT_GE(self->sectors / 2048, 2 * SAVE_MB);
	ASSERT_EQ(0, pattern_io(self->path, SAVE_MB, 0, seed, true));
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_GE(kmsg, 0);
	lseek(kmsg, 0, SEEK_END);
	ksft_print_msg("xen: waiting up to %ld s for this guest to be saved and restored\n",
		       wait);
	fflush(stdout);
	if (!saw_suspend(kmsg, wait)) {
		close(kmsg);
		SKIP(return, "the host did not save and restore this guest within %ld s", wait);
	}
	close(kmsg);
	/* The disk reconnects after the resume: give it a minute. */
	for (i = 0; i < 600 && pattern_io(self->path, 1, SAVE_MB, seed, true); i++)
		usleep(100000);
	ASSERT_LT(i, 600) TH_LOG("%s takes no writes after the restore", self->path);
	ASSERT_EQ(0, pattern_io(self->path, SAVE_MB, 0, seed, false))
		TH_LOG("data written before the save: I/O error (-1) or first bad sector + 1");
	ASSERT_EQ(0, pattern_io(self->path, 1, SAVE_MB, seed, false));
}

TEST_HARNESS_MAIN
