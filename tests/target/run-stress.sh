#!/bin/sh
# run-stress.sh: the stress-target tier (issue 3 robustness).  One boot
# runs /tests/stress/run-stress.sh (tests/stress/run-stress.sh) inside the
# guest: SIGKILL in hostile user states, teardown with spinning threads,
# the syscall fuzzer, the malformed-ELF corpus, the fork bomb and
# the memory hog, each followed by a check that the shell still runs
# commands.  The guest script prints "ok stress NAME" / "FAIL stress NAME:
# ..." per test; a test with no line (the boot died or hung) is a failure.
# Ends with "N passed, N failed".
set -u
. "$(dirname "$0")/lib.sh"
TESTS="killable threadexit cowrace sysfuzz execcorpus forkbomb memhog shell-alive"
W=$(mktemp -d "${TMPDIR:-/tmp}/stress-target.XXXXXX")
trap 'rm -rf "$W"' EXIT
target_exec "${TIMEOUT:-600}" "$W/out" "SYSFUZZ_SEED=${SYSFUZZ_SEED:-1} sh /tests/stress/run-stress.sh"
st=$?
cat "$W/out"
pass=0
fail=0
for t in $TESTS; do
	if grep -q "^ok stress $t\$" "$W/out"; then
		pass=$((pass + 1))
	else
		grep -q "^FAIL stress $t" "$W/out" || echo "FAIL stress $t: no result (the boot ended early)"
		fail=$((fail + 1))
	fi
done
if [ "$st" != 0 ]; then
	explain_status "$st"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
