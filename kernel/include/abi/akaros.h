/*
 * Akaros-specific system calls, numbered above the Linux x86-64 range so
 * they never collide (docs/syscalls.md lists them).
 *
 * Create-then-run: pid = syscall(SYS_proc_create, path, argv, envp, flags)
 * builds a child that does not run; the parent then shapes it with
 * SYS_proc_dup_fd(pid, parent_fd, child_fd), SYS_proc_close_fd(pid, fd)
 * and SYS_proc_chdir(pid, path), and starts it with SYS_proc_run(pid).
 * It is reaped with wait4 like any child.  Ours alone (no Linux header
 * has them); the names do not occur in the C library.
 */
#ifndef ABI_AKAROS_H
#define ABI_AKAROS_H

#define SYS_proc_create		1000
#define SYS_proc_run		1001
#define SYS_proc_dup_fd		1002
#define SYS_proc_close_fd	1003
#define SYS_proc_chdir		1004

/* proc_create flags */
#define PROC_DUP_FGRP		0x1	/* child starts with the parent's fds (minus close-on-exec) */

#endif
