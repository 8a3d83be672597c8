#!/bin/sh
# ttrace-tools/tests/run.sh: the ttrace tools tier.  Builds ttrace-view
# (host and static target), the generator and the fuzz harness; makes
# realistic streams through the real ring-buffer code (4 CPUs; one without
# loss, one with a small discard-mode ring on CPU 2); checks them with an
# independent reader (check_stream.py); then holds every export to a tool
# nobody here wrote: trace-cmd report (tracedat), babeltrace2 (ctf),
# KernelShark under Xvfb (screenshot), headless Chromium (html: DOM and
# screenshot), Python's json (perfetto); drives the tui in tmux; feeds
# truncated and corrupt streams (clear error, no crash) and fuzzes the
# reader for FUZZ_SECONDS (default 20); then target.sh boots the kernel once
# and checks real kernel events and their exports.  Artifacts stay in
# build/ttrace/test and build/ttrace/target-test.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
T=build/ttrace/test
H=build/ttrace/host
mkdir -p "$T"
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
# Fold a checker's ok/FAIL lines into the counts.
fold() {
	while IFS= read -r line; do
		case "$line" in
		"ok   "*) ok "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done
}
have() { command -v "$1" >/dev/null 2>&1; }

if ! make -s -C ttrace-tools host target fuzz >"$T/build.log" 2>&1; then
	cat "$T/build.log"
	fail "build"
	echo "$passed passed, $failed failed"
	exit 1
fi
ok "build (host, static target, fuzz)"

