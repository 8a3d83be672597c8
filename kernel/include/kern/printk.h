/*
 * Kernel console output.  printk() formats into a bounded line buffer and
 * hands the text to the console (COM1) and the kernel log ring that dmesg
 * reads.  It is safe from any context: thread, IRQ, NMI and panic (see
 * kernel/debug/printk.c for how it avoids deadlocks there).
 */
#ifndef KERN_PRINTK_H
#define KERN_PRINTK_H

#include <kern/types.h>
#include <kern/compiler.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
#ifdef HOST_UNIT_TEST
/* lib/printf.c as host unit tests link it next to the C library's printf family. */
int kern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int kern_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
#endif
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
/* Write raw bytes to the console and log. */
void console_write(const char *s, size_t len);
/* A user-space owner (termd) holds the console line: printk goes to the log and the held ring only (debug/printk.c); off with text held: console_release_held() unmutes. */
void console_set_muted(bool on);
/* After console_set_muted(false), no lock held: write the held text the owner never took, then unmute. */
void console_release_held(void);
/* The monitor writes to the port even while muted (leaving the alternate screen first). */
void console_set_direct(bool on);
/* Take up to len bytes of kernel text held while muted (a NUL: the monitor wrote to the screen); bytes taken. */
size_t kmsg_held_read(char *buf, size_t len);
/* Capacity of the log ring in bytes. */
#define KMSG_RING_SIZE	(128 * 1024)
/* Copy log text starting at byte offset off (oldest retained data first) into buf; returns bytes copied. */
size_t kmsg_read(char *buf, size_t len, size_t off);
/* Bytes currently retained in the log ring. */
size_t kmsg_size(void);
/* Bytes ever logged (the ring holds the last kmsg_size() of them); for syslog(2). */
size_t kmsg_end(void);

/* Set once a panic starts: printk stops waiting for its lock, the monitor takes over. */
extern bool panicking;
void __noreturn panic_at(const char *file, int line, const char *fmt, ...) __printf(3, 4);
#define panic(...)	panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define warn(...)	printk("WARNING: " __VA_ARGS__)
#define assert(c)							\
	do {								\
		if (unlikely(!(c)))					\
			panic("assertion failed: %s", #c);		\
	} while (0)

#endif
