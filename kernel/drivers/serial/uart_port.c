/*
 * Interrupt-driven 16550 ports (model in kern/uart.h): a receive ring fed
 * by the receive interrupt and a transmit ring drained by the
 * transmit-holding-empty interrupt, 16 bytes into the FIFO each time THRE
 * shows it empty (several loads per interrupt under QEMU, which sends at
 * once).  Writers and pollers are woken at the ring's low-water mark, not
 * per interrupt: one wakeup per 4 KiB sent instead of one per 16 bytes.
 * The interrupt handler runs on the CPU the IOAPIC routes the line to;
 * everything else takes port->lock with interrupts off.
 *
 * Port 0 is COM1, the console: serial.c programmed it at boot for polled
 * printk; here it gets the same transmit ring (user output), while its
 * receive side stays byte-at-a-time in the console's handler (rx_irq:
 * the monitor escape must see the bytes that follow it).  Direct writers
 * (printk, the monitor, panic) bracket their polled output with
 * uart_console_lock/unlock, which first polls out what the ring holds.
 * Received bytes carry a flag (break, parity or framing error) from the
 * line status register; a BREAK is latched at the LSR read that shows
 * it and given to the next NUL byte (QEMU clears BI at that read).
 *
 * Interrupts are edge-triggered (ISA IRQs through the IOAPIC), so, as
 * Linux's 8250, the handler reads IIR until it says no interrupt is
 * pending (at most IRQ_PASSES times): leaving with a source still pending
 * keeps the line up and no new edge ever comes.  Whoever wants a THRE
 * interrupt (data left after the handler's budget, a restart after
 * STOP/TCOOFF or the monitor, new data for an idle transmitter, a wakeup
 * owed by a direct writer) first primes the FIFO directly and then
 * toggles IER.THRI off and on (tx_arm): a 16550, and QEMU's, raises THRE
 * anew when THRI is enabled while the FIFO is empty, and otherwise when it
 * empties.
 */
#include <kern/uart.h>
#include <kern/init.h>
#include <kern/wait.h>
#include <kern/poll.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <kern/spinlock.h>
#include <kern/time.h>
#include <arch/x86.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <kern/console.h>
#include <kern/console_in.h>
#include <kern/moncmd.h>
#include <abi/termios.h>

#define UART_DATA	0
#define UART_IER	1
#define UART_IIR	2	/* read */
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7
#define UART_MSR	6
#define LSR_DR		0x01
#define LSR_PE		0x04
#define LSR_FE		0x08
#define LSR_BI		0x10
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_RLSI	0x04	/* line status: a BREAK with the FIFO on */
#define IER_RX		(IER_RDI | IER_RLSI)
#define IIR_NO_INT	0x01
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT2	0x08
#define UART_FIFO	16
#define UART_CLOCK	115200	/* the divisor's base rate: 1.8432 MHz / 16 */
#define RING_SIZE	8192	/* power of two */
#define TX_BURST	256	/* most bytes moved to the UART per IIR pass */
#define IRQ_PASSES	8	/* IIR reads per interrupt before re-arming and leaving */
/* Writers and pollers are woken when the ring drains to this (and when it empties). */
#define TX_LOW_WATER	(RING_SIZE / 2)

