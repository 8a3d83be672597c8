/*
 * threads: POSIX threads on glibc (clone with the pthread_create flags,
 * futexes, CLONE_CHILD_CLEARTID joins, robust lists, per-thread signals).
 * Every check prints a fixed line, so the output is the same on the host
 * and on our kernel, on one CPU or several.
 */
#include "tprog.h"
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>

#define NTHREADS	4
#define INCS		20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *inc_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void test_mutex(void)
{
	pthread_t t[NTHREADS];
	int ok = 1;

	for (int i = 0; i < NTHREADS; i++)
		ok &= pthread_create(&t[i], NULL, inc_worker, NULL) == 0;
	for (int i = 0; i < NTHREADS; i++)
		ok &= pthread_join(t[i], NULL) == 0;
	CHECK("mutex create/join", ok, "create or join failed");
	CHECK("mutex counter", counter == NTHREADS * INCS, "counter %ld", counter);
}

static __thread int tls_var = 7;

static void *tls_worker(void *arg)
{
	long id = (long)arg;
	int first = tls_var;

	tls_var = (int)id * 100;
	sched_yield();
	return (void *)(long)(first == 7 && tls_var == (int)id * 100);
}

static void test_tls_join(void)
{
	pthread_t t[NTHREADS];
	int ok = 1;

	tls_var = 1;
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, tls_worker, (void *)(i + 1));
	for (int i = 0; i < NTHREADS; i++) {
		void *r;

		pthread_join(t[i], &r);
		ok &= r == (void *)1;
	}
	CHECK("tls per thread", ok && tls_var == 1, "tls mixed up (main %d)", tls_var);
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn, pings;

static void *pong(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&cv_lock);
		while (turn != 1)
			pthread_cond_wait(&cv, &cv_lock);
		turn = 0;
		pings++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&cv_lock);
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t t;
	struct timespec ts;
	int r;

	pthread_create(&t, NULL, pong, NULL);
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&cv_lock);
		turn = 1;
		pthread_cond_broadcast(&cv);
		while (turn != 0)
			pthread_cond_wait(&cv, &cv_lock);
		pthread_mutex_unlock(&cv_lock);
	}
	pthread_join(t, NULL);
	CHECK("condvar ping-pong", pings == 500, "pings %d", pings);

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&cv_lock);
	r = pthread_cond_timedwait(&cv, &cv_lock, &ts);
	pthread_mutex_unlock(&cv_lock);
	CHECK("cond_timedwait times out", r == ETIMEDOUT, "returned %d", r);
}

static pthread_barrier_t barrier;
static int phase_counts[3];

static void *barrier_worker(void *arg)
{
	int serial = 0;

	(void)arg;
	for (int ph = 0; ph < 3; ph++) {
		__atomic_fetch_add(&phase_counts[ph], 1, __ATOMIC_SEQ_CST);
		if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
			serial++;
		/* Everyone must have arrived at this phase before anyone passes. */
		if (__atomic_load_n(&phase_counts[ph], __ATOMIC_SEQ_CST) != NTHREADS)
			return (void *)-1L;
	}
	return (void *)(long)serial;
}

static void test_barrier(void)
{
	pthread_t t[NTHREADS];
	long serials = 0;
	int bad = 0;

	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, barrier_worker, NULL);
	for (int i = 0; i < NTHREADS; i++) {
		void *r;

		pthread_join(t[i], &r);
		if ((long)r < 0)
			bad++;
		else
			serials += (long)r;
	}
	pthread_barrier_destroy(&barrier);
	CHECK("barrier phases", !bad && serials == 3, "bad %d serials %ld", bad, serials);
}

static void *cancel_worker(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int cleanup_ran;

static void cleanup(void *arg)
{
	(void)arg;
	cleanup_ran = 1;
}

static void *cancel_cond_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	pthread_cleanup_push(cleanup, NULL);
	for (;;)
		pthread_cond_wait(&cv, &cv_lock);
	pthread_cleanup_pop(0);
	return NULL;
}

static void test_cancel(void)
{
	pthread_t t;
	void *r = NULL;

	pthread_create(&t, NULL, cancel_worker, NULL);
	usleep(20000);
	pthread_cancel(t);
	pthread_join(t, &r);
	CHECK("cancel in pause", r == PTHREAD_CANCELED, "join value %p", r);

	r = NULL;
	pthread_create(&t, NULL, cancel_cond_worker, NULL);
	usleep(20000);
	pthread_cancel(t);
	pthread_join(t, &r);
	/* The cancelled waiter reacquired the mutex; the cleanup handler did not unlock it. */
	CHECK("cancel in cond_wait", r == PTHREAD_CANCELED && cleanup_ran, "join value %p cleanup %d",
	      r, cleanup_ran);
	pthread_mutex_unlock(&cv_lock);
}

static pthread_mutex_t robust;

static void *robust_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL;	/* exit holding it */
}

static void test_robust(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	int r;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &a);
	pthread_create(&t, NULL, robust_worker, NULL);
	pthread_join(t, NULL);
	r = pthread_mutex_lock(&robust);
	CHECK("robust mutex owner died", r == EOWNERDEAD, "lock returned %d", r);
	if (r == EOWNERDEAD) {
		pthread_mutex_consistent(&robust);
		pthread_mutex_unlock(&robust);
	}
}

static void test_timedlock(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&m);
	CHECK("trylock busy", pthread_mutex_trylock(&m) == EBUSY, "trylock not busy");
	pthread_mutex_unlock(&m);
}

static void *timedlock_worker(void *arg)
{
	pthread_mutex_t *m = arg;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return (void *)(long)pthread_mutex_timedlock(m, &ts);
}

