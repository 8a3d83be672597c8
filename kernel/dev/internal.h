/*
 * What only the files of kernel/dev/ share: the bounds of the .devtab
 * linker section that DEV_REGISTER() fills (kern/dev.h).  The kernel's
 * linker script names them __devtab_start/__devtab_end; a host unit test
 * build (no linker script) gets the __start_/__stop_ symbols the linker
 * makes for a section whose name is a C identifier.
 */
#ifndef KERN_DEV_INTERNAL_H
#define KERN_DEV_INTERNAL_H

#include <kern/dev.h>

#ifdef HOST_UNIT_TEST
extern const struct dev *const __start_devtab[], *const __stop_devtab[];
#define DEVTAB_BEGIN	__start_devtab
#define DEVTAB_END	__stop_devtab
#else
extern const struct dev *const __devtab_start[], *const __devtab_end[];
#define DEVTAB_BEGIN	__devtab_start
#define DEVTAB_END	__devtab_end
#endif

#endif
