/*
 * Pseudo-terminals (drivers/tty/pty.c): a master file (/dev/ptmx opens
 * one) and a slave terminal /dev/pts/N, a struct tty like the console.
 * What the slave's line discipline outputs the master reads; what the
 * master writes the slave receives as typed input.  #pts (dev/pts.c)
 * serves the files; glibc's posix_openpt, grantpt, unlockpt, ptsname
 * and openpty work through TIOCGPTN, TIOCSPTLCK and TIOCGPTPEER.
 */
#ifndef KERN_PTY_H
#define KERN_PTY_H

#include <kern/types.h>

#define PTY_MAX		256	/* ptys at once (/dev/pts/0 .. PTY_MAX - 1) */

struct pty;
struct tty;

/* A free pty, locked, owned by uid, its master counted open; NULL if all are busy or no memory. */
struct pty *pty_alloc(u32 uid);
/* The master's file closed: hang the slave up and free the slot once no slave file is open. */
void pty_master_close(struct pty *pty);
/* The pty whose master is open at index, or NULL. */
struct pty *pty_lookup(int index);
/* Is slot index in use?  Then *uid is its owner. */
bool pty_slot_info(int index, u32 *uid);
int pty_index(struct pty *pty);
/* The slave terminal. */
struct tty *pty_tty(struct pty *pty);
/* Count a slave open: 0, or -EIO (locked, or the master is gone). */
int pty_slave_open(struct pty *pty);
void pty_slave_close(struct pty *pty);
/* Read the slave's output: bytes, -EAGAIN, -EIO (every slave file closed) or -ERESTARTSYS. */
ssize_t pty_master_read(struct pty *pty, void *buf, size_t n, bool nonblock);
/* Type n bytes into the slave: bytes, -EAGAIN or -ERESTARTSYS. */
ssize_t pty_master_write(struct pty *pty, const void *buf, size_t n, bool nonblock);
/* Master readiness bits (POLLIN, POLLOUT, POLLHUP). */
u32 pty_master_poll(struct pty *pty);
/* Master ioctls: TIOCGPTN, TIOCSPTLCK, TIOCPKT..., termios and window size of the slave; 0 or -errno. */
long pty_master_ioctl(struct pty *pty, u32 cmd, unsigned long arg);

#endif
