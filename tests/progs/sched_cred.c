/*
 * sched_cred: per-process settings that programs query or change before
 * they start working - personality (gdb sets ADDR_NO_RANDOMIZE before
 * running an inferior; inherited by fork and exec), the sched_* policy
 * calls (SCHED_OTHER/BATCH/IDLE, priority ranges, the EINVAL/ESRCH/EPERM
 * rules) and setfsuid/setfsgid (the ids file permission checks use).
 * SCHED_FIFO/RR are only tried unprivileged, where both kernels refuse
 * them.  Unprivileged rules run in a child that drops to uid 65534 and
 * reports through its exit status.
 */
#include "tprog.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/fsuid.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void *volatile bad_ptr = (void *)1;

/* Run fn in a child and return its exit status (-1 if it did not exit). */
static int in_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Drop to the nobody ids (uid/gid 65534); 0 on success. */
static int drop_privs(void)
{
	return setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534);
}

/* The raw personality call (glibc returns an int). */
static long persona(unsigned long p)
{
	return syscall(SYS_personality, p);
}

/* Child: the personality set by the parent is inherited. */
static int child_persona(void)
{
	/* Inherited from the parent, which set ADDR_NO_RANDOMIZE. */
	return persona(0xffffffff) == ADDR_NO_RANDOMIZE ? 0 : 1;
}

static void test_personality(void)
{
	long old = persona(0xffffffff);

	CHECK_EQ("personality-default", old, PER_LINUX);
	CHECK_EQ("personality-set", persona(ADDR_NO_RANDOMIZE), PER_LINUX);
	CHECK_EQ("personality-query", persona(0xffffffff), ADDR_NO_RANDOMIZE);
	CHECK_EQ("personality-fork", in_child(child_persona), 0);
	CHECK_EQ("personality-glibc", personality(0xffffffff), ADDR_NO_RANDOMIZE);
	CHECK_EQ("personality-set2", persona(PER_LINUX32 | UNAME26), ADDR_NO_RANDOMIZE);
	CHECK_EQ("personality-get2", persona(0xffffffff), PER_LINUX32 | UNAME26);
	/* Linux stores any value (no check of the type in the low byte). */
	CHECK_EQ("personality-any", persona(0x12345678), PER_LINUX32 | UNAME26);
	CHECK_EQ("personality-any-get", persona(0x80000000), 0x12345678);
	CHECK_EQ("personality-high-bit", persona(0xffffffff), 0x80000000L);
	CHECK_EQ("personality-restore", persona(PER_LINUX), 0x80000000L);
	CHECK_EQ("personality-final", persona(0xffffffff), PER_LINUX);
}

static void test_sched_ranges(void)
{
	CHECK_EQ("prio-max-other", sched_get_priority_max(SCHED_OTHER), 0);
	CHECK_EQ("prio-min-other", sched_get_priority_min(SCHED_OTHER), 0);
	CHECK_EQ("prio-max-batch", sched_get_priority_max(SCHED_BATCH), 0);
	CHECK_EQ("prio-min-idle", sched_get_priority_min(SCHED_IDLE), 0);
	CHECK_EQ("prio-max-fifo", sched_get_priority_max(SCHED_FIFO), 99);
	CHECK_EQ("prio-min-fifo", sched_get_priority_min(SCHED_FIFO), 1);
	CHECK_EQ("prio-max-rr", sched_get_priority_max(SCHED_RR), 99);
	CHECK_EQ("prio-min-rr", sched_get_priority_min(SCHED_RR), 1);
	CHECK_ERR("prio-max-bad", sched_get_priority_max(4), EINVAL);
	CHECK_ERR("prio-min-bad", sched_get_priority_min(-1), EINVAL);
	CHECK_ERR("prio-max-bad2", sched_get_priority_max(100), EINVAL);
}

