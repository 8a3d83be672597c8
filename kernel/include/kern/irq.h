/*
 * Device interrupts that a driver owns: vectors allocated at run time
 * (MSI and MSI-X, and PCI INTx lines routed through the IOAPIC), each described by a struct irq_desc that says which
 * CPU it targets, what raises it (chip and hardware id, as Linux prints
 * them) and who handles it, and counts deliveries per CPU for
 * /proc/interrupts.
 *
 * Model: arch/x86/msi.c owns the vector space above the IOAPIC's
 * (IRQ_DYN_FIRST .. IRQ_DYN_LAST) and the MSI message format (address
 * names the target LAPIC, data the vector, edge-triggered, fixed
 * delivery).  A desc is installed once and never removed; a driver that
 * stops using a vector masks it.  The handler is called with interrupts
 * off on the CPU the interrupt arrived at, after the LAPIC EOI.
 *
 * Locking: irq_lock (arch/x86/msi.c) protects the vector bitmap and the
 * desc list; count[cpu] is written only by that CPU's handler path and
 * read without a lock (a snapshot); handler/data are published with
 * WRITE_ONCE before the device can raise the vector.
 */
#ifndef KERN_IRQ_H
#define KERN_IRQ_H

#include <kern/types.h>
#include <kern/percpu.h>

struct slice;

/* A driver's interrupt handler: data as given to irq_desc_set_handler(). */
typedef void (*irq_fn_t)(void *data);

struct irq_desc {
	int vector;			/* CPU vector */
	int cpu;			/* target CPU (logical number) */
	const char *chip;		/* "PCI-MSI", "PCI-MSIX", "IO-APIC" */
	bool level;			/* level-triggered (INTx): EOI after the handler */
	char hwirq[24];			/* "0000:00:05.0" + entry, Linux's hwirq column */
	char name[24];			/* the handler's owner ("edu"); "" before a request */
	irq_fn_t handler;		/* NULL: counted and ignored */
	void *data;
	u64 count[MAX_CPUS];		/* deliveries per CPU (each written by its CPU) */
	struct irq_desc *next;		/* irq_lock */
};

/*
 * Allocate n contiguous vectors (n a power of two, the first aligned to
 * n, as multi-message MSI needs); returns the first, or -ENOSPC.
 */
int irq_vector_alloc(int n);
/* Install d (vector, cpu, chip, hwirq, level set) and route its vector to it: 0 or -EBUSY. */
int irq_desc_install(struct irq_desc *d);
/* Set the handler of an installed desc (name copied, cut to fit). */
void irq_desc_set_handler(struct irq_desc *d, irq_fn_t fn, void *data, const char *name);
/* Deliveries of d summed over CPUs. */
u64 irq_desc_count(const struct irq_desc *d);
/* MSI address/data that deliver vector to cpu (x86: LAPIC physical destination). */
u64 msi_address(int cpu);
u32 msi_data(int vector);
/* /proc/interrupts: a CPU header and one line per installed desc; 0 or -ENOMEM. */
int irq_show(struct slice *s);

#endif
