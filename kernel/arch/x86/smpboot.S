/*
 * Application processor start-up trampoline.  smpboot_start..smpboot_end is
 * copied to SMP_TRAMPOLINE_PA (page aligned, below 1 MiB), whose page
 * number is the SIPI vector, so an AP starts at its first byte in real mode
 * with CS = SMP_TRAMPOLINE_PA >> 4 and IP = 0.  It loads its own small GDT,
 * enters protected mode, enables PAE + long mode with the boot page tables
 * (boot_pml4 is below 4 GiB and identity-maps the trampoline), and jumps
 * into the higher-half kernel at ap_entry64 with the stack the BSP put in
 * the data block at the end.  Every address inside the copy is computed
 * as SMP_TRAMPOLINE_PA + (label - smpboot_start), since the code is not
 * run where it was linked.
 *
 * The BSP starts one AP at a time and rewrites the data block (cr3, stack,
 * cpu number) before each INIT-SIPI-SIPI, so there is no sharing between
 * APs in here.
 */
#include <kern/memlayout.h>

#define TRAMP(x)	(SMP_TRAMPOLINE_PA + (x) - smpboot_start)

	.section .rodata
	.align 16
	.globl smpboot_start
smpboot_start:
	.code16
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	lgdtl	TRAMP(tramp_gdt_ptr)
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	$0x08, $TRAMP(tramp_pm32)

	.code32
tramp_pm32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$((1 << 5) | (1 << 7)), %eax	/* PAE | PGE */
	movl	%eax, %cr4
	movl	TRAMP(smpboot_cr3), %eax
	movl	%eax, %cr3
	/* EFER.LME, and NXE when the CPU has NX (the kernel's tables use it). */
	movl	$0x80000001, %eax
	cpuid
	movl	$(1 << 8), %ebx
	testl	$(1 << 20), %edx
	jz	1f
	orl	$(1 << 11), %ebx
1:	movl	$0xC0000080, %ecx
	rdmsr
	orl	%ebx, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$0x80010001, %eax		/* PG | WP | PE */
	movl	%eax, %cr0
	ljmp	$0x18, $TRAMP(tramp_lm64)

	.code64
tramp_lm64:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%eax, %eax
	movw	%ax, %fs
	movw	%ax, %gs
	movq	TRAMP(smpboot_stack), %rsp
	movl	TRAMP(smpboot_cpu), %edi
	movq	TRAMP(smpboot_entry), %rax
	xorl	%ebp, %ebp
	jmp	*%rax

	.align 16
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tramp_gdt_end:
tramp_gdt_ptr:
	.word	tramp_gdt_end - tramp_gdt - 1
	.long	TRAMP(tramp_gdt)

	/* Data block, filled by the BSP for each AP (see smp.c). */
	.align 8
	.globl smpboot_cr3, smpboot_stack, smpboot_entry, smpboot_cpu
smpboot_cr3:	.quad 0
smpboot_stack:	.quad 0
smpboot_entry:	.quad 0
smpboot_cpu:	.quad 0
	.globl smpboot_end
smpboot_end:
