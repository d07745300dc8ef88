// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV block backend selftests, run in dom0 (or a driver domain):
 *
 *   statistics       every backend device has the statistics files
 *                    tools read (rd_req, wr_req, ...), numbers that
 *                    never go down
 *   ring_per_queue   a connected device has one backend thread per
 *                    queue its frontend asked for
 *   detach_attach    a disk attached to a running guest connects, and
 *                    detaching it leaves no device and no thread behind
 *   worker_follows_irq  (this project's backend) each ring's thread may
 *                    run only on its interrupt's CPU, and follows the
 *                    interrupt when smp_affinity moves it
 *
 * The first two look at the disks attached to guests now, and skip when
 * there are none.  The last needs XEN_SELFTEST_DOMAIN (a running guest
 * with a block frontend) and XEN_SELFTEST_ATTACH (an xl disk spec for a
 * free virtual device, for example "phy:/dev/loop0,xvdz,w"), and uses
 * xl and xenstore-read.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "xen_util.h"

static const char *const stat_files[] = {
	"rd_req", "wr_req", "oo_req", "f_req", "ds_req", "rd_sect", "wr_sect",
};

FIXTURE(back) {
	int unused;
};

FIXTURE_SETUP(back)
{
	const char *why = xen_why_not(true);

	if (why)
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(back)
{
}

TEST_F(back, statistics)
{
	long long first[ARRAY_SIZE(stat_files)], v;
	char p[512];
	struct dirent *e;
	int devs = 0;
	size_t i;
	DIR *d = opendir(XEN_BACK_BUS);

	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "vbd-", 4))
			continue;
		devs++;
		for (i = 0; i < ARRAY_SIZE(stat_files); i++) {
			snprintf(p, sizeof(p), "%s/%s/statistics/%s", XEN_BACK_BUS,
				 e->d_name, stat_files[i]);
			first[i] = xen_read_num(p);
			EXPECT_GE(first[i], 0) TH_LOG("%s: not a number (%lld)", p, first[i]);
		}
		usleep(200000);
		for (i = 0; i < ARRAY_SIZE(stat_files); i++) {
			snprintf(p, sizeof(p), "%s/%s/statistics/%s", XEN_BACK_BUS,
				 e->d_name, stat_files[i]);
			v = xen_read_num(p);
			EXPECT_GE(v, first[i]) TH_LOG("%s went down", p);
		}
	}
	closedir(d);
	if (!devs)
		SKIP(return, "no guest disk is attached (no vbd-* on the backend bus)");
}

/* The block backend threads of one device: Linux's "blkback.DOMID.xvdX-N"
 * (cut to 15 characters), this project's "DOMID.vbdDEVID-N".
 */
static int count_threads(int domid, int devid, const char *vdev)
{
	char linux_name[64], ours[64], comm[64], p[300];
	struct dirent *e;
	int n = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return -1;
	snprintf(linux_name, sizeof(linux_name), "blkback.%d.%s-", domid, vdev);
	linux_name[15] = '\0';
	snprintf(ours, sizeof(ours), "%d.vbd%d-", domid, devid);
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(p, sizeof(p), "/proc/%s/comm", e->d_name);
		if (xen_read_line(p, comm, sizeof(comm)))
			continue;
		if (!strncmp(comm, linux_name, strlen(linux_name)) ||
		    !strncmp(comm, ours, strlen(ours)))
			n++;
	}
	closedir(d);
	return n;
}

/* A xenstore key under a backend device's node; -1 if unreadable. */
static int xs_backend(int domid, int devid, const char *key, char *out,
		      size_t len)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "xenstore-read /local/domain/0/backend/vbd/%d/%d/%s 2>/dev/null",
		 domid, devid, key);
	return xen_run_line(cmd, out, len) ? -1 : 0;
}

