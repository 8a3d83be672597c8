/*
 * Raw user copies with fault recovery.  Each instruction that may fault on
 * a user address has an entry in the __ex_table section (faulting rip,
 * fixup rip); the page-fault handler, when it cannot resolve a kernel-mode
 * fault on a user address, resumes at the fixup, which returns the number
 * of bytes left to the C wrapper.  The bulk moves 8 bytes per rep step
 * (TCG emulates each step as one instruction), then the tail bytewise.
 */
	.text
/* size_t arch_copy_user(void *dst, const void *src, size_t len) */
	.globl arch_copy_user
arch_copy_user:
	movq	%rdx, %rcx
	shrq	$3, %rcx
	andl	$7, %edx
1:	rep movsq
	movl	%edx, %ecx
2:	rep movsb
	xorl	%eax, %eax
	ret
3:	leaq	(%rdx,%rcx,8), %rax	/* quadwords left, and the tail */
	ret
4:	movq	%rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad	1b, 3b
	.quad	2b, 4b
	.text

/* size_t arch_clear_user(void *dst, size_t len) */
	.globl arch_clear_user
arch_clear_user:
	movq	%rsi, %rcx
	shrq	$3, %rcx
	andl	$7, %esi
	xorl	%eax, %eax
5:	rep stosq
	movl	%esi, %ecx
6:	rep stosb
	xorl	%eax, %eax
	ret
7:	leaq	(%rsi,%rcx,8), %rax
	ret
8:	movq	%rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad	5b, 7b
	.quad	6b, 8b
	.text