struct uart_port {
	u16 base;
	int irq;
	bool present;			/* set once at init */
	struct spinlock lock;
	struct wait_queue wq;		/* readers, writers and drainers */
	u8 tx[RING_SIZE];		/* lock */
	u16 rx[RING_SIZE];		/* lock: byte | UART_RX_* flag << 8 */
	u32 rx_head, rx_tail;		/* lock; head - tail = bytes queued */
	u32 tx_head, tx_tail;		/* lock */
	u32 baud;			/* lock: line speed the divisor gives */
	u8 lcr;				/* lock: data bits, stop bits, parity */
	u8 mcr;				/* lock: modem control (DTR, RTS, OUT2) */
	bool tx_stopped;		/* lock: IXON STOP / TCOOFF: the ring does not drain */
	bool tx_held;			/* lock: the monitor owns the port */
	u32 tx_hold_end;		/* tx_head when the monitor took the port: direct writers poll out only up to here */
	bool break_latched;		/* lock: an LSR read showed BI, the NUL is due */
	bool wake_due;			/* lock: writers are owed a wakeup; given at the next interrupt */
	bool tx_left;			/* lock: the last kick left bytes queued (someone may wait for room or the drain) */
	bool rx_full;			/* lock: the ring is full: received-data interrupts off, bytes wait in the FIFO */
	struct uart_stats st;		/* lock */
	const struct uart_client *client;	/* set once before input flows; called unlocked */
	void *client_arg;
	/* Port 0: the console's receive handler replaces the ring (set before the IRQ). */
	void (*rx_irq)(struct hw_trapframe *tf);
};

static struct uart_port ports[UART_NPORTS] = {
	[0] = { .base = 0x3F8, .irq = 4, .rx_irq = console_rx_irq },
	[1] = { .base = 0x2F8, .irq = 3 },
};

/* Port idx if it is present, else NULL. */
static struct uart_port *port_of(int idx)
{
	if (idx < 0 || idx >= UART_NPORTS || !READ_ONCE(ports[idx].present))
		return NULL;
	return &ports[idx];
}

/* Line status of p; a BREAK it shows is latched (the console's by serial.c). */
static u8 port_lsr(struct uart_port *p)
{
	u8 lsr;

	if (p == &ports[0])
		return serial_lsr();
	lsr = inb(p->base + UART_LSR);
	if (lsr & LSR_BI)
		p->break_latched = true;
	return lsr;
}

bool uart_present(int idx)
{
	return port_of(idx) != NULL;
}

/*
 * Set IER for the receive interrupts plus THRI if thri (lock held, or the
 * monitor's unlocked hold).  Enabling THRI goes through off-then-on so a
 * THRE interrupt is raised even if THRI was already on and its pending
 * state was consumed by an IIR read: at once if the FIFO is empty, else
 * when it empties.
 */
static void tx_arm(struct uart_port *p, bool thri)
{
	u8 rx = p->rx_full ? IER_RLSI : IER_RX;

	outb(p->base + UART_IER, rx);
	if (thri)
		outb(p->base + UART_IER, rx | IER_THRI);
}

/*
 * Move queued output into the FIFO, 16 bytes each time THRE says it is
 * empty, up to TX_BURST bytes per call (QEMU empties the FIFO at once;
 * a real UART needs 16 character times, so there one load per call);
 * arms THRI (tx_arm) while bytes remain or a wakeup is owed, nothing
 * while stopped or held.  Lock held.  A wakeup is owed when the ring
 * fell to the low-water mark, or emptied after bytes had waited in it
 * (tx_left: a writer, tcdrain or poll may sleep on them), or a direct
 * writer emptied it; from the interrupt handler the result says to give
 * it now, elsewhere it is kept in wake_due for the next interrupt
 * (false).  A writer whose own bytes go straight into an idle FIFO (QEMU
 * sends at once) owes nobody: no interrupt per write.
 */
static bool tx_kick_locked(struct uart_port *p, bool from_irq)
{
	u32 before = p->tx_head - p->tx_tail, after;
	bool go = !p->tx_stopped && !p->tx_held;
	int budget = go ? TX_BURST : 0;
	bool wake;

	while (budget > 0 && p->tx_head != p->tx_tail && (port_lsr(p) & LSR_THRE)) {
		for (int room = UART_FIFO; room > 0 && p->tx_head != p->tx_tail; room--, budget--) {
			outb(p->base + UART_DATA, p->tx[p->tx_tail++ % RING_SIZE]);
			p->st.tx_bytes++;
		}
	}
	after = p->tx_head - p->tx_tail;
	wake = p->wake_due || (before > TX_LOW_WATER && after <= TX_LOW_WATER) ||
	       (before && !after && (from_irq || p->tx_left));
	p->tx_left = after != 0;
	if (from_irq) {
		p->wake_due = false;
		tx_arm(p, after && go);
		return wake;
	}
	p->wake_due = wake;
	tx_arm(p, (after && go) || wake);
	return false;
}