/* Child: sched_setscheduler rules after dropping root; a bit mask of failures. */
static int child_sched_unpriv(void)
{
	struct sched_param sp = { .sched_priority = 10 };
	int bad = 0;

	if (drop_privs())
		return 100;
	/* FIFO/RR need CAP_SYS_NICE (RLIMIT_RTPRIO is 0). */
	errno = 0;
	if (sched_setscheduler(0, SCHED_FIFO, &sp) != -1 || errno != EPERM)
		bad |= 1;
	errno = 0;
	if (sched_setscheduler(0, SCHED_RR, &sp) != -1 || errno != EPERM)
		bad |= 2;
	/* Priority checks come before the permission check. */
	sp.sched_priority = 0;
	errno = 0;
	if (sched_setscheduler(0, SCHED_FIFO, &sp) != -1 || errno != EINVAL)
		bad |= 4;
	/* BATCH is allowed; the process keeps it. */
	if (sched_setscheduler(0, SCHED_BATCH, &sp) != 0 ||
	    sched_getscheduler(0) != SCHED_BATCH)
		bad |= 8;
	/* Root's processes are someone else's: EPERM. */
	errno = 0;
	if (sched_setscheduler(1, SCHED_OTHER, &sp) != -1 || errno != EPERM)
		bad |= 16;
	/* Leaving SCHED_IDLE needs RLIMIT_NICE (0 here). */
	if (sched_setscheduler(0, SCHED_IDLE, &sp) != 0)
		bad |= 32;
	errno = 0;
	if (sched_setscheduler(0, SCHED_OTHER, &sp) != -1 || errno != EPERM)
		bad |= 64;
	return bad;
}

/* Child: the policy is inherited by fork. */
static int child_sched_fork(void)
{
	return sched_getscheduler(0) == SCHED_BATCH ? 0 : 1;
}

static void test_sched_policy(void)
{
	struct sched_param sp = { .sched_priority = 0 };
	struct timespec ts;

	CHECK_EQ("getscheduler-self", sched_getscheduler(0), SCHED_OTHER);
	CHECK_EQ("getscheduler-pid", sched_getscheduler(getpid()), SCHED_OTHER);
	CHECK_ERR("getscheduler-neg", sched_getscheduler(-1), EINVAL);
	CHECK_ERR("getscheduler-esrch", sched_getscheduler(999999), ESRCH);
	sp.sched_priority = 7;
	CHECK_OK("getparam", sched_getparam(0, &sp));
	CHECK_EQ("getparam-prio", sp.sched_priority, 0);
	CHECK_ERR("getparam-neg", sched_getparam(-5, &sp), EINVAL);
	CHECK_ERR("getparam-null", syscall(SYS_sched_getparam, 0, NULL), EINVAL);
	CHECK_ERR("getparam-efault", syscall(SYS_sched_getparam, 0, bad_ptr), EFAULT);
	CHECK_ERR("getparam-esrch", sched_getparam(999999, &sp), ESRCH);

	sp.sched_priority = 0;
	CHECK_OK("setscheduler-batch", sched_setscheduler(0, SCHED_BATCH, &sp));
	CHECK_EQ("getscheduler-batch", sched_getscheduler(0), SCHED_BATCH);
	CHECK_EQ("sched-fork-inherits", in_child(child_sched_fork), 0);
	CHECK_OK("setscheduler-idle", sched_setscheduler(0, SCHED_IDLE, &sp));
	CHECK_EQ("getscheduler-idle", sched_getscheduler(0), SCHED_IDLE);
	CHECK_OK("setparam-keeps-policy", sched_setparam(0, &sp));
	CHECK_EQ("getscheduler-idle2", sched_getscheduler(0), SCHED_IDLE);
	CHECK_OK("setscheduler-other", sched_setscheduler(0, SCHED_OTHER, &sp));
	CHECK_EQ("getscheduler-other", sched_getscheduler(0), SCHED_OTHER);
	CHECK_OK("setscheduler-reset-on-fork",
		 sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp));
	CHECK_EQ("getscheduler-reset-flag", sched_getscheduler(0),
		 SCHED_OTHER | SCHED_RESET_ON_FORK);
	CHECK_OK("setscheduler-clear-flag", sched_setscheduler(0, SCHED_OTHER, &sp));
	CHECK_EQ("getscheduler-flag-cleared", sched_getscheduler(0), SCHED_OTHER);

	sp.sched_priority = 1;
	CHECK_ERR("setscheduler-other-prio", sched_setscheduler(0, SCHED_OTHER, &sp),
		  EINVAL);
	CHECK_ERR("setparam-other-prio", sched_setparam(0, &sp), EINVAL);
	sp.sched_priority = 100;
	CHECK_ERR("setscheduler-fifo-100", sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL);
	sp.sched_priority = 0;
	CHECK_ERR("setscheduler-fifo-0", sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL);
	CHECK_ERR("setscheduler-bad-policy", sched_setscheduler(0, 4, &sp), EINVAL);
	CHECK_ERR("setscheduler-neg-policy", sched_setscheduler(0, -1, &sp), EINVAL);
	CHECK_ERR("setscheduler-neg-pid", sched_setscheduler(-1, SCHED_OTHER, &sp), EINVAL);
	CHECK_ERR("setscheduler-null", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL),
		  EINVAL);
	CHECK_ERR("setscheduler-efault",
		  syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, bad_ptr), EFAULT);
	CHECK_ERR("setscheduler-esrch", sched_setscheduler(999999, SCHED_OTHER, &sp), ESRCH);
	CHECK_ERR("setparam-esrch", sched_setparam(999999, &sp), ESRCH);
	CHECK_ERR("setparam-neg", sched_setparam(-1, &sp), EINVAL);
	CHECK_EQ("sched-unprivileged", in_child(child_sched_unpriv), 0);

	CHECK_OK("rr-interval", sched_rr_get_interval(0, &ts));
	CHECK("rr-interval-sane", ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000,
	      "%ld.%09ld", (long)ts.tv_sec, ts.tv_nsec);
	CHECK_ERR("rr-interval-neg", sched_rr_get_interval(-1, &ts), EINVAL);
	CHECK_ERR("rr-interval-esrch", sched_rr_get_interval(999999, &ts), ESRCH);
	CHECK_ERR("rr-interval-efault", syscall(SYS_sched_rr_get_interval, 0, bad_ptr),
		  EFAULT);
}

