/*
 * fs_extra: file-system calls around the edges - chroot (errors, ".." at
 * the new root, /proc/PID/root, EPERM unprivileged), close_range (plain,
 * CLOSE_RANGE_CLOEXEC, CLOSE_RANGE_UNSHARE with a CLONE_FILES table),
 * execveat (dirfd-relative, AT_EMPTY_PATH as fexecve, AT_SYMLINK_NOFOLLOW,
 * errors; the personality survives the exec) and preadv2/pwritev2
 * (offset -1, RWF_* flags, RWF_APPEND, errno order).  Anything that could
 * replace or confine the test process runs in a child that reports
 * through its exit status.
 */
#include "tprog.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef RWF_HIPRI
#define RWF_HIPRI	0x01
#define RWF_DSYNC	0x02
#define RWF_SYNC	0x04
#define RWF_NOWAIT	0x08
#define RWF_APPEND	0x10
#endif

static void *volatile bad_ptr = (void *)1;
static char self[4096];
static char *envp0[] = { "TPROG=1", NULL };

/* Exit status of child pid (-1 if it did not exit normally). */
static int wait_code(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Run fn in a child and return its exit status. */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	return wait_code(pid);
}

/* Drop to the nobody ids (uid/gid 65534); 0 on success. */
static int drop_privs(void)
{
	return setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534);
}

/* The raw execveat call with a fixed environment. */
static long execveat_(int dirfd, const char *path, char *const argv[], int flags)
{
	return syscall(SYS_execveat, dirfd, path, argv, envp0, flags);
}

/* ---- chroot ---- */

static int sync_fds[2], back_fds[2];

/* Child: chroot into jail and check that paths stay inside; a bit mask of failures. */
static int child_chroot(void)
{
	char c = 0;
	int bad = 0;

	if (chroot("jail") != 0)
		return 100;
	if (chdir("/") != 0)
		bad |= 1;
	if (access("/marker", F_OK) != 0)
		bad |= 2;
	if (access("/../../../marker", F_OK) != 0)
		bad |= 4;
	if (chdir("/..") != 0 || access("marker", F_OK) != 0)
		bad |= 8;
	if (access("/sub/../marker", F_OK) != 0)
		bad |= 16;
	/* The old tree is out of reach. */
	if (access("/jail", F_OK) == 0)
		bad |= 32;
	/* Let the parent look at /proc/PID/root, then finish. */
	write(sync_fds[1], &c, 1);
	read(back_fds[0], &c, 1);
	return bad;
}

/* Child: chroot errors after dropping root; a bit mask of failures. */
static int child_chroot_unpriv(void)
{
	int bad = 0;

	if (drop_privs())
		return 100;
	errno = 0;
	if (chroot("jail") != -1 || errno != EPERM)
		bad |= 1;
	/* Lookup and permission errors come first. */
	errno = 0;
	if (chroot("nonexistent") != -1 || errno != ENOENT)
		bad |= 2;
	errno = 0;
	if (chroot("noexec") != -1 || errno != EACCES)
		bad |= 4;
	errno = 0;
	if (chroot("jail/marker") != -1 || errno != ENOTDIR)
		bad |= 8;
	return bad;
}

