/*
 * #pci: the kernel's PCI functions as files, in two views of one table
 * (the one pci_init() filled at boot; it never changes afterwards).
 *
 *   #pci/pci/B.D.Fraw       config space (Akaros names, B D F decimal;
 *                           "DDDD:B.D.Fraw" when a function is outside
 *                           domain 0).  4096 bytes where ECAM serves the
 *                           function, 256 otherwise; stat says which.
 *   #pci/pci/B.D.Fctl       what only the kernel knows: IRQ, sized BARs,
 *                           ROM, bridge windows (format: lspci/pcictl.h)
 *   #pci/devices/DDDD:BB:DD.F/   the Linux sysfs view, bound at boot on
 *                           /sys/bus/pci/devices (fs/ns_defaults.c):
 *                           config, vendor, device, class, revision,
 *                           subsystem_vendor, subsystem_device, irq,
 *                           resource, with Linux's formats and modes,
 *                           and "driver" (a symlink to ../../drivers/NAME)
 *                           once a driver is bound
 *   #pci/drivers/NAME/      one directory per bound driver, bound on
 *                           /sys/bus/pci/drivers (libpci resolves the
 *                           driver link with realpath())
 *
 * Access rules (both views alike, as Linux's sysfs `config`): reads of any
 * offset and size work and return 0 bytes past the end; a reader that is
 * not root (euid 0) sees only the first 64 bytes (128 for a CardBus
 * bridge) and gets 0 bytes beyond.  Writes need root and fail with
 * -EPERM otherwise, checked at each write (an open descriptor does not
 * carry the right).  Each read or write moves its bytes with the config
 * access width that matches each aligned piece, holding pci_cfg_lock
 * (kern/pci.h) so it never interleaves with BAR sizing or a driver's
 * read-modify-write.  Everything else is text made at open (pci_file.c).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/proc.h>
#include <kern/slice.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include "pci_internal.h"

/* The files of one sysfs function directory, in Linux's listing order. */
static const struct {
	const char *name;
	int kind;
	u32 mode;
} sysfs_attrs[] = {
	{ "class", PCIQ_CLASS, 0444 },
	{ "config", PCIQ_CONFIG, 0644 },
	{ "device", PCIQ_DEVICE, 0444 },
	{ "irq", PCIQ_IRQ, 0444 },
	{ "resource", PCIQ_RESOURCE, 0444 },
	{ "revision", PCIQ_REVISION, 0444 },
	{ "subsystem_device", PCIQ_SUBDEVICE, 0444 },
	{ "subsystem_vendor", PCIQ_SUBVENDOR, 0444 },
	{ "vendor", PCIQ_VENDOR, 0444 },
};

static const struct dev_dirent pci_tab[] = {
	{ .name = "pci", .qid = PCI_QID(PCIQ_PCIDIR, -1), .mode = S_IFDIR | 0555 },
	{ .name = "devices", .qid = PCI_QID(PCIQ_DEVSDIR, -1), .mode = S_IFDIR | 0555 },
	{ .name = "drivers", .qid = PCI_QID(PCIQ_DRVSDIR, -1), .mode = S_IFDIR | 0555 },
};

#define PCI_DRIVER_LINK_FMT	"../../drivers/%s"

/* True if function idx is the first one bound to its driver (it names drivers/NAME). */
static bool first_of_driver(int idx)
{
	const char *name = pci_driver_name(pci_get(idx));

	if (!name)
		return false;
	for (int j = 0; j < idx; j++) {
		const char *other = pci_driver_name(pci_get(j));

		if (other && !strcmp(other, name))
			return false;
	}
	return true;
}

/* Entry i of #pci/drivers: 0 or -ENOENT past the end. */
static int driver_dirent(int i, struct dev_dirent *out)
{
	for (int idx = 0; idx < pci_count(); idx++) {
		if (!first_of_driver(idx) || i-- > 0)
			continue;
		memset(out, 0, sizeof(*out));
		snprintf(out->name, sizeof(out->name), "%s", pci_driver_name(pci_get(idx)));
		out->qid = PCI_QID(PCIQ_DRVDIR, idx);
		out->mode = S_IFDIR | 0555;
		return 0;
	}
	return -ENOENT;
}

/* True if some function is outside domain 0 (names then carry the domain). */
static bool multi_domain(void)
{
	for (int i = 0; i < pci_count(); i++)
		if (pci_get(i)->seg)
			return true;
	return false;
}

/* Fill *out for file kind of function idx: 0, or -ENOENT if there is none. */
static int func_dirent(int idx, int kind, struct dev_dirent *out)
{
	const struct pci_func *f = pci_get(idx);
	char bdf[24];

	if (!f)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->qid = PCI_QID(kind, idx);
	out->mode = S_IFREG | 0444;
	if (kind == PCIQ_RAW || kind == PCIQ_CTL) {
		if (multi_domain())
			snprintf(bdf, sizeof(bdf), "%04x:%u.%u.%u", f->seg, f->bus, f->dev, f->fn);
		else
			snprintf(bdf, sizeof(bdf), "%u.%u.%u", f->bus, f->dev, f->fn);
		snprintf(out->name, sizeof(out->name), "%s%s", bdf,
			 kind == PCIQ_RAW ? "raw" : "ctl");
		if (kind == PCIQ_RAW) {
			out->mode = S_IFREG | 0644;
			out->length = pci_func_cfg_size(f);
		}
		return 0;
	}
	if (kind == PCIQ_DRVDIR) {
		if (!first_of_driver(idx))
			return -ENOENT;
		snprintf(out->name, sizeof(out->name), "%s", pci_driver_name(f));
		out->mode = S_IFDIR | 0555;
		return 0;
	}
	if (kind == PCIQ_DRIVER) {
		if (!pci_driver_name(f))
			return -ENOENT;
		snprintf(out->name, sizeof(out->name), "driver");
		out->mode = S_IFLNK | 0777;
		out->length = strlen(pci_driver_name(f)) + strlen(PCI_DRIVER_LINK_FMT) - 2;
		return 0;
	}
	if (kind == PCIQ_SYSDIR) {
		snprintf(out->name, sizeof(out->name), "%04x:%02x:%02x.%u", f->seg, f->bus, f->dev,
			 f->fn);
		out->mode = S_IFDIR | 0555;
		return 0;
	}
	for (size_t k = 0; k < ARRAY_SIZE(sysfs_attrs); k++) {
		if (sysfs_attrs[k].kind != kind)
			continue;
		snprintf(out->name, sizeof(out->name), "%s", sysfs_attrs[k].name);
		out->mode = S_IFREG | sysfs_attrs[k].mode;
		out->length = kind == PCIQ_CONFIG ? pci_func_cfg_size(f) : 4096;
		return 0;
	}
	return -ENOENT;
}

