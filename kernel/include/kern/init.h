/*
 * Kernel start-up.  boot.S calls kmain on the bootstrap processor.
 */
#ifndef KERN_INIT_H
#define KERN_INIT_H

#include <kern/types.h>

/* The BSP's C entry (boot.S): bring the kernel up and start the first process; never returns. */
void kmain(u32 magic, physaddr_t info_pa);

#endif
