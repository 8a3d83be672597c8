/*
 * killable: SIGKILL must end a process whatever state its user side is in.
 *
 * Model: for each hostile state a child puts itself in, the parent waits
 * 300 ms, sends SIGKILL and expects waitpid to report death by a signal
 * within 5 s (SIGKILL, or the fatal signal the state itself earned, e.g.
 * SIGSEGV for a rejected sigreturn frame).  States (the ones the syscall fuzzer produced):
 *   spin          a tight user-mode loop, no syscalls
 *   segv-loop     a SIGSEGV handler that returns, so the fault repeats
 *   trap-flag     TF set in rflags with a SIGTRAP handler: a trap after
 *                 every instruction (handlers included, SA_NODEFER)
 *   sigreturn     rt_sigreturn on a stack of garbage words
 *   sigreturn-to-spin / -junk-fpstate   a well-formed frame resuming in a
 *                 spin loop, without and with a garbage fpstate pointer
 *   blocked-all   every signal blocked, then a spin
 *   fault-with-segv-blocked / -ignored   a fault while SIGSEGV is blocked
 *                 or ignored (the kernel must kill, not loop)
 * Prints "ok NAME" / "FAIL NAME: ..." and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void returning_handler(int sig)
{
	(void)sig;
}

static void spin(void)
{
	for (;;)
		__asm__ volatile("" ::: "memory");
}

static void state_spin(void)
{
	spin();
}

static void state_segv_loop(void)
{
	struct sigaction sa = { .sa_handler = returning_handler,
				.sa_flags = SA_NODEFER };

	volatile unsigned long bad = 8;

	sigaction(SIGSEGV, &sa, NULL);
	*(volatile int *)bad = 1;
}

static void state_trap_flag(void)
{
	struct sigaction sa = { .sa_handler = returning_handler,
				.sa_flags = SA_NODEFER };

	sigaction(SIGTRAP, &sa, NULL);
	__asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory", "cc");
	spin();
}

static void state_sigreturn(void)
{
	unsigned long junk[64];

	for (int i = 0; i < 64; i++)
		junk[i] = 0x0123456789abcdefUL * (unsigned long)(i + 1);
	__asm__ volatile("mov %0, %%rsp; mov $15, %%eax; syscall"
			 :: "r"(junk) : "memory", "rax", "rcx", "r11");
	spin();
}

static void state_blocked_all(void)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	spin();
}

static void state_blocked_fault(void)
{
	volatile unsigned long bad = 8;
	sigset_t segv;

	sigemptyset(&segv);
	sigaddset(&segv, SIGSEGV);
	sigprocmask(SIG_BLOCK, &segv, NULL);
	*(volatile int *)bad = 1;
	spin();
}

static void state_ignored_fault(void)
{
	volatile unsigned long bad = 8;

	signal(SIGSEGV, SIG_IGN);
	*(volatile int *)bad = 1;
	spin();
}

static unsigned char alt_stack[16384] __attribute__((aligned(64)));
static unsigned char fp_junk[4096] __attribute__((aligned(64)));

/* rt_sigreturn on a hand-made frame resuming in spin(); fpstate as given. */
static void sigreturn_to_spin(void *fpstate)
{
	static ucontext_t uc;

	memset(&uc, 0, sizeof(uc));
	uc.uc_mcontext.gregs[REG_RIP] = (greg_t)(unsigned long)spin;
	uc.uc_mcontext.gregs[REG_RSP] =
		(greg_t)(unsigned long)(alt_stack + sizeof(alt_stack) - 64);
	uc.uc_mcontext.gregs[REG_EFL] = 0x202;
	uc.uc_mcontext.fpregs = fpstate;
	/* The kernel reads the frame at rsp - 8 (the popped pretcode). */
	__asm__ volatile("mov %0, %%rsp; mov $15, %%eax; syscall"
			 :: "r"(&uc) : "memory", "rax", "rcx", "r11");
	spin();
}

static void state_sigreturn_frame(void)
{
	sigreturn_to_spin(NULL);
}

static void state_sigreturn_junk_fpstate(void)
{
	for (size_t i = 0; i < sizeof(fp_junk); i++)
		fp_junk[i] = (unsigned char)(i * 151 + 7);
	sigreturn_to_spin(fp_junk);
}

static const struct {
	const char *name;
	void (*enter)(void);
} states[] = {
	{ "spin", state_spin },
	{ "segv-loop", state_segv_loop },
	{ "trap-flag", state_trap_flag },
	{ "sigreturn", state_sigreturn },
	{ "sigreturn-to-spin", state_sigreturn_frame },
	{ "sigreturn-junk-fpstate", state_sigreturn_junk_fpstate },
	{ "blocked-all", state_blocked_all },
	{ "fault-with-segv-blocked", state_blocked_fault },
	{ "fault-with-segv-ignored", state_ignored_fault },
};

int main(void)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		int status = 0, waited = 0;
		pid_t pid = fork(), got = 0;

		if (pid < 0) {
			printf("FAIL %s: fork: %s\n", states[i].name, strerror(errno));
			failed++;
			continue;
		}
		if (pid == 0) {
			states[i].enter();
			_exit(0);
		}
		sleep_ms(300);
		kill(pid, SIGKILL);
		while ((got = waitpid(pid, &status, WNOHANG)) == 0 && waited < 5000) {
			sleep_ms(20);
			waited += 20;
		}
		if (got == pid && WIFSIGNALED(status)) {
			printf("ok %s\n", states[i].name);
			passed++;
		} else if (got == pid) {
			printf("FAIL %s: exited (status 0x%x) instead of dying\n",
			       states[i].name, status);
			failed++;
		} else {
			printf("FAIL %s: still alive 5 s after SIGKILL\n",
			       states[i].name);
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
