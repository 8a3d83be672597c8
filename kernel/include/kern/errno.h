/* Error numbers: Linux x86-64 values, returned negated at and below the syscall boundary. */
#ifndef KERN_ERRNO_H
#define KERN_ERRNO_H

#include <abi/errno.h>

#endif
