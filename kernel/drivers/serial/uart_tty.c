/*
 * The terminals of the interrupt-driven ports (kern/uart.h): each port
 * present gets a struct tty (kern/tty.h) whose driver is the port's
 * transmit ring and whose input is the port's receive ring, so /dev/ttyS1
 * has the line discipline, termios, job control and hangups of every
 * other terminal (stty -F, a getty-like shell on the line, cfmakeraw for
 * binary channels such as gdbserver-akaros and ttrace dumps).
 *
 * Defaults are Linux's for a serial port that is not the console
 * (tty_std_termios: canonical, echo, ICRNL, OPOST|ONLCR), at the port's
 * 115200 8N1 and with CLOCAL (the port has no modem lines here); a
 * termios change reprograms the divisor and line control (speed, CSIZE,
 * CSTOPB, PARENB, PARODD).  As the port stays enabled, input arriving
 * with no file open is kept in the terminal like typed-ahead input.
 *
 * Input path: the receive interrupt stores bytes in the port's ring and
 * calls rx_ready, which feeds them to the line discipline (tty_receive)
 * and consumes what it took; when the discipline is full the rest waits
 * in the port's ring until a reader makes room (unthrottle feeds again),
 * and beyond that the port counts overruns.  One feeder at a time:
 * whoever finds `feeding` taken leaves `feed_again` for the holder.
 * Received bytes keep the port's flags (BREAK, parity and framing
 * errors), which the line discipline treats per IGNBRK/BRKINT/INPCK/
 * IGNPAR/PARMRK.  Output: tty output goes into the transmit ring (never
 * sleeping: writers wait in tty_write for write_room); tx_done wakes
 * them; IXON STOP and TCOOFF stop the ring's draining (stop hook).
 * Modem lines: the first open raises DTR and RTS, the last close drops
 * them under HUPCL.  CRTSCTS is accepted but not acted on: QEMU's 16550
 * keeps CTS/DSR fixed, so hardware flow control could not be tested.
 *
 * Locking: tty->lock -> port->lock (the port never calls back with its
 * lock held); feeding/feed_again are atomics.
 */
#include <kern/uart.h>
#include <kern/tty.h>
#include <kern/init.h>
#include <kern/compiler.h>
#include <kern/errno.h>
#include <abi/major.h>
#include <abi/stat.h>
#include <abi/termios.h>

struct uart_tty {
	struct tty tty;
	int idx;
	bool feeding;			/* atomic: a feeder runs */
	bool feed_again;		/* atomic: input arrived while it ran */
};

static struct uart_tty uart_ttys[UART_NPORTS];

/* Output of the line discipline (tty->lock held, IRQs off): into the transmit ring, the excess dropped. */
static void uart_tty_output(struct tty *tty, const char *s, size_t n)
{
	struct uart_tty *ut = tty->driver_data;

	(void)uart_write(ut->idx, s, n, true);
}

/* Free room in the transmit ring. */
static size_t uart_tty_write_room(struct tty *tty)
{
	struct uart_tty *ut = tty->driver_data;

	return uart_tx_room(ut->idx);
}

/* Bytes in the transmit ring not yet given to the UART. */
static size_t uart_tty_chars_in_buffer(struct tty *tty)
{
	struct uart_tty *ut = tty->driver_data;

	return uart_tx_pending(ut->idx);
}

/* tcdrain's end: the UART's FIFO and shift register empty; 0 or -EINTR. */
static int uart_tty_wait_until_sent(struct tty *tty)
{
	struct uart_tty *ut = tty->driver_data;

	return uart_drain(ut->idx);
}

/* Move received bytes from the port's ring into the line discipline (any context). */
static void uart_tty_feed(struct uart_tty *ut)
{
	u8 buf[64], flags[64];
	size_t n, took;

	for (;;) {
		__atomic_store_n(&ut->feed_again, true, __ATOMIC_SEQ_CST);
		if (__atomic_exchange_n(&ut->feeding, true, __ATOMIC_SEQ_CST))
			return;		/* the running feeder sees feed_again */
		__atomic_store_n(&ut->feed_again, false, __ATOMIC_SEQ_CST);
		while ((n = uart_rx_peek(ut->idx, buf, flags, sizeof(buf))) > 0) {
			/* UART_RX_* and LDISC_RX_* are the same numbers. */
			took = tty_receive(&ut->tty, buf, flags, n);
			uart_rx_consume(ut->idx, took);
			if (took < n)
				break;	/* the discipline is full: a reader unthrottles */
		}
		__atomic_store_n(&ut->feeding, false, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&ut->feed_again, __ATOMIC_SEQ_CST))
			return;
	}
}

