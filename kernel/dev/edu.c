/*
 * #edu: a driver for QEMU's "edu" teaching device (1234:11e8), the proof
 * that a driver chooses how it is interrupted (kern/pci.h): MSI, or with
 * `edu.irq=intx` on the command line its legacy INTx pin through the
 * IOAPIC (the device raises INTx whenever MSI is off).
 *
 * The device: BAR 0 holds 32-bit registers; writing V to EDU_IRQ_RAISE
 * ORs V into EDU_IRQ_STATUS and sends the MSI; writing to EDU_IRQ_ACK
 * clears those bits.  Writing N to EDU_FACT starts N! and, with
 * EDU_STATUS_IRQ_FACT set in EDU_STATUS, raises interrupt bit 0x1 when
 * the result is ready.  The driver asks for one MSI vector (or INTx) at
 * boot (a late initcall; no edu, no #edu) and its handler acknowledges
 * the status, remembers it and wakes the waiters.
 *
 *   #edu/ctl   read: "mode msi" (or "mode intx" and "gsi G"), "vector V",
 *              "cpu C", "irqs N" (handled interrupts), "fact N RESULT"
 *              (the last factorial).
 *              write: "raise N" raises N interrupts one by one, waiting
 *              for each (1 s, else -ETIMEDOUT); "fact N" computes N! by
 *              interrupt; "cpu C" sends the vector to CPU C; "post 1"
 *              raises one interrupt without waiting; "mask 0" / "unmask 0"
 *              mask and unmask it (INTx: held by the device meanwhile).
 *
 * Locking: edu.lock (irqsave: the handler takes it) protects the
 * counters; ctl writes are serialised by edu.busy (one command at a time,
 * -EBUSY otherwise).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/pci.h>
#include <kern/slice.h>
#include <kern/spinlock.h>
#include <kern/wait.h>
#include <kern/time.h>
#include <kern/init.h>
#include <kern/percpu.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/bootinfo.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_ID			0x00
#define EDU_FACT		0x08
#define EDU_STATUS		0x20
#define EDU_STATUS_IRQ_FACT	0x80
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define EDU_IRQ_FACT		0x1	/* status bit the factorial raises */
#define EDU_IRQ_TEST		0x100	/* bit our "raise" uses */
#define EDU_WAIT_NS		1000000000ULL
#define EDU_MAX_RAISE		100000

enum { Qroot, Qctl };

static const struct dev_dirent edu_tab[] = {
	{ .name = "ctl", .qid = Qctl, .mode = S_IFREG | 0644 },
};

enum { CMD_RAISE, CMD_FACT, CMD_CPU, CMD_POST, CMD_MASK, CMD_UNMASK };

static const struct dev_cmdtab edu_cmds[] = {
	{ CMD_RAISE, "raise", 2 },
	{ CMD_FACT, "fact", 2 },
	{ CMD_CPU, "cpu", 2 },
	{ CMD_POST, "post", 2 },
	{ CMD_MASK, "mask", 2 },
	{ CMD_UNMASK, "unmask", 2 },
};

/* Largest argument of each command (indexed by id). */
static const unsigned long edu_cmd_max[] = {
	[CMD_RAISE] = EDU_MAX_RAISE, [CMD_FACT] = 12, [CMD_CPU] = MAX_CPUS - 1,
	[CMD_POST] = 1, [CMD_MASK] = 0, [CMD_UNMASK] = 0,
};

static struct {
	const struct pci_func *f;	/* set once by edu_probe */
	volatile u32 *regs;		/* BAR 0; set once */
	struct spinlock lock;
	struct wait_queue wq;
	u64 irqs;			/* lock: interrupts handled */
	u32 seen;			/* lock: status bits acknowledged since the last wait */
	u32 fact_n, fact_result;	/* lock */
	int cpu;			/* lock */
	bool busy;			/* lock: a ctl command runs */
} edu = { .lock = SPINLOCK_INITIALIZER("edu") };

/* The MSI handler: acknowledge what the device raised, count, wake waiters. */
static void edu_irq(void *data)
{
	u32 st = edu.regs[EDU_IRQ_STATUS / 4];

	(void)data;
	edu.regs[EDU_IRQ_ACK / 4] = st;
	spin_lock(&edu.lock);
	edu.irqs++;
	edu.seen |= st;
	spin_unlock(&edu.lock);
	wake_up(&edu.wq);
}

/* wait_event condition: the status bits in *arg were acknowledged (wq lock held). */
static bool edu_seen(void *arg)
{
	u32 bits = *(u32 *)arg;
	bool seen;
	u64 irq = spin_lock_irqsave(&edu.lock);

	seen = (edu.seen & bits) == bits;
	spin_unlock_irqrestore(&edu.lock, irq);
	return seen;
}

/* Clear the acknowledged bits before a new request. */
static void edu_forget(u32 bits)
{
	u64 irq = spin_lock_irqsave(&edu.lock);

	edu.seen &= ~bits;
	spin_unlock_irqrestore(&edu.lock, irq);
}

/* Raise n interrupts one at a time: 0, -ETIMEDOUT or -EINTR. */
static int edu_raise(unsigned long n)
{
	u32 bits = EDU_IRQ_TEST;

	for (unsigned long i = 0; i < n; i++) {
		int err;

		edu_forget(bits);
		edu.regs[EDU_IRQ_RAISE / 4] = bits;
		err = wait_event(&edu.wq, edu_seen, &bits, nsec_since_boot() + EDU_WAIT_NS);
		if (err)
			return err;
	}
	return 0;
}

