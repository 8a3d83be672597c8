/*
 * misc: the remaining process-information syscalls - uname fields,
 * getrandom, sched_getaffinity/sched_yield, sysinfo, prlimit64/getrlimit
 * (including EMFILE once RLIMIT_NOFILE is lowered), uid/gid calls,
 * arch_prctl, set_tid_address and the auxiliary vector glibc reads
 * (AT_PAGESZ, AT_CLKTCK, AT_RANDOM, AT_PHDR, ...).  Checks are about
 * existence and consistency, never machine-specific values, so the output
 * is the same on host Linux and on our kernel.
 */
#include "tprog.h"

#include <asm/prctl.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static void *volatile bad_ptr = (void *)1;

static int field_ok(const char *s, size_t len)
{
	return s[0] != '\0' && memchr(s, '\0', len) != NULL;
}

static void test_uname(void)
{
	struct utsname u;

	CHECK_OK("uname", uname(&u));
	CHECK("uname-sysname", field_ok(u.sysname, sizeof(u.sysname)),
	      "empty");
	CHECK("uname-nodename", memchr(u.nodename, '\0', sizeof(u.nodename))
	      != NULL, "unterminated");
	CHECK("uname-release", field_ok(u.release, sizeof(u.release)) &&
	      u.release[0] >= '0' && u.release[0] <= '9', "release '%s'",
	      u.release);
	CHECK("uname-version", field_ok(u.version, sizeof(u.version)),
	      "empty");
	CHECK("uname-machine", strcmp(u.machine, "x86_64") == 0,
	      "machine '%s'", u.machine);
	CHECK_ERR("uname-efault", syscall(SYS_uname, bad_ptr), EFAULT);
}

static void test_random(void)
{
	unsigned char a[32], b[32], zero[32] = { 0 };

	CHECK_EQ("getrandom", getrandom(a, sizeof(a), 0), 32);
	CHECK_EQ("getrandom-nonblock", getrandom(b, sizeof(b), GRND_NONBLOCK),
		 32);
	CHECK("getrandom-nonzero", memcmp(a, zero, 32) != 0, "all zero");
	CHECK("getrandom-differs", memcmp(a, b, 32) != 0, "same bytes twice");
	CHECK_EQ("getrandom-zero-len", getrandom(a, 0, 0), 0);
	CHECK_ERR("getrandom-einval", getrandom(a, 8, 0x4000), EINVAL);
	CHECK_ERR("getrandom-efault", getrandom(bad_ptr, 8, 0), EFAULT);
	{
		int fd = open("/dev/urandom", O_RDONLY);

		CHECK("dev-urandom", fd >= 0 && read(fd, a, 16) == 16,
		      "errno %d", errno);
		close(fd);
	}
}

/*
 * Pin the caller to each CPU of all in turn: it must be running there when
 * sched_setaffinity returns, read the mask back, and pass it to a fork
 * child.  Then the bad masks, and the original mask back.
 */
static void test_pinning(const cpu_set_t *all)
{
	cpu_set_t one, got;
	int moved = 1, readback = 1, cpu = -1;
	pid_t pid;
	int st;

	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, all))
			continue;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		if (sched_setaffinity(0, sizeof(one), &one) || sched_getcpu() != c)
			moved = 0;
		if (sched_getaffinity(0, sizeof(got), &got) || !CPU_EQUAL(&got, &one))
			readback = 0;
		cpu = c;
	}
	CHECK("sched_setaffinity-moves", moved, "not on the CPU it was pinned to");
	CHECK("sched_setaffinity-readback", readback, "mask read back differs");
	pid = fork();
	if (pid == 0) {
		CPU_ZERO(&got);
		sched_getaffinity(0, sizeof(got), &got);
		_exit(CPU_COUNT(&got) == 1 && CPU_ISSET(cpu, &got) && sched_getcpu() == cpu ? 0 : 1);
	}
	CHECK("sched_setaffinity-inherited", pid > 0 && waitpid(pid, &st, 0) == pid &&
	      WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw another mask");
	CPU_ZERO(&one);
	CHECK_ERR("sched_setaffinity-empty", sched_setaffinity(0, sizeof(one), &one), EINVAL);
	CPU_SET(CPU_SETSIZE - 1, &one);
	CHECK_ERR("sched_setaffinity-offline", sched_setaffinity(0, sizeof(one), &one), EINVAL);
	CHECK_ERR("sched_setaffinity-esrch", sched_setaffinity(0x3ffffff0, sizeof(one), all), ESRCH);
	CHECK_ERR("sched_setaffinity-efault", syscall(SYS_sched_setaffinity, 0, sizeof(one),
						      (void *)8), EFAULT);
	CHECK_OK("sched_setaffinity-restore", sched_setaffinity(0, sizeof(*all), all));
	CHECK("sched_getaffinity-restored", !sched_getaffinity(0, sizeof(got), &got) &&
	      CPU_EQUAL(&got, all), "mask not restored");
}

