/*
 * Low-level console device (COM1 16550 UART).  serial_putc and
 * serial_getc_poll touch the hardware directly, so they work with
 * interrupts off and from the monitor, panic and NMI paths.
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <kern/types.h>

void serial_init(void);
void serial_putc(char c);
/* Send n bytes as they are, a FIFO's worth per wait for the transmitter. */
void serial_write_raw(const char *s, size_t n);
/* Returns the next received byte, or -1 if none is waiting. */
int serial_getc_poll(void);
/* Like serial_getc_poll; *brk says the byte is a received BREAK (wt-tty: monitor escape). */
int serial_getc_break(bool *brk);
/* Block (spinning) until a byte arrives; returns it. */
int serial_getc_wait(void);
/* COM1's line status register (0 without a UART); a BREAK it shows is latched for serial_getc_break. */
u8 serial_lsr(void);
/*
 * Wait (IRQs off allowed) until COM1's transmit FIFO is empty: true, or
 * false after a time bound (a host end that does not read; shorter once a
 * wait has failed, until one succeeds again).  The polled writers use it.
 */
bool serial_wait_thre(void);
/* How many waits of serial_wait_thre gave up (bytes may have been overwritten). */
u64 serial_tx_timeouts(void);

#endif
