/*
 * parlib's context switches (declared in internal.h).  Offsets are those
 * of struct mcp_uctx (abi/mcp.h): rax 0, rbx 8, rcx 16, rdx 24, rsi 32,
 * rdi 40, rbp 48, r8 56 ... r15 112, rsp 120, rip 128, rflags 136.
 *
 * parlib_pop_ctx builds a small frame on the uthread's stack below its
 * 128-byte red zone, switches to that stack, and only then turns
 * notifications on: a notification that lands in the last instructions
 * saves a context that is a valid uthread context (it runs on the
 * uthread's stack and finishes popping the frame when resumed).
 */
	.text

	.globl parlib_save_and_call
	.type parlib_save_and_call, @function
/* rdi = ctx, rsi = fn, rdx = arg, rcx = stack top */
parlib_save_and_call:
	movq	%rbx, 8(%rdi)
	movq	%rbp, 48(%rdi)
	movq	%r12, 88(%rdi)
	movq	%r13, 96(%rdi)
	movq	%r14, 104(%rdi)
	movq	%r15, 112(%rdi)
	leaq	8(%rsp), %rax
	movq	%rax, 120(%rdi)
	movq	(%rsp), %rax
	movq	%rax, 128(%rdi)
	movq	$0x202, 136(%rdi)
	movq	$0, 0(%rdi)
	movq	%rcx, %rsp
	andq	$-16, %rsp
	movq	%rdx, %rdi
	call	*%rsi
	ud2
	.size parlib_save_and_call, .-parlib_save_and_call

	.globl parlib_pop_ctx
	.type parlib_pop_ctx, @function
/* rdi = ctx, rsi = fpu or 0, edx = xsave, rcx = &notif_disabled, r8 = vcoreid */
parlib_pop_ctx:
	testq	%rsi, %rsi
	jz	1f
	testl	%edx, %edx
	jz	2f
	movl	$-1, %eax
	movl	$-1, %edx
	xrstor64 (%rsi)
	jmp	1f
2:	fxrstor64 (%rsi)
1:	movq	120(%rdi), %rax
	subq	$(128 + 40), %rax
	movq	%rcx, 0(%rax)
	movq	%r8, 8(%rax)
	movq	40(%rdi), %rdx
	movq	%rdx, 16(%rax)
	movq	136(%rdi), %rdx
	movq	%rdx, 24(%rax)
	movq	128(%rdi), %rdx
	movq	%rdx, 32(%rax)
	movq	%rax, %rsp
	movq	0(%rdi), %rax
	movq	8(%rdi), %rbx
	movq	16(%rdi), %rcx
	movq	24(%rdi), %rdx
	movq	32(%rdi), %rsi
	movq	48(%rdi), %rbp
	movq	56(%rdi), %r8
	movq	64(%rdi), %r9
	movq	72(%rdi), %r10
	movq	80(%rdi), %r11
	movq	88(%rdi), %r12
	movq	96(%rdi), %r13
	movq	104(%rdi), %r14
	movq	112(%rdi), %r15
	popq	%rdi			/* &notif_disabled */
	movl	$0, (%rdi)
	mfence
	cmpl	$0, 4(%rdi)		/* notif_pending */
	jne	3f
4:	addq	$8, %rsp		/* vcoreid */
	popq	%rdi
	popfq
	ret	$128
3:	/* An event came while notifications were off: have the kernel deliver it now. */
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%r11
	movq	40(%rsp), %rdi		/* vcoreid */
	xorl	%esi, %esi		/* MCP_EV_NONE */
	xorl	%edx, %edx
	movl	$1014, %eax		/* SYS_vcore_notify */
	syscall
	popq	%r11
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	jmp	4b
	.size parlib_pop_ctx, .-parlib_pop_ctx

	.globl parlib_vcore_entry_asm
	.type parlib_vcore_entry_asm, @function
/* The kernel starts a vcore here: rdi = vcoreid, rsp = its stack, fs = its TLS. */
parlib_vcore_entry_asm:
	andq	$-16, %rsp
	call	vcore_entry
	ud2
	.size parlib_vcore_entry_asm, .-parlib_vcore_entry_asm

	.section .note.GNU-stack, "", @progbits
