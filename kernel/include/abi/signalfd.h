/*
 * signalfd4(2): its flags and the 128-byte record a read returns per
 * signal (Linux's uapi/linux/signalfd.h).
 */
#ifndef ABI_SIGNALFD_H
#define ABI_SIGNALFD_H

#include <abi/types.h>

#ifndef SFD_NONBLOCK
#define SFD_NONBLOCK	00004000	/* O_NONBLOCK */
#endif
#ifndef SFD_CLOEXEC
#define SFD_CLOEXEC	02000000	/* O_CLOEXEC */
#endif

/* struct signalfd_siginfo */
struct abi_signalfd_siginfo {
	abi_u32 ssi_signo;
	abi_s32 ssi_errno;
	abi_s32 ssi_code;
	abi_u32 ssi_pid;
	abi_u32 ssi_uid;
	abi_s32 ssi_fd;
	abi_u32 ssi_tid;
	abi_u32 ssi_band;
	abi_u32 ssi_overrun;
	abi_u32 ssi_trapno;
	abi_s32 ssi_status;
	abi_s32 ssi_int;
	abi_u64 ssi_ptr;
	abi_u64 ssi_utime;
	abi_u64 ssi_stime;
	abi_u64 ssi_addr;
	abi_u16 ssi_addr_lsb;
	abi_u16 pad2;
	abi_s32 ssi_syscall;
	abi_u64 ssi_call_addr;
	abi_u32 ssi_arch;
	abi_u8 pad[28];
};
_Static_assert(sizeof(struct abi_signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

#endif
