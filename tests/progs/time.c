/*
 * time: clocks and sleeping - clock_gettime/clock_getres for every clock
 * id busybox and glibc use (monotonicity, nanosecond range), BOOTTIME not
 * behind MONOTONIC, CPU-time clocks advancing while we spin, nanosleep and
 * clock_nanosleep (relative and TIMER_ABSTIME, interrupted with EINTR and
 * a remainder), gettimeofday/time agreeing with CLOCK_REALTIME, and the
 * error paths.  Error-path calls use raw syscalls because the host's vDSO
 * would fault on a bad pointer instead of returning EFAULT.  Bounds are
 * loose (TCG is slow) and no time value is ever printed on success.
 */
#include "tprog.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

static const struct {
	clockid_t id;
	const char *name;
	int monotonic;
} clocks[] = {
	{ CLOCK_REALTIME, "realtime", 0 },
	{ CLOCK_MONOTONIC, "monotonic", 1 },
	{ CLOCK_MONOTONIC_RAW, "monotonic-raw", 1 },
	{ CLOCK_BOOTTIME, "boottime", 1 },
	{ CLOCK_PROCESS_CPUTIME_ID, "process-cputime", 1 },
	{ CLOCK_THREAD_CPUTIME_ID, "thread-cputime", 1 },
	{ CLOCK_REALTIME_COARSE, "realtime-coarse", 0 },
	{ CLOCK_MONOTONIC_COARSE, "monotonic-coarse", 1 },
};

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long now_ns(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return ns(&t);
}

static void test_clocks(void)
{
	char name[64];

	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct timespec a, b, res;
		int bad = 0, rc = 0;

		for (int k = 0; k < 1000 && !bad; k++) {
			rc |= clock_gettime(clocks[i].id, &a);
			rc |= clock_gettime(clocks[i].id, &b);
			if (a.tv_nsec < 0 || a.tv_nsec >= 1000000000L ||
			    (clocks[i].monotonic && ns(&b) < ns(&a)))
				bad = 1;
		}
		snprintf(name, sizeof(name), "clock_gettime-%s",
			 clocks[i].name);
		CHECK(name, rc == 0 && !bad, "rc %d bad %d", rc, bad);
		snprintf(name, sizeof(name), "clock_getres-%s", clocks[i].name);
		rc = clock_getres(clocks[i].id, &res);
		CHECK(name, rc == 0 && ns(&res) > 0 && ns(&res) <= 1000000000LL,
		      "rc %d res %lld", rc, ns(&res));
	}
	CHECK("boottime-ge-monotonic", now_ns(CLOCK_BOOTTIME) >=
	      now_ns(CLOCK_MONOTONIC) - 1000000, "boottime behind");
	CHECK("realtime-after-2020", now_ns(CLOCK_REALTIME) / 1000000000LL >
	      1577836800LL, "realtime %lld", now_ns(CLOCK_REALTIME));
	{
		long long c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
		long long t0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		long long m0 = now_ns(CLOCK_MONOTONIC);
		volatile unsigned long spin = 0;

		while (now_ns(CLOCK_MONOTONIC) - m0 < 30000000LL)
			spin++;
		CHECK("process-cputime-advances",
		      now_ns(CLOCK_PROCESS_CPUTIME_ID) > c0, "did not advance");
		CHECK("thread-cputime-advances",
		      now_ns(CLOCK_THREAD_CPUTIME_ID) > t0, "did not advance");
	}
	CHECK_ERR("clock_gettime-einval", syscall(SYS_clock_gettime, 12345,
						  &(struct timespec){ 0 }),
		  EINVAL);
	CHECK_ERR("clock_gettime-efault", syscall(SYS_clock_gettime,
						  CLOCK_MONOTONIC, (void *)1),
		  EFAULT);
	CHECK_ERR("clock_getres-einval", syscall(SYS_clock_getres, 12345,
						 &(struct timespec){ 0 }),
		  EINVAL);
	CHECK_ERR("clock_settime-einval-mono",
		  syscall(SYS_clock_settime, CLOCK_MONOTONIC,
			  &(struct timespec){ 0 }), EINVAL);
}

static void test_wallclock(void)
{
	struct timeval tv;
	struct timespec ts;
	time_t t;

	CHECK_OK("gettimeofday", gettimeofday(&tv, NULL));
	clock_gettime(CLOCK_REALTIME, &ts);
	t = time(NULL);
	CHECK("gettimeofday-usec-range", tv.tv_usec >= 0 &&
	      tv.tv_usec < 1000000, "usec %ld", (long)tv.tv_usec);
	CHECK("gettimeofday-vs-realtime", llabs((long long)ts.tv_sec -
						(long long)tv.tv_sec) <= 1,
	      "%lld vs %lld", (long long)ts.tv_sec, (long long)tv.tv_sec);
	CHECK("time-vs-realtime", llabs((long long)t - (long long)ts.tv_sec) <=
	      1, "%lld vs %lld", (long long)t, (long long)ts.tv_sec);
	CHECK_EQ("time-syscall", llabs((long long)syscall(SYS_time, NULL) -
				       (long long)time(NULL)) <= 1, 1);
	CHECK_ERR("gettimeofday-efault", syscall(SYS_gettimeofday, (void *)1,
						 NULL), EFAULT);
	{
		struct tms tm;

		CHECK("times", times(&tm) != (clock_t)-1, "errno %d", errno);
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_sleep(void)
{
	struct timespec req = { 0, 50000000 }, rem;
	struct sigaction sa;
	long long t0, dt;

	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_OK("nanosleep", nanosleep(&req, NULL));
	dt = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK("nanosleep-duration", dt >= 50000000LL && dt < 5000000000LL,
	      "slept %lld ns", dt);
	t0 = now_ns(CLOCK_MONOTONIC);
	req.tv_nsec = 30000000;
	CHECK_OK("clock_nanosleep", clock_nanosleep(CLOCK_MONOTONIC, 0, &req,
						    NULL) == 0 ? 0 : -1);
	dt = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK("clock_nanosleep-duration", dt >= 30000000LL, "slept %lld", dt);
	{
		struct timespec until;

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += 40000000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_nsec -= 1000000000L;
			until.tv_sec++;
		}
		CHECK_EQ("clock_nanosleep-abstime",
			 clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until,
					 NULL), 0);
		CHECK("clock_nanosleep-abstime-reached",
		      now_ns(CLOCK_MONOTONIC) >= ns(&until), "woke early");
	}
	req.tv_nsec = 1000000000L;
	CHECK_ERR("nanosleep-einval-nsec", nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	CHECK_ERR("nanosleep-einval-neg", nanosleep(&req, NULL), EINVAL);
	CHECK_ERR("nanosleep-efault", syscall(SYS_nanosleep, (void *)1, NULL),
		  EFAULT);
	CHECK_EQ("clock_nanosleep-einval-clock",
		 clock_nanosleep(12345, 0, &(struct timespec){ 0, 1 }, NULL),
		 EINVAL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	{
		struct itimerval it = { { 0, 0 }, { 0, 50000 } };

		setitimer(ITIMER_REAL, &it, NULL);
	}
	req.tv_sec = 3;
	req.tv_nsec = 0;
	CHECK_ERR("nanosleep-eintr", nanosleep(&req, &rem), EINTR);
	CHECK("nanosleep-remainder", ns(&rem) > 0 && ns(&rem) < 3000000000LL,
	      "rem %lld", ns(&rem));
}

int main(void)
{
	tp_init();
	test_clocks();
	test_wallclock();
	test_sleep();
	return TP_SUMMARY();
}
