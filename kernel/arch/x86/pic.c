/*
 * Legacy 8259A PIC pair.  The kernel uses the IOAPIC exclusively, but the
 * PICs still exist on every PC: they are reprogrammed so their vectors
 * (0x20-0x2F) cannot collide with CPU exceptions should one ever fire
 * spuriously, then fully masked.
 */
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/x86.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1

/* Port 0x80 write: a short I/O delay the old PICs want between commands. */
static void io_wait(void)
{
	outb(0x80, 0);
}

void pic_disable(void)
{
	static const u8 seq[][2] = {
		{ PIC1_CMD, 0x11 }, { PIC2_CMD, 0x11 },		/* ICW1: init, ICW4 follows */
		{ PIC1_DATA, IRQ_BASE }, { PIC2_DATA, IRQ_BASE + 8 },	/* ICW2: vectors */
		{ PIC1_DATA, 0x04 }, { PIC2_DATA, 0x02 },	/* ICW3: cascade on IRQ2 */
		{ PIC1_DATA, 0x01 }, { PIC2_DATA, 0x01 },	/* ICW4: 8086 mode */
		{ PIC1_DATA, 0xFF }, { PIC2_DATA, 0xFF },	/* mask everything */
	};

	for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		outb(seq[i][0], seq[i][1]);
		io_wait();
	}
}
