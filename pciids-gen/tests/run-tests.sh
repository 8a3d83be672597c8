#!/bin/sh
# run-tests.sh - run every pciids-gen check and count the results.
#
# Model: each check is one shell command run by "check NAME CMD...": exit
# status 0 is a pass.  Output of a failing check is shown (last 25
# lines).  The last line printed is exactly "N passed, N failed"; the exit
# status is 1 if anything failed.  Run through "make test", which builds
# the binaries first and sets B, CC, KFLAGS, PCIIDS, MAKE and FUZZ_TIME.

B=${B:-build}
T=$B/test
CC=${CC:-gcc}
PCIIDS=${PCIIDS:-/usr/share/misc/pci.ids}
MAKE=${MAKE:-make}
FUZZ_TIME=${FUZZ_TIME:-12}
pass=0
fail=0
LOG=$T/check.log

check() {
	name=$1
	shift
	if "$@" >"$LOG" 2>&1; then
		pass=$((pass + 1))
		echo "PASS $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		tail -n 25 "$LOG" | sed 's/^/    /'
	fi
}

# --- compile checks ------------------------------------------------------
pedantic() {
	for std in c99 c11 gnu11; do
		$CC -std=$std -pedantic -Wall -Wextra -Werror -Iinclude \
			-c "$B/pciids_data.c" -o "$T/ped.o" || return 1
		for f in lib/*.c; do
			$CC -std=$std -pedantic -Wall -Wextra -Werror \
				-Iinclude -c "$f" -o "$T/ped.o" || return 1
		done
	done
	clang -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude \
		-c "$B/pciids_data.c" -o "$T/ped.o"
}
kernel_flags() {
	mkdir -p "$T/kernel"
	for f in lib/*.c "$B/pciids_data.c"; do
		# shellcheck disable=SC2086
		$CC $KFLAGS -Iinclude -c "$f" \
			-o "$T/kernel/$(basename "$f" .c).o" || return 1
	done
	objs="$T/kernel/pciids_data.o"
	for f in lib/*.c; do objs="$objs $T/kernel/$(basename "$f" .c).o"; done
	# shellcheck disable=SC2086
	ld -r -o "$T/kernel/all.o" $objs || return 1
	undef=$(nm -u "$T/kernel/all.o")
	[ -z "$undef" ] || { echo "undefined symbols: $undef"; return 1; }
	# no relocations against data in the tables (offsets, no pointers)
	relocs=$(readelf -r "$T/kernel/pciids_data.o" | grep -c R_X86)
	[ "$relocs" = 0 ] || { echo "$relocs relocations in tables"; return 1; }
}
check "generated code: -pedantic c99/c11/gnu11, gcc and clang" pedantic
check "lib + tables: kernel flags, no undefined symbols/relocs" kernel_flags

# --- oracle against libpci -----------------------------------------------
for cat in vendors devices subsystems classes progifs random truncation \
	requests; do
	check "oracle $cat (real pci.ids, ASan/UBSan)" \
		"$T/oracle-real" "$PCIIDS" $cat
	check "oracle $cat (synthetic corner cases)" \
		"$T/oracle-synth" tests/synth.ids $cat
done
not() { ! "$@"; }
check "oracle notices mismatches (minimal tables must differ)" \
	not "$T/oracle-min" "$PCIIDS" devices

# --- the pciids tool -----------------------------------------------------
tool_vs_lspci() {
	"$T/oracle-real" "$PCIIDS" --queries >"$T/q.txt" &&
	"$T/pciids-real" --batch <"$T/q.txt" >"$T/a.txt" &&
	"$T/oracle-real" "$PCIIDS" --ref-batch <"$T/q.txt" >"$T/b.txt" &&
	[ "$(wc -l <"$T/q.txt")" -gt 10000 ] && cmp "$T/a.txt" "$T/b.txt"
}
tool_synth() {
	printf '%s\n' 0001:0001:0001:0001 0004 '-c 010185' '-nn 0001:0002' \
		0003 >"$T/qs.txt" &&
	"$T/pciids-synth" --batch <"$T/qs.txt" >"$T/a.txt" &&
	"$T/oracle-synth" tests/synth.ids --ref-batch <"$T/qs.txt" \
		>"$T/b.txt" && cmp "$T/a.txt" "$T/b.txt"
}
tool_examples() {
	out=$("$B/pciids" 8086:100e 1af4:1000:1af4:0001 -c 0c0330) &&
	[ "$out" = "Intel Corporation 82540EM Gigabit Ethernet Controller
Red Hat, Inc. Device 0001
USB controller (prog-if 30 [XHCI])" ] &&
	[ "$("$B/pciids" -n 8086:100e)" = "8086:100e" ] &&
	[ "$("$B/pciids" -nn -c 0c03)" = "USB controller [0c03]" ] &&
	[ "$("$B/pciids" 1234:1111)" = "Device 1234:1111" ] &&
	[ "$("$B/pciids" -c 0c42)" = "Serial bus controller [0c42]" ]
}
tool_errors() {
	"$B/pciids" 8086:xyz 2>"$T/err.txt"; [ $? = 1 ] &&
	grep -q "^pciids: bad query '8086:xyz': expected" "$T/err.txt" &&
	{ "$B/pciids" >/dev/null 2>&1; [ $? = 2 ]; } &&
	{ "$B/pciids" -c 0c033 2>/dev/null; [ $? = 1 ]; } &&
	printf '8086\nzz\n8086:100e:1\n-c\n1af4\n' |
		"$B/pciids" --batch >"$T/a.txt" 2>"$T/err.txt"
	[ $? = 1 ] && [ "$(wc -l <"$T/a.txt")" = 5 ] &&
	[ "$(grep -c 'bad query' "$T/err.txt")" = 3 ]
}
tool_small_tables() {
	[ "$("$T/pciids-min" 8086:100e)" = \
		"Intel Corporation Device 100e" ] &&
	[ "$("$T/pciids-min" -c 0c0330)" = \
		"USB controller (prog-if 30 [XHCI])" ] &&
	[ "$("$T/pciids-nosub" 8086:100e)" = \
		"Intel Corporation 82540EM Gigabit Ethernet Controller" ] &&
	[ "$("$T/pciids-nosub" 1af4:1000:1af4:0001)" = \
		"Red Hat, Inc. Device 0001" ]
}
check "pciids --batch == libpci rendering (>10000 queries)" tool_vs_lspci
check "pciids on synthetic file == libpci rendering" tool_synth
check "pciids examples from the issue" tool_examples
check "pciids bad queries: message, status, batch alignment" tool_errors
check "--minimal and --no-subsystems tables" tool_small_tables
check "static target build (gcc -static) runs" sh -c \
	"$MAKE -s B='$B' PCIIDS='$PCIIDS' static && \
	[ \"\$('$B/pciids-static' 8086)\" = 'Intel Corporation' ]"

# --- malformed input -----------------------------------------------------
corpus_one() {
	f=$1
	want="$f:$(sed -n '1s/^# expect: //p' "$f")"
	rm -rf "$T/out" && mkdir -p "$T/out" &&
	echo old >"$T/out/x.c" && echo old >"$T/out/x.h"
	"$T/pciids-gen" -o "$T/out/x" "$f" 2>"$T/err.txt"
	st=$?
	got=$(cat "$T/err.txt")
	[ $st = 1 ] || { echo "exit status $st"; return 1; }
	[ "$got" = "$want" ] || { echo "want: $want"; echo "got:  $got"; \
		return 1; }
	# outputs untouched, no temporaries left
	[ "$(cat "$T/out/x.c" "$T/out/x.h")" = "old
old" ] && [ "$(ls "$T/out" | wc -l)" = 2 ]
}
for f in tests/corpus/*.ids; do
	check "malformed: $(basename "$f")" corpus_one "$f"
done
unwritable() {
	rm -rf "$T/ro" && mkdir -p "$T/ro" || return 1
	! "$T/pciids-gen" -o "$T/ro/missing/x" tests/synth.ids \
		2>"$T/err.txt" && grep -q "writing" "$T/err.txt" &&
	[ -z "$(ls -A "$T/ro")" ] || return 1
	chmod 555 "$T/ro"
	[ -w "$T/ro" ] && return 0	# root writes anyway: nothing more to test
	! "$T/pciids-gen" -o "$T/ro/x" tests/synth.ids 2>/dev/null &&
	[ -z "$(ls -A "$T/ro")" ]
}
check "unwritable/missing output dir: fails, leaves nothing" unwritable
check "missing input file: exit 1" sh -c \
	"! '$T/pciids-gen' -o '$T/x' /nonexistent/pci.ids 2>/dev/null"

# --- fuzzing -------------------------------------------------------------
fuzz_run() {
	rm -rf "$T/corpus-$1" && mkdir -p "$T/corpus-$1" || return 1
	[ "$1" = parse ] && cp tests/synth.ids tests/corpus/*.ids \
		"$T/corpus-$1/"
	"$T/fuzz_$1" -max_total_time="$FUZZ_TIME" -max_len=4096 \
		"$T/corpus-$1" >"$T/fuzz-$1.log" 2>&1
	st=$?
	tail -n 3 "$T/fuzz-$1.log"
	[ $st = 0 ] && ! grep -q -E 'ERROR: |SUMMARY: ' "$T/fuzz-$1.log"
}
check "fuzz generator parser ${FUZZ_TIME}s (libFuzzer+ASan+UBSan)" \
	fuzz_run parse
check "fuzz lookups/queries ${FUZZ_TIME}s (libFuzzer+ASan+UBSan)" \
	fuzz_run format

# --- build system --------------------------------------------------------
regen() {
	R=$T/regen
	rm -rf "$R" && mkdir -p "$R" && cp tests/synth.ids "$R/in.ids" &&
	$MAKE -s B="$R/b" PCIIDS="$(pwd)/$R/in.ids" >/dev/null &&
	[ "$("$R/b/pciids" fffe:0001)" = \
		"Vendor after the classes Its device" ] &&
	sleep 1 && printf 'fffd  Added vendor\n' >>"$R/in.ids" &&
	$MAKE -s B="$R/b" PCIIDS="$(pwd)/$R/in.ids" >/dev/null &&
	[ "$("$R/b/pciids" fffd)" = "Added vendor" ] &&
	cp tests/synth.ids "$R/other.ids" && touch -d '2001-01-01' \
		"$R/other.ids" && printf 'fffc  Other file\n' >>"$R/o2.ids" &&
	cat "$R/other.ids" "$R/o2.ids" >"$R/old.ids" &&
	touch -d '2001-01-01' "$R/old.ids" &&
	$MAKE -s B="$R/b" PCIIDS="$(pwd)/$R/old.ids" >/dev/null &&
	[ "$("$R/b/pciids" fffc)" = "Other file" ]
}
check "make regenerates on input change / older PCIIDS=path" regen
check "cppcheck clean" cppcheck --error-exitcode=1 --quiet \
	--enable=warning,portability --std=c11 -Iinclude -Ilib -Igen -Itool \
	--suppress=missingIncludeSystem lib gen tool tests bench

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
