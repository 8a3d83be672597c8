/*
 * The console terminal: a Linux-compatible terminal on COM1.
 *
 * Input bytes arrive from the UART interrupt (tty_input) and go through
 * the line discipline of lib/ldisc.c (kern/ldisc.h: termios input
 * mapping, canonical editing, echo, ISIG signals to the foreground
 * process group); output goes through its OPOST processing.  Reads follow
 * ICANON and VMIN/VTIME like Linux.  core/tty.c adds the process side:
 * the console is the controlling terminal of one session (tty.sid, init's
 * at boot) with a foreground process group, and background reads/writes
 * get SIGTTIN/SIGTTOU (details in core/tty.c).  termios is struct
 * abi_termios (abi/termios.h, TCGETS/TCSETS*).
 *
 * Locking: core/tty.c's tty.lock (IRQ-safe) protects the terminal state;
 * readers sleep on its wait queue, and every input byte also calls
 * poll_wake() for poll/select.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include <kern/types.h>

struct proc;

/* Set up the terminal (called by #cons init). */
void tty_init(void);
/* Feed one received byte (IRQ context). */
void tty_input(u8 c);
/* Read up to n bytes into kernel buffer buf (blocking per termios); bytes, 0 at EOF, or -errno. */
long tty_read(void *buf, size_t n, bool nonblock);
/* Write n bytes with output processing; n, or -EIO/-ERESTARTSYS for a stopped background writer. */
long tty_write(const void *buf, size_t n);
/* Terminal ioctls (TCGETS, TIOCGWINSZ, TIOCSPGRP...); 0 or -errno. */
long tty_ioctl(u32 cmd, unsigned long arg);
/* True if a read would not block. */
bool tty_readable(void);
/* True while a user program has the terminal in non-canonical mode (the monitor hotkey rule). */
bool tty_owns_line(void);
/* Is the console p's controlling terminal (p's session owns it)?  True for kernel threads (NULL). */
bool tty_is_ctty(struct proc *p);

#endif
