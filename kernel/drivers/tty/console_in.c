/*
 * Console input ring fed by the COM1 receive interrupt (model in
 * kern/console_in.h), and the console terminal console_tty (kern/tty.h):
 * once #cons starts it, received bytes go to its line discipline and its
 * output goes to port 0's transmit ring (kern/uart.h: interrupt-driven,
 * with EAGAIN for O_NONBLOCK writers, TIOCOUTQ, tcdrain, IXON stopping
 * the ring, HUPCL dropping DTR at the last close).  printk writes the
 * port directly after polling out what the ring holds.
 *
 * Monitor hotkey: Ctrl-G enters the kernel monitor only while no user
 * program owns the line, i.e. the terminal is in canonical mode (a shell
 * waiting in read(), a program running, or no terminal yet).  When a
 * program has put the terminal in non-canonical mode (a full-screen
 * editor, busybox's line editor) a single Ctrl-G is passed to it; two
 * Ctrl-Gs within 500 ms, or a serial BREAK (QEMU -serial mon:stdio:
 * Ctrl-A b), always enter the monitor.  When the ring is full, new bytes are dropped and
 * counted.  Lock: in_lock protects the ring indices and contents; taken
 * by the IRQ handler and by readers with interrupts off.
 */
#include <kern/console_in.h>
#include <kern/tty.h>
#include <kern/console.h>
#include <kern/monitor.h>
#include <kern/moncmd.h>
#include <kern/string.h>
#include <kern/time.h>
#include <arch/x86.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <kern/uart.h>
#include <abi/termios.h>
#include <abi/stat.h>

#define CTRL_G		0x07
#define DOUBLE_G_NS	500000000ULL	/* two Ctrl-Gs this close: monitor */

static struct spinlock in_lock = SPINLOCK_INITIALIZER("console in");
static u8 ring[CONSOLE_IN_RING];	/* in_lock */
static u32 ring_head, ring_tail;	/* in_lock; head - tail = bytes queued */
static u64 dropped;			/* in_lock */
/* Once set (by #cons at boot), input goes to the terminal instead of the ring. */
bool tty_attached;
static u64 last_ctrl_g_ns;	/* IRQ handler only (one COM1 IRQ at a time) */

#define PORT	0	/* kern/uart.h's number of COM1 */

/* Console output (tty->lock held): into port 0's ring; polled while the port has no interrupt. */
static void console_output(struct tty *tty, const char *s, size_t n)
{
	(void)tty;
	if (uart_present(PORT))
		(void)uart_write(PORT, s, n, true);
	else
		serial_write_raw(s, n);
}

/* Room in the ring; unlimited while output is polled. */
static size_t console_write_room(struct tty *tty)
{
	(void)tty;
	return uart_present(PORT) ? uart_tx_room(PORT) : (size_t)-1 / 2;
}

/* Bytes queued, not yet in the UART. */
static size_t console_chars_in_buffer(struct tty *tty)
{
	(void)tty;
	return uart_tx_pending(PORT);
}

/* tcdrain's end: FIFO and shift register empty; 0 or -EINTR. */
static int console_wait_until_sent(struct tty *tty)
{
	(void)tty;
	return uart_present(PORT) ? uart_drain(PORT) : 0;
}

/* IXON STOP / TCOOFF halt the ring. */
static void console_stop(struct tty *tty, bool stopped)
{
	(void)tty;
	uart_tx_stop(PORT, stopped);
}

/* termios changed: program the UART's speed and frame format. */
static void console_set_termios(struct tty *tty)
{
	u64 flags = spin_lock_irqsave(&tty->lock);
	u32 baud = tty->ospeed, cflag = tty->ld.t.c_cflag;

	spin_unlock_irqrestore(&tty->lock, flags);
	uart_set_line(PORT, baud, cflag);
}

/* First open raises DTR; the last close drops it under HUPCL. */
static void console_open(struct tty *tty)
{
	(void)tty;
	uart_set_dtr(PORT, true);
}

