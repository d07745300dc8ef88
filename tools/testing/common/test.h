/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP-ish test framework: one "ok N - name" or "not ok N - name"
 * line per test case, "#" lines for details, and a last line
 * "N passed, N failed".  A test case fails on a failed CHECK, a leaked
 * allocation or a WARN it did not declare with CHECK_WARNS().
 */
#ifndef TESTING_COMMON_TEST_H
#define TESTING_COMMON_TEST_H

/*
 * A test file ends with the table of its cases and T_SUITE():
 *
 *	static const struct t_case_def t_cases[] = {
 *		T_CASE_DEF(first_case),
 *		...
 *		{}
 *	};
 *	T_SUITE(suite_name, t_cases, setup_or_NULL);
 *
 * In userspace that is main(); built into a kernel module
 * (tools/testing/xen-kunit) it is a KUnit suite running the same cases
 * as the parameters of one test, whose CHECKs are KUnit expectations.
 */
struct t_case_def {
	void (*fn)(void);
	const char *name;
};

#define T_CASE_DEF(fn)	{ fn, #fn }

#ifdef __KERNEL__
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/sprintf.h>
#include <linux/types.h>

static struct kunit *t_kunit;
static char t_case[128];

#define T_CASE(...)	snprintf(t_case, sizeof(t_case), __VA_ARGS__)
#define T_CASE_END()	(t_case[0] = '\0')
#define CHECK(cond)	KUNIT_EXPECT_TRUE_MSG(t_kunit, cond, "%s", t_case)
#define CHECK_EQ(a, b)	KUNIT_EXPECT_EQ_MSG(t_kunit, (long long)(a),	\
					    (long long)(b), "%s", t_case)
/*
 * The kernel has no way to count a WARN: the statement runs, its WARN
 * is printed, and its values are checked; the count is checked in
 * userspace only.
 */
#define CHECK_WARNS(n, stmt) do {					\
	(void)(n);							\
	stmt;								\
} while (0)

/* Failing allocations on demand is the userspace allocator's. */
static inline void shim_fail_alloc(unsigned long n)
{
	if (n)
		kunit_skip(t_kunit, "needs the userspace tests' failing allocator");
}

static void (*t_setup)(void);

/* One parameter per case of the table, named after it. */
static inline const void *t_next_case(const struct t_case_def *cases,
				      const void *prev, char *desc)
{
	const struct t_case_def *c = prev ? (const struct t_case_def *)prev + 1 :
					    cases;

	if (!c->fn)
		return NULL;
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
	return c;
}

static inline void t_run_case(struct kunit *t)
{
	const struct t_case_def *c = t->param_value;

	t_kunit = t;
	T_CASE_END();
	if (t_setup)
		t_setup();
	c->fn();
}

#define T_SUITE(suite, cases, setup)					\
static const void *suite##_next(const void *prev, char *desc)		\
{									\
	t_setup = setup;						\
	return t_next_case(cases, prev, desc);				\
}									\
static struct kunit_case suite##_kcases[] = {				\
	KUNIT_CASE_PARAM(t_run_case, suite##_next),			\
	{}								\
};									\
static struct kunit_suite suite##_suite = {				\
	.name = #suite,							\
	.test_cases = suite##_kcases,					\
};									\
kunit_test_suite(suite##_suite);					\
MODULE_DESCRIPTION("KUnit: " #suite);					\
MODULE_LICENSE("GPL")

#else /* userspace */

#include <stdio.h>
#include <stdlib.h>

#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/types.h>

static int t_checks_failed;
static unsigned long t_warns_expected;
static int t_nr, t_passed, t_failed;
static char t_case[128];	/* the table row being checked, or "" */

/*
 * T_CASE(fmt, ...) names the row of a table that the checks after it are
 * about, so that a failed check in a table-driven loop says which row it
 * was; T_CASE_END() after the loop.
 */
#define T_CASE(...)	snprintf(t_case, sizeof(t_case), __VA_ARGS__)
#define T_CASE_END()	(t_case[0] = '\0')

/* Counts a failed check and starts its message: where, and which row. */
static void t_fail(const char *file, int line)
{
	t_checks_failed++;
	printf("#   %s:%d: %s%s", file, line, t_case, t_case[0] ? ": " : "");
}

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		t_fail(__FILE__, __LINE__);				\
		printf("CHECK(%s) failed\n", #cond);			\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		t_fail(__FILE__, __LINE__);				\
		printf("CHECK_EQ(%s, %s): %lld != %lld\n",		\
		       #a, #b, __a, __b);				\
	}								\
} while (0)

/* Run @stmt and demand that it WARNs exactly @n times. */
#define CHECK_WARNS(n, stmt) do {					\
	unsigned long __w = shim_warnings, __n = (n);			\
	stmt;								\
	CHECK_EQ(shim_warnings - __w, __n);				\
	t_warns_expected += __n;					\
} while (0)

static void t_run(void (*fn)(void), const char *name)
{
	long live = shim_allocs_live;

	t_checks_failed = 0;
	T_CASE_END();
	t_warns_expected = 0;
	shim_warnings = 0;
	shim_fail_alloc(0);
	fn();
	shim_fail_alloc(0);
	if (shim_allocs_live != live) {
		printf("#   %ld allocation(s) leaked\n", shim_allocs_live - live);
		t_checks_failed++;
	}
	if (shim_warnings != t_warns_expected) {
		printf("#   %ld unexpected WARN(s), last at %s\n",
		       (long)(shim_warnings - t_warns_expected),
		       shim_last_warning);
		t_checks_failed++;
	}
	t_nr++;
	if (t_checks_failed)
		t_failed++;
	else
		t_passed++;
	printf("%sok %d - %s\n", t_checks_failed ? "not " : "", t_nr, name);
	fflush(stdout);
}

#define RUN(fn)	t_run(fn, #fn)

static int t_done(void)
{
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static inline int t_main(const char *suite, const struct t_case_def *c,
			 void (*setup)(void))
{
	printf("# %s\n", suite);
	if (setup)
		setup();
	for (; c->fn; c++)
		t_run(c->fn, c->name);
	return t_done();
}

#define T_SUITE(suite, cases, setup)					\
int main(void)								\
{									\
	exit(t_main(#suite, cases, setup));				\
}

#endif /* __KERNEL__ */

/*
 * A fixed-seed xorshift64 generator, so that a random run repeats
 * exactly; a test may set t_rng_state to its own seed first.
 */
static u64 t_rng_state = 0x9e3779b97f4a7c15ULL;

static inline u64 t_rng(void)
{
	t_rng_state ^= t_rng_state << 13;
	t_rng_state ^= t_rng_state >> 7;
	t_rng_state ^= t_rng_state << 17;
	return t_rng_state;
}

#endif
