/*
 * tprog.h: tiny check macros for the syscall test programs in tests/progs.
 *
 * Model: each program is a static binary run unchanged on host Linux and
 * on our kernel, and the two outputs are compared byte for byte.  So a
 * check prints only its name ("ok NAME") or a failure line
 * ("FAIL NAME: detail") and never PIDs, times or addresses in the success
 * path; failure details may contain values because they already differ.
 * TP_SUMMARY() prints "N passed, N failed" and yields main's exit status.
 * stdout is unbuffered so output interleaves correctly around fork().
 */
#ifndef TPROG_H
#define TPROG_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static int tp_passed, tp_failed;

/* Record one check; `cond` true is a pass. */
#define CHECK(name, cond, ...)						\
	do {								\
		if (cond) {						\
			tp_passed++;					\
			printf("ok %s\n", name);			\
		} else {						\
			tp_failed++;					\
			printf("FAIL %s: ", name);			\
			printf(__VA_ARGS__);				\
			printf(" (%s:%d)\n", __FILE__, __LINE__);	\
		}							\
	} while (0)

/* A call that must succeed (return >= 0). */
#define CHECK_OK(name, expr)						\
	do {								\
		long tp_r_ = (long)(expr);				\
		int tp_e_ = errno;					\
		CHECK(name, tp_r_ >= 0, "%s returned %ld errno %d (%s)", \
		      #expr, tp_r_, tp_e_, strerror(tp_e_));		\
	} while (0)

/* A call that must fail with -1 and errno == err. */
#define CHECK_ERR(name, expr, err)					\
	do {								\
		errno = 0;						\
		long tp_r_ = (long)(expr);				\
		int tp_e_ = errno;					\
		CHECK(name, tp_r_ == -1 && tp_e_ == (err),		\
		      "%s returned %ld errno %d (%s), want errno %d (%s)", \
		      #expr, tp_r_, tp_e_, strerror(tp_e_), (err),	\
		      strerror(err));					\
	} while (0)

#define CHECK_EQ(name, a, b)						\
	CHECK(name, (long long)(a) == (long long)(b), "%s = %lld, want %lld", \
	      #a, (long long)(a), (long long)(b))

#define TP_SUMMARY()							\
	(printf("%d passed, %d failed\n", tp_passed, tp_failed),	\
	 tp_failed ? 1 : 0)

static inline void tp_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
}

/* Make and enter a fresh scratch directory; exits on failure. */
static inline void tp_scratch(char *buf, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(buf, len, "%s/tprog-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(buf) || chdir(buf) < 0) {
		printf("FAIL setup: cannot make scratch dir: %s\n",
		       strerror(errno));
		exit(2);
	}
}

/* Remove a tree made by the test (no symlink following); best effort. */
static inline void tp_rmtree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char sub[4096];

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	d = opendir(path);
	while (d && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%.3000s/%.255s", path,
				     de->d_name) < sizeof(sub))
			tp_rmtree(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

#endif /* TPROG_H */