# --- streams and their structure ---------------------------------------
$H/ttrace-gen -c 4 -n 20000 >"$T/g.tt" 2>"$T/g.gen" || fail "generator"
$H/ttrace-gen -c 4 -n 20000 -s 7 --lossy 2 >"$T/l.tt" 2>"$T/l.gen" || fail "lossy generator"
python3 ttrace-tools/tests/check_stream.py "$T/g.tt" --no-loss --json "$T/g.facts" >"$T/chk" 2>&1
fold <"$T/chk"
python3 ttrace-tools/tests/check_stream.py "$T/l.tt" --json "$T/l.facts" >"$T/chk" 2>&1
fold <"$T/chk"
# Exact loss: what the simulation emitted = what the rings kept + what they counted lost.
set -- $(sed -n 's/.*attempted=\([0-9]*\) written=\([0-9]*\) lost=\([0-9]*\)/\1 \2 \3/p' "$T/l.gen")
if [ $# -eq 3 ] && [ "$3" -gt 0 ] && [ $(($2 + $3)) -eq "$1" ] &&
	grep -q "\"lost\": $3," "$T/l.facts"; then
	ok "discard-mode loss exact: $1 emitted = $2 kept + $3 lost, all marked in the stream"
else
	fail "discard-mode loss: gen says '$(cat "$T/l.gen")'"
fi

# --- text and summary ----------------------------------------------------
$H/ttrace-view text "$T/g.tt" >"$T/g.txt" && ok "text" || fail "text"
n=$(($(wc -l <"$T/g.txt") - 1))
grep -q "\"events\": $n," "$T/g.facts" && ok "text prints every event ($n)" || fail "text has $n lines"
$H/ttrace-view text <"$T/g.tt" | cmp -s - "$T/g.txt" && ok "text from stdin" || fail "text from stdin"
build/ttrace/target/ttrace-view text "$T/g.tt" | cmp -s - "$T/g.txt" &&
	ok "static target build prints the same" || fail "static target build differs"
$H/ttrace-view summary "$T/l.tt" >"$T/l.summary"
lost=$(sed -n 's/.*"lost": \([0-9]*\),.*/\1/p' "$T/l.facts")
if grep -q "^ttrace summary: .* $lost lost" "$T/l.summary" && grep -q "^  2 .* $lost/$lost" "$T/l.summary" &&
	grep -q "^syscall .*p50" "$T/l.summary" && grep -q "^wait object" "$T/l.summary"; then
	ok "summary: per-CPU table, syscall latencies, waits, $lost lost on CPU 2"
else
	fail "summary"; cat "$T/l.summary" | head -20
fi

# --- tracedat: trace-cmd report and KernelShark -------------------------
if have trace-cmd; then
	$H/ttrace-view tracedat "$T/g.dat" "$T/g.tt" && ok "tracedat export" || fail "tracedat export"
	trace-cmd report -i "$T/g.dat" >"$T/g.tc" 2>"$T/g.tc.err"
	trace-cmd report -N -i "$T/g.dat" >"$T/g.tcN" 2>>"$T/g.tc.err"
	python3 ttrace-tools/tests/compare.py tracecmd "$T/g.txt" "$T/g.tc" "$T/g.tcN" >"$T/chk" 2>&1
	fold <"$T/chk"
	$H/ttrace-view text "$T/l.tt" >"$T/l.txt"
	$H/ttrace-view tracedat "$T/l.dat" "$T/l.tt"
	trace-cmd report -i "$T/l.dat" >"$T/l.tc" 2>/dev/null
	trace-cmd report -N -i "$T/l.dat" >"$T/l.tcN" 2>/dev/null
	python3 ttrace-tools/tests/compare.py tracecmd "$T/l.txt" "$T/l.tc" "$T/l.tcN" >"$T/chk" 2>&1
	fold <"$T/chk"
else
	fail "trace-cmd not installed (tools/install-deps)"
fi
if have kernelshark && have xvfb-run; then
	# KernelShark runs unprivileged: give it a copy it can surely read.
	KD=$(mktemp -d /tmp/ttrace-ks.XXXXXX)
	chmod 755 "$KD" && cp "$T/g.dat" "$KD/g.dat" && chmod 644 "$KD/g.dat"
	rm -f "$T/kernelshark.png" "$T/kernelshark.windows"
	xvfb-run -a -s "-ac -screen 0 1400x900x24" sh ttrace-tools/tests/kernelshark-shot.sh \
		"$KD/g.dat" "$ROOT/$T/kernelshark" >/dev/null 2>&1
	rm -rf "$KD"
	if grep -q "Kernel Shark ($KD/g.dat)" "$T/kernelshark.windows" 2>/dev/null &&
		[ -s "$T/kernelshark.png" ] && ! grep -qi "error\|fail.*load" "$T/kernelshark.log"; then
		ok "KernelShark opens the tracedat under Xvfb (screenshot $T/kernelshark.png)"
	else
		fail "KernelShark: $(cat "$T/kernelshark.windows" "$T/kernelshark.log" 2>/dev/null | head -5)"
	fi
else
	fail "kernelshark or xvfb-run not installed"
fi

# --- ctf: babeltrace2 ------------------------------------------------------
if have babeltrace2; then
	rm -rf "$T/g.ctf"
	$H/ttrace-view ctf "$T/g.ctf" "$T/g.tt" && ok "ctf export" || fail "ctf export"
	babeltrace2 "$T/g.ctf" >"$T/g.bt" 2>"$T/g.bt.err" && ok "babeltrace2 reads the CTF" ||
		{ fail "babeltrace2: $(head -3 "$T/g.bt.err")"; }
	python3 ttrace-tools/tests/compare.py babeltrace "$T/g.txt" "$T/g.bt" >"$T/chk" 2>&1
	fold <"$T/chk"
	rm -rf "$T/l.ctf"
	$H/ttrace-view ctf "$T/l.ctf" "$T/l.tt" && babeltrace2 "$T/l.ctf" >"$T/l.bt" 2>/dev/null
	python3 ttrace-tools/tests/compare.py babeltrace "$T/l.txt" "$T/l.bt" >"$T/chk" 2>&1
	fold <"$T/chk"
	grep -q 'sched_switch: .*prev_tid = ' "$T/g.bt" && grep -q 'syscall_entry_read: ' "$T/g.bt" &&
		grep -q 'syscall_exit_read: .*ret = ' "$T/g.bt" &&
		ok "LTTng kernel event and field names (sched_switch prev_tid, syscall_entry_read, ret)" ||
		fail "LTTng names in the CTF"
else
	fail "babeltrace2 not installed"
fi

# --- perfetto: JSON --------------------------------------------------------
$H/ttrace-view perfetto "$T/g.tt" >"$T/g.json" && ok "perfetto export" || fail "perfetto export"
python3 ttrace-tools/tests/compare.py perfetto "$T/g.json" "$T/g.facts" >"$T/chk" 2>&1
fold <"$T/chk"

# --- html: headless Chromium ----------------------------------------------
$H/ttrace-view html "$T/g.tt" >"$T/g.html" && ok "html export" || fail "html export"
if grep -q '<script src\|<link \|https\?://' "$T/g.html"; then
	fail "html refers to something outside the file"
else
	ok "html is self-contained"
fi
if have chromium; then
	CH="chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --window-size=1400,1000"
	timeout 60 $CH --dump-dom "file://$ROOT/$T/g.html" >"$T/g.dom" 2>/dev/null
	python3 ttrace-tools/tests/compare.py html "$T/g.dom" "$T/g.facts" >"$T/chk" 2>&1
	fold <"$T/chk"
	rm -f "$T/html.png"
	timeout 60 $CH --screenshot="$ROOT/$T/html.png" "file://$ROOT/$T/g.html" >/dev/null 2>&1
	[ -s "$T/html.png" ] && ok "html screenshot ($T/html.png)" || fail "html screenshot"
else
	fail "chromium not installed"
fi

# --- tui: tmux -------------------------------------------------------------
if have tmux; then
	S=ttrace-tui-$$
	tmux new-session -d -s "$S" -x 120 -y 30 "TERM=xterm $H/ttrace-view tui $T/g.tt; echo TUI-EXIT=\$?; sleep 5"
	sleep 1
	tmux send-keys -t "$S" + + n
	sleep 0.5
	tmux capture-pane -t "$S" -p >"$T/tui.screen"
	tmux send-keys -t "$S" f 1 0 2 Enter
	sleep 0.5
	tmux capture-pane -t "$S" -p >"$T/tui-filter.screen"
	tmux send-keys -t "$S" q
	sleep 0.5
	tmux capture-pane -t "$S" -p >"$T/tui-exit.screen"
	tmux kill-session -t "$S" 2>/dev/null
	if grep -q "^CPU0  |" "$T/tui.screen" && grep -q "^CPU3  |" "$T/tui.screen" &&
		grep -q "cursor " "$T/tui.screen" && grep -q "filter:pid 102" "$T/tui-filter.screen" &&
		grep -q "TUI-EXIT=0" "$T/tui-exit.screen"; then
		ok "tui: 4 CPU lanes, zoom, jump, filter by pid, quit"
	else
		fail "tui"; cat "$T/tui.screen" "$T/tui-filter.screen" "$T/tui-exit.screen"
	fi
else
	fail "tmux not installed"
fi

# --- malformed streams: clear error, never a crash ------------------------
size=$(wc -c <"$T/g.tt")
bad=0
for cut in 0 5 63 64 70 100 1000 $((size / 2)) $((size - 8)) $((size - 1)); do
	head -c "$cut" "$T/g.tt" >"$T/cut.tt"
	$H/ttrace-view summary "$T/cut.tt" >/dev/null 2>"$T/cut.err"
	rc=$?
	if [ "$rc" -ne 1 ] || ! grep -q "^ttrace-view: .*: offset [0-9]*: " "$T/cut.err"; then
		bad=$((bad + 1)); echo "  cut at $cut: exit $rc: $(cat "$T/cut.err")"
	fi
done
[ $bad -eq 0 ] && ok "truncated streams (10 cuts): exit 1 with 'FILE: offset N: ...'" ||
	fail "$bad truncated streams mishandled"
# A record whose length byte says 0, and one that claims to run past the end.
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[64+1]=0; open(sys.argv[2],"wb").write(d)' \
	"$T/g.tt" "$T/corrupt.tt"
$H/ttrace-view text "$T/corrupt.tt" >/dev/null 2>"$T/corrupt.err"
[ $? -eq 1 ] && grep -q "offset 64: record length 0 too small" "$T/corrupt.err" &&
	ok "corrupt record length: $(cat "$T/corrupt.err")" || fail "corrupt record: $(cat "$T/corrupt.err")"
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[-24+1]=200; open(sys.argv[2],"wb").write(d)' \
	"$T/g.tt" "$T/corrupt2.tt"
$H/ttrace-view text "$T/corrupt2.tt" >/dev/null 2>"$T/corrupt2.err"
[ $? -eq 1 ] && grep -q "truncated record" "$T/corrupt2.err" &&
	ok "record past the end: $(cat "$T/corrupt2.err")" || fail "record past the end: $(cat "$T/corrupt2.err")"
echo "not a trace" | $H/ttrace-view text >/dev/null 2>"$T/magic.err"
[ $? -eq 1 ] && grep -q "not a ttrace stream" "$T/magic.err" && ok "bad magic" || fail "bad magic"

# --- fuzz ------------------------------------------------------------------
F=build/ttrace/fuzz
mkdir -p "$F/corpus"
$H/ttrace-gen -c 2 -n 150 >"$F/corpus/small.tt" 2>/dev/null
$H/ttrace-gen -c 3 -n 150 -s 3 --lossy 1 >"$F/corpus/lossy.tt" 2>/dev/null
if (cd "$F" && ./fuzz_stream -max_total_time="${FUZZ_SECONDS:-20}" -rss_limit_mb=2048 \
	-print_final_stats=1 corpus >fuzz.log 2>&1); then
	ok "fuzzed the stream reader and formats for ${FUZZ_SECONDS:-20} s ($(grep -o 'number_of_executed_units: [0-9]*' "$F/fuzz.log" | awk '{print $2}') runs)"
else
	fail "fuzz: $(grep -m3 'ERROR\|runtime error\|SUMMARY' "$F/fuzz.log")"
fi

# --- the kernel: real events on the target (one boot) ----------------------
if [ -f build/kernel.bin ] && [ -f build/initramfs.cpio ]; then
	sh ttrace-tools/tests/target.sh >"$T/target.log" 2>&1
	fold <"$T/target.log"
else
	fail "kernel not built (make kernel): the target checks need it"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
