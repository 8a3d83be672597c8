/*
 * mcp_test NAME: one check of many-core processes and parlib per run (the
 * mcp-target tier runs them all in one boot, tests/mcp/run.sh).  Each
 * prints "ok NAME[: detail]" or "FAIL NAME: why" lines; exit status 0 if
 * all its checks passed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include "parlib.h"

static int failures;

#define CHECK(name, cond, ...) do {						\
	if (cond) {								\
		printf("ok %s\n", name);					\
	} else {								\
		printf("FAIL %s: ", name);					\
		printf(__VA_ARGS__);						\
		printf("\n");							\
		failures++;							\
	}									\
	fflush(stdout);								\
} while (0)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Already an MCP (a second become_mcp only changes the vcore count)? */
static int mcp_ready;
static int __procinfo_ready(void)
{
	return mcp_ready++;
}

/* Become an MCP with n vcores and wait until they are all online (or 5 s). */
static int become_mcp(int n)
{
	int err = __procinfo_ready() ? 0 : parlib_init(n);
	uint64_t t0 = now_ns();

	if (err) {
		printf("FAIL parlib_init: %d\n", err);
		exit(1);
	}
	while (num_vcores() < n && now_ns() - t0 < 5000000000ULL) {
		vcore_request_total(n);
		uthread_yield();
	}
	return num_vcores();
}

/* ---- basic: procinfo, distinct cores, /proc */
static int read_file(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	if (!f)
		return -1;
	got = fread(buf, 1, n - 1, f);
	buf[got] = 0;
	fclose(f);
	return (int)got;
}

static void *spin_until(void *arg)
{
	volatile int *stop = arg;

	/* uthreads are not time-sliced: spin a while, then let the 2LS run others */
	while (!*stop) {
		for (int i = 0; i < 1000; i++)
			__asm__ __volatile__("pause");
		uthread_yield();
	}
	return NULL;
}

static void t_basic(void)
{
	int want = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1, got, distinct = 1;
	uint32_t seen = 0;
	char buf[4096];
	volatile int stop = 0;
	struct uthread *sp[MCP_MAX_VCORES];

	got = become_mcp(want);
	CHECK("basic-magic", __procinfo->magic == MCP_PROCINFO_MAGIC &&
	      __procinfo->version == MCP_ABI_VERSION && __procinfo->pid == (uint32_t)getpid(),
	      "magic %x version %u pid %u", __procinfo->magic, __procinfo->version, __procinfo->pid);
	CHECK("basic-is-mcp", __procinfo->is_mcp == 1, "is_mcp %u", __procinfo->is_mcp);
	CHECK("basic-vcores", got == want, "%d vcores online, wanted %d", got, want);
	/* keep every vcore busy so none yields while we look */
	for (int i = 0; i < want; i++)
		sp[i] = uthread_create(spin_until, (void *)&stop, "spinner");
	uthread_sleep_ns(50000000);
	for (int v = 0; v < want; v++) {
		uint32_t c = __procinfo->vcoremap[v].pcoreid;

		if (!__procinfo->vcoremap[v].valid || c == 0 || (seen & (1u << c)))
			distinct = 0;
		seen |= 1u << c;
	}
	CHECK("basic-distinct-cores", distinct, "vcore map not distinct/nonzero (seen %x)", seen);
	read_file("/proc/self/status", buf, sizeof(buf));
	{
		char line[64];

		snprintf(line, sizeof(line), "Vcores:\t%d\n", want);
		CHECK("basic-proc-status", strstr(buf, line) && strstr(buf, "VcoreMap:\t0:"),
		      "status lacks '%s'", line);
	}
	read_file("/proc/self/vcores", buf, sizeof(buf));
	CHECK("basic-proc-vcores", strstr(buf, "vcore pcore state") && strstr(buf, "online"),
	      "vcores file: %s", buf);
	{
		/* every online vcore's line names its own core */
		int lines = 0;
		char *p = buf;

		while ((p = strstr(p, " online ")))
			lines++, p++;
		CHECK("basic-proc-vcores-lines", lines == want, "%d online lines", lines);
	}
	stop = 1;
	for (int i = 0; i < want; i++)
		uthread_join(sp[i]);
	CHECK("basic-affinity-denied", sched_setaffinity(0, sizeof(cpu_set_t),
							 &(cpu_set_t){ { 1 } }) != 0,
	      "sched_setaffinity of a vcore succeeded");
}

/* ---- sum: parallel sum, the work spread over the vcores */
struct sum_arg {
	uint64_t lo, hi, sum;
	int vcores_seen;
};

static void *sum_worker(void *p)
{
	struct sum_arg *a = p;
	uint64_t s = 0;

	for (uint64_t i = a->lo; i < a->hi; i++) {
		s += i;
		if ((i & 0xffff) == 0) {
			a->vcores_seen |= 1 << vcore_id();
			uthread_yield();
		}
	}
	a->vcores_seen |= 1 << vcore_id();
	a->sum = s;
	return NULL;
}

static void t_sum(void)
{
	int maxv = max_vcores();

	become_mcp(maxv);
	for (int n = 1; n <= maxv; n++) {
		enum { NW = 12 };
		struct sum_arg a[NW];
		struct uthread *u[NW];
		const uint64_t N = 3000000;
		uint64_t total = 0;
		int seen = 0, nseen = 0;
		char name[32];

		vcore_request_total(n);
		for (int i = 0; i < NW; i++) {
			a[i] = (struct sum_arg){ N * i / NW, N * (i + 1) / NW, 0, 0 };
			u[i] = uthread_create(sum_worker, &a[i], "sum");
		}
		for (int i = 0; i < NW; i++) {
			uthread_join(u[i]);
			total += a[i].sum;
			seen |= a[i].vcores_seen;
		}
		for (int v = 0; v < MCP_MAX_VCORES; v++)
			nseen += !!(seen & (1 << v));
		snprintf(name, sizeof(name), "sum-%d-result", n);
		CHECK(name, total == N * (N - 1) / 2, "sum %llu", (unsigned long long)total);
		snprintf(name, sizeof(name), "sum-%d-spread", n);
		CHECK(name, nseen >= n, "work ran on %d vcores (mask %x), wanted %d", nseen, seen, n);
	}
}

/* ---- pingpong with semaphores */
static struct uth_sem ping, pong;
static volatile long pp_count;

static void *pinger(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++) {
		uth_sem_down(&ping);
		pp_count++;
		uth_sem_up(&pong);
	}
	return NULL;
}

static void t_pingpong(void)
{
	long n = 20000;
	struct uthread *u;
	uint64_t t0;

	become_mcp(max_vcores());
	uth_sem_init(&ping, 0);
	uth_sem_init(&pong, 0);
	u = uthread_create(pinger, (void *)n, "pinger");
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		uth_sem_up(&ping);
		uth_sem_down(&pong);
	}
	uthread_join(u);
	CHECK("pingpong", pp_count == n, "count %ld", pp_count);
	printf("info pingpong: %llu ns per round trip\n",
	       (unsigned long long)((now_ns() - t0) / (uint64_t)n));
}

/* ---- 1000 uthreads with a mutex and a condvar */
static struct uth_mutex mtx = UTH_MUTEX_INIT;
static struct uth_cond cv = UTH_COND_INIT;
static long counter, done_count;

static void *mutex_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 10; i++) {
		uth_mutex_lock(&mtx);
		long c = counter;

		if (i % 3 == 0)
			uthread_yield();	/* hold the mutex across a switch */
		counter = c + 1;
		uth_mutex_unlock(&mtx);
	}
	uth_mutex_lock(&mtx);
	done_count++;
	uth_cond_broadcast(&cv);
	uth_mutex_unlock(&mtx);
	return NULL;
}

static void t_mutex(void)
{
	enum { N = 1000 };
	static struct uthread *u[N];
	int created = 0;

	become_mcp(max_vcores());
	for (int i = 0; i < N; i++)
		if ((u[i] = uthread_create(mutex_worker, NULL, "mutexer")))
			created++;
	uth_mutex_lock(&mtx);
	while (done_count < created)
		uth_cond_wait(&cv, &mtx);
	uth_mutex_unlock(&mtx);
	for (int i = 0; i < N; i++)
		if (u[i])
			uthread_join(u[i]);
	CHECK("mutex-1000", created == N && counter == 10L * N, "created %d counter %ld", created,
	      counter);
}

/* ---- a blocking read in one uthread while the others run */
static int rd_fd;
static volatile int read_done;
static volatile long others_progress;

