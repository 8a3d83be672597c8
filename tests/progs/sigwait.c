/*
 * sigwait: rt_sigtimedwait through glibc's sigtimedwait, sigwaitinfo and
 * sigwait - a pending blocked signal is taken with its siginfo (SI_USER,
 * SI_TKILL, SIGCHLD's CLD_EXITED even with the default "ignore"
 * disposition), a zero timeout polls (EAGAIN), a timeout expires
 * (EAGAIN), a signal from another process wakes the waiter, a handled
 * signal outside the set interrupts it (EINTR), SIGKILL/SIGSTOP in the set
 * are dropped, and the EINVAL/EFAULT rules.  Times are only checked to be
 * plausible, never printed.
 */
#include "tprog.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

static void *volatile bad_ptr = (void *)1;
static volatile sig_atomic_t alarms;

/* SIGALRM handler: counts. */
static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* Milliseconds elapsed since t0 (CLOCK_MONOTONIC). */
static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Is sig pending for this thread or process? */
static int is_pending(int sig)
{
	sigset_t p;

	sigpending(&p);
	return sigismember(&p, sig);
}

int main(void)
{
	struct timespec zero = { 0, 0 }, t50 = { 0, 50000000 }, t2 = { 2, 0 }, t0;
	struct timespec bad_ts = { 0, 1000000000 };
	struct sigaction sa;
	sigset_t set, usr1, kill_only;
	siginfo_t si;
	pid_t pid;
	int sig, st;

	tp_init();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);

	/* Polling. */
	CHECK_ERR("sigtimedwait-poll-empty", sigtimedwait(&set, &si, &zero), EAGAIN);
	kill(getpid(), SIGUSR2);
	memset(&si, 0, sizeof(si));
	CHECK_EQ("sigtimedwait-poll", sigtimedwait(&set, &si, &zero), SIGUSR2);
	CHECK_EQ("siginfo-signo", si.si_signo, SIGUSR2);
	CHECK_EQ("siginfo-code-user", si.si_code, SI_USER);
	CHECK_EQ("siginfo-pid", si.si_pid, getpid());
	CHECK_EQ("siginfo-uid", si.si_uid, getuid());
	CHECK_EQ("sigtimedwait-consumed", is_pending(SIGUSR2), 0);

	/* Lowest number first; only signals of the set. */
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	CHECK_EQ("sigtimedwait-lowest", sigtimedwait(&set, NULL, &zero), SIGUSR1);
	CHECK_ERR("sigtimedwait-other-set", sigtimedwait(&usr1, NULL, &zero), EAGAIN);
	CHECK_EQ("sigtimedwait-still-pending", is_pending(SIGUSR2), 1);
	CHECK_EQ("sigwait", sigwait(&set, &sig), 0);
	CHECK_EQ("sigwait-sig", sig, SIGUSR2);

	/* Thread-directed. */
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	/* The raw call: glibc's wrapper reports SI_TKILL as SI_USER. */
	CHECK_EQ("sigtimedwait-tkill", syscall(SYS_rt_sigtimedwait, &set, &si, NULL, 8), SIGUSR1);
	CHECK_EQ("siginfo-code-tkill", si.si_code, SI_TKILL);
	kill(getpid(), SIGUSR1);
	CHECK_EQ("sigwaitinfo", sigwaitinfo(&set, &si), SIGUSR1);

	/* Timeout. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_ERR("sigtimedwait-timeout", sigtimedwait(&set, &si, &t50), EAGAIN);
	CHECK("sigtimedwait-timeout-waited", ms_since(&t0) >= 40, "returned after %ld ms",
	      ms_since(&t0));

	/* Woken by another process. */
	pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 30000000 };

		nanosleep(&d, NULL);
		kill(getppid(), SIGUSR1);
		_exit(7);
	}
	memset(&si, 0, sizeof(si));
	CHECK_EQ("sigtimedwait-woken", sigtimedwait(&usr1, &si, &t2), SIGUSR1);
	CHECK_EQ("siginfo-sender", si.si_pid, pid);

	/* SIGCHLD is ignored by default but blocked, so it is queued and can be waited for. */
	memset(&si, 0, sizeof(si));
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGCHLD);
	CHECK_EQ("sigtimedwait-sigchld", sigtimedwait(&usr1, &si, &t2), SIGCHLD);
	CHECK_EQ("siginfo-chld-code", si.si_code, CLD_EXITED);
	CHECK_EQ("siginfo-chld-pid", si.si_pid, pid);
	CHECK_EQ("siginfo-chld-status", si.si_status, 7);
	CHECK_EQ("sigchld-reap", waitpid(pid, &st, 0), pid);

	/* A handled signal outside the set interrupts the wait. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;	/* sigtimedwait is never restarted */
	sigaction(SIGALRM, &sa, NULL);
	{
		struct itimerval it = { { 0, 0 }, { 0, 30000 } };

		setitimer(ITIMER_REAL, &it, NULL);
	}
	CHECK_ERR("sigtimedwait-eintr", sigtimedwait(&set, &si, &t2), EINTR);
	CHECK_EQ("sigtimedwait-eintr-handler", alarms, 1);

	/* SIGKILL and SIGSTOP cannot be waited for: an empty set. */
	sigemptyset(&kill_only);
	sigaddset(&kill_only, SIGKILL);
	sigaddset(&kill_only, SIGSTOP);
	CHECK_ERR("sigtimedwait-kill-only", sigtimedwait(&kill_only, NULL, &zero), EAGAIN);

	/* Errors. */
	CHECK_ERR("sigtimedwait-bad-ts", sigtimedwait(&set, &si, &bad_ts), EINVAL);
	bad_ts.tv_nsec = -1;
	CHECK_ERR("sigtimedwait-neg-ts", sigtimedwait(&set, &si, &bad_ts), EINVAL);
	CHECK_ERR("sigtimedwait-setsize",
		  syscall(SYS_rt_sigtimedwait, &set, &si, &zero, 4), EINVAL);
	CHECK_ERR("sigtimedwait-efault-set",
		  syscall(SYS_rt_sigtimedwait, bad_ptr, &si, &zero, 8), EFAULT);
	CHECK_ERR("sigtimedwait-efault-ts",
		  syscall(SYS_rt_sigtimedwait, &set, &si, bad_ptr, 8), EFAULT);
	kill(getpid(), SIGUSR2);
	CHECK_ERR("sigtimedwait-efault-info",
		  syscall(SYS_rt_sigtimedwait, &set, bad_ptr, &zero, 8), EFAULT);
	CHECK_EQ("sigtimedwait-efault-consumed", is_pending(SIGUSR2), 0);
	return TP_SUMMARY();
}
