/*
 * Interrupt-driven 16550 ports (model in kern/uart.h): a receive ring fed
 * by the receive interrupt and a transmit ring drained by the
 * transmit-holding-empty interrupt, 16 bytes into the FIFO each time THRE
 * shows it empty (several loads per interrupt under QEMU, which sends at
 * once).  Writers and pollers are woken at the ring's low-water mark, not
 * per interrupt: one wakeup per 4 KiB sent instead of one per 16 bytes.
 * The interrupt handler runs on the CPU the IOAPIC routes the line to;
 * everything else takes port->lock with interrupts off.
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
#include <abi/termios.h>

#define UART_DATA	0
#define UART_IER	1
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define IER_RDI		0x01
#define IER_THRI	0x02
#define UART_FIFO	16
#define UART_CLOCK	115200	/* the divisor's base rate: 1.8432 MHz / 16 */
#define RING_SIZE	8192	/* power of two */
#define TX_BURST	256	/* most bytes moved to the UART per interrupt */
/* Writers and pollers are woken when the ring drains to this (and when it empties). */
#define TX_LOW_WATER	(RING_SIZE / 2)

struct uart_port {
	u16 base;
	int irq;
	bool present;			/* set once at init */
	struct spinlock lock;
	struct wait_queue wq;		/* readers, writers and drainers */
	u8 rx[RING_SIZE], tx[RING_SIZE];	/* lock */
	u32 rx_head, rx_tail;		/* lock; head - tail = bytes queued */
	u32 tx_head, tx_tail;		/* lock */
	u32 baud;			/* lock: line speed the divisor gives */
	u8 lcr;				/* lock: data bits, stop bits, parity */
	struct uart_stats st;		/* lock */
	const struct uart_client *client;	/* set once before input flows; called unlocked */
	void *client_arg;
};

static struct uart_port ports[UART_NPORTS] = {
	[1] = { .base = 0x2F8, .irq = 3 },
};

/* Port idx if it is present, else NULL. */
static struct uart_port *port_of(int idx)
{
	if (idx < 1 || idx >= UART_NPORTS || !READ_ONCE(ports[idx].present))
		return NULL;
	return &ports[idx];
}

bool uart_present(int idx)
{
	return port_of(idx) != NULL;
}

/*
 * Move queued output into the FIFO, 16 bytes each time THRE says it is
 * empty, up to TX_BURST bytes per call (QEMU empties the FIFO at once;
 * a real UART needs 16 character times, so there one load per call);
 * arms THRI while bytes remain.  Lock held.  True when writers should be
 * woken: the ring fell to the low-water mark or emptied.
 */
static bool tx_kick_locked(struct uart_port *p)
{
	u32 before = p->tx_head - p->tx_tail, after;
	int budget = TX_BURST;

	while (budget > 0 && p->tx_head != p->tx_tail &&
	       (inb(p->base + UART_LSR) & LSR_THRE)) {
		for (int room = UART_FIFO; room > 0 && p->tx_head != p->tx_tail; room--, budget--) {
			outb(p->base + UART_DATA, p->tx[p->tx_tail++ % RING_SIZE]);
			p->st.tx_bytes++;
		}
	}
	after = p->tx_head - p->tx_tail;
	outb(p->base + UART_IER, IER_RDI | (after ? IER_THRI : 0));
	return (before > TX_LOW_WATER && after <= TX_LOW_WATER) || (before && !after);
}

/* IRQ handler: drain received bytes, refill the transmit FIFO, wake sleepers. */
static void uart_irq(struct hw_trapframe *tf, void *data)
{
	struct uart_port *p = data;
	bool woke = false, got = false;

	(void)tf;
	spin_lock(&p->lock);
	p->st.irqs++;
	while (inb(p->base + UART_LSR) & LSR_DR) {
		u8 c = inb(p->base + UART_DATA);

		if (p->rx_head - p->rx_tail < RING_SIZE)
			p->rx[p->rx_head++ % RING_SIZE] = c;
		else
			p->st.rx_overruns++;
		p->st.rx_bytes++;
		got = true;
	}
	woke = tx_kick_locked(p);
	spin_unlock(&p->lock);
	if (p->client && got)
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
	struct uart_port *p = port_of(idx);

	if (!p)
		return;
	p->client_arg = arg;
	WRITE_ONCE(p->client, c);
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

	return READ_ONCE(p->tx_head) == READ_ONCE(p->tx_tail) &&
	       (inb(p->base + UART_LSR) & 0x40);	/* TEMT */
}

size_t uart_rx_peek(int idx, void *buf, size_t n)
{
	struct uart_port *p = port_of(idx);
	size_t got = 0;
	u64 flags;

	if (!p)
		return 0;
	flags = spin_lock_irqsave(&p->lock);
	for (u32 t = p->rx_tail; got < n && t != p->rx_head; t++)
		((u8 *)buf)[got++] = p->rx[t % RING_SIZE];
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
		tx_kick_locked(p);
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
	spin_unlock_irqrestore(&p->lock, flags);
}

/* Program port p for 115200 8N1 with FIFOs; false if no UART answers there. */
static bool port_probe(struct uart_port *p)
{
	outb(p->base + UART_SCR, 0x5A);
	if (inb(p->base + UART_SCR) != 0x5A)
		return false;
	outb(p->base + UART_IER, 0);
	outb(p->base + UART_LCR, 0x80);		/* DLAB */
	outb(p->base + 0, 1);			/* divisor 1: 115200 baud */
	outb(p->base + 1, 0);
	outb(p->base + UART_LCR, 0x03);		/* 8N1 */
	outb(p->base + UART_FCR, 0xC7);		/* FIFO on, cleared, 14-byte threshold */
	outb(p->base + UART_MCR, 0x0B);		/* DTR, RTS, OUT2 (IRQ enable) */
	p->baud = UART_CLOCK;
	p->lcr = 0x03;
	return inb(p->base + UART_LSR) != 0xFF;
}

/* Probe the ports and route their interrupts to the BSP; 0 (an absent port is not an error). */
static int uart_ports_init(void)
{
	for (int i = 1; i < UART_NPORTS; i++) {
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
		while (inb(p->base + UART_LSR) & LSR_DR)
			(void)inb(p->base + UART_DATA);
		WRITE_ONCE(p->present, true);
		outb(p->base + UART_IER, IER_RDI);
	}
	return 0;
}
initcall(uart_ports_init, device);