static void *reader(void *arg)
{
	char c = 0;

	(void)arg;
	if (read(rd_fd, &c, 1) == 1 && c == 'x')
		read_done = 1;
	else
		read_done = -1;
	return NULL;
}

static void *busy(void *arg)
{
	(void)arg;
	while (!read_done) {
		__atomic_fetch_add(&others_progress, 1, __ATOMIC_RELAXED);
		uthread_yield();
	}
	return NULL;
}

static void t_blockread(void)
{
	int fds[2];
	pid_t pid;
	struct uthread *r, *b[2];
	struct parlib_async_stats st;
	long before;

	if (pipe(fds))
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		usleep(400000);
		write(fds[1], "x", 1);
		_exit(0);
	}
	close(fds[1]);
	rd_fd = fds[0];
	/* one vcore: the read must not block it, or nothing else runs until it returns */
	become_mcp(1);
	r = uthread_create(reader, NULL, "reader");
	b[0] = uthread_create(busy, NULL, "busy");
	b[1] = uthread_create(busy, NULL, "busy");
	uthread_sleep_ns(100000000);
	before = others_progress;
	uthread_sleep_ns(100000000);
	CHECK("blockread-others-run", !read_done && others_progress > before + 10 &&
	      num_vcores() == 1, "progress %ld -> %ld while the read blocked (done %d, %d vcores)",
	      before, others_progress, read_done, num_vcores());
	uthread_join(r);
	uthread_join(b[0]);
	uthread_join(b[1]);
	parlib_async_stats(&st);
	CHECK("blockread-read", read_done == 1 && st.async >= 1, "read_done %d, %llu async calls",
	      read_done, (unsigned long long)st.async);
	waitpid(pid, NULL, 0);
}

/* ---- asynchronous system calls (SYS_mcp_async): one vcore keeps running uthreads */
static volatile int prog_stop;
static volatile long prog_count;

/* Counts and yields until prog_stop: proof that the vcore runs uthreads. */
static void *progress(void *arg)
{
	(void)arg;
	while (!prog_stop) {
		__atomic_fetch_add(&prog_count, 1, __ATOMIC_RELAXED);
		uthread_yield();
	}
	return NULL;
}

static struct uthread *prog_ut;

static void prog_start(void)
{
	prog_stop = 0;
	prog_count = 0;
	prog_ut = uthread_create(progress, NULL, "progress");
}

static void prog_end(void)
{
	prog_stop = 1;
	uthread_join(prog_ut);
}

struct call_res {
	long ret;
	int err;
	uint64_t ns;
	volatile int done;
	long prog_at_end;	/* prog_count when the call returned */
};

static struct call_res sleep_res;

static void *sleeper(void *arg)
{
	struct timespec ts = { 0, (long)arg };
	uint64_t t0 = now_ns();

	sleep_res.ret = nanosleep(&ts, NULL);
	sleep_res.ns = now_ns() - t0;
	sleep_res.prog_at_end = prog_count;
	sleep_res.done = 1;
	return NULL;
}

/*
 * ---- async-notifsoff: parlib's wrappers in a uthread that turned its
 * notifications off itself (a critical section; mcpdbg's wedge) make the
 * plain call, since switching out would turn them back on, and leave
 * them off (a write once turned them on behind the caller's back).
 */
static void t_async_notifsoff(void)
{
	struct parlib_async_stats s0, s1;
	struct timespec ts = { 0, 20000000 };
	int vc, fds[2], off_w, off_s, off_r;
	char c = 'x';
	ssize_t w, rd;

	become_mcp(1);
	if (pipe(fds)) {
		CHECK("async-notifsoff", 0, "pipe: %s", strerror(errno));
		return;
	}
	for (;;) {	/* off on the vcore we still run on once they are off */
		vc = vcore_id();
		disable_notifs(vc);
		if (vcore_id() == vc)
			break;
		enable_notifs(vc);
	}
	parlib_async_stats(&s0);
	w = write(fds[1], &c, 1);
	off_w = __procdata->vcpd[vc].notif_disabled;
	nanosleep(&ts, NULL);	/* would wait in a worker with notifications on */
	off_s = __procdata->vcpd[vc].notif_disabled;
	rd = read(fds[0], &c, 1);
	off_r = __procdata->vcpd[vc].notif_disabled;
	parlib_async_stats(&s1);
	enable_notifs(vc);
	CHECK("async-notifsoff", w == 1 && rd == 1 && off_w && off_s && off_r &&
	      s1.plain == s0.plain + 3 && s1.async == s0.async && s1.sync == s0.sync,
	      "write %zd read %zd, notif_disabled after write/sleep/read %d/%d/%d, "
	      "plain +%llu async +%llu sync +%llu", w, rd, off_w, off_s, off_r,
	      (unsigned long long)(s1.plain - s0.plain), (unsigned long long)(s1.async - s0.async),
	      (unsigned long long)(s1.sync - s0.sync));
	close(fds[0]);
	close(fds[1]);
}

static void t_async_sleep(void)
{
	struct parlib_async_stats s0, s1;
	struct uthread *u;
	struct timespec abs;
	uint64_t t0;
	int r;

	become_mcp(1);
	parlib_async_stats(&s0);
	prog_start();
	u = uthread_create(sleeper, (void *)300000000L, "sleeper");
	uthread_join(u);
	prog_end();
	parlib_async_stats(&s1);
	CHECK("async-nanosleep", sleep_res.ret == 0 && sleep_res.ns >= 300000000ULL &&
	      sleep_res.prog_at_end > 20 && s1.async > s0.async,
	      "ret %ld after %llu ms, %ld progress meanwhile, async %llu -> %llu", sleep_res.ret,
	      (unsigned long long)(sleep_res.ns / 1000000), sleep_res.prog_at_end,
	      (unsigned long long)s0.async, (unsigned long long)s1.async);
	/* clock_nanosleep with an absolute deadline, and one already past (done at once) */
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 100000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	t0 = now_ns();
	parlib_async_stats(&s0);
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	parlib_async_stats(&s1);
	CHECK("async-clock-nanosleep", r == 0 && now_ns() - t0 >= 90000000ULL &&
	      s1.async == s0.async + 1, "ret %d after %llu ms", r,
	      (unsigned long long)((now_ns() - t0) / 1000000));
	parlib_async_stats(&s0);
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	parlib_async_stats(&s1);
	CHECK("async-sleep-past", r == 0 && s1.sync == s0.sync + 1, "ret %d, sync %llu -> %llu", r,
	      (unsigned long long)s0.sync, (unsigned long long)s1.sync);
}

static volatile uint32_t fword;
static struct call_res fres;

static void *futex_waiter(void *arg)
{
	(void)arg;
	fres.ret = uth_futex_wait(&fword, 0, NULL);
	fres.prog_at_end = prog_count;
	fres.done = 1;
	return NULL;
}

