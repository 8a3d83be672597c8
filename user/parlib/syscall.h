/*
 * Raw system calls for parlib and MCP programs: syscall0 ... syscall6 by
 * argument count, inline, returning the kernel's value (-errno on
 * failure) and never touching errno, so they are safe in vcore context
 * and in the middle of a TLS switch.
 */
#ifndef PARLIB_SYSCALL_H
#define PARLIB_SYSCALL_H

static inline long syscall0(long n)
{
	long r;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
	return r;
}

static inline long syscall1(long n, long a)
{
	long r;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory");
	return r;
}

static inline long syscall2(long n, long a, long b)
{
	long r;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}

static inline long syscall3(long n, long a, long b, long c)
{
	long r;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
			     : "rcx", "r11", "memory");
	return r;
}

static inline long syscall4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			     : "rcx", "r11", "memory");
	return r;
}

static inline long syscall5(long n, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10),
			     "r"(r8) : "rcx", "r11", "memory");
	return r;
}

static inline long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10),
			     "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return r;
}

#endif
