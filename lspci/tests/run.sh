#!/bin/sh
# lspci/tests/run.sh - the oracle test: our lspci against Debian's pciutils
# 3.9.0 `lspci` on the same config dumps.
#
# For every dump in tests/dumps/ (captured from QEMU, see gen-dumps.py) and
# tests/synth/ (crafted, see gen-synth.py) and every option set below, the
# standard output and exit status of `build/lspci-asan -F DUMP OPTS` must
# equal those of `lspci -F DUMP -O hwdb.disable=1 OPTS`; any difference
# fails and prints the diff.  Then option and -s/-d syntax errors and
# malformed dumps (messages and status), the #pci backend on a fake #pci
# tree, and a short libFuzzer run.  Last line: "N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
OURS=${OURS:-build/lspci-asan}
REAL=${REAL:-lspci}
pass=0
fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! command -v "$REAL" >/dev/null || ! "$REAL" --version | grep -q '3\.9\.0'; then
	echo "run.sh: needs Debian's pciutils 3.9.0 lspci (tools/install-deps)"
	echo "0 passed, 1 failed"
	exit 1
fi

# compare NAME -- ARGS...: stdout and status of both with the same arguments
compare_dump() {
	dump=$1
	shift
	"$REAL" -F "$dump" -O hwdb.disable=1 "$@" >"$T/want" 2>/dev/null
	ws=$?
	"$OURS" -F "$dump" "$@" >"$T/got" 2>"$T/err"
	gs=$?
	if cmp -s "$T/want" "$T/got" && [ $ws = $gs ]; then
		ok
	else
		bad "$dump $* (status want $ws got $gs)"
		diff "$T/want" "$T/got" | head -20
		head -5 "$T/err"
	fi
}

OPTSETS="
-n
-nn
-v
-vv
-vvv
-nnv
-nvv
-k
-vk
-t
-tv
-tvnn
-m
-mm
-vmm
-nnmm
-vvmm
-b
-bvv
-x
-xxx
-xxxx
-vvxxx
-D
-Dvv
-P
-PPv
-s 1f.2 -vv
-s 00:1f.3
-s 0:0:1.0
-s .0
-s 01:
-s :05
-d 1af4:
-d :1000
-d 8086::0200
-d ::0c03
-d ::01xx -v
-d 1b36:000c:0604
"