static void t_async_futex(void)
{
	struct parlib_async_stats s0, s1;
	struct timespec to = { 0, 100000000 };
	struct uthread *u;
	long before, r;
	uint64_t t0;

	become_mcp(1);
	prog_start();
	parlib_async_stats(&s0);
	u = uthread_create(futex_waiter, NULL, "fwaiter");
	uthread_sleep_ns(150000000);
	before = prog_count;
	uthread_sleep_ns(50000000);
	CHECK("async-futex-waits", !fres.done && prog_count > before + 5,
	      "done %d, progress %ld -> %ld", fres.done, before, prog_count);
	fword = 1;
	r = syscall6(SYS_futex, (long)&fword, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	uthread_join(u);
	parlib_async_stats(&s1);
	CHECK("async-futex-wake", r == 1 && fres.ret == 0 && s1.async == s0.async + 1,
	      "wake %ld, wait %ld, async %llu -> %llu", r, fres.ret,
	      (unsigned long long)s0.async, (unsigned long long)s1.async);
	/* the value differs: EAGAIN at once */
	parlib_async_stats(&s0);
	r = uth_futex_wait(&fword, 0, NULL);
	parlib_async_stats(&s1);
	CHECK("async-futex-eagain", r == -EAGAIN && s1.sync == s0.sync + 1, "ret %ld", r);
	/* a timeout: ETIMEDOUT from the worker */
	t0 = now_ns();
	r = uth_futex_wait(&fword, 1, &to);
	CHECK("async-futex-timeout", r == -ETIMEDOUT && now_ns() - t0 >= 90000000ULL,
	      "ret %ld after %llu ms", r, (unsigned long long)((now_ns() - t0) / 1000000));
	prog_end();
}

static struct call_res wres;
static pid_t wpid;

static void *waiter(void *arg)
{
	int st = 0;

	(void)arg;
	wres.ret = waitpid(wpid, &st, 0);
	wres.err = st;
	wres.prog_at_end = prog_count;
	wres.done = 1;
	return NULL;
}

static void t_async_wait(void)
{
	struct uthread *u;
	long before;
	int st = 0;
	pid_t r;

	wpid = fork();
	if (wpid == 0) {
		usleep(500000);
		_exit(5);
	}
	become_mcp(1);
	r = waitpid(wpid, &st, WNOHANG);
	CHECK("async-wait-nohang", r == 0, "ret %d", r);
	prog_start();
	u = uthread_create(waiter, NULL, "waiter");
	uthread_sleep_ns(100000000);
	before = prog_count;
	uthread_sleep_ns(100000000);
	CHECK("async-wait-blocks-uthread", !wres.done && prog_count > before + 10,
	      "done %d, progress %ld -> %ld", wres.done, before, prog_count);
	uthread_join(u);
	prog_end();
	CHECK("async-wait4", wres.ret == wpid && WIFEXITED(wres.err) && WEXITSTATUS(wres.err) == 5,
	      "ret %ld status %x", wres.ret, wres.err);
	r = waitpid(-1, &st, 0);
	CHECK("async-wait-echild", r == -1 && errno == ECHILD, "ret %d errno %d", r, errno);
}

/* ---- pipe and tty: a big write and reads on one vcore */
#define BIG (200 * 1024)
static int pfd[2];
static unsigned char *big_in, *big_out;
static struct call_res pw, pr;

static void *big_writer(void *arg)
{
	(void)arg;
	pw.ret = write(pfd[1], big_in, BIG);
	pw.done = 1;
	return NULL;
}

static void *big_reader(void *arg)
{
	long got = 0, r = 1;

	(void)arg;
	while (got < BIG && r > 0) {
		r = read(pfd[0], big_out + got, BIG - got);
		if (r > 0)
			got += r;
	}
	pr.ret = got;
	pr.done = 1;
	return NULL;
}

static int pty_m, pty_s;
static char tty_buf[64];
static struct call_res tr;

static void *tty_reader(void *arg)
{
	(void)arg;
	tr.ret = read(pty_s, tty_buf, sizeof(tty_buf) - 1);
	tr.prog_at_end = prog_count;
	tr.done = 1;
	return NULL;
}

static void t_async_pipe(void)
{
	struct parlib_async_stats s0, s1;
	struct uthread *w, *r;
	long before;
	char buf[64];

	big_in = malloc(BIG);
	big_out = malloc(BIG);
	for (int i = 0; i < BIG; i++)
		big_in[i] = (unsigned char)(i * 7 + i / 251);
	if (pipe(pfd) || !big_in || !big_out)
		exit(1);
	/* the pty before becoming an MCP (glibc's grantpt/ptsname may fork or use threads) */
	pty_m = posix_openpt(O_RDWR | O_NOCTTY);
	if (pty_m < 0 || grantpt(pty_m) || unlockpt(pty_m) ||
	    (pty_s = open(ptsname(pty_m), O_RDWR | O_NOCTTY)) < 0) {
		printf("FAIL async-pty: no pty (%s)\n", strerror(errno));
		exit(1);
	}
	become_mcp(1);
	parlib_async_stats(&s0);
	/* writer first: it fills the pipe and must wait for the reader on the same vcore */
	w = uthread_create(big_writer, NULL, "writer");
	uthread_sleep_ns(50000000);
	r = uthread_create(big_reader, NULL, "reader");
	uthread_join(w);
	uthread_join(r);
	parlib_async_stats(&s1);
	CHECK("async-pipe-big-write", pw.ret == BIG && pr.ret == BIG &&
	      !memcmp(big_in, big_out, BIG) && s1.async > s0.async,
	      "wrote %ld read %ld, same %d, async %llu -> %llu", pw.ret, pr.ret,
	      !memcmp(big_in, big_out, BIG), (unsigned long long)s0.async,
	      (unsigned long long)s1.async);
	/* tty: a read of the pty slave waits (canonical mode) while others run */
	prog_start();
	r = uthread_create(tty_reader, NULL, "ttyreader");
	uthread_sleep_ns(100000000);
	before = prog_count;
	uthread_sleep_ns(100000000);
	CHECK("async-tty-read-waits", !tr.done && prog_count > before + 10,
	      "done %d, progress %ld -> %ld", tr.done, before, prog_count);
	parlib_async_stats(&s0);
	CHECK("async-tty-write", write(pty_m, "hello\n", 6) == 6, "master write: %s",
	      strerror(errno));
	uthread_join(r);
	prog_end();
	tty_buf[tr.ret > 0 ? tr.ret : 0] = 0;
	CHECK("async-tty-read", tr.ret == 6 && !strcmp(tty_buf, "hello\n"), "ret %ld '%s'",
	      tr.ret, tty_buf);
	/* the echo is on the master at once: a read there does not wait (sync) */
	parlib_async_stats(&s0);
	memset(buf, 0, sizeof(buf));
	before = read(pty_m, buf, sizeof(buf) - 1);
	parlib_async_stats(&s1);
	CHECK("async-tty-echo-sync", before > 0 && strstr(buf, "hello") && s1.sync == s0.sync + 1 &&
	      s1.async == s0.async, "ret %ld '%s'", before, buf);
}

/* ---- many calls in flight; the limit */
#define MANY 250
static int many_fd[2];
static volatile int many_done, many_ok;

static void *many_reader(void *arg)
{
	char c;

	(void)arg;
	if (read(many_fd[0], &c, 1) == 1 && c == 'm')
		__atomic_fetch_add(&many_ok, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&many_done, 1, __ATOMIC_RELAXED);
	return NULL;
}

static struct mcp_syscall raw_sc[MCP_ASYNC_MAX + 1];

static void t_async_many(void)
{
	static struct uthread *u[MANY];
	static char ms[MCP_ASYNC_MAX];
	struct parlib_async_stats s0, s1;
	uint64_t t0;
	int inflight, ok = 0, r = 0;

	if (pipe(many_fd))
		exit(1);
	become_mcp(1);
	parlib_async_stats(&s0);
	for (int i = 0; i < MANY; i++)
		u[i] = uthread_create(many_reader, NULL, "many");
	t0 = now_ns();
	while (parlib_async_in_flight() < MANY && now_ns() - t0 < 20000000000ULL)
		uthread_sleep_ns(10000000);
	inflight = parlib_async_in_flight();
	memset(ms, 'm', sizeof(ms));
	if (write(many_fd[1], ms, MANY) != MANY)
		exit(1);
	for (int i = 0; i < MANY; i++)
		uthread_join(u[i]);
	parlib_async_stats(&s1);
	CHECK("async-many", inflight == MANY && many_ok == MANY &&
	      s1.async - s0.async == MANY && parlib_async_in_flight() == 0,
	      "%d in flight, %d ok, %llu async, %llu plain, %u mailbox overflows", inflight,
	      many_ok, (unsigned long long)(s1.async - s0.async),
	      (unsigned long long)(s1.plain - s0.plain), __procdata->vcpd[0].mbox_overflow);
	/* the limit: MCP_ASYNC_MAX raw calls in flight, then EAGAIN */
	for (int i = 0; i < MCP_ASYNC_MAX && r >= 0; i++) {
		raw_sc[i] = (struct mcp_syscall){ .num = SYS_read,
						  .args = { (uint64_t)many_fd[0],
							    (uint64_t)&ms[i], 1 } };
		r = (int)syscall1(SYS_mcp_async, (long)&raw_sc[i]);
		ok += r == MCP_ASYNC_INPROGRESS;
	}
	raw_sc[MCP_ASYNC_MAX] = (struct mcp_syscall){ .num = SYS_read,
						      .args = { (uint64_t)many_fd[0],
								(uint64_t)&ms[0], 1 } };
	r = (int)syscall1(SYS_mcp_async, (long)&raw_sc[MCP_ASYNC_MAX]);
	CHECK("async-limit", ok == MCP_ASYNC_MAX && r == -EAGAIN, "%d accepted, then %d", ok, r);
	memset(ms, 'n', sizeof(ms));
	if (write(many_fd[1], ms, MCP_ASYNC_MAX) != MCP_ASYNC_MAX)
		exit(1);
	t0 = now_ns();
	for (;;) {
		int done = 0;

		for (int i = 0; i < MCP_ASYNC_MAX; i++)
			done += (__atomic_load_n(&raw_sc[i].flags, __ATOMIC_ACQUIRE) &
				 (MCP_SC_DONE | MCP_SC_ASYNC)) == (MCP_SC_DONE | MCP_SC_ASYNC) &&
				raw_sc[i].result == 1;
		if (done == MCP_ASYNC_MAX || now_ns() - t0 > 20000000000ULL) {
			CHECK("async-limit-done", done == MCP_ASYNC_MAX, "%d of %d done", done,
			      MCP_ASYNC_MAX);
			break;
		}
		uthread_sleep_ns(10000000);
	}
}

/* ---- kill and exit with calls in flight */
static int kill_fd[2];

static void *kill_reader(void *arg)
{
	char c;

	(void)arg;
	read(kill_fd[0], &c, 1);
	return NULL;
}

static void *kill_sleeper(void *arg)
{
	(void)arg;
	sleep_res.ret = nanosleep(&(struct timespec){ 30, 0 }, NULL);
	return NULL;
}

static void *kill_futex(void *arg)
{
	(void)arg;
	uth_futex_wait(&fword, 0, NULL);
	return NULL;
}

/* Child: an MCP with n calls in flight; tells the parent through rep, then dies as told. */
static void __attribute__((noreturn)) inflight_child(int rep, int n, bool do_exit)
{
	uint64_t t0;
	int got;

	if (pipe(kill_fd))
		_exit(90);
	become_mcp(1);
	for (int i = 0; i < n; i++)
		uthread_create(i % 3 == 0 ? kill_reader : i % 3 == 1 ? kill_sleeper : kill_futex,
			       NULL, "inflight");
	t0 = now_ns();
	while ((got = parlib_async_in_flight()) < n && now_ns() - t0 < 20000000000ULL)
		uthread_sleep_ns(10000000);
	syscall3(SYS_write, rep, (long)&got, sizeof(got));
	if (do_exit) {
		uthread_sleep_ns(100000000);
		exit(3);
	}
	for (;;)
		uthread_yield();
}

static void t_async_kill(void)
{
	int maxv = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	int rep[2], got = 0, st = 0;
	uint64_t t0;
	pid_t pid;

	if (pipe(rep))
		exit(1);
	pid = fork();
	if (pid == 0)
		inflight_child(rep[1], 60, false);
	read(rep[0], &got, sizeof(got));
	usleep(100000);
	t0 = now_ns();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK("async-kill", got == 60 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL &&
	      now_ns() - t0 < 3000000000ULL, "%d in flight, status %x after %llu ms", got, st,
	      (unsigned long long)((now_ns() - t0) / 1000000));
	got = 0;
	pid = fork();
	if (pid == 0)
		inflight_child(rep[1], 60, true);
	read(rep[0], &got, sizeof(got));
	waitpid(pid, &st, 0);
	CHECK("async-exit", got == 60 && WIFEXITED(st) && WEXITSTATUS(st) == 3,
	      "%d in flight, status %x", got, st);
	pid = fork();
	if (pid == 0)
		_exit(become_mcp(maxv) == maxv ? 0 : 1);
	waitpid(pid, &st, 0);
	CHECK("async-cores-returned", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %x", st);
}

/* ---- bad pointers and bad calls */
static struct call_res efres;
static int ef_fd[2];

static void *bad_reader(void *arg)
{
	efres.ret = async_syscall(SYS_read, ef_fd[0], (long)arg, 4, 0, 0, 0);
	efres.done = 1;
	return NULL;
}

static void t_async_efault(void)
{
	struct mcp_syscall sc = { .num = SYS_getpid }, *ro;
	struct uthread *u;
	long r;
	pid_t pid;
	int st = 0;

	if (pipe(ef_fd))
		exit(1);
	/* not an MCP yet */
	r = syscall1(SYS_mcp_async, (long)&sc);
	CHECK("async-not-mcp", r == -EINVAL, "ret %ld", r);
	pid = fork();
	if (pid == 0)
		_exit(0);
	become_mcp(1);
	r = syscall1(SYS_mcp_async, 0x10);
	CHECK("async-efault-null", r == -EFAULT, "ret %ld", r);
	r = syscall1(SYS_mcp_async, (long)0xffff800000000000ULL);
	CHECK("async-efault-kernel", r == -EFAULT, "ret %ld", r);
	r = syscall1(SYS_mcp_async, (long)&sc + 4);
	CHECK("async-misaligned", r == -EINVAL, "ret %ld", r);
	r = syscall1(SYS_mcp_async, (long)&sc);
	CHECK("async-unsupported", r == -EINVAL, "ret %ld", r);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r = syscall1(SYS_mcp_async, (long)ro);
	CHECK("async-efault-readonly", r == -EFAULT, "ret %ld", r);
	/* data there: done at once, EFAULT for the buffer */
	write(ef_fd[1], "abcd", 4);
	r = async_syscall(SYS_read, ef_fd[0], 0x1000, 4, 0, 0, 0);
	CHECK("async-efault-sync-buf", r == -EFAULT, "ret %ld", r);
	/* (the pipe may have dropped those bytes, as Linux may: a fresh one) */
	close(ef_fd[0]);
	close(ef_fd[1]);
	if (pipe(ef_fd))
		exit(1);
	/* empty pipe: the worker finds the bad buffer */
	u = uthread_create(bad_reader, (void *)0xffff800000001000ULL, "badreader");
	uthread_sleep_ns(100000000);
	write(ef_fd[1], "abcd", 4);
	uthread_join(u);
	CHECK("async-efault-async-buf", efres.ret == -EFAULT, "ret %ld", efres.ret);
	r = async_syscall(SYS_nanosleep, 0x1000, 0, 0, 0, 0, 0);
	CHECK("async-efault-nanosleep", r == -EFAULT, "ret %ld", r);
	r = uth_futex_wait((volatile uint32_t *)0x1000, 0, NULL);
	CHECK("async-efault-futex", r == -EFAULT, "ret %ld", r);
	r = async_syscall(SYS_nanosleep, (long)&(struct timespec){ 0, 2000000000L }, 0, 0, 0, 0, 0);
	CHECK("async-einval-nanosleep", r == -EINVAL, "ret %ld", r);
	usleep(100000);
	r = async_syscall(SYS_wait4, pid, 0x1000, 0, 0, 0, 0);
	CHECK("async-efault-wait4", r == -EFAULT && waitpid(pid, &st, WNOHANG) == -1,
	      "ret %ld", r);
}

/* ---- vcore yield and regrant */
static void t_yield(void)
{
	int maxv = max_vcores(), low = 99;
	uint64_t t0;

	become_mcp(maxv);
	t0 = now_ns();
	/* idle vcores give their cores back */
	while (now_ns() - t0 < 5000000000ULL && (low = num_vcores()) > 1)
		uthread_sleep_ns(20000000);
	CHECK("yield-idle-vcores-leave", low == 1, "still %d vcores after 5 s idle", low);
	CHECK("yield-last-stays", num_vcores() == 1 && vcore_yield(false) == -EBUSY,
	      "the last vcore's yield must be EBUSY");
	{
		int n = vcore_request_total(maxv);

		CHECK("yield-regrant", n == maxv, "poke_ksched gave %d", n);
	}
	{
		char buf[2048];
		uint64_t grants = 0;

		read_file("/proc/self/vcores", buf, sizeof(buf));
		for (int v = 0; v < maxv; v++)
			grants += __procinfo->vcoremap[v].nr_grants;
		/* maxv first grants, maxv - 1 vcores left and came back */
		CHECK("yield-grants-counted", grants >= 2ULL * (uint64_t)maxv - 1,
		      "%llu grants; %s", (unsigned long long)grants, buf);
	}
}

/* ---- notifications */
static volatile long handled[MCP_MAX_VCORES];
static volatile int spin_stop;

static void on_event(int vcoreid, const struct mcp_event *ev)
{
	(void)ev;
	__atomic_fetch_add(&handled[vcoreid], 1, __ATOMIC_RELAXED);
}

static void *notif_spinner(void *arg)
{
	(void)arg;
	while (!spin_stop)
		__asm__ __volatile__("pause");
	return NULL;
}

static void t_notify(void)
{
	int maxv = max_vcores();
	struct uthread *sp[MCP_MAX_VCORES];
	long sent = 0;
	uint64_t t0;
	int target;

	parlib_user_event_handler = on_event;
	become_mcp(maxv);
	/* one vcore stays free for main (uthreads are not time-sliced) */
	for (int i = 0; i < maxv - 1; i++)
		sp[i] = uthread_create(notif_spinner, NULL, "spinner");
	uthread_sleep_ns(30000000);
	target = (vcore_id() + 1) % maxv;
	for (int i = 0; i < 50; i++) {
		if (vcore_notify(target, (uint64_t)i) == 0)
			sent++;
		uthread_sleep_ns(1000000);
	}
	t0 = now_ns();
	while (handled[target] < sent && now_ns() - t0 < 3000000000ULL)
		uthread_sleep_ns(10000000);
	CHECK("notify-delivered", sent == 50 && handled[target] == sent,
	      "sent %ld handled %ld on vcore %d", sent, handled[target], target);
	CHECK("notify-bad-vcore", vcore_notify(MCP_MAX_VCORES + 3, 0) == -EINVAL, "no EINVAL");
	spin_stop = 1;
	for (int i = 0; i < maxv - 1; i++)
		uthread_join(sp[i]);
	CHECK("notify-spinners-survive", 1, " ");
}

/* ---- an event for a vcore that gave its core back reaches an online vcore */
static void t_notify_offline(void)
{
	int maxv = max_vcores(), off = -1;
	long before = 0, after = 0;
	uint64_t t0;

	become_mcp(maxv);
	parlib_user_event_handler = on_event;
	t0 = now_ns();
	while (off < 0 && now_ns() - t0 < 5000000000ULL) {
		uthread_sleep_ns(10000000);	/* the idle vcores yield their cores */
		for (int v = 0; v < maxv && off < 0; v++)
			if (!__procinfo->vcoremap[v].valid)
				off = v;
	}
	if (off < 0) {
		CHECK("notify-offline-vcore-yielded", 0, "no vcore yielded (max %d)", maxv);
		return;
	}
	for (int v = 0; v < MCP_MAX_VCORES; v++)
		before += handled[v];
	CHECK("notify-offline-send", vcore_notify(off, 7) == 0, "vcore %d", off);
	t0 = now_ns();
	do {
		uthread_yield();
		after = 0;
		for (int v = 0; v < MCP_MAX_VCORES; v++)
			after += handled[v];
	} while (after == before && now_ns() - t0 < 3000000000ULL);
	CHECK("notify-offline-handled", after > before,
	      "event for offline vcore %d never handled (%d vcores online)", off, num_vcores());
}

/* ---- preemption: work survives repeated revoke/regrant */
static volatile int preempter_done;

static void *preempter(void *arg)
{
	volatile int *stop = arg;
	long n = 0;

	while (!*stop && n < 30 && max_vcores() > 1) {
		for (int v = 0; v < max_vcores(); v++)
			if (v != vcore_id() &&
			    syscall3(SYS_vcore_preempt, 0, v, (n & 1) ? MCP_PREEMPT_REGRANT : 0) == 0)
				n++;
		uthread_sleep_ns(2000000);
	}
	preempter_done = 1;
	return (void *)n;
}

/* A sum worker that sums its range again and again until the preempter is done. */
static void *sum_until_done(void *p)
{
	struct sum_arg *a = p;

	do
		sum_worker(a);
	while (!preempter_done);
	return NULL;
}

static void t_preempt(void)
{
	int maxv = max_vcores();
	enum { NW = 9 };
	struct sum_arg a[NW];
	struct uthread *u[NW], *p;
	const uint64_t N = 4000000;
	uint64_t total = 0, done = 0, recovered = 0;
	volatile int stop = 0;
	long sent;

	become_mcp(maxv);
	p = uthread_create(preempter, (void *)&stop, "preempter");
	for (int i = 0; i < NW; i++) {
		a[i] = (struct sum_arg){ N * i / NW, N * (i + 1) / NW, 0, 0 };
		u[i] = uthread_create(sum_until_done, &a[i], "sum");
	}
	for (int i = 0; i < NW; i++) {
		uthread_join(u[i]);
		total += a[i].sum;
	}
	stop = 1;
	sent = (long)uthread_join(p);
	for (int v = 0; v < maxv; v++) {
		struct parlib_vcore_stats st;

		done += __procinfo->vcoremap[v].nr_preempts_done;
		parlib_vcore_stats(v, &st);
		recovered += st.recovered;
	}
	CHECK("preempt-no-work-lost", total == N * (N - 1) / 2, "sum %llu",
	      (unsigned long long)total);
	CHECK("preempt-happened", sent >= 10 && done >= 10, "sent %ld done %llu", sent,
	      (unsigned long long)done);
	printf("info preempt: %ld sent, %llu done, %llu uthreads recovered by other vcores\n",
	       sent, (unsigned long long)done, (unsigned long long)recovered);
	CHECK("preempt-bad-args", syscall3(SYS_vcore_preempt, 0, MCP_MAX_VCORES, 0) == -EINVAL &&
	      syscall3(SYS_vcore_preempt, 0, 0, 0x80) == -EINVAL &&
	      syscall3(SYS_vcore_preempt, 999999, 0, 0) == -ESRCH, "bad arguments accepted");
}

/* ---- preemption warnings: the 2LS yields in time; one that ignores them is forced */
static volatile int warner_done;

static void *warner(void *arg)
{
	long n = 0;

	(void)arg;
	for (int tries = 0; n < 20 && tries < 3000; tries++) {
		for (int v = 0; v < max_vcores(); v++)
			if (v != vcore_id() && __procinfo->vcoremap[v].valid &&
			    syscall4(SYS_vcore_preempt, 0, v,
				     MCP_PREEMPT_WARN | ((n & 1) ? MCP_PREEMPT_REGRANT : 0),
				     200000000) == 0)
				n++;
		uthread_sleep_ns(3000000);
	}
	warner_done = 1;
	return (void *)n;
}

static void *sum_until_warned(void *p)
{
	do
		sum_worker(p);
	while (!warner_done);
	return NULL;
}

/* Sums of procinfo's warning counters over every vcore. */
static void warn_totals(uint64_t *warned, uint64_t *yielded, uint64_t *forced)
{
	*warned = *yielded = *forced = 0;
	for (int v = 0; v < MCP_MAX_VCORES; v++) {
		*warned += __procinfo->warn[v].nr_warnings;
		*yielded += __procinfo->warn[v].nr_yielded;
		*forced += __procinfo->warn[v].nr_forced;
	}
}

static volatile int stub_vc = -1, stub_stop;

/* A uthread that keeps notifications off (as in a long critical section) until told. */
static void *stubborn(void *arg)
{
	int v;

	(void)arg;
	for (;;) {
		v = vcore_id();
		disable_notifs(v);
		if (vcore_id() == v)
			break;
		enable_notifs(v);
	}
	stub_vc = v;
	while (!stub_stop)
		__asm__ __volatile__("pause");
	enable_notifs(v);
	return NULL;
}

static void t_preempt_warn(void)
{
	int maxv = max_vcores();
	enum { NW = 9 };
	struct sum_arg a[NW];
	struct uthread *u[NW], *w;
	const uint64_t N = 3000000;
	uint64_t total = 0, warned, yielded, forced, answered = 0, f0, y0, t0, t1 = 0;
	long sent;

	become_mcp(maxv);
	if (maxv < 2) {
		CHECK("warn-needs-two-vcores", 0, "max_vcores %d", maxv);
		return;
	}
	w = uthread_create(warner, NULL, "warner");
	for (int i = 0; i < NW; i++) {
		a[i] = (struct sum_arg){ N * i / NW, N * (i + 1) / NW, 0, 0 };
		u[i] = uthread_create(sum_until_warned, &a[i], "sum");
	}
	for (int i = 0; i < NW; i++) {
		uthread_join(u[i]);
		total += a[i].sum;
	}
	sent = (long)uthread_join(w);
	t0 = now_ns();
	do {	/* the last warnings end at most 200 ms after they were sent */
		warn_totals(&warned, &yielded, &forced);
		uthread_yield();
	} while (yielded + forced < warned && now_ns() - t0 < 5000000000ULL);
	for (int v = 0; v < maxv; v++) {
		struct parlib_vcore_stats st;

		parlib_vcore_stats(v, &st);
		answered += st.warnings;
	}
	printf("info preempt-warn: %ld sent, %llu yielded in time, %llu forced, 2LS answered %llu\n",
	       sent, (unsigned long long)yielded, (unsigned long long)forced,
	       (unsigned long long)answered);
	CHECK("warn-no-work-lost", total == N * (N - 1) / 2, "sum %llu", (unsigned long long)total);
	CHECK("warn-sent", sent >= 10 && warned == (uint64_t)sent, "sent %ld, procinfo %llu", sent,
	      (unsigned long long)warned);
	CHECK("warn-resolved", yielded + forced == warned, "%llu + %llu of %llu",
	      (unsigned long long)yielded, (unsigned long long)forced, (unsigned long long)warned);
	CHECK("warn-2ls-yields", yielded > forced && answered == yielded,
	      "yielded %llu forced %llu answered %llu", (unsigned long long)yielded,
	      (unsigned long long)forced, (unsigned long long)answered);

	/* A vcore that keeps notifications off never sees the warning: forced at the deadline. */
	uthread_create(stubborn, NULL, "stubborn");
	t0 = now_ns();
	while (stub_vc < 0 && now_ns() - t0 < 5000000000ULL)
		uthread_yield();
	warn_totals(&warned, &y0, &f0);
	t0 = now_ns();
	CHECK("warn-send", stub_vc >= 0 && syscall4(SYS_vcore_preempt, 0, stub_vc,
		MCP_PREEMPT_WARN | MCP_PREEMPT_REGRANT, 300000000) == 0, "vcore %d", stub_vc);
	CHECK("warn-twice-eagain", syscall4(SYS_vcore_preempt, 0, stub_vc, MCP_PREEMPT_WARN,
					    300000000) == -EAGAIN, "second warning accepted");
	do {
		warn_totals(&warned, &yielded, &forced);
		t1 = now_ns();
		uthread_yield();
	} while (forced == f0 && t1 - t0 < 5000000000ULL);
	printf("info preempt-warn: stubborn vcore %d forced after %llu ms (grace 300)\n", stub_vc,
	       (unsigned long long)((t1 - t0) / 1000000));
	CHECK("warn-forced", forced == f0 + 1 && yielded == y0, "forced %llu->%llu yielded %llu->%llu",
	      (unsigned long long)f0, (unsigned long long)forced, (unsigned long long)y0,
	      (unsigned long long)yielded);
	CHECK("warn-deadline", t1 - t0 >= 300000000ULL && t1 - t0 < 3000000000ULL,
	      "forced after %llu ns", (unsigned long long)(t1 - t0));
	stub_stop = 1;
	CHECK("warn-bad-grace", syscall4(SYS_vcore_preempt, 0, 0, MCP_PREEMPT_WARN, 0) == -EINVAL &&
	      syscall4(SYS_vcore_preempt, 0, 0, MCP_PREEMPT_WARN, 20000000000LL) == -EINVAL,
	      "bad grace accepted");
}

/* ---- an outside process (a busy SCP) revokes the MCP's cores; both progress */
static void t_preempt_ext(void)
{
	int maxv, fds[2];
	pid_t parent = getpid(), pid;
	enum { NW = 9 };
	struct sum_arg a[NW];
	struct uthread *u[NW];
	const uint64_t N = 3000000;
	uint64_t total = 0, done = 0;
	char c;

	if (pipe(fds))
		exit(1);
	pid = fork();
	if (pid == 0) {
		long n = 0, spins = 0;
		uint64_t t0 = now_ns();

		close(fds[1]);
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
		while (now_ns() - t0 < 20000000000ULL) {
			/* busy SCP: spin a while, then revoke a vcore of the parent */
			for (volatile int i = 0; i < 20000; i++)
				spins++;
			for (int v = 0; v < 8; v++)
				if (syscall3(SYS_vcore_preempt, parent, v, (n & 1) ? MCP_PREEMPT_REGRANT : 0)
				    == 0)
					n++;
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
			if (read(fds[0], &c, 1) == 1)	/* non-blocking: set below */
				break;
		}
		printf("info preempt-ext: SCP revoked %ld times, spun %ld\n", n, spins);
		_exit(n > 3 && spins > 0 ? 0 : 1);
	}
	close(fds[0]);
	become_mcp(max_vcores());
	maxv = max_vcores();
	usleep(1);
	for (int i = 0; i < NW; i++) {
		a[i] = (struct sum_arg){ N * i / NW, N * (i + 1) / NW, 0, 0 };
		u[i] = uthread_create(sum_worker, &a[i], "sum");
	}
	for (int i = 0; i < NW; i++) {
		uthread_join(u[i]);
		total += a[i].sum;
	}
	for (int v = 0; v < maxv; v++)
		done += __procinfo->vcoremap[v].nr_preempts_done;
	write(fds[1], "q", 1);
	close(fds[1]);
	{
		int st = 0;

		waitpid(pid, &st, 0);
		CHECK("preempt-ext-scp-progress", WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "SCP status %x", st);
	}
	CHECK("preempt-ext-no-work-lost", total == N * (N - 1) / 2, "sum %llu",
	      (unsigned long long)total);
	CHECK("preempt-ext-revoked", done > 3, "only %llu preemptions done",
	      (unsigned long long)done);
}

/* ---- what an MCP may not do */
static void *nothing(void *a)
{
	return a;
}

static void t_deny(void)
{
	pthread_t t;
	pid_t pid;
	int err;

	CHECK("deny-scp-poke", syscall0(SYS_poke_ksched) == -EINVAL, "SCP poke accepted");
	CHECK("deny-scp-yield", syscall1(SYS_vcore_yield, 0) == -EINVAL, "SCP yield accepted");
	CHECK("deny-scp-change-unmapped", syscall0(SYS_change_to_m) == -EINVAL,
	      "change_to_m without pages accepted");
	CHECK("deny-scp-notify", syscall3(SYS_vcore_notify, 0, 1, 0) == -EINVAL,
	      "SCP notify accepted");
	become_mcp(max_vcores());
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK("deny-fork", pid < 0 && errno == EPERM, "fork returned %d errno %d", pid, errno);
	err = pthread_create(&t, NULL, nothing, NULL);
	CHECK("deny-clone-thread", err == EPERM || err == EAGAIN, "pthread_create returned %d", err);
	errno = 0;
	execl("/bin/true", "true", (char *)NULL);
	CHECK("deny-exec", errno == EPERM, "execve errno %d", errno);
	CHECK("deny-change-twice", syscall0(SYS_change_to_m) == -EINVAL, "second change_to_m");
	CHECK("deny-map-again", syscall0(SYS_mcp_map_pages) == 0, "map_pages is idempotent");
}

/* ---- TLS: errno, __thread, printf and malloc per uthread */
static __thread long my_tls = 42;

static void *tls_worker(void *arg)
{
	long id = (long)arg;
	char *m;

	if (my_tls != 42)
		return (void *)1;
	my_tls = id;
	errno = (int)id;
	for (int i = 0; i < 20; i++) {
		m = malloc(100 + (size_t)i * 37);
		if (!m)
			return (void *)2;
		snprintf(m, 100, "uthread %ld round %d", id, i);
		errno = (int)id;	/* malloc may set errno; the switch must keep ours */
		uthread_yield();
		if (my_tls != id || errno != (int)id || strncmp(m, "uthread ", 8))
			return (void *)3;
		free(m);
	}
	return NULL;
}

static void t_tls(void)
{
	enum { N = 40 };
	struct uthread *u[N];
	long bad = 0;

	become_mcp(max_vcores());
	for (long i = 0; i < N; i++)
		u[i] = uthread_create(tls_worker, (void *)(i + 100), "tls");
	for (int i = 0; i < N; i++)
		bad += (long)uthread_join(u[i]);
	CHECK("tls-per-uthread", bad == 0, "bad %ld", bad);
	CHECK("tls-main-kept", my_tls == 42, "main's TLS changed to %ld", my_tls);
}

/* ---- fairness and stealing */
static volatile int fair_stop;

static void *fair_worker(void *arg)
{
	long *cnt = arg;

	while (!fair_stop) {
		(*cnt)++;
		for (volatile int i = 0; i < 200; i++)
			;
		uthread_yield();
	}
	return NULL;
}

/* Run N fair workers for ms milliseconds; min and max of their counts. */
static void fair_round(int ms, long *lo, long *hi)
{
	enum { N = 12 };
	long cnt[N] = { 0 };
	struct uthread *u[N];

	fair_stop = 0;
	for (int i = 0; i < N; i++)
		u[i] = uthread_create(fair_worker, &cnt[i], "fair");
	uthread_sleep_ns((uint64_t)ms * 1000000ULL);
	fair_stop = 1;
	*lo = -1;
	*hi = 0;
	for (int i = 0; i < N; i++) {
		uthread_join(u[i]);
		*lo = *lo < 0 || cnt[i] < *lo ? cnt[i] : *lo;
		*hi = cnt[i] > *hi ? cnt[i] : *hi;
	}
	printf("info fair:");
	for (int i = 0; i < N; i++)
		printf(" %ld", cnt[i]);
	printf("\n");
}

static void t_fair(void)
{
	long lo, hi;
	uint64_t steals = 0;
	int used = 0;

	/* one vcore: its FIFO run queue is round robin */
	become_mcp(1);
	fair_round(300, &lo, &hi);
	CHECK("fair-ratio", lo > 0 && hi <= lo + lo / 4 + 2, "min %ld max %ld", lo, hi);
	/* every vcore: the others steal from the queue main filled */
	become_mcp(max_vcores());
	fair_round(300, &lo, &hi);
	for (int v = 0; v < max_vcores(); v++) {
		struct parlib_vcore_stats st;

		parlib_vcore_stats(v, &st);
		steals += st.steals;
		used += st.runs > 10;
	}
	CHECK("fair-steal", lo > 0 && steals > 0 && used == max_vcores(),
	      "%llu steals, %d vcores ran uthreads, min count %ld", (unsigned long long)steals, used,
	      lo);
}

/* ---- the debugger descriptor */
static struct uth_sem dbg_sem;

static void *dbg_blocker(void *arg)
{
	(void)arg;
	uth_sem_down(&dbg_sem);
	return NULL;
}

static void t_dbg(void)
{
	const struct mcp_dbg_desc *d;
	const struct mcp_dbg_uthread *s;
	struct uthread *u[3];
	int found = 0, ctx_ok = 0, main_running = 0;

	become_mcp(max_vcores());
	uth_sem_init(&dbg_sem, 0);
	u[0] = uthread_create(dbg_blocker, NULL, "dbg-a");
	u[1] = uthread_create(dbg_blocker, NULL, "dbg-b");
	u[2] = uthread_create(dbg_blocker, NULL, "dbg-c");
	uthread_sleep_ns(50000000);
	d = (const struct mcp_dbg_desc *)__procdata->dbg_desc;
	CHECK("dbg-desc-found", d && d->magic == MCP_DBG_MAGIC && d->version == MCP_DBG_VERSION &&
	      d->uthread_size == sizeof(struct mcp_dbg_uthread) && (d->gen & 1) == 0,
	      "descriptor %p", (const void *)d);
	CHECK("dbg-count", d && d->nr_uthreads == 4, "nr_uthreads %u", d ? d->nr_uthreads : 0);
	s = (const struct mcp_dbg_uthread *)d->uthreads;
	for (unsigned i = 0; i < d->max_uthreads; i++) {
		if (s[i].state == MCP_DBG_UT_FREE)
			continue;
		if (!strncmp(s[i].name, "dbg-", 4) && s[i].state == MCP_DBG_UT_BLOCKED) {
			const struct mcp_uctx *c = (const struct mcp_uctx *)s[i].ctx;

			found++;
			ctx_ok += s[i].ctx_kind == MCP_DBG_CTX_SW && c->rsp > s[i].stack_lo &&
				  c->rsp < s[i].stack_hi && c->rip != 0;
		}
		if (!strcmp(s[i].name, "main") && s[i].state == MCP_DBG_UT_RUNNING &&
		    s[i].vcore == vcore_id())
			main_running = 1;
	}
	CHECK("dbg-blocked-listed", found == 3, "found %d blocked dbg-* uthreads", found);
	CHECK("dbg-saved-regs", ctx_ok == 3, "%d saved contexts inside their stacks", ctx_ok);
	CHECK("dbg-main-running", main_running, "main not RUNNING on vcore %d", vcore_id());
	for (int i = 0; i < 3; i++)
		uth_sem_up(&dbg_sem);
	for (int i = 0; i < 3; i++)
		uthread_join(u[i]);
	CHECK("dbg-freed", d->nr_uthreads == 1 && (d->gen & 1) == 0, "nr_uthreads %u",
	      d->nr_uthreads);
}

/* ---- killing and exiting an MCP whose vcores spin */
static void *forever(void *arg)
{
	(void)arg;
	for (;;)
		__asm__ __volatile__("pause");
	return NULL;
}

/* A SIGTERM handler that does nothing (it never runs on a vcore anyway). */
static void term_noop(int sig)
{
	(void)sig;
}

/*
 * SIGTERM to an MCP acts as on Linux (the guest's `timeout` relies on
 * it): with the default action it kills, whether the vcores spin in user
 * space or nap with asynchronous calls in flight; with a handler (which
 * cannot run on a vcore) it stays pending and SIGKILL still kills.
 */
static void t_kill_term(void)
{
	int maxv = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	int st = 0, pfd[2];
	pid_t pid;
	uint64_t t0;

	pid = fork();
	if (pid == 0) {
		become_mcp(maxv);
		for (int i = 0; i < 2 * maxv; i++)
			uthread_create(forever, NULL, "forever");
		forever(NULL);
	}
	usleep(500000);
	t0 = now_ns();
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	CHECK("term-spinning", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM &&
	      now_ns() - t0 < 2000000000ULL, "status %x after %llu ms", st,
	      (unsigned long long)((now_ns() - t0) / 1000000));
	if (pipe(pfd))
		_exit(93);
	pid = fork();
	if (pid == 0) {
		char c;

		become_mcp(1);
		close(pfd[1]);
		(void)read(pfd[0], &c, 1);	/* async: a worker waits, the vcore naps */
		_exit(1);
	}
	close(pfd[0]);
	usleep(500000);
	t0 = now_ns();
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	close(pfd[1]);
	CHECK("term-idle", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM &&
	      now_ns() - t0 < 2000000000ULL, "status %x after %llu ms", st,
	      (unsigned long long)((now_ns() - t0) / 1000000));
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, term_noop);
		become_mcp(1);
		forever(NULL);
	}
	usleep(500000);
	kill(pid, SIGTERM);
	usleep(300000);
	t0 = waitpid(pid, &st, WNOHANG) == 0;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK("term-handled", t0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "alive after SIGTERM %d, status %x", (int)t0, st);
}

