/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The main() of a fuzz_replay program: it runs a fuzz target without
 * libFuzzer, so "make check" exercises it with gcc's sanitizers, on a
 * fixed-seed stream of random and semi-valid inputs, then on the inputs
 * that once crashed it (regress/) and the corpus "make fuzz" saved, if
 * there is one; or only on the files named on the command line (to
 * replay a crash).
 *
 * Include it after the fuzz target's .c file, with REPLAY_INPUTS (how many
 * inputs to make) and REPLAY_ROOM (the longest) defined, and then define
 * replay_input(), which writes the @i-th input to @buf and returns its
 * length.
 */
#ifndef TESTING_COMMON_REPLAY_H
#define TESTING_COMMON_REPLAY_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

static size_t replay_input(u8 *buf, size_t room, unsigned int i);

/* Any bytes, of any length below @room. */
static size_t random_input(u8 *buf, size_t room)
{
	size_t len = t_rng() % room, i;

	for (i = 0; i < len; i++)
		buf[i] = t_rng();
	return len;
}

/*
 * Appends @s and a newline to the @*len bytes in @buf, as a xenstore
 * value for a fuzz target; false, and nothing appended, if that would
 * leave no byte free in @room.
 */
static inline bool replay_put_line(u8 *buf, size_t room, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 >= room)
		return false;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[(*len)++] = '\n';
	return true;
}

/* Appends the @n low bytes of @v to @buf at @len, big-endian (as rd*()). */
static inline size_t replay_put_be(u8 *buf, size_t len, u64 v, unsigned int n)
{
	while (n--)
		buf[len++] = v >> (8 * n);
	return len;
}

static void random_inputs(void)
{
	static u8 buf[REPLAY_ROOM];
	unsigned int i;

	for (i = 0; i < REPLAY_INPUTS; i++)
		LLVMFuzzerTestOneInput(buf, replay_input(buf, sizeof(buf), i));
	CHECK_EQ(i, REPLAY_INPUTS);
}

static void replay_file(const char *path, bool quiet)
{
	static u8 buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	if (!quiet)
		printf("# replayed %s (%zu bytes)\n", path, len);
}

/* Every file in @dir (none if there is no @dir); how many. */
static unsigned int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char path[512];
	struct dirent *e;
	unsigned int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		replay_file(path, true);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * The inputs that once crashed the target, kept in git (regress/, where
 * "make fuzz" writes its crash inputs), and what "make fuzz" saved, if it
 * ran here.
 */
static void saved_inputs(void)
{
	printf("# replayed %u regression inputs\n", replay_dir("regress"));
	printf("# replayed %u corpus files\n", replay_dir("fuzz-corpus"));
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		replay_file(argv[i], false);
	if (argc > 1)
		return 0;
	RUN(random_inputs);
	RUN(saved_inputs);
	return t_done();
}

#endif
