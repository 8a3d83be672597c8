/*
 * pciids.h - PCI ID to name lookup over tables generated from pci.ids.
 *
 * Model: pciids-gen compiles a pci.ids file into pciids_data.c (read-only
 * integer tables, no pointers); the library in lib/ searches them and formats names.
 * pciids_format() produces exactly the strings pciutils' pci_lookup_name()
 * produces for the same request and flags, so an lspci clone prints the
 * same text.  Nothing here allocates, uses libc or floating point: the
 * same sources build in the freestanding kernel and in user programs.
 *
 * Building:
 *   kernel: compile every .c in pciids-gen/lib/ and pciids-gen/build/pciids_data.c
 *           with -Ipciids-gen/include (and the kernel's usual flags).
 *   user:   link pciids-gen/build/libpciids.a (lib + data), same -I.
 *
 * Calling, like pci_lookup_name() (IDs are passed as unsigned int):
 *   char buf[128];
 *   pciids_format(buf, sizeof(buf), PCIIDS_LOOKUP_VENDOR |
 *                 PCIIDS_LOOKUP_DEVICE, 0x8086, 0x100e);
 *     -> "Intel Corporation 82540EM Gigabit Ethernet Controller"
 *   request (low 16 bits of flags)      arguments
 *   VENDOR                              vendor
 *   DEVICE                              vendor, device
 *   VENDOR | DEVICE                     vendor, device
 *   SUBSYSTEM | VENDOR                  subvendor
 *   SUBSYSTEM | DEVICE                  vendor, device, subvendor, subdevice
 *   SUBSYSTEM | VENDOR | DEVICE         vendor, device, subvendor, subdevice
 *   CLASS                               class << 8 | subclass
 *   PROGIF                              class << 8 | subclass, prog-if
 * Modifiers: NUMERIC (lspci -n), MIXED (lspci -nn; wins over NUMERIC),
 * NO_NUMBERS (fail instead of printing numbers for unknown IDs).
 * Like libpci, a result longer than size - 1 bytes is cut and ends in "...".
 * IDs above 0xffff (0xff for prog-if) are printed but never found.
 */
#ifndef PCIIDS_H
#define PCIIDS_H

#include <stddef.h>
#include <stdarg.h>

/* Same values as libpci's PCI_LOOKUP_* */
#define PCIIDS_LOOKUP_VENDOR		0x00001
#define PCIIDS_LOOKUP_DEVICE		0x00002
#define PCIIDS_LOOKUP_CLASS		0x00004
#define PCIIDS_LOOKUP_SUBSYSTEM		0x00008
#define PCIIDS_LOOKUP_PROGIF		0x00010
#define PCIIDS_LOOKUP_NUMERIC		0x10000
#define PCIIDS_LOOKUP_NO_NUMBERS	0x20000
#define PCIIDS_LOOKUP_MIXED		0x40000

/* Negative results of pciids_format() */
#define PCIIDS_ENONAME	(-1)	/* NO_NUMBERS given and a name is unknown */
#define PCIIDS_EINVAL	(-2)	/* invalid request bits */
#define PCIIDS_ENOSPC	(-3)	/* did not fit and size < 4 */

/*
 * Format a name into buf (always NUL-terminated when size > 0).
 * Returns the length of the string in buf, or a negative PCIIDS_E* (buf
 * then holds "" if size > 0).
 */
int pciids_format(char *buf, size_t size, unsigned int flags, ...);
/* As pciids_format() with a va_list; same returns. */
int pciids_vformat(char *buf, size_t size, unsigned int flags, va_list ap);

/*
 * Drop-in pci_lookup_name(): returns buf, NULL (NO_NUMBERS and unknown),
 * or a constant "<pci_lookup_name: ...>" message, exactly as libpci does.
 */
const char *pciids_lookup_name(char *buf, size_t size, unsigned int flags,
			       ...);

/*
 * Raw names (no fallbacks, no numbers).  Each copies the name into buf
 * (cut to size - 1 bytes, NUL-terminated if size > 0) and returns its full
 * length; returns -1 if the ID is not in the tables.
 */
int pciids_vendor_name(char *buf, size_t size, unsigned int vendor);
int pciids_device_name(char *buf, size_t size, unsigned int vendor,
		       unsigned int device);
/* Subsystem with libpci's fallbacks: per-device, generic, device itself. */
int pciids_subsystem_name(char *buf, size_t size, unsigned int vendor,
			  unsigned int device, unsigned int subvendor,
			  unsigned int subdevice);
int pciids_class_name(char *buf, size_t size, unsigned int base_class);
int pciids_subclass_name(char *buf, size_t size, unsigned int class16);
int pciids_progif_name(char *buf, size_t size, unsigned int class16,
		       unsigned int progif);

/* Version string of the pci.ids the tables came from ("" if unknown). */
const char *pciids_db_version(void);

#endif /* PCIIDS_H */