static void test_timedlock_thread(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_t t;
	void *r;

	pthread_mutex_lock(&m);
	pthread_create(&t, NULL, timedlock_worker, &m);
	pthread_join(t, &r);
	pthread_mutex_unlock(&m);
	CHECK("mutex_timedlock times out", (long)r == ETIMEDOUT, "returned %ld", (long)r);
}

/* Raw futex checks: EAGAIN on a changed value, relative timeout, wake count. */
static void test_raw_futex(void)
{
	static uint32_t word = 5;
	struct timespec rel = { 0, 20 * 1000 * 1000 };
	long r;

	errno = 0;
	r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0);
	CHECK("futex EAGAIN", r == -1 && errno == EAGAIN, "r %ld errno %d", r, errno);
	errno = 0;
	r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0);
	CHECK("futex relative timeout", r == -1 && errno == ETIMEDOUT, "r %ld errno %d", r, errno);
	r = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	CHECK("futex wake nobody", r == 0, "r %ld", r);
	errno = 0;
	r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0);
	CHECK("futex bitset 0 EINVAL", r == -1 && errno == EINVAL, "r %ld errno %d", r, errno);
}

/* Producer/consumer: 4 producers, 4 consumers, a small bounded queue. */
#define QSIZE		8
#define PER_PRODUCER	5000
static int queue[QSIZE], qhead, qtail, qcount;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static long consumed_sum, consumed_n;

static void *producer(void *arg)
{
	long base = (long)arg * PER_PRODUCER;

	for (long i = 1; i <= PER_PRODUCER; i++) {
		pthread_mutex_lock(&qlock);
		while (qcount == QSIZE)
			pthread_cond_wait(&not_full, &qlock);
		queue[qtail] = (int)(base + i);
		qtail = (qtail + 1) % QSIZE;
		qcount++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&qlock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		int v;

		pthread_mutex_lock(&qlock);
		while (qcount == 0)
			pthread_cond_wait(&not_empty, &qlock);
		v = queue[qhead];
		qhead = (qhead + 1) % QSIZE;
		qcount--;
		pthread_cond_signal(&not_full);
		if (v < 0) {
			pthread_mutex_unlock(&qlock);
			return NULL;
		}
		consumed_sum += v;
		consumed_n++;
		pthread_mutex_unlock(&qlock);
	}
}

static void test_prodcons(void)
{
	pthread_t p[4], c[4];
	long want = 0;

	for (long i = 0; i < 4; i++)
		pthread_create(&c[i], NULL, consumer, NULL);
	for (long i = 0; i < 4; i++)
		pthread_create(&p[i], NULL, producer, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < 4; i++) {
		pthread_mutex_lock(&qlock);
		while (qcount == QSIZE)
			pthread_cond_wait(&not_full, &qlock);
		queue[qtail] = -1;
		qtail = (qtail + 1) % QSIZE;
		qcount++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&qlock);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(c[i], NULL);
	for (long i = 1; i <= 4L * PER_PRODUCER; i++)
		want += i;
	CHECK("producer/consumer 8 threads", consumed_n == 4L * PER_PRODUCER && consumed_sum == want,
	      "n %ld sum %ld want %ld", consumed_n, consumed_sum, want);
}

/* Thread-directed signals: tgkill reaches the named thread only. */
static __thread volatile int got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static volatile int sig_stage;

static void *sig_worker(void *arg)
{
	(void)arg;
	__atomic_store_n(&sig_stage, 1, __ATOMIC_SEQ_CST);
	while (!got_usr1)
		sched_yield();
	return (void *)1L;
}

static void test_thread_signal(void)
{
	pthread_t t;
	void *r;

	signal(SIGUSR1, on_usr1);
	pthread_create(&t, NULL, sig_worker, NULL);
	while (!__atomic_load_n(&sig_stage, __ATOMIC_SEQ_CST))
		sched_yield();
	pthread_kill(t, SIGUSR1);
	pthread_join(t, &r);
	CHECK("pthread_kill hits the thread", r == (void *)1L && !got_usr1, "r %p main %d", r,
	      got_usr1);
}

/* exit() from a non-main thread ends the whole process; fork from a threaded process. */
static void *exiter(void *arg)
{
	(void)arg;
	exit(42);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void test_exit_group(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		pthread_t a, b;

		pthread_create(&a, NULL, sleeper, NULL);
		pthread_create(&b, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	CHECK("exit from a thread ends the process", WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "status 0x%x", st);
}

static void *exec_worker(void *arg)
{
	char *argv[] = { "/bin/true", NULL };

	(void)arg;
	execv("/bin/true", argv);
	_exit(99);
}

static void test_exec_threaded(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		pthread_t a, b;

		pthread_create(&a, NULL, sleeper, NULL);
		pthread_create(&b, NULL, exec_worker, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	CHECK("execve from a thread", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status 0x%x", st);
}

static void *detached(void *arg)
{
	__atomic_fetch_add((int *)arg, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_many_threads(void)
{
	int n = 0, ok = 1;

	for (int i = 0; i < 200; i++) {
		pthread_t t;

		ok &= pthread_create(&t, NULL, detached, &n) == 0;
		ok &= pthread_join(t, NULL) == 0;
	}
	CHECK("200 create/join cycles", ok && n == 200, "ok %d n %d", ok, n);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_raw_futex();
	test_mutex();
	test_tls_join();
	test_condvar();
	test_barrier();
	test_timedlock();
	test_timedlock_thread();
	test_robust();
	test_cancel();
	test_thread_signal();
	test_prodcons();
	test_many_threads();
	test_exit_group();
	test_exec_threaded();
	return TP_SUMMARY();
}
