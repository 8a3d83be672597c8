/*
 * printk and the kernel log.
 *
 * Every message is formatted on the caller's stack, appended to the log
 * ring (kmsg, read by dmesg and the monitor) and written to COM1 by
 * polling, after polling out the user output that COM1's transmit ring
 * still holds (kern/uart.h: uart_console_lock), so the two keep their
 * order and the message gets out even with interrupts off.  One
 * IRQ-safe lock serialises both, so lines from different CPUs do not mix.
 * NMI handlers and a panicking CPU cannot wait for a lock that might be
 * held by the CPU they interrupted, so in those contexts printk tries the
 * lock for a bounded time and then writes without it ("lock busting"):
 * garbled output beats a silent hang.  Each line also becomes a ttrace
 * printk record when that category is traced (kern/ttrace.h).
 */
#include <kern/printk.h>
#include <kern/console.h>
#include <kern/uart.h>
#include <kern/spinlock.h>
#include <kern/percpu.h>
#include <kern/sched.h>
#include <kern/string.h>
#include <kern/ttrace.h>
#include <arch/x86.h>

#define KMSG_SIZE	KMSG_RING_SIZE

/* console_lock protects kmsg_buf and kmsg_total, and orders COM1 output. */
static struct spinlock console_lock = SPINLOCK_INITIALIZER("console");
static char kmsg_buf[KMSG_SIZE];
static size_t kmsg_total;	/* bytes ever logged; ring holds the last KMSG_SIZE */
bool percpu_ready;
bool panicking;

static void log_append(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		kmsg_buf[(kmsg_total + i) % KMSG_SIZE] = s[i];
	kmsg_total += len;
}

/*
 * Console ownership (wt-tty, drivers/tty): while a user-space owner
 * (termd) holds the line, console_muted is set and printk text goes to
 * the log and to the held ring that the owner drains (#cons/kheld)
 * instead of the port.  The monitor (console_direct) and panics/NMIs
 * still write to the port, first leaving the alternate screen and
 * writing the held text the owner has not taken yet; when the
 * monitor is left a NUL goes into the held ring: "the kernel wrote to the
 * screen, redraw".  When the owner's file closes (termd exits or dies)
 * the held text it has not taken goes to the port before anything newer.
 * All under console_lock.
 */
#define HELD_SIZE	(64 * 1024)
static bool console_muted, console_direct, screen_reset;
static bool console_releasing;	/* release_held() is writing; a new owner clears it */
static char held_buf[HELD_SIZE];
static size_t held_head, held_tail;	/* head - tail bytes held; oldest dropped when full */

static void held_append(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		held_buf[held_head++ % HELD_SIZE] = s[i];
		if (held_head - held_tail > HELD_SIZE)
			held_tail++;
	}
}

/* Write s to COM1 by polling, "\n" as "\r\n" (console_lock held). */
static void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

#define RELEASE_CHUNK	256	/* held bytes written per console_lock hold */

/*
 * The owner's file closed (termd exited or died): write the held text it
 * never took to the port, after leaving the alternate screen and resetting
 * attributes (the dead owner's screen state is unknown), then unmute.  In
 * chunks, so interrupts are not off for the whole ring; printk keeps
 * appending to the ring meanwhile, so nothing overtakes the older text.
 * A new owner (console_set_muted(true)) stops it and keeps the rest.
 */
void console_release_held(void)
{
	static const char reset[] = "\033[?1049l\033[0m\r\n";
	bool reset_done = false;

	for (;;) {
		u64 flags = spin_lock_irqsave(&console_lock);
		bool port;

		if (!console_releasing || held_tail == held_head) {
			/* A new owner that came meanwhile keeps the rest. */
			if (console_releasing)
				console_muted = false;
			console_releasing = false;
			spin_unlock_irqrestore(&console_lock, flags);
			return;
		}
		port = uart_console_lock(false, false);
		if (!reset_done)
			serial_write(reset, sizeof(reset) - 1);
		reset_done = true;
		for (int i = 0; i < RELEASE_CHUNK && held_tail != held_head; i++, held_tail++)
			if (held_buf[held_tail % HELD_SIZE])
				serial_write(&held_buf[held_tail % HELD_SIZE], 1);
		uart_console_unlock(port);
		spin_unlock_irqrestore(&console_lock, flags);
		cond_resched();
	}
}

void console_set_muted(bool on)
{
	u64 flags = spin_lock_irqsave(&console_lock);

	console_releasing = false;
	if (on || held_tail == held_head)
		console_muted = on;
	else
		console_releasing = true;	/* console_release_held() unmutes */
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_set_direct(bool on)
{
	u64 flags;

	if (on) {
		/* No lock: a panicking monitor must not wait for a frozen CPU's. */
		WRITE_ONCE(console_direct, true);
		uart_console_hold(true);	/* user output waits until `continue` */
		return;
	}
	uart_console_hold(false);
	flags = spin_lock_irqsave(&console_lock);
	console_direct = false;
	if (console_muted && screen_reset) {
		held_append("", 1);
		screen_reset = false;
	}
	spin_unlock_irqrestore(&console_lock, flags);
}

size_t kmsg_held_read(char *buf, size_t len)
{
	u64 flags = spin_lock_irqsave(&console_lock);
	size_t n = 0;

	while (n < len && held_tail != held_head)
		buf[n++] = held_buf[held_tail++ % HELD_SIZE];
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

/* True when this CPU must not wait for the console lock. */
static bool must_not_block(void)
{
	return panicking || (percpu_ready && this_cpu_read(percpu_first.in_nmi));
}

void console_write(const char *s, size_t len)
{
	u64 flags = local_irq_save();
	bool locked;

	if (must_not_block()) {
		int tries = 1000000;

		while (!(locked = spin_trylock(&console_lock)) && --tries)
			cpu_relax();
	} else {
		spin_lock(&console_lock);
		locked = true;
	}
	log_append(s, len);
	if (!console_muted) {
		/* User output queued before this text goes out first (unless stopped by ^S). */
		bool port = uart_console_lock(must_not_block(), must_not_block());

		serial_write(s, len);
		uart_console_unlock(port);
	} else if (console_direct || must_not_block()) {
		static const char reset[] = "\033[?1049l\033[0m\r\n";
		/* The owner's queued screen output first, even if stopped: then ours. */
		bool port = uart_console_lock(must_not_block(), true);

		if (!screen_reset) {
			/* Leave the alternate screen, reset attributes, fresh line. */
			serial_write(reset, sizeof(reset) - 1);
			screen_reset = true;
		}
		/* First what the owner has not shown yet (a panic's lead-up). */
		for (; held_tail != held_head; held_tail++)
			if (held_buf[held_tail % HELD_SIZE])
				serial_write(&held_buf[held_tail % HELD_SIZE], 1);
		serial_write(s, len);
		uart_console_unlock(port);
	} else {
		held_append(s, len);
	}
	if (locked)
		spin_unlock(&console_lock);
	local_irq_restore(flags);
}

void vprintk(const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	console_write(line, n);
	ttrace_printk(line, n);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

size_t kmsg_size(void)
{
	return kmsg_total < KMSG_SIZE ? kmsg_total : KMSG_SIZE;
}

size_t kmsg_end(void)
{
	return READ_ONCE(kmsg_total);
}

size_t kmsg_read(char *buf, size_t len, size_t off)
{
	u64 flags = spin_lock_irqsave(&console_lock);
	size_t have = kmsg_size(), first = kmsg_total - have, n = 0;

	for (; off + n < have && n < len; n++)
		buf[n] = kmsg_buf[(first + off + n) % KMSG_SIZE];
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}
