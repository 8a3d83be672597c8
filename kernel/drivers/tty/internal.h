/*
 * What the files of drivers/tty/ share: the job-control half of the tty
 * ioctls (tty_jobctrl.c) and its background-access check, which tty.c's
 * reads, writes and termios changes call.
 */
#ifndef DRIVERS_TTY_INTERNAL_H
#define DRIVERS_TTY_INTERNAL_H

#include <kern/tty.h>

/* Background access check for sig (SIGTTIN/SIGTTOU); 0 to go ahead, -EIO, or -ERESTARTSYS after signalling the group. */
int tty_check_change(struct tty *tty, int sig);
/* Send sig to every process of group pgrp (no tty lock held). */
void tty_signal_pgrp(int pgrp, int sig);
/* Job-control ioctls (TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID); -ENOIOCTLCMD for others. */
long tty_jobctrl_ioctl(struct tty *tty, u32 cmd, unsigned long arg);

/* tty_jobctrl_ioctl's "not mine" (Linux's ENOIOCTLCMD; never reaches user space). */
#define TTY_NOIOCTL	(-515)

#endif
