/*
 * Linux character device numbers of the files the kernel's devices
 * serve (Linux's include/uapi/linux/major.h and
 * Documentation/admin-guide/devices.txt): programs check them with
 * stat(2) (`test -c`, ls -l, isatty-style probes), and device nodes made
 * by mknod in the initramfs open the device file that carries them.
 * Used with ABI_MKDEV (abi/stat.h).  The serial console's number
 * (ttyS0, 4:64) belongs to the terminal (kern/tty.h).
 */
#ifndef ABI_MAJOR_H
#define ABI_MAJOR_H

#define ABI_MEM_MAJOR		1	/* memory devices */
#define ABI_MEM_NULL_MINOR	3
#define ABI_MEM_ZERO_MINOR	5
#define ABI_MEM_FULL_MINOR	7
#define ABI_MEM_RANDOM_MINOR	8
#define ABI_MEM_URANDOM_MINOR	9

#define ABI_TTYAUX_MAJOR	5	/* alternate tty devices */
#define ABI_TTY_MINOR		0	/* /dev/tty, the controlling terminal */
#define ABI_CONSOLE_MINOR	1	/* /dev/console */

#define ABI_PTMX_MINOR		2	/* /dev/ptmx, the pty multiplexer */

#define ABI_UNIX98_PTY_SLAVE_MAJOR 136	/* /dev/pts/N is 136:N */

#define ABI_TTYS_MAJOR		4	/* 8250 serial ports: ttyS<n> is minor 64 + n */
#define ABI_TTYS_MINOR(n)	(64 + (n))

#endif
