/*
 * Boot entry: from a Multiboot 1 (QEMU -kernel) or Multiboot 2 (GRUB) loader
 * in 32-bit protected mode, with paging off, to 64-bit long mode running the
 * higher-half kernel.
 *
 * Both headers use "address fields" so the loader copies the flat image to
 * KERN_PHYS_LOAD and jumps to _start32 (a physical address).  _start32 builds
 * throw-away page tables that map the first 1 GiB three times (identity, at
 * KERNBASE and at KERN_LOAD_ADDR) with 2 MiB pages, enables long mode and
 * jumps to high_entry, which calls kmain(magic, info_pa) on the BSP stack.
 * The boot page tables stay alive: the AP trampoline borrows them (they sit
 * below 4 GiB, as a 32-bit CR3 load requires) until each AP switches to the
 * kernel's own page table.
 */
#include <kern/memlayout.h>

#define MB1_MAGIC	0x1BADB002
#define MB1_FLAGS	0x00010003	/* page-align modules, mem info, address fields */
#define MB2_MAGIC	0xE85250D6

#define PTE_P		0x1
#define PTE_W		0x2
#define PTE_PS		0x80

	.section .multiboot, "a"
	.align 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header		/* header_addr */
	.long __image_start_pa		/* load_addr */
	.long __load_end_pa		/* load_end_addr */
	.long __bss_end_pa		/* bss_end_addr */
	.long _start32			/* entry_addr */

	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	/* address tag */
	.align 8
	.word 2, 0
	.long 24
	.long mb2_header
	.long __image_start_pa
	.long __load_end_pa
	.long __bss_end_pa
	/* entry address tag */
	.align 8
	.word 3, 0
	.long 12
	.long _start32
	/* module alignment tag */
	.align 8
	.word 6, 0
	.long 8
	/* end tag */
	.align 8
	.word 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl	%eax, %edi		/* loader magic */
	movl	%ebx, %esi		/* loader info (physical) */
	movl	$boot_stack_top, %esp

	/* Long mode and NX are required; say so on COM1 and stop otherwise. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$(1 << 29), %edx
	jz	no_long_mode

	/* Four PDs: 2048 x 2 MiB pages covering 0..4 GiB. */
	movl	$boot_pd, %ebx
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	%eax, (%ebx, %ecx, 8)
	movl	%ecx, %eax
	shrl	$11, %eax
	movl	%eax, 4(%ebx, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	1b

	/* identity 0..1 GiB, KERNBASE 0..4 GiB, KERN_LOAD_ADDR 0..2 GiB */
	movl	$(boot_pd + PTE_P + PTE_W), boot_pdpt_low
	movl	$(boot_pd + PTE_P + PTE_W), boot_pdpt_dmap
	movl	$(boot_pd + 4096 + PTE_P + PTE_W), boot_pdpt_dmap + 8
	movl	$(boot_pd + 8192 + PTE_P + PTE_W), boot_pdpt_dmap + 16
	movl	$(boot_pd + 12288 + PTE_P + PTE_W), boot_pdpt_dmap + 24
	movl	$(boot_pd + PTE_P + PTE_W), boot_pdpt_high + 510 * 8
	movl	$(boot_pd + 4096 + PTE_P + PTE_W), boot_pdpt_high + 511 * 8
	movl	$(boot_pdpt_low + PTE_P + PTE_W), boot_pml4
	movl	$(boot_pdpt_dmap + PTE_P + PTE_W), boot_pml4 + 256 * 8
	movl	$(boot_pdpt_high + PTE_P + PTE_W), boot_pml4 + 511 * 8

	.globl boot_enter_long_mode
boot_enter_long_mode:
	movl	%cr4, %eax
	orl	$((1 << 5) | (1 << 7)), %eax	/* PAE | PGE */
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$0xC0000080, %ecx		/* EFER */
	rdmsr
	orl	$(1 << 8), %eax			/* LME */
	movl	%eax, %ebp
	movl	$0x80000001, %eax
	cpuid
	movl	%ebp, %eax
	testl	$(1 << 20), %edx		/* NX available? */
	jz	2f
	orl	$(1 << 11), %eax		/* NXE */
2:	movl	$0xC0000080, %ecx
	xorl	%edx, %edx
	wrmsr
	movl	%cr0, %eax
	orl	$0x80010001, %eax		/* PG | WP | PE */
	movl	%eax, %cr0
	lgdt	boot_gdt_ptr
	ljmp	$0x08, $long_entry

no_long_mode:
	movl	$no_lm_msg, %ebx
3:	movb	(%ebx), %al
	testb	%al, %al
	jz	4f
	movw	$0x3f8, %dx
	outb	%al, %dx
	incl	%ebx
	jmp	3b
4:	hlt
	jmp	4b

	.code64
long_entry:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%eax, %eax
	movw	%ax, %fs
	movw	%ax, %gs
	movabsq	$high_entry, %rax
	jmp	*%rax

	.section .boot.data, "aw"
no_lm_msg:
	.asciz	"boot: this CPU has no 64-bit long mode; cannot continue\r\n"
	.align 16
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad	0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
	.globl boot_gdt_ptr
boot_gdt_ptr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt
	.align 4096
	.globl boot_pml4
boot_pml4:
	.fill	512, 8, 0
boot_pdpt_low:
	.fill	512, 8, 0
boot_pdpt_high:
	.fill	512, 8, 0
boot_pdpt_dmap:
	.fill	512, 8, 0
boot_pd:
	.fill	2048, 8, 0
	.fill	1024, 1, 0
boot_stack_top:

	.text
	.code64
high_entry:
	leaq	bsp_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	movl	%edi, %edi
	movl	%esi, %esi
	call	kmain
5:	cli
	hlt
	jmp	5b

	.bss
	.align 4096
	.globl bsp_stack_bottom
bsp_stack_bottom:
	.space	KSTACK_SIZE
	.globl bsp_stack_top
bsp_stack_top:
