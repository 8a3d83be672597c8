/*
 * 16550 UART driver for COM1 (0x3F8), 115200 8N1, FIFOs on: the polled
 * path.  Output waits for the transmit holding register to empty, so
 * printk works before interrupts exist and after everything else has
 * died.  Once the device initcalls run, drivers/serial/uart_port.c adds
 * the interrupt-driven transmit ring for user output on the same port
 * (its port 0) and turns the receive interrupt on; printk brackets its
 * polled writes with uart_console_lock so the two never interleave.
 * Terminal output (serial_write_raw) fills the 16-byte FIFO at each
 * empty: one status read per 16 bytes instead of one per byte.
 *
 * Waiting for the transmitter is bounded in time, not in status reads:
 * QEMU keeps THRE clear while its host end (a pty that tmux or pexpect
 * reads) is full, which under load lasts far longer than any fixed number
 * of reads, and a byte written into a full FIFO overwrites the oldest one
 * (lost output).  So a writer waits up to THRE_WAIT_NS for the FIFO to
 * empty; only a line that stayed stuck that long (nobody reads the host
 * end) is written to anyway, and from then on each wait is short
 * (THRE_STUCK_NS) until the transmitter is seen empty again, so printk
 * on a dead line costs milliseconds, not seconds, per byte.
 */
#include <kern/console.h>
#include <kern/compiler.h>
#include <kern/time.h>
#include <arch/x86.h>

#define COM1		0x3F8
#define UART_DATA	0
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_BI		0x10	/* break received (with a 0 byte) */
#define UART_FIFO	16	/* 16550 transmit FIFO bytes */
#define THRE_WAIT_NS	2000000000ULL	/* a live but slow host end: wait this long */
#define THRE_STUCK_NS	10000000ULL	/* after a timeout, until THRE is seen again */

static bool serial_present;
/*
 * Reading LSR clears its break bit, and output polls LSR too, so every LSR
 * read latches BI here; the 0 byte that comes with the break consumes it.
 * Written from any CPU; a lost or doubled latch only affects one BREAK.
 */
static bool break_latched;
/* The last wait for THRE timed out (the host end does not read); any CPU, racy by design. */
static bool tx_stuck;
static u64 tx_timeouts;		/* waits for THRE that gave up (serial_tx_timeouts) */

static u8 read_lsr(void)
{
	u8 lsr = inb(COM1 + UART_LSR);

	if (lsr & LSR_BI)
		WRITE_ONCE(break_latched, true);
	return lsr;
}

u8 serial_lsr(void)
{
	return serial_present ? read_lsr() : 0;
}

bool serial_wait_thre(void)
{
	u64 hz = tsc_hz ? tsc_hz : 1000000000ULL;	/* before calibration: assume 1 GHz */
	u64 ns = READ_ONCE(tx_stuck) ? THRE_STUCK_NS : THRE_WAIT_NS;
	u64 start = rdtsc(), ticks = ns / 1000000 * (hz / 1000);

	if (!serial_present)
		return false;
	while (!(read_lsr() & LSR_THRE)) {
		if (rdtsc() - start > ticks) {
			WRITE_ONCE(tx_stuck, true);
			WRITE_ONCE(tx_timeouts, tx_timeouts + 1);
			return false;
		}
		cpu_relax();
	}
	if (READ_ONCE(tx_stuck))
		WRITE_ONCE(tx_stuck, false);
	return true;
}

u64 serial_tx_timeouts(void)
{
	return READ_ONCE(tx_timeouts);
}

void serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x80);		/* DLAB */
	outb(COM1 + 0, 1);			/* divisor 1: 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, 0x03);		/* 8N1 */
	outb(COM1 + UART_FCR, 0xC7);		/* FIFO on, clear, 14-byte threshold */
	outb(COM1 + UART_MCR, 0x0B);		/* DTR, RTS, OUT2 (IRQ enable) */
	serial_present = inb(COM1 + UART_LSR) != 0xFF;
}

void serial_putc(char c)
{
	if (!serial_present)
		return;
	(void)serial_wait_thre();
	outb(COM1 + UART_DATA, (u8)c);
}

void serial_write_raw(const char *s, size_t n)
{
	while (n && serial_present) {
		size_t k = n < UART_FIFO ? n : UART_FIFO;

		/* With the FIFO on, THRE means the whole transmit FIFO is empty. */
		(void)serial_wait_thre();
		for (size_t i = 0; i < k; i++)
			outb(COM1 + UART_DATA, (u8)s[i]);
		s += k;
		n -= k;
	}
}

int serial_getc_poll(void)
{
	if (!serial_present || !(read_lsr() & LSR_DR))
		return -1;
	return inb(COM1 + UART_DATA);
}

int serial_getc_break(bool *brk)
{
	int c;

	*brk = false;
	if (!serial_present || !(read_lsr() & LSR_DR))
		return -1;
	c = inb(COM1 + UART_DATA);
	if (c == 0 && READ_ONCE(break_latched)) {
		WRITE_ONCE(break_latched, false);
		*brk = true;
	}
	return c;
}

int serial_getc_wait(void)
{
	int c;

	while ((c = serial_getc_poll()) < 0)
		cpu_relax();
	return c;
}