/* The generator (kern/dev.h): root from pci_tab, the rest from the PCI table. */
static int pci_gen(const struct dev_instance *di, u64 dir, const char *name, int i,
		   struct dev_dirent *out)
{
	int kind = PCI_QID_KIND(dir), idx = PCI_QID_IDX(dir);

	(void)name;
	if (dir == 0 || kind == PCIQ_PCIDIR || kind == PCIQ_DEVSDIR || kind == PCIQ_DRVSDIR) {
		if (i == DEV_GEN_SELF || dir == 0)
			return dev_gen_tab(di, dir, name, i, out);
		if (kind == PCIQ_PCIDIR)
			return func_dirent(i / 2, i % 2 ? PCIQ_CTL : PCIQ_RAW, out);
		if (kind == PCIQ_DRVSDIR)
			return driver_dirent(i, out);
		return func_dirent(i, PCIQ_SYSDIR, out);
	}
	if (i == DEV_GEN_SELF)
		return func_dirent(idx, kind, out);
	if (kind != PCIQ_SYSDIR || i < 0)
		return -ENOENT;
	if ((size_t)i == ARRAY_SIZE(sysfs_attrs))
		return func_dirent(idx, PCIQ_DRIVER, out);
	if ((size_t)i > ARRAY_SIZE(sysfs_attrs))
		return -ENOENT;
	return func_dirent(idx, sysfs_attrs[i].kind, out);
}

/* The driver link's target ("../../drivers/NAME") into buf: its length, or -EINVAL. */
static ssize_t pci_readlink(const struct dev_instance *di, u64 qid, char *buf, size_t len)
{
	const struct pci_func *f = pci_get(PCI_QID_IDX(qid));
	const char *name = f ? pci_driver_name(f) : NULL;
	char target[DEV_NAMELEN + 16];
	int n;

	(void)di;
	if (PCI_QID_KIND(qid) != PCIQ_DRIVER || !name)
		return -EINVAL;
	n = snprintf(target, sizeof(target), PCI_DRIVER_LINK_FMT, name);
	n = MIN(n, (int)len);
	memcpy(buf, target, (size_t)n);
	return n;
}

/* True if the calling process may read all of config space and write it (root). */
static bool pci_privileged(void)
{
	struct proc *p = current_proc();

	return !p || p->euid == 0;
}

/* The function an open file names (never NULL for a file of a function). */
static const struct pci_func *file_func(const struct file *f)
{
	return pci_get(PCI_QID_IDX(dev_file_qid(f)));
}

/* True if the open file is config space (raw or sysfs config). */
static bool is_config(const struct file *f)
{
	int kind = PCI_QID_KIND(dev_file_qid(f));

	return kind == PCIQ_RAW || kind == PCIQ_CONFIG;
}

/* Text files made at open: 0, DEV_NOT_TEXT for config space, or -ENOMEM. */
static int pci_text(struct file *f, struct slice *s)
{
	if (is_config(f) || !file_func(f))
		return DEV_NOT_TEXT;
	return pci_file_text(file_func(f), PCI_QID_KIND(dev_file_qid(f)), s);
}

/* Config bytes at off (the unprivileged limit applied): bytes, 0 past the end, -EINVAL. */
static ssize_t pci_read(struct file *f, void *buf, size_t n, u64 off)
{
	const struct pci_func *pf = file_func(f);
	unsigned int size;

	if (!is_config(f) || !pf)
		return -EINVAL;
	size = pci_func_cfg_size(pf);
	if (!pci_privileged())
		size = MIN(size, pci_unpriv_cfg_size(pf));
	return (ssize_t)pci_cfg_copy_out(pf, buf, n, off, size);
}

/* Config bytes written at off by root: bytes, 0 past the end, -EPERM, -EINVAL. */
static ssize_t pci_write(struct file *f, const void *buf, size_t n, u64 off)
{
	const struct pci_func *pf = file_func(f);

	if (!is_config(f) || !pf)
		return -EINVAL;
	if (!pci_privileged())
		return -EPERM;
	return (ssize_t)pci_cfg_copy_in(pf, buf, n, off, pci_func_cfg_size(pf));
}

static const struct dev pci_dev = {
	.name = "pci",
	.gen = pci_gen,
	.readlink = pci_readlink,
	.text = pci_text,
	.read = pci_read,
	.write = pci_write,
	.tab = pci_tab,
	.ntab = ARRAY_SIZE(pci_tab),
};
DEV_REGISTER(pci_dev);
