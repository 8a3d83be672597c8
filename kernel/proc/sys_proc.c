/*
 * Process system calls: identity, creation (fork/vfork/clone/execve and
 * Akaros create-then-run), exit and wait, process groups and sessions.
 * Thin wrappers: copy in, validate, call core/proc*.c, copy out.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <abi/akaros.h>
#include <arch/trap.h>
#include <abi/sched.h>
#include "internal.h"

SYSCALL_DEFINE0(getpid)
{
	return current_proc()->pid;
}

SYSCALL_DEFINE0(gettid)
{
	return current()->tid;
}

SYSCALL_DEFINE0(getppid)
{
	struct proc *p = current_proc();

	return p->parent ? p->parent->pid : 0;
}

SYSCALL_DEFINE0(fork)
{
	return proc_clone(SIGCHLD, 0, 0, 0, 0);
}

SYSCALL_DEFINE0(vfork)
{
	return proc_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/* x86-64 argument order: flags, newsp, parent_tid, child_tid, tls. */
SYSCALL_DEFINE5(clone, u64, flags, uintptr_t, newsp, uintptr_t, ptid, uintptr_t, ctid, u64, tls)
{
	return proc_clone(flags, newsp, ptid, ctid, tls);
}

SYSCALL_DEFINE3(execve, const char *, path, char *const *, argv, char *const *, envp)
{
	return proc_execve(path, argv, envp, true);
}

SYSCALL_DEFINE5(execveat, int, dirfd, const char *, path, char *const *, argv,
		char *const *, envp, int, flags)
{
	return proc_execveat(dirfd, path, argv, envp, flags);
}

SYSCALL_DEFINE1(exit, int, code)
{
	proc_exit_thread(code);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	proc_exit_group((code & 0xff) << 8);
}

SYSCALL_DEFINE4(wait4, int, pid, int *, ustatus, int, options, void *, rusage)
{
	int status = 0;
	long ret;

	if (options & ~(1 | 2 | 8 | 0x40000000 | 0x80000000 | 0x20000000))
		return -EINVAL;
	ret = proc_wait(pid, &status, options, false, NULL);
	if (ret > 0 && ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (ret >= 0 && rusage && clear_user(rusage, 144))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE5(waitid, int, idtype, int, id, void *, uinfo, int, options, void *, rusage)
{
	struct abi_siginfo si;
	int pid;
	long ret;

	if (!(options & (4 | 2 | 8)) || (options & ~(1 | 2 | 4 | 8 | 0x01000000)))
		return -EINVAL;
	if (idtype == 0)
		pid = -1;
	else if (idtype == 1 && id > 0)
		pid = id;
	else if (idtype == 2 && id >= 0)
		pid = id ? -id : 0;
	else
		return -EINVAL;
	memset(&si, 0, sizeof(si));
	ret = proc_wait(pid, NULL, options, true, &si);
	if (ret < 0)
		return ret;
	if (uinfo && copy_to_user(uinfo, &si, sizeof(si)))
		return -EFAULT;
	if (rusage && clear_user(rusage, 144))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE0(setsid)
{
	struct proc *p = current_proc(), *q;
	int cursor = 0;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	/* A process group leader (or anyone using our pid as a group) cannot start a session. */
	while ((q = __proc_next(&cursor)))
		if (q->pgid == p->pid) {
			spin_unlock_irqrestore(&proc_tree_lock, flags);
			return -EPERM;
		}
	__proc_set_ids(p, p->pid, p->pid);
	p->ctty = NULL;		/* the new session has no terminal (drivers/tty/tty_jobctrl.c) */
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return p->sid;
}

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct proc *me = current_proc(), *p, *q;
	int cursor = 0, ret = 0;
	bool group_ok = false;
	u64 flags;

	if (pgid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = pid ? __pid_lookup(pid) : me;
	if (!p || p->pid != (pid ? pid : me->pid) || (p != me && p->parent != me)) {
		ret = -ESRCH;
		goto out;
	}
	if (p->sid != me->sid || p->sid == p->pid) {
		ret = -EPERM;
		goto out;
	}
	if (!pgid)
		pgid = p->pid;
	if (pgid == p->pid)
		group_ok = true;
	while (!group_ok && (q = __proc_next(&cursor)))
		group_ok = q->pgid == pgid && q->sid == me->sid;
	if (!group_ok) {
		ret = -EPERM;
		goto out;
	}
	__proc_set_ids(p, pgid, p->sid);
out:
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ret;
}

/* getpgid/getsid helper: field of pid (0 = self) or -ESRCH. */
static long proc_field(int pid, bool sid)
{
	struct proc *p;
	long ret;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	p = pid ? __pid_lookup(pid) : current_proc();
	ret = p && !p->zombie ? (sid ? p->sid : p->pgid) : -ESRCH;
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ret;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	return proc_field(pid, false);
}

SYSCALL_DEFINE0(getpgrp)
{
	return current_proc()->pgid;
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	return proc_field(pid, true);
}

SYSCALL_DEFINE1(set_tid_address, int *, tidptr)
{
	current()->clear_child_tid = (uintptr_t)tidptr;
	return current()->tid;
}

/* Akaros create-then-run (see abi/akaros.h). */
SYSCALL_DEFINE4(proc_create, const char *, path, char *const *, argv, char *const *, envp,
		int, flags)
{
	struct proc *c;
	int err;

	if (flags & ~PROC_DUP_FGRP)
		return -EINVAL;
	err = proc_create_flags(current_proc(), path, argv, envp, flags, true, &c);
	return err ? err : c->pid;
}

SYSCALL_DEFINE1(proc_run, int, pid)
{
	int err;
	struct proc *c = created_child(pid, &err);

	return c ? proc_run(c) : err;
}

SYSCALL_DEFINE3(proc_dup_fd, int, pid, int, parent_fd, int, child_fd)
{
	int err;
	struct proc *c = created_child(pid, &err);
	struct file *f;

	if (!c)
		return err;
	if (child_fd < 0 || child_fd >= c->fdt->max)
		return -EBADF;
	f = fdt_get(current_proc()->fdt, parent_fd);
	if (!f)
		return -EBADF;
	fdt_close(c->fdt, child_fd);
	err = fdt_install(c->fdt, f, child_fd, false);
	if (err != child_fd) {
		file_put(f);
		return err < 0 ? err : -EBUSY;
	}
	return child_fd;
}

SYSCALL_DEFINE2(proc_close_fd, int, pid, int, fd)
{
	int err;
	struct proc *c = created_child(pid, &err);

	return c ? fdt_close(c->fdt, fd) : err;
}

SYSCALL_DEFINE2(proc_chdir, int, pid, const char *, upath)
{
	int err;
	struct proc *c = created_child(pid, &err);
	char *path;

	if (!c)
		return err;
	path = kmalloc(PATH_MAX, MEM_WAIT);
	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, upath, PATH_MAX);
	if (err >= 0)
		err = vfs_chdir(&c->fs, NULL, path);
	kfree(path);
	return err;
}
