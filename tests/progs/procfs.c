/*
 * procfs: structure checks of /proc that hold on host Linux and on our
 * kernel alike (values differ, shapes do not): /proc/self, PID/stat
 * fields, status keys, cmdline round trip, exe, maps, cpuinfo count,
 * meminfo, uptime, loadavg, task/ and fd/, and that a non-root process
 * cannot read another user's environ.
 */
#include "tprog.h"
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>

static size_t min_read(size_t n)
{
	return n < 7 ? n : 7;	/* odd small reads: the snapshot must stay consistent */
}

/* Whole file into buf (NUL-terminated) using small reads; length or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len + 1 < cap && (n = read(fd, buf + len, min_read(cap - 1 - len))) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

static char buf[1 << 16];

/* Field n (1-based) of a /proc/PID/stat line (after the comm in parentheses). */
static long long stat_field(const char *line, int n)
{
	const char *p = strrchr(line, ')');
	long long v = 0;

	if (n <= 2 || !p)
		return -1;
	p += 2;			/* state is field 3 */
	for (int i = 3; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	sscanf(p, "%lld", &v);
	return v;
}

static int count_fields(const char *line)
{
	const char *p = strrchr(line, ')');
	int n = 2;

	if (!p)
		return 0;
	for (p++; *p && *p != '\n'; p++)
		if (*p == ' ' && p[1] && p[1] != '\n')
			n++;
	return n;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], link[PATH_MAX], real[PATH_MAX];
	long len;
	ssize_t n;

	tp_init();
	(void)argc;

	n = readlink("/proc/self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK("self-link", n > 0 && atoi(link) == getpid(), "readlink /proc/self = '%s'", link);

	len = slurp("/proc/self/stat", buf, sizeof(buf));
	CHECK("stat-read", len > 0, "len %ld", len);
	CHECK("stat-pid", atoi(buf) == getpid(), "%s", buf);
	CHECK("stat-comm", strstr(buf, "(procfs)") != NULL, "%s", buf);
	CHECK("stat-state", strstr(buf, ") R ") != NULL, "%s", buf);
	CHECK("stat-ppid", stat_field(buf, 4) == getppid(), "%s", buf);
	CHECK("stat-pgrp", stat_field(buf, 5) == getpgrp(), "%s", buf);
	CHECK("stat-52", count_fields(buf) == 52, "%d fields", count_fields(buf));
	CHECK("stat-threads", stat_field(buf, 20) == 1, "%s", buf);
	CHECK("stat-vsize", stat_field(buf, 23) > 0, "%s", buf);

	len = slurp("/proc/self/status", buf, sizeof(buf));
	CHECK("status-name", !strncmp(buf, "Name:\tprocfs\n", 13), "%.40s", buf);
	snprintf(path, sizeof(path), "\nPid:\t%d\n", getpid());
	CHECK("status-pid", strstr(buf, path) != NULL, "no '%s'", path);
	snprintf(path, sizeof(path), "\nPPid:\t%d\n", getppid());
	CHECK("status-ppid", strstr(buf, path) != NULL, "no '%s'", path);
	snprintf(path, sizeof(path), "\nUid:\t%d\t%d\t", getuid(), geteuid());
	CHECK("status-uid", strstr(buf, path) != NULL, "no '%s'", path);
	CHECK("status-keys", strstr(buf, "\nVmRSS:") && strstr(buf, "\nVmSize:") &&
	      strstr(buf, "\nThreads:\t1\n") && strstr(buf, "\nSigBlk:\t") &&
	      strstr(buf, "\nSigIgn:\t") && strstr(buf, "\nSigCgt:\t") &&
	      strstr(buf, "\nState:\tR (running)\n"), "%s", buf);

	len = slurp("/proc/self/cmdline", buf, sizeof(buf));
	{
		long off = 0;
		int i, ok = 1;

		for (i = 0; i < argc && off < len; i++) {
			ok &= !strcmp(buf + off, argv[i]);
			off += (long)strlen(buf + off) + 1;
		}
		CHECK("cmdline", ok && i == argc && off == len, "len %ld", len);
	}

	len = slurp("/proc/self/comm", buf, sizeof(buf));
	CHECK("comm", !strcmp(buf, "procfs\n"), "'%s'", buf);

	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK("exe", n > 0 && realpath(argv[0], real) && !strcmp(link, real),
	      "exe '%s' argv0 '%s'", link, argv[0]);

	len = slurp("/proc/self/maps", buf, sizeof(buf));
	CHECK("maps-stack", strstr(buf, "[stack]\n") != NULL, "%s", buf);
	CHECK("maps-exe", n > 0 && strstr(buf, link) != NULL, "%s", buf);
	CHECK("maps-format", buf[8] == '-' || buf[12] == '-', "%.80s", buf);

	if (getcwd(real, sizeof(real))) {
		n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		CHECK("cwd", n > 0 && !strcmp(link, real), "'%s' vs '%s'", link, real);
	}
	n = readlink("/proc/self/root", link, sizeof(link) - 1);
	CHECK("root", n == 1 && link[0] == '/', "n %zd", n);

	{
		int fd = open("/dev/null", O_RDONLY);

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		CHECK("fd-link", n > 0 && !strcmp(link, "/dev/null"), "'%s'", link);
		close(fd);
		CHECK_ERR("fd-closed", readlink(path, link, sizeof(link)), ENOENT);
	}

	{
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;
		int tids = 0, self = 0;

		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.') {
				tids++;
				self |= atoi(e->d_name) == getpid();
			}
		if (d)
			closedir(d);
		CHECK("task-dir", tids == 1 && self, "tids %d", tids);
		snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
		len = slurp(path, buf, sizeof(buf));
		CHECK("task-stat", len > 0 && atoi(buf) == getpid(), "%s", buf);
	}

	{
		DIR *d = opendir("/proc");
		struct dirent *e;
		int found = 0;

		while (d && (e = readdir(d)))
			found |= atoi(e->d_name) == getpid();
		if (d)
			closedir(d);
		CHECK("proc-lists-self", found, "pid %d not listed", getpid());
	}
	CHECK_ERR("no-such-pid", open("/proc/999999/stat", O_RDONLY), ENOENT);

	{
		long cpus = 0, nproc = sysconf(_SC_NPROCESSORS_ONLN);
		char *p = buf;

		slurp("/proc/cpuinfo", buf, sizeof(buf));
		while ((p = strstr(p, "processor\t: "))) {
			if (p == buf || p[-1] == '\n')
				cpus++;
			p++;
		}
		CHECK("cpuinfo-count", cpus == nproc, "%ld vs %ld", cpus, nproc);
		CHECK("cpuinfo-keys", strstr(buf, "\nmodel name\t: ") && strstr(buf, "\nflags\t\t: ") &&
		      strstr(buf, "\ncpu MHz\t\t: ") && strstr(buf, "\nvendor_id\t: "), "keys");
	}

	{
		unsigned long long total = 0, fr = 0, avail = 0;
		char *p;

		slurp("/proc/meminfo", buf, sizeof(buf));
		if ((p = strstr(buf, "MemTotal:")))
			sscanf(p, "MemTotal: %llu kB", &total);
		if ((p = strstr(buf, "MemFree:")))
			sscanf(p, "MemFree: %llu kB", &fr);
		if ((p = strstr(buf, "MemAvailable:")))
			sscanf(p, "MemAvailable: %llu kB", &avail);
		CHECK("meminfo", total > fr && fr > 0 && avail > 0, "%llu %llu %llu", total, fr, avail);
		CHECK("meminfo-swap", strstr(buf, "\nSwapTotal:") && strstr(buf, "\nCached:"), "keys");
	}

	{
		double up = -1, idle = -1;
		char a[16];

		slurp("/proc/uptime", buf, sizeof(buf));
		CHECK("uptime", sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0,
		      "'%s'", buf);
		slurp("/proc/loadavg", buf, sizeof(buf));
		CHECK("loadavg", sscanf(buf, "%*f %*f %*f %15s", a) == 1 && strchr(a, '/'), "'%s'", buf);
		slurp("/proc/stat", buf, sizeof(buf));
		CHECK("stat-global", !strncmp(buf, "cpu  ", 5) && strstr(buf, "\nbtime ") &&
		      strstr(buf, "\nprocesses ") && strstr(buf, "\nprocs_running "), "keys");
		slurp("/proc/version", buf, sizeof(buf));
		CHECK("version", !strncmp(buf, "Linux version ", 14), "'%s'", buf);
	}

	/* Privacy: an unprivileged child cannot read root's (our) environ. */
	if (geteuid() == 0) {
		pid_t parent = getpid(), c = fork();
		int st = 0;

		if (c == 0) {
			char p2[64];

			snprintf(p2, sizeof(p2), "/proc/%d/environ", parent);
			if (setgid(65534) || setuid(65534))
				_exit(3);
			errno = 0;
			_exit(open(p2, O_RDONLY) < 0 && errno == EACCES ? 0 : 1);
		}
		waitpid(c, &st, 0);
		CHECK("environ-denied", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status 0x%x", st);
	} else {
		CHECK("environ-denied", 1, "skipped");
	}
	len = slurp("/proc/self/environ", buf, sizeof(buf));
	CHECK("environ-own", len >= 0, "len %ld", len);
	return TP_SUMMARY();
}