static void console_close(struct tty *tty)
{
	if (READ_ONCE(tty->ld.t.c_cflag) & HUPCL)
		uart_set_dtr(PORT, false);
}

static const struct tty_driver console_driver = {
	.output = console_output,
	.write_room = console_write_room,
	.chars_in_buffer = console_chars_in_buffer,
	.wait_until_sent = console_wait_until_sent,
	.stop = console_stop,
	.set_termios = console_set_termios,
	.open = console_open,
	.close = console_close,
	.ixoff = true,
};
struct tty console_tty = { .lock = SPINLOCK_INITIALIZER("console tty") };

/* Port callback: the ring fell to low water or emptied: wake writers, drainers, pollers. */
static void console_tx_done(void *arg)
{
	(void)arg;
	tty_wake(&console_tty);
}

static const struct uart_client console_client = { .tx_done = console_tx_done };

void console_tty_init(void)
{
	u64 flags;

	tty_init(&console_tty, &console_driver, NULL,
		 ABI_MKDEV(TTY_CONSOLE_MAJOR, TTY_CONSOLE_MINOR));
	/* The line's real speed (serial_init: 115200 8N1), not the ldisc's B38400. */
	flags = spin_lock_irqsave(&console_tty.lock);
	console_tty.ld.t.c_cflag = (console_tty.ld.t.c_cflag & ~CBAUD) | B115200;
	console_tty.ispeed = console_tty.ospeed = 115200;
	spin_unlock_irqrestore(&console_tty.lock, flags);
	uart_set_client(PORT, &console_client, NULL);
	WRITE_ONCE(tty_attached, true);
}

/* Apply the hotkey rule (header) to a received Ctrl-G: true to enter the monitor. */
static bool ctrl_g_enters_monitor(void)
{
	u64 now = nsec_since_boot(), last = last_ctrl_g_ns;

	if (!READ_ONCE(tty_attached) || !tty_owns_line(&console_tty))
		return true;
	last_ctrl_g_ns = now;
	if (last && now - last < DOUBLE_G_NS) {
		last_ctrl_g_ns = 0;
		return true;
	}
	return false;
}

void console_rx_irq(struct hw_trapframe *tf)
{
	bool brk;
	int c;

	while ((c = serial_getc_break(&brk)) >= 0) {
		if (brk || (c == CTRL_G && ctrl_g_enters_monitor())) {
			monitor(tf);
			continue;
		}
		if (READ_ONCE(tty_attached)) {
			tty_input(&console_tty, (u8)c);
			continue;
		}
		spin_lock(&in_lock);
		if (ring_head - ring_tail < CONSOLE_IN_RING)
			ring[ring_head++ % CONSOLE_IN_RING] = (u8)c;
		else
			dropped++;
		spin_unlock(&in_lock);
	}
}

int console_input_getc(void)
{
	u64 flags = spin_lock_irqsave(&in_lock);
	int c = -1;

	if (ring_head != ring_tail)
		c = ring[ring_tail++ % CONSOLE_IN_RING];
	spin_unlock_irqrestore(&in_lock, flags);
	return c;
}

/* Debug: take input through the IRQ path for a few seconds and echo it. */
static int cmd_irqecho(int argc, char **argv, struct hw_trapframe *tf)
{
	u64 secs = argc > 1 ? strtoul(argv[1], NULL, 0) : 5, t0 = nsec_since_boot();
	u64 flags = local_irq_save();
	int c;

	(void)tf;
	printk("irqecho: echoing interrupt-driven input for %llu s (Ctrl-G: monitor)\n", secs);
	sti();
	while (nsec_since_boot() - t0 < secs * 1000000000ULL) {
		while ((c = console_input_getc()) >= 0)
			printk("[%02x]", c);
		hlt();
	}
	cli();
	local_irq_restore(flags);
	printk("\nirqecho: done\n");
	return 0;
}
MONITOR_CMD("irqecho", "irqecho [secs]: test the serial receive interrupt", cmd_irqecho);