static void t_kill(void)
{
	int maxv = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	int st = 0;
	pid_t pid = fork();
	uint64_t t0;

	if (pid == 0) {
		become_mcp(maxv);
		for (int i = 0; i < 2 * maxv; i++)
			uthread_create(forever, NULL, "forever");
		forever(NULL);
	}
	usleep(500000);
	t0 = now_ns();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK("kill-prompt", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL &&
	      now_ns() - t0 < 2000000000ULL, "status %x after %llu ms", st,
	      (unsigned long long)((now_ns() - t0) / 1000000));
	/* exit from a uthread while others spin */
	pid = fork();
	if (pid == 0) {
		become_mcp(maxv);
		for (int i = 0; i < 2 * maxv; i++)
			uthread_create(forever, NULL, "forever");
		/* block this vcore in the kernel a while (the others spin), then exit */
		syscall2(SYS_nanosleep, (long)&(struct timespec){ 0, 100000000 }, 0);
		exit(7);
	}
	waitpid(pid, &st, 0);
	CHECK("exit-clean", WIFEXITED(st) && WEXITSTATUS(st) == 7, "status %x", st);
	/* the cores came back: a new MCP gets them all */
	pid = fork();
	if (pid == 0)
		_exit(become_mcp(maxv) == maxv ? 0 : 1);
	waitpid(pid, &st, 0);
	CHECK("cores-returned", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %x", st);
	t_kill_term();
}

/* ---- fuzz: random calls and garbage in the shared pages, in children */
static void fuzz_child(unsigned seed)
{
	srand(seed);
	if (rand() % 4 == 0)
		_exit(0);
	syscall0(SYS_mcp_map_pages);
	for (int i = 0; i < 200; i++) {
		switch (rand() % 8) {
		case 0:
			__procdata->res_req_vcores = (uint32_t)rand();
			syscall0(SYS_poke_ksched);
			break;
		case 1:
			syscall3(SYS_vcore_notify, rand() % 40 - 4, rand(), rand());
			break;
		case 2:
			syscall4(SYS_vcore_preempt, 0, rand() % 20, rand() % 5,
				 rand() % 2 ? rand() : (long)rand() << 20);
			break;
		case 3:
			syscall1(SYS_vcore_yield, rand() % 3);
			break;
		case 4: {
			/* scribble over a vcpd: flags, contexts, mailbox indexes */
			volatile uint64_t *w = (volatile uint64_t *)&__procdata->vcpd[rand() %
										     MCP_MAX_VCORES];
			for (int k = 0; k < 64; k++)
				w[rand() % 800] = ((uint64_t)rand() << 32) | (uint64_t)rand();
			break;
		}
		case 5:
			__procdata->vcore_entry = rand() % 2 ? (uint64_t)rand() : (uint64_t)fuzz_child;
			__procdata->vcpd[0].vcore_stack = rand() % 2 ? ((uint64_t)rand() << 16) :
							  0xffff800000000000ULL;
			syscall0(SYS_change_to_m);
			break;
		case 6:
			if (rand() % 10 == 0)
				munmap((void *)MCP_PROCDATA_ADDR, 0x1000 * (1 + rand() % 3));
			break;
		default:
			mprotect((void *)MCP_PROCINFO_ADDR, 4096, PROT_READ | PROT_WRITE);
			memset((void *)MCP_PROCINFO_ADDR, rand(), 64);
			break;
		}
	}
	_exit(0);
}

static void t_fuzz(void)
{
	int dead = 0, fine = 0;

	for (unsigned s = 1; s <= 40; s++) {
		pid_t pid = fork();
		int st = 0;

		if (pid == 0) {
			alarm(10);
			fuzz_child(s);
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st))
			fine++;
		else
			dead++;
	}
	printf("info fuzz: %d children exited, %d were killed\n", fine, dead);
	CHECK("fuzz-kernel-alive", fine + dead == 40, "lost children");
}

