/*
 * x86 side of driver-owned interrupts (kern/irq.h): the dynamic vector
 * space, the MSI message format and the per-CPU delivery counts shown in
 * /proc/interrupts.
 *
 * Vectors IRQ_DYN_FIRST..IRQ_DYN_LAST (above the IOAPIC's 32..55 and
 * below the LAPIC timer and IPIs at 0xEF..) are handed out in aligned
 * power-of-two blocks from a bitmap; they are never given back, since a
 * registered trap handler cannot be removed.  An MSI message targets one
 * CPU in physical destination mode: address 0xFEE00000 | APIC ID << 12,
 * data = vector (fixed delivery, edge).  Every installed vector enters
 * irq_dispatch(), which counts the delivery on the current CPU and calls
 * the driver's handler, if one is set yet.
 */
#include <kern/irq.h>
#include <kern/slice.h>
#include <kern/spinlock.h>
#include <kern/smp.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <arch/trap.h>
#include <arch/apic.h>

#define IRQ_DYN_FIRST		0x40
#define IRQ_DYN_LAST		0xdf
#define MSI_ADDR_BASE		0xfee00000u
#define MSI_ADDR_DEST_SHIFT	12

static struct spinlock irq_lock = SPINLOCK_INITIALIZER("irq");
static u8 vec_used[256];		/* irq_lock */
static struct irq_desc *irq_descs;	/* irq_lock; in install order */

int irq_vector_alloc(int n)
{
	int found = -ENOSPC;
	u64 flags;

	if (n < 1 || n > 32 || (n & (n - 1)))
		return -EINVAL;
	flags = spin_lock_irqsave(&irq_lock);
	for (int v = IRQ_DYN_FIRST; v + n - 1 <= IRQ_DYN_LAST && found < 0; v += n) {
		int k = 0;

		while (k < n && !vec_used[v + k])
			k++;
		if (k == n) {
			memset(&vec_used[v], 1, (size_t)n);
			found = v;
		}
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return found;
}

/* The trap handler of every installed vector: count, then the driver's handler. */
static void irq_dispatch(struct hw_trapframe *tf, void *data)
{
	struct irq_desc *d = data;
	irq_fn_t fn = READ_ONCE(d->handler);

	(void)tf;
	d->count[core_id()]++;
	if (fn)
		fn(READ_ONCE(d->data));
}

int irq_desc_install(struct irq_desc *d)
{
	struct irq_desc **pp;
	u64 flags;
	int err = register_irq_handler(d->vector, irq_dispatch, d);

	if (err)
		return err;
	if (d->level)
		irq_set_eoi_last(d->vector, true);
	flags = spin_lock_irqsave(&irq_lock);
	for (pp = &irq_descs; *pp; pp = &(*pp)->next)
		;
	d->next = NULL;
	*pp = d;
	spin_unlock_irqrestore(&irq_lock, flags);
	return 0;
}

void irq_desc_set_handler(struct irq_desc *d, irq_fn_t fn, void *data, const char *name)
{
	snprintf(d->name, sizeof(d->name), "%s", name ? name : "");
	WRITE_ONCE(d->data, data);
	WRITE_ONCE(d->handler, fn);
}

u64 irq_desc_count(const struct irq_desc *d)
{
	u64 n = 0;

	for (int c = 0; c < MAX_CPUS; c++)
		n += READ_ONCE(d->count[c]);
	return n;
}

u64 msi_address(int cpu)
{
	return MSI_ADDR_BASE | (u64)cpu_apic_id[cpu] << MSI_ADDR_DEST_SHIFT;
}

u32 msi_data(int vector)
{
	return (u32)vector & 0xff;
}

int irq_show(struct slice *s)
{
	struct irq_desc *list[IRQ_DYN_LAST - IRQ_DYN_FIRST + 1];
	int n = 0, r;
	u64 flags;

	/* Snapshot the list (descs are never freed), then format without the lock. */
	flags = spin_lock_irqsave(&irq_lock);
	for (struct irq_desc *d = irq_descs; d && n < (int)ARRAY_SIZE(list); d = d->next)
		list[n++] = d;
	spin_unlock_irqrestore(&irq_lock, flags);
	r = slice_printf(s, "%11s", "");
	for (int c = 0; c < num_cpus && r >= 0; c++)
		r = slice_printf(s, "CPU%-8d", c);
	if (r >= 0)
		r = slice_printf(s, "\n");
	for (int i = 0; i < n && r >= 0; i++) {
		const struct irq_desc *d = list[i];

		r = slice_printf(s, "%3d: ", d->vector);
		for (int c = 0; c < num_cpus && r >= 0; c++)
			r = slice_printf(s, "%10llu ", READ_ONCE(d->count[c]));
		if (r >= 0)
			r = slice_printf(s, " %8s %-8s-%-8s  %s\n", d->chip, d->hwirq,
					 d->level ? "fasteoi" : "edge", d->name);
	}
	return r < 0 ? r : 0;
}
