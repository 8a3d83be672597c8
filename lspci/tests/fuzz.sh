#!/bin/sh
# lspci/tests/fuzz.sh SECONDS - libFuzzer on the dump parser and every
# decoder (build/fuzz-lspci), seeded with the QEMU and crafted dumps.
# Prints "N passed, N failed" (1 check: the run found no crash).
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/corpus"
cp tests/dumps/*.dump tests/synth/*.dump "$T/corpus/"
if build/fuzz-lspci -max_total_time="${1:-15}" -max_len=300000 -rss_limit_mb=2048 \
	-artifact_prefix="$T/" "$T/corpus" >"$T/log" 2>&1; then
	grep -E "Done [0-9]+ runs" "$T/log" | tail -1
	echo "1 passed, 0 failed"
else
	tail -40 "$T/log"
	mkdir -p build/fuzz-crashes && cp "$T"/crash-* "$T"/leak-* "$T"/timeout-* build/fuzz-crashes/ 2>/dev/null
	echo "0 passed, 1 failed"
	exit 1
fi
