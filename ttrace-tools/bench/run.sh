#!/bin/sh
# ttrace-tools/bench/run.sh: the host microbenchmark of the ttrace ring next
# to LTTng-UST (Debian's liblttng-ust-dev, lttng-tools) in one run.  Starts a
# private LTTng session daemon (no kernel tracing), a snapshot session with
# ttbench:on enabled, runs ttrace-bench, and stops what it started.  Checks
# the aims (ttrace <= 1/3 of LTTng-UST's enabled cost, <= 2 ns disabled) and
# ends with "N passed, N failed".  Usage: run.sh [N] [ROUNDS]
set -u
cd "$(dirname "$0")/../.."
OUT=build/ttrace/bench
mkdir -p "$OUT"
gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Ikernel/include -Ikernel/debug -Ittrace-tools/bench \
	-o "$OUT/ttrace-bench" ttrace-tools/bench/ttrace-bench.c \
	ttrace-tools/bench/lttng_tp.c kernel/debug/ttrace_ring.c -llttng-ust -ldl || {
	echo "bench: build failed"; echo "0 passed, 1 failed"; exit 1; }
export LTTNG_HOME="$PWD/$OUT/lttng-home"
mkdir -p "$LTTNG_HOME"
lttng-sessiond --no-kernel --quiet >"$OUT/sessiond.log" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null' EXIT
i=0
until lttng list >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 50 ] && { echo "bench: lttng-sessiond did not start"; echo "0 passed, 1 failed"; exit 1; }
	sleep 0.1
done
S=ttbench$$
lttng create "$S" --snapshot >/dev/null &&
	lttng enable-event -u -s "$S" 'ttbench:on' >/dev/null &&
	lttng start "$S" >/dev/null || { echo "bench: lttng session failed"; echo "0 passed, 1 failed"; exit 1; }
# LTTng-UST registers with the session daemon at start; wait for it.
LTTNG_UST_REGISTER_TIMEOUT=-1 "$OUT/ttrace-bench" "$@" | tee "$OUT/result.txt"
lttng stop "$S" >/dev/null
lttng destroy "$S" >/dev/null
on=$(sed -n 's/^ttrace enabled: \([0-9.]*\).*/\1/p' "$OUT/result.txt")
lon=$(sed -n 's/^lttng-ust enabled: \([0-9.]*\).*/\1/p' "$OUT/result.txt")
off=$(sed -n 's/^ttrace disabled: \([0-9.]*\).*/\1/p' "$OUT/result.txt")
p=0; f=0
if awk "BEGIN{exit !($on * 3 <= $lon)}"; then p=$((p+1)); echo "ok   enabled: $on ns <= 1/3 of LTTng-UST's $lon ns"
else f=$((f+1)); echo "FAIL enabled: $on ns > 1/3 of LTTng-UST's $lon ns"; fi
if awk "BEGIN{exit !($off <= 2.0)}"; then p=$((p+1)); echo "ok   disabled: $off ns <= 2 ns"
else f=$((f+1)); echo "FAIL disabled: $off ns > 2 ns"; fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
