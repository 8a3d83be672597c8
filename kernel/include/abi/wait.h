/*
 * wait4(2)/waitid(2) options and waitid's id types.  Mirrors Linux's
 * uapi/linux/wait.h.  glibc's P_* are enumerators, not macros: include
 * <sys/wait.h> first and these plain defines then shadow them harmlessly.
 */
#ifndef ABI_WAIT_H
#define ABI_WAIT_H

#ifndef WNOHANG
#define WNOHANG		0x00000001
#endif
#ifndef WUNTRACED
#define WUNTRACED	0x00000002
#endif
#ifndef WSTOPPED
#define WSTOPPED	WUNTRACED
#endif
#ifndef WEXITED
#define WEXITED		0x00000004
#endif
#ifndef WCONTINUED
#define WCONTINUED	0x00000008
#endif
#ifndef WNOWAIT
#define WNOWAIT		0x01000000
#endif

#ifndef P_ALL
#define P_ALL		0
#endif
#ifndef P_PID
#define P_PID		1
#endif
#ifndef P_PGID
#define P_PGID		2
#endif
#ifndef P_PIDFD
#define P_PIDFD		3
#endif

#endif
