# user.mk: user-space programs and the initramfs, included by the
# top-level Makefile (also usable alone: `make -f user/user.mk user`).
#
# Everything here is an ordinary static Linux x86-64 program built with the
# host gcc; the kernel runs it unmodified.  Outputs:
#   $(BUILD)/user/init/init     our /init
#   $(BUILD)/tests/progs/NAME   one syscall test program per tests/progs/NAME.c
#   $(BUILD)/initramfs.cpio     the base image (tools/initramfs.base)
# Targets: user, test-progs, initramfs, test-progs-host, busybox-host,
# mkinitramfs-test.

BUILD       ?= build
PYTHON      ?= /usr/bin/python3
USER_CC     ?= gcc
BUSYBOX     ?= /bin/busybox
USER_CFLAGS := -std=gnu11 -O2 -g -static -Wall -Wextra -Werror \
               -Wno-unused-result -fno-strict-aliasing

TEST_PROG_SRCS := $(sort $(wildcard tests/progs/*.c))
TEST_PROGS     := $(patsubst tests/progs/%.c,$(BUILD)/tests/progs/%,$(TEST_PROG_SRCS))
BUSYBOX_SUITE  := $(sort $(wildcard tests/busybox/*.sh tests/busybox/cases/*.sh))

.PHONY: user test-progs initramfs test-progs-host busybox-host mkinitramfs-test

user: $(BUILD)/user/init/init test-progs

test-progs: $(TEST_PROGS)

$(BUILD)/user/init/init: user/init/init.c
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/tests/progs/%: tests/progs/%.c tests/progs/tprog.h
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -o $@ $<

initramfs: $(BUILD)/initramfs.cpio

$(BUILD)/initramfs.cpio: tools/mkinitramfs tools/initramfs.base \
		$(BUILD)/user/init/init $(TEST_PROGS) $(BUSYBOX_SUITE) $(BUSYBOX)
	@echo "  CPIO    $@"
	@$(PYTHON) tools/mkinitramfs --base -D BUILD=$(abspath $(BUILD)) \
		-D BUSYBOX=$(BUSYBOX) -o $@

# Host runs: every test program and the busybox suite must pass on Linux.
test-progs-host: $(TEST_PROGS)
	@tests/progs/run-host.sh $(BUILD)/tests/progs

busybox-host:
	@tests/busybox/host-check.sh $(BUSYBOX)

mkinitramfs-test:
	@tests/tools/test_mkinitramfs.sh
