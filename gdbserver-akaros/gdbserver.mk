# gdbserver.mk: gdbserver-akaros and the gdb tier's target programs,
# included by the top-level Makefile.  All static, built with the host gcc
# (the kernel runs them unmodified), and put in the initramfs:
#   /bin/gdbserver-akaros
#   /tests/gdb/{dbgctl,denied,gdbtarget,mcpdbg}
# and build/tests/gdb-host/pie (dynamic, for tools/gdb-target's check).
GDBSERVER_SRCS := $(wildcard gdbserver-akaros/*.c)
GDBSERVER      := $(BUILD)/gdbserver-akaros/gdbserver-akaros
GDB_TEST_PROGS := $(BUILD)/tests/gdb/dbgctl $(BUILD)/tests/gdb/denied $(BUILD)/tests/gdb/gdbtarget \
                  $(BUILD)/tests/gdb/mcpdbg

.PHONY: gdbserver gdb
gdbserver: $(GDBSERVER) $(GDB_TEST_PROGS)

$(GDBSERVER): $(GDBSERVER_SRCS) $(wildcard gdbserver-akaros/*.h) kernel/include/abi/ptrace.h \
	      kernel/include/abi/mcp.h kernel/include/abi/mcp_dbg.h
	@mkdir -p $(dir $@)
	@echo "  USERCC  $@"
	@$(USER_CC) $(USER_CFLAGS) -Ikernel/include -o $@ $(GDBSERVER_SRCS)

# dbgctl and denied drive the kernel interface directly.
$(BUILD)/tests/gdb/%: tests/gdb/%.c kernel/include/abi/ptrace.h
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) $(USER_CFLAGS) -Ikernel/include -pthread -o $@ $<

# The program host gdb debugs: unoptimised, with full debug information.
$(BUILD)/tests/gdb/gdbtarget: tests/gdb/gdbtarget.c
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) -std=gnu11 -O0 -g -static -pthread -Wall -Wextra -Werror -o $@ $<

# The MCP gdb attaches to (uthreads, vcores): parlib, unoptimised.
$(BUILD)/tests/gdb/mcpdbg: tests/gdb/mcpdbg.c $(PARLIB_LIB) $(PARLIB_HDRS)
	@mkdir -p $(dir $@)
	@echo "  USERCC  $<"
	@$(USER_CC) -std=gnu11 -O0 -g -static -Wall -Wextra -Werror -Iuser/parlib -Ikernel/include \
		-o $@ $< $(PARLIB_LIB) -lpthread

$(BUILD)/initramfs.cpio: $(GDBSERVER) $(GDB_TEST_PROGS)

# A dynamic PIE program for tools/gdb-target (run from the host path, not the initramfs).
GDB_PIE := $(BUILD)/tests/gdb-host/pie
$(GDB_PIE): tests/gdb/pie.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(USER_CC) -std=gnu11 -O0 -g -fPIE -pie -Wall -Wextra -Werror -o $@ $<
gdbserver: $(GDB_PIE)
# Built with the kernel: the gdb tier (make test) runs tools/gdb-target on it.
kernel: $(GDB_PIE)

# make gdb PROG=path [ARGS="..."]: the target with PROG under gdbserver-akaros, host gdb attached.
gdb: kernel initramfs $(GDBSERVER)
	@tools/gdb-target $(PROG) $(ARGS)
