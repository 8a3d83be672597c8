/* Fixed-width kernel integer types (Linux names) on top of the compiler's. */
#ifndef KERN_TYPES_H
#define KERN_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef uintptr_t physaddr_t;
typedef long ssize_t;

#endif
