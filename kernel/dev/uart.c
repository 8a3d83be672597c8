/*
 * #uart: the serial ports other than the console.  `ttyS1` is COM2's
 * terminal (Linux's 4:65, bound at /dev/ttyS1): a tty like any other
 * (kern/tty.h, drivers/serial/uart_tty.c), with Linux's serial defaults
 * (canonical, echo, ONLCR), so `stty -F /dev/ttyS1` and a getty-like
 * shell on the line work, and binary channels (gdbserver-akaros, ttrace
 * dumps) set it raw first, as on Linux.  Opening it without O_NOCTTY
 * makes it the controlling terminal of a session leader that has none.
 * `stats` is a text file of the port's counters, line settings and
 * modem control lines (DTR falls at the last close under HUPCL).
 */
#include <kern/dev.h>
#include <kern/uart.h>
#include <kern/tty.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <abi/major.h>
#include <abi/stat.h>
#include <abi/fcntl.h>
#include <abi/poll.h>

enum { QttyS1 = 1, Qstats };
#define PORT	1	/* the one port served: COM2 */

static const struct dev_dirent uart_tab[] = {
	{ .name = "ttyS1", .qid = QttyS1, .mode = S_IFCHR | 0660,
	  .rdev = ABI_MKDEV(ABI_TTYS_MAJOR, ABI_TTYS_MINOR(PORT)) },
	{ .name = "stats", .qid = Qstats, .mode = S_IFREG | 0444 },
};

/* Opening ttyS1 needs the port's terminal: 0, -ENXIO (Linux's answer for a missing port) or -ENOMEM. */
static int uart_open(struct file *f)
{
	struct tty *tty;

	if (dev_file_qid(f) != QttyS1)
		return 0;
	tty = uart_tty(PORT);
	if (!tty)
		return -ENXIO;
	if (!(f->flags & O_NOCTTY) && (f->fmode & FMODE_READ))
		tty_open_ctty(tty, current_proc());
	return tty_file_open(f, tty, tty_hangup_gen(tty));
}

static void uart_close(struct file *f)
{
	if (dev_file_qid(f) == QttyS1)
		tty_file_close(f);
}

/*
 * stats: the counters as "name value" lines, formatted at each read (a
 * text snapshot would need f->priv, which ttyS1's terminal files use);
 * bytes from off.
 */
static ssize_t stats_read(void *buf, size_t n, u64 off)
{
	struct uart_stats st;
	char text[400], parity;
	int len;

	uart_get_stats(PORT, &st);
	/* LCR bit 3 enables parity, bit 4 makes it even. */
	parity = !(st.lcr & 0x08) ? 'N' : st.lcr & 0x10 ? 'E' : 'O';
	len = snprintf(text, sizeof(text), "present %d\nrx_bytes %llu\ntx_bytes %llu\n"
		       "rx_overruns %llu\nirqs %llu\nrx_queued %zu\ntx_queued %zu\nline %u %d%c%d\n"
		       "rx_breaks %llu\nrx_errors %llu\ndtr %d\nrts %d\nirq_rearms %llu\n",
		       uart_present(PORT), st.rx_bytes, st.tx_bytes, st.rx_overruns, st.irqs,
		       uart_rx_avail(PORT), uart_tx_pending(PORT), st.baud, 5 + (st.lcr & 3),
		       parity, st.lcr & 4 ? 2 : 1, st.rx_breaks, st.rx_errors, st.mcr & 1,
		       (st.mcr >> 1) & 1, st.irq_rearms);
	return dev_read_buf(buf, n, off, text, (size_t)MIN(len, (int)sizeof(text) - 1));
}

/* ttyS1: terminal read (blocking per termios unless O_NONBLOCK); stats: its text; or -errno. */
static ssize_t uart_dev_read(struct file *f, void *buf, size_t n, u64 off)
{
	switch (dev_file_qid(f)) {
	case QttyS1:
		return tty_file_read(f, buf, n);
	case Qstats:
		return stats_read(buf, n, off);
	default:
		return -EISDIR;
	}
}

/* Terminal write, or -errno (-EPERM for stats). */
static ssize_t uart_dev_write(struct file *f, const void *buf, size_t n, u64 off)
{
	(void)off;
	if (dev_file_qid(f) != QttyS1)
		return -EPERM;
	return tty_file_write(f, buf, n);
}

/* Terminal ioctls; 0, a count, or -errno (-ENOTTY on stats). */
static long uart_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	if (dev_file_qid(f) != QttyS1)
		return -ENOTTY;
	return tty_file_ioctl(f, cmd, arg);
}

/* Readiness bits (never fails). */
static u32 uart_poll(struct file *f)
{
	if (dev_file_qid(f) != QttyS1)
		return POLLIN | POLLOUT;
	return tty_file_poll(f);
}

static const struct dev uart_dev = {
	.name = "uart",
	.open = uart_open,
	.close = uart_close,
	.read = uart_dev_read,
	.write = uart_dev_write,
	.ioctl = uart_ioctl,
	.poll = uart_poll,
	.tab = uart_tab,
	.ntab = ARRAY_SIZE(uart_tab),
};
DEV_REGISTER(uart_dev);
