/*
 * System call plumbing.  Handlers are defined with SYSCALL_DEFINEn(name,
 * type, arg, ...), which produces `long sys_<name>(const struct
 * syscall_args *)` unpacking the registers into typed arguments, so the
 * dispatch table holds one function type.  The table itself is built from
 * kern/syscall_list.h (Linux x86-64 numbers, plus the Akaros range), and
 * every number without an entry returns -ENOSYS.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include <kern/types.h>

struct hw_trapframe;

struct syscall_args {
	u64 a[6];
	struct hw_trapframe *tf;
};

typedef long (*syscall_fn)(const struct syscall_args *);

#define __SC_ARG(i, t)	((t)(__a->a[i]))

#define SYSCALL_DEFINE0(name)							\
	static long do_sys_##name(const struct syscall_args *__a);		\
	long sys_##name(const struct syscall_args *__a)				\
	{									\
		return do_sys_##name(__a);					\
	}									\
	static long do_sys_##name(const struct syscall_args *__a __unused)
#define SYSCALL_DEFINE1(name, t1, a1)						\
	static long do_sys_##name(t1 a1);					\
	long sys_##name(const struct syscall_args *__a)				\
	{									\
		return do_sys_##name(__SC_ARG(0, t1));				\
	}									\
	static long do_sys_##name(t1 a1)
#define SYSCALL_DEFINE2(name, t1, a1, t2, a2)					\
	static long do_sys_##name(t1 a1, t2 a2);				\
	long sys_##name(const struct syscall_args *__a)				\
	{									\
		return do_sys_##name(__SC_ARG(0, t1), __SC_ARG(1, t2));		\
	}									\
	static long do_sys_##name(t1 a1, t2 a2)
#define SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3)				\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3);				\
	long sys_##name(const struct syscall_args *__a)				\
	{									\
		return do_sys_##name(__SC_ARG(0, t1), __SC_ARG(1, t2),		\
				     __SC_ARG(2, t3));				\
	}									\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4)			\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4);			\
	long sys_##name(const struct syscall_args *__a)				\
	{									\
		return do_sys_##name(__SC_ARG(0, t1), __SC_ARG(1, t2),		\
				     __SC_ARG(2, t3), __SC_ARG(3, t4));		\
	}									\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)		\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);		\
	long sys_##name(const struct syscall_args *__a)				\
	{									\
		return do_sys_##name(__SC_ARG(0, t1), __SC_ARG(1, t2),		\
				     __SC_ARG(2, t3), __SC_ARG(3, t4),		\
				     __SC_ARG(4, t5));				\
	}									\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)
#define SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)	\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6);	\
	long sys_##name(const struct syscall_args *__a)				\
	{									\
		return do_sys_##name(__SC_ARG(0, t1), __SC_ARG(1, t2),		\
				     __SC_ARG(2, t3), __SC_ARG(3, t4),		\
				     __SC_ARG(4, t5), __SC_ARG(5, t6));		\
	}									\
	static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* Prototypes of every handler in the table. */
#define SYSCALL(nr, name)	long sys_##name(const struct syscall_args *);
#include <kern/syscall_list.h>
#undef SYSCALL

/* Akaros-specific calls live above the Linux range. */
#define AKAROS_SYSCALL_BASE	1000
#define NR_SYSCALLS		1100

/* Program this CPU's SYSCALL MSRs (arch/x86/syscall_init.c); every CPU, once. */
void syscall_init_cpu(void);
/* Run the system call tf describes (called from syscall_entry.S); result in tf->rax. */
void syscall_dispatch(struct hw_trapframe *tf);

/* Syscalls may fail with this to be restarted (SA_RESTART) or turned into EINTR. */
#define ERESTARTSYS	512

#endif
