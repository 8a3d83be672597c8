/*
 * struct sysinfo of sysinfo(2) on x86-64 (112 bytes).  Mirrors Linux's
 * uapi/linux/sysinfo.h; loads are fixed point with 16 fraction bits.
 */
#ifndef ABI_SYSINFO_H
#define ABI_SYSINFO_H

#include <abi/types.h>

struct abi_sysinfo {
	abi_s64 uptime;			/* seconds since boot */
	abi_u64 loads[3];		/* 1, 5 and 15 minute load averages */
	abi_u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	abi_u16 procs, pad;
	abi_u32 pad2;
	abi_u64 totalhigh, freehigh;
	abi_u32 mem_unit;		/* the sizes above are in these units (bytes) */
	char pad3[4];
};
_Static_assert(sizeof(struct abi_sysinfo) == 112, "struct sysinfo is 112 bytes on x86-64");

#endif
