#!/bin/sh
# bench.sh - run the pciids-gen benchmark (called by "make bench").
#
# Model: measure the generator's wall time (best of 3 runs into a scratch
# directory), read the tables' .rodata size with `size -A`, then let
# bench.c measure libpci's memory and both libraries' lookup speed.
B=$1
P=$2
tmp=$B/bench-tmp
mkdir -p "$tmp"
best=
for i in 1 2 3; do
	t0=$(date +%s%N)
	"$B/pciids-gen" -o "$tmp/x" "$P" || exit 1
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
rm -rf "$tmp"
ro=$(size -A "$B/pciids_data.o" | awk '$1 ~ /^\.rodata/ { s += $2 } END { print s }')
exec "$B/bench" "$P" "$ro" "$best"