/*
 * ---- initrace: parlib_init right after its thread join, 300 times.  The
 * joined thread's CLEARTID wake comes before it leaves the thread list;
 * change_to_m counted it and failed with -EINVAL now and then (soak).
 */
static void t_initrace(void)
{
	int bad = 0, rounds = 300;

	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		int st = 0;

		if (pid == 0) {
			alarm(20);
			_exit(parlib_init(1) ? 2 : 0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			bad++;
	}
	CHECK("initrace", bad == 0, "%d of %d parlib_init calls failed", bad, rounds);
}

/* ---- hold: an MCP that keeps every vcore busy until killed (the monitor ps test) */
static void t_hold(void)
{
	int maxv = max_vcores();
	volatile int stop = 0;

	become_mcp(maxv);
	for (int i = 0; i < maxv; i++)
		uthread_create(spin_until, (void *)&stop, "holder");
	printf("holding %d vcores\n", num_vcores());
	fflush(stdout);
	spin_until((void *)&stop);
}

/* ---- fuzz SYS_mcp_async in an MCP: random calls, numbers, pointers; exit with some in flight */
/*
 * The memory async_fuzz_child lets its fuzzed calls write: its own
 * mapping between two PROT_NONE guard pages, far larger than a pipe
 * holds.  A fuzzed read writes as much as the pipe has (up to 64 KiB,
 * copied there by fuzzed writes) wherever its buffer points, whatever
 * the length says; with 16-byte static buffers that overwrote the .bss
 * behind them, parlib's run queues, sleep list and locks included, and
 * the child spun on a clobbered lock (async-fuzz timed out) or crashed
 * in wake_sleepers.  Only numbers and bytes of this area and of procinfo
 * ever land in it, so no iovec read from it points at the program.
 */
#define FUZZ_AREA	(256 * 1024)

/* A fresh FUZZ_AREA bytes of read-write memory between two guard pages (exits 89 if none). */
static uint8_t *fuzz_area(void)
{
	uint8_t *g = mmap(NULL, FUZZ_AREA + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (g == MAP_FAILED || mprotect(g + 4096, FUZZ_AREA, PROT_READ | PROT_WRITE))
		_exit(89);
	return g + 4096;
}

static void async_fuzz_child(unsigned seed)
{
	static struct mcp_syscall sc[64];	/* the kernel writes only result and flags here */
	uint8_t *area = fuzz_area();
	uint64_t *ts = (uint64_t *)area;	/* a worker may write into it later */
	uint32_t *words = (uint32_t *)(area + 64);
	int fds[2], wfds[2];
	long r;

	srand(seed);
	/* fds: fed by the loop's own writes (non-blocking: they must never block the vcore);
	 * wfds: the pipe the fuzzed writes go to (blocking, so they may wait in a worker) */
	if (pipe(fds) || pipe(wfds) || fcntl(fds[1], F_SETFL, O_NONBLOCK))
		_exit(90);
	become_mcp(1);
	for (int i = 0; i < 400; i++) {
		static const long nums[] = { SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_nanosleep,
					     SYS_clock_nanosleep, SYS_futex, SYS_wait4, SYS_getpid,
					     -1, 5000 };
		static const uint64_t ptrs[] = { 0, 0x1000, 0xffff800000000000ULL, 0x7fffe0000000ULL,
						 (uint64_t)-1 };
		struct mcp_syscall *p = &sc[rand() % 64];

		ts[0] = 0;
		ts[1] = (uint64_t)(rand() % 3000000);

		if (__atomic_load_n(&p->flags, __ATOMIC_ACQUIRE) == 0 && p->num)
			continue;	/* still in flight: the kernel may write it */
		memset(p, 0, sizeof(*p));
		p->num = (uint64_t)nums[rand() % 11];
		for (int a = 0; a < 6; a++) {
			switch (rand() % 4) {
			case 0:
				p->args[a] = ptrs[rand() % 5];
				break;
			case 1:
				p->args[a] = (uint64_t)(rand() % 2 ? (void *)ts : (void *)&words[rand() % 4]);
				break;
			case 2:
				p->args[a] = (uint64_t)(3 + rand() % 6);	/* the pipes' ends or nothing */
				break;
			default:
				p->args[a] = (uint64_t)rand() % 4;
			}
		}
		if (p->num == SYS_write || p->num == SYS_writev)
			p->args[0] = (uint64_t)wfds[1];	/* never the console */
		r = syscall1(SYS_mcp_async, (long)p);
		if (r != 0 && r != MCP_ASYNC_INPROGRESS && r != -EINVAL && r != -EAGAIN &&
		    r != -EFAULT)
			_exit(91);
		if (r != MCP_ASYNC_INPROGRESS)
			p->num = 0;
		if (rand() % 8 == 0)
			syscall3(SYS_write, fds[1], (long)"zz", 2);
		if (rand() % 16 == 0)
			uthread_sleep_ns(1000000);
	}
	exit(4);	/* with whatever is still in flight */
}

static void t_async_fuzz(void)
{
	int ok = 0;

	for (unsigned s = 1; s <= 12; s++) {
		pid_t pid = fork();
		int st = 0;

		if (pid == 0)
			async_fuzz_child(s);
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 4)
			ok++;
		else
			printf("info async-fuzz seed %u: status %x\n", s, st);
	}
	CHECK("async-fuzz", ok == 12, "%d of 12 children ended as they should", ok);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "hold", t_hold },
	{ "basic", t_basic }, { "sum", t_sum }, { "pingpong", t_pingpong }, { "mutex", t_mutex },
	{ "blockread", t_blockread }, { "yield", t_yield }, { "notify", t_notify },
	{ "preempt", t_preempt }, { "preempt-ext", t_preempt_ext }, { "deny", t_deny },
	{ "preempt-warn", t_preempt_warn }, { "notify-offline", t_notify_offline },
	{ "tls", t_tls }, { "fair", t_fair }, { "dbg", t_dbg }, { "kill", t_kill },
	{ "fuzz", t_fuzz }, { "initrace", t_initrace },
	{ "async-sleep", t_async_sleep }, { "async-futex", t_async_futex },
	{ "async-wait", t_async_wait }, { "async-pipe", t_async_pipe },
	{ "async-many", t_async_many }, { "async-kill", t_async_kill },
	{ "async-efault", t_async_efault }, { "async-fuzz", t_async_fuzz },
	{ "async-notifsoff", t_async_notifsoff },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (argc > 1 && !strcmp(argv[1], tests[i].name)) {
			tests[i].fn();
			fflush(stdout);
			_exit(failures ? 1 : 0);
		}
	fprintf(stderr, "usage: mcp_test NAME\n");
	return 2;
}
