/*
 * Interrupt-driven 16550 ports, the console included.  A port moves bytes: the receive interrupt fills a receive ring
 * and tells the port's client (rx_ready), which takes the bytes with
 * uart_rx_peek/uart_rx_consume; writers fill a transmit ring that the
 * transmit-empty interrupt drains into the UART's FIFO, and the client
 * hears (tx_done) when the ring falls to its low-water mark or empties.
 * Bytes arriving with the receive ring full are dropped and counted
 * (overruns).
 *
 * The client of a port is its terminal (drivers/serial/uart_tty.c): the
 * line discipline, termios and job control of kern/tty.h on top of the
 * rings.  COM2 (0x2F8, IRQ 3) is port 1; #uart (kernel/dev/uart.c) shows
 * its terminal as /dev/ttyS1 (4:65).  tools/qemu-run --serial2 connects
 * it on the host.
 *
 * COM1 (0x3F8, IRQ 4) is port 0, the console (drivers/tty/console_in.c
 * is its client): drivers/serial/serial.c programs it at boot and keeps
 * the polled path that printk, the monitor and panic use; this driver
 * adds the transmit ring for user output (IXON STOP halts its draining;
 * the monitor holds it).  Its input does not use the receive ring: the
 * console's handler reads byte by byte, so a monitor escape sees the
 * bytes that follow it.  A direct writer takes uart_console_lock, which
 * first polls out what the ring holds, so printk text never overtakes
 * user output written before it.
 *
 * Locking: port->lock (IRQ-safe) protects both rings, the counters and the
 * UART registers; it is never held while calling the client, so the
 * client may take its tty->lock and call back in (tty->lock -> port->lock).
 * Blocking writers and drainers sleep on port->wq.
 */
#ifndef KERN_UART_H
#define KERN_UART_H

#include <kern/types.h>

#define UART_NPORTS	2	/* ttyS0 (the console) and ttyS1 */

/* Flags of received bytes (uart_rx_peek), from the line status register. */
#define UART_RX_NORMAL	0
#define UART_RX_BREAK	1	/* a BREAK (the byte is 0) */
#define UART_RX_PARITY	2
#define UART_RX_FRAME	3

struct uart_stats {
	u64 rx_bytes, tx_bytes, rx_overruns, irqs;
	u64 rx_breaks, rx_errors;	/* BREAKs; parity and framing errors */
	u64 irq_rearms;			/* interrupts left with work pending (IER re-armed) */
	u64 tx_poll_timeouts;		/* port 0: polled waits for THRE that gave up (serial.c) */
	u32 baud;			/* line speed the divisor gives */
	u8 lcr;				/* 16550 line control: bits, stop bits, parity */
	u8 mcr;				/* modem control: DTR (1), RTS (2), OUT2 (8) */
};

/* What a port tells its client, from the interrupt handler with no lock held. */
struct uart_client {
	void (*rx_ready)(void *arg);	/* bytes arrived in the receive ring */
	void (*tx_done)(void *arg);	/* the transmit ring fell to low water or emptied */
};

/* Is port idx (0 = COM1, 1 = COM2) present and started?  False for absent UARTs and before the device initcalls. */
bool uart_present(int idx);
/* Make c (with arg) the client of port idx (0 or 1), also before the port is probed; set before its input is wanted. */
void uart_set_client(int idx, const struct uart_client *c, void *arg);
/* Copy up to n received bytes and their UART_RX_* flags without taking them; bytes copied (0 for none or no port). */
size_t uart_rx_peek(int idx, void *buf, u8 *flags, size_t n);
/* Take n received bytes (after uart_rx_peek); one consumer at a time. */
void uart_rx_consume(int idx, size_t n);
/* Queue n bytes for sending (IRQs off allowed if nonblock); bytes queued (at least one unless nonblock), -EAGAIN, -EINTR, -ENODEV. */
ssize_t uart_write(int idx, const void *buf, size_t n, bool nonblock);
/* Wait until every queued byte has left the UART; 0, -EINTR or -ENODEV. */
int uart_drain(int idx);
/* Drop queued input (in) and/or unsent output (out). */
void uart_flush(int idx, bool in, bool out);
/* Stop (IXON STOP, TCOOFF) or restart draining the transmit ring; queued bytes stay. */
void uart_tx_stop(int idx, bool stop);
/* Raise or drop DTR and RTS (HUPCL on last close; the first open raises them). */
void uart_set_dtr(int idx, bool on);
/*
 * Direct output on the console port (printk, monitor, panic; IRQs off):
 * takes the port (no_wait: a bounded try, then without it), polls out the
 * ring unless output is stopped (ignore_stop: even then; while the
 * monitor holds the port, only what was queued before), and keeps the
 * interrupt from draining it until uart_console_unlock.  Returns whether
 * the lock was taken (pass it to unlock); false with no port 0 yet.
 */
bool uart_console_lock(bool no_wait, bool ignore_stop);
void uart_console_unlock(bool locked);
/* The monitor owns the line: the ring does not drain until hold is cleared, and output queued from now on waits for that. */
void uart_console_hold(bool hold);
/* Bytes waiting to be read / still to be sent. */
size_t uart_rx_avail(int idx);
size_t uart_tx_pending(int idx);
/* Free bytes in the transmit ring (0 for no port). */
size_t uart_tx_room(int idx);
/* Program speed (bits/s; 0 keeps it) and CSIZE/CSTOPB/PARENB/PARODD of cflag; 0 or -ENODEV. */
int uart_set_line(int idx, u32 baud, u32 cflag);
/* Counters of port idx (zeros for an absent port). */
void uart_get_stats(int idx, struct uart_stats *st);

struct tty;
/* The terminal of port idx (drivers/serial/uart_tty.c), or NULL before boot's late level or for no port. */
struct tty *uart_tty(int idx);

#endif
