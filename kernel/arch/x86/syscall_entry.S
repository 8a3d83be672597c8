/*
 * SYSCALL entry.  The CPU leaves the user rip in rcx and rflags in r11 and
 * does not switch stacks, so we swapgs, park the user rsp in per-CPU
 * scratch, switch to the task's kernel stack (percpu kstack_top, which is
 * where the CPU would put an interrupt frame too) and build the same
 * struct hw_trapframe an interrupt from user mode would: syscall_dispatch
 * and signal delivery then treat both alike.  The return goes through the
 * common trap exit (iretq), which restores every register, so handlers
 * may rewrite the frame (execve, sigreturn).
 */
#include <arch/trap.h>
#include <kern/percpu.h>

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:PERCPU_USER_RSP
	movq	%gs:PERCPU_KSTACK_TOP, %rsp
	pushq	$(GD_UD | 3)			/* ss */
	pushq	%gs:PERCPU_USER_RSP		/* rsp */
	pushq	%r11				/* rflags */
	pushq	$(GD_UT | 3)			/* cs */
	pushq	%rcx				/* rip */
	pushq	$0				/* err */
	pushq	$T_SYSCALL			/* trapno */
	pushq	$1				/* gsbase_swapped */
	PUSH_GPRS
	movq	%rsp, %rbx
	xorl	%ebp, %ebp
	andq	$-16, %rsp
	sti
	movq	%rbx, %rdi
	call	syscall_dispatch
	cli
	movq	%rbx, %rdi
	call	user_return_work
	movq	%rbx, %rsp
	jmp	trap_return
