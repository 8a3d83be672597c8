/*
 * mmfuzz: random mmap/mprotect/munmap/mremap/madvise/msync/ftruncate
 * combinations, with random touches caught by a SIGSEGV/SIGBUS handler
 * and occasional forks, in several processes at once.  The kernel must
 * survive it; the program checks only that it is not corrupted itself.
 *
 * Model: each process owns an arena (a PROT_NONE reservation of ARENA_PAGES
 * pages) and may do anything inside it (MAP_FIXED, mremap FIXED, touches).
 * Outside the arena it only passes arguments that must fail (misaligned,
 * kernel-half, overflowing, huge), so it never unmaps its own code; when a
 * call that may place a mapping anywhere puts it outside the arena, the
 * mapping is removed at once.  A guard page outside the arena holds a
 * pattern that must stay intact, and every child must exit 0.
 *
 * Usage: mmfuzz [ITERATIONS [PROCS [SEED]]] (defaults 3000 4 1).  Output
 * is one deterministic line (the same on any kernel that survives):
 *   mmfuzz: procs=P iters=I seed=S ok=P
 * and the exit status is 0 when every process finished cleanly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG		4096UL
#define ARENA_PAGES	512UL
#define MAX_LEN_PAGES	48

static uint64_t rng;
static char *arena;
static unsigned char *guard;
static int fd = -1;
static sigjmp_buf jb;
static volatile sig_atomic_t faults, in_touch;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void on_fault(int sig)
{
	if (!in_touch) {	/* a fault outside do_touch is a real failure */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	faults++;
	siglongjmp(jb, 1);
}

/* A page-aligned address inside the arena and a length that may run past it. */
static char *arena_addr(void)
{
	return arena + below(ARENA_PAGES) * PG;
}

/* A length of 1..MAX_LEN_PAGES pages that stays inside the arena from p. */
static size_t arena_len(const char *p)
{
	size_t len = (below(MAX_LEN_PAGES) + 1) * PG, room = (size_t)(arena + ARENA_PAGES * PG - p);

	return len < room ? len : room;
}

static size_t rand_len(void)
{
	switch (below(10)) {
	case 0:
		return 0;
	case 1:
		return below(3 * PG) + 1;	/* unaligned */
	case 2:
		return (size_t)1 << (20 + below(40));	/* huge */
	case 3:
		return (size_t)-1 - below(PG);		/* overflow */
	default:
		return (below(MAX_LEN_PAGES) + 1) * PG;
	}
}

/* A pointer-sized argument that must never succeed outside the arena. */
static char *bad_addr(void)
{
	static const uintptr_t bad[] = {
		0x1, 0xfff, 0xffff800000000000UL, 0xffffffff80000000UL, 0x00007ffffffff000UL,
		0x0000800000000000UL, (uintptr_t)-PG,
	};

	if (below(2))
		return (char *)bad[below(sizeof(bad) / sizeof(bad[0]))];
	return arena_addr() + 1 + below(PG - 1);	/* misaligned */
}

/* True if [p, p+len) lies inside the arena. */
static int in_arena(const char *p, size_t len)
{
	return p >= arena && len <= ARENA_PAGES * PG && p + len <= arena + ARENA_PAGES * PG;
}

static int rand_prot(void)
{
	return below(8) ? (int)below(8) : (int)rnd();	/* sometimes junk bits */
}

static int rand_flags(void)
{
	static const int types[] = { MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, 0, 3 | 4 };
	int f = types[below(sizeof(types) / sizeof(types[0]))];

	if (below(2))
		f |= MAP_ANONYMOUS;
	if (!below(6))
		f |= MAP_POPULATE;
	if (!below(8))
		f |= MAP_NORESERVE | MAP_GROWSDOWN;
	if (!below(12))
		f |= 1 << below(31);	/* junk */
	return f;
}

static void do_mmap(void)
{
	int fixed = below(3), flags = rand_flags();
	char *want = below(5) ? arena_addr() : bad_addr();
	size_t len = rand_len();
	off_t off = below(6) ? (off_t)(below(8) * PG) : (off_t)rnd();
	char *p;

	if (len > MAX_LEN_PAGES * PG)
		flags &= ~MAP_POPULATE;	/* a huge populate would only test RAM size */
	if (fixed && in_arena(want, (len + PG - 1) & ~(PG - 1)))
		flags |= below(2) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	else
		flags &= ~(MAP_FIXED | MAP_FIXED_NOREPLACE);
	p = mmap(want, len, rand_prot(), flags, (flags & MAP_ANONYMOUS) ? -1 : fd, off);
	if (p != MAP_FAILED && !in_arena(p, (len + PG - 1) & ~(PG - 1)))
		munmap(p, len);
}

