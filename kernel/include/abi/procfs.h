/*
 * Numbers that Linux's /proc text formats carry and programs interpret
 * (fs/proc/array.c, include/linux/sched.h): the clock tick of the time
 * fields of /proc/PID/stat and /proc/stat (sysconf(_SC_CLK_TCK)), and
 * the task flag bits of the ninth field of /proc/PID/stat.
 */
#ifndef ABI_PROCFS_H
#define ABI_PROCFS_H

#define ABI_USER_HZ		100

#define ABI_PF_FORKNOEXEC	0x00000040	/* forked but did not exec */
#define ABI_PF_RANDOMIZE	0x00400000	/* address space randomised */

#endif
