/*
 * #vrng: a driver for virtio-rng over the modern virtio-pci transport
 * (virtio 1.0: 1af4:1044, or the transitional 1af4:1005 driven the modern
 * way), interrupted by MSI-X: the proof that a driver picks MSI-X, routes
 * each vector and masks it.
 *
 * Transport: the function's vendor capabilities (cfg_type 1 common, 2
 * notify, 3 ISR) point into a BAR.  Bring-up follows the spec: reset,
 * ACKNOWLEDGE, DRIVER, offer VIRTIO_F_VERSION_1 only, FEATURES_OK, one
 * virtqueue (descriptor table, available and used rings in one page
 * each), MSI-X entry 0 for configuration changes and entry 1 for the
 * queue, DRIVER_OK.  A request is one device-writable descriptor of
 * VRNG_BUF bytes; the queue's MSI-X handler counts completions and wakes
 * the waiter.  Every buffer a caller asks for ("read N", #vrng/random)
 * is mixed into the kernel's random generator (random_init) as well.
 *
 *   #vrng/ctl     read: "mode msix", "vectors C Q", "irqs N" (queue
 *                 interrupts handled), "requests N" (completed), "bytes N".
 *                 write: "read N" N requests, each awaited (1 s, else
 *                 -ETIMEDOUT); "submit" one request, not awaited
 *                 (-EAGAIN with the ring full);
 *                 "mask" / "unmask" the queue's MSI-X entry (a masked
 *                 entry's interrupt waits in the device until unmask).
 *   #vrng/random  each read returns fresh bytes from the device (at most
 *                 VRNG_BUF per read).
 *
 * Locking: vrng.lock (irqsave; the handler takes it) protects the queue
 * indices and counters.  One request at a time is in flight per caller;
 * vrng.busy serialises callers (-EBUSY).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/pci.h>
#include <kern/pmm.h>
#include <kern/kmalloc.h>
#include <kern/memlayout.h>
#include <kern/random.h>
#include <kern/slice.h>
#include <kern/spinlock.h>
#include <kern/wait.h>
#include <kern/time.h>
#include <kern/init.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_RNG_MODERN	0x1044
#define VIRTIO_RNG_TRANS	0x1005
/* struct virtio_pci_cap (in config space) */
#define VCAP_CFG_TYPE		3
#define VCAP_BAR		4
#define VCAP_OFFSET		8
#define VCAP_NOTIFY_MULT	16
#define VIRTIO_PCI_CAP_COMMON	1
#define VIRTIO_PCI_CAP_NOTIFY	2
/* struct virtio_pci_common_cfg */
#define VC_DFSELECT		0x00
#define VC_DF			0x04
#define VC_GFSELECT		0x08
#define VC_GF			0x0c
#define VC_MSIX_CONFIG		0x10
#define VC_STATUS		0x14
#define VC_Q_SELECT		0x16
#define VC_Q_SIZE		0x18
#define VC_Q_MSIX		0x1a
#define VC_Q_ENABLE		0x1c
#define VC_Q_NOTIFY_OFF		0x1e
#define VC_Q_DESC		0x20
#define VC_Q_AVAIL		0x28
#define VC_Q_USED		0x30
#define VS_ACK			0x01
#define VS_DRIVER		0x02
#define VS_DRIVER_OK		0x04
#define VS_FEATURES_OK		0x08
#define VIRTIO_F_VERSION_1_HI	0x1	/* bit 32: bit 0 of feature word 1 */
#define VIRTIO_MSI_NO_VECTOR	0xffff
#define VIRTQ_DESC_F_WRITE	2
#define VRNG_QSIZE		8
#define VRNG_BUF		64
#define VRNG_WAIT_NS		1000000000ULL

struct virtq_desc {
	u64 addr;
	u32 len;
	u16 flags, next;
} __packed;

struct virtq_used_elem {
	u32 id, len;
} __packed;

enum { Qroot, Qctl, Qrandom };

static const struct dev_dirent vrng_tab[] = {
	{ .name = "ctl", .qid = Qctl, .mode = S_IFREG | 0644 },
	{ .name = "random", .qid = Qrandom, .mode = S_IFREG | 0444 },
};

enum { CMD_READ, CMD_SUBMIT, CMD_MASK, CMD_UNMASK };

static const struct dev_cmdtab vrng_cmds[] = {
	{ CMD_READ, "read", 2 },
	{ CMD_SUBMIT, "submit", 1 },
	{ CMD_MASK, "mask", 1 },
	{ CMD_UNMASK, "unmask", 1 },
};

