/*
 * Console line discipline (see kern/tty.h for the model).  Defaults match
 * a Linux serial console after `stty sane`: ICRNL, OPOST|ONLCR, ECHO,
 * ECHOE, ECHOK, ICANON, ISIG, 38400 baud, ^C ^\ ^U ^D ^Z, 24x80.
 */
#include <kern/tty.h>
#include <kern/wait.h>
#include <kern/poll.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/printk.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/syscall.h>

#define TTY_BUF		4096
#define NCCS		19

/* c_iflag */
#define IGNCR	0000200
#define ICRNL	0000400
#define INLCR	0000100
/* c_oflag */
#define OPOST	0000001
#define ONLCR	0000004
/* c_lflag */
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define NOFLSH	0000200
#define ECHOCTL	0001000
#define IEXTEN	0100000
/* c_cc indices */
#define VINTR	0
#define VQUIT	1
#define VERASE	2
#define VKILL	3
#define VEOF	4
#define VTIME	5
#define VMIN	6
#define VSUSP	10
#define VWERASE	14

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCFLSH		0x540B
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B
#define TIOCNOTTY	0x5422
#define TIOCGSID	0x5429

struct abi_termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[NCCS];
};

struct abi_winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

static struct {
	struct spinlock lock;
	struct wait_queue readq;
	struct abi_termios t;
	struct abi_winsize ws;
	u8 buf[TTY_BUF];	/* cooked input ready for readers */
	u32 head, tail;		/* head - tail = bytes ready */
	u8 line[TTY_BUF];	/* canonical line being edited */
	u32 linelen;
	u32 eofs;		/* pending EOF marks (^D on an empty line) */
	int pgrp, sid;		/* foreground process group, session (0 = none) */
} tty = {
	.lock = SPINLOCK_INITIALIZER("tty"),
	.t = {
		.c_iflag = ICRNL,
		.c_oflag = OPOST | ONLCR,
		.c_cflag = 0000017 | 0000060 | 0000200,	/* B38400 | CS8 | CREAD */
		.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | IEXTEN,
		.c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21, [VEOF] = 4,
			  [VTIME] = 0, [VMIN] = 1, [VSUSP] = 26, [VWERASE] = 23 },
	},
	.ws = { 24, 80, 0, 0 },
};

static bool readq_ready;

void tty_init(void)
{
	wait_queue_init(&tty.readq, "tty read");
	readq_ready = true;
}

/* Echo one byte (tty.lock held); control characters as ^X when ECHOCTL. */
static void echo(u8 c)
{
	char s[2];

	if (!(tty.t.c_lflag & ECHO))
		return;
	if (c < 0x20 && c != '\n' && c != '\t' && (tty.t.c_lflag & ECHOCTL)) {
		s[0] = '^';
		s[1] = c + '@';
		console_user_write(s, 2, false);
		return;
	}
	s[0] = c;
	console_user_write(s, 1, (tty.t.c_oflag & OPOST) && (tty.t.c_oflag & ONLCR));
}

static void push_ready(u8 c)
{
	if (tty.head - tty.tail < TTY_BUF)
		tty.buf[tty.head++ % TTY_BUF] = c;
}

/* Signal the foreground process group (tty.lock not held). */
static void signal_fg(int sig)
{
	int pgrp = READ_ONCE(tty.pgrp);
	struct proc *p;
	int cursor = 0;
	u64 flags;

	if (!pgrp)
		return;
	flags = spin_lock_irqsave(&proc_tree_lock);
	while ((p = __proc_next(&cursor)))
		if (p->pgid == pgrp)
			send_signal_proc(p, sig, NULL);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

void tty_input(u8 c)
{
	u64 flags = spin_lock_irqsave(&tty.lock);
	struct abi_termios *t = &tty.t;
	int sig = 0;

	if (c == '\r' && (t->c_iflag & IGNCR))
		goto out;
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	else if (c == '\n' && (t->c_iflag & INLCR))
		c = '\r';
	if (t->c_lflag & ISIG) {
		if (c == t->c_cc[VINTR])
			sig = SIGINT;
		else if (c == t->c_cc[VQUIT])
			sig = SIGQUIT;
		else if (c == t->c_cc[VSUSP])
			sig = SIGTSTP;
		if (sig) {
			echo(c);
			if (!(t->c_lflag & NOFLSH)) {
				tty.linelen = 0;
				tty.tail = tty.head;
			}
			if (t->c_lflag & ECHO)
				console_user_write("\r\n", 2, false);
			goto out;
		}
	}
	if (!(t->c_lflag & ICANON)) {
		push_ready(c);
		echo(c);
		goto out;
	}
	if (c == t->c_cc[VERASE] || c == '\b') {
		if (tty.linelen) {
			tty.linelen--;
			if ((t->c_lflag & ECHO) && (t->c_lflag & ECHOE))
				console_user_write("\b \b", 3, false);
		}
	} else if (c == t->c_cc[VKILL]) {
		while (tty.linelen) {
			tty.linelen--;
			if ((t->c_lflag & ECHO) && (t->c_lflag & ECHOK))
				console_user_write("\b \b", 3, false);
		}
	} else if (c == t->c_cc[VWERASE] && (t->c_lflag & IEXTEN)) {
		while (tty.linelen && tty.line[tty.linelen - 1] == ' ')
			tty.linelen--, console_user_write("\b \b", 3, false);
		while (tty.linelen && tty.line[tty.linelen - 1] != ' ')
			tty.linelen--, console_user_write("\b \b", 3, false);
	} else if (c == t->c_cc[VEOF]) {
		for (u32 i = 0; i < tty.linelen; i++)
			push_ready(tty.line[i]);
		if (!tty.linelen)
			tty.eofs++;
		tty.linelen = 0;
	} else {
		if (tty.linelen < TTY_BUF - 1)
			tty.line[tty.linelen++] = c;
		echo(c);
		if (c == '\n') {
			for (u32 i = 0; i < tty.linelen; i++)
				push_ready(tty.line[i]);
			tty.linelen = 0;
		}
	}
out:
	spin_unlock_irqrestore(&tty.lock, flags);
	if (sig)
		signal_fg(sig);
	if (readq_ready) {
		wake_up(&tty.readq);
		poll_wake();
	}
}

bool tty_readable(void)
{
	return tty.head != tty.tail || tty.eofs;
}

static bool readable_cond(void *arg)
{
	(void)arg;
	return tty_readable();
}

long tty_read(void *buf, size_t n, bool nonblock)
{
	u8 kbuf[256];
	size_t got = 0;
	u64 flags;
	int err;

	if (!n)
		return 0;
	for (;;) {
		flags = spin_lock_irqsave(&tty.lock);
		if (tty.head != tty.tail)
			break;
		if (tty.eofs) {
			tty.eofs--;
			spin_unlock_irqrestore(&tty.lock, flags);
			return 0;
		}
		spin_unlock_irqrestore(&tty.lock, flags);
		if (nonblock)
			return -EAGAIN;
		err = wait_event(&tty.readq, readable_cond, NULL, 0);
		if (err)
			return -ERESTARTSYS;
	}
	/* Canonical reads stop after a newline; raw reads take what is there. */
	while (got < n && got < sizeof(kbuf) && tty.head != tty.tail) {
		u8 c = tty.buf[tty.tail++ % TTY_BUF];

		kbuf[got++] = c;
		if (c == '\n' && (tty.t.c_lflag & ICANON))
			break;
	}
	spin_unlock_irqrestore(&tty.lock, flags);
	memcpy(buf, kbuf, got);
	return got;
}

long tty_write(const void *buf, size_t n)
{
	console_user_write(buf, n, (tty.t.c_oflag & OPOST) && (tty.t.c_oflag & ONLCR));
	return n;
}

long tty_ioctl(u32 cmd, unsigned long arg)
{
	struct proc *p = current_proc();
	struct abi_termios t;
	struct abi_winsize ws;
	int v;
	u64 flags;

	switch (cmd) {
	case TCGETS:
		flags = spin_lock_irqsave(&tty.lock);
		t = tty.t;
		spin_unlock_irqrestore(&tty.lock, flags);
		return copy_to_user((void *)arg, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copy_from_user(&t, (void *)arg, sizeof(t)))
			return -EFAULT;
		flags = spin_lock_irqsave(&tty.lock);
		tty.t = t;
		if (cmd == TCSETSF) {
			tty.tail = tty.head;
			tty.linelen = 0;
		}
		spin_unlock_irqrestore(&tty.lock, flags);
		return 0;
	case TCFLSH:
		flags = spin_lock_irqsave(&tty.lock);
		if (arg == 0 || arg == 2) {
			tty.tail = tty.head;
			tty.linelen = 0;
		}
		spin_unlock_irqrestore(&tty.lock, flags);
		return arg <= 2 ? 0 : -EINVAL;
	case TIOCGWINSZ:
		return copy_to_user((void *)arg, &tty.ws, sizeof(tty.ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, (void *)arg, sizeof(ws)))
			return -EFAULT;
		tty.ws = ws;
		signal_fg(SIGWINCH);
		return 0;
	case TIOCSCTTY:
		if (p->sid != p->pid)
			return -EPERM;
		tty.sid = p->sid;
		tty.pgrp = p->pgid;
		return 0;
	case TIOCNOTTY:
		if (tty.sid == p->sid)
			tty.sid = 0;
		return 0;
	case TIOCGPGRP:
		v = tty.pgrp ? tty.pgrp : p->pgid;
		return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
	case TIOCSPGRP:
		if (copy_from_user(&v, (void *)arg, sizeof(v)))
			return -EFAULT;
		if (v <= 0)
			return -EINVAL;
		tty.pgrp = v;
		return 0;
	case TIOCGSID:
		v = tty.sid ? tty.sid : p->sid;
		return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
	case FIONREAD:
		v = tty.head - tty.tail;
		return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
	case TIOCOUTQ:
		v = 0;
		return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}
