/*
 * The console terminal: a Linux-style line discipline on COM1.
 *
 * Input bytes arrive from the UART interrupt (tty_input).  In canonical
 * mode (ICANON) they are edited in a line buffer (ERASE, KILL, EOF, echo)
 * and become readable a line at a time; in raw mode each byte is readable
 * at once (VMIN/VTIME semantics of Linux, simplified to VMIN>=1 or 0).
 * ISIG turns INTR/QUIT/SUSP into SIGINT/SIGQUIT/SIGTSTP for the
 * foreground process group.  Output goes through OPOST/ONLCR to the
 * console.  termios is struct abi_termios (the kernel's struct termios of
 * Linux x86-64: TCGETS/TCSETS*).
 *
 * Locking: tty.lock (IRQ-safe) protects every field; readers sleep on
 * tty.readq.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include <kern/types.h>

/* Feed one received byte (IRQ context). */
void tty_input(u8 c);
/* Read up to n bytes for a reader (blocking per termios); bytes, 0 at EOF, or -errno. */
long tty_read(void *buf, size_t n, bool nonblock);
/* Write n bytes with output processing; returns n. */
long tty_write(const void *buf, size_t n);
/* Terminal ioctls (TCGETS, TIOCGWINSZ, TIOCSPGRP...); 0 or -errno. */
long tty_ioctl(u32 cmd, unsigned long arg);
/* True if a read would not block. */
bool tty_readable(void);

#endif
