#!/bin/sh
# run-host.sh DIR: run the syscall test programs on the host twice, check
# that each program passes (exit 0, "N passed, 0 failed") and that the two
# runs are byte-identical (the programs must be deterministic to be
# comparable with a target run).  Ends with "N passed, N failed" counted
# in programs.
set -u
dir=${1:-build/tests/progs}
here=$(dirname "$0")
out=${TMPDIR:-/tmp}/progs-host.$$
mkdir -p "$out"
env -i PATH=/usr/bin:/bin TZ=UTC LC_ALL=C "$here/run-all.sh" "$dir" >"$out/run1"
env -i PATH=/usr/bin:/bin TZ=UTC LC_ALL=C "$here/run-all.sh" "$dir" >"$out/run2"
pass=0
fail=0
for p in "$dir"/*; do
	[ -x "$p" ] || continue
	name=${p##*/}
	block=$(awk -v n="$name" '$0 == "=== " n {on=1; next} /^=== / {on=0} on' "$out/run1")
	if echo "$block" | grep -q '^--- exit 0$' &&
	   echo "$block" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
		pass=$((pass + 1))
		echo "ok $name: $(echo "$block" | grep -E '^[0-9]+ passed')"
	else
		fail=$((fail + 1))
		echo "FAIL $name:"
		echo "$block" | grep -v '^ok '
	fi
done
if ! /usr/bin/python3 "$here/../host-compare" "$out/run1" "$out/run2" >"$out/cmp"; then
	echo "FAIL determinism: two host runs differ"
	cat "$out/cmp"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
	echo "ok determinism"
fi
rm -rf "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