TEST_F(back, ring_per_queue)
{
	char state[32], p[512], fe[256], val[64], cmd[400], vdev[32];
	int domid, devid, queues, threads, checked = 0;
	struct dirent *e;
	DIR *d;

	if (!xen_have_tool("xenstore-read"))
		SKIP(return, "needs xenstore-read (xenstore-utils)");
	d = opendir(XEN_BACK_BUS);
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		if (sscanf(e->d_name, "vbd-%d-%d", &domid, &devid) != 2)
			continue;
		snprintf(p, sizeof(p), "%s/%s/state", XEN_BACK_BUS, e->d_name);
		if (xen_read_line(p, state, sizeof(state)) || strcmp(state, "Connected"))
			continue;
		if (xs_backend(domid, devid, "frontend", fe, sizeof(fe)) ||
		    xs_backend(domid, devid, "dev", vdev, sizeof(vdev)))
			continue;
		snprintf(cmd, sizeof(cmd),
			 "xenstore-read %s/multi-queue-num-queues 2>/dev/null", fe);
		queues = xen_run_line(cmd, val, sizeof(val)) ? 1 : atoi(val);
		threads = count_threads(domid, devid, vdev);
		EXPECT_EQ(queues, threads)
			TH_LOG("domain %d's %s (vbd-%d-%d): %d queues, %d backend threads",
			       domid, vdev, domid, devid, queues, threads);
		checked++;
	}
	closedir(d);
	if (!checked)
		SKIP(return, "no connected guest disk");
}

/* The devid of an xvd name (xvda = 51712, one per 16 minors). */
static int xvd_devid(const char *vdev)
{
	if (strncmp(vdev, "xvd", 3) || vdev[3] < 'a' || vdev[3] > 'p' || vdev[4])
		return -1;
	return 202 * 256 + (vdev[3] - 'a') * 16;
}

/* Wait up to @seconds for @path's first line to be (@want) or be gone. */
static bool wait_state(const char *path, const char *want, int seconds)
{
	char buf[64];
	int i, err;

	for (i = 0; i < seconds * 10; i++) {
		err = xen_read_line(path, buf, sizeof(buf));
		if (want ? !err && !strcmp(buf, want) : err == -ENOENT)
			return true;
		usleep(100000);
	}
	return false;
}

