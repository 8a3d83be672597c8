/*
 * Process creation and scheduling policy: clone(2) flags (the low byte is
 * the exit signal), struct clone_args of clone3(2), and the policies and
 * parameter record of sched_setscheduler(2).  Mirrors Linux's
 * uapi/linux/sched.h and uapi/linux/sched/types.h.
 */
#ifndef ABI_SCHED_H
#define ABI_SCHED_H

#include <abi/types.h>

#ifndef CSIGNAL
#define CSIGNAL			0x000000ff	/* exit signal of the child */
#endif
#ifndef CLONE_VM
#define CLONE_VM		0x00000100
#endif
#ifndef CLONE_FS
#define CLONE_FS		0x00000200
#endif
#ifndef CLONE_FILES
#define CLONE_FILES		0x00000400
#endif
#ifndef CLONE_SIGHAND
#define CLONE_SIGHAND		0x00000800
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD		0x00001000
#endif
#ifndef CLONE_PTRACE
#define CLONE_PTRACE		0x00002000
#endif
#ifndef CLONE_VFORK
#define CLONE_VFORK		0x00004000
#endif
#ifndef CLONE_PARENT
#define CLONE_PARENT		0x00008000
#endif
#ifndef CLONE_THREAD
#define CLONE_THREAD		0x00010000
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS		0x00020000
#endif
#ifndef CLONE_SYSVSEM
#define CLONE_SYSVSEM		0x00040000
#endif
#ifndef CLONE_SETTLS
#define CLONE_SETTLS		0x00080000
#endif
#ifndef CLONE_PARENT_SETTID
#define CLONE_PARENT_SETTID	0x00100000
#endif
#ifndef CLONE_CHILD_CLEARTID
#define CLONE_CHILD_CLEARTID	0x00200000
#endif
#ifndef CLONE_DETACHED
#define CLONE_DETACHED		0x00400000
#endif
#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED		0x00800000
#endif
#ifndef CLONE_CHILD_SETTID
#define CLONE_CHILD_SETTID	0x01000000
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP		0x02000000
#endif
#ifndef CLONE_NEWUTS
#define CLONE_NEWUTS		0x04000000
#endif
#ifndef CLONE_NEWIPC
#define CLONE_NEWIPC		0x08000000
#endif
#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER		0x10000000
#endif
#ifndef CLONE_NEWPID
#define CLONE_NEWPID		0x20000000
#endif
#ifndef CLONE_NEWNET
#define CLONE_NEWNET		0x40000000
#endif
#ifndef CLONE_IO
#define CLONE_IO		0x80000000
#endif
/* clone3 only (flags wider than clone's int). */
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND	0x100000000ULL
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP	0x200000000ULL
#endif

/* struct clone_args of clone3(2); every field is 64 bits wide. */
struct abi_clone_args {
	abi_u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	abi_u64 set_tid, set_tid_size, cgroup;
};
#ifndef CLONE_ARGS_SIZE_VER0
#define CLONE_ARGS_SIZE_VER0	64	/* the first published size */
#endif

#ifndef SCHED_OTHER
#define SCHED_OTHER		0
#endif
#ifndef SCHED_FIFO
#define SCHED_FIFO		1
#endif
#ifndef SCHED_RR
#define SCHED_RR		2
#endif
#ifndef SCHED_BATCH
#define SCHED_BATCH		3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE		5
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE		6
#endif
#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK	0x40000000
#endif

struct abi_sched_param {
	int sched_priority;
};

#endif
