/*
 * ttrace: the target's command for the kernel tracer, over the #ttrace
 * files (bound at /dev/ttrace; see kernel/dev/ttrace.c).
 *
 *   ttrace start [-e cats] [-m overwrite|discard] [-s size]
 *   ttrace stop | clear | stat
 *   ttrace dump [-o FILE]                 one stream (abi/ttrace.h) on stdout or FILE
 *   ttrace record [-e cats] [-m mode] [-s size] [-o FILE] -- CMD ARGS
 *   ttrace emit [-n ID] [TEXT...]          a user event
 *
 * dump reads the stream header from hdr, the syscall names from syscalls,
 * the threads alive now from /proc, and consumes every cpuN file; the
 * records are merged by time and written with the stats and END trailer by
 * lib/ttdump.c (the same writer as the host generator).  Categories are a
 * comma list ("sched,syscall") or "all".  To get a dump onto the host:
 * `ttrace dump -o /dev/ttyS1` with `tools/qemu-run --serial2 FILE`.
 * Exit status 0, 1 on any error (with a message naming what failed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/wait.h>
#include <termios.h>
#include "ttdump.h"

static const char *dir = "/dev/ttrace";

/* Path of #ttrace file name in a static buffer. */
static const char *tpath(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* Write s to ctl; 0, or -1 with a message. */
static int ctl(const char *s)
{
	int fd = open(tpath("ctl"), O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "ttrace: %s: %s\n", tpath("ctl"), strerror(errno));
		return -1;
	}
	n = write(fd, s, strlen(s));
	if (n < 0)
		fprintf(stderr, "ttrace: ctl \"%s\": %s\n", s, strerror(errno));
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Read the whole file name into a malloc'd buffer (*len bytes, NUL added); NULL on error. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;

	if (fd < 0 || !buf) {
		fprintf(stderr, "ttrace: %s: %s\n", path, strerror(errno));
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (r < 0) {
		fprintf(stderr, "ttrace: read %s: %s\n", path, strerror(errno));
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

/* "mask" command for a category list "a,b" (or "all"); 0, or -1 with a message. */
static int set_categories(const char *list)
{
	char cmd[256] = "mask";
	char *copy = strdup(list), *save = NULL, *w;
	int rc;

	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (strlen(cmd) + strlen(w) + 2 > sizeof(cmd))
			break;
		strcat(cmd, " ");
		strcat(cmd, w);
	}
	free(copy);
	rc = ctl(cmd);
	if (rc)
		fprintf(stderr, "ttrace: categories are sched proc syscall irq fault wait kmsg "
			"printk user all\n");
	return rc;
}

/* Apply -e/-m/-s; 0 or -1. */
static int configure(const char *cats, const char *mode, const char *size)
{
	char cmd[64];

	if (mode) {
		snprintf(cmd, sizeof(cmd), "mode %s", mode);
		if (ctl(cmd))
			return -1;
	}
	if (size) {
		snprintf(cmd, sizeof(cmd), "size %s", size);
		if (ctl(cmd))
			return -1;
	}
	return cats ? set_categories(cats) : 0;
}

/* Parse "nr name" lines of the syscalls file into *out; count, or -1. */
static long read_syscalls(struct ttdump_sys **out)
{
	size_t len, n = 0;
	char *text = slurp(tpath("syscalls"), &len), *line, *save = NULL;
	struct ttdump_sys *sys;

	if (!text)
		return -1;
	sys = calloc(len / 4 + 1, sizeof(*sys));
	for (line = strtok_r(text, "\n", &save); line && sys; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = 0;
		sys[n].nr = (uint32_t)strtoul(line, NULL, 10);
		sys[n].name = sp + 1;
		n++;
	}
	*out = sys;	/* names point into text, kept for the program's life */
	return sys ? (long)n : -1;
}

/* Add the threads of /proc/PID/task (or PID alone) to *procs; cannot fail. */
static void add_proc(struct ttdump_proc **procs, size_t *n, size_t *cap, unsigned pid)
{
	char path[64], comm[64] = "";
	FILE *f;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	d = opendir(path);
	for (;;) {
		unsigned tid = pid;

		if (d) {
			e = readdir(d);
			if (!e)
				break;
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			tid = (unsigned)strtoul(e->d_name, NULL, 10);
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*procs = realloc(*procs, *cap * sizeof(**procs));
		}
		memset(&(*procs)[*n], 0, sizeof(**procs));
		(*procs)[*n].tid = tid;
		(*procs)[*n].pid = pid;
		memcpy((*procs)[*n].comm, comm, strnlen(comm, TTRACE_COMM_LEN - 1));
		(*n)++;
		if (!d)
			break;
	}
	if (d)
		closedir(d);
}

/* Consume cpuN into *cpu; 0, or -1 with a message. */
static int read_cpu(unsigned c, struct ttdump_cpu *cpu)
{
	char name[32];
	size_t cap = 1 << 20, n = 0;
	uint8_t *buf = malloc(cap);
	ssize_t r;
	int fd;

	snprintf(name, sizeof(name), "cpu%u", c);
	fd = open(tpath(name), O_RDONLY);
	if (fd < 0 || !buf) {
		fprintf(stderr, "ttrace: %s: %s\n", tpath(name), strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - n < 65536) {
			uint8_t *nb = realloc(buf, cap * 2);

			if (!nb) {
				fprintf(stderr, "ttrace: out of memory reading %s\n", name);
				close(fd);
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, 65536);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (r < 0) {
		fprintf(stderr, "ttrace: read %s: %s\n", tpath(name), strerror(errno));
		return -1;
	}
	cpu->recs = buf;
	cpu->len = n;
	return 0;
}

/* Fill each CPU's stats from the stats file; 0 or -1. */
static int read_stats(struct ttdump_cpu *cpus, unsigned ncpus)
{
	size_t len;
	char *text = slurp(tpath("stats"), &len), *line, *save = NULL;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned c;
		unsigned long long w, l, u, s;

		if (sscanf(line, "cpu%u written %llu lost %llu used %llu size %llu", &c, &w, &l, &u,
			   &s) == 5 && c < ncpus) {
			cpus[c].stats.written = w;
			cpus[c].stats.lost = l;
			cpus[c].stats.size = s;
		}
	}
	free(text);
	return 0;
}

/* The dump command: the whole stream to out; 0 or -1. */
static int dump(FILE *out)
{
	struct ttrace_stream_hdr hdr;
	struct ttdump_cpu *cpus;
	struct ttdump_proc *procs = NULL;
	struct ttdump_sys *sys = NULL;
	size_t hlen, nprocs = 0, pcap = 0;
	char *h = slurp(tpath("hdr"), &hlen);
	long nsys;
	DIR *d;
	struct dirent *e;

	if (!h)
		return -1;
	if (hlen != sizeof(hdr)) {
		fprintf(stderr, "ttrace: %s: %zu bytes, expected %zu\n", tpath("hdr"), hlen,
			sizeof(hdr));
		return -1;
	}
	memcpy(&hdr, h, sizeof(hdr));
	nsys = read_syscalls(&sys);
	if (nsys < 0)
		return -1;
	d = opendir("/proc");
	while (d && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			add_proc(&procs, &nprocs, &pcap, (unsigned)strtoul(e->d_name, NULL, 10));
	if (d)
		closedir(d);
	cpus = calloc(hdr.ncpus, sizeof(*cpus));
	if (!cpus)
		return -1;
	for (unsigned c = 0; c < hdr.ncpus; c++)
		if (read_cpu(c, &cpus[c]))
			return -1;
	if (read_stats(cpus, hdr.ncpus))
		return -1;
	if (ttdump_write(out, &hdr, cpus, procs, nprocs, sys, (size_t)nsys) || fflush(out)) {
		fprintf(stderr, "ttrace: writing the dump: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* The stat command: state and per-CPU counts on stdout; 0 or -1. */
static int stat_cmd(void)
{
	size_t len;
	char *s = slurp(tpath("ctl"), &len);

	if (!s)
		return -1;
	fputs(s, stdout);
	free(s);
	s = slurp(tpath("stats"), &len);
	if (!s)
		return -1;
	fputs(s, stdout);
	free(s);
	return 0;
}

/* Open -o FILE (stdout if NULL); NULL with a message on error. */
static FILE *open_out(const char *path)
{
	FILE *f;

	if (!path)
		return stdout;
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "ttrace: %s: %s\n", path, strerror(errno));
	return f;
}

/*
 * Finish the output: flush it, and on a terminal (the raw /dev/ttyS1 to
 * the host) wait until every byte has left, since the target may power off
 * next; 0, or -1 with a message.
 */
static int finish_out(FILE *out)
{
	struct termios t;

	if (fflush(out)) {
		fprintf(stderr, "ttrace: writing the dump: %s\n", strerror(errno));
		return -1;
	}
	if (isatty(fileno(out)) && !tcgetattr(fileno(out), &t) &&
	    tcsetattr(fileno(out), TCSADRAIN, &t)) {
		fprintf(stderr, "ttrace: draining the output: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Run argv to completion (its stdout sent to stderr when the dump goes to
 * stdout); its exit status (128+signal), or -1 if it could not start.
 */
static int run_child(char **argv, int quiet_stdout)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "ttrace: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (quiet_stdout)
			dup2(2, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "ttrace: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Write a user event; 0 or -1. */
static int emit(const char *id, int argc, char **argv)
{
	char buf[2048];
	size_t n = 0;
	int fd = open(tpath("user"), O_WRONLY), rc = 0;

	if (fd < 0) {
		fprintf(stderr, "ttrace: %s: %s\n", tpath("user"), strerror(errno));
		return -1;
	}
	if (id)
		n = (size_t)snprintf(buf, sizeof(buf), "@%s%s", id, argc ? " " : "");
	for (int i = 0; i < argc && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", argv[i]);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (write(fd, buf, n) < 0) {
		fprintf(stderr, "ttrace: emit: %s\n", strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ttrace start [-e cats] [-m overwrite|discard] [-s size]\n"
		"       ttrace stop | clear | stat\n"
		"       ttrace dump [-o FILE]\n"
		"       ttrace record [-e cats] [-m mode] [-s size] [-o FILE] -- CMD [ARGS]\n"
		"       ttrace emit [-n ID] [TEXT...]\n"
		"cats: comma list of sched proc syscall irq fault wait kmsg printk user, or all\n");
	exit(1);
}

int main(int argc, char **argv)
{
	const char *cats = NULL, *mode = NULL, *size = NULL, *outp = NULL, *id = NULL, *cmd;
	FILE *out;
	int opt, rc;

	if (argc < 2)
		usage();
	if (access(dir, F_OK))
		dir = "#ttrace";
	cmd = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "+e:m:s:o:n:")) != -1) {
		switch (opt) {
		case 'e': cats = optarg; break;
		case 'm': mode = optarg; break;
		case 's': size = optarg; break;
		case 'o': outp = optarg; break;
		case 'n': id = optarg; break;
		default: usage();
		}
	}
	if (!strcmp(cmd, "start"))
		return configure(cats, mode, size) || ctl("start") ? 1 : 0;
	if (!strcmp(cmd, "stop") || !strcmp(cmd, "clear"))
		return ctl(cmd) ? 1 : 0;
	if (!strcmp(cmd, "stat"))
		return stat_cmd() ? 1 : 0;
	if (!strcmp(cmd, "emit"))
		return emit(id, argc - optind, argv + optind) ? 1 : 0;
	if (!strcmp(cmd, "dump")) {
		out = open_out(outp);
		return !out || dump(out) || finish_out(out) ? 1 : 0;
	}
	if (strcmp(cmd, "record") || optind >= argc)
		usage();
	out = open_out(outp);
	if (!out || ctl("stop") || ctl("clear") || configure(cats, mode, size) || ctl("start"))
		return 1;
	rc = run_child(argv + optind, out == stdout);
	if (ctl("stop") || dump(out) || finish_out(out))
		return 1;
	if (outp)
		fclose(out);
	if (rc)
		fprintf(stderr, "ttrace: %s exited with status %d\n", argv[optind], rc);
	return rc < 0 ? 1 : rc;
}
