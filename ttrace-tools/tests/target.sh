#!/bin/sh
# ttrace-tools/tests/target.sh: the kernel half of the ttrace tier.  Boots
# the kernel once (4 CPUs) running target-run.sh, which records real kernel
# events with the on-target `ttrace` and sends the dumps back through the
# second serial port (tools/qemu-run --serial2 FILE, the documented way to
# get a dump onto the host).  Then checks, with readers nobody shares code
# with: the error answers of #ttrace/ctl; a known program's syscalls in
# order with their arguments and results, its fork/exec/exit and switches
# (target_check.py); a 4-CPU shell workload (check_stream.py: events on
# every CPU, switches chaining, syscalls pairing, monotonic time, no loss);
# exact loss in discard and overwrite mode; `ttrace dump | ttrace-view` on
# the target; and the exports of the real trace in trace-cmd report,
# babeltrace2, Perfetto JSON and headless Chromium.  Prints ok/FAIL lines
# (run.sh folds them into its count); exit status 1 if any failed.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
T=build/ttrace/target-test
H=build/ttrace/host
rm -rf "$T"
mkdir -p "$T"
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
fold() {
	while IFS= read -r line; do
		case "$line" in
		"ok   "*) ok "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		esac
	done
}
have() { command -v "$1" >/dev/null 2>&1; }
fact() { sed -n "s/^T: $1 //p" "$T/console.log" | tr -d '\r' | head -1; }

if ! make -s -C ttrace-tools host target >"$T/build.log" 2>&1 ||
	! gcc -static -O2 -Wall -Wextra -Werror -o "$T/known" ttrace-tools/tests/known.c 2>"$T/build.log"; then
	fail "build ttrace-view and known: $(head -3 "$T/build.log")"
	exit 1
fi
tools/qemu-run --smp 4 --timeout 240 --boot-timeout 120 --serial2 "$T/serial2.bin" \
	--copy "$T/known:/known" --copy ttrace-tools/tests/target-run.sh:/target-run.sh \
	--exec 'sh /target-run.sh' >"$T/console.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] && [ "$(fact drain_rc)" = 0 ] && ok "target run (boot, record, send $(wc -c <"$T/serial2.bin") bytes over ttyS1)" ||
	{ fail "target run: exit $rc"; tail -20 "$T/console.log"; }
mkdir -p "$T/x"
tar xzf "$T/serial2.bin" -C "$T/x" 2>"$T/tar.err" && ok "dumps arrive intact through /dev/ttyS1 (tar.gz)" ||
	fail "serial2 archive: $(head -2 "$T/tar.err")"
D=$T/x/tt

# --- #ttrace/ctl answers -----------------------------------------------------
[ "$(fact ctl_bogus_rc)" = 1 ] && [ "$(fact ctl_badmask_rc)" = 1 ] && [ "$(fact ctl_badsize_rc)" = 1 ] &&
	ok "ctl refuses an unknown command, category and size (EINVAL)" || fail "ctl errors: $(grep 'T: ctl' "$T/console.log")"
fact start_bogus_msg | grep -q 'ctl "mask bogus": Invalid argument' && [ "$(fact start_bogus_rc)" = 1 ] &&
	ok "ttrace start -e bogus: $(fact start_bogus_msg)" || fail "ttrace start -e bogus: $(fact start_bogus_msg)"
[ "$(fact user_stopped_rc)" = 1 ] && [ "$(fact size_running_rc)" = 1 ] &&
	ok "user events refused while stopped; size refused while running" ||
	fail "user while stopped rc $(fact user_stopped_rc), size while running rc $(fact size_running_rc)"

# --- a known program ------------------------------------------------------------
[ "$(fact known_rc)" = 42 ] && [ "$(fact known_out)" = known ] &&
	ok "ttrace record -- known: exit status 42 passed on, program output kept" ||
	fail "record known: rc $(fact known_rc) out $(fact known_out)"
python3 ttrace-tools/tests/target_check.py known "$D/known.tt" >"$T/chk" 2>&1; fold <"$T/chk"

# --- printk, exceptions, a long sendfile ------------------------------------------
set -- $(fact events_rc)
[ "${1:-1}" = 0 ] && [ "${3:-}" = ok ] && [ "${5:-}" = 268435456 ] &&
	ok "record printk, #UD/#BP and a 256 MiB sendfile: $*" || fail "events run: $*"
python3 ttrace-tools/tests/target_check.py events "$D/events.tt" >"$T/chk" 2>&1; fold <"$T/chk"

# --- the workload ---------------------------------------------------------------
[ "$(fact work_rc)" = 0 ] && ok "workload recorded" || fail "workload rc $(fact work_rc)"
python3 ttrace-tools/tests/check_stream.py "$D/work.tt" --no-loss --json "$T/work.facts" >"$T/chk" 2>&1
fold <"$T/chk"
grep -q "^ttrace summary: .* on 4 CPUs over .* 0 lost" "$D/work.summary" && grep -q "^syscall .*p50" "$D/work.summary" &&
	ok "ttrace-view summary on the target: $(head -1 "$D/work.summary")" || fail "target summary: $(head -3 "$D/work.summary")"
