/*
 * Access to user memory from the kernel.  Every user pointer a syscall
 * receives goes through these: they check that the range lies in the user
 * half and copy with fault handling, so a bad pointer yields -EFAULT and
 * never a kernel fault.  Faults on valid-but-absent pages (demand paging,
 * copy-on-write) are resolved transparently by the page-fault handler.
 */
#ifndef KERN_UACCESS_H
#define KERN_UACCESS_H

#include <kern/types.h>
#include <kern/compiler.h>

/* True if [uaddr, uaddr+len) lies entirely in the user half. */
bool user_range_ok(uintptr_t uaddr, size_t len);
/* Copy len bytes from user memory; 0 or -EFAULT. */
int __must_check copy_from_user(void *dst, const void *usrc, size_t len);
/* Copy len bytes to user memory; 0 or -EFAULT. */
int __must_check copy_to_user(void *udst, const void *src, size_t len);
/* Zero len bytes of user memory; 0 or -EFAULT. */
int __must_check clear_user(void *udst, size_t len);
/*
 * Copy a NUL-terminated string of at most max bytes (including the NUL);
 * returns its length, -EFAULT, or -ENAMETOOLONG if no NUL within max.
 */
long __must_check strncpy_from_user(char *dst, const char *usrc, size_t max);

/* arch: raw copies with fault fixup; return the number of bytes NOT copied. */
size_t arch_copy_user(void *dst, const void *src, size_t len);
size_t arch_clear_user(void *dst, size_t len);

/* Exception-table lookup for the page-fault handler: fixup address or 0. */
uintptr_t extable_fixup(uintptr_t fault_rip);

/* One exception-table entry: a faulting user access at insn resumes at fixup. */
struct extable_entry {
	uintptr_t insn, fixup;
};
/* The table kernel.ld collects from __ex_table (arch/x86/uaccess.S fills it). */
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

#endif