for dump in tests/dumps/*.dump tests/synth/*.dump; do
	compare_dump "$dump"
	echo "$OPTSETS" | while IFS= read -r o; do
		[ -n "$o" ] || continue
		# shellcheck disable=SC2086
		echo "$o"
	done >"$T/opts"
	while IFS= read -r o; do
		# shellcheck disable=SC2086
		compare_dump "$dump" $o
	done <"$T/opts"
done

# Errors: message on stderr and exit status, for options and bad syntax.
compare_err() {
	"$REAL" "$@" >"$T/want" 2>"$T/wante"
	ws=$?
	"$OURS" "$@" >"$T/got" 2>"$T/gote"
	gs=$?
	grep -v 'libkmod' "$T/wante" >"$T/wante2"
	if cmp -s "$T/want" "$T/got" && cmp -s "$T/wante2" "$T/gote" && [ $ws = $gs ]; then
		ok
	else
		bad "error case: $* (status want $ws got $gs)"
		diff "$T/wante2" "$T/gote" | head -10
		diff "$T/want" "$T/got" | head -10
	fi
}
D=tests/dumps/q35-default.dump
for args in "--help" "-Z" "-s" "-d" "-g" "-F" "extra" "-v extra" \
	"-s zz" "-s 100:" "-s 1:2:3:4" "-s 0:20" "-s 0.8" "-s 1.2.3" "-s 80000000::" \
	"-s 0123456789012345678901234567890123456789012345678901234567890123" \
	"-d zz" "-d 1" "-d 10000:" "-d :10000" "-d ::g" "-d ::12345" "-d 1:2:3:4:5" \
	"-d 1:2:3:100" "-O foo=1" "-O foo" "-A nosuch" "--version" "-F /nonexistent"; do
	# shellcheck disable=SC2086
	compare_err -F "$D" $args
done

# Malformed dumps: pciutils' messages and status.
printf '00:00.0 x\n00: 86 80 zz\n' >"$T/m1.dump"
printf '00:00.0 x\n00: 86 80' >"$T/m2.dump"
printf '00:00.0 x\n1000: 00\n' >"$T/m3.dump"
printf '00:00.0 x\n00: 868\n' >"$T/m4.dump"
awk 'BEGIN { printf "00:00.0 "; for (i = 0; i < 300; i++) printf "x"; printf "\n" }' >"$T/m5.dump"
printf '00:01.0 x\n00: 86 80 d3 10 03 01 10 00 00 00 00 02 00 00 00 00\n\n00:02.0 y\n00: 86 80 d3 10\n' >"$T/m6.dump"
printf '\n00:00.a x\n0000:00:03.0 y\r\n00: 86 80 00 11\r\n10: ff\n' >"$T/m7.dump"
for m in m1 m2 m3 m4 m5; do
	compare_err -F "$T/$m.dump"
done
for m in m6 m7; do
	for o in "" -vv -x -xxx -m; do
		# shellcheck disable=SC2086
		compare_dump "$T/$m.dump" $o
	done
done

# The #pci backend: a fake #pci tree built from a QEMU dump, with ctl facts.
mkdir -p "$T/root/#pci/pci"
python3 - "$D" "$T/root/#pci/pci" <<'PY'
import re, sys
dev = None
data = {}
for line in open(sys.argv[1]):
    m = re.match(r"([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) ", line)
    if m:
        dev = "%d.%d.%d" % (int(m.group(1), 16), int(m.group(2), 16), int(m.group(3)))
        data[dev] = bytearray()
    elif dev and re.match(r"[0-9a-f]+: ", line):
        data[dev] += bytes(int(x, 16) for x in line.split()[1:])
for name, b in data.items():
    open("%s/%sraw" % (sys.argv[2], name), "wb").write(b)
PY
printf 'irq 22\nbar 0 mem32 0xfeb80000 0x20000\nbar 1 mem32 0xfeba0000 0x20000\nbar 2 io 0xc040 0x20\nbar 3 mem32 0xfebd0000 0x4000\nrom 0xfeb40000 0x40000\ndriver e1000e\n' >"$T/root/#pci/pci/0.2.0ctl"
(cd "$T/root" && "$OLDPWD/$OURS" -vv) >"$T/pci.out" 2>&1
s=$?
for want in "Kernel driver in use: e1000e" "Region 0: Memory at feb80000 (32-bit, non-prefetchable) \[size=128K\]" \
	"Region 2: I/O ports at c040 \[size=32\]" "Expansion ROM at feb40000 \[disabled\] \[size=256K\]" \
	"Interrupt: pin A routed to IRQ 22" "00:1f.2 SATA controller"; do
	if [ $s = 0 ] && grep -q "$want" "$T/pci.out"; then ok; else bad "#pci backend: no '$want'"; fi
done
(cd "$T/root" && "$OLDPWD/$OURS" -xxx) >"$T/pci.hex" 2>&1
"$REAL" -F "$D" -xxx 2>/dev/null >"$T/want.hex"
if cmp -s "$T/pci.hex" "$T/want.hex"; then ok; else bad "#pci backend -xxx differs from the dump"; diff "$T/want.hex" "$T/pci.hex" | head; fi

# libFuzzer on the parser and decoders (FUZZ_TIME seconds), if built.
if [ -x build/fuzz-lspci ]; then
	if tests/fuzz.sh "${FUZZ_TIME:-15}" >"$T/fuzz.log" 2>&1; then ok; else bad "fuzzing"; tail -30 "$T/fuzz.log"; fi
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
