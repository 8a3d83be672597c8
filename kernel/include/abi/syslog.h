/*
 * syslog(2) actions (the kernel log ring, as dmesg reads it).  Mirrors
 * the SYSLOG_ACTION_* numbers of Linux's include/linux/syslog.h, which
 * user space knows as klogctl's "type" argument.
 */
#ifndef ABI_SYSLOG_H
#define ABI_SYSLOG_H

#ifndef SYSLOG_ACTION_CLOSE
#define SYSLOG_ACTION_CLOSE		0
#endif
#ifndef SYSLOG_ACTION_OPEN
#define SYSLOG_ACTION_OPEN		1
#endif
#ifndef SYSLOG_ACTION_READ
#define SYSLOG_ACTION_READ		2
#endif
#ifndef SYSLOG_ACTION_READ_ALL
#define SYSLOG_ACTION_READ_ALL		3
#endif
#ifndef SYSLOG_ACTION_READ_CLEAR
#define SYSLOG_ACTION_READ_CLEAR	4
#endif
#ifndef SYSLOG_ACTION_CLEAR
#define SYSLOG_ACTION_CLEAR		5
#endif
#ifndef SYSLOG_ACTION_CONSOLE_OFF
#define SYSLOG_ACTION_CONSOLE_OFF	6
#endif
#ifndef SYSLOG_ACTION_CONSOLE_ON
#define SYSLOG_ACTION_CONSOLE_ON	7
#endif
#ifndef SYSLOG_ACTION_CONSOLE_LEVEL
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#endif
#ifndef SYSLOG_ACTION_SIZE_UNREAD
#define SYSLOG_ACTION_SIZE_UNREAD	9
#endif
#ifndef SYSLOG_ACTION_SIZE_BUFFER
#define SYSLOG_ACTION_SIZE_BUFFER	10
#endif

#endif
