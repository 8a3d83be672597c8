/*
 * Kernel stack switching.  __switch_to(&old->ksp, new->ksp) pushes the
 * callee-saved registers on the current stack, stores the stack pointer in
 * *old_ksp, loads new_ksp and pops the new task's registers; `ret` then
 * resumes the new task where it last called __switch_to (or, for a fresh
 * task, at the entry address task_alloc placed on its stack).
 */
	.text
	.globl __switch_to
__switch_to:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/*
 * First code of a new task: __switch_to "returned" here with r12 = the
 * function, r13 = its argument (placed by task_alloc).  The scheduler's
 * lock is still held from the switch; task_first_run releases it.
 */
	.globl task_entry_trampoline
task_entry_trampoline:
	call	task_first_run
	movq	%r13, %rdi
	call	*%r12
	call	task_exit_current
1:	hlt
	jmp	1b

/*
 * First code of a new user task: r12 = its struct hw_trapframe (top of
 * its kernel stack).  Finish the switch, run the return-to-user work
 * (signals), then leave through the common trap exit.
 */
	.globl user_task_trampoline
user_task_trampoline:
	call	task_first_run
	cli
	movq	%r12, %rsp
	andq	$-16, %rsp
	movq	%r12, %rdi
	call	user_return_work
	movq	%r12, %rsp
	jmp	trap_return
