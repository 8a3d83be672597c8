/*
 * signals: rt_sigaction (SA_SIGINFO, SA_RESETHAND, SA_RESTART, SA_ONSTACK,
 * sa_mask), rt_sigprocmask/sigpending/sigsuspend, kill/raise/tgkill with
 * the right si_code, SIGCHLD with CLD_* codes, sigaltstack, EINTR versus
 * restart, the default action of each signal observed as the exit
 * status of a child (terminate, ignore, stop/continue), job control seen
 * by the parent (stop/continue loop, SA_NOCLDSTOP), and signals that
 * cannot be delivered (no room for the frame, a fault loop and SIGKILL).
 * Only check names are printed, never PIDs or addresses.
 */
#include "tprog.h"

#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile sig_atomic_t hits, last_code, last_signo, chld_code,
	chld_status, mask_ok, on_altstack;
static volatile pid_t last_pid;
static char *alt_base;
static size_t alt_size;

/* raise() without the libc wrapper (same tgkill, so si_code SI_TKILL). */
static void self_signal(int sig)
{
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_signo = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
}

static void on_plain(int sig)
{
	(void)sig;
	hits++;
}

static void on_masked(int sig)
{
	sigset_t cur;

	(void)sig;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	mask_ok = sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGUSR2) &&
		  !sigismember(&cur, SIGTERM);
	hits++;
}

static void on_alt(int sig)
{
	char here;
	stack_t cur;

	(void)sig;
	sigaltstack(NULL, &cur);
	on_altstack = (uintptr_t)&here >= (uintptr_t)alt_base &&
		      (uintptr_t)&here < (uintptr_t)alt_base + alt_size &&
		      (cur.ss_flags & SS_ONSTACK);
	hits++;
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_code = si->si_code;
	chld_status = si->si_status;
	hits++;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void set_info_handler(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static void test_delivery(void)
{
	struct sigaction sa, old;
	sigset_t set, pend;

	set_info_handler(SIGUSR1, on_info);
	hits = 0;
	CHECK_OK("raise", raise(SIGUSR1));
	CHECK("raise-info", hits == 1 && last_signo == SIGUSR1 &&
	      last_code == SI_TKILL && last_pid == getpid(),
	      "hits %d signo %d code %d", hits, last_signo, last_code);
	CHECK_OK("kill-self", kill(getpid(), SIGUSR1));
	CHECK("kill-info", hits == 2 && last_code == SI_USER &&
	      last_pid == getpid(), "hits %d code %d", hits, last_code);
	CHECK_OK("tgkill", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid),
				   SIGUSR1));
	CHECK("tgkill-info", hits == 3 && last_code == SI_TKILL,
	      "hits %d code %d", hits, last_code);

	CHECK_OK("sigaction-query", sigaction(SIGUSR1, NULL, &old));
	CHECK("sigaction-query-value", old.sa_sigaction == on_info &&
	      (old.sa_flags & SA_SIGINFO), "flags %#x", old.sa_flags);

	/* Blocked signals stay pending; standard signals do not queue. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK("sigprocmask-block", sigprocmask(SIG_BLOCK, &set, NULL));
	hits = 0;
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK_EQ("blocked-not-delivered", hits, 0);
	sigpending(&pend);
	CHECK("sigpending", sigismember(&pend, SIGUSR1), "not pending");
	CHECK_OK("sigprocmask-unblock", sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK_EQ("unblocked-delivered-once", hits, 1);

	set_handler(SIGUSR2, SIG_IGN, 0);
	hits = 0;
	self_signal(SIGUSR2);
	CHECK_EQ("sig-ign", hits, 0);

	/* sa_mask and the automatic mask of the handled signal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_masked;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	mask_ok = 0;
	self_signal(SIGUSR1);
	CHECK("handler-mask", mask_ok, "mask wrong inside handler");
	sigprocmask(SIG_SETMASK, NULL, &set);
	CHECK("mask-restored", !sigismember(&set, SIGUSR1) &&
	      !sigismember(&set, SIGUSR2), "mask not restored");

	set_handler(SIGUSR1, on_plain, SA_RESETHAND);
	hits = 0;
	self_signal(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	CHECK("sa-resethand", hits == 1 && old.sa_handler == SIG_DFL,
	      "hits %d", hits);

	/* sigsuspend waits with a temporary mask. */
	set_handler(SIGUSR1, on_plain, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	self_signal(SIGUSR1);
	hits = 0;
	sigemptyset(&set);
	CHECK_ERR("sigsuspend", sigsuspend(&set), EINTR);
	CHECK_EQ("sigsuspend-delivered", hits, 1);
	sigprocmask(SIG_SETMASK, &set, NULL);

	CHECK_ERR("sigaction-sigkill", sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR("sigaction-sigstop", sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK_ERR("sigaction-range", sigaction(100, &sa, NULL), EINVAL);
	CHECK_ERR("sigprocmask-how", sigprocmask(99, &set, NULL), EINVAL);
	CHECK_ERR("kill-einval", kill(getpid(), 999), EINVAL);
	CHECK_OK("kill-sig0", kill(getpid(), 0));
	CHECK_ERR("sigaction-efault", syscall(SYS_rt_sigaction, SIGUSR1,
					      (void *)1, NULL, 8), EFAULT);
}

static void test_altstack(void)
{
	stack_t ss, old;

	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	ss.ss_flags = 0;
	CHECK_OK("sigaltstack", sigaltstack(&ss, &old));
	CHECK("sigaltstack-old-disabled", old.ss_flags & SS_DISABLE,
	      "flags %d", old.ss_flags);
	set_handler(SIGUSR1, on_alt, SA_ONSTACK);
	on_altstack = 0;
	self_signal(SIGUSR1);
	CHECK("sigaltstack-used", on_altstack, "handler not on alt stack");
	sigaltstack(NULL, &old);
	CHECK("sigaltstack-query", old.ss_sp == alt_base &&
	      old.ss_size == alt_size && !(old.ss_flags & SS_ONSTACK),
	      "flags %d", old.ss_flags);
	ss.ss_size = 512;
	CHECK_ERR("sigaltstack-enomem", sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_flags = 0x40;
	ss.ss_size = alt_size;
	CHECK_ERR("sigaltstack-einval", sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	set_handler(SIGUSR1, SIG_DFL, 0);
}

static void test_sigchld(void)
{
	sigset_t set, empty;
	pid_t pid;

	set_info_handler(SIGCHLD, on_chld);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	hits = 0;
	pid = fork();
	if (pid == 0)
		_exit(6);
	sigemptyset(&empty);
	while (!hits)
		sigsuspend(&empty);
	CHECK("sigchld-exited", chld_code == CLD_EXITED && chld_status == 6,
	      "code %d status %d", chld_code, chld_status);
	waitpid(pid, NULL, 0);
	hits = 0;
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGKILL);
	while (!hits)
		sigsuspend(&empty);
	CHECK("sigchld-killed", chld_code == CLD_KILLED &&
	      chld_status == SIGKILL, "code %d status %d", chld_code,
	      chld_status);
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	set_handler(SIGCHLD, SIG_DFL, 0);
}

/* Child that raises sig with the default action; returns wait status. */
static int default_action(int sig)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		signal(sig, SIG_DFL);
		self_signal(sig);
		_exit(77);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void test_defaults(void)
{
	static const int term[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2,
				    SIGALRM, SIGPIPE, SIGQUIT, SIGABRT,
				    SIGSEGV, SIGKILL };
	static const int ign[] = { SIGCHLD, SIGURG, SIGWINCH };
	char name[64];
	pid_t pid;
	int st, p[2];

	for (size_t i = 0; i < sizeof(term) / sizeof(term[0]); i++) {
		st = default_action(term[i]);
		snprintf(name, sizeof(name), "default-terminate-%s",
			 sigabbrev_np(term[i]));
		CHECK(name, WIFSIGNALED(st) && WTERMSIG(st) == term[i],
		      "status %#x", st);
	}
	for (size_t i = 0; i < sizeof(ign) / sizeof(ign[0]); i++) {
		st = default_action(ign[i]);
		snprintf(name, sizeof(name), "default-ignore-%s",
			 sigabbrev_np(ign[i]));
		CHECK(name, WIFEXITED(st) && WEXITSTATUS(st) == 77,
		      "status %#x", st);
	}
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	CHECK_EQ("stop-waitpid", waitpid(pid, &st, WUNTRACED), pid);
	CHECK("default-stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "status %#x", st);
	kill(pid, SIGCONT);
	CHECK_EQ("cont-waitpid", waitpid(pid, &st, WCONTINUED), pid);
	CHECK("default-continue", WIFCONTINUED(st), "status %#x", st);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);

	/* Writing to a pipe without readers kills with SIGPIPE by default. */
	pipe(p);
	close(p[0]);	/* before the fork: no reader anywhere when the child writes */
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(77);
	}
	close(p[1]);
	waitpid(pid, &st, 0);
	CHECK("default-sigpipe-write", WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGPIPE, "status %#x", st);
}

static void test_eintr(void)
{
	pid_t pid;
	int st, p[2];

	pipe(p);
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		set_handler(SIGALRM, on_plain, 0);
		alarm(1);
		_exit(read(p[0], &c, 1) == -1 && errno == EINTR ? 0 : 1);
	}
	close(p[0]);
	CHECK("read-eintr", waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "status %#x", st);
	close(p[1]);

	pipe(p);
	pid = fork();
	if (pid == 0) {
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		char c = 0;

		close(p[1]);
		set_handler(SIGALRM, on_plain, SA_RESTART);
		hits = 0;
		setitimer(ITIMER_REAL, &it, NULL);
		_exit(read(p[0], &c, 1) == 1 && c == 'r' && hits == 1 ? 0 : 1);
	}
	close(p[0]);
	usleep(500000);
	write(p[1], "r", 1);
	CHECK("read-sa-restart", waitpid(pid, &st, 0) == pid &&
	      WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	close(p[1]);
}

/* With RLIMIT_CORE 0, a core-action signal kills without "core dumped". */
static void test_no_core(void)
{
	siginfo_t si;
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
		signal(SIGQUIT, SIG_DFL);	/* a shell may start us with it ignored */
		self_signal(SIGQUIT);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK("sigquit-no-core-bit", WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && !WCOREDUMP(st),
	      "status %#x", st);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_CORE, &rl);
		signal(SIGABRT, SIG_DFL);
		self_signal(SIGABRT);
		_exit(0);
	}
	memset(&si, 0, sizeof(si));
	waitid(P_PID, (id_t)pid, &si, WEXITED);
	CHECK("sigabrt-cld-killed", si.si_code == CLD_KILLED && si.si_status == SIGABRT,
	      "si_code %d si_status %d", si.si_code, si.si_status);
}

/* Child status after running fn in a child with a SIGSEGV handler installed. */
static int segv_child(void (*fn)(void), int kill_after_ms)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		set_handler(SIGSEGV, on_plain, SA_NODEFER);
		fn();
		_exit(0);
	}
	if (kill_after_ms) {
		usleep(kill_after_ms * 1000);
		kill(pid, SIGKILL);
	}
	waitpid(pid, &st, 0);
	return st;
}

/* Fault with the stack pointer at an unmapped address: no room for a frame. */
static void fault_without_stack(void)
{
	__asm__ volatile("xor %%esp, %%esp\n\tmovq (%%rsp), %%rax" ::: "rax", "memory");
}

/* rt_sigreturn with the stack pointer at an unmapped address. */
static void sigreturn_without_stack(void)
{
	__asm__ volatile("mov $16, %%esp\n\tmov %0, %%eax\n\tsyscall"
			 :: "i"(SYS_rt_sigreturn) : "rax", "rcx", "r11", "memory");
}

/* The handler returns to the faulting load, which faults again, forever. */
static void fault_forever(void)
{
	static volatile uintptr_t bad = 16;

	*(volatile int *)bad = 1;
}

/*
 * Signals that cannot be delivered: a handler whose frame does not fit
 * kills the process with SIGSEGV, and SIGKILL ends a process that faults
 * in a loop (a fault signal is always pending when SIGKILL arrives).
 */
static void test_undeliverable(void)
{
	int st = segv_child(fault_without_stack, 0);

	CHECK("segv-no-stack-kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	      "status %#x", st);
	st = segv_child(sigreturn_without_stack, 0);
	CHECK("sigreturn-bad-frame-kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	      "status %#x", st);
	st = segv_child(fault_forever, 200);
	CHECK("sigkill-ends-fault-loop", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "status %#x", st);
}

/*
 * Job control seen by the parent: a child stopped and continued many
 * times in a row (each stop and each continue must reach waitpid; a
 * SIGCONT racing with the child's stop once left it stopped for good),
 * and SA_NOCLDSTOP, which drops the SIGCHLD of stops and continues but
 * not their wait reports, nor the SIGCHLD of the exit.
 */
static void test_job_control(void)
{
	int st, i, stops = 0, conts = 0;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	for (i = 0; i < 200; i++) {
		kill(pid, SIGSTOP);
		if (waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st))
			stops++;
		kill(pid, SIGCONT);
		if (waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st))
			conts++;
	}
	CHECK("stop-cont-loop", stops == 200 && conts == 200, "stops %d continues %d",
	      stops, conts);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);

	set_handler(SIGCHLD, on_plain, SA_NOCLDSTOP | SA_RESTART);
	hits = 0;
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	CHECK_EQ("nocldstop-stop-waitpid", waitpid(pid, &st, WUNTRACED), pid);
	kill(pid, SIGCONT);
	CHECK_EQ("nocldstop-cont-waitpid", waitpid(pid, &st, WCONTINUED), pid);
	CHECK("nocldstop-no-sigchld", hits == 0, "%d SIGCHLD", (int)hits);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK("nocldstop-exit-sigchld", hits == 1, "%d SIGCHLD", (int)hits);
	set_handler(SIGCHLD, SIG_DFL, 0);
}

int main(void)
{
	tp_init();
	test_delivery();
	test_altstack();
	test_sigchld();
	test_defaults();
	test_job_control();
	test_eintr();
	test_undeliverable();
	test_no_core();
	return TP_SUMMARY();
}
