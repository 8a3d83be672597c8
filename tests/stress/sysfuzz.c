/*
 * sysfuzz: random system calls from several processes; passes if the
 * kernel (and this parent) is still alive afterwards.
 *
 * Model: the parent forks NPROCS children.  Each child moves to a scratch
 * directory, points fds 0-2 at /dev/null (so random writes never reach
 * the console the host runner parses), caps its own resources
 * (RLIMIT_AS 1 GiB, RLIMIT_FSIZE 16 MiB, RLIMIT_CORE 0, RLIMIT_NOFILE 256)
 * and then issues raw `syscall` instructions with random numbers
 * (0..460 and the Akaros range 1000..1010) and random arguments biased to
 * interesting values: 0, -1, small integers, pointers into its own
 * read-write, read-only and PROT_NONE pages, its stack and code, kernel
 * addresses (0xffff800000000000, 0xffffffff80000000), non-canonical
 * addresses and huge lengths.  Before each call the child bumps its
 * counter in a MAP_SHARED page the parent reads (guard pages around it and
 * around the child's buffer keep huge-length calls like getrandom from
 * running into it; a counter that still goes backwards or jumps is
 * treated as corrupted: the child is replaced and the jump not counted).
 * Faults (SIGSEGV, SIGBUS,
 * ...) are caught and the loop continues; a child that dies anyway (it
 * unmapped its own code, broke its TLS, ...) or stops making progress for
 * a second (a blocking call, SIGSTOP) is killed and replaced with a
 * fresh child and seed, until the children together made TOTAL calls.
 * A child still alive 10 s after SIGKILL is a kernel bug: it is reported
 * (FAIL), abandoned and replaced; after 8 of them the run stops.
 * The parent prints a summary and "ok", or "FAIL ..." lines.
 *
 * Denylist (the harness and the machine must survive, on the host too):
 *   exit, exit_group      end the child early: wasted restarts, nothing tested
 *   fork, vfork, clone, clone3   multiply fuzzers (a fork bomb is its own
 *                         test) or run a second thread on our stack
 *   execve, execveat      could replace the fuzzer with another program
 *   reboot, kexec_*, init/finit/delete_module, swapon/off, mount,
 *   umount2, pivot_root, acct, quotactl, syslog  whole-machine state
 *   settimeofday, clock_settime, adjtimex, clock_adjtime   the wall clock
 *                         the host runner and other tests read
 *   iopl, ioperm          raw I/O ports (isa-debug-exit ends QEMU)
 *   ptrace, process_vm_writev, process_madvise, pidfd_getfd,
 *   pidfd_send_signal, rt_sigqueueinfo, rt_tgsigqueueinfo, migrate_pages,
 *   move_pages, prlimit64   act on another process (random small pids
 *                         hit the parent, init or the shell)
 *   sched_setscheduler, sched_setparam, sched_setattr   a real-time
 *                         spinning child could starve everything
 * Rewritten instead of denied: kill, tkill, tgkill (always aimed at the
 * child itself, never SIGKILL or SIGSTOP), setpriority, sched_setaffinity, ioprio_set (who/pid 0:
 * the child itself).
 *
 * Usage: sysfuzz [-n TOTAL] [-p NPROCS] [-s SEED] [-c NR] [-v]  (defaults
 * 100000, 4, 1; -c fuzzes only syscall NR, to chase one call's bug; -v
 * prints progress and each child's last syscall number every second)
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
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS	16
#define NR_LINUX_MAX	460
#define NR_AKAROS_LO	1000
#define NR_AKAROS_HI	1010
#define STALL_SEC	1.0
#define BUF_SIZE	(64 * 1024)

/* One per child slot; written by the child, read by the parent. */
struct slot {
	volatile unsigned long calls;	/* calls attempted by this slot */
	volatile long last_nr;		/* number of the last call */
};

