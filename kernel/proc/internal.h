/*
 * What the files of kernel/proc share and nothing outside them uses: the
 * pieces of a process's lifetime that proc.c (allocation, pid table),
 * create.c (create-then-run), clone.c, exec.c, exit.c and the signal code
 * hand each other.  The public process interface is kern/proc.h.
 */
#ifndef KERNEL_PROC_INTERNAL_H
#define KERNEL_PROC_INTERNAL_H

#include <kern/types.h>
#include <kern/compiler.h>

struct proc;
struct task;
struct ktimer;
struct hw_trapframe;
struct ksiginfo;
struct abi_sigaction;

/* proc.c */
/* A zeroed process with locks, lists and default limits; NULL when memory is short. */
struct proc *proc_alloc(void);
/*
 * A fresh user task for p with FPU state (kworker: one that never enters
 * user mode, see struct task); NULL when memory is short.
 */
struct task *proc_new_task(struct proc *p, const char *name, bool kworker);
/* Thread tid (of process tgid if tgid > 0), NULL if none; proc_tree_lock held. */
struct task *__thread_lookup(int tgid, int tid);
/* Attach a task to p as one of its threads. */
void proc_add_task(struct proc *p, struct task *t);
/* A thread id for a new thread of p (ids share the pid space); -EAGAIN if full. */
int tid_alloc_for(struct proc *p);
/* Release a thread id that is not its process's pid. */
void tid_free(int tid);
/* ITIMER_REAL expiry (tick context): SIGALRM, and reload if periodic. */
void itimer_real_fire(struct ktimer *t);

/* create.c */
/* proc_create with PROC_* flags and argv/envp from user (user) or kernel memory; 0 or -errno. */
int proc_create_flags(struct proc *parent, const char *path, char *const argv[],
		      char *const envp[], int flags, bool user, struct proc **out);
/* The CREATED child pid of the caller, or NULL (-ESRCH/-EPERM in *err). */
struct proc *created_child(int pid, int *err);

/* clone.c */
/* The vfork child exec'd or exited: let the parent continue. */
void proc_vfork_release(struct proc *c);

/* exec.c */
/* Load path into task t of process p (argv/envp from user memory if user); 0 or -errno. */
int exec_into(struct proc *p, struct task *t, const char *path, char *const argv[],
	      char *const envp[], bool user);

/* exit.c */
/* Free a process structure that is no longer in the pid table. */
void proc_free(struct proc *p);
/* Detach thread t from p's task list. */
void proc_remove_task(struct proc *p, struct task *t);
/* SIGKILL every other thread of p and wait until the caller is the last one. */
void proc_kill_other_threads(struct proc *p);
/* SIGCONT resumed p: CLD_CONTINUED to the parent (unless it asked SA_NOCLDSTOP). */
void proc_notify_parent_cont(struct proc *p);
/* p stopped on sig (the stop is already recorded for wait): CLD_STOPPED to the parent. */
void proc_notify_parent_stop(struct proc *p, int sig);
/*
 * Become the one thread that tears the process down (exit_group, or
 * execve killing its siblings); false if another thread already is, in
 * which case the caller must just end itself: it has been sent SIGKILL.
 */
bool proc_claim_group_exit(struct proc *p);
/* A thread killed while another one tears the process down (exec). */
void __noreturn proc_exit_killed_thread(void);

/* sigframe.c */
/* Push sig's rt_sigframe and point tf at the handler; false without SA_RESTORER or if the stack is bad. */
bool setup_sigframe(struct hw_trapframe *tf, int sig, const struct abi_sigaction *ka,
		    const struct ksiginfo *info);
/* rt_sigreturn: restore registers, mask and FPU state from the frame; the restored rax (a bad frame: SIGSEGV). */
long sys_rt_sigreturn_frame(struct hw_trapframe *tf);

#endif
