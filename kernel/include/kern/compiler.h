/*
 * Compiler helpers shared by every kernel file: attributes, barriers and
 * the generic overflow-checked arithmetic used by array allocators.
 */
#ifndef KERN_COMPILER_H
#define KERN_COMPILER_H

#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#define __noreturn		__attribute__((noreturn))
#define __unused		__attribute__((unused))
#define __used			__attribute__((used))
#define __section(s)		__attribute__((section(s)))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __must_check		__attribute__((warn_unused_result))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define barrier()		__asm__ __volatile__("" ::: "memory")
/* Full memory barrier: earlier loads and stores are visible before later ones. */
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a)		((((x) + (a) - 1) / (a)) * (a))
#define ROUNDDOWN(x, a)		(((x) / (a)) * (a))
#define container_of(p, type, member) \
	((type *)((char *)(p) - __builtin_offsetof(type, member)))

#define STATIC_ASSERT(c)	_Static_assert(c, #c)

/*
 * check_mul_overflow(a, b, dst): *dst = a * b in the type of *dst; true if
 * the mathematical result does not fit.  Works for any integer types (it is
 * the compiler's type-generic builtin, so no per-type helpers exist).
 */
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)

#endif
