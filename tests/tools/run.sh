#!/bin/sh
# run.sh: the `tools` test tier: host tests of tools/mkinitramfs and
# tools/mkiso and tools/qemu-run (none needs a kernel).  Prints each script's output
# and one final "N passed, N failed" summing their summaries.
set -u
cd "$(dirname "$0")/../.." || exit 1
pass=0
fail=0
for t in tests/tools/test_mkinitramfs.sh tests/tools/test_mkiso.sh tests/tools/test_qemu_run.sh; do
	echo "--- $t"
	out=$("$t" 2>&1)
	echo "$out"
	line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $t: no summary line"
		fail=$((fail + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	pass=$((pass + p))
	fail=$((fail + ${f%% failed}))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