static struct slot *slots;
static sigjmp_buf fault_env;
static volatile sig_atomic_t faults;
static uint64_t rng_state;
static unsigned char *rw_buf, *ro_page, *none_page;
static long only_nr = -1;	/* -c: the one number to fuzz, or -1 */

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static int denied(long nr)
{
	switch (nr) {
	case SYS_exit: case SYS_exit_group:
	case SYS_fork: case SYS_vfork: case SYS_clone: case 435 /* clone3 */:
	case SYS_execve: case SYS_execveat:
	case SYS_reboot: case SYS_kexec_load: case SYS_kexec_file_load:
	case SYS_init_module: case SYS_finit_module: case SYS_delete_module:
	case SYS_swapon: case SYS_swapoff: case SYS_mount: case SYS_umount2:
	case SYS_pivot_root: case SYS_acct: case SYS_quotactl: case SYS_syslog:
	case SYS_settimeofday: case SYS_clock_settime: case SYS_adjtimex:
	case SYS_clock_adjtime:
	case SYS_iopl: case SYS_ioperm:
	case SYS_ptrace: case SYS_process_vm_writev: case 440 /* process_madvise */:
	case 438 /* pidfd_getfd */: case 424 /* pidfd_send_signal */:
	case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo:
	case SYS_migrate_pages: case SYS_move_pages: case SYS_prlimit64:
	case SYS_sched_setscheduler: case SYS_sched_setparam:
	case SYS_sched_setattr:
		return 1;
	default:
		return 0;
	}
}

/* A random argument biased to values that find bugs. */
static long rnd_arg(void)
{
	static const unsigned long fixed[] = {
		0, 1, 2, 3, (unsigned long)-1, (unsigned long)-2, 4096, 4095,
		0x7fffffff, 0x80000000UL, 0xffffffffUL, 0x7fffffffffffffffUL,
		0x8000000000000000UL, 0xffff800000000000UL,
		0xffffffff80000000UL, 0xffff8000000b8000UL, 0x0000800000000000UL,
		0x00007ffffffff000UL, 0x1000, 0x400000,
	};
	uint64_t r = rnd();
	long local;

	switch (r % 12) {
	case 0: case 1:
		return (long)fixed[(r >> 8) % (sizeof(fixed) / sizeof(fixed[0]))];
	case 2: case 3:
		return (long)((r >> 8) % 64);
	case 4: case 5:
		return (long)(rw_buf + (r >> 8) % BUF_SIZE);
	case 6:
		return (long)(rw_buf + BUF_SIZE - (r >> 8) % 16);
	case 7:
		return (long)(ro_page + (r >> 8) % 4096);
	case 8:
		return (long)(none_page + (r >> 8) % 4096);
	case 9:
		return (r & 0x100) ? (long)&local : (long)(uintptr_t)&rnd;
	case 10:
		return (long)(r >> ((r >> 8) % 64));
	default:
		return (long)r;
	}
}

static long raw_syscall6(long nr, long a, long b, long c, long d, long e,
			 long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void on_fault(int sig)
{
	(void)sig;
	faults++;
	siglongjmp(fault_env, 1);
}

/* RW anonymous memory between two PROT_NONE pages; NULL on failure. */
static void *guarded_map(size_t size, int share)
{
	unsigned char *p = mmap(NULL, size + 2 * 4096, PROT_NONE,
				share | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + 4096, size, PROT_READ | PROT_WRITE) < 0)
		return NULL;
	return p + 4096;
}

/* Child setup: own dir, quiet fds, limits, handlers; exits on failure. */
static void child_setup(int idx, const char *dir)
{
	static const int caught[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS,
				      SIGTRAP };
	static const int ignored[] = { SIGPIPE, SIGXFSZ, SIGVTALRM,
				       SIGPROF, SIGTTIN, SIGTTOU, SIGUSR1,
				       SIGUSR2, SIGHUP, SIGINT, SIGQUIT,
				       SIGTERM, SIGIO, SIGXCPU };
	struct rlimit as = { 1UL << 30, 1UL << 30 };
	struct rlimit fsz = { 16UL << 20, 16UL << 20 };
	struct rlimit core = { 0, 0 };
	struct rlimit nofile = { 256, 256 };
	struct itimerval tick = { { 0, 50000 }, { 0, 50000 } };
	struct sigaction sa;
	int fd = open("/dev/null", O_RDWR);

	/* Best effort: a young kernel may lack chdir or /dev/null. */
	if (dir[0] && chdir(dir) < 0)
		(void)0;
	for (int i = 0; i < 3; i++) {
		if (fd >= 0)
			dup2(fd, i);
		else
			close(i);
	}
	for (int i = 3; i < 1024; i++)
		close(i);
	setrlimit(RLIMIT_AS, &as);
	setrlimit(RLIMIT_FSIZE, &fsz);
	setrlimit(RLIMIT_CORE, &core);
	setrlimit(RLIMIT_NOFILE, &nofile);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, NULL);
	/* A 50 ms interval timer breaks most blocking calls with EINTR. */
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &tick, NULL);
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		sigaction(ignored[i], &sa, NULL);
	rw_buf = guarded_map(BUF_SIZE, MAP_PRIVATE);
	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none_page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!rw_buf || ro_page == MAP_FAILED || none_page == MAP_FAILED)
		_exit(3);
	for (size_t i = 0; i < BUF_SIZE; i += 8)
		*(uint64_t *)(rw_buf + i) = rnd();
	(void)idx;
}

