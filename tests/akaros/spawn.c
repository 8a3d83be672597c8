/*
 * Create-then-run test (Akaros-specific system calls, abi/akaros.h).
 * Builds the pipeline `printf 'b\na\nc\n' | sort | tr a-z A-Z > out`
 * without fork: each stage is created (not running), its stdin/stdout
 * are dup'ed into it from the parent, and only then is it started.  Also
 * checks the rules: only the parent may touch a CREATED child, a child
 * cannot be run twice, bad paths fail cleanly, and wait4 reaps them.
 * Prints "N passed, N failed".  Runs only on our kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_proc_create		1000
#define SYS_proc_run		1001
#define SYS_proc_dup_fd		1002
#define SYS_proc_close_fd	1003
#define SYS_proc_chdir		1004

static int passed, failed;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			passed++;					\
		} else {						\
			failed++;					\
			printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

static long create(const char *path, char *const argv[])
{
	extern char **environ;

	return syscall(SYS_proc_create, path, argv, environ, 0);
}

int main(void)
{
	char *const a_printf[] = { "printf", "b\\na\\nc\\n", NULL };
	char *const a_sort[] = { "sort", NULL };
	char *const a_tr[] = { "tr", "a-z", "A-Z", NULL };
	int p1[2], p2[2], out, status;
	long c1, c2, c3, r;
	char buf[64] = "";

	mkdir("/tmp/spawn", 0755);
	out = open("/tmp/spawn/out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(out >= 0, "open out: %s", strerror(errno));
	CHECK(pipe(p1) == 0 && pipe(p2) == 0, "pipes");

	c1 = create("/bin/printf", a_printf);
	c2 = create("/bin/sort", a_sort);
	c3 = create("/bin/tr", a_tr);
	CHECK(c1 > 0 && c2 > 0 && c3 > 0, "create: %ld %ld %ld (%s)", c1, c2, c3, strerror(errno));

	/* Shape the children: stdin/stdout from our descriptors, stderr to ours. */
	CHECK(syscall(SYS_proc_dup_fd, c1, p1[1], 1) == 1, "dup into printf");
	CHECK(syscall(SYS_proc_dup_fd, c1, 2, 2) == 2, "stderr into printf");
	CHECK(syscall(SYS_proc_dup_fd, c2, p1[0], 0) == 0, "dup into sort");
	CHECK(syscall(SYS_proc_dup_fd, c2, p2[1], 1) == 1, "dup into sort out");
	CHECK(syscall(SYS_proc_dup_fd, c3, p2[0], 0) == 0, "dup into tr");
	CHECK(syscall(SYS_proc_dup_fd, c3, out, 1) == 1, "dup into tr out");
	CHECK(syscall(SYS_proc_chdir, c3, "/tmp/spawn") == 0, "chdir child");
	CHECK(syscall(SYS_proc_close_fd, c3, 5) == -1 && errno == EBADF, "close unused fd: EBADF");
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	close(out);

	/* Nothing runs until proc_run: the output file is still empty. */
	usleep(100000);
	r = open("/tmp/spawn/out", O_RDONLY);
	CHECK(r >= 0 && read(r, buf, sizeof(buf)) == 0, "child ran before proc_run");
	close(r);

	CHECK(syscall(SYS_proc_run, c1) == 0 && syscall(SYS_proc_run, c2) == 0 &&
	      syscall(SYS_proc_run, c3) == 0, "run: %s", strerror(errno));
	CHECK(syscall(SYS_proc_run, c3) == -1 && errno == EINVAL, "second run: EINVAL");
	CHECK(syscall(SYS_proc_dup_fd, c3, 0, 0) == -1 && errno == EINVAL,
	      "dup into a running child: EINVAL");
	for (int i = 0; i < 3; i++) {
		long pid = waitpid(-1, &status, 0);

		CHECK(pid == c1 || pid == c2 || pid == c3, "wait: %ld", pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %x", status);
	}
	r = open("/tmp/spawn/out", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	CHECK(r >= 0 && read(r, buf, sizeof(buf) - 1) > 0, "read out");
	CHECK(!strcmp(buf, "A\nB\nC\n"), "pipeline output '%s'", buf);
	close(r);

	/* Error paths. */
	CHECK(create("/no/such/program", a_sort) == -1 && errno == ENOENT, "missing: ENOENT");
	CHECK(create("/tmp/spawn/out", a_sort) == -1 && errno == EACCES, "not executable: EACCES");
	CHECK(create((const char *)1, a_sort) == -1 && errno == EFAULT, "bad pointer: EFAULT");
	CHECK(syscall(SYS_proc_run, 1) == -1 && errno == EPERM, "run init: EPERM");
	CHECK(syscall(SYS_proc_run, 99999) == -1 && errno == ESRCH, "run nobody: ESRCH");
	c1 = create("/bin/true", a_sort);
	CHECK(c1 > 0, "create true");
	CHECK(syscall(SYS_proc_run, c1) == 0 && waitpid(c1, &status, 0) == c1, "run+wait");

	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
