#!/bin/sh
# ttrace-tools/bench/kernel.sh: the cost of the kernel's tracepoints (part of
# `make bench`).  Three figures:
#  - disabled: the instructions of each inlined tracepoint test in
#    syscall_dispatch (load of ttrace_mask, test, not-taken branch), counted
#    in build/kernel.elf's disassembly;
#  - enabled, in guest instructions per event (the stable figure under TCG):
#    QEMU with -icount shift=0 advances the guest clock 1 ns per
#    instruction, so a getppid() loop timed in the guest with tracing of
#    syscalls on and off (2 events per call) gives instructions per event;
#  - enabled, wall clock under TCG: ns per event and events per second.
# Ends with "N passed, N failed" (aims: disabled <= 4 instructions; every
# event of the loop recorded).  Usage: kernel.sh [CALLS]
set -u
cd "$(dirname "$0")/../.."
OUT=build/ttrace/bench
N=${1:-20000}
mkdir -p "$OUT"
p=0; f=0
ok() { echo "ok   $*"; p=$((p + 1)); }
bad() { echo "FAIL $*"; f=$((f + 1)); }

gcc -static -O2 -Wall -Wextra -Werror -o "$OUT/sysloop" ttrace-tools/bench/sysloop.c || {
	echo "0 passed, 1 failed"; exit 1; }

# Disabled: at each inlined test of ttrace_mask, the load, the test and the
# conditional branch (instructions the compiler schedules in between belong
# to the surrounding code).  "N:M": N instructions, M in the span.
objdump -d --no-show-raw-insn build/kernel.elf | awk '
	/^[0-9a-f]+ <syscall_dispatch>:/ { on = 1; next }
	on && /^$/ { exit }
	on && /ttrace_mask/ { n = 1; span = 1; next }
	on && n { span++; if ($2 == "test") n++
		if ($2 ~ /^j/ && $2 != "jmp") { print n + 1 ":" span; n = 0 } }' >"$OUT/disabled.txt"
d=$(cut -d: -f1 "$OUT/disabled.txt" | sort -n | tail -1)
sites=$(wc -l <"$OUT/disabled.txt")
if [ -n "$d" ] && [ "$sites" -ge 2 ] && [ "$d" -le 4 ]; then
	ok "tracepoint disabled: $d instructions (load ttrace_mask, test, branch) at each of the $sites inlined syscall tracepoint sites (spans: $(cut -d: -f2 "$OUT/disabled.txt" | tr '\n' ' '))"
else
	bad "disabled tracepoints: $(tr '\n' ' ' <"$OUT/disabled.txt")"
fi

SCRIPT="sysloop $N; sysloop $N; ttrace start -e syscall -m overwrite -s 4M; sysloop $N; ttrace stop; ttrace stat"
# One boot per clock: wall-clock TCG, then icount (instructions).
printf '#!/bin/sh\nexec qemu-system-x86_64 "$@" -icount shift=0\n' >"$OUT/qemu-icount"
chmod +x "$OUT/qemu-icount"
tools/qemu-run --smp 1 --timeout 300 --copy "$OUT/sysloop:/usr/bin/sysloop" --exec "$SCRIPT" \
	>"$OUT/wall.log" 2>&1
QEMU=$PWD/$OUT/qemu-icount tools/qemu-run --smp 1 --timeout 600 \
	--copy "$OUT/sysloop:/usr/bin/sysloop" --exec "$SCRIPT" >"$OUT/icount.log" 2>&1

# Per log: baseline ns/call (second untraced run), traced ns/call, events written.
figures() {
	off=$(sed -n 's/^sysloop .* \([0-9.]*\) ns\/call.*/\1/p' "$1" | sed -n 2p)
	on=$(sed -n 's/^sysloop .* \([0-9.]*\) ns\/call.*/\1/p' "$1" | sed -n 3p)
	ev=$(sed -n 's/^cpu0 written \([0-9]*\) lost \([0-9]*\).*/\1 \2/p' "$1")
}
figures "$OUT/wall.log"
if [ -n "$off" ] && [ -n "$on" ]; then
	echo "wall clock (TCG, 1 CPU): getppid $off ns untraced, $on ns traced (2 events per call)"
	awk "BEGIN{printf \"  enabled: %.0f ns per event, %.0f events/s while tracing the loop\n\", ($on-$off)/2, 2e9/$on}"
	set -- $ev
	[ "${1:-0}" -ge $((2 * N)) ] && [ "${2:-1}" -eq 0 ] &&
		ok "every event of the loop recorded ($1 written, 0 lost)" || bad "events: '$ev'"
else
	bad "wall-clock run: $(tail -5 "$OUT/wall.log")"
fi
figures "$OUT/icount.log"
if [ -n "$off" ] && [ -n "$on" ]; then
	echo "guest instructions (-icount shift=0): getppid $off untraced, $on traced"
	awk "BEGIN{printf \"  enabled: %.0f guest instructions per event (syscall enter/exit records)\n\", ($on-$off)/2}"
	ok "icount measurement"
else
	bad "icount run: $(tail -5 "$OUT/icount.log")"
fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
