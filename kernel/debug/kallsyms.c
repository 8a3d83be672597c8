/*
 * Symbol lookup and backtraces.  The build links the kernel twice: the
 * second link embeds a table of every function symbol of the first
 * (tools/gen-kallsyms writes it as assembly into .kallsyms, placed right
 * after .text so that no function moves).  Addresses are sorted, so lookup
 * is a binary search.
 */
#include <kern/kdebug.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/memlayout.h>
#include <kern/sections.h>
#include "internal.h"

const char *kallsyms_lookup(uintptr_t addr, uintptr_t *offset)
{
	u64 lo = 0, hi = kallsyms_num;

	if (offset)
		*offset = 0;
	if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end || !hi)
		return NULL;
	while (hi - lo > 1) {
		u64 mid = (lo + hi) / 2;

		if (kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (kallsyms_addrs[lo] > addr)
		return NULL;
	if (offset)
		*offset = addr - kallsyms_addrs[lo];
	return kallsyms_names + kallsyms_name_off[lo];
}

uintptr_t kallsyms_addr(const char *name)
{
	for (u64 i = 0; i < kallsyms_num; i++)
		if (!strcmp(kallsyms_names + kallsyms_name_off[i], name))
			return kallsyms_addrs[i];
	return 0;
}

/* A frame pointer is followed only while it looks like a kernel stack address. */
static bool plausible_fp(uintptr_t fp)
{
	return fp >= KERNBASE && !(fp & 7) && fp < 0xfffffffffffff000ULL;
}

int backtrace_collect(uintptr_t rbp, uintptr_t *pcs, int max)
{
	int n = 0;

	while (n < max && plausible_fp(rbp)) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t next = frame[0], ret = frame[1];

		if (!ret)
			break;
		pcs[n++] = ret;
		if (next <= rbp)
			break;
		rbp = next;
	}
	return n;
}

void backtrace_print_frame(int i, uintptr_t pc)
{
	uintptr_t off;
	const char *sym = kallsyms_lookup(pc, &off);

	if (sym)
		printk(" #%02d [<%016lx>] %s+0x%lx\n", i, (unsigned long)pc, sym,
		       (unsigned long)off);
	else
		printk(" #%02d [<%016lx>] ?\n", i, (unsigned long)pc);
}

void backtrace_from(uintptr_t rip, uintptr_t rbp)
{
	uintptr_t pcs[32];
	int n = backtrace_collect(rbp, pcs, 32);

	backtrace_print_frame(0, rip);
	for (int i = 0; i < n; i++)
		backtrace_print_frame(i + 1, pcs[i] - 1);
}

void backtrace(void)
{
	uintptr_t rbp = (uintptr_t)__builtin_frame_address(0);

	backtrace_from((uintptr_t)__builtin_return_address(0) - 1,
		       ((const uintptr_t *)rbp)[0]);
}
