/*
 * System call dispatch: the table by Linux x86-64 number (see
 * docs/syscalls.md for what each entry supports) plus the Akaros range.
 * Unknown numbers return -ENOSYS.  Booting with `strace` logs every call
 * and its result on the console.
 */
#include <kern/syscall.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/bootinfo.h>
#include <arch/trap.h>
#include <kern/ttrace.h>

static const syscall_fn syscall_table[NR_SYSCALLS] = {
#define SYSCALL(nr, name)	[nr] = sys_##name,
#include <kern/syscall_list.h>
#undef SYSCALL
};

static const char *const syscall_names[NR_SYSCALLS] = {
#define SYSCALL(nr, name)	[nr] = #name,
#include <kern/syscall_list.h>
#undef SYSCALL
};

static int strace_on = -1;

/* Name of syscall nr, or NULL if we do not implement it. */
static const char *syscall_name(u64 nr)
{
	return nr < NR_SYSCALLS ? syscall_names[nr] : NULL;
}

void syscall_dispatch(struct hw_trapframe *tf)
{
	u64 nr = tf->rax;
	struct syscall_args a = { { tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 }, tf };
	long ret = -ENOSYS;

	tf->err = nr;		/* orig_rax: syscall restart needs it */
	if (strace_on < 0)
		strace_on = cmdline_has("strace");
	ttrace_sys_enter(nr, a.a);
	if (nr < NR_SYSCALLS && syscall_table[nr])
		ret = syscall_table[nr](&a);
	ttrace_sys_exit(nr, ret);
	if (strace_on) {
		struct proc *p = current_proc();

		printk("[%d] %s(%llx, %llx, %llx, %llx) = %ld\n", p ? p->pid : 0,
		       syscall_name(nr) ? syscall_name(nr) : "?", a.a[0], a.a[1], a.a[2], a.a[3],
		       ret);
	}
	tf->rax = ret;
}
