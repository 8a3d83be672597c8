# user.mk: user-space programs and the initramfs, included by the
# top-level Makefile (also usable alone: `make -f user/user.mk user`).
#
# Everything here is an ordinary static Linux x86-64 program built with the
# host gcc; the kernel runs it unmodified.  Outputs:
#   $(BUILD)/user/init/init     our /init
#   $(BUILD)/tests/progs/NAME   one syscall test program per tests/progs/NAME.c
#   $(BUILD)/tests/stress/NAME  robustness programs (tests/stress/NAME.c), the
#                               malformed-ELF corpus (elfcorpus/) and run-stress.sh
#   $(BUILD)/bench/progs/NAME   benchmark programs (bench/progs/NAME.c)
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
STRESS_SRCS    := $(sort $(wildcard tests/stress/*.c))
STRESS_PROGS   := $(patsubst tests/stress/%.c,$(BUILD)/tests/stress/%,$(STRESS_SRCS))
ELF_CORPUS     := $(BUILD)/tests/stress/elfcorpus/MANIFEST
BENCH_SRCS     := $(sort $(wildcard bench/progs/*.c))
BENCH_PROGS    := $(patsubst bench/progs/%.c,$(BUILD)/bench/progs/%,$(BENCH_SRCS))
BUSYBOX_SUITE  := $(sort $(wildcard tests/busybox/*.sh tests/busybox/cases/*.sh))

.PHONY: user test-progs stress-progs bench-progs initramfs test-progs-host \
	busybox-host mkinitramfs-test

user: $(BUILD)/user/init/init $(BUILD)/termd/termd test-progs stress-progs bench-progs

test-progs: $(TEST_PROGS)

stress-progs: $(STRESS_PROGS) $(ELF_CORPUS) $(BUILD)/tests/stress/run-stress.sh

bench-progs: $(BENCH_PROGS)

$(BUILD)/tests/stress/%: tests/stress/%.c
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/tests/stress/run-stress.sh: tests/stress/run-stress.sh
	@mkdir -p $(dir $@)
	@cp $< $@

$(ELF_CORPUS): tests/stress/elfcorpus.py
	@echo "  ELFGEN  $(dir $@)"
	@rm -rf $(dir $@)
	@$(PYTHON) $< $(dir $@) >/dev/null

$(BUILD)/bench/progs/%: bench/progs/%.c
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/user/init/init: user/init/init.c
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/termd/termd: termd/termd.c
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/tests/progs/%: tests/progs/%.c tests/progs/tprog.h
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -o $@ $<

initramfs: $(BUILD)/initramfs.cpio

# ttrace and ttrace-view for the target (ttrace-tools/Makefile builds them, static).
TTRACE_TARGET := $(BUILD)/ttrace/target/ttrace $(BUILD)/ttrace/target/ttrace-view
$(TTRACE_TARGET) &: $(wildcard ttrace-tools/cmd/*.c ttrace-tools/view/*.[ch] ttrace-tools/lib/*.[ch]) \
		kernel/include/abi/ttrace.h
	@$(MAKE) --no-print-directory -C ttrace-tools target >/dev/null

$(BUILD)/initramfs.cpio: tools/mkinitramfs tools/initramfs.base \
		$(BUILD)/user/init/init $(BUILD)/termd/termd $(TEST_PROGS) $(BUSYBOX_SUITE) $(BUSYBOX) \
		$(STRESS_PROGS) $(ELF_CORPUS) $(BUILD)/tests/stress/run-stress.sh \
		$(BENCH_PROGS) $(TTRACE_TARGET)
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

# ---- MCP block: parlib (user/parlib, a static library) and the MCP test
# programs (tests/mcp/NAME.c -> $(BUILD)/tests/mcp/NAME) linked with it;
# `make mcp-progs` (the mcp-target tier copies them into its boot).
PARLIB_SRCS := $(sort $(wildcard user/parlib/*.c user/parlib/*.S))
PARLIB_OBJS := $(patsubst user/parlib/%,$(BUILD)/user/parlib/%.o,$(PARLIB_SRCS))
PARLIB_LIB  := $(BUILD)/user/parlib/libparlib.a
PARLIB_HDRS := $(wildcard user/parlib/*.h) kernel/include/abi/mcp.h kernel/include/abi/mcp_dbg.h
MCP_PROG_SRCS := $(sort $(wildcard tests/mcp/*.c))
MCP_PROGS   := $(patsubst tests/mcp/%.c,$(BUILD)/tests/mcp/%,$(MCP_PROG_SRCS))

.PHONY: mcp-progs parlib
user: mcp-progs
parlib: $(PARLIB_LIB)
mcp-progs: $(MCP_PROGS)

$(BUILD)/user/parlib/%.o: user/parlib/% $(PARLIB_HDRS)
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(filter-out -static,$(USER_CFLAGS)) -Ikernel/include -c -o $@ $<

$(PARLIB_LIB): $(PARLIB_OBJS)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/tests/mcp/%: tests/mcp/%.c $(PARLIB_LIB) $(PARLIB_HDRS)
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -Iuser/parlib -Ikernel/include -o $@ $< $(PARLIB_LIB) -lpthread
# ---- END MCP block ----
