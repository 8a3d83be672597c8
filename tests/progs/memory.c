/*
 * memory: anonymous memory syscalls - brk (grow, use, shrink), mmap
 * (zero fill, MAP_FIXED replacement, large sparse regions, fork
 * copy-on-write for MAP_PRIVATE and sharing for MAP_SHARED), munmap (whole
 * and holes), mprotect (read-only and PROT_NONE), with faults caught by a
 * SIGSEGV handler that checks si_addr and si_code (SEGV_MAPERR versus
 * SEGV_ACCERR), and the EINVAL/EBADF/ENOMEM error paths.
 */
#include "tprog.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PG 4096UL

static sigjmp_buf fault_jmp;
static volatile void *fault_addr;
static volatile int fault_code;
static char *volatile null_ptr;	/* always NULL; hidden from the optimiser */

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(fault_jmp, 1);
}

/* 1 if writing (or reading when !write) *p faults; records si_addr/code. */
static int faults(volatile char *p, int write)
{
	fault_addr = NULL;
	fault_code = 0;
	if (sigsetjmp(fault_jmp, 1))
		return 1;
	if (write)
		*p = 1;
	else
		(void)*p;
	return 0;
}

static void test_brk(void)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	char *want = cur + 64 * 1024;
	char *got = (char *)syscall(SYS_brk, want);

	CHECK("brk-grow", got == want, "brk did not grow");
	memset(cur, 0x5a, want - cur);
	CHECK("brk-use", cur[0] == 0x5a && want[-1] == 0x5a, "bad data");
	got = (char *)syscall(SYS_brk, cur);
	CHECK("brk-shrink", got == cur, "brk did not shrink");
	got = (char *)syscall(SYS_brk, want);
	CHECK("brk-regrow-zero", got == want && want[-1] == 0,
	      "memory not zeroed after shrink and regrow");
	syscall(SYS_brk, cur);
	/* glibc's sbrk wrapper on top of it */
	CHECK("sbrk", sbrk(0) == cur, "sbrk(0) disagrees");
}

static void test_mmap(void)
{
	char *p, *q;
	int bad = 0;

	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap-anon", p != MAP_FAILED, "errno %d", errno);
	CHECK("mmap-aligned", ((uintptr_t)p & (PG - 1)) == 0, "unaligned");
	for (size_t i = 0; i < 4 * PG; i++)
		bad |= p[i];
	CHECK("mmap-zero-filled", !bad, "not zero");
	memset(p, 0xab, 4 * PG);
	q = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("mmap-fixed", q == p + PG, "got other address");
	CHECK("mmap-fixed-replaces", p[PG] == 0 && p[0] == (char)0xab &&
	      p[2 * PG] == (char)0xab, "contents wrong");

	/* A hole in the middle of a mapping. */
	CHECK_OK("munmap-hole", munmap(p + PG, PG));
	CHECK("hole-faults", faults(p + PG, 0) && fault_addr == p + PG &&
	      fault_code == SEGV_MAPERR, "code %d", fault_code);
	CHECK("hole-neighbours-ok", !faults(p, 1) && !faults(p + 2 * PG, 1),
	      "neighbour faulted");
	CHECK_OK("munmap-all", munmap(p, 4 * PG));
	CHECK("munmap-faults", faults(p + 3 * PG + 17, 1) &&
	      fault_addr == p + 3 * PG + 17, "no fault after munmap");
	CHECK_OK("munmap-unmapped-ok", munmap(p, 4 * PG));

	/* A large sparse region: only touched pages need memory. */
	p = mmap(NULL, 256UL << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK("mmap-large", p != MAP_FAILED, "errno %d", errno);
	if (p != MAP_FAILED) {
		for (size_t off = 0; off < (256UL << 20); off += 16UL << 20)
			p[off] = 1;
		CHECK("mmap-large-touch", p[16UL << 20] == 1, "lost write");
		munmap(p, 256UL << 20);
	}

	CHECK("null-deref-faults", faults(null_ptr, 0) && fault_addr == NULL &&
	      fault_code == SEGV_MAPERR, "code %d", fault_code);

	CHECK_ERR("mmap-len0-einval", (long)mmap(NULL, 0, PROT_READ,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  EINVAL);
	CHECK_ERR("mmap-noflags-einval", (long)mmap(NULL, PG, PROT_READ,
						   MAP_ANONYMOUS, -1, 0),
		  EINVAL);
	CHECK_ERR("mmap-fixed-unaligned-einval",
		  (long)mmap((void *)0x10000123, PG, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  EINVAL);
	CHECK_ERR("mmap-ebadf", (long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE,
					   999, 0), EBADF);
	CHECK_ERR("mmap-huge-enomem", (long)mmap(NULL, 1UL << 62, PROT_READ,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  ENOMEM);
	CHECK_ERR("munmap-unaligned-einval", munmap((void *)0x10000123, PG),
		  EINVAL);
	CHECK_ERR("munmap-len0-einval", munmap((void *)0x10000000, 0), EINVAL);
}

static void test_mprotect(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	p[PG] = 42;
	CHECK_OK("mprotect-ro", mprotect(p + PG, PG, PROT_READ));
	CHECK("mprotect-ro-read", !faults(p + PG, 0) && p[PG] == 42,
	      "read failed");
	CHECK("mprotect-ro-write-faults", faults(p + PG + 100, 1) &&
	      fault_addr == p + PG + 100 && fault_code == SEGV_ACCERR,
	      "code %d", fault_code);
	CHECK("mprotect-split-neighbours", !faults(p, 1) &&
	      !faults(p + 2 * PG, 1), "neighbour faulted");
	CHECK_OK("mprotect-none", mprotect(p, 3 * PG, PROT_NONE));
	CHECK("mprotect-none-read-faults", faults(p + 2 * PG + 8, 0) &&
	      fault_addr == p + 2 * PG + 8 && fault_code == SEGV_ACCERR,
	      "code %d", fault_code);
	CHECK_OK("mprotect-rw", mprotect(p, 3 * PG, PROT_READ | PROT_WRITE));
	CHECK("mprotect-rw-write", !faults(p + PG, 1) && p[PG] == 1,
	      "write failed");
	CHECK_ERR("mprotect-unaligned-einval", mprotect(p + 1, PG, PROT_READ),
		  EINVAL);
	CHECK_ERR("mprotect-badprot-einval", mprotect(p, PG, 0x1000),
		  EINVAL);
	munmap(p, 3 * PG);
	CHECK_ERR("mprotect-unmapped-enomem", mprotect(p, PG, PROT_READ),
		  ENOMEM);
}

static void test_fork_sharing(void)
{
	/* volatile: the other process writes these behind the compiler. */
	volatile char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *shared = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	CHECK("mmap-shared-anon", shared != MAP_FAILED, "errno %d", errno);
	priv[0] = 'p';
	shared[0] = 's';
	pid = fork();
	if (pid == 0) {
		int ok = priv[0] == 'p' && shared[0] == 's';

		priv[0] = 'c';
		shared[0] = 'c';
		_exit(ok ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK("fork-child-sees-data", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "status %#x", st);
	CHECK("fork-private-cow", priv[0] == 'p', "parent saw child write");
	CHECK("fork-shared-visible", shared[0] == 'c', "write not shared");
	munmap((void *)priv, PG);
	munmap((void *)shared, PG);
}

int main(void)
{
	struct sigaction sa;

	tp_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	test_brk();
	test_mmap();
	test_mprotect();
	test_fork_sharing();
	return TP_SUMMARY();
}
