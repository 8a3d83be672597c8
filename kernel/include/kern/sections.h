/*
 * Symbols the linker script (arch/x86/kernel.ld) defines at the edges of
 * the kernel image and its sections.  Only their addresses mean anything:
 * they are declared as char arrays so `__text_start` is a pointer and
 * `(uintptr_t)__bss_end` the address.  *_pa names are physical addresses
 * (the image as loaded), the others virtual.  Section tables with a type
 * (ktests, monitor commands, the exception table, initcalls) are declared
 * by the header that owns the table.
 */
#ifndef KERN_SECTIONS_H
#define KERN_SECTIONS_H

/* Physical: first byte of the image and end of .bss. */
extern char __image_start_pa[], __bss_end_pa[];
/* Virtual: .text, .rodata (with the linker tables), .bss end. */
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __bss_end[];
/*
 * The .percpu template: linked at 0 (a variable's address is its offset),
 * loaded at __percpu_load; the BSP's copy is reserved at __bsp_percpu_area.
 */
extern char __percpu_load[], __percpu_start[], __percpu_end[], __bsp_percpu_area[];

#endif