static struct {
	const struct pci_func *f;	/* set once by vrng_probe */
	volatile u8 *common;		/* common config */
	volatile u16 *notify;		/* the queue's doorbell */
	u16 qsize;
	struct virtq_desc *desc;
	volatile u16 *avail;		/* flags, idx, ring[qsize] */
	volatile u16 *used;		/* flags, idx, then struct virtq_used_elem[] */
	u8 *bufs;			/* qsize buffers of VRNG_BUF bytes */
	struct spinlock lock;
	struct wait_queue wq;
	u16 avail_idx;			/* lock: next avail index */
	u16 used_seen;			/* lock: used index consumed */
	u64 irqs, requests, bytes;	/* lock */
	u32 last_len;			/* lock: bytes in the last completed buffer */
	int last_id;			/* lock: its descriptor */
	bool busy;			/* lock */
} vrng = { .lock = SPINLOCK_INITIALIZER("vrng") };

/* Consume completions from the used ring (lock held): how many. */
static int __vrng_reap(void)
{
	int n = 0;

	while (vrng.used_seen != READ_ONCE(vrng.used[1])) {
		const struct virtq_used_elem *e =
			(const struct virtq_used_elem *)(vrng.used + 2) + vrng.used_seen % vrng.qsize;

		vrng.last_id = (int)e->id;
		vrng.last_len = MIN(e->len, (u32)VRNG_BUF);
		vrng.bytes += vrng.last_len;
		vrng.requests++;
		vrng.used_seen++;
		n++;
	}
	return n;
}

/* The queue's MSI-X handler: reap, count, wake. */
static void vrng_irq(void *data)
{
	(void)data;
	spin_lock(&vrng.lock);
	vrng.irqs++;
	__vrng_reap();
	spin_unlock(&vrng.lock);
	wake_up(&vrng.wq);
}

/* Post one request: the requests count it completes at, or 0 with the ring full (-EAGAIN). */
static u64 vrng_submit(void)
{
	u64 irq = spin_lock_irqsave(&vrng.lock), target;
	u16 slot = vrng.avail_idx % vrng.qsize;

	__vrng_reap();	/* completions a masked vector has not reported yet */
	if ((u16)(vrng.avail_idx - vrng.used_seen) >= vrng.qsize) {
		spin_unlock_irqrestore(&vrng.lock, irq);
		return 0;
	}

	vrng.desc[slot].addr = PADDR(vrng.bufs + slot * VRNG_BUF);
	vrng.desc[slot].len = VRNG_BUF;
	vrng.desc[slot].flags = VIRTQ_DESC_F_WRITE;
	vrng.desc[slot].next = 0;
	vrng.avail[2 + slot] = slot;
	__sync_synchronize();
	vrng.avail_idx++;
	vrng.avail[1] = vrng.avail_idx;
	__sync_synchronize();
	target = vrng.requests + (u16)(vrng.avail_idx - vrng.used_seen);
	spin_unlock_irqrestore(&vrng.lock, irq);
	*vrng.notify = 0;	/* queue 0 */
	return target;
}

/* wait_event condition: completions reached *arg. */
static bool vrng_done(void *arg)
{
	u64 irq = spin_lock_irqsave(&vrng.lock);
	bool done = vrng.requests >= *(u64 *)arg;

	spin_unlock_irqrestore(&vrng.lock, irq);
	return done;
}

/* One awaited request; its bytes mixed into the generator and copied to out (if any). */
static int vrng_request(void *out, size_t *len)
{
	u64 target = vrng_submit(), irq;
	u8 buf[VRNG_BUF];
	u32 n;
	int err;

	if (!target)
		return -EAGAIN;
	err = wait_event(&vrng.wq, vrng_done, &target, nsec_since_boot() + VRNG_WAIT_NS);
	if (err)
		return err;
	irq = spin_lock_irqsave(&vrng.lock);
	n = vrng.last_len;
	memcpy(buf, vrng.bufs + vrng.last_id % vrng.qsize * VRNG_BUF, n);
	spin_unlock_irqrestore(&vrng.lock, irq);
	for (u32 i = 0; i + 8 <= n; i += 8) {
		u64 v;

		memcpy(&v, buf + i, 8);
		random_init(v);
	}
	if (out) {
		*len = MIN(*len, (size_t)n);
		memcpy(out, buf, *len);
	}
	return 0;
}

