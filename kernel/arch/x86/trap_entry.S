/*
 * Interrupt and exception entry stubs.  Each of the 256 vectors gets a
 * 16-byte-aligned stub that pushes a zero error code (unless the CPU pushed
 * one) and the vector number, then joins trap_common, which saves the
 * general registers as a struct hw_trapframe and calls trap_dispatch.
 *
 * GS: if the trap came from user mode we swapgs to the kernel's per-CPU
 * base.  NMI, #DF and #MC can arrive anywhere, even between the entry and a
 * swapgs, so for them (the "paranoid" vectors) the decision is made from
 * the GS base MSR itself: kernel bases are negative addresses.
 */
#include <arch/trap.h>

	.section .text.entry, "ax"
	.align 16
	.globl trap_stubs
trap_stubs:
vec = 0
	.rept 256
	.align 16
	.if (vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
vec = vec + 1
	.endr

trap_common:
	/* stack: trapno, err, rip, cs, rflags, rsp, ss */
	subq	$8, %rsp			/* gsbase_swapped slot */
	PUSH_GPRS
	movq	$0, 120(%rsp)
	movq	128(%rsp), %rax			/* trapno */
	cmpq	$T_NMI, %rax
	je	paranoid
	cmpq	$T_DBLFLT, %rax
	je	paranoid
	cmpq	$T_MCHK, %rax
	je	paranoid
	testb	$3, 152(%rsp)			/* cs */
	jz	1f
	swapgs
	movq	$1, 120(%rsp)
	jmp	1f
paranoid:
	movl	$0xC0000101, %ecx		/* GS_BASE */
	rdmsr
	testl	%edx, %edx
	js	1f				/* already the kernel's */
	swapgs
	movq	$1, 120(%rsp)
1:	cld
	movq	%rsp, %rbx			/* rbx: the frame, callee-saved */
	/* Make the frame look like a call from the trapped rip for backtraces. */
	pushq	144(%rbx)
	pushq	48(%rbx)			/* trapped rbp */
	movq	%rsp, %rbp
	andq	$-16, %rsp
	movq	%rbx, %rdi
	call	trap_dispatch
	movq	%rbx, %rsp
	.globl trap_return
trap_return:
	cmpq	$0, 120(%rsp)
	je	2f
	swapgs
2:	popq	%rax
	popq	%rbx
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rbp
	popq	%r8
	popq	%r9
	popq	%r10
	popq	%r11
	popq	%r12
	popq	%r13
	popq	%r14
	popq	%r15
	addq	$24, %rsp			/* gsbase_swapped, trapno, err */
	iretq
