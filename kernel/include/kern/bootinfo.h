/*
 * What the boot loader told us, normalised: the RAM map, the boot modules
 * (the initramfs) and the command line.  Filled once by bootinfo_parse()
 * from either a Multiboot 1 or a Multiboot 2 information structure, before
 * any allocator exists, so it uses fixed-size arrays.
 */
#ifndef KERN_BOOTINFO_H
#define KERN_BOOTINFO_H

#include <kern/types.h>

#define BOOT_MAX_MMAP		64
#define BOOT_MAX_MODULES	8
#define BOOT_CMDLINE_MAX	512

#define MB1_BOOT_MAGIC		0x2BADB002
#define MB2_BOOT_MAGIC		0x36d76289

struct boot_mmap_entry {
	u64 base, len;
	u32 type;		/* 1 = usable RAM, 3 = ACPI reclaimable, ... */
};

struct boot_module {
	u64 start, end;		/* physical */
	char name[64];
};

struct boot_info {
	int loader;		/* 1 or 2 */
	struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
	int nmmap;
	struct boot_module mods[BOOT_MAX_MODULES];
	int nmods;
	char cmdline[BOOT_CMDLINE_MAX];
	u64 acpi_rsdp_pa;	/* from the MB2 ACPI tag, 0 if not given */
};

extern struct boot_info boot_info;

/* Parse the loader's info at physical address info_pa; returns 0 or -EINVAL. */
int bootinfo_parse(u32 magic, physaddr_t info_pa);
/* Value of key=value on the kernel command line, copied to buf; false if absent. */
bool cmdline_get(const char *key, char *buf, size_t len);
/* True if the bare word or key= is on the command line. */
bool cmdline_has(const char *key);

#endif