/* Map the vendor capability of cfg_type type; its config offset in *cap, or NULL. */
static volatile u8 *vrng_cap(const struct pci_func *f, u8 type, int *cap)
{
	for (int pos = pci_find_capability(f, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(f, pos, PCI_CAP_ID_VNDR)) {
		u8 *bar;

		if (pci_read8(f, pos + VCAP_CFG_TYPE) != type)
			continue;
		bar = pci_iomap(f, pci_read8(f, pos + VCAP_BAR));
		*cap = pos;
		return bar ? bar + pci_read32(f, pos + VCAP_OFFSET) : NULL;
	}
	return NULL;
}

/* One zeroed page's kernel address, or NULL. */
static void *zpage(void)
{
	physaddr_t pa = page_alloc(0, MEM_WAIT | MEM_ZERO);

	return pa ? KADDR(pa) : NULL;
}

/* Bring the device up with one virtqueue on MSI-X entry 1: 0 or -errno. */
static int vrng_setup(const struct pci_func *f)
{
	volatile u8 *c, *nbase;
	int ccap, ncap, n;
	u16 qs;

	c = vrng_cap(f, VIRTIO_PCI_CAP_COMMON, &ccap);
	nbase = vrng_cap(f, VIRTIO_PCI_CAP_NOTIFY, &ncap);
	if (!c || !nbase)
		return -ENODEV;
	vrng.common = c;
	c[VC_STATUS] = 0;
	while (c[VC_STATUS])
		;
	c[VC_STATUS] = VS_ACK | VS_DRIVER;
	*(volatile u32 *)(c + VC_DFSELECT) = 1;
	if (!(*(volatile u32 *)(c + VC_DF) & VIRTIO_F_VERSION_1_HI))
		return -ENODEV;
	*(volatile u32 *)(c + VC_GFSELECT) = 0;
	*(volatile u32 *)(c + VC_GF) = 0;
	*(volatile u32 *)(c + VC_GFSELECT) = 1;
	*(volatile u32 *)(c + VC_GF) = VIRTIO_F_VERSION_1_HI;
	c[VC_STATUS] = VS_ACK | VS_DRIVER | VS_FEATURES_OK;
	if (!(c[VC_STATUS] & VS_FEATURES_OK))
		return -ENODEV;
	n = pci_msix_enable(f, 2);
	if (n < 2)
		return n < 0 ? n : -ENOSPC;
	*(volatile u16 *)(c + VC_MSIX_CONFIG) = 0;
	*(volatile u16 *)(c + VC_Q_SELECT) = 0;
	qs = *(volatile u16 *)(c + VC_Q_SIZE);
	if (!qs)
		return -ENODEV;
	vrng.qsize = MIN(qs, (u16)VRNG_QSIZE);
	*(volatile u16 *)(c + VC_Q_SIZE) = vrng.qsize;
	*(volatile u16 *)(c + VC_Q_MSIX) = 1;
	if (*(volatile u16 *)(c + VC_Q_MSIX) == VIRTIO_MSI_NO_VECTOR)
		return -ENOSPC;
	vrng.desc = zpage();
	vrng.avail = zpage();
	vrng.used = zpage();
	vrng.bufs = zpage();
	if (!vrng.desc || !vrng.avail || !vrng.used || !vrng.bufs)
		return -ENOMEM;
	*(volatile u64 *)(c + VC_Q_DESC) = PADDR(vrng.desc);
	*(volatile u64 *)(c + VC_Q_AVAIL) = PADDR((void *)vrng.avail);
	*(volatile u64 *)(c + VC_Q_USED) = PADDR((void *)vrng.used);
	vrng.notify = (volatile u16 *)(nbase + *(volatile u16 *)(c + VC_Q_NOTIFY_OFF) *
				       pci_read32(f, ncap + VCAP_NOTIFY_MULT));
	pci_request_irq(f, 1, vrng_irq, NULL, "virtio-rng");
	pci_request_irq(f, 0, NULL, NULL, "virtio-rng-config");
	*(volatile u16 *)(c + VC_Q_ENABLE) = 1;
	c[VC_STATUS] = VS_ACK | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK;
	return 0;
}

/* Find and bring up the device, seed the generator from it: 0 (also without one). */
static int vrng_probe(void)
{
	const struct pci_func *f = pci_find(VIRTIO_VENDOR, VIRTIO_RNG_MODERN);
	int err;

	wait_queue_init(&vrng.wq, "vrng");
	if (!f)
		f = pci_find(VIRTIO_VENDOR, VIRTIO_RNG_TRANS);
	if (!f)
		return 0;
	pci_enable_device(f);
	err = vrng_setup(f);
	if (err) {
		printk("vrng: %02x:%02x.%x: not started (%s)\n", f->bus, f->dev, f->fn, errstr(err));
		return 0;
	}
	pci_set_driver(f, "virtio-rng");
	vrng.f = f;
	printk("vrng: %02x:%02x.%x: MSI-X vectors %d %d, queue size %u\n", f->bus, f->dev, f->fn,
	       pci_irq_vector(f, 0), pci_irq_vector(f, 1), vrng.qsize);
	return 0;
}
initcall(vrng_probe, late);

/* "#vrng" exists only with the device bound: 0 or -ENOENT. */
static int vrng_attach(struct dev_instance *di)
{
	return di->spec[0] || !READ_ONCE(vrng.f) ? -ENOENT : 0;
}

/* ctl text: 0, DEV_NOT_TEXT for random, or -ENOMEM. */
static int vrng_text(struct file *f, struct slice *s)
{
	u64 irqs, reqs, bytes, irq;
	int r;

	if (dev_file_qid(f) != Qctl)
		return DEV_NOT_TEXT;
	irq = spin_lock_irqsave(&vrng.lock);
	irqs = vrng.irqs;
	reqs = vrng.requests;
	bytes = vrng.bytes;
	spin_unlock_irqrestore(&vrng.lock, irq);
	r = slice_printf(s, "mode %s\nvectors %d %d\nirqs %llu\nrequests %llu\nbytes %llu\n",
			 pci_irq_mode(vrng.f) == PCI_IRQ_MSIX ? "msix" : "none",
			 pci_irq_vector(vrng.f, 0), pci_irq_vector(vrng.f, 1), irqs, reqs, bytes);
	return r < 0 ? r : 0;
}

/* Claim or release the device for one caller: 0 or -EBUSY. */
static int vrng_claim(bool claim)
{
	u64 irq = spin_lock_irqsave(&vrng.lock);
	int err = claim && vrng.busy ? -EBUSY : 0;

	if (!err)
		vrng.busy = claim;
	spin_unlock_irqrestore(&vrng.lock, irq);
	return err;
}

/* Fresh device bytes, one request per read (offsets do not matter): count or -errno. */
static ssize_t vrng_read(struct file *f, void *buf, size_t n, u64 off)
{
	size_t len = MIN(n, (size_t)VRNG_BUF);
	int err;

	(void)off;
	if (dev_file_qid(f) != Qrandom)
		return -EINVAL;
	err = vrng_claim(true);
	if (err)
		return err;
	err = vrng_request(buf, &len);
	vrng_claim(false);
	return err ? err : (ssize_t)len;
}

/* Run one ctl command: n, or -EINVAL/-ERANGE, -EBUSY, -ETIMEDOUT, -EINTR. */
static ssize_t vrng_write(struct file *f, const void *buf, size_t n, u64 off)
{
	const struct dev_cmdtab *ct;
	struct dev_cmd cmd;
	unsigned long count = 0;
	int err;

	(void)off;
	if (dev_file_qid(f) != Qctl)
		return -EINVAL;
	err = dev_cmd_parse(&cmd, buf, n);
	if (err)
		return err;
	ct = dev_cmd_lookup(&cmd, vrng_cmds, ARRAY_SIZE(vrng_cmds));
	if (!ct)
		return -EINVAL;
	if (ct->id == CMD_READ && (err = dev_cmd_uint(cmd.argv[1], 100000, &count)))
		return err;
	err = vrng_claim(true);
	if (err)
		return err;
	if (ct->id == CMD_READ) {
		for (unsigned long i = 0; i < count && !err; i++)
			err = vrng_request(NULL, NULL);
	} else if (ct->id == CMD_SUBMIT) {
		err = vrng_submit() ? 0 : -EAGAIN;
	} else {
		err = ct->id == CMD_MASK ? pci_irq_mask(vrng.f, 1) : pci_irq_unmask(vrng.f, 1);
	}
	vrng_claim(false);
	return err ? err : (ssize_t)n;
}

static const struct dev vrng_dev = {
	.name = "vrng",
	.attach = vrng_attach,
	.text = vrng_text,
	.read = vrng_read,
	.write = vrng_write,
	.tab = vrng_tab,
	.ntab = ARRAY_SIZE(vrng_tab),
};
DEV_REGISTER(vrng_dev);
