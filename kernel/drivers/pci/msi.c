/*
 * MSI and MSI-X chosen by the driver (API in kern/pci.h).  A driver asks
 * for one mode and a number of vectors, learns what it got, installs a
 * handler per vector, and may mask, unmask and move each vector; nothing
 * here falls back from one mode to another behind its back.
 *
 * MSI: the capability's message address/data registers get one address
 * (the target CPU's LAPIC) and the first vector of an aligned block of
 * 2^k vectors; the function adds its vector number to the data's low
 * bits.  Per-vector masking exists only when the capability says so
 * (QEMU's edu has none).  MSI-X: the table (in the BAR the capability
 * names) is mapped, every entry masked, the granted entries programmed
 * and unmasked, with the function mask held meanwhile; a masked entry's
 * interrupt stays pending in the device and is delivered on unmask.
 * Both turn INTx off in the command register and bus mastering on.
 * INTx (the driver's third choice, pci_intx_enable): the pin's GSI comes
 * from intx.c; one vector is routed to it level-triggered and stays
 * masked in the IOAPIC until the driver installs its handler (an
 * unhandled level interrupt would fire forever); its EOI follows the
 * handler (kern/irq.h), and masking it sets the command register's
 * Interrupt Disable bit, so the device holds the interrupt until unmasked.
 * A GSI serves one function here: a second one asking gets -EBUSY.
 *
 * State: one struct msi_state per function, made at enable and kept (a
 * vector is never given back: kern/irq.h).  Config read-modify-writes
 * hold pci_cfg_lock; table writes hold it too, so mask/unmask/affinity of
 * one function never interleave.
 */
#include <kern/pci.h>
#include <kern/irq.h>
#include <kern/kmalloc.h>
#include <kern/spinlock.h>
#include <kern/smp.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <arch/apic.h>

#define PCI_MSI_FLAGS		2	/* offsets in the MSI capability */
#define PCI_MSI_FLAGS_ENABLE	0x0001
#define PCI_MSI_FLAGS_QMASK	0x000e
#define PCI_MSI_FLAGS_QSIZE	0x0070
#define PCI_MSI_FLAGS_64BIT	0x0080
#define PCI_MSI_FLAGS_MASKBIT	0x0100
#define PCI_MSI_ADDRESS_LO	4
#define PCI_MSI_ADDRESS_HI	8
#define PCI_MSI_DATA_32		8
#define PCI_MSI_DATA_64		12
#define PCI_MSI_MASK_32		12
#define PCI_MSI_MASK_64		16
#define PCI_MSIX_FLAGS		2	/* offsets in the MSI-X capability */
#define PCI_MSIX_FLAGS_QSIZE	0x07ff
#define PCI_MSIX_FLAGS_MASKALL	0x4000
#define PCI_MSIX_FLAGS_ENABLE	0x8000
#define PCI_MSIX_TABLE		4
#define PCI_MSIX_TABLE_BIR	0x7
#define PCI_MSIX_ENTRY_SIZE	16	/* addr lo, addr hi, data, vector control */
#define PCI_MSIX_ENTRY_CTRL_MASKBIT 0x1

struct msi_state {
	int mode;			/* PCI_IRQ_*; set once */
	int nvec;
	int cap;			/* offset of the MSI or MSI-X capability */
	u16 flags;			/* the capability's flags at enable */
	volatile u32 *table;		/* MSI-X table (mapped) */
	u32 gsi;			/* INTx: the IOAPIC input */
	struct irq_desc desc[PCI_MSI_MAX_VECS];
};

static struct msi_state *msi_states[PCI_MAX_FUNCS];	/* pci_cfg_lock; set once */
#define INTX_MAX_GSI	256
static u8 intx_gsi_used[INTX_MAX_GSI];		/* pci_cfg_lock: GSI given to a function */

/* The state of f with mode on, or NULL. */
static struct msi_state *state_of(const struct pci_func *f)
{
	int i = pci_func_index(f);

	return i < 0 ? NULL : READ_ONCE(msi_states[i]);
}

/* Write a config register of f. */
static void cfg_write(const struct pci_func *f, unsigned int off, int width, u32 v)
{
	pci_cfg_write(f->seg, f->bus, f->dev, f->fn, off, width, v);
}

