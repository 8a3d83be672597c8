/*
 * sysfs.c - the Linux sysfs backend (-A linux-sysfs, or the default on a
 * Linux host without #pci), for comparing the kernel-knowledge lines with
 * Debian's lspci on the same machine.
 *
 * Model: as libpci's linux-sysfs method: DEV/config gives the config bytes
 * (64 of them for an unprivileged reader), DEV/resource the BARs (start |
 * low flag bits, size, IORESOURCE flags), ROM (line 6) and bridge windows
 * (lines 7-10), DEV/irq the IRQ and the DEV/driver link the driver.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lspci.h"

/* Reads a small text file into buf; returns 0 or -1. */
static int read_text(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* path = dir/name (cut if too long). */
static void join(char *path, size_t size, const char *dir, const char *name)
{
	if (snprintf(path, size, "%s/%s", dir, name) >= (int)size)
		path[size - 1] = 0;
}

/* Fills one device from its sysfs directory. */
static void sysfs_fill(struct pdev *d, const char *dir)
{
	char path[PATH_MAX], buf[4096], link[PATH_MAX];
	int fd, n = 0, i = 0;
	char *line;

	join(path, sizeof(path), dir, "config");
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		int r;

		while (n < CFG_SPACE_EXP && (r = read(fd, d->cfg + n, CFG_SPACE_EXP - n)) > 0)
			n += r;
		close(fd);
	}
	d->cfg_len = n;
	join(path, sizeof(path), dir, "irq");
	if (!read_text(path, buf, sizeof(buf))) {
		d->irq = atoi(buf);
		d->known |= KNOWN_IRQ;
	}
	join(path, sizeof(path), dir, "resource");
	if (!read_text(path, buf, sizeof(buf))) {
		for (line = buf; line && *line && i < 11; i++) {
			unsigned long long start, end, flags, size;

			if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3)
				break;
			size = start || end ? end - start + 1 : 0;
			if (i < 6) {
				d->flags[i] = flags;
				d->base_addr[i] = start | (flags & 0xf);
				d->size[i] = size;
			} else if (i == 6) {
				d->rom_flags = flags;
				d->rom_base_addr = start;
				d->rom_size = size;
			} else {
				d->bridge_flags[i - 7] = flags;
				d->bridge_base[i - 7] = start;
				d->bridge_size[i - 7] = size;
			}
			line = strchr(line, '\n');
			if (line)
				line++;
		}
		d->known |= KNOWN_SIZES | KNOWN_IO_FLAGS | (i > 7 ? KNOWN_BRIDGE : 0);
	}
	join(path, sizeof(path), dir, "driver");
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		char *base;

		link[n] = 0;
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
		n = strlen(base);
		if (n > (int)sizeof(d->driver) - 1)
			n = sizeof(d->driver) - 1;
		memcpy(d->driver, base, n);
		d->driver[n] = 0;
		d->known |= KNOWN_DRIVER;
	}
}

/* Scans a sysfs devices directory; NULL with *err set if unreadable. */
struct pdev *sysfs_scan(const char *root, const char **err)
{
	static char msg[512];
	struct pdev *first = NULL;
	struct dirent *e;
	DIR *dir = opendir(root);

	if (!dir) {
		snprintf(msg, sizeof(msg), "Cannot open %s", root);
		*err = msg;
		return NULL;
	}
	while ((e = readdir(dir))) {
		unsigned int dom, bus, dev, fn;
		char path[PATH_MAX];
		struct pdev *d;

		if (sscanf(e->d_name, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
			continue;
		d = pdev_new(dom, bus, dev, fn);
		join(path, sizeof(path), root, e->d_name);
		sysfs_fill(d, path);
		d->next = first;
		first = d;
	}
	closedir(dir);
	*err = NULL;
	return first;
}
