/*
 * Console input ring fed by the COM1 receive interrupt (model in
 * kern/console_in.h), and the console terminal console_tty (kern/tty.h):
 * once #cons starts it, received bytes go to its line discipline and its
 * output goes to the port (polled, as printk).
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
#include <kern/init.h>
#include <abi/stat.h>

#define COM1_IRQ	4
#define CTRL_G		0x07
#define DOUBLE_G_NS	500000000ULL	/* two Ctrl-Gs this close: monitor */

static struct spinlock in_lock = SPINLOCK_INITIALIZER("console in");
static u8 ring[CONSOLE_IN_RING];	/* in_lock */
static u32 ring_head, ring_tail;	/* in_lock; head - tail = bytes queued */
static u64 dropped;			/* in_lock */
/* Once set (by #cons at boot), input goes to the terminal instead of the ring. */
bool tty_attached;
static u64 last_ctrl_g_ns;	/* IRQ handler only (one COM1 IRQ at a time) */

/* Console output: the port itself, polled (console_user_write). */
static void console_output(struct tty *tty, const char *s, size_t n)
{
	(void)tty;
	console_user_write(s, n, false);
}

static const struct tty_driver console_driver = { .output = console_output };
struct tty console_tty = { .lock = SPINLOCK_INITIALIZER("console tty") };

void console_tty_init(void)
{
	tty_init(&console_tty, &console_driver, NULL,
		 ABI_MKDEV(TTY_CONSOLE_MAJOR, TTY_CONSOLE_MINOR));
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

void serial_irq(struct hw_trapframe *tf, void *data)
{
	bool brk;
	int c;

	(void)data;
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

/* Route IRQ 4 to the BSP and enable the UART receive interrupt; 0 or -errno. */
static int console_in_init(void)
{
	int err = register_irq_handler(IRQ_BASE + COM1_IRQ, serial_irq, NULL);

	if (!err)
		err = ioapic_route_irq(COM1_IRQ, IRQ_BASE + COM1_IRQ, 0);
	if (err) {
		printk("console: no serial input interrupt (error %d)\n", err);
		return err;
	}
	serial_enable_rx_irq();
	return 0;
}
initcall(console_in_init, device);

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