/* INTx off, bus master on (pci_cfg_lock held). */
static void __msi_command(const struct pci_func *f)
{
	u16 cmd = pci_read16(f, PCI_COMMAND);

	cfg_write(f, PCI_COMMAND, 2, cmd | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
}

/* Install n descs of st from vector first; 0 or the first error. */
static int install_descs(const struct pci_func *f, struct msi_state *st, int first, int n,
			 const char *chip)
{
	for (int i = 0; i < n; i++) {
		struct irq_desc *d = &st->desc[i];
		int err;

		d->vector = first + i;
		d->cpu = 0;
		d->chip = chip;
		snprintf(d->hwirq, sizeof(d->hwirq), "%04x:%02x:%02x.%u/%d", f->seg, f->bus,
			 f->dev, f->fn, i);
		err = irq_desc_install(d);
		if (err)
			return err;
	}
	return 0;
}

/* Publish st for f unless it has a mode already: 0 or -EBUSY (pci_cfg_lock held). */
static int __publish(const struct pci_func *f, struct msi_state *st)
{
	int i = pci_func_index(f);

	if (msi_states[i])
		return -EBUSY;
	WRITE_ONCE(msi_states[i], st);
	return 0;
}

int pci_msi_enable(const struct pci_func *f, int nvec)
{
	int cap = pci_find_capability(f, PCI_CAP_ID_MSI), n = 1, first, err, log2n = 0;
	struct msi_state *st;
	u16 flags;
	u64 irq, addr;

	if (pci_func_index(f) < 0 || nvec < 1)
		return -EINVAL;
	if (!cap)
		return -EOPNOTSUPP;
	if (state_of(f))
		return -EBUSY;
	flags = pci_read16(f, cap + PCI_MSI_FLAGS);
	while (n * 2 <= nvec && n * 2 <= PCI_MSI_MAX_VECS &&
	       n * 2 <= 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1)) {
		n *= 2;
		log2n++;
	}
	st = kzmalloc(sizeof(*st), MEM_WAIT);
	if (!st)
		return -ENOMEM;
	first = irq_vector_alloc(n);
	if (first < 0) {
		kfree(st);
		return first;
	}
	st->mode = PCI_IRQ_MSI;
	st->nvec = n;
	st->cap = cap;
	st->flags = flags;
	err = install_descs(f, st, first, n, "PCI-MSI");
	if (err)
		return err;	/* st stays referenced by installed descs */
	addr = msi_address(0);
	irq = spin_lock_irqsave(&pci_cfg_lock);
	err = __publish(f, st);
	if (!err) {
		cfg_write(f, cap + PCI_MSI_ADDRESS_LO, 4, (u32)addr);
		if (flags & PCI_MSI_FLAGS_64BIT) {
			cfg_write(f, cap + PCI_MSI_ADDRESS_HI, 4, (u32)(addr >> 32));
			cfg_write(f, cap + PCI_MSI_DATA_64, 2, msi_data(first));
		} else {
			cfg_write(f, cap + PCI_MSI_DATA_32, 2, msi_data(first));
		}
		if (flags & PCI_MSI_FLAGS_MASKBIT)
			cfg_write(f, cap + ((flags & PCI_MSI_FLAGS_64BIT) ? PCI_MSI_MASK_64 :
					    PCI_MSI_MASK_32), 4, 0);
		__msi_command(f);
		flags = (flags & ~PCI_MSI_FLAGS_QSIZE) | (u16)(log2n << 4) | PCI_MSI_FLAGS_ENABLE;
		cfg_write(f, cap + PCI_MSI_FLAGS, 2, flags);
	}
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return err ? err : n;
}

/* Program MSI-X entry i of st for its desc (entry left masked or not per masked). */
static void __msix_entry(struct msi_state *st, int i, bool masked)
{
	volatile u32 *e = st->table + i * (PCI_MSIX_ENTRY_SIZE / 4);
	u64 addr = msi_address(st->desc[i].cpu);

	e[3] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
	e[0] = (u32)addr;
	e[1] = (u32)(addr >> 32);
	e[2] = msi_data(st->desc[i].vector);
	if (!masked)
		e[3] = 0;
	(void)e[3];	/* flush the posted writes */
}