/* A reader took input: room for what waits in the port's ring. */
static void uart_tty_unthrottle(struct tty *tty)
{
	uart_tty_feed(tty->driver_data);
}

/* termios changed: program the UART's speed and frame format. */
static void uart_tty_set_termios(struct tty *tty)
{
	struct uart_tty *ut = tty->driver_data;
	u64 flags = spin_lock_irqsave(&tty->lock);
	u32 baud = tty->ospeed, cflag = tty->ld.t.c_cflag;

	spin_unlock_irqrestore(&tty->lock, flags);
	uart_set_line(ut->idx, baud, cflag);
}

/* IXON STOP / TCOOFF: the transmit ring stops draining (tty->lock held). */
static void uart_tty_stop(struct tty *tty, bool stopped)
{
	struct uart_tty *ut = tty->driver_data;

	uart_tx_stop(ut->idx, stopped);
}

/* First open: raise DTR and RTS (dropped by a HUPCL close). */
static void uart_tty_open(struct tty *tty)
{
	struct uart_tty *ut = tty->driver_data;

	uart_set_dtr(ut->idx, true);
}

/* Last close: under HUPCL drop DTR and RTS (the modem hangs up). */
static void uart_tty_close(struct tty *tty)
{
	struct uart_tty *ut = tty->driver_data;

	if (READ_ONCE(tty->ld.t.c_cflag) & HUPCL)
		uart_set_dtr(ut->idx, false);
}

static const struct tty_driver uart_tty_driver = {
	.output = uart_tty_output,
	.write_room = uart_tty_write_room,
	.chars_in_buffer = uart_tty_chars_in_buffer,
	.wait_until_sent = uart_tty_wait_until_sent,
	.unthrottle = uart_tty_unthrottle,
	.set_termios = uart_tty_set_termios,
	.stop = uart_tty_stop,
	.open = uart_tty_open,
	.close = uart_tty_close,
	.ixoff = true,
};

/* Port callback: bytes arrived. */
static void uart_tty_rx_ready(void *arg)
{
	uart_tty_feed(arg);
}

/* Port callback: transmit room or drained: wake writers, drainers and pollers. */
static void uart_tty_tx_done(void *arg)
{
	struct uart_tty *ut = arg;

	tty_wake(&ut->tty);
}

static const struct uart_client uart_tty_client = {
	.rx_ready = uart_tty_rx_ready,
	.tx_done = uart_tty_tx_done,
};

struct tty *uart_tty(int idx)
{
	if (idx < 0 || idx >= UART_NPORTS || !uart_present(idx))
		return NULL;
	return READ_ONCE(uart_ttys[idx].tty.ready) ? &uart_ttys[idx].tty : NULL;
}

/* Give every present port its terminal; 0 (an absent port is not an error). */
static int uart_tty_init(void)
{
	for (int i = 1; i < UART_NPORTS; i++) {
		struct uart_tty *ut = &uart_ttys[i];
		u64 flags;

		if (!uart_present(i))
			continue;
		ut->idx = i;
		spinlock_init(&ut->tty.lock, "uart tty");
		tty_init(&ut->tty, &uart_tty_driver, ut,
			 ABI_MKDEV(ABI_TTYS_MAJOR, ABI_TTYS_MINOR(i)));
		flags = spin_lock_irqsave(&ut->tty.lock);
		ut->tty.ld.t.c_cflag = (ut->tty.ld.t.c_cflag & ~CBAUD) | B115200 | CLOCAL;
		ut->tty.ispeed = ut->tty.ospeed = 115200;
		spin_unlock_irqrestore(&ut->tty.lock, flags);
		uart_set_client(i, &uart_tty_client, ut);
		uart_tty_feed(ut);	/* anything that came before */
	}
	return 0;
}
initcall(uart_tty_init, late);