[ "$(fact pipe_rc)" = 0 ] && grep -q "user: .*id=7 msg=hello marker" "$D/pipe.txt" &&
	ok "ttrace dump | ttrace-view text on the target shows the emitted marker" || fail "dump | ttrace-view: rc $(fact pipe_rc)"
n=$(grep -c '^cpu[0-3] written [1-9]' "$D/stat.txt")
[ "$n" = 4 ] && ok "ttrace stat: per-CPU streams, all 4 CPUs wrote" || fail "ttrace stat: $(cat "$D/stat.txt")"

set -- $(fact pid_dump_rc)
if [ "${1:-1}" = 0 ] && [ -n "${2:-}" ]; then
	$H/ttrace-view text "$D/pid.tt" >"$T/pid.txt" 2>&1
	sys=$(grep -c ' sys_e[a-z]*: ' "$T/pid.txt")
	other=$(grep ' sys_e[a-z]*: ' "$T/pid.txt" | grep -vc -- "-$2 *\[")
	sw=$(grep -c ' sched_switch: ' "$T/pid.txt")
	swother=$(grep ' sched_switch: ' "$T/pid.txt" | grep -vc ":$2 \[")
	[ "$sys" -gt 0 ] && [ "$other" = 0 ] && [ "$swother" = 0 ] &&
		ok "pid filter: $sys syscall events all of pid $2 (not of its ls child), $sw switches all involving it" ||
		fail "pid filter $2: $sys syscall events, $other of others; $sw switches, $swother without it"
else
	fail "pid-filtered dump: '$*'"
fi

# --- exact loss -------------------------------------------------------------------
for mode in discard overwrite; do
	set -- $(cat "$D/$mode.emit" 2>/dev/null)
	if [ "$(fact ${mode}_dump_rc)" = 0 ] && [ $# -eq 6 ]; then
		python3 ttrace-tools/tests/target_check.py loss "$D/$mode.tt" $mode "$2" "$4" "$D/$mode.stat" >"$T/chk" 2>&1
		fold <"$T/chk"
	else
		fail "$mode: emit '$*', dump rc $(fact ${mode}_dump_rc)"
	fi
done

# --- exports of the real trace, held to other people's tools ----------------------
$H/ttrace-view text "$D/work.tt" >"$T/work.txt" && ok "host ttrace-view text of the kernel trace" || fail "host text"
ws=$(grep -c 'wait_sleep: .*kind=waitq name=child_wait' "$T/work.txt")
ww=$(grep -c 'wait_wake: .*kind=waitq name=' "$T/work.txt")
pf=$(grep -c 'page_fault: ' "$T/work.txt")
[ "$ws" -gt 0 ] && [ "$ww" -gt 0 ] && [ "$pf" -gt 0 ] &&
	ok "workload waits and faults: $ws sleeps on child_wait, $ww named wakes, $pf page faults" ||
	fail "waits/faults: $ws sleeps on child_wait, $ww wakes, $pf faults"
if have trace-cmd; then
	$H/ttrace-view tracedat "$T/work.dat" "$D/work.tt" &&
		trace-cmd report -i "$T/work.dat" >"$T/work.tc" 2>"$T/work.tc.err" &&
		trace-cmd report -N -i "$T/work.dat" >"$T/work.tcN" 2>>"$T/work.tc.err"
	python3 ttrace-tools/tests/compare.py tracecmd "$T/work.txt" "$T/work.tc" "$T/work.tcN" >"$T/chk" 2>&1
	fold <"$T/chk"
else
	fail "trace-cmd not installed (tools/install-deps)"
fi
if have babeltrace2; then
	$H/ttrace-view ctf "$T/work.ctf" "$D/work.tt" && babeltrace2 "$T/work.ctf" >"$T/work.bt" 2>"$T/work.bt.err"
	python3 ttrace-tools/tests/compare.py babeltrace "$T/work.txt" "$T/work.bt" >"$T/chk" 2>&1
	fold <"$T/chk"
else
	fail "babeltrace2 not installed"
fi
$H/ttrace-view perfetto "$D/work.tt" >"$T/work.json"
python3 ttrace-tools/tests/compare.py perfetto "$T/work.json" "$T/work.facts" >"$T/chk" 2>&1
fold <"$T/chk"
$H/ttrace-view html "$D/work.tt" >"$T/work.html"
if have chromium; then
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--dump-dom "file://$ROOT/$T/work.html" >"$T/work.dom" 2>/dev/null
	python3 ttrace-tools/tests/compare.py html "$T/work.dom" "$T/work.facts" >"$T/chk" 2>&1
	fold <"$T/chk"
else
	fail "chromium not installed"
fi
echo "target: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
