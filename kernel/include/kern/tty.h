/*
 * The console terminal: a Linux-compatible terminal on COM1.
 *
 * Input bytes arrive from the UART interrupt (tty_input) and go through
 * the line discipline of drivers/tty/ldisc.c (kern/ldisc.h: termios input
 * mapping, canonical editing, echo, ISIG signals to the foreground
 * process group); output goes through its OPOST processing.  Reads follow
 * ICANON and VMIN/VTIME like Linux.  drivers/tty/tty.c adds the process side:
 * the console is the controlling terminal of at most one session (none at
 * boot; proc->ctty marks its processes) with a foreground process group,
 * background reads/writes get SIGTTIN/SIGTTOU, and the session is hung up
 * when its leader exits (details in drivers/tty/tty.c).  The console is ttyS0,
 * Linux's device 4:64, which /proc/PID/stat reports as tty_nr.  termios is struct
 * abi_termios (abi/termios.h, TCGETS/TCSETS*).
 *
 * Locking: drivers/tty/tty.c's tty.lock (IRQ-safe) protects the terminal state;
 * readers sleep on its wait queue, and every input byte also calls
 * poll_wake() for poll/select.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include <kern/types.h>

struct proc;

/* The console's Linux device number: ttyS0 of the 8250 serial driver. */
#define TTY_CONSOLE_MAJOR	4
#define TTY_CONSOLE_MINOR	64

/* Set up the terminal (called by #cons init). */
void tty_init(void);
/* Feed one received byte (IRQ context). */
void tty_input(u8 c);
/*
 * Hangup generations: a terminal file remembers tty_hangup_gen() from its
 * open; once a hangup bumps the generation the file is hung up (reads
 * give EOF, writes and most ioctls EIO), as Linux's hung_up_tty_fops.
 * /dev/console files pass TTY_NO_HANGUP: Linux never hangs them up.
 */
#define TTY_NO_HANGUP	(-1L)
long tty_hangup_gen(void);
/* True if a file opened at generation gen has been hung up since. */
bool tty_hung_up(long gen);
/* Read up to n bytes into kernel buffer buf (blocking per termios); bytes, 0 at EOF or hangup, or -errno. */
long tty_read(void *buf, size_t n, bool nonblock, long gen);
/* Write n bytes with output processing; n, or -EIO (hung up, or a stopped orphaned background writer)/-ERESTARTSYS. */
long tty_write(const void *buf, size_t n, long gen);
/* Terminal ioctls (TCGETS, TIOCGWINSZ, TIOCSPGRP...); 0 or -errno. */
long tty_ioctl(u32 cmd, unsigned long arg);
/* True if a read would not block. */
bool tty_readable(void);
/* True while a user program has the terminal in non-canonical mode (the monitor hotkey rule). */
bool tty_owns_line(void);
/* Is the console p's controlling terminal (p's session owns it)?  True for kernel threads (NULL). */
bool tty_is_ctty(struct proc *p);
/* /proc/PID/stat fields of p (proc_tree_lock held): tty_nr and tpgid, or 0 and -1 without a ctty. */
void tty_proc_stat(struct proc *p, int *tty_nr, int *tpgid);
/* Opening the console without O_NOCTTY: a session leader with no terminal takes a free one. */
void tty_open_ctty(struct proc *p);
/* p's last thread is exiting: if p leads the session that owns the console, hang the session up. */
void tty_exit_session(struct proc *p);

#endif
