/*
 * Multiboot 1 and 2 information parsing.  Both formats are reduced to
 * struct boot_info.  The info structures live in low physical memory,
 * reached through the boot page tables' direct map (first 4 GiB).
 * Anything out of range (too many entries, unterminated strings) is
 * clipped with a message rather than trusted.
 */
#include <kern/bootinfo.h>
#include <kern/memlayout.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <kern/errno.h>

struct boot_info boot_info;

struct mb1_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
} __packed;

struct mb1_mod {
	u32 start, end, string, rsvd;
} __packed;

struct mb1_mmap {
	u32 size;
	u64 base, len;
	u32 type;
} __packed;

static void copy_str(char *dst, size_t len, physaddr_t pa)
{
	if (!pa || pa >= 0x100000000ULL) {
		dst[0] = 0;
		return;
	}
	strlcpy(dst, KADDR(pa), len);
}

static void add_mmap(u64 base, u64 len, u32 type)
{
	if (boot_info.nmmap >= BOOT_MAX_MMAP) {
		printk("boot: memory map has more than %d entries; ignoring the rest\n",
		       BOOT_MAX_MMAP);
		return;
	}
	boot_info.mmap[boot_info.nmmap++] = (struct boot_mmap_entry){ base, len, type };
}

static void add_module(u64 start, u64 end, physaddr_t name_pa, const char *name)
{
	struct boot_module *m;

	if (boot_info.nmods >= BOOT_MAX_MODULES || end < start)
		return;
	m = &boot_info.mods[boot_info.nmods++];
	m->start = start;
	m->end = end;
	if (name)
		strlcpy(m->name, name, sizeof(m->name));
	else
		copy_str(m->name, sizeof(m->name), name_pa);
}

static int parse_mb1(const struct mb1_info *mi)
{
	boot_info.loader = 1;
	if (mi->flags & (1 << 2))
		copy_str(boot_info.cmdline, sizeof(boot_info.cmdline), mi->cmdline);
	if (mi->flags & (1 << 3)) {
		const struct mb1_mod *mods = KADDR(mi->mods_addr);

		for (u32 i = 0; i < mi->mods_count && i < BOOT_MAX_MODULES; i++)
			add_module(mods[i].start, mods[i].end, mods[i].string, NULL);
	}
	if (mi->flags & (1 << 6)) {
		uintptr_t p = (uintptr_t)KADDR(mi->mmap_addr);
		uintptr_t end = p + mi->mmap_length;

		while (p + sizeof(struct mb1_mmap) <= end) {
			const struct mb1_mmap *e = (const void *)p;

			add_mmap(e->base, e->len, e->type);
			p += e->size + 4;
		}
	} else if (mi->flags & 1) {
		add_mmap(0, (u64)mi->mem_lower * 1024, 1);
		add_mmap(0x100000, (u64)mi->mem_upper * 1024, 1);
	} else {
		return -EINVAL;
	}
	return 0;
}

static int parse_mb2(const u8 *info)
{
	u32 total = *(const u32 *)info;
	const u8 *p = info + 8, *end = info + total;

	boot_info.loader = 2;
	while (p + 8 <= end) {
		u32 type = ((const u32 *)p)[0], size = ((const u32 *)p)[1];

		if (type == 0 || size < 8)
			break;
		if (type == 1) {
			strlcpy(boot_info.cmdline, (const char *)p + 8, sizeof(boot_info.cmdline));
		} else if (type == 3) {
			const u32 *m = (const u32 *)(p + 8);

			add_module(m[0], m[1], 0, (const char *)(p + 16));
		} else if (type == 6) {
			u32 esize = ((const u32 *)p)[2];

			for (const u8 *e = p + 16; esize && e + esize <= p + size; e += esize)
				add_mmap(*(const u64 *)e, *(const u64 *)(e + 8),
					 *(const u32 *)(e + 16));
		} else if ((type == 14 || type == 15) && !boot_info.acpi_rsdp_pa) {
			boot_info.acpi_rsdp_pa = PADDR(p + 8);
		}
		p += ROUNDUP(size, 8);
	}
	return boot_info.nmmap ? 0 : -EINVAL;
}

int bootinfo_parse(u32 magic, physaddr_t info_pa)
{
	if (info_pa >= 0x100000000ULL)
		return -EINVAL;
	if (magic == MB1_BOOT_MAGIC)
		return parse_mb1(KADDR(info_pa));
	if (magic == MB2_BOOT_MAGIC)
		return parse_mb2(KADDR(info_pa));
	return -EINVAL;
}

/* Find key in the command line; returns a pointer just past the key or NULL. */
static const char *cmdline_find(const char *key)
{
	size_t kl = strlen(key);
	const char *s = boot_info.cmdline;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, key, kl) && (s[kl] == '=' || s[kl] == ' ' || !s[kl]))
			return s + kl;
		while (*s && *s != ' ')
			s++;
	}
	return NULL;
}

bool cmdline_get(const char *key, char *buf, size_t len)
{
	const char *v = cmdline_find(key);
	size_t n = 0;

	if (!v || *v != '=')
		return false;
	v++;
	while (v[n] && v[n] != ' ' && n + 1 < len) {
		buf[n] = v[n];
		n++;
	}
	buf[n] = 0;
	return true;
}

bool cmdline_has(const char *key)
{
	return cmdline_find(key) != NULL;
}
