/*
 * lspci.h - what the parts of our lspci share.
 *
 * Model: an access layer (access.c) fills a list of struct pdev, one per
 * PCI function, from one backend: the kernel's #pci device (pci_dev.c),
 * a config-space dump as `lspci -x/-xxx/-xxxx` writes it (dump.c, -F), or
 * Linux sysfs (sysfs.c, -A linux-sysfs, host only).  Every backend gives
 * the config bytes it can read (cfg_len of them, 64..4096) and, when it
 * knows them, the facts only a kernel knows (BAR sizes, IRQ, driver):
 * `known` says which, as libpci's PCI_FILL_* bits do.  The display code
 * (lspci.c, caps.c, ecaps.c, vendor.c, tree.c) then prints exactly what
 * pciutils 3.9.0 prints for the same facts.  Names come from libpciids.
 */
#ifndef LSPCI_H
#define LSPCI_H

#include <stdint.h>
#include <stdio.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define FLAG(x, y)	(((x) & (y)) ? '+' : '-')
#define BITS(x, at, width)	(((x) >> (at)) & ((1 << (width)) - 1))

#define CFG_SPACE	256
#define CFG_SPACE_EXP	4096

/* struct pdev.known: facts beyond config space the backend provided */
#define KNOWN_SIZES	0x01	/* size[], rom_size (and base_addr from the kernel) */
#define KNOWN_IRQ	0x02	/* irq from the kernel, not the Interrupt Line byte */
#define KNOWN_IO_FLAGS	0x04	/* flags[] / rom_flags (Linux IORESOURCE_* bits) */
#define KNOWN_BRIDGE	0x08	/* bridge_base[], bridge_size[], bridge_flags[] */
#define KNOWN_DRIVER	0x10	/* driver[] */

/* Linux IORESOURCE_* bits used in flags[] (as in /sys/.../resource) */
#define IORES_IO	0x00000100
#define IORES_MEM	0x00000200
#define IORES_PREFETCH	0x00002000
#define IORES_MEM_64	0x00100000
#define IORES_PCI_EA_BEI 0x00000400	/* never set by our backends */

struct pdev {
	struct pdev *next;		/* sorted list (domain, bus, dev, fn) */
	unsigned int domain;
	u8 bus, dev, func;
	u8 cfg[CFG_SPACE_EXP];		/* config bytes; 0xff past cfg_len */
	u8 present[CFG_SPACE_EXP];	/* bytes lspci has fetched (pciutils' present[]) */
	unsigned int cfg_len;		/* readable bytes (dump: highest byte given + 1) */
	unsigned int cached;		/* lspci's config_cached: 64, or 128 for CardBus */
	unsigned int known;		/* KNOWN_* */
	/* generic fill (from config space) or kernel facts */
	u16 vendor_id, device_id, device_class;
	u8 prog_if, rev_id;
	u16 subsys_vendor_id, subsys_id;
	int irq;
	u64 base_addr[6], size[6], flags[6];
	u64 rom_base_addr, rom_size, rom_flags;
	u64 bridge_base[4], bridge_size[4], bridge_flags[4];
	char driver[64];
	/* tree view */
	struct pdev *bus_next;
	struct tbus *parent_bus;
	struct tbridge *bridge;
};

/* Options and state (lspci.c) */
extern int verbose;
extern int opt_numeric;		/* -n count */
extern int opt_buscentric;
extern struct pdev *first_dev;

/* Config space access; fetch() is 1 when [pos, pos+len) is readable. */
int config_fetch(struct pdev *d, unsigned int pos, unsigned int len);
u8 get_conf_byte(struct pdev *d, unsigned int pos);
u16 get_conf_word(struct pdev *d, unsigned int pos);
u32 get_conf_long(struct pdev *d, unsigned int pos);

/* Names through libpciids with lspci's -n/-nn; returns buf or NULL. */
const char *lookup_name(char *buf, int size, unsigned int flags, ...);

/* Access layer (access.c) */
struct pdev *pdev_new(unsigned int domain, unsigned int bus, unsigned int dev,
		      unsigned int func);
void pdev_fill_generic(struct pdev *d);
/* dump.c: parse a dump file; returns NULL and prints pciutils' message on error. */
struct pdev *dump_read_file(const char *name, const char **err);
struct pdev *dump_parse(const char *text, size_t len, const char **err);
/* pci_dev.c: read the kernel's #pci device under root (default "#pci"). */
struct pdev *pcidev_scan(const char *root, const char **err);
/* Applies a #pci ctl text (pcictl.h) to a device. */
void pcictl_parse(struct pdev *d, const char *text);
/* sysfs.c: read /sys/bus/pci/devices (host comparison). */
struct pdev *sysfs_scan(const char *root, const char **err);
/* Free a device list. */
void pdev_free_list(struct pdev *list);

/* Display parts */
void show_caps(struct pdev *d, int where);
void show_ext_caps(struct pdev *d, int type);
void show_vendor_caps(struct pdev *d, int where, int cap);
void grow_tree(void);
/* The bridge a device sits behind (after grow_tree()), or NULL. */
struct pdev *tree_parent(struct pdev *d);
void show_forest(void);

#ifdef LSPCI_FUZZ
#include <setjmp.h>
extern jmp_buf fuzz_bail;	/* where a fetch bug returns to while fuzzing */
void fuzz_show_all(void);
#endif

#endif /* LSPCI_H */
