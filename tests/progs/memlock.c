/*
 * memlock: mincore (residency of untouched, written and read pages; the
 * EINVAL/ENOMEM/EFAULT rules) and the mlock family (page rounding,
 * populate, MLOCK_ONFAULT, mlockall flags, MCL_FUTURE, VmLck in
 * /proc/self/status, not inherited by fork, RLIMIT_MEMLOCK for an
 * unprivileged child: ENOMEM past it, EPERM at 0).  Sizes are checked
 * only where both kernels must agree: areas this program mapped itself.
 */
#include "tprog.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT	1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT	4
#endif

#define PG	4096

static void *volatile bad_ptr = (void *)1;

/* VmLck of /proc/self/status in kB, -1 if not found. */
static long vmlck(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* The vec of mincore over n pages at p as a string of 0/1, or "ERR". */
static const char *residency(void *p, int n)
{
	static char s[64];
	unsigned char vec[64];

	if (mincore(p, (size_t)n * PG, vec))
		return "ERR";
	for (int i = 0; i < n; i++)
		s[i] = '0' + (vec[i] & 1);
	s[n] = 0;
	return s;
}

#define CHECK_STR(name, got, want)					\
	do {								\
		const char *g_ = (got);					\
		CHECK(name, strcmp(g_, want) == 0, "got %s, want %s", g_, want); \
	} while (0)

/* Exit status of child pid (-1 if it did not exit normally). */
static int wait_code(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_mincore(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[8];
	volatile char c;

	CHECK_STR("mincore-fresh", residency(p, 8), "00000000");
	p[0] = 1;
	c = p[2 * PG];
	(void)c;
	p[7 * PG + 100] = 1;
	CHECK_STR("mincore-touched", residency(p, 8), "10100001");
	CHECK_OK("mincore-partial-len", mincore(p, PG + 1, vec));
	CHECK_EQ("mincore-partial-len-vec", vec[0] + vec[1], 1);
	CHECK_OK("mincore-zero-len", mincore(p, 0, vec));
	CHECK_ERR("mincore-unaligned", mincore(p + 1, PG, vec), EINVAL);
	CHECK_ERR("mincore-efault", mincore(p, PG, bad_ptr), EFAULT);
	CHECK_ERR("mincore-kernel", mincore((void *)0xffff800000000000UL, PG, vec), ENOMEM);
	munmap(p + 4 * PG, PG);
	CHECK_ERR("mincore-hole", mincore(p, 8 * PG, vec), ENOMEM);
	CHECK_ERR("mincore-unmapped", mincore(p + 4 * PG, PG, vec), ENOMEM);
	CHECK_OK("mincore-before-hole", mincore(p, 4 * PG, vec));
	munmap(p, 8 * PG);
}

/* Child: nothing is locked after fork. */
static int child_fork_vmlck(void)
{
	return vmlck() == 0 ? 0 : 1;
}

static void test_mlock(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;
	pid_t pid;

	CHECK_EQ("vmlck-start", vmlck(), 0);
	/* Rounded out to whole pages: 100 bytes into page 0 up to page 2. */
	CHECK_OK("mlock", mlock(p + 100, 2 * PG));
	CHECK_EQ("mlock-vmlck", vmlck(), 12);
	CHECK_STR("mlock-populated", residency(p, 8), "11100000");
	CHECK_OK("mlock-again", mlock(p, PG));
	CHECK_EQ("mlock-again-vmlck", vmlck(), 12);
	pid = fork();
	if (pid == 0)
		_exit(child_fork_vmlck());
	CHECK_EQ("mlock-not-inherited", wait_code(pid), 0);
	CHECK_OK("munlock-part", munlock(p + PG, PG));
	CHECK_EQ("munlock-part-vmlck", vmlck(), 8);
	CHECK_OK("munlock", munlock(p, 8 * PG));
	CHECK_EQ("munlock-vmlck", vmlck(), 0);
	CHECK_OK("mlock-zero", mlock(p, 0));
	CHECK_OK("munlock-zero", munlock(p, 0));

	CHECK_OK("mlock2-onfault", syscall(SYS_mlock2, p + 4 * PG, 2 * PG, MLOCK_ONFAULT));
	CHECK_EQ("mlock2-onfault-vmlck", vmlck(), 8);
	CHECK_STR("mlock2-onfault-not-populated", residency(p, 8), "11100000");
	CHECK_OK("mlock2-plain", syscall(SYS_mlock2, p + 6 * PG, PG, 0));
	CHECK_STR("mlock2-populated", residency(p, 8), "11100010");
	CHECK_ERR("mlock2-bad-flags", syscall(SYS_mlock2, p, PG, 2), EINVAL);
	CHECK_OK("munlock-all-pages", munlock(p, 8 * PG));

	munmap(p + 3 * PG, PG);
	CHECK_ERR("mlock-hole", mlock(p, 8 * PG), ENOMEM);
	CHECK_ERR("munlock-hole", munlock(p, 8 * PG), ENOMEM);
	CHECK_ERR("mlock-unmapped", mlock(p + 3 * PG, PG), ENOMEM);
	CHECK_ERR("mlock-kernel", mlock((void *)0xffff800000000000UL, PG), ENOMEM);
	munmap(p, 8 * PG);

	CHECK_ERR("mlockall-zero", mlockall(0), EINVAL);
	CHECK_ERR("mlockall-onfault-only", mlockall(MCL_ONFAULT), EINVAL);
	CHECK_ERR("mlockall-bad", mlockall(8), EINVAL);
	CHECK_OK("mlockall-current", mlockall(MCL_CURRENT));
	CHECK("mlockall-vmlck", vmlck() > 0, "VmLck %ld", vmlck());
	CHECK_OK("munlockall", munlockall());
	CHECK_EQ("munlockall-vmlck", vmlck(), 0);
	CHECK_OK("mlockall-future", mlockall(MCL_FUTURE));
	CHECK_EQ("mlockall-future-vmlck", vmlck(), 0);
	q = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_EQ("mlockall-future-mmap", vmlck(), 16);
	CHECK_STR("mlockall-future-populated", residency(q, 4), "1111");
	CHECK_OK("munlockall2", munlockall());
	CHECK_EQ("munlockall2-vmlck", vmlck(), 0);
	munmap(q, 4 * PG);
	q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
		 -1, 0);
	CHECK_EQ("map-locked-vmlck", vmlck(), 8);
	CHECK_STR("map-locked-populated", residency(q, 2), "11");
	munmap(q, 2 * PG);
	CHECK_EQ("munmap-locked-vmlck", vmlck(), 0);
}

/* Child: RLIMIT_MEMLOCK rules after dropping root; a bit mask of failures. */
static int child_rlimit(void)
{
	struct rlimit two = { 2 * PG, 2 * PG }, zero = { 0, 0 };
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bad = 0;

	if (setrlimit(RLIMIT_MEMLOCK, &two) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return 100;
	if (mlock(p, PG))
		bad |= 1;
	errno = 0;
	if (mlock(p + PG, 2 * PG) != -1 || errno != ENOMEM)
		bad |= 2;
	/* The page already locked is not counted twice. */
	if (mlock(p, 2 * PG))
		bad |= 4;
	errno = 0;
	if (mlockall(MCL_CURRENT) != -1 || errno != ENOMEM)
		bad |= 8;
	if (munlock(p, 4 * PG))
		bad |= 16;
	if (setrlimit(RLIMIT_MEMLOCK, &zero))
		bad |= 32;
	errno = 0;
	if (mlock(p, PG) != -1 || errno != EPERM)
		bad |= 64;
	errno = 0;
	if (mlockall(MCL_CURRENT) != -1 || errno != EPERM)
		bad |= 128;
	return bad;
}

/* Child: root locks past RLIMIT_MEMLOCK (CAP_IPC_LOCK). */
static int child_root_over_limit(void)
{
	struct rlimit one = { PG, PG };
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (setrlimit(RLIMIT_MEMLOCK, &one))
		return 100;
	/* CAP_IPC_LOCK ignores the limit. */
	return mlock(p, 4 * PG) ? 1 : 0;
}

int main(void)
{
	pid_t pid;

	tp_init();
	test_mincore();
	test_mlock();
	pid = fork();
	if (pid == 0)
		_exit(child_rlimit());
	CHECK_EQ("mlock-rlimit-unprivileged", wait_code(pid), 0);
	pid = fork();
	if (pid == 0)
		_exit(child_root_over_limit());
	CHECK_EQ("mlock-root-over-limit", wait_code(pid), 0);
	return TP_SUMMARY();
}