int pci_msix_enable(const struct pci_func *f, int nvec)
{
	int cap = pci_find_capability(f, PCI_CAP_ID_MSIX), n = 1, first, err, tsize, bir;
	struct msi_state *st;
	u32 table;
	u8 *bar;
	u64 irq;

	if (pci_func_index(f) < 0 || nvec < 1)
		return -EINVAL;
	if (!cap)
		return -EOPNOTSUPP;
	if (state_of(f))
		return -EBUSY;
	tsize = (pci_read16(f, cap + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_QSIZE) + 1;
	while (n * 2 <= nvec && n * 2 <= tsize && n * 2 <= PCI_MSI_MAX_VECS)
		n *= 2;
	table = pci_read32(f, cap + PCI_MSIX_TABLE);
	bir = table & PCI_MSIX_TABLE_BIR;
	bar = bir < 6 ? pci_iomap(f, bir) : NULL;
	if (!bar)
		return -ENODEV;
	st = kzmalloc(sizeof(*st), MEM_WAIT);
	if (!st)
		return -ENOMEM;
	first = irq_vector_alloc(n);
	if (first < 0) {
		kfree(st);
		return first;
	}
	st->mode = PCI_IRQ_MSIX;
	st->nvec = n;
	st->cap = cap;
	st->table = (volatile u32 *)(bar + (table & ~(u32)PCI_MSIX_TABLE_BIR));
	err = install_descs(f, st, first, n, "PCI-MSIX");
	if (err)
		return err;
	irq = spin_lock_irqsave(&pci_cfg_lock);
	err = __publish(f, st);
	if (!err) {
		u16 flags = pci_read16(f, cap + PCI_MSIX_FLAGS);

		__msi_command(f);
		cfg_write(f, PCI_COMMAND, 2, pci_read16(f, PCI_COMMAND) | PCI_COMMAND_MEMORY);
		cfg_write(f, cap + PCI_MSIX_FLAGS, 2,
			  flags | PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
		for (int i = 0; i < tsize; i++)
			st->table[i * 4 + 3] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
		for (int i = 0; i < n; i++)
			__msix_entry(st, i, false);
		cfg_write(f, cap + PCI_MSIX_FLAGS, 2,
			  (flags | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
	}
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return err ? err : n;
}

int pci_intx_enable(const struct pci_func *f)
{
	struct pci_intx_route r;
	struct msi_state *st;
	struct irq_desc *d;
	int vec, err;
	u64 irq;

	if (pci_func_index(f) < 0)
		return -EINVAL;
	if (state_of(f))
		return -EBUSY;
	err = pci_intx_route(f, &r);
	if (err)
		return err;
	if (r.gsi >= INTX_MAX_GSI)
		return -ENODEV;
	st = kzmalloc(sizeof(*st), MEM_WAIT);
	if (!st)
		return -ENOMEM;
	vec = irq_vector_alloc(1);
	if (vec < 0) {
		kfree(st);
		return vec;
	}
	st->mode = PCI_IRQ_INTX;
	st->nvec = 1;
	st->gsi = r.gsi;
	d = &st->desc[0];
	d->vector = vec;
	d->cpu = 0;
	d->chip = "IO-APIC";
	d->level = r.level;
	snprintf(d->hwirq, sizeof(d->hwirq), "%u", r.gsi);
	irq = spin_lock_irqsave(&pci_cfg_lock);
	err = intx_gsi_used[r.gsi] ? -EBUSY : __publish(f, st);
	if (!err)
		intx_gsi_used[r.gsi] = 1;
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	if (err) {
		kfree(st);	/* the vector stays allocated: never given back */
		return err;
	}
	err = irq_desc_install(d);
	if (!err)
		err = ioapic_route_gsi(r.gsi, vec, 0, r.level, r.active_low, true);
	if (err)
		return err;	/* st stays published: the mode is taken */
	irq = spin_lock_irqsave(&pci_cfg_lock);
	cfg_write(f, PCI_COMMAND, 2, pci_read16(f, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return 1;
}

int pci_irq_gsi(const struct pci_func *f)
{
	const struct msi_state *st = state_of(f);

	return st && st->mode == PCI_IRQ_INTX ? (int)st->gsi : -EINVAL;
}

int pci_irq_mode(const struct pci_func *f)
{
	const struct msi_state *st = state_of(f);

	return st ? st->mode : PCI_IRQ_NONE;
}

int pci_irq_vector(const struct pci_func *f, int i)
{
	const struct msi_state *st = state_of(f);

	return st && i >= 0 && i < st->nvec ? st->desc[i].vector : -EINVAL;
}

int pci_request_irq(const struct pci_func *f, int i, void (*fn)(void *data), void *data,
		    const char *name)
{
	struct msi_state *st = state_of(f);

	if (!st || i < 0 || i >= st->nvec)
		return -EINVAL;
	irq_desc_set_handler(&st->desc[i], fn, data, name);
	if (st->mode == PCI_IRQ_INTX && fn)
		return ioapic_mask_gsi(st->gsi, false);
	return 0;
}

/* Set or clear the mask of interrupt i: 0, -EINVAL or -EOPNOTSUPP. */
static int set_mask(const struct pci_func *f, int i, bool mask)
{
	struct msi_state *st = state_of(f);
	int err = 0;
	u64 irq;

	if (!st || i < 0 || i >= st->nvec)
		return -EINVAL;
	if (st->mode == PCI_IRQ_MSI && !(st->flags & PCI_MSI_FLAGS_MASKBIT))
		return -EOPNOTSUPP;
	irq = spin_lock_irqsave(&pci_cfg_lock);
	if (st->mode == PCI_IRQ_INTX) {
		u16 cmd = pci_read16(f, PCI_COMMAND);

		cfg_write(f, PCI_COMMAND, 2, mask ? cmd | PCI_COMMAND_INTX_DISABLE :
			  cmd & ~PCI_COMMAND_INTX_DISABLE);
	} else if (st->mode == PCI_IRQ_MSIX) {
		volatile u32 *ctrl = st->table + i * 4 + 3;

		*ctrl = mask ? (*ctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT) :
			(*ctrl & ~(u32)PCI_MSIX_ENTRY_CTRL_MASKBIT);
		(void)*ctrl;
	} else {
		unsigned int off = st->cap + ((st->flags & PCI_MSI_FLAGS_64BIT) ? PCI_MSI_MASK_64 :
					      PCI_MSI_MASK_32);
		u32 bits = pci_read32(f, off);

		cfg_write(f, off, 4, mask ? bits | 1u << i : bits & ~(1u << i));
	}
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return err;
}

int pci_irq_mask(const struct pci_func *f, int i)
{
	return set_mask(f, i, true);
}

int pci_irq_unmask(const struct pci_func *f, int i)
{
	return set_mask(f, i, false);
}

int pci_irq_set_affinity(const struct pci_func *f, int i, int cpu)
{
	struct msi_state *st = state_of(f);
	u64 irq, addr;

	if (!st || i < 0 || i >= st->nvec || cpu < 0 || cpu >= MAX_CPUS || !cpu_online[cpu])
		return -EINVAL;
	if (st->mode == PCI_IRQ_INTX) {
		st->desc[0].cpu = cpu;
		return ioapic_set_gsi_cpu(st->gsi, cpu);
	}
	addr = msi_address(cpu);
	irq = spin_lock_irqsave(&pci_cfg_lock);
	if (st->mode == PCI_IRQ_MSIX) {
		bool masked = st->table[i * 4 + 3] & PCI_MSIX_ENTRY_CTRL_MASKBIT;

		st->desc[i].cpu = cpu;
		__msix_entry(st, i, masked);
	} else {
		for (int k = 0; k < st->nvec; k++)
			st->desc[k].cpu = cpu;
		cfg_write(f, st->cap + PCI_MSI_ADDRESS_LO, 4, (u32)addr);
		if (st->flags & PCI_MSI_FLAGS_64BIT)
			cfg_write(f, st->cap + PCI_MSI_ADDRESS_HI, 4, (u32)(addr >> 32));
	}
	spin_unlock_irqrestore(&pci_cfg_lock, irq);
	return 0;
}

u64 pci_irq_count(const struct pci_func *f, int i)
{
	const struct msi_state *st = state_of(f);

	return st && i >= 0 && i < st->nvec ? irq_desc_count(&st->desc[i]) : 0;
}
