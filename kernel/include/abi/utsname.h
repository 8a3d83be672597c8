/*
 * struct new_utsname of uname(2): six NUL-terminated 65-byte fields.
 * Mirrors Linux's uapi/linux/utsname.h (__NEW_UTS_LEN + 1; glibc's
 * _UTSNAME_LENGTH is the same 65).
 */
#ifndef ABI_UTSNAME_H
#define ABI_UTSNAME_H

#define ABI_UTS_LEN	65

struct abi_utsname {
	char sysname[ABI_UTS_LEN], nodename[ABI_UTS_LEN], release[ABI_UTS_LEN];
	char version[ABI_UTS_LEN], machine[ABI_UTS_LEN], domainname[ABI_UTS_LEN];
};

#endif
