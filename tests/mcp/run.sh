#!/bin/sh
# run.sh: the mcp-target tier (issue 14: many-core processes and parlib).
# Builds the MCP programs (make mcp-progs), boots the target once with
# them copied in, runs tests/mcp/guest.sh (every mcp_test check) and
# counts the "ok NAME" / "FAIL NAME" lines (then tests/mcp/test_ps.py: the
# monitor's ps with an MCP running); a check program that exits
# non-zero without a FAIL line, or never reports "done", is a failure,
# and so is a boot that ends early.  Ends with "N passed, N failed".
set -u
. "$(dirname "$0")/../target/lib.sh"
cd "$ROOT" || exit 1
make --no-print-directory mcp-progs >/dev/null || { echo "FAIL build"; echo "0 passed, 1 failed"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/mcp-target.XXXXXX")
trap 'rm -rf "$W"' EXIT
TESTS="${MCP_TESTS:-basic sum pingpong mutex blockread yield notify preempt preempt-ext preempt-warn notify-offline deny tls fair dbg kill fuzz initrace async-sleep async-futex async-wait async-pipe async-many async-kill async-efault async-fuzz async-notifsoff}"
# shellcheck disable=SC2086
"$RUN" --smp "$SMP" --mem "$MEM" --timeout "${TIMEOUT:-400}" --watchdog \
	--boot-timeout "$BOOT_TIMEOUT" ${QEMU_RUN_ARGS:-} \
	--copy "$ROOT/build/tests/mcp/mcp_test:/tests/mcp/mcp_test" \
	--copy "$ROOT/tests/mcp/guest.sh:/tests/mcp/guest.sh" \
	--exec "MCP_TESTS='$TESTS' sh /tests/mcp/guest.sh" >"$W/out" 2>&1
st=$?
cat "$W/out"
pass=$(grep -c '^ok ' "$W/out")
fail=$(grep -c '^FAIL ' "$W/out")
for t in $TESTS; do
	line=$(grep "^done $t " "$W/out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $t: no result (the boot ended early)"
		fail=$((fail + 1))
	elif [ "${line##* }" != 0 ] && ! grep -q "^FAIL $t" "$W/out"; then
		echo "FAIL $t: exited with status ${line##* } without a FAIL line"
		fail=$((fail + 1))
	fi
done
grep -q '^alive ' "$W/out" || { echo "FAIL alive: the shell did not survive"; fail=$((fail + 1)); }
if [ "$st" != 0 ]; then
	explain_status "$st"
	fail=$((fail + 1))
fi
# The monitor's ps with an MCP running (a second, interactive boot).
ps_out=$(/usr/bin/python3 "$ROOT/tests/mcp/test_ps.py" 2>&1)
echo "$ps_out" | grep -E '^(ok|FAIL) '
ps_line=$(echo "$ps_out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
if [ -z "$ps_line" ]; then
	echo "FAIL ps: test_ps.py ended without a summary"
	fail=$((fail + 1))
else
	pass=$((pass + ${ps_line%% passed*}))
	f=${ps_line#*passed, }
	fail=$((fail + ${f%% failed}))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
