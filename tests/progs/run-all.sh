#!/bin/sh
# run-all.sh [DIR]: run every syscall test program in DIR (default
# /tests/progs, the initramfs location) and print one block per program:
#   === NAME
#   <its output>
#   --- exit N
# The same format as tests/busybox/run-cases.sh, so tests/host-compare can
# diff a host run against a target run.  Plain POSIX sh (busybox ash).
dir=${1:-/tests/progs}
for p in "$dir"/*; do
	[ -f "$p" ] && [ -x "$p" ] || continue
	name=${p##*/}
	echo "=== $name"
	"$p" 2>&1
	echo "--- exit $?"
done
