/*
 * Terminals: Linux-compatible ttys, several at once (the serial console
 * ttyS0 and every pty slave), all served by one line discipline.
 *
 * A struct tty is one terminal: its line discipline state (kern/ldisc.h:
 * termios, input mapping, canonical editing, echo, ISIG signals to the
 * foreground process group, output processing), window size, the
 * session that owns it and that session's foreground group, a hangup
 * generation, and a driver that moves processed output to the device
 * (the UART, or a pty master's read queue).  Input reaches it through
 * tty_input() (the UART interrupt; a pty master's write).  Reads follow
 * ICANON and VMIN/VTIME like Linux; writers wait while output is
 * stopped (IXON STOP, TCOOFF) or the driver has no room.
 * drivers/tty/tty_jobctrl.c adds the process side: a tty is the
 * controlling terminal of at most one session (proc->ctty points at it),
 * background reads/writes get SIGTTIN/SIGTTOU, and the session is hung
 * up when its leader exits.
 *
 * Lifetime: ttys are never freed (the console is static; pty slots are
 * kept and reused, drivers/tty/pty.c), so proc->ctty and tty files may
 * hold a pointer without a reference count.  A slot is reused only after
 * its hangup cleared every ctty pointing at it.
 *
 * Files: a terminal file keeps a struct tty_file (the tty plus the
 * hangup generation of its open) in f->priv; tty_file_* are the file
 * operations #cons and #pts share.
 *
 * Locking: tty->lock (IRQ-safe) protects the ldisc, ws, sid, pgrp and
 * the driver's output path (driver->output runs with it held, IRQs off).
 * Order: proc_tree_lock -> tty->lock; no signal is sent with tty->lock
 * held.  Readers sleep on tty->readq, writers on tty->writeq; every
 * change also calls poll_wake().
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include <kern/wait.h>
#include <kern/ldisc.h>
#include <abi/termios.h>

struct proc;
struct file;
struct tty;

/* The console's Linux device number: ttyS0 of the 8250 serial driver. */
#define TTY_CONSOLE_MAJOR	4
#define TTY_CONSOLE_MINOR	64

struct tty_driver {
	/* Send n processed bytes to the device (tty->lock held, IRQs off; must not sleep). */
	void (*output)(struct tty *tty, const char *s, size_t n);
	/* Bytes output can take now without dropping (tty->lock held, or none for poll's estimate); NULL: unlimited. */
	size_t (*write_room)(struct tty *tty);
	/* Bytes written but not yet sent (TIOCOUTQ, tcdrain); NULL: always 0. */
	size_t (*chars_in_buffer)(struct tty *tty);
	/* A reader took input, so there is room for more (no lock held); may be NULL. */
	void (*unthrottle)(struct tty *tty);
	/* tcdrain's last step, after chars_in_buffer fell to 0: wait until the device sent it (no lock held); 0 or -errno; may be NULL. */
	int (*wait_until_sent)(struct tty *tty);
	/* termios changed (no lock held); may be NULL. */
	void (*set_termios)(struct tty *tty);
	/* Output stopped (IXON STOP, TCOOFF) or restarted: stop draining queued output (tty->lock held); may be NULL. */
	void (*stop)(struct tty *tty, bool stopped);
	/* First open / last close of the terminal's files (no lock held): raise DTR / drop it under HUPCL; may be NULL. */
	void (*open)(struct tty *tty);
	void (*close)(struct tty *tty);
	/* IXOFF applies: STOP when the input queue fills, START once drained (serial ports; Linux's pty has no throttle, so a pty never sends them). */
	bool ixoff;
};

struct tty {
	struct spinlock lock;
	struct wait_queue readq;	/* readers waiting for input */
	struct wait_queue writeq;	/* writers waiting for room or for START; tcdrain */
	struct ldisc ld;		/* lock */
	struct abi_winsize ws;		/* lock */
	u32 ispeed, ospeed;		/* lock: termios2 line speeds (bits/s) */
	int sid, pgrp;			/* lock: owning session, foreground group (0 = none) */
	int pending_sig;		/* lock: ISIG signal to send after unlocking */
	bool ixoff_sent;		/* lock: STOP sent for IXOFF, START still due */
	long hangups;			/* lock for writers: generation, bumped by each hangup */
	int opens;			/* lock: open files (tty_file_open/close) */
	u64 rdev;			/* Linux device number (ABI_MKDEV), for tty_nr */
	const struct tty_driver *driver;
	void *driver_data;
	bool ready;
};

/* One open terminal file (f->priv of #cons and #pts terminal files). */
struct tty_file {
	struct tty *tty;
	long gen;			/* hangup generation at open, or TTY_NO_HANGUP */
};

/* The serial console (drivers/serial/serial.c is its driver). */
extern struct tty console_tty;

/* Set up tty with driver d and device number rdev: sane termios, 80x24, no session. */
void tty_init(struct tty *tty, const struct tty_driver *d, void *data, u64 rdev);
/* Feed one received byte (any context, IRQ included). */
void tty_input(struct tty *tty, u8 c);
/*
 * Feed up to n received bytes at once (a pty master's write, a port's
 * ring); flags (NULL: all normal) gives each byte's LDISC_RX_* flag (a
 * BREAK, a parity or framing error).  Bytes taken, 0 when the input
 * queue is full.
 */
size_t tty_receive(struct tty *tty, const u8 *buf, const u8 *flags, size_t n);
/* Bytes of input tty could still queue (a pty master's flow control). */
size_t tty_input_room(struct tty *tty);
/*
 * Hangup generations: a terminal file remembers tty_hangup_gen() from its
 * open; once a hangup bumps the generation the file is hung up (reads
 * give EOF, writes and most ioctls EIO), as Linux's hung_up_tty_fops.
 * /dev/console files pass TTY_NO_HANGUP: Linux never hangs them up.
 */
#define TTY_NO_HANGUP	(-1L)
long tty_hangup_gen(struct tty *tty);
/* True if a file of tty opened at generation gen has been hung up since. */
bool tty_hung_up(struct tty *tty, long gen);
/* Hang tty up: files opened until now see EOF/EIO, readers and writers wake. */
void tty_hangup(struct tty *tty);
/* Read up to n bytes into kernel buffer buf (blocking per termios); bytes, 0 at EOF or hangup, or -errno. */
long tty_read(struct tty *tty, void *buf, size_t n, bool nonblock, long gen);
/* Write n bytes with output processing; bytes written, -EAGAIN, -EIO (hung up, orphaned background writer) or -ERESTARTSYS. */
long tty_write(struct tty *tty, const void *buf, size_t n, bool nonblock, long gen);
/* Terminal ioctls (TCGETS, TIOCGWINSZ, TIOCSPGRP...); 0 or -errno. */
long tty_ioctl(struct tty *tty, u32 cmd, unsigned long arg);
/* Window size of tty; setting a different one sends SIGWINCH to the foreground group. */
void tty_get_winsize(struct tty *tty, struct abi_winsize *ws);
void tty_set_winsize(struct tty *tty, const struct abi_winsize *ws);
/* True if a read would not block. */
bool tty_readable(struct tty *tty);
/* True while a user program has tty in non-canonical mode (the monitor hotkey rule). */
bool tty_owns_line(struct tty *tty);
/* Wake tty's readers and writers and poll(2) waiters. */
void tty_wake(struct tty *tty);

/* Job control and the controlling terminal (drivers/tty/tty_jobctrl.c). */
/* Is tty p's controlling terminal (p's session owns it)?  True for kernel threads (NULL). */
bool tty_is_ctty(struct tty *tty, struct proc *p);
/* p's controlling terminal, or NULL. */
struct tty *tty_of_proc(struct proc *p);
/* /proc/PID/stat fields of p (proc_tree_lock held): tty_nr and tpgid, or 0 and -1 without a ctty. */
void tty_proc_stat(struct proc *p, int *tty_nr, int *tpgid);
/* Opening tty without O_NOCTTY: a session leader with no terminal takes a free one. */
void tty_open_ctty(struct tty *tty, struct proc *p);
/* p's last thread is exiting: if p leads the session that owns its ctty, hang the session up. */
void tty_exit_session(struct proc *p);
/* Detach tty from its session (pty master closed): SIGHUP+SIGCONT to the foreground group. */
void tty_vhangup(struct tty *tty);

/* Terminal file operations shared by #cons and #pts (drivers/tty/tty_file.c). */
/* Attach tty to file f (f->priv) with hangup generation gen; 0 or -ENOMEM. */
int tty_file_open(struct file *f, struct tty *tty, long gen);
void tty_file_close(struct file *f);
struct tty *tty_file_tty(struct file *f);
ssize_t tty_file_read(struct file *f, void *buf, size_t n);
ssize_t tty_file_write(struct file *f, const void *buf, size_t n);
long tty_file_ioctl(struct file *f, u32 cmd, unsigned long arg);
u32 tty_file_poll(struct file *f);

#endif