/* n! by the device, signalled by interrupt: 0, -ETIMEDOUT or -EINTR. */
static int edu_fact(u32 n)
{
	u32 bits = EDU_IRQ_FACT;
	u64 irq;
	int err;

	edu_forget(bits);
	edu.regs[EDU_STATUS / 4] = EDU_STATUS_IRQ_FACT;
	edu.regs[EDU_FACT / 4] = n;
	err = wait_event(&edu.wq, edu_seen, &bits, nsec_since_boot() + EDU_WAIT_NS);
	if (err)
		return err;
	irq = spin_lock_irqsave(&edu.lock);
	edu.fact_n = n;
	edu.fact_result = edu.regs[EDU_FACT / 4];
	spin_unlock_irqrestore(&edu.lock, irq);
	return 0;
}

/* Find the device, take one MSI vector (or INTx) and bind: 0 (also without an edu). */
static int edu_probe(void)
{
	const struct pci_func *f = pci_find(EDU_VENDOR, EDU_DEVICE);
	char mode[8];
	bool intx;
	int n;

	wait_queue_init(&edu.wq, "edu");
	if (!f)
		return 0;
	pci_enable_device(f);
	edu.regs = pci_iomap(f, 0);
	if (!edu.regs || (edu.regs[EDU_ID / 4] & 0xff) != 0xed) {
		printk("edu: %02x:%02x.%x: BAR 0 unusable\n", f->bus, f->dev, f->fn);
		return 0;
	}
	intx = cmdline_get("edu.irq", mode, sizeof(mode)) && !strcmp(mode, "intx");
	n = intx ? pci_intx_enable(f) : pci_msi_enable(f, 1);
	if (n < 1) {
		printk("edu: %02x:%02x.%x: no %s (%d)\n", f->bus, f->dev, f->fn,
		       intx ? "INTx" : "MSI", n);
		return 0;
	}
	edu.f = f;
	pci_set_driver(f, "edu");
	pci_request_irq(f, 0, edu_irq, NULL, "edu");
	printk("edu: %02x:%02x.%x: %s vector %d\n", f->bus, f->dev, f->fn,
	       intx ? "INTx" : "MSI", pci_irq_vector(f, 0));
	return 0;
}
initcall(edu_probe, late);

/* "#edu" exists only with the device bound: 0 or -ENOENT. */
static int edu_attach(struct dev_instance *di)
{
	return di->spec[0] || !READ_ONCE(edu.f) ? -ENOENT : 0;
}

/* The ctl text: 0 or -ENOMEM. */
static int edu_text(struct file *f, struct slice *s)
{
	u64 irqs, irq = spin_lock_irqsave(&edu.lock);
	u32 fn = edu.fact_n, fr = edu.fact_result;
	int cpu = edu.cpu, r;

	(void)f;
	irqs = edu.irqs;
	spin_unlock_irqrestore(&edu.lock, irq);
	if (pci_irq_mode(edu.f) == PCI_IRQ_INTX)
		r = slice_printf(s, "mode intx\ngsi %d\n", pci_irq_gsi(edu.f));
	else
		r = slice_printf(s, "mode %s\n", pci_irq_mode(edu.f) == PCI_IRQ_MSI ? "msi" : "none");
	if (r >= 0)
		r = slice_printf(s, "vector %d\ncpu %d\nirqs %llu\nfact %u %u\n",
				 pci_irq_vector(edu.f, 0), cpu, irqs, fn, fr);
	return r < 0 ? r : 0;
}

/* Claim the device for one command: 0 or -EBUSY. */
static int edu_claim(void)
{
	u64 irq = spin_lock_irqsave(&edu.lock);
	int err = edu.busy ? -EBUSY : 0;

	edu.busy = true;
	spin_unlock_irqrestore(&edu.lock, irq);
	return err;
}

/* Run one ctl command: n, or -EINVAL/-ERANGE (parse), -EBUSY, -ETIMEDOUT, -EINTR. */
static ssize_t edu_write(struct file *f, const void *buf, size_t n, u64 off)
{
	const struct dev_cmdtab *ct;
	struct dev_cmd cmd;
	unsigned long v;
	u64 irq;
	int err;

	(void)f;
	(void)off;
	err = dev_cmd_parse(&cmd, buf, n);
	if (err)
		return err;
	ct = dev_cmd_lookup(&cmd, edu_cmds, ARRAY_SIZE(edu_cmds));
	if (!ct)
		return -EINVAL;
	err = dev_cmd_uint(cmd.argv[1], edu_cmd_max[ct->id], &v);
	if (err)
		return err;
	err = edu_claim();
	if (err)
		return err;
	if (ct->id == CMD_RAISE) {
		err = edu_raise(v);
	} else if (ct->id == CMD_FACT) {
		err = edu_fact((u32)v);
	} else if (ct->id == CMD_POST) {
		edu.regs[EDU_IRQ_RAISE / 4] = EDU_IRQ_TEST;
	} else if (ct->id == CMD_MASK || ct->id == CMD_UNMASK) {
		err = ct->id == CMD_MASK ? pci_irq_mask(edu.f, 0) : pci_irq_unmask(edu.f, 0);
	} else {
		err = pci_irq_set_affinity(edu.f, 0, (int)v);
		if (!err) {
			irq = spin_lock_irqsave(&edu.lock);
			edu.cpu = (int)v;
			spin_unlock_irqrestore(&edu.lock, irq);
		}
	}
	irq = spin_lock_irqsave(&edu.lock);
	edu.busy = false;
	spin_unlock_irqrestore(&edu.lock, irq);
	return err ? err : (ssize_t)n;
}

static const struct dev edu_dev = {
	.name = "edu",
	.attach = edu_attach,
	.text = edu_text,
	.write = edu_write,
	.tab = edu_tab,
	.ntab = ARRAY_SIZE(edu_tab),
};
DEV_REGISTER(edu_dev);