static void test_sched(void)
{
	cpu_set_t set;
	long n;
	int count;

	CPU_ZERO(&set);
	CHECK_OK("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set));
	count = CPU_COUNT(&set);
	CHECK("sched_getaffinity-count", count >= 1 &&
	      count <= sysconf(_SC_NPROCESSORS_CONF), "count %d", count);
	n = syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	CHECK("sched_getaffinity-raw-size", n > 0 && n % 8 == 0 &&
	      n <= (long)sizeof(set), "returned %ld", n);
	CHECK_ERR("sched_getaffinity-einval", syscall(SYS_sched_getaffinity,
						       0, 1, &set), EINVAL);
	CHECK_ERR("sched_getaffinity-esrch", sched_getaffinity(0x3ffffff0,
							      sizeof(set),
							      &set), ESRCH);
	test_pinning(&set);
	CHECK_OK("sched_yield", sched_yield());
	CHECK("nprocs-onln", sysconf(_SC_NPROCESSORS_ONLN) >= 1, "none");
}

static void test_sysinfo(void)
{
	struct sysinfo si;

	CHECK_OK("sysinfo", sysinfo(&si));
	CHECK("sysinfo-uptime", si.uptime > 0, "uptime %ld", si.uptime);
	CHECK("sysinfo-ram", si.totalram > 0 && si.freeram <= si.totalram &&
	      si.mem_unit >= 1, "total %lu free %lu unit %u", si.totalram,
	      si.freeram, si.mem_unit);
	CHECK("sysinfo-procs", si.procs >= 1, "procs %u", si.procs);
	CHECK_ERR("sysinfo-efault", syscall(SYS_sysinfo, bad_ptr), EFAULT);
}

static void test_rlimit(void)
{
	struct rlimit old, cur, lim;
	int fds[8], n = 0, fd;

	CHECK_OK("getrlimit-nofile", getrlimit(RLIMIT_NOFILE, &old));
	CHECK("rlimit-nofile-sane", old.rlim_cur >= 16 &&
	      old.rlim_cur <= old.rlim_max, "cur %llu", (unsigned long long)
	      old.rlim_cur);
	lim.rlim_cur = 8;
	lim.rlim_max = old.rlim_max;
	CHECK_OK("prlimit-set", prlimit(0, RLIMIT_NOFILE, &lim, &cur));
	CHECK("prlimit-old", cur.rlim_cur == old.rlim_cur, "old differs");
	getrlimit(RLIMIT_NOFILE, &cur);
	CHECK_EQ("prlimit-applied", cur.rlim_cur, 8);
	while ((fd = open("/dev/null", O_RDONLY)) >= 0 && n < 8)
		fds[n++] = fd;
	CHECK("open-emfile", fd < 0 && errno == EMFILE, "fd %d errno %d", fd,
	      errno);
	CHECK_ERR("dup-emfile", dup(0), EMFILE);
	while (n > 0)
		close(fds[--n]);
	CHECK_OK("prlimit-restore", setrlimit(RLIMIT_NOFILE, &old));
	lim.rlim_cur = old.rlim_max;
	lim.rlim_max = old.rlim_max == RLIM_INFINITY ? RLIM_INFINITY :
		       old.rlim_max - 1;
	if (old.rlim_max != RLIM_INFINITY)
		CHECK_ERR("setrlimit-cur-gt-max", setrlimit(RLIMIT_NOFILE, &lim),
			  EINVAL);
	else
		CHECK("setrlimit-cur-gt-max", 1, "-");
	CHECK_OK("getrlimit-stack", getrlimit(RLIMIT_STACK, &cur));
	CHECK_OK("getrlimit-as", getrlimit(RLIMIT_AS, &cur));
	CHECK_ERR("getrlimit-einval", getrlimit(99, &cur), EINVAL);
	CHECK_ERR("prlimit-esrch", prlimit(0x3ffffff0, RLIMIT_NOFILE, NULL,
					   &cur), ESRCH);
}

static void test_ids(void)
{
	unsigned long fs = 0;

	CHECK_EQ("getuid-geteuid", getuid(), geteuid());
	CHECK_EQ("getgid-getegid", getgid(), getegid());
	CHECK_OK("setuid-self", setuid(getuid()));
	CHECK_OK("setgid-self", setgid(getgid()));
	CHECK_OK("arch_prctl-get-fs", syscall(SYS_arch_prctl, ARCH_GET_FS,
					      &fs));
	CHECK("arch_prctl-fs-set", fs != 0, "fs base is 0");
	CHECK_ERR("arch_prctl-einval", syscall(SYS_arch_prctl, 0x9999, 0),
		  EINVAL);
	CHECK_EQ("set_tid_address", syscall(SYS_set_tid_address, NULL),
		 syscall(SYS_gettid));
}

static void test_auxv(void)
{
	static const struct {
		unsigned long type;
		const char *name;
	} need[] = {
		{ AT_PHDR, "AT_PHDR" }, { AT_PHENT, "AT_PHENT" },
		{ AT_PHNUM, "AT_PHNUM" }, { AT_PAGESZ, "AT_PAGESZ" },
		{ AT_ENTRY, "AT_ENTRY" }, { AT_RANDOM, "AT_RANDOM" },
		{ AT_EXECFN, "AT_EXECFN" }, { AT_CLKTCK, "AT_CLKTCK" },
		{ AT_HWCAP, "AT_HWCAP" }, { AT_UID, "AT_UID" },
	};
	char name[64];

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		unsigned long v;

		errno = 0;
		v = getauxval(need[i].type);
		snprintf(name, sizeof(name), "auxv-%s", need[i].name);
		CHECK(name, errno == 0 && (v != 0 || need[i].type == AT_UID ||
					   need[i].type == AT_HWCAP),
		      "value %#lx errno %d", v, errno);
	}
	CHECK_EQ("auxv-pagesz-4096", getauxval(AT_PAGESZ), 4096);
	CHECK_EQ("auxv-clktck-100", getauxval(AT_CLKTCK), 100);
	CHECK_EQ("auxv-phent", getauxval(AT_PHENT), 56);
	CHECK_EQ("auxv-secure-0", getauxval(AT_SECURE), 0);
	CHECK_EQ("auxv-uid", getauxval(AT_UID), getuid());
	CHECK_EQ("sysconf-pagesize", sysconf(_SC_PAGESIZE), 4096);
}

int main(void)
{
	tp_init();
	test_uname();
	test_random();
	test_sched();
	test_sysinfo();
	test_rlimit();
	test_ids();
	test_auxv();
	return TP_SUMMARY();
}