/* The flag of received byte c that came with line status lsr (lock held). */
static u16 rx_flag(struct uart_port *p, u8 c, u8 lsr)
{
	if (c == 0 && p->break_latched) {
		p->break_latched = false;
		p->st.rx_breaks++;
		return UART_RX_BREAK;
	}
	if (lsr & LSR_PE) {
		p->st.rx_errors++;
		return UART_RX_PARITY;
	}
	if (lsr & LSR_FE) {
		p->st.rx_errors++;
		return UART_RX_FRAME;
	}
	return UART_RX_NORMAL;
}

/*
 * Take the received bytes into the ring (lock held); whether any came.
 * A full ring leaves the rest in the FIFO and turns the received-data
 * interrupt off until uart_rx_consume makes room: the sender is held
 * back (QEMU stops reading its backend when the FIFO is full) instead of
 * bytes being dropped while a slow reader catches up.
 */
static bool rx_drain_locked(struct uart_port *p)
{
	bool got = false;
	u8 lsr;

	while (p->rx_head - p->rx_tail < RING_SIZE && ((lsr = port_lsr(p)) & LSR_DR)) {
		u8 c = inb(p->base + UART_DATA);
		u16 flag = rx_flag(p, c, lsr);

		p->rx[p->rx_head++ % RING_SIZE] = c | flag << 8;
		p->st.rx_bytes++;
		got = true;
	}
	if (p->rx_head - p->rx_tail >= RING_SIZE && !p->rx_full) {
		p->rx_full = true;
		outb(p->base + UART_IER, inb(p->base + UART_IER) & ~IER_RDI);
	}
	return got;
}

/*
 * IRQ handler: until IIR shows nothing pending, drain received bytes
 * (the console's handler reads its own, unlocked) and refill the
 * transmit FIFO; then wake sleepers.  After IRQ_PASSES passes with work
 * still pending it leaves with every source re-armed (IER off and on:
 * the line drops and rises again, a fresh edge).
 */
static void uart_irq(struct hw_trapframe *tf, void *data)
{
	struct uart_port *p = data;
	bool woke = false, got = false;

	for (int pass = 0;; pass++) {
		u8 iir;

		if (p->rx_irq)
			p->rx_irq(tf);		/* the console: monitor escapes, its terminal */
		spin_lock(&p->lock);
		if (!pass)
			p->st.irqs++;
		iir = inb(p->base + UART_IIR);
		if (iir & IIR_NO_INT) {
			spin_unlock(&p->lock);
			break;
		}
		if (pass == IRQ_PASSES) {
			p->st.irq_rearms++;
			outb(p->base + UART_IER, 0);
			tx_arm(p, p->wake_due ||
			       (p->tx_head != p->tx_tail && !p->tx_stopped && !p->tx_held));
			spin_unlock(&p->lock);
			break;
		}
		if (!p->rx_irq)
			got |= rx_drain_locked(p);
		woke |= tx_kick_locked(p, true);
		spin_unlock(&p->lock);
	}
	if (p->client && p->client->rx_ready && got)
		p->client->rx_ready(p->client_arg);
	if (p->client && woke)
		p->client->tx_done(p->client_arg);
	if (woke || got) {
		wake_up(&p->wq);
		poll_wake();
	}
}

void uart_set_client(int idx, const struct uart_client *c, void *arg)
{
	/*
	 * Not port_of(): the console's terminal (core level, from #cons)
	 * registers before the device initcall probes the ports; a client
	 * dropped here would never hear tx_done, and its writers would sleep
	 * on a full ring until some input woke them.
	 */
	if (idx < 0 || idx >= UART_NPORTS)
		return;
	ports[idx].client_arg = arg;
	WRITE_ONCE(ports[idx].client, c);
}