/* Child: setfsuid/setfsgid refuse silently after dropping root. */
static int child_fsuid_unpriv(void)
{
	int bad = 0;

	if (drop_privs())
		return 100;
	/* Not allowed: nothing changes, the current fsuid comes back. */
	if (setfsuid(0) != 65534 || setfsuid(-1) != 65534)
		bad |= 1;
	if (setfsgid(0) != 65534 || setfsgid(-1) != 65534)
		bad |= 2;
	return bad;
}

/* The 4th (filesystem) id of the "Uid:" or "Gid:" line of /proc/self/status, -1 if absent. */
static long status_fsid(const char *key)
{
	char line[256];
	long r = -1, a, b, c, d;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0 &&
		    sscanf(line + strlen(key), "%ld %ld %ld %ld", &a, &b, &c, &d) == 4)
			r = d;
	if (f)
		fclose(f);
	return r;
}

static void test_fsuid(void)
{
	struct stat st;
	int fd;

	chmod(".", 0777);
	CHECK_EQ("setfsuid-query", setfsuid(-1), 0);
	CHECK_EQ("setfsuid-set", setfsuid(1234), 0);
	CHECK_EQ("setfsuid-get", setfsuid(-1), 1234);
	CHECK_EQ("setfsgid-set", setfsgid(4321), 0);
	CHECK_EQ("setfsgid-get", setfsgid(-1), 4321);
	CHECK_EQ("fsuid-not-euid", geteuid(), 0);
	CHECK_EQ("fsuid-proc-status", status_fsid("Uid:"), 1234);
	CHECK_EQ("fsgid-proc-status", status_fsid("Gid:"), 4321);
	fd = open("owned", O_CREAT | O_WRONLY | O_EXCL, 0600);
	CHECK_OK("fsuid-create", fd);
	if (fd >= 0)
		close(fd);
	CHECK_OK("fsuid-stat", stat("owned", &st));
	CHECK_EQ("fsuid-owner", st.st_uid, 1234);
	CHECK_EQ("fsuid-group", st.st_gid, 4321);
	fd = open("rootonly", O_CREAT | O_WRONLY | O_EXCL, 0600);
	CHECK_EQ("fsuid-back-to-root", setfsuid(0), 1234);
	CHECK_EQ("fsgid-back-to-root", setfsgid(0), 4321);
	if (fd >= 0)
		close(fd);
	fd = open("rootonly2", O_CREAT | O_WRONLY | O_EXCL, 0600);
	CHECK_OK("fsuid-root-create", fd);
	if (fd >= 0)
		close(fd);
	setfsuid(1234);
	CHECK_ERR("fsuid-eacces", open("rootonly2", O_RDONLY), EACCES);
	/* setresuid resets the fsuid to the new effective uid. */
	CHECK_OK("fsuid-setresuid", setresuid(-1, 0, -1));
	CHECK_EQ("fsuid-follows-euid", setfsuid(-1), 0);
	CHECK_EQ("fsuid-unprivileged", in_child(child_fsuid_unpriv), 0);
}

int main(void)
{
	char dir[256];

	tp_init();
	tp_scratch(dir, sizeof(dir));
	test_personality();
	test_sched_ranges();
	test_sched_policy();
	test_fsuid();
	chdir("/");
	tp_rmtree(dir);
	return TP_SUMMARY();
}
