/*
 * mmap: memory-mapping semantics.  Private copy-on-write after fork,
 * shared anonymous and file mappings seen across processes, mprotect
 * faults as SIGSEGV with the faulting si_addr, munmap holes, mremap,
 * MAP_FIXED / MAP_FIXED_NOREPLACE, file offsets and the zeroed tail of a
 * partial last page, a huge sparse PROT_NONE area (walks must skip what
 * is not populated), RLIMIT_AS, and mprotect's EACCES for a shared
 * mapping of a read-only descriptor.  Output is fixed lines only.
 */
#include "tprog.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PG 4096

static sigjmp_buf jb;
static void *volatile fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(jb, 1);
}

/* Write to p; returns 1 if it faulted. */
static int write_faults(volatile char *p)
{
	fault_addr = NULL;
	if (sigsetjmp(jb, 1))
		return 1;
	*p = 1;
	return 0;
}

static int read_faults(volatile char *p)
{
	fault_addr = NULL;
	if (sigsetjmp(jb, 1))
		return 1;
	(void)*p;
	return 0;
}

static void test_private_cow(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st = 0;
	pid_t pid;

	strcpy(p, "parent");
	pid = fork();
	if (pid == 0) {
		int ok = !strcmp(p, "parent");

		strcpy(p, "child");
		strcpy(p + PG, "child2");
		_exit(ok && !strcmp(p, "child") ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK("private COW: child sees parent data", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "status 0x%x", st);
	CHECK("private COW: parent keeps its copy", !strcmp(p, "parent") && p[PG] == 0,
	      "parent sees '%s'", p);
	munmap(p, 2 * PG);
}

static void test_shared_anon(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st = 0;
	pid_t pid;

	p[0] = 'a';	/* page 0 present before fork, page 1 not */
	pid = fork();
	if (pid == 0) {
		strcpy(p, "from child");
		strcpy(p + PG, "second page");
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK("shared anon: child write visible", !strcmp(p, "from child"), "parent sees '%s'", p);
	CHECK("shared anon: untouched page shared too", !strcmp(p + PG, "second page"),
	      "parent sees '%s'", p + PG);
	munmap(p, 2 * PG);
}

static int make_file(const char *path, size_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[PG];

	for (size_t i = 0; i < size; i += sizeof(buf)) {
		size_t n = size - i < sizeof(buf) ? size - i : sizeof(buf);

		memset(buf, 'A' + (int)(i / PG), n);
		write(fd, buf, n);
	}
	return fd;
}

static void test_file_private(void)
{
	int fd = make_file("/tmp/mmap_priv", 2 * PG + 100);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	char c;

	CHECK("file private: contents", p != MAP_FAILED && p[0] == 'A' && p[PG] == 'B' &&
	      p[2 * PG + 99] == 'C', "bad contents");
	CHECK("file private: tail of last page zeroed", p[2 * PG + 100] == 0 && p[3 * PG - 1] == 0,
	      "tail not zero");
	CHECK("file private: offset", q != MAP_FAILED && q[0] == 'B', "q[0] %d", q[0]);
	p[0] = 'z';
	pread(fd, &c, 1, 0);
	CHECK("file private: writes stay private", c == 'A', "file has %c", c);
	munmap(p, 3 * PG);
	munmap(q, PG);
	close(fd);
	unlink("/tmp/mmap_priv");
}

static void test_file_shared(void)
{
	int fd = make_file("/tmp/mmap_shared", PG);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char buf[16] = { 0 };
	int st = 0;
	pid_t pid;

	if (p == MAP_FAILED) {
		CHECK("file shared: mmap", 0, "errno %d", errno);
		close(fd);
		return;
	}
	strcpy(p, "hello");
	pread(fd, buf, 5, 0);
	CHECK("file shared: write visible to read()", !strcmp(buf, "hello"), "read '%s'", buf);
	pwrite(fd, "WORLD", 5, 0);
	CHECK("file shared: write() visible in mapping", !memcmp(p, "WORLD", 5), "map '%.5s'", p);
	pid = fork();
	if (pid == 0) {
		int cfd = open("/tmp/mmap_shared", O_RDWR);
		char *c = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);

		memcpy(c + 100, "other", 6);
		msync(c, PG, MS_SYNC);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK("file shared: other process's mapping visible", !strcmp(p + 100, "other"),
	      "sees '%s'", p + 100);
	munmap(p, PG);
	close(fd);
	/* A shared mapping of a read-only descriptor can never become writable. */
	fd = open("/tmp/mmap_shared", O_RDONLY);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("file shared: read-only mapping", p != MAP_FAILED, "errno %d", errno);
	if (p != MAP_FAILED) {
		CHECK_ERR("file shared: mprotect write on read-only fd",
			  mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, PG);
	}
	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		CHECK_OK("file private: mprotect write on read-only fd",
			 mprotect(p, PG, PROT_READ | PROT_WRITE));
		munmap(p, PG);
	}
	close(fd);
	unlink("/tmp/mmap_shared");
}

static void test_mprotect_segv(void)
{
	struct sigaction sa = { 0 };
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	p[PG] = 1;
	mprotect(p + PG, PG, PROT_READ);
	CHECK("mprotect: write to read-only page faults",
	      write_faults(p + PG + 123) && fault_addr == p + PG + 123 && fault_code == SEGV_ACCERR,
	      "addr %p want %p code %d", fault_addr, p + PG + 123, fault_code);
	CHECK("mprotect: neighbours stay writable", !write_faults(p) && !write_faults(p + 2 * PG),
	      "neighbour faulted");
	mprotect(p + PG, PG, PROT_NONE);
	CHECK("mprotect: PROT_NONE read faults", read_faults(p + PG + 8) && fault_addr == p + PG + 8,
	      "addr %p", fault_addr);
	munmap(p + PG, PG);
	CHECK("munmap hole faults with MAPERR",
	      read_faults(p + PG) && fault_addr == p + PG && fault_code == SEGV_MAPERR,
	      "addr %p code %d", fault_addr, fault_code);
	CHECK("munmap hole: sides intact", !write_faults(p) && !write_faults(p + 2 * PG),
	      "side faulted");
	munmap(p, 3 * PG);
	signal(SIGSEGV, SIG_DFL);
}

static void test_fixed(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	p[PG] = 'x';
	q = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("MAP_FIXED replaces", q == p + PG && q[0] == 0, "q %p q[0] %d", q, q[0]);
	errno = 0;
	q = mmap(p + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("MAP_FIXED_NOREPLACE refuses", q == MAP_FAILED && errno == EEXIST, "q %p errno %d", q,
	      errno);
	munmap(p, 4 * PG);
}

static void test_mremap(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q, *guard;
	int ok = 1;

	for (int i = 0; i < 2 * PG; i++)
		p[i] = (char)i;
	/* Block in-place growth so the mapping has to move. */
	guard = mmap(p + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		     -1, 0);
	errno = 0;
	q = mremap(p, 2 * PG, 8 * PG, 0);
	CHECK("mremap without MAYMOVE fails", guard != MAP_FAILED ? q == MAP_FAILED && errno == ENOMEM
							       : 1, "q %p errno %d", q, errno);
	q = mremap(p, 2 * PG, 8 * PG, MREMAP_MAYMOVE);
	for (int i = 0; i < 2 * PG && q != MAP_FAILED; i++)
		ok &= q[i] == (char)i;
	CHECK("mremap MAYMOVE keeps data", q != MAP_FAILED && ok, "q %p", q);
	if (q != MAP_FAILED) {
		q[8 * PG - 1] = 1;
		q = mremap(q, 8 * PG, PG, 0);
		CHECK("mremap shrink in place", q != MAP_FAILED && q[0] == 0, "q %p", q);
		munmap(q, PG);
	}
	if (guard != MAP_FAILED)
		munmap(guard, PG);
}

/* mremap with old_len 0: a second view of a shared mapping; refused for private ones. */
static void test_mremap_dup(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q, *r;

	p[PG] = 'a';
	q = mremap(p, 0, 2 * PG, MREMAP_MAYMOVE);
	CHECK("mremap dup: new address", q != MAP_FAILED && q != p, "q %p p %p", q, p);
	if (q != MAP_FAILED) {
		CHECK("mremap dup: sees old data", q[PG] == 'a', "q[PG] %d", q[PG]);
		q[0] = 'b';
		p[PG] = 'c';
		CHECK("mremap dup: writes shared both ways", p[0] == 'b' && q[PG] == 'c',
		      "p[0] %d q[PG] %d", p[0], q[PG]);
		munmap(q, 2 * PG);
	}
	CHECK("mremap dup: old mapping stays", p[0] == 'b', "p[0] %d", p[0]);
	r = mremap(p + PG, 0, PG, MREMAP_MAYMOVE);
	CHECK("mremap dup: from the middle", r != MAP_FAILED && r[0] == 'c', "r %p", r);
	if (r != MAP_FAILED)
		munmap(r, PG);
	CHECK_ERR("mremap dup: without MAYMOVE", (long)mremap(p, 0, PG, 0), ENOMEM);
	CHECK_ERR("mremap dup: private", (long)mremap(priv, 0, PG, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERR("mremap dup: private without MAYMOVE", (long)mremap(priv, 0, PG, 0), EINVAL);
	munmap(p, 2 * PG);
	munmap(priv, PG);
}

static void test_dontneed(void)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	p[0] = 5;
	madvise(p, PG, MADV_DONTNEED);
	CHECK("MADV_DONTNEED zeroes anonymous memory", p[0] == 0, "p[0] %d", p[0]);
	munmap(p, PG);
}

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = 100 + si->si_code;
	siglongjmp(jb, 1);
}

/* Page cache: private mappings see file writes until they copy; truncation gives SIGBUS. */
static void test_page_cache(void)
{
	int fd = make_file("/tmp/mmap_pc", 3 * PG);
	char *pr = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *sh = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct sigaction sa = { 0 }, old;
	int faulted;

	if (pr == MAP_FAILED || sh == MAP_FAILED) {
		CHECK("page cache: mmap", 0, "errno %d", errno);
		close(fd);
		return;
	}
	(void)*(volatile char *)pr;
	sh[1] = 'x';
	CHECK("page cache: private mapping sees shared write before COW", pr[1] == 'x',
	      "pr[1] %d", pr[1]);
	pr[2] = 'p';
	sh[2] = 's';
	CHECK("page cache: private copy after write", pr[2] == 'p' && sh[2] == 's',
	      "pr %c sh %c", pr[2], sh[2]);
	(void)*(volatile char *)(sh + 2 * PG);
	ftruncate(fd, PG + 10);
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, &old);
	faulted = read_faults(sh + 2 * PG + 5);
	CHECK("truncate: mapped page past EOF gives SIGBUS", faulted && fault_code == 102 &&
	      fault_addr == sh + 2 * PG + 5, "faulted %d code %d", faulted, fault_code);
	faulted = read_faults(pr + 2 * PG);
	CHECK("truncate: private mapping past EOF gives SIGBUS too", faulted, "faulted %d",
	      faulted);
	CHECK("truncate: partial last page readable, tail zero",
	      !read_faults(sh + PG + 20) && sh[PG + 20] == 0 && sh[PG + 9] == 'B',
	      "%d %d", sh[PG + 20], sh[PG + 9]);
	ftruncate(fd, 3 * PG);
	CHECK("truncate: grown again, pages read zero", !read_faults(sh + 2 * PG) &&
	      sh[2 * PG] == 0, "v %d", sh[2 * PG]);
	sigaction(SIGBUS, &old, NULL);
	CHECK("msync on mapping ok", msync(sh, PG, MS_SYNC) == 0, "errno %d", errno);
	munmap(sh + PG, PG);
	CHECK("msync over hole ENOMEM", msync(sh, 3 * PG, MS_ASYNC) == -1 && errno == ENOMEM,
	      "errno %d", errno);
	CHECK("msync bad flags EINVAL", msync(sh, PG, MS_SYNC | MS_ASYNC) == -1 &&
	      errno == EINVAL, "errno %d", errno);
	munmap(sh, 3 * PG);
	munmap(pr, 3 * PG);
	close(fd);
	unlink("/tmp/mmap_pc");
}

/*
 * A terabyte of PROT_NONE address space with a page in use at each end:
 * fork, mprotect, munmap and exit must cost what is populated, not the
 * area's size (a page-by-page walk of 2^28 pages never finishes).
 */
static void test_huge_sparse(void)
{
	size_t len = 1UL << 40;
	char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	pid_t pid;
	int st = -1;

	CHECK("huge-sparse-map", p != MAP_FAILED, "mmap: %s", strerror(errno));
	if (p == MAP_FAILED)
		return;
	CHECK_OK("huge-sparse-mprotect-ends", mprotect(p, PG, PROT_READ | PROT_WRITE) |
		 mprotect(p + len - PG, PG, PROT_READ | PROT_WRITE));
	p[0] = 'a';
	p[len - 1] = 'z';
	CHECK_OK("huge-sparse-mprotect-all", mprotect(p, len, PROT_READ));
	pid = fork();
	if (pid == 0)
		_exit(p[0] == 'a' && p[len - 1] == 'z' ? 0 : 1);
	waitpid(pid, &st, 0);
	CHECK("huge-sparse-fork", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	CHECK_OK("huge-sparse-munmap", munmap(p, len));
}

/* RLIMIT_AS caps mmap, mremap growth and brk with ENOMEM (in a child). */
static void test_rlimit_as(void)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		struct rlimit rl = { 256UL << 20, 256UL << 20 };
		int bad = 0;
		char *p, *q;
		void *brk0 = sbrk(0);

		setrlimit(RLIMIT_AS, &rl);
		p = mmap(NULL, 512UL << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED || errno != ENOMEM)
			bad |= 1;
		p = mmap(NULL, 64UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			bad |= 2;
		q = mremap(p, 64UL << 20, 512UL << 20, MREMAP_MAYMOVE);
		if (q != MAP_FAILED || errno != ENOMEM)
			bad |= 4;
		if (sbrk(300L << 20) != (void *)-1 || sbrk(0) != brk0)
			bad |= 8;
		_exit(bad);
	}
	waitpid(pid, &st, 0);
	CHECK("rlimit-as-enomem", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_private_cow();
	test_shared_anon();
	test_file_private();
	test_file_shared();
	test_mprotect_segv();
	test_fixed();
	test_mremap();
	test_mremap_dup();
	test_dontneed();
	test_page_cache();
	test_huge_sparse();
	test_rlimit_as();
	return TP_SUMMARY();
}
