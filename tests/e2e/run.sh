#!/bin/sh
# Host-driven end-to-end tests: run the harness's own tests
# (tests/lib/test_*.py, host programs only) and every tests/e2e/test_*.py,
# and sum their "N passed, N failed" lines.
set -u
cd "$(dirname "$0")/../.."
mkdir -p build/test-logs
tp=0
tf=0
for t in tests/lib/test_*.py tests/e2e/test_*.py; do
	echo "--- $t"
	out=$(/usr/bin/python3 "$t" 2>&1)
	echo "$out"
	line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		tf=$((tf + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	tp=$((tp + p))
	tf=$((tf + ${f%% failed}))
done
echo "$tp passed, $tf failed"
[ "$tf" -eq 0 ]
