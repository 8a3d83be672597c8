/*
 * process: process lifecycle syscalls - fork (copy-on-write memory),
 * vfork (parent suspended, memory shared until _exit), execve (argv, envp,
 * close-on-exec, error paths), wait4/waitpid/waitid (exit codes, signals,
 * WNOHANG, WNOWAIT, ECHILD), getpid/getppid/gettid, setsid/getsid,
 * setpgid/getpgid, orphan reparenting, a process whose last two threads
 * exit (not exit_group) at once.  Children report by exit status
 * only; the parent prints every check, so output is deterministic.
 */
#include "tprog.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void *volatile bad_ptr = (void *)1;
static const char *self_path;

/* Fork a child running fn(); returns its pid (exits the test on failure). */
static pid_t spawn(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid < 0) {
		printf("FAIL fork: %s\n", strerror(errno));
		exit(2);
	}
	if (pid == 0)
		_exit(fn());
	return pid;
}

/* Exit status of child pid (or -1 if wait failed or it did not exit). */
static int wait_code(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static volatile int cow_value = 1;

static int child_cow(void)
{
	cow_value = 2;
	return cow_value == 2 ? 0 : 1;
}

static pid_t parent_pid;

static int child_ppid(void)
{
	return getppid() == parent_pid && getpid() != parent_pid ? 0 : 1;
}

static void test_fork_wait(void)
{
	struct rusage ru;
	pid_t pid;
	int st;

	parent_pid = getpid();
	CHECK_EQ("getpid-syscall", getpid(), syscall(SYS_getpid));
	CHECK_EQ("gettid-single", syscall(SYS_gettid), getpid());
	CHECK("getppid", getppid() > 0, "ppid %d", getppid());

	pid = spawn(child_cow);
	CHECK("fork-pid", pid > 0 && pid != getpid(), "pid %d", pid);
	CHECK_EQ("fork-child-cow", wait_code(pid), 0);
	CHECK_EQ("fork-parent-unchanged", cow_value, 1);
	CHECK_EQ("fork-child-ppid", wait_code(spawn(child_ppid)), 0);

	pid = fork();
	if (pid == 0)
		exit(256 + 5);
	CHECK_EQ("exit-code-masked", wait_code(pid), 5);
	pid = fork();
	if (pid == 0)
		_exit(255);
	CHECK_OK("wait4", wait4(pid, &st, 0, &ru));
	CHECK("wait4-status", WIFEXITED(st) && WEXITSTATUS(st) == 255,
	      "status %#x", st);

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_EQ("waitpid-wnohang-running", waitpid(pid, &st, WNOHANG), 0);
	kill(pid, SIGKILL);
	CHECK_EQ("waitpid-killed", waitpid(pid, &st, 0), pid);
	CHECK("waitpid-wtermsig", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "status %#x", st);

	pid = fork();
	if (pid == 0)
		_exit(3);
	/* The child is a zombie until waited for: still signalable. */
	{
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		CHECK_OK("waitid-wnowait", waitid(P_PID, pid, &si,
						  WEXITED | WNOWAIT));
		CHECK("waitid-wnowait-info", si.si_pid == pid &&
		      si.si_code == CLD_EXITED && si.si_status == 3,
		      "code %d status %d", si.si_code, si.si_status);
		CHECK_OK("zombie-kill-0", kill(pid, 0));
		memset(&si, 0, sizeof(si));
		CHECK_OK("waitid", waitid(P_PID, pid, &si, WEXITED));
		CHECK("waitid-info", si.si_pid == pid &&
		      si.si_code == CLD_EXITED && si.si_status == 3 &&
		      si.si_signo == SIGCHLD, "signo %d code %d status %d",
		      si.si_signo, si.si_code, si.si_status);
		CHECK_ERR("kill-reaped-esrch", kill(pid, 0), ESRCH);
	}
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGTERM);
	{
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		waitid(P_ALL, 0, &si, WEXITED);
		CHECK("waitid-killed", si.si_code == CLD_KILLED &&
		      si.si_status == SIGTERM, "code %d status %d",
		      si.si_code, si.si_status);
	}
	CHECK_ERR("wait-echild", wait(&st), ECHILD);
	CHECK_ERR("waitpid-echild-pid", waitpid(1, &st, 0), ECHILD);
	CHECK_ERR("waitpid-einval", waitpid(-1, &st, 0x4000000), EINVAL);
	CHECK_ERR("waitid-einval", waitid(P_ALL, 0, NULL, 0), EINVAL);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_ERR("wait4-efault", wait4(pid, bad_ptr, 0, NULL), EFAULT);
	waitpid(pid, NULL, 0);
}

