#!/bin/sh
# run.sh: build every tests/unit/test_*.c against the arch-independent
# kernel sources it names (a "// SOURCES: file ..." line in the test) with
# ASan+UBSan, run it, and sum the per-program counts into one final
# "N passed, N failed" line.  Exit status is nonzero if anything failed.
# Tests are built and run two at a time (UNIT_JOBS; the machine has two
# cores), each into its own log; the results are then read in name order.
set -u
cd "$(dirname "$0")/../.."
OUT=build/unit
mkdir -p "$OUT"
export OUT
export CFLAGS="-std=gnu11 -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer
	-fno-sanitize-recover=undefined -Wall -Wextra -Werror -Wno-unused-parameter
	-Wno-unused-function -Wno-format -DHOST_UNIT_TEST -Ikernel/include -Itests/unit"

# one TEST.c: build and run it; leaves $OUT/NAME.rc (build failure: "build").
one() {
	name=$(basename "$1" .c)
	srcs=$(sed -n 's|^// SOURCES:||p' "$1")
	rm -f "$OUT/$name.rc"
	# shellcheck disable=SC2086
	if ! gcc $CFLAGS -o "$OUT/$name" "$1" $srcs 2>"$OUT/$name.build.log"; then
		echo build >"$OUT/$name.rc"
		return
	fi
	"$OUT/$name" >"$OUT/$name.log" 2>&1
	echo $? >"$OUT/$name.rc"
}

if [ "${1:-}" = --one ]; then
	one "$2"
	exit 0
fi
ls tests/unit/test_*.c | xargs -P "${UNIT_JOBS:-2}" -n 1 sh "$0" --one

total_p=0
total_f=0
for t in tests/unit/test_*.c; do
	name=$(basename "$t" .c)
	rc=$(cat "$OUT/$name.rc" 2>/dev/null || echo missing)
	if [ "$rc" = build ] || [ "$rc" = missing ]; then
		echo "$name: BUILD FAILED"
		cat "$OUT/$name.build.log" 2>/dev/null
		total_f=$((total_f + 1))
		continue
	fi
	line=$(tail -n 1 "$OUT/$name.log")
	p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ] || { [ "$rc" -ne 0 ] && [ "$f" = 0 ]; }; then
		echo "$name: crashed or no summary (exit $rc)"
		cat "$OUT/$name.log"
		total_f=$((total_f + 1))
		continue
	fi
	[ "$f" -ne 0 ] && grep '^FAIL' "$OUT/$name.log"
	echo "$name: $line"
	total_p=$((total_p + p))
	total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