static void test_chroot(const char *dir)
{
	char path[512], want[512], link[512];
	ssize_t n;
	pid_t pid;
	char c = 0;
	int fd;

	chmod(".", 0755);
	CHECK_OK("chroot-setup", mkdir("jail", 0755));
	mkdir("jail/sub", 0755);
	mkdir("noexec", 0600);
	fd = open("jail/marker", O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
	CHECK_ERR("chroot-enoent", chroot("nonexistent"), ENOENT);
	CHECK_ERR("chroot-enotdir", chroot("jail/marker"), ENOTDIR);
	CHECK_ERR("chroot-empty", chroot(""), ENOENT);
	CHECK_ERR("chroot-efault", chroot(bad_ptr), EFAULT);
	CHECK_ERR("chroot-enotdir-mid", chroot("jail/marker/x"), ENOTDIR);

	if (pipe(sync_fds) || pipe(back_fds)) {
		CHECK("chroot-pipes", 0, "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0)
		_exit(child_chroot());
	close(sync_fds[1]);
	close(back_fds[0]);
	CHECK_EQ("chroot-child-ready", read(sync_fds[0], &c, 1), 1);
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	snprintf(want, sizeof(want), "%s/jail", dir);
	n = readlink(path, link, sizeof(link) - 1);
	if (n >= 0)
		link[n] = 0;
	CHECK("chroot-proc-root", n >= 0 && strcmp(link, want) == 0, "readlink %s: %zd '%s'",
	      path, n, n >= 0 ? link : strerror(errno));
	n = readlink("/proc/self/root", link, sizeof(link) - 1);
	CHECK("chroot-proc-root-self", n == 1 && link[0] == '/', "readlink: %zd", n);
	write(back_fds[1], &c, 1);
	CHECK_EQ("chroot-child", wait_code(pid), 0);
	close(sync_fds[0]);
	close(back_fds[1]);
	CHECK_EQ("chroot-unprivileged", in_child(child_chroot_unpriv), 0);
	/* The parent's root is untouched. */
	CHECK_OK("chroot-parent-root", access(dir, F_OK));
}

/* ---- close_range ---- */

/* Is fd an open descriptor? */
static int fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void test_close_range(void)
{
	long pid;

	for (int fd = 40; fd <= 47; fd++)
		dup2(1, fd);
	CHECK_OK("close-range", syscall(SYS_close_range, 41, 43, 0));
	CHECK("close-range-closed", !fd_open(41) && !fd_open(42) && !fd_open(43),
	      "fds left open");
	CHECK("close-range-kept", fd_open(40) && fd_open(44), "neighbours closed");
	CHECK_OK("close-range-cloexec", syscall(SYS_close_range, 44, ~0U, CLOSE_RANGE_CLOEXEC));
	CHECK_EQ("close-range-cloexec-set", fcntl(45, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("close-range-cloexec-open", fd_open(47), 1);
	CHECK_EQ("close-range-cloexec-before", fcntl(40, F_GETFD), 0);
	CHECK_ERR("close-range-first-gt-last", syscall(SYS_close_range, 5, 4, 0), EINVAL);
	CHECK_ERR("close-range-bad-flags", syscall(SYS_close_range, 40, 40, 1), EINVAL);
	CHECK_ERR("close-range-bad-flags2", syscall(SYS_close_range, 40, 40, 8), EINVAL);
	CHECK_OK("close-range-nothing", syscall(SYS_close_range, 1000, 2000, 0));
	CHECK_OK("close-range-one", syscall(SYS_close_range, 47, 47, 0));
	CHECK_EQ("close-range-one-closed", fd_open(47), 0);

	/* A child sharing the table: UNSHARE closes only its own copy. */
	dup2(1, 50);
	dup2(1, 51);
	pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		if (syscall(SYS_close_range, 50, 50, CLOSE_RANGE_UNSHARE))
			_exit(1);
		if (fd_open(50))
			_exit(2);
		_exit(0);
	}
	CHECK_EQ("close-range-unshare-child", wait_code(pid), 0);
	CHECK_EQ("close-range-unshare-parent", fd_open(50), 1);
	pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(syscall(SYS_close_range, 51, 51, 0) ? 1 : 0);
	CHECK_EQ("close-range-shared-child", wait_code(pid), 0);
	CHECK_EQ("close-range-shared-parent", fd_open(51), 0);
	for (int fd = 40; fd <= 51; fd++)
		close(fd);
}

/* ---- execveat ---- */

/* What the re-executed program checks: the personality made it through exec. */
static int exec_mode(const char *what)
{
	if (strcmp(what, "persona") == 0)
		return personality(0xffffffff) == ADDR_NO_RANDOMIZE ? 42 : 43;
	return 44;
}

/* Fork, set a personality, execveat(dirfd, path, flags) this program; its exit status or errno. */
static int run_execveat(int dirfd, const char *path, int flags)
{
	char *argv[] = { self, "persona", NULL };
	pid_t pid = fork();

	if (pid == 0) {
		personality(ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC);
		execveat_(dirfd, path, argv, flags);
		_exit(errno);
	}
	return wait_code(pid);
}

static void test_execveat(void)
{
	char dirname[4096], *slash;
	int fd, dirfd, filefd;

	strcpy(dirname, self);
	slash = strrchr(dirname, '/');
	*slash = 0;
	fd = open(self, O_RDONLY);
	dirfd = open(dirname, O_RDONLY | O_DIRECTORY);
	filefd = open("jail/marker", O_RDONLY);
	CHECK_OK("execveat-setup", symlink(self, "selflink"));
	CHECK_EQ("execveat-absolute", run_execveat(AT_FDCWD, self, 0), 42);
	CHECK_EQ("execveat-dirfd", run_execveat(dirfd, slash + 1, 0), 42);
	CHECK_EQ("execveat-empty-path", run_execveat(fd, "", AT_EMPTY_PATH), 42);
	CHECK_EQ("execveat-symlink", run_execveat(AT_FDCWD, "selflink", 0), 42);
	CHECK_EQ("execveat-nofollow", run_execveat(AT_FDCWD, "selflink", AT_SYMLINK_NOFOLLOW),
		 ELOOP);
	CHECK_EQ("execveat-nofollow-plain", run_execveat(dirfd, slash + 1, AT_SYMLINK_NOFOLLOW),
		 42);
	CHECK_EQ("execveat-empty-noflag", run_execveat(fd, "", 0), ENOENT);
	CHECK_EQ("execveat-bad-flags", run_execveat(dirfd, slash + 1, 0x2), EINVAL);
	CHECK_EQ("execveat-ebadf", run_execveat(999, "relative", 0), EBADF);
	CHECK_EQ("execveat-ebadf-absolute", run_execveat(999, self, 0), 42);
	CHECK_EQ("execveat-enotdir", run_execveat(filefd, "x", 0), ENOTDIR);
	CHECK_EQ("execveat-dir-empty-path", run_execveat(dirfd, "", AT_EMPTY_PATH), EACCES);
	CHECK_EQ("execveat-enoent", run_execveat(dirfd, "no-such-program", 0), ENOENT);
	CHECK_EQ("execveat-noexec-file", run_execveat(filefd, "", AT_EMPTY_PATH), EACCES);
	CHECK_EQ("execveat-efault", run_execveat(dirfd, bad_ptr, 0), EFAULT);
	close(fd);
	close(dirfd);
	close(filefd);
}

/* ---- preadv2 / pwritev2 ---- */

static void test_rw2(void)
{
	char a[4] = "abcd", b[3] = "xyz", r1[8], r2[8], all[32];
	struct iovec w[2] = { { a, 4 }, { b, 3 } };
	struct iovec rv[2] = { { r1, 2 }, { r2, 3 } };
	struct iovec zero[1] = { { r1, 0 } };
	struct iovec badv[1] = { { bad_ptr, 4 } };
	int fd = open("rw2", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int rdonly, p[2];

	CHECK_EQ("pwritev2-at-pos", pwritev2(fd, w, 2, -1, 0), 7);
	CHECK_EQ("pwritev2-pos-advanced", lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ("pwritev2-offset", pwritev2(fd, w, 1, 10, RWF_DSYNC), 4);
	CHECK_EQ("pwritev2-offset-pos-kept", lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ("preadv2-offset", preadv2(fd, rv, 2, 1, RWF_HIPRI), 5);
	CHECK("preadv2-offset-data", memcmp(r1, "bc", 2) == 0 && memcmp(r2, "dxy", 3) == 0,
	      "got %.2s %.3s", r1, r2);
	lseek(fd, 4, SEEK_SET);
	CHECK_EQ("preadv2-at-pos", preadv2(fd, rv, 1, -1, RWF_SYNC), 2);
	CHECK("preadv2-at-pos-data", memcmp(r1, "xy", 2) == 0, "got %.2s", r1);
	CHECK_EQ("preadv2-pos-advanced", lseek(fd, 0, SEEK_CUR), 6);
	CHECK_EQ("preadv2-nowait", preadv2(fd, rv, 1, 0, RWF_NOWAIT), 2);
	CHECK_EQ("pwritev2-append", pwritev2(fd, w + 1, 1, 0, RWF_APPEND), 3);
	CHECK_EQ("pwritev2-append-size", lseek(fd, 0, SEEK_END), 17);
	lseek(fd, 2, SEEK_SET);
	CHECK_EQ("pwritev2-append-pos", pwritev2(fd, w, 1, -1, RWF_APPEND), 4);
	CHECK_EQ("pwritev2-append-pos-moved", lseek(fd, 0, SEEK_CUR), 21);
	memset(all, 0, sizeof(all));
	CHECK_EQ("pwritev2-final-read", pread(fd, all, sizeof(all), 0), 21);
	CHECK("pwritev2-final-data", memcmp(all, "abcdxyz\0\0\0abcdxyzabcd", 21) == 0,
	      "contents differ");

	CHECK_ERR("preadv2-bad-flag", preadv2(fd, rv, 1, 0, 0x40000000), EOPNOTSUPP);
	CHECK_ERR("pwritev2-bad-flag", pwritev2(fd, w, 1, 0, 0x40000000), EOPNOTSUPP);
	CHECK_EQ("preadv2-bad-flag-empty", preadv2(fd, zero, 1, 0, 0x40000000), 0);
	CHECK_ERR("preadv2-bad-offset", preadv2(fd, rv, 1, -2, 0), EINVAL);
	CHECK_ERR("preadv2-bad-offset-first", preadv2(999, rv, 1, -2, 0), EINVAL);
	CHECK_ERR("preadv2-ebadf", preadv2(999, rv, 1, 0, 0), EBADF);
	CHECK_ERR("preadv2-efault", preadv2(fd, badv, 1, 0, 0), EFAULT);
	CHECK_ERR("preadv2-efault-vec", preadv2(fd, bad_ptr, 1, 0, 0), EFAULT);
	CHECK_ERR("preadv2-einval-cnt", syscall(SYS_preadv2, fd, rv, -1, 0, 0, 0), EINVAL);
	CHECK_ERR("preadv2-einval-cnt-max", syscall(SYS_preadv2, fd, rv, 1025, 0, 0, 0), EINVAL);
	rdonly = open("rw2", O_RDONLY);
	CHECK_ERR("pwritev2-rdonly", pwritev2(rdonly, w, 1, 0, 0), EBADF);
	CHECK_ERR("pwritev2-rdonly-bad-flag", pwritev2(rdonly, w, 1, 0, 0x40000000), EBADF);
	close(rdonly);
	if (pipe(p) == 0) {
		CHECK_ERR("preadv2-pipe-espipe", preadv2(p[0], rv, 1, 0, 0), ESPIPE);
		CHECK_EQ("pwritev2-pipe", pwritev2(p[1], w, 1, -1, 0), 4);
		CHECK_EQ("preadv2-pipe", preadv2(p[0], rv, 1, -1, 0), 2);
		close(p[0]);
		close(p[1]);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	char dir[256];
	ssize_t n;

	if (argc > 1)
		return exec_mode(argv[1]);
	tp_init();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		printf("FAIL setup: /proc/self/exe: %s\n", strerror(errno));
		return 2;
	}
	self[n] = 0;
	tp_scratch(dir, sizeof(dir));
	test_chroot(dir);
	test_close_range();
	test_execveat();
	test_rw2();
	chdir("/");
	tp_rmtree(dir);
	return TP_SUMMARY();
}
