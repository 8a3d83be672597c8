/*
 * Interrupt-driven console input.  COM1's interrupt (ISA IRQ 4, port 0
 * of kern/uart.h) is routed to the BSP; its receive half drains the UART
 * into the console terminal, or before that into a small ring that
 * console_input_getc() reads.  Ctrl-G (0x07) is not queued: it enters the
 * kernel monitor on the interrupted context.  The monitor itself polls the
 * UART and runs with interrupts off, so the two never compete for bytes.
 */
#ifndef KERN_CONSOLE_IN_H
#define KERN_CONSOLE_IN_H

#include <kern/types.h>

#define CONSOLE_IN_RING	256

/* Next queued input byte, or -1 if none. */
int console_input_getc(void);
/* Once set (by #cons at boot), input goes to the terminal instead of the ring. */
extern bool tty_attached;

/* Start the console terminal and route input to it (#cons init). */
void console_tty_init(void);

struct hw_trapframe;
/* The receive half of COM1's interrupt (drivers/serial/uart_port.c calls it, then refills the transmit FIFO). */
void console_rx_irq(struct hw_trapframe *tf);

#endif
