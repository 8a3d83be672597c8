/*
 * #uart: the serial ports other than the console, as raw byte streams.
 * `ttyS1` is COM2 (Linux's 4:65, bound at /dev/ttyS1); `stats` is a text
 * file of the port's counters.  The port is always raw (no line
 * discipline, no echo, 8 bits through): reads block until at least one
 * byte has arrived and return what is there (a raw terminal with VMIN=1,
 * VTIME=0), writes queue into the interrupt-driven transmit ring
 * (kern/uart.h).  The termios ioctls keep the settings a program makes
 * (cfmakeraw, speed) and report them back, but the port moves bytes the
 * same whatever they say; TCSETSW/TCSETSF drain output first, TCSETSF and
 * TCFLSH drop queued bytes, FIONREAD and TIOCOUTQ count them.  This is
 * the channel for host tools: gdbserver-akaros and ttrace dumps.
 * Lock: termios_lock protects port_termios.
 */
#include <kern/dev.h>
#include <kern/uart.h>
#include <kern/vfs.h>
#include <kern/poll.h>
#include <kern/slice.h>
#include <kern/spinlock.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <abi/major.h>
#include <abi/fcntl.h>
#include <abi/ioctl.h>
#include <abi/termios.h>

enum { QttyS1 = 1, Qstats };
#define PORT	1	/* the one port served: COM2 */

static const struct dev_dirent uart_tab[] = {
	{ .name = "ttyS1", .qid = QttyS1, .mode = S_IFCHR | 0660,
	  .rdev = ABI_MKDEV(ABI_TTYS_MAJOR, ABI_TTYS_MINOR(PORT)) },
	{ .name = "stats", .qid = Qstats, .mode = S_IFREG | 0444 },
};

static struct spinlock termios_lock = SPINLOCK_INITIALIZER("uart termios");
static struct abi_termios port_termios = {	/* termios_lock */
	.c_cflag = B115200 | CS8 | CREAD | CLOCAL,
	.c_cc = { [VMIN] = 1 },
};

/* Opening ttyS1 needs a UART there: 0 or -ENXIO (Linux's answer for a missing port). */
static int uart_open(struct file *f)
{
	if (dev_file_qid(f) == QttyS1 && !uart_present(PORT))
		return -ENXIO;
	return 0;
}

/* stats: the counters as "name value" lines; 0 or -ENOMEM. */
static int uart_text(struct file *f, struct slice *s)
{
	struct uart_stats st;
	int err;

	if (dev_file_qid(f) != Qstats)
		return DEV_NOT_TEXT;
	uart_get_stats(PORT, &st);
	err = slice_printf(s, "present %d\nrx_bytes %llu\ntx_bytes %llu\nrx_overruns %llu\n"
			    "irqs %llu\nrx_queued %zu\ntx_queued %zu\n", uart_present(PORT),
			    st.rx_bytes, st.tx_bytes, st.rx_overruns, st.irqs,
			    uart_rx_avail(PORT), uart_tx_pending(PORT));
	return err < 0 ? err : 0;
}

/* Bytes read from the port (blocking for the first unless O_NONBLOCK), or -errno. */
static ssize_t uart_dev_read(struct file *f, void *buf, size_t n, u64 off)
{
	(void)off;
	if (dev_file_qid(f) != QttyS1)
		return -EISDIR;
	return uart_read(PORT, buf, n, f->flags & O_NONBLOCK);
}

/* Bytes queued for sending, or -errno (-EPERM for stats). */
static ssize_t uart_dev_write(struct file *f, const void *buf, size_t n, u64 off)
{
	(void)off;
	if (dev_file_qid(f) != QttyS1)
		return -EPERM;
	return uart_write(PORT, buf, n, f->flags & O_NONBLOCK);
}

/* Set the kept termios from user t after the TCSETS* variant's drain/flush; 0 or -errno. */
static long set_termios(u32 cmd, unsigned long arg)
{
	struct abi_termios t;
	u64 flags;
	int err;

	if (copy_from_user(&t, (const void *)arg, sizeof(t)))
		return -EFAULT;
	if (cmd != TCSETS && (err = uart_drain(PORT)))
		return err;
	if (cmd == TCSETSF)
		uart_flush(PORT, true, false);
	flags = spin_lock_irqsave(&termios_lock);
	port_termios = t;
	spin_unlock_irqrestore(&termios_lock, flags);
	return 0;
}

/* The raw port's ioctls (header); 0, a count, or -errno (-ENOTTY for others). */
static long uart_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	struct abi_termios t;
	int count;
	u64 flags;

	if (dev_file_qid(f) != QttyS1)
		return -ENOTTY;
	switch (cmd) {
	case TCGETS:
		flags = spin_lock_irqsave(&termios_lock);
		t = port_termios;
		spin_unlock_irqrestore(&termios_lock, flags);
		return copy_to_user((void *)arg, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(cmd, arg);
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		uart_flush(PORT, arg != TCOFLUSH, arg != TCIFLUSH);
		return 0;
	case FIONREAD:
	case TIOCOUTQ:
		count = (int)(cmd == FIONREAD ? uart_rx_avail(PORT) : uart_tx_pending(PORT));
		return copy_to_user((void *)arg, &count, sizeof(count)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

/* Readiness bits (never fails). */
static u32 uart_poll(struct file *f)
{
	if (dev_file_qid(f) != QttyS1)
		return POLLIN | POLLOUT;
	return (uart_rx_avail(PORT) ? POLLIN | POLLRDNORM : 0) |
	       (uart_tx_room(PORT) ? POLLOUT | POLLWRNORM : 0);
}

static const struct dev uart_dev = {
	.name = "uart",
	.open = uart_open,
	.text = uart_text,
	.read = uart_dev_read,
	.write = uart_dev_write,
	.ioctl = uart_ioctl,
	.poll = uart_poll,
	.tab = uart_tab,
	.ntab = ARRAY_SIZE(uart_tab),
};
DEV_REGISTER(uart_dev);
