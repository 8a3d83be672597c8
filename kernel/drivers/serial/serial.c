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
 */
#include <kern/console.h>
#include <kern/compiler.h>
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

static bool serial_present;
/*
 * Reading LSR clears its break bit, and output polls LSR too, so every LSR
 * read latches BI here; the 0 byte that comes with the break consumes it.
 * Written from any CPU; a lost or doubled latch only affects one BREAK.
 */
static bool break_latched;

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
	int spins = 0;

	if (!serial_present)
		return;
	while (!(read_lsr() & LSR_THRE) && spins++ < 100000)
		cpu_relax();
	outb(COM1 + UART_DATA, (u8)c);
}

void serial_write_raw(const char *s, size_t n)
{
	while (n && serial_present) {
		size_t k = n < UART_FIFO ? n : UART_FIFO;
		int spins = 0;

		/* With the FIFO on, THRE means the whole transmit FIFO is empty. */
		while (!(read_lsr() & LSR_THRE) && spins++ < 100000)
			cpu_relax();
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

