/*
 * prctl(2) options and arch_prctl(2) codes the kernel implements.
 * Mirrors Linux's uapi/linux/prctl.h and arch/x86/include/uapi/asm/prctl.h.
 */
#ifndef ABI_PRCTL_H
#define ABI_PRCTL_H

#ifndef PR_SET_NAME
#define PR_SET_NAME	15	/* set the calling thread's comm (16 bytes) */
#endif
#ifndef PR_GET_NAME
#define PR_GET_NAME	16
#endif

#ifndef ARCH_SET_GS
#define ARCH_SET_GS	0x1001
#endif
#ifndef ARCH_SET_FS
#define ARCH_SET_FS	0x1002
#endif
#ifndef ARCH_GET_FS
#define ARCH_GET_FS	0x1003
#endif
#ifndef ARCH_GET_GS
#define ARCH_GET_GS	0x1004
#endif

#endif
