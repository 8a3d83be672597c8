#!/bin/sh
# Fuzz tier: build each libFuzzer harness (clang, ASan+UBSan) and run it for
# FUZZ_SECONDS (default 15) from a seed corpus; a crash or sanitizer report
# fails.  Prints "N passed, N failed" (one check per harness).
set -u
cd "$(dirname "$0")/../.."
OUT=build/fuzz
SECS=${FUZZ_SECONDS:-15}
mkdir -p "$OUT"
passed=0
failed=0
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-DHOST_UNIT_TEST -Ikernel/include"

run() {	# name source... -- seed files...
	name=$1
	shift
	srcs=""
	while [ "$1" != "--" ]; do srcs="$srcs $1"; shift; done
	shift
	mkdir -p "$OUT/$name.corpus"
	for s in "$@"; do [ -f "$s" ] && cp "$s" "$OUT/$name.corpus/" 2>/dev/null; done
	# shellcheck disable=SC2086
	if ! clang $FLAGS -o "$OUT/$name" $srcs 2>"$OUT/$name.build.log"; then
		echo "FAIL $name: build"; cat "$OUT/$name.build.log"; failed=$((failed + 1)); return
	fi
	if "$OUT/$name" -max_total_time="$SECS" -rss_limit_mb=2048 -print_final_stats=1 "$OUT/$name.corpus" \
		>"$OUT/$name.log" 2>&1; then
		echo "ok   $name ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$OUT/$name.log" |
			head -1 | awk '{print $2}') runs)"
		passed=$((passed + 1))
	else
		echo "FAIL $name:"; tail -40 "$OUT/$name.log"; failed=$((failed + 1))
	fi
}

run fuzz_cpio tests/fuzz/fuzz_cpio.c kernel/fs/cpio.c -- tests/unit/data/sample.cpio
printf 'int main(void){return 0;}' | gcc -static -o "$OUT/seed-static" -x c - 2>/dev/null
run fuzz_elf tests/fuzz/fuzz_elf.c kernel/proc/elf.c -- "$OUT/seed-static" /bin/busybox
run fuzz_rsp tests/fuzz/fuzz_rsp.c gdbserver-akaros/rsp.c gdbserver-akaros/server.c \
	gdbserver-akaros/regs.c gdbserver-akaros/monitor.c gdbserver-akaros/multi.c gdbserver-akaros/nonstop.c \
	gdbserver-akaros/hostio.c -- tests/fuzz/rsp-seeds/session tests/fuzz/rsp-seeds/multi \
	tests/fuzz/rsp-seeds/nonstop
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