/* Signals a child may send itself: not SIGKILL/SIGSTOP (pure restarts). */
static long tame_signal(long sig)
{
	return (sig == SIGKILL || sig == SIGSTOP) ? SIGUSR1 : sig;
}

/* The fuzz loop of one child; never returns. */
static void child_run(int idx, uint64_t seed, const char *dir)
{
	struct slot *me = &slots[idx];

	rng_state = seed | 1;
	child_setup(idx, dir);
	sigsetjmp(fault_env, 1);
	for (;;) {
		long nr, a[6];
		uint64_t r = rnd();

		if (r % 64 == 0)
			nr = NR_AKAROS_LO + (long)((r >> 8) % (NR_AKAROS_HI - NR_AKAROS_LO + 1));
		else
			nr = (long)((r >> 8) % (NR_LINUX_MAX + 1));
		if (only_nr >= 0)
			nr = only_nr;
		if (denied(nr))
			continue;
		for (int i = 0; i < 6; i++)
			a[i] = rnd_arg();
		switch (nr) {
		case SYS_kill:
			a[0] = getpid();
			a[1] = tame_signal(a[1]);
			break;
		case SYS_tkill:
			a[0] = (long)syscall(SYS_gettid);
			a[1] = tame_signal(a[1]);
			break;
		case SYS_tgkill:
			a[0] = getpid();
			a[1] = (long)syscall(SYS_gettid);
			a[2] = tame_signal(a[2]);
			break;
		case SYS_setpriority: case SYS_ioprio_set:
		case SYS_sched_setaffinity:
			a[nr == SYS_sched_setaffinity ? 0 : 1] = 0;
			break;
		default:
			break;
		}
		me->last_nr = nr;
		me->calls++;
		raw_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}

/* Print what /proc says about a child that ignores SIGKILL (diagnosis). */
static void show_proc(pid_t pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f) {
		printf("sysfuzz:   %s: %s\n", path, strerror(errno));
		return;
	}
	if (fgets(line, sizeof(line), f))
		printf("sysfuzz:   %s: %s", path, line);
	fclose(f);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct child {
	pid_t pid;
	unsigned long seen;	/* slot->calls at the last progress */
	double progress_at;
	unsigned long counted;	/* plausible calls of every child in this slot */
	double killed_at;	/* when the watchdog sent SIGKILL, 0 if not */
};

#define UNKILLABLE_SEC	10.0	/* SIGKILL not acted on: a kernel bug */
#define MAX_UNKILLABLE	8

#define MAX_STEP	1000000UL	/* more calls than this per poll: corrupted */

/* Start a child in slot i; returns 0, or -1 if fork failed. */
static int start_child(struct child *c, int i, uint64_t seed, const char *dir)
{
	pid_t pid;

	slots[i].calls = 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_run(i, seed, dir);
	c->pid = pid;
	c->killed_at = 0;
	c->seen = 0;
	c->progress_at = now();
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long total = 100000, done = 0, started = 0, watchdog = 0;
	unsigned long sig_deaths = 0, exits = 0, fork_fail = 0, corrupt = 0;
	unsigned long unkillable = 0;
	unsigned long by_sig[64] = { 0 };
	double last_report = 0;
	int verbose = 0;
	int nprocs = 4, opt, failed = 0;
	uint64_t seed = 1;
	struct child kids[MAX_PROCS];
	char dir[] = "/tmp/sysfuzz.XXXXXX";
	char cmd[64];
	double t0 = now();

	while ((opt = getopt(argc, argv, "n:p:s:c:v")) != -1) {
		if (opt == 'v') {
			verbose = 1;
			continue;
		}
		if (opt == 'n')
			total = strtoul(optarg, NULL, 0);
		else if (opt == 'p')
			nprocs = atoi(optarg);
		else if (opt == 'c')
			only_nr = strtol(optarg, NULL, 0);
		else if (opt == 's')
			seed = strtoull(optarg, NULL, 0);
		else
			return 2;
	}
	if (nprocs < 1 || nprocs > MAX_PROCS)
		nprocs = 4;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!mkdtemp(dir)) {
		printf("sysfuzz: note: mkdtemp: %s; fuzzing in the current "
		       "directory\n", strerror(errno));
		dir[0] = '\0';
	}
	slots = guarded_map(4096, MAP_SHARED);
	if (!slots) {
		printf("FAIL sysfuzz: mmap: %s\n", strerror(errno));
		return 1;
	}
	memset(kids, 0, sizeof(kids));
	for (int i = 0; i < nprocs; i++) {
		if (start_child(&kids[i], i, seed * 1000003 + started, dir) < 0) {
			printf("FAIL sysfuzz: fork: %s\n", strerror(errno));
			return 1;
		}
		started++;
	}
	while (done < total) {
		int status;
		pid_t pid;

		usleep(20000);
		if (verbose && now() - last_report >= 1.0) {
			last_report = now();
			printf("sysfuzz: %lu calls, %lu children, last numbers:",
			       done, started);
			for (int i = 0; i < nprocs; i++)
				printf(" %ld", slots[i].last_nr);
			printf("\n");
		}
		done = 0;
		for (int i = 0; i < nprocs; i++) {
			struct child *c = &kids[i];
			unsigned long calls = slots[i].calls;

			if (c->pid > 0 && (calls < c->seen ||
					   calls - c->seen > MAX_STEP)) {
				kill(c->pid, SIGKILL);
				c->seen = calls;
				corrupt++;
			} else if (c->pid > 0 && calls != c->seen) {
				c->counted += calls - c->seen;
				c->seen = calls;
				c->progress_at = now();
			} else if (c->pid > 0 && c->killed_at &&
				   now() - c->killed_at > UNKILLABLE_SEC) {
				printf("FAIL sysfuzz: child %d still alive %.0f s after "
				       "SIGKILL (last call %ld); abandoned\n",
				       (int)c->pid, UNKILLABLE_SEC, slots[i].last_nr);
				show_proc(c->pid);
				c->pid = 0;
				unkillable++;
				failed = 1;
			} else if (c->pid > 0 && now() - c->progress_at > STALL_SEC) {
				if (!c->killed_at)
					c->killed_at = now();
				if (kill(c->pid, SIGKILL) < 0 || verbose)
					printf("sysfuzz: child %d stalled after call %ld; "
					       "SIGKILL: %s\n", (int)c->pid,
					       slots[i].last_nr, kill(c->pid, 0) < 0 ?
					       strerror(errno) : "sent");
				c->progress_at = now();
				watchdog++;
			}
			done += c->counted;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < nprocs; i++) {
				if (kids[i].pid != pid)
					continue;
				kids[i].pid = 0;
				if (WIFSIGNALED(status)) {
					sig_deaths++;
					by_sig[WTERMSIG(status) & 63]++;
				}
				else
					exits++;
			}
		}
		if (unkillable >= MAX_UNKILLABLE) {
			printf("FAIL sysfuzz: %lu unkillable children; giving up\n",
			       unkillable);
			break;
		}
		if (started > 2000 + done / 10) {
			printf("FAIL sysfuzz: %lu children started but only %lu "
			       "calls made: children die before fuzzing\n",
			       started, done);
			failed = 1;
			break;
		}
		for (int i = 0; i < nprocs && done < total; i++) {
			if (kids[i].pid != 0)
				continue;
			if (start_child(&kids[i], i, seed * 1000003 + started, dir) < 0) {
				fork_fail++;
				continue;
			}
			started++;
		}
	}
	for (int i = 0; i < nprocs; i++)
		if (kids[i].pid > 0)
			kill(kids[i].pid, SIGKILL);
	for (int i = 0; i < nprocs; i++) {
		double until = now() + 10.0;

		while (kids[i].pid > 0 && now() < until) {
			pid_t got = waitpid(kids[i].pid, NULL, WNOHANG);

			if (got == kids[i].pid || (got < 0 && errno == ECHILD))
				kids[i].pid = 0;
			else
				usleep(10000);
		}
		if (kids[i].pid > 0) {
			printf("FAIL sysfuzz: child %d survived SIGKILL for 10 s\n",
			       (int)kids[i].pid);
			failed = 1;
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (dir[0] && system(cmd) != 0)
		printf("sysfuzz: warning: could not remove %s\n", dir);
	printf("sysfuzz: %lu calls by %lu processes (%d at a time) in %.1f s: "
	       "%lu killed by signals, %lu exited, %lu stalled and killed, "
	       "%lu fork failures, %lu corrupted counters\n", done, started,
	       nprocs, now() - t0, sig_deaths, exits, watchdog, fork_fail,
	       corrupt);
	printf("sysfuzz: deaths by signal:");
	for (int i = 1; i < 64; i++)
		if (by_sig[i])
			printf(" %s=%lu", strsignal(i), by_sig[i]);
	printf("\n");
	if (failed)
		return 1;
	printf("ok\n");
	return 0;
}
