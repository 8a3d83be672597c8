/*
 * execcorpus: execve() every file of an ELF fuzz corpus (written by
 * tests/stress/elfcorpus.py) and check that malformed files fail cleanly.
 *
 * Model: for each MANIFEST line "NAME EXPECT ERRNOS [linux-runs]" a child
 * execve()s DIR/NAME.  A close-on-exec pipe tells the parent whether
 * execve returned (the child writes errno) or replaced the image (the pipe
 * closes empty); then the child's wait status says how the new image
 * ended.  Each case is judged against EXPECT (see elfcorpus.py):
 *   run42         ran and exited 42 (the valid control)
 *   reject        execve failed with ENOEXEC, ENOMEM, EACCES or EINVAL, or
 *                 with one of the case's extra errnos (ENOENT always; the
 *                 others, which are Linux's, only with -l)
 *   reject|fault  as reject, or the new image was killed by SIGSEGV,
 *                 SIGBUS, SIGILL, SIGTRAP or SIGKILL
 * With -l, running (exit 99) is tolerated for cases flagged linux-runs.
 *   any           anything but a hang (a case gets 5 s)
 * Prints one "ok"/"FAIL" line per case and "N passed, N failed".
 * -l (lenient) is for host Linux, which accepts some files our kernel
 * must reject.  Usage: execcorpus [-l] [DIR]  (default /tests/stress/elfcorpus)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CASE_TIMEOUT_MS	5000
#define ERRNO_EXIT_BASE	150	/* exit code 150 + errno: execve failed */

struct outcome {
	int rejected;	/* execve returned */
	int err;	/* its errno */
	int status;	/* wait status when it did not return */
	int hung;	/* killed after CASE_TIMEOUT_MS */
};

static const struct {
	const char *name;
	int value;
} errnames[] = {
	{ "ENOEXEC", ENOEXEC }, { "ENOMEM", ENOMEM }, { "EACCES", EACCES },
	{ "EINVAL", EINVAL }, { "EIO", EIO }, { "EOVERFLOW", EOVERFLOW },
	{ "EPERM", EPERM }, { "EFAULT", EFAULT }, { "ENOENT", ENOENT },
	{ "E2BIG", E2BIG }, { "ETXTBSY", ETXTBSY },
};

static const char *errname(int e)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].value == e)
			return errnames[i].name;
	return "E?";
}

/* Is errno `e` listed in the comma-separated `list` (and allowed)? */
static int in_list(int e, const char *list, int lenient)
{
	const char *n = errname(e);
	size_t len = strlen(n);
	const char *p = list;

	while ((p = strstr(p, n)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return lenient || e == ENOENT;
		p += len;
	}
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Run one file; fills `o`; returns -1 if the harness itself failed. */
static int try_exec(const char *path, struct outcome *o)
{
	char *const argv[] = { (char *)path, NULL };
	char *const envp[] = { NULL };
	int pfd[2], err = 0, waited = 0;
	pid_t pid;
	ssize_t n;

	int have_pipe = pipe2(pfd, O_CLOEXEC) == 0;

	memset(o, 0, sizeof(*o));
	pid = fork();
	if (pid < 0) {
		if (have_pipe) {
			close(pfd[0]);
			close(pfd[1]);
		}
		return -1;
	}
	if (pid == 0) {
		if (have_pipe)
			close(pfd[0]);
		execve(path, argv, envp);
		err = errno;
		if (have_pipe && write(pfd[1], &err, sizeof(err)) == sizeof(err))
			_exit(100);
		_exit(err < 100 ? ERRNO_EXIT_BASE + err : 101);
	}
	if (have_pipe) {
		close(pfd[1]);
		n = read(pfd[0], &err, sizeof(err));
		close(pfd[0]);
		if (n == sizeof(err)) {
			o->rejected = 1;
			o->err = err;
		}
	}
	while (waitpid(pid, &o->status, WNOHANG) == 0) {
		if (waited >= CASE_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &o->status, 0);
			o->hung = 1;
			break;
		}
		sleep_ms(10);
		waited += 10;
	}
	/* Without a pipe the child's exit code carries execve's errno. */
	if (!have_pipe && !o->hung && WIFEXITED(o->status) &&
	    WEXITSTATUS(o->status) >= ERRNO_EXIT_BASE) {
		o->rejected = 1;
		o->err = WEXITSTATUS(o->status) - ERRNO_EXIT_BASE;
	}
	return 0;
}

static int fault_signal(int status)
{
	if (!WIFSIGNALED(status))
		return 0;
	switch (WTERMSIG(status)) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGTRAP: case SIGKILL:
		return 1;
	default:
		return 0;
	}
}

/* Describe an outcome into buf. */
static void describe(const struct outcome *o, char *buf, size_t len)
{
	if (o->hung)
		snprintf(buf, len, "hung (killed after %d ms)", CASE_TIMEOUT_MS);
	else if (o->rejected)
		snprintf(buf, len, "rejected %s", errname(o->err));
	else if (WIFSIGNALED(o->status))
		snprintf(buf, len, "ran, killed by %s", strsignal(WTERMSIG(o->status)));
	else
		snprintf(buf, len, "ran, exit %d", WEXITSTATUS(o->status));
}

/* The verdict for one case: 1 pass, 0 fail. */
static int judge(const struct outcome *o, const char *expect, const char *errs,
		 int linux_runs, int lenient)
{
	int base_ok = o->rejected && (o->err == ENOEXEC || o->err == ENOMEM ||
				      o->err == EACCES || o->err == EINVAL ||
				      in_list(o->err, errs, lenient));
	int ran99 = !o->rejected && WIFEXITED(o->status) &&
		    WEXITSTATUS(o->status) == 99;

	if (o->hung)
		return 0;
	if (strcmp(expect, "run42") == 0)
		return !o->rejected && WIFEXITED(o->status) &&
		       WEXITSTATUS(o->status) == 42;
	if (strcmp(expect, "reject") == 0)
		return base_ok || (lenient && linux_runs && ran99);
	if (strcmp(expect, "reject|fault") == 0) {
		if (base_ok || (!o->rejected && fault_signal(o->status)))
			return 1;
		return lenient && linux_runs && ran99;
	}
	return strcmp(expect, "any") == 0;
}

int main(int argc, char **argv)
{
	const char *dir = "/tests/stress/elfcorpus";
	char line[512], path[1024], what[128];
	int lenient = 0, passed = 0, failed = 0;
	FILE *m;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-l") == 0)
			lenient = 1;
		else
			dir = argv[i];
	}
	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	m = fopen(path, "r");
	if (!m) {
		printf("FAIL manifest: %s: %s\n0 passed, 1 failed\n", path,
		       strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), m)) {
		char name[128], expect[32], errs[128], flag[32] = "";
		struct outcome o;
		int ok;

		if (sscanf(line, "%127s %31s %127s %31s", name, expect, errs,
			   flag) < 3)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (try_exec(path, &o) < 0) {
			printf("FAIL %s: harness: %s\n", name, strerror(errno));
			failed++;
			continue;
		}
		describe(&o, what, sizeof(what));
		ok = judge(&o, expect, errs, strcmp(flag, "linux-runs") == 0,
			   lenient);
		printf("%s %s: %s (want %s)\n", ok ? "ok" : "FAIL", name, what,
		       expect);
		if (ok)
			passed++;
		else
			failed++;
	}
	fclose(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
