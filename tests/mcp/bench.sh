#!/bin/sh
# bench.sh: MCP figures for `make bench` (bench/run-all calls it): boots the
# target once and runs mcp_bench (uthread switch, uthread ping-pong, vcore
# request latency, notification round trip) and bench/progs/pingpong (the
# pthread/futex ping-pong of the same shape) there, and the pingpong on the
# host for comparison.  Prints the "bench ..." and "pingpong: ..." lines.
set -u
. "$(dirname "$0")/../target/lib.sh"
cd "$ROOT" || exit 1
make --no-print-directory mcp-progs bench-progs >/dev/null || exit 1
echo "host:"
"$ROOT/build/bench/progs/pingpong" 20000 | sed 's/^/  /'
echo "target (TCG, $SMP CPUs):"
"$RUN" --smp "$SMP" --mem "$MEM" --timeout 120 --boot-timeout "$BOOT_TIMEOUT" \
	${QEMU_RUN_ARGS:-} --copy "$ROOT/build/tests/mcp/mcp_bench:/tests/mcp/mcp_bench" \
	--exec "/tests/mcp/mcp_bench 5000; /bench/pingpong 5000" | sed 's/^/  /'