static void test_vfork(void)
{
	static volatile int shared;
	pid_t pid;

	shared = 0;
	pid = vfork();
	if (pid == 0) {
		shared = 1;
		_exit(9);
	}
	CHECK("vfork-shared-memory", shared == 1, "shared %d", shared);
	CHECK_EQ("vfork-exit", wait_code(pid), 9);

	pid = vfork();
	if (pid == 0) {
		execl(self_path, "process", "--exec-child", "11", (char *)NULL);
		_exit(99);
	}
	CHECK_EQ("vfork-exec", wait_code(pid), 11);
}

static void test_execve(void)
{
	char fdstr[16];
	int fd, fd_keep;
	pid_t pid;

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fd_keep = open("/dev/null", O_RDONLY);
	snprintf(fdstr, sizeof(fdstr), "%d", fd);
	pid = fork();
	if (pid == 0) {
		char keep[16];
		char *argv[] = { "process", "--exec-check", fdstr, keep, NULL };
		char *envp[] = { "TPROG_VAR=hello", NULL };

		snprintf(keep, sizeof(keep), "%d", fd_keep);
		execve(self_path, argv, envp);
		_exit(99);
	}
	CHECK_EQ("execve-argv-env-cloexec", wait_code(pid), 0);
	close(fd);
	close(fd_keep);

	fd = open("noexec", O_CREAT | O_WRONLY, 0644);
	write(fd, "plain text\n", 11);
	close(fd);
	{
		char *argv[] = { "x", NULL };
		char *envp[] = { NULL };

		CHECK_ERR("execve-enoent", execve("/no/such/prog", argv, envp),
			  ENOENT);
		CHECK_ERR("execve-eacces", execve("noexec", argv, envp),
			  EACCES);
		chmod("noexec", 0755);
		CHECK_ERR("execve-enoexec", execve("noexec", argv, envp),
			  ENOEXEC);
		CHECK_ERR("execve-efault", execve(bad_ptr, argv, envp),
			  EFAULT);
		CHECK_ERR("execve-eacces-dir", execve(".", argv, envp),
			  EACCES);
	}
	unlink("noexec");
}

static int child_session(void)
{
	pid_t me = getpid();

	if (setsid() != me || getsid(0) != me || getpgrp() != me)
		return 1;
	if (setsid() != -1 || errno != EPERM)
		return 2;
	return 0;
}

static int child_pgrp(void)
{
	pid_t me = getpid();

	if (setpgid(0, 0) < 0 || getpgid(0) != me)
		return 1;
	if (setpgid(0, -1) != -1 || errno != EINVAL)
		return 2;
	return 0;
}

/* Grandchild: wait for the middle process to die, report reparenting. */
static void orphan_grandchild(pid_t mid, int res_fd)
{
	char ok;

	for (int i = 0; i < 500 && getppid() == mid; i++)
		usleep(10000);
	ok = getppid() != mid ? 'y' : 'n';
	write(res_fd, &ok, 1);
	_exit(0);
}

static void test_sessions(void)
{
	pid_t pid;
	int st;

	CHECK_EQ("setsid-child", wait_code(spawn(child_session)), 0);
	CHECK_EQ("setpgid-child", wait_code(spawn(child_pgrp)), 0);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_OK("setpgid-other", setpgid(pid, pid));
	CHECK_EQ("getpgid-other", getpgid(pid), pid);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK_ERR("getpgid-esrch", getpgid(pid), ESRCH);
	CHECK_ERR("setpgid-esrch", setpgid(pid, pid), ESRCH);
	CHECK_ERR("getsid-esrch", getsid(pid), ESRCH);
	/* An orphan is reparented: its getppid() changes once its parent dies. */
	{
		int res[2];
		char got = '?';

		pipe(res);
		pid = fork();
		if (pid == 0) {
			pid_t mid = getpid();

			close(res[0]);
			if (fork() == 0)
				orphan_grandchild(mid, res[1]);
			_exit(0);
		}
		close(res[1]);
		CHECK_EQ("orphan-middle", wait_code(pid), 0);
		read(res[0], &got, 1);
		close(res[0]);
		CHECK("orphan-reparented", got == 'y', "got %c", got);
	}
}