TEST_F(back, detach_attach)
{
	const char *dom = getenv("XEN_SELFTEST_DOMAIN");
	const char *spec = getenv("XEN_SELFTEST_ATTACH");
	char cmd[512], out[128], vdev[32], state[300];
	const char *c1, *c2;
	int domid, devid;

	if (!dom || !*dom || !spec || !*spec)
		SKIP(return, "needs XEN_SELFTEST_DOMAIN and XEN_SELFTEST_ATTACH");
	if (!xen_have_tool("xl"))
		SKIP(return, "needs xl");
	c1 = strchr(spec, ',');
	c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	ASSERT_NE(NULL, c2) TH_LOG("XEN_SELFTEST_ATTACH is TARGET,VDEV,MODE, not %s", spec);
	snprintf(vdev, sizeof(vdev), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	devid = xvd_devid(vdev);
	ASSERT_GE(devid, 0) TH_LOG("%s: an xvd name from xvda to xvdp, please", vdev);
	snprintf(cmd, sizeof(cmd), "xl domid '%s' 2>/dev/null", dom);
	ASSERT_EQ(0, xen_run_line(cmd, out, sizeof(out))) TH_LOG("no domain %s", dom);
	domid = atoi(out);
	snprintf(state, sizeof(state), "%s/vbd-%d-%d/state", XEN_BACK_BUS, domid, devid);

	snprintf(cmd, sizeof(cmd), "xl block-attach '%s' '%s' 2>&1", dom, spec);
	ASSERT_EQ(0, xen_run_line(cmd, out, sizeof(out))) TH_LOG("xl block-attach: %s", out);
	EXPECT_TRUE(wait_state(state, "Connected", 30))
		TH_LOG("vbd-%d-%d not Connected 30 s after xl block-attach", domid, devid);
	EXPECT_GT(count_threads(domid, devid, vdev), 0)
		TH_LOG("no backend thread serves the attached disk");
	snprintf(cmd, sizeof(cmd), "xl block-detach '%s' %s 2>&1", dom, vdev);
	ASSERT_EQ(0, xen_run_line(cmd, out, sizeof(out))) TH_LOG("xl block-detach: %s", out);
	ASSERT_TRUE(wait_state(state, NULL, 30))
		TH_LOG("vbd-%d-%d still there 30 s after xl block-detach", domid, devid);
	for (int i = 0; i < 100 && count_threads(domid, devid, vdev); i++)
		usleep(100000);
	EXPECT_EQ(0, count_threads(domid, devid, vdev))
		TH_LOG("backend threads left after the detach");
}

/* A key of /proc/PID/status ("Cpus_allowed_list"); -1 if unreadable. */
static int proc_status(int pid, const char *key, char *out, size_t len)
{
	char p[64], ln[256];
	size_t kl = strlen(key);
	FILE *f;
	int err = -1;

	snprintf(p, sizeof(p), "/proc/%d/status", pid);
	f = fopen(p, "r");
	if (!f)
		return -1;
	while (fgets(ln, sizeof(ln), f))
		if (!strncmp(ln, key, kl) && ln[kl] == ':') {
			snprintf(out, len, "%s", ln + kl + 1 + strspn(ln + kl + 1, " \t"));
			out[strcspn(out, "\n")] = '\0';
			err = 0;
			break;
		}
	fclose(f);
	return err;
}

/* The interrupt named @name in /proc/interrupts; -1 if none. */
static int irq_by_name(const char *name)
{
	char ln[1024], *end;
	FILE *f = fopen("/proc/interrupts", "r");
	int irq = -1;

	if (!f)
		return -1;
	while (fgets(ln, sizeof(ln), f)) {
		long n = strtol(ln, &end, 10);

		ln[strcspn(ln, "\n")] = '\0';
		end = strrchr(ln, ' ');
		if (*ln && end && !strcmp(end + 1, name) && n >= 0) {
			irq = n;
			break;
		}
	}
	fclose(f);
	return irq;
}

/* Whether thread @pid's allowed CPUs become @want within 2 s. */
static bool allowed_becomes(int pid, const char *want, char *got, size_t len)
{
	for (int i = 0; i < 20; i++) {
		if (!proc_status(pid, "Cpus_allowed_list", got, len) && !strcmp(got, want))
			return true;
		usleep(100000);
	}
	return false;
}

/* Move @irq to @cpu; the thread @pid must follow. */
static void move_and_check(struct __test_metadata *_metadata, int pid,
			   const char *comm, int irq, int cpu)
{
	char p[64], want[16], got[64];
	int err;

	snprintf(p, sizeof(p), "/proc/irq/%d/smp_affinity_list", irq);
	snprintf(want, sizeof(want), "%d", cpu);
	err = xen_write_str(p, want);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", p, strerror(-err));
	EXPECT_TRUE(allowed_becomes(pid, want, got, sizeof(got)))
		TH_LOG("%s: interrupt %d moved to CPU %d, thread allowed on %s", comm,
		       irq, cpu, got);
}

TEST_F(back, worker_follows_irq)
{
	char p[300], comm[64], want[64], got[64];
	int checked = 0, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct dirent *e;
	DIR *d;

	if (xen_read_line("/sys/module/xen_blkback/parameters/worker_follows_irq",
			  got, sizeof(got)))
		SKIP(return, "not this project's backend (no worker_follows_irq)");
	if (strcmp(got, "Y"))
		SKIP(return, "xen_blkback.worker_follows_irq is off");
	if (ncpu < 2)
		SKIP(return, "one CPU: nowhere to move an interrupt");
	d = opendir("/proc");
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		int pid, irq, a, b, c;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = atoi(e->d_name);
		snprintf(p, sizeof(p), "/proc/%s/comm", e->d_name);
		if (xen_read_line(p, comm, sizeof(comm)) ||
		    sscanf(comm, "%d.vbd%d-%d", &a, &b, &c) != 3)
			continue;
		irq = irq_by_name(comm);
		ASSERT_LE(0, irq) TH_LOG("%s: no interrupt of that name", comm);
		snprintf(p, sizeof(p), "/proc/irq/%d/effective_affinity_list", irq);
		ASSERT_EQ(0, xen_read_line(p, want, sizeof(want)));
		EXPECT_TRUE(allowed_becomes(pid, want, got, sizeof(got)))
			TH_LOG("%s: interrupt %d on CPU %s, thread allowed on %s", comm,
			       irq, want, got);
		move_and_check(_metadata, pid, comm, irq, (atoi(want) + 1) % ncpu);
		move_and_check(_metadata, pid, comm, irq, atoi(want));
		checked++;
	}
	closedir(d);
	if (!checked)
		SKIP(return, "no ring of this project's backend is connected");
}

TEST_HARNESS_MAIN