static void do_munmap(void)
{
	char *p = arena_addr();

	if (below(4))
		munmap(p, arena_len(p));
	else
		munmap(bad_addr(), rand_len());
}

static void do_mprotect(void)
{
	char *p = arena_addr();

	if (below(4))
		mprotect(p, arena_len(p), rand_prot());
	else
		mprotect(bad_addr(), rand_len(), rand_prot());
}

static void do_mremap(void)
{
	char *src = arena_addr(), *dst = arena_addr(), *p;
	size_t ol = (below(16) + 1) * PG, nl = (below(32) + 1) * PG;
	int flags = (int)below(4);

	if (!below(5)) {
		mremap(bad_addr(), rand_len(), rand_len(), (int)rnd(), bad_addr());
		return;
	}
	if ((flags & MREMAP_FIXED) && !in_arena(dst, nl))
		flags &= ~MREMAP_FIXED;
	if (!in_arena(src, ol))
		return;
	p = mremap(src, ol, nl, flags, dst);
	if (p != MAP_FAILED && !in_arena(p, nl))
		munmap(p, nl);
}

static void do_misc(void)
{
	char *p = arena_addr();

	switch (below(4)) {
	case 0:
		madvise(p, arena_len(p), below(2) ? MADV_DONTNEED : (int)below(30));
		break;
	case 1:
		msync(below(4) ? p : bad_addr(), rand_len(), (int)below(8));
		break;
	case 2:
		if (ftruncate(fd, (off_t)(below(10) * PG + below(2) * below(PG))))
			break;
		break;
	default:
		if (pwrite(fd, "fuzz", 4, (off_t)below(10 * PG)) < 0)
			break;
		break;
	}
}

/* Touch random arena bytes; faults are expected and counted. */
static void do_touch(void)
{
	in_touch = 1;
	for (volatile int i = 0; i < 8; i++) {
		volatile char *p = arena_addr() + below(PG);

		if (sigsetjmp(jb, 1))
			continue;
		if (below(2))
			*p = (char)i;
		else
			(void)*p;
	}
	in_touch = 0;
}

static void do_fork(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			do_touch();
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
}

static int guard_ok(void)
{
	for (size_t i = 0; i < PG; i++)
		if (guard[i] != (unsigned char)(i * 7 + 3))
			return 0;
	return 1;
}

/* One fuzzing process; returns its exit status. */
static int fuzz(int iters, uint64_t seed, const char *path)
{
	struct sigaction sa = { 0 };

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	sa.sa_handler = on_fault;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	arena = mmap(NULL, ARENA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	guard = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || arena == MAP_FAILED || guard == MAP_FAILED)
		return 2;
	if (ftruncate(fd, 4 * PG))
		return 2;
	for (size_t i = 0; i < PG; i++)
		guard[i] = (unsigned char)(i * 7 + 3);
	for (int it = 0; it < iters; it++) {
		switch (below(16)) {
		case 0: case 1: case 2: case 3:
			do_mmap();
			break;
		case 4: case 5:
			do_munmap();
			break;
		case 6: case 7:
			do_mprotect();
			break;
		case 8: case 9:
			do_mremap();
			break;
		case 10:
			do_misc();
			break;
		case 11:
			if (!below(8))
				do_fork();
			break;
		default:
			do_touch();
			break;
		}
		if (!(it % 64) && !guard_ok())
			return 3;
	}
	close(fd);
	unlink(path);
	return guard_ok() ? 0 : 3;
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 3000;
	int procs = argc > 2 ? atoi(argv[2]) : 4;
	unsigned long seed = argc > 3 ? strtoul(argv[3], NULL, 0) : 1;
	int ok = 0;

	for (int i = 0; i < procs; i++) {
		if (fork() == 0) {
			char path[64];

			snprintf(path, sizeof(path), "/tmp/mmfuzz.%d.%d", (int)getppid(), i);
			_exit(fuzz(iters, seed + (unsigned long)i, path));
		}
	}
	for (int i = 0; i < procs; i++) {
		int st;

		if (wait(&st) < 0)
			break;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
		else
			fprintf(stderr, "mmfuzz: a process ended with status %#x\n", st);
	}
	printf("mmfuzz: procs=%d iters=%d seed=%lu ok=%d\n", procs, iters, seed, ok);
	return ok == procs ? 0 : 1;
}