/* Entry points used when the program re-executes itself. */
static int exec_child(int argc, char **argv)
{
	if (strcmp(argv[1], "--exec-child") == 0)
		return atoi(argv[2]);
	if (argc != 4 || strcmp(argv[0], "process") != 0)
		return 10;
	if (!getenv("TPROG_VAR") || strcmp(getenv("TPROG_VAR"), "hello"))
		return 11;
	if (getenv("PATH"))
		return 12;
	if (fcntl(atoi(argv[2]), F_GETFD) != -1 || errno != EBADF)
		return 13;
	if (fcntl(atoi(argv[3]), F_GETFD) != 0)
		return 14;
	return 0;
}

/*
 * A process group outlives its leader while members remain, and its
 * number is not given to a new process meanwhile (so nobody becomes the
 * "leader" of an old group).  Forks until pids wrap past the group's
 * number (4096 on our kernel) or 6000 forks (Linux's pid_max is larger).
 */
static void test_pgid_not_reused(void)
{
	int p[2], q[2], st, reused = 0, wrapped = 0;
	pid_t leader, member = 0, prev;
	char c;

	if (pipe(p) < 0 || pipe(q) < 0)
		return;
	leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		member = fork();
		if (member == 0) {
			close(p[1]);
			write(q[1], "m", 1);
			read(p[0], &c, 1);	/* until the parent closes p[1] */
			_exit(0);
		}
		read(q[0], &c, 1);
		write(q[1], &member, sizeof(member));
		_exit(0);
	}
	waitpid(leader, &st, 0);
	read(q[0], &member, sizeof(member));
	prev = leader;
	for (int i = 0; i < 6000; i++) {
		pid_t k = fork();

		if (k == 0)
			_exit(0);
		if (k < 0)
			break;
		waitpid(k, &st, 0);
		if (k == leader) {
			reused = 1;
			break;
		}
		if (k < prev)
			wrapped = 1;
		else if (wrapped && k > leader)
			break;	/* came round past the group's number */
		prev = k;
	}
	CHECK("pgid-not-reused", !reused && getpgid(member) == leader,
	      "reused %d member pgid %d leader %d", reused, (int)getpgid(member), (int)leader);
	close(p[1]);
	close(p[0]);
	close(q[0]);
	close(q[1]);
	waitpid(-1, &st, WNOHANG);
}

static volatile int exit_go;

static void *exit_with_main(void *arg)
{
	(void)arg;
	while (!exit_go)
		;
	syscall(SYS_exit, 0);
	return NULL;
}

/*
 * The last two threads of a process end with exit(2) (not exit_group) at
 * the same moment: one of them must still see itself the last and end the
 * process, or the parent waits for ever.  50 rounds.
 */
static void test_threads_exit_together(void)
{
	int st, ended = 0;

	for (int i = 0; i < 50; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			pthread_t th;

			if (pthread_create(&th, NULL, exit_with_main, NULL))
				_exit(3);
			exit_go = 1;
			syscall(SYS_exit, 0);
		}
		if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st))
			ended++;
	}
	CHECK("threads-exit-together", ended == 50, "%d of 50 exited with 0", ended);
}

int main(int argc, char **argv)
{
	char dir[256];

	if (argc >= 3 && strncmp(argv[1], "--exec-", 7) == 0)
		return exec_child(argc, argv);
	self_path = strchr(argv[0], '/') ? realpath(argv[0], NULL) :
		    "/proc/self/exe";
	tp_init();
	tp_scratch(dir, sizeof(dir));
	test_fork_wait();
	test_vfork();
	test_execve();
	test_sessions();
	test_pgid_not_reused();
	test_threads_exit_together();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
