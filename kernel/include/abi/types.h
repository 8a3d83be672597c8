/*
 * Fixed-width integer types for the headers in kernel/include/abi/, the
 * record layouts the kernel shares with user space (Linux x86-64 ABI).
 * They come from the compiler's predefined macros, so an abi header needs
 * no C library and no kernel header: it compiles alone in the kernel
 * (-ffreestanding -nostdinc) and in a user tool next to glibc.  abi_u64 is
 * the same type as the C library's uint64_t (unsigned long on x86-64).
 *
 * Rules of the abi headers (tests/static/check-headers.sh checks them):
 *  - each one compiles standalone with host gcc -Wall -Wextra -Werror,
 *    freestanding and next to the C library's headers that define the same
 *    names;
 *  - structs are named abi_* (the C library's struct of the same Linux
 *    name often has another layout, e.g. struct sigaction or termios);
 *  - a constant the C library also defines keeps its Linux name, with the
 *    Linux value, inside #ifndef: a tool includes the C library's headers
 *    first and ours then only add what is missing.  Constants whose C
 *    library value differs from the kernel's (NSIG, SIGRTMIN, NCCS) or
 *    that are ours alone get an ABI_ prefix;
 *  - each header's paragraph names the Linux header it mirrors (the ABI
 *    of Linux 6.x; these values have not changed since they appeared).
 */
#ifndef ABI_TYPES_H
#define ABI_TYPES_H

typedef __UINT8_TYPE__ abi_u8;
typedef __UINT16_TYPE__ abi_u16;
typedef __UINT32_TYPE__ abi_u32;
typedef __UINT64_TYPE__ abi_u64;
typedef __INT8_TYPE__ abi_s8;
typedef __INT16_TYPE__ abi_s16;
typedef __INT32_TYPE__ abi_s32;
typedef __INT64_TYPE__ abi_s64;

#endif