/* wait_event condition: room in the transmit ring. */
static bool tx_has_room(void *arg)
{
	struct uart_port *p = arg;

	return READ_ONCE(p->tx_head) - READ_ONCE(p->tx_tail) < RING_SIZE;
}

/* wait_event condition: the transmit ring and the UART are empty. */
static bool tx_empty(void *arg)
{
	struct uart_port *p = arg;
	u64 flags = spin_lock_irqsave(&p->lock);
	bool empty = p->tx_head == p->tx_tail && (port_lsr(p) & LSR_TEMT);

	spin_unlock_irqrestore(&p->lock, flags);
	return empty;
}

size_t uart_rx_peek(int idx, void *buf, u8 *flags_out, size_t n)
{
	struct uart_port *p = port_of(idx);
	size_t got = 0;
	u64 flags;

	if (!p)
		return 0;
	flags = spin_lock_irqsave(&p->lock);
	for (u32 t = p->rx_tail; got < n && t != p->rx_head; t++) {
		flags_out[got] = p->rx[t % RING_SIZE] >> 8;
		((u8 *)buf)[got++] = (u8)p->rx[t % RING_SIZE];
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return got;
}

void uart_rx_consume(int idx, size_t n)
{
	struct uart_port *p = port_of(idx);
	u64 flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	p->rx_tail += (u32)MIN(n, (size_t)(p->rx_head - p->rx_tail));
	if (p->rx_full && p->rx_head - p->rx_tail < RING_SIZE) {
		/* Room again: what waits in the FIFO raises the interrupt at once. */
		p->rx_full = false;
		outb(p->base + UART_IER, inb(p->base + UART_IER) | IER_RDI);
	}
	spin_unlock_irqrestore(&p->lock, flags);
}

ssize_t uart_write(int idx, const void *buf, size_t n, bool nonblock)
{
	struct uart_port *p = port_of(idx);
	size_t put = 0;
	u64 flags;
	int err;

	if (!p)
		return -ENODEV;
	while (put < n) {
		flags = spin_lock_irqsave(&p->lock);
		while (put < n && p->tx_head - p->tx_tail < RING_SIZE)
			p->tx[p->tx_head++ % RING_SIZE] = ((const u8 *)buf)[put++];
		(void)tx_kick_locked(p, false);
		spin_unlock_irqrestore(&p->lock, flags);
		if (put == n)
			break;
		if (nonblock)
			return put ? (ssize_t)put : -EAGAIN;
		err = wait_event(&p->wq, tx_has_room, p, 0);
		if (err)
			return put ? (ssize_t)put : err;
	}
	return (ssize_t)put;
}

int uart_drain(int idx)
{
	struct uart_port *p = port_of(idx);

	if (!p)
		return -ENODEV;
	/* TEMT has no interrupt: poll it with a short deadline after the ring empties. */
	while (!tx_empty(p)) {
		int err = wait_event(&p->wq, tx_empty, p, nsec_since_boot() + 1000000);

		if (err == -EINTR)
			return err;
	}
	return 0;
}

void uart_flush(int idx, bool in, bool out)
{
	struct uart_port *p = port_of(idx);
	u64 flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	if (in)
		p->rx_tail = p->rx_head;
	if (out)
		p->tx_head = p->tx_tail;
	spin_unlock_irqrestore(&p->lock, flags);
	wake_up(&p->wq);
	poll_wake();
}

void uart_tx_stop(int idx, bool stop)
{
	struct uart_port *p = port_of(idx);
	u64 flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	p->tx_stopped = stop;
	(void)tx_kick_locked(p, false);	/* writers hear it from the tty or the next interrupt */
	spin_unlock_irqrestore(&p->lock, flags);
}

/* Poll the console's transmit ring out through the FIFO up to index end (lock held), each load after serial_wait_thre. */
static void tx_poll_out(struct uart_port *p, u32 end)
{
	while ((s32)(end - p->tx_tail) > 0) {
		(void)serial_wait_thre();
		for (int room = UART_FIFO; room > 0 && (s32)(end - p->tx_tail) > 0; room--) {
			outb(p->base + UART_DATA, p->tx[p->tx_tail++ % RING_SIZE]);
			p->st.tx_bytes++;
		}
	}
}

bool uart_console_lock(bool no_wait, bool ignore_stop)
{
	struct uart_port *p = port_of(0);
	bool locked = true;
	u32 end;

	if (!p)
		return false;
	if (no_wait) {
		int tries = 1000000;

		while (!(locked = spin_trylock(&p->lock)) && --tries)
			cpu_relax();
	} else {
		spin_lock(&p->lock);
	}
	/* While the monitor holds the port, only what was queued before it took it. */
	end = p->tx_held ? p->tx_hold_end : p->tx_head;
	if ((!p->tx_stopped || ignore_stop) && (s32)(end - p->tx_tail) > 0) {
		tx_poll_out(p, end);
		p->wake_due = true;
	}
	return locked;
}

void uart_console_unlock(bool locked)
{
	struct uart_port *p = port_of(0);

	if (!p)
		return;
	/*
	 * Writers waiting for room and tcdrain are woken from the next
	 * interrupt (no waking from inside printk): THRI raises one at once.
	 */
	tx_arm(p, p->wake_due || (p->tx_head != p->tx_tail && !p->tx_stopped && !p->tx_held));
	if (locked)
		spin_unlock(&p->lock);
}

void uart_console_hold(bool hold)
{
	struct uart_port *p = port_of(0);
	u64 flags;

	if (!p)
		return;
	if (hold) {
		/* No lock: the monitor of a panic must not wait for a frozen CPU. */
		WRITE_ONCE(p->tx_hold_end, READ_ONCE(p->tx_head));
		WRITE_ONCE(p->tx_held, true);
		tx_arm(p, false);
		return;
	}
	flags = spin_lock_irqsave(&p->lock);
	p->tx_held = false;
	(void)tx_kick_locked(p, false);
	spin_unlock_irqrestore(&p->lock, flags);
}

void uart_set_dtr(int idx, bool on)
{
	struct uart_port *p = port_of(idx);
	u64 flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	p->mcr = on ? p->mcr | MCR_DTR | MCR_RTS : p->mcr & ~(MCR_DTR | MCR_RTS);
	outb(p->base + UART_MCR, p->mcr);
	spin_unlock_irqrestore(&p->lock, flags);
}

size_t uart_rx_avail(int idx)
{
	struct uart_port *p = port_of(idx);

	return p ? READ_ONCE(p->rx_head) - READ_ONCE(p->rx_tail) : 0;
}

size_t uart_tx_pending(int idx)
{
	struct uart_port *p = port_of(idx);

	return p ? READ_ONCE(p->tx_head) - READ_ONCE(p->tx_tail) : 0;
}

size_t uart_tx_room(int idx)
{
	struct uart_port *p = port_of(idx);

	return p ? RING_SIZE - (READ_ONCE(p->tx_head) - READ_ONCE(p->tx_tail)) : 0;
}

int uart_set_line(int idx, u32 baud, u32 cflag)
{
	static const u8 csize[] = { [CS5 >> 4] = 0, [CS6 >> 4] = 1, [CS7 >> 4] = 2, [CS8 >> 4] = 3 };
	struct uart_port *p = port_of(idx);
	u32 div;
	u8 lcr;
	u64 flags;

	if (!p)
		return -ENODEV;
	if (!baud)
		return 0;	/* B0: keep the line as it is (no modem lines to drop) */
	div = MAX(1u, MIN(0xFFFFu, (UART_CLOCK + baud / 2) / baud));
	lcr = csize[(cflag & CSIZE) >> 4] | (cflag & CSTOPB ? 0x04 : 0) |
	      (cflag & PARENB ? 0x08 : 0) | (cflag & PARENB && !(cflag & PARODD) ? 0x10 : 0);
	flags = spin_lock_irqsave(&p->lock);
	outb(p->base + UART_LCR, 0x80);		/* DLAB */
	outb(p->base + 0, div & 0xFF);
	outb(p->base + 1, div >> 8);
	outb(p->base + UART_LCR, lcr);
	p->baud = UART_CLOCK / div;
	p->lcr = lcr;
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

void uart_get_stats(int idx, struct uart_stats *st)
{
	struct uart_port *p = port_of(idx);
	u64 flags;

	memset(st, 0, sizeof(*st));
	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	*st = p->st;
	st->baud = p->baud;
	st->lcr = p->lcr;
	st->mcr = p->mcr;
	spin_unlock_irqrestore(&p->lock, flags);
	if (idx == 0)
		st->tx_poll_timeouts = serial_tx_timeouts();
}

/* Monitor `uart`: both ports' counters (lost-byte and lost-interrupt hunting). */
static int cmd_uart(int argc, char **argv, struct hw_trapframe *tf)
{
	(void)argc;
	(void)argv;
	(void)tf;
	for (int i = 0; i < UART_NPORTS; i++) {
		struct uart_stats st;

		uart_get_stats(i, &st);
		printk("ttyS%d: present %d rx %llu tx %llu overruns %llu irqs %llu rearms %llu "
		       "poll_timeouts %llu queued tx %zu rx %zu\n", i, uart_present(i), st.rx_bytes,
		       st.tx_bytes, st.rx_overruns, st.irqs, st.irq_rearms, st.tx_poll_timeouts,
		       uart_tx_pending(i), uart_rx_avail(i));
	}
	return 0;
}
MONITOR_CMD("uart", "uart: counters of the serial ports", cmd_uart);

/* Program port p for 115200 8N1 with FIFOs; false if no UART answers there. */
static bool port_probe(struct uart_port *p)
{
	p->baud = UART_CLOCK;
	p->lcr = 0x03;
	p->mcr = MCR_DTR | MCR_RTS | MCR_OUT2;
	if (p == &ports[0])	/* the console: serial_init programmed it, polled printk uses it */
		return serial_lsr() != 0xFF;
	outb(p->base + UART_SCR, 0x5A);
	if (inb(p->base + UART_SCR) != 0x5A)
		return false;
	outb(p->base + UART_IER, 0);
	outb(p->base + UART_LCR, 0x80);		/* DLAB */
	outb(p->base + 0, 1);			/* divisor 1: 115200 baud */
	outb(p->base + 1, 0);
	outb(p->base + UART_LCR, 0x03);		/* 8N1 */
	outb(p->base + UART_FCR, 0xC7);		/* FIFO on, cleared, 14-byte threshold */
	outb(p->base + UART_MCR, p->mcr);	/* DTR, RTS, OUT2 (IRQ enable) */
	return inb(p->base + UART_LSR) != 0xFF;
}

/* Probe the ports and route their interrupts to the BSP; 0 (an absent port is not an error). */
static int uart_ports_init(void)
{
	for (int i = 0; i < UART_NPORTS; i++) {
		struct uart_port *p = &ports[i];
		int err;

		spinlock_init(&p->lock, "uart port");
		wait_queue_init(&p->wq, "uart port");
		if (!port_probe(p))
			continue;
		err = register_irq_handler(IRQ_BASE + p->irq, uart_irq, p);
		if (!err)
			err = ioapic_route_irq(p->irq, IRQ_BASE + p->irq, 0);
		if (err) {
			printk("ttyS%d: no interrupt (error %d)\n", i, err);
			continue;
		}
		while (!p->rx_irq && (inb(p->base + UART_LSR) & LSR_DR))
			(void)inb(p->base + UART_DATA);
		WRITE_ONCE(p->present, true);
		tx_arm(p, false);
	}
	return 0;
}
initcall(uart_ports_init, device);
