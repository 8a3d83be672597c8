/*
 * User memory access (see kern/uaccess.h).  The range check happens here;
 * the copy itself is the arch's rep-movs with an exception-table fixup.
 * Strings are copied page by page so a string ending just before an
 * unmapped page is still read correctly.
 */
#include <kern/uaccess.h>
#include <kern/uvm.h>
#include <kern/errno.h>
#include <kern/memlayout.h>

bool user_range_ok(uintptr_t uaddr, size_t len)
{
	uintptr_t end;

	if (check_add_overflow(uaddr, len, &end))
		return false;
	return end <= USER_MAX;
}

int copy_from_user(void *dst, const void *usrc, size_t len)
{
	if (!user_range_ok((uintptr_t)usrc, len))
		return -EFAULT;
	return arch_copy_user(dst, usrc, len) ? -EFAULT : 0;
}

int copy_to_user(void *udst, const void *src, size_t len)
{
	if (!user_range_ok((uintptr_t)udst, len))
		return -EFAULT;
	return arch_copy_user(udst, src, len) ? -EFAULT : 0;
}

int clear_user(void *udst, size_t len)
{
	if (!user_range_ok((uintptr_t)udst, len))
		return -EFAULT;
	return arch_clear_user(udst, len) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t done = 0;

	while (done < max) {
		uintptr_t p = (uintptr_t)usrc + done;
		size_t chunk = MIN(max - done, PGSIZE - (p & (PGSIZE - 1)));

		if (copy_from_user(dst + done, (const void *)p, chunk))
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (!dst[done + i])
				return done + i;
		done += chunk;
	}
	return -ENAMETOOLONG;
}

uintptr_t extable_fixup(uintptr_t rip)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
