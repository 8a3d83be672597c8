/*
 * Interrupt-driven 16550 ports other than the console (COM1 stays the
 * polled console of drivers/serial/serial.c, usable when all else has
 * died).  A port moves raw bytes: the receive interrupt fills a ring that
 * readers drain (blocking until at least one byte is there, as a raw
 * terminal with VMIN=1 VTIME=0); writers fill a transmit ring that the
 * transmit-empty interrupt drains into the UART's FIFO, so a writer
 * blocks only while the ring is full.  Bytes arriving with the receive
 * ring full are dropped and counted (overruns).
 *
 * COM2 (0x2F8, IRQ 3) is port 1; #uart (kernel/dev/uart.c) shows it as
 * /dev/ttyS1 (4:65).  tools/qemu-run --serial2 connects it on the host.
 *
 * Locking: port->lock (IRQ-safe) protects both rings, the counters and the
 * UART registers; readers and writers sleep on port->wq, and every change
 * also calls poll_wake().
 */
#ifndef KERN_UART_H
#define KERN_UART_H

#include <kern/types.h>

#define UART_NPORTS	2	/* ttyS0 (the console, not served here) and ttyS1 */

struct uart_stats {
	u64 rx_bytes, tx_bytes, rx_overruns, irqs;
};

/* Is port idx (1 = COM2) present and started?  False for the console and absent UARTs. */
bool uart_present(int idx);
/* Read up to n bytes (at least one unless nonblock); bytes, -EAGAIN, -EINTR, or -ENODEV. */
ssize_t uart_read(int idx, void *buf, size_t n, bool nonblock);
/* Queue n bytes for sending; bytes queued (at least one unless nonblock), -EAGAIN, -EINTR, -ENODEV. */
ssize_t uart_write(int idx, const void *buf, size_t n, bool nonblock);
/* Wait until every queued byte has left the UART; 0, -EINTR or -ENODEV. */
int uart_drain(int idx);
/* Drop queued input (in) and/or unsent output (out). */
void uart_flush(int idx, bool in, bool out);
/* Bytes waiting to be read / still to be sent. */
size_t uart_rx_avail(int idx);
size_t uart_tx_pending(int idx);
/* True when a write of one byte would not block. */
bool uart_tx_room(int idx);
/* Counters of port idx (zeros for an absent port). */
void uart_get_stats(int idx, struct uart_stats *st);

#endif
