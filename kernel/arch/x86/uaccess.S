/*
 * Raw user copies with fault recovery.  Each instruction that may fault on
 * a user address has an entry in the __ex_table section (faulting rip,
 * fixup rip); the page-fault handler, when it cannot resolve a kernel-mode
 * fault on a user address, resumes at the fixup, which returns the number
 * of bytes left (rcx) to the C wrapper.
 */
	.text
/* size_t arch_copy_user(void *dst, const void *src, size_t len) */
	.globl arch_copy_user
arch_copy_user:
	movq	%rdx, %rcx
1:	rep movsb
	xorl	%eax, %eax
	ret
2:	movq	%rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad	1b, 2b
	.text

/* size_t arch_clear_user(void *dst, size_t len) */
	.globl arch_clear_user
arch_clear_user:
	movq	%rsi, %rcx
	xorl	%eax, %eax
3:	rep stosb
	xorl	%eax, %eax
	ret
4:	movq	%rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad	3b, 4b
	.text
