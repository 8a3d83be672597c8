/*
 * pci_dev.c - the backend over the kernel's #pci device (the default on
 * our target), and the parser of its ctl text (pcictl.h).
 *
 * Model: list ROOT/pci, take every "[DDDD:]B.D.Fraw", read the config
 * bytes it holds (its length, 256 or 4096, is the readable config space)
 * and the matching ctl file's facts: BAR and ROM sizes and kinds, bridge
 * windows, IRQ, driver.  Config bytes are never read through port I/O.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lspci.h"
#include "pcictl.h"

/* Parses "[DDDD:]B.D.F" + suffix; returns 1 and the numbers if it matches. */
static int parse_name(const char *name, const char *suffix, unsigned int *dom,
		      unsigned int *bus, unsigned int *dev, unsigned int *fn)
{
	char tail[16];
	int n = 0;

	*dom = 0;
	if (strchr(name, ':')) {
		if (sscanf(name, "%4x:%u.%u.%u%15s%n", dom, bus, dev, fn, tail, &n) != 5)
			return 0;
	} else if (sscanf(name, "%u.%u.%u%15s%n", bus, dev, fn, tail, &n) != 4) {
		return 0;
	}
	return !strcmp(tail, suffix) && !name[n] && *bus < 256 && *dev < 32 && *fn < 8;
}

/* IORESOURCE-style flags of a KIND word; 0 if unknown. */
static u64 kind_flags(const char *kind)
{
	if (!strcmp(kind, "io"))
		return IORES_IO;
	if (!strcmp(kind, "mem32"))
		return IORES_MEM;
	if (!strcmp(kind, "mem64"))
		return IORES_MEM | IORES_MEM_64;
	if (!strcmp(kind, "mem32pf"))
		return IORES_MEM | IORES_PREFETCH;
	if (!strcmp(kind, "mem64pf"))
		return IORES_MEM | IORES_MEM_64 | IORES_PREFETCH;
	return 0;
}

/* Applies the ctl text to d (unknown or malformed lines are skipped). */
void pcictl_parse(struct pdev *d, const char *text)
{
	const char *line = text;

	while (line && *line) {
		char key[16], kind[16], name[64];
		unsigned long long base, size;
		unsigned int i;
		int irq;

		if (sscanf(line, "%15s", key) == 1) {
			if (!strcmp(key, "irq") && sscanf(line, "irq %d", &irq) == 1) {
				d->irq = irq < 0 ? 0 : irq;
				d->known |= KNOWN_IRQ;
			} else if (!strcmp(key, "bar") &&
				   sscanf(line, "bar %u %15s %llx %llx", &i, kind, &base, &size) == 4 &&
				   i < 6) {
				d->base_addr[i] = base;
				d->size[i] = size;
				d->flags[i] = kind_flags(kind);
				d->known |= KNOWN_SIZES | KNOWN_IO_FLAGS;
			} else if (!strcmp(key, "rom") &&
				   sscanf(line, "rom %llx %llx", &base, &size) == 2) {
				d->rom_base_addr = base;
				d->rom_size = size;
				d->rom_flags = IORES_MEM;
				d->known |= KNOWN_SIZES | KNOWN_IO_FLAGS;
			} else if (!strcmp(key, "window") &&
				   sscanf(line, "window %u %15s %llx %llx", &i, kind, &base, &size) == 4 &&
				   i < 4) {
				d->bridge_base[i] = base;
				d->bridge_size[i] = size;
				d->bridge_flags[i] = kind_flags(kind);
				d->known |= KNOWN_BRIDGE;
			} else if (!strcmp(key, "driver") && sscanf(line, "driver %63s", name) == 1) {
				strcpy(d->driver, name);
				d->known |= KNOWN_DRIVER;
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

/* Reads up to max bytes of a file; returns the count, -1 on error. */
static int read_file(const char *path, void *buf, int max)
{
	int fd = open(path, O_RDONLY), n = 0;

	if (fd < 0)
		return -1;
	while (n < max) {
		int r = read(fd, (char *)buf + n, max - n);

		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	return n;
}

/*
 * Scans ROOT/pci.  Returns the devices (unsorted), or NULL with *err set
 * when the directory cannot be read.
 */
struct pdev *pcidev_scan(const char *root, const char **err)
{
	static char msg[512];
	char path[1024];
	struct pdev *first = NULL;
	struct dirent *e;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s", root, PCICTL_DIR);
	dir = opendir(path);
	if (!dir) {
		snprintf(msg, sizeof(msg), "Cannot open %.400s", path);
		*err = msg;
		return NULL;
	}
	while ((e = readdir(dir))) {
		unsigned int dom, bus, dev, fn;
		char ctl[4096];
		struct pdev *d;
		size_t base;
		int n;

		if (!parse_name(e->d_name, PCICTL_RAW, &dom, &bus, &dev, &fn))
			continue;
		d = pdev_new(dom, bus, dev, fn);
		if (snprintf(path, sizeof(path), "%s/%s/%s", root, PCICTL_DIR, e->d_name) >=
		    (int)sizeof(path) - 8)
			continue;
		n = read_file(path, d->cfg, CFG_SPACE_EXP);
		d->cfg_len = n > 0 ? (unsigned int)n : 0;
		base = strlen(path) - strlen(PCICTL_RAW);
		snprintf(path + base, sizeof(path) - base, "%s", PCICTL_CTL);
		n = read_file(path, ctl, sizeof(ctl) - 1);
		if (n > 0) {
			ctl[n] = 0;
			pcictl_parse(d, ctl);
		}
		d->next = first;
		first = d;
	}
	closedir(dir);
	*err = NULL;
	return first;
}
