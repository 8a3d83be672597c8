# Top-level build.  `make` builds the kernel (build/kernel.elf for gdb,
# build/kernel.bin for QEMU -kernel / GRUB) and every tool; `make run`
# boots it; `make test` runs every test tier; `make bench` the benchmarks.
# `tools/install-deps` installs missing Debian packages first (idempotent).

BUILD      := build
CC         := gcc
LD         := ld
OBJCOPY    := objcopy
PYTHON     := /usr/bin/python3
SMP        ?= 4
MEM        ?= 1G

KINC       := -Ikernel/include -Ikernel/arch/x86/include
KCFLAGS    := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -nostdinc \
              -isystem $(shell $(CC) -print-file-name=include) \
              -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
              -fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
              -fno-asynchronous-unwind-tables -fno-strict-aliasing -fno-optimize-sibling-calls \
              -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP $(KINC)
KASFLAGS   := -D__ASSEMBLER__ -g -MMD -MP $(KINC)
KLDFLAGS   := -n -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T kernel/arch/x86/kernel.ld

# Every .c and .S under kernel/ (one folder per subsystem, see
# docs/ARCHITECTURE.md); a new file or folder needs no edit here.
KSRCS      := $(sort $(shell find kernel -name '*.[cS]' -not -path 'kernel/include/*'))
KOBJS      := $(patsubst %,$(BUILD)/%.o,$(KSRCS))


DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all kernel run run-gdb test bench soak iso clean deps print-kcflags pciids

all: kernel

# User space and the initramfs (user/user.mk, owned by the user-space side).
include user/user.mk
include gdbserver-akaros/gdbserver.mk

# ---- BEGIN pciids-in-kernel block (owned by wt-pci; see docs/ARCHITECTURE.md) ----
# The kernel links libpciids (pciids-gen/lib/*.c) and its generated tables,
# built with the kernel's flags.  The tables get their own build directory
# so the kernel's flavour (PCIIDS_KFLAGS) never clashes with the user-side
# tables in pciids-gen/build.  The sub-make runs every time (it regenerates
# only when pci.ids, the generator or the flags changed); the 2 MB table
# source is then compiled once, and again only if it was regenerated.
PCIIDS_KFLAGS ?= --no-subsystems
PCIIDS_KDIR   := $(BUILD)/pciids-kernel
PCIIDS_KOBJS  := $(patsubst %.c,$(BUILD)/%.c.o,$(wildcard pciids-gen/lib/*.c)) \
                 $(PCIIDS_KDIR)/pciids_data.c.o
KCFLAGS       += -Ipciids-gen/include
KOBJS         += $(PCIIDS_KOBJS)

.PHONY: pciids-kernel-tables
pciids-kernel-tables: | $(DEPS_STAMP)
	@$(MAKE) --no-print-directory -s -C pciids-gen B=$(abspath $(PCIIDS_KDIR)) \
		PCIIDS=$(abspath $(PCIIDS)) GENFLAGS='$(PCIIDS_KFLAGS)' \
		$(abspath $(PCIIDS_KDIR))/pciids_data.c

$(PCIIDS_KDIR)/pciids_data.c: pciids-kernel-tables ;
# `make pciids PCIIDS=path` regenerates the kernel's tables too.
pciids: pciids-kernel-tables

$(PCIIDS_KDIR)/pciids_data.c.o: $(PCIIDS_KDIR)/pciids_data.c
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

# Our lspci, static, goes into the initramfs as /usr/bin/lspci (initramfs.base).
.PHONY: lspci-static
lspci-static: | $(DEPS_STAMP)
	@$(MAKE) --no-print-directory -s -C lspci build/lspci-static
lspci/build/lspci-static: lspci-static ;
$(BUILD)/initramfs.cpio: lspci/build/lspci-static
# ---- END pciids-in-kernel block ----

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/install-deps
	@mkdir -p $(BUILD)
	tools/install-deps
	@touch $@

kernel: $(BUILD)/kernel.bin user initramfs

$(BUILD)/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KASFLAGS) -c $< -o $@

# Two links: the second embeds the symbol table of the first (kallsyms).
$(BUILD)/kernel.elf: $(KOBJS) kernel/arch/x86/kernel.ld tools/gen-kallsyms
	tools/gen-kallsyms > $(BUILD)/kallsyms0.S
	$(CC) $(KASFLAGS) -c $(BUILD)/kallsyms0.S -o $(BUILD)/kallsyms0.o
	$(LD) $(KLDFLAGS) -o $(BUILD)/kernel.pass1.elf $(KOBJS) $(BUILD)/kallsyms0.o
	tools/gen-kallsyms $(BUILD)/kernel.pass1.elf > $(BUILD)/kallsyms1.S
	$(CC) $(KASFLAGS) -c $(BUILD)/kallsyms1.S -o $(BUILD)/kallsyms1.o
	$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/kallsyms1.o
	@tools/gen-kallsyms $@ | cmp -s - $(BUILD)/kallsyms1.S || \
		{ echo "kallsyms: function addresses moved between links" >&2; rm -f $@; exit 1; }

$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	$(OBJCOPY) -O binary $< $@

run: kernel
	tools/qemu-run --smp $(SMP) --mem $(MEM)

run-gdb: kernel
	@echo "QEMU is paused; in another terminal: gdb -ex 'target remote :1234' $(BUILD)/kernel.elf"
	tools/qemu-run --smp $(SMP) --mem $(MEM) --gdb

# Every test tier; the last line is "N passed, N failed".
test: deps kernel
	tests/run-all

bench: deps kernel
	bench/run-all

# Soak: the target tiers ROUNDS times with one CPU hog per host core
# (tests/soak); TIERS="progs-target stress-target" picks tiers.  Not part of
# `make test`.  Ends with "N passed, N failed" over tier-rounds.
ROUNDS ?= 20
TIERS  ?=
soak: deps kernel
	tests/soak --rounds $(ROUNDS) $(TIERS)

# GRUB (multiboot2) bootable ISO for real hardware or `qemu -cdrom`.
iso: $(BUILD)/akaros.iso
$(BUILD)/akaros.iso: $(BUILD)/kernel.bin tools/mkiso
	tools/mkiso $(BUILD)/kernel.bin $@

# PCI name tables: `make pciids PCIIDS=path` regenerates from another pci.ids.
PCIIDS ?= /usr/share/misc/pci.ids
pciids: deps
	$(MAKE) -C pciids-gen PCIIDS=$(abspath $(PCIIDS))

clean:
	rm -rf $(BUILD)
	$(MAKE) -C pciids-gen clean

-include $(KOBJS:.o=.d)

print-kcflags:
	@echo $(filter-out -MMD -MP,$(KCFLAGS))
