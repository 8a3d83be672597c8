/*
 * clone: clone3 (argument validation, fork-like and CLONE_VM children on
 * a caller-given stack) and CLONE_FS, which makes two processes share
 * their working directory and umask.  Each check prints a fixed line so
 * the output is the same on the host and on our kernel.
 */
#include "tprog.h"
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NR_CLONE3	435
#define STACK_SIZE	(64 * 1024)

/* The layout of Linux's struct clone_args (88 bytes, CLONE_ARGS_SIZE_VER2). */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

static long clone3(void *args, size_t size)
{
	return syscall(NR_CLONE3, args, size);
}

/* Wait for pid; its exit code, or -1 if it did not exit normally. */
static int reap(pid_t pid)
{
	int st = 0;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_clone3_errors(void)
{
	struct { struct clone_args a; uint64_t tail[2]; } big;
	struct clone_args a;
	static char page[8192];

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	CHECK_ERR("clone3-size-small", clone3(&a, 63), EINVAL);
	CHECK_ERR("clone3-size-huge", clone3(page, 4097), E2BIG);
	CHECK_ERR("clone3-efault", clone3((void *)16, sizeof(a)), EFAULT);
	memset(&big, 0, sizeof(big));
	big.a.exit_signal = SIGCHLD;
	big.tail[1] = 1;
	CHECK_ERR("clone3-tail-nonzero", clone3(&big, sizeof(big)), E2BIG);
	a.flags = SIGCHLD;
	a.exit_signal = 0;
	CHECK_ERR("clone3-signal-in-flags", clone3(&a, sizeof(a)), EINVAL);
	a.flags = 0;
	a.exit_signal = 65;
	CHECK_ERR("clone3-bad-signal", clone3(&a, sizeof(a)), EINVAL);
	a.exit_signal = SIGCHLD;
	a.stack = (uintptr_t)page;
	CHECK_ERR("clone3-stack-no-size", clone3(&a, sizeof(a)), EINVAL);
	a.stack = 0;
	a.stack_size = sizeof(page);
	CHECK_ERR("clone3-size-no-stack", clone3(&a, sizeof(a)), EINVAL);
	a.stack_size = 0;
	a.set_tid_size = 1;
	CHECK_ERR("clone3-set-tid-null", clone3(&a, sizeof(a)), EINVAL);
	a.set_tid_size = 0;
	a.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	CHECK_ERR("clone3-thread-exit-signal", clone3(&a, sizeof(a)), EINVAL);
}

/* Fork-like clone3 calls, with the v0 size and with a larger zero-padded struct. */
static void test_clone3_fork(void)
{
	struct { struct clone_args a; uint64_t tail[3]; } big;
	struct clone_args a;
	long pid;

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	pid = clone3(&a, 64);
	if (pid == 0)
		_exit(7);
	CHECK("clone3-fork", pid > 0 && reap(pid) == 7, "pid %ld errno %d", pid, errno);
	memset(&big, 0, sizeof(big));
	big.a.exit_signal = SIGCHLD;
	pid = clone3(&big, sizeof(big));
	if (pid == 0)
		_exit(8);
	CHECK("clone3-zero-tail", pid > 0 && reap(pid) == 8, "pid %ld errno %d", pid, errno);
}

static char child_stack[STACK_SIZE] __attribute__((aligned(16)));
static volatile int vm_child_ran;
static volatile uintptr_t vm_child_sp;

/* Runs in the CLONE_VM child on child_stack; never returns. */
static void __attribute__((noinline, used)) vm_child(void)
{
	int here;

	vm_child_sp = (uintptr_t)&here;
	vm_child_ran = 1;
	syscall(SYS_exit, 0);
	for (;;)
		;
}

/* clone3 whose child (rax 0) calls fn on its new stack instead of returning. */
static long clone3_call(struct clone_args *a, void (*fn)(void))
{
	register void (*r12)(void) asm("r12") = fn;
	long ret;

	asm volatile("syscall\n\t"
		     "test %%rax, %%rax\n\t"
		     "jnz 1f\n\t"
		     "call *%%r12\n"
		     "1:"
		     : "=a"(ret)
		     : "0"((long)NR_CLONE3), "D"(a), "S"(sizeof(*a)), "r"(r12)
		     : "rcx", "r11", "memory");
	return ret;
}

static void test_clone3_vm_stack(void)
{
	struct clone_args a;
	long pid;

	memset(&a, 0, sizeof(a));
	a.flags = CLONE_VM | CLONE_VFORK;
	a.exit_signal = SIGCHLD;
	a.stack = (uintptr_t)child_stack;
	a.stack_size = sizeof(child_stack);
	pid = clone3_call(&a, vm_child);
	int rc = pid > 0 ? reap(pid) : -2;
	CHECK("clone3-vm-child", rc == 0 && vm_child_ran,
	      "pid %ld rc %d ran %d", pid, rc, vm_child_ran);
	CHECK("clone3-vm-stack", vm_child_sp > (uintptr_t)child_stack &&
	      vm_child_sp < (uintptr_t)child_stack + sizeof(child_stack),
	      "child sp %#lx", (unsigned long)vm_child_sp);
}

/* Fork a child with clone flags fl that runs fn and exits with its result. */
static pid_t spawn(unsigned long fl, int (*fn)(void))
{
	long pid = syscall(SYS_clone, fl | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		_exit(fn());
	return pid;
}

static int child_chdir_umask(void)
{
	umask(0077);
	return chdir("sub") ? 1 : 0;
}

static int sync_fd[2], back_fd[2];

/* Waits for the parent to chdir, then reports whether it sees the new cwd. */
static int child_sees_parent(void)
{
	char c, cwd[4096];
	int ok;

	if (read(sync_fd[0], &c, 1) != 1 || !getcwd(cwd, sizeof(cwd)))
		return 2;
	ok = strlen(cwd) > 4 && !strcmp(cwd + strlen(cwd) - 4, "/sub") && umask(0) == 0027;
	return ok ? 0 : 1;
}

static void test_clone_fs(void)
{
	char top[4096], cwd[4096];
	mode_t old;
	pid_t pid;

	CHECK_OK("fs-mkdir", mkdir("sub", 0755));
	if (!getcwd(top, sizeof(top)))
		top[0] = 0;
	old = umask(0022);
	pid = spawn(CLONE_FS, child_chdir_umask);
	CHECK("fs-child-ok", pid > 0 && reap(pid) == 0, "child failed");
	CHECK("fs-cwd-shared", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd + strlen(top), "/sub") &&
	      !strncmp(cwd, top, strlen(top)), "cwd %s", cwd);
	CHECK_EQ("fs-umask-shared", umask(0022), 0077);
	CHECK_OK("fs-back", chdir(top));

	pid = spawn(0, child_chdir_umask);
	CHECK("fs-copy-child-ok", pid > 0 && reap(pid) == 0, "child failed");
	CHECK("fs-cwd-private", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, top), "cwd %s", cwd);
	CHECK_EQ("fs-umask-private", umask(0022), 0022);

	/* The other direction: the parent changes, the running child sees it. */
	if (pipe(sync_fd) || pipe(back_fd))
		return;
	pid = spawn(CLONE_FS, child_sees_parent);
	CHECK_OK("fs-parent-chdir", chdir("sub"));
	umask(0027);
	CHECK_EQ("fs-parent-sync", write(sync_fd[1], "x", 1), 1);
	CHECK_EQ("fs-child-sees-parent", reap(pid), 0);
	CHECK_OK("fs-back2", chdir(top));
	umask(old);
}

int main(void)
{
	char dir[4096];

	tp_init();
	test_clone3_errors();
	test_clone3_fork();
	test_clone3_vm_stack();
	tp_scratch(dir, sizeof(dir));
	test_clone_fs();
	if (chdir("/") == 0)
		tp_rmtree(dir);
	return TP_SUMMARY();
}
