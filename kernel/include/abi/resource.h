/*
 * Resource limits and usage: the RLIMIT_* resources of getrlimit(2) and
 * prlimit64(2) with their 64-bit record, getrusage(2)'s who values and
 * record, and getpriority(2)'s which values.  Mirrors Linux's
 * uapi/asm-generic/resource.h and uapi/linux/resource.h.
 */
#ifndef ABI_RESOURCE_H
#define ABI_RESOURCE_H

#include <abi/types.h>

#ifndef RLIMIT_CPU
#define RLIMIT_CPU		0	/* CPU seconds */
#endif
#ifndef RLIMIT_FSIZE
#define RLIMIT_FSIZE		1	/* bytes a write or truncate may make a regular file */
#endif
#ifndef RLIMIT_DATA
#define RLIMIT_DATA		2
#endif
#ifndef RLIMIT_STACK
#define RLIMIT_STACK		3
#endif
#ifndef RLIMIT_CORE
#define RLIMIT_CORE		4
#endif
#ifndef RLIMIT_RSS
#define RLIMIT_RSS		5
#endif
#ifndef RLIMIT_NPROC
#define RLIMIT_NPROC		6
#endif
#ifndef RLIMIT_NOFILE
#define RLIMIT_NOFILE		7	/* one more than the highest descriptor */
#endif
#ifndef RLIMIT_MEMLOCK
#define RLIMIT_MEMLOCK		8	/* bytes mlock may lock without CAP_IPC_LOCK */
#endif
#ifndef RLIMIT_AS
#define RLIMIT_AS		9	/* bytes of address space */
#endif
#ifndef RLIMIT_LOCKS
#define RLIMIT_LOCKS		10
#endif
#ifndef RLIMIT_SIGPENDING
#define RLIMIT_SIGPENDING	11
#endif
#ifndef RLIMIT_MSGQUEUE
#define RLIMIT_MSGQUEUE		12
#endif
#ifndef RLIMIT_NICE
#define RLIMIT_NICE		13	/* 20 - lowest nice value allowed without CAP_SYS_NICE */
#endif
#ifndef RLIMIT_RTPRIO
#define RLIMIT_RTPRIO		14	/* highest real-time priority allowed without CAP_SYS_NICE */
#endif
#ifndef RLIMIT_RTTIME
#define RLIMIT_RTTIME		15
#endif
#ifndef RLIM_NLIMITS
#define RLIM_NLIMITS		16
#endif
#ifndef RLIM_INFINITY
#define RLIM_INFINITY		(~0UL)
#endif

/* struct rlimit64 of prlimit64(2) (and struct rlimit on x86-64). */
struct abi_rlimit {
	abi_u64 cur, max;
};

#ifndef RUSAGE_SELF
#define RUSAGE_SELF		0
#endif
#ifndef RUSAGE_CHILDREN
#define RUSAGE_CHILDREN		(-1)
#endif
#ifndef RUSAGE_THREAD
#define RUSAGE_THREAD		1
#endif

/* struct rusage: user and system time, then 14 longs of counters. */
struct abi_rusage {
	abi_s64 utime_sec, utime_usec, stime_sec, stime_usec;
	abi_s64 rest[14];
};
_Static_assert(sizeof(struct abi_rusage) == 144, "struct rusage is 144 bytes on x86-64");

#ifndef PRIO_PROCESS
#define PRIO_PROCESS		0
#endif
#ifndef PRIO_PGRP
#define PRIO_PGRP		1
#endif
#ifndef PRIO_USER
#define PRIO_USER		2
#endif

#endif
