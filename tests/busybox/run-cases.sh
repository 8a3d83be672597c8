#!/bin/sh
# run-cases.sh [CASEDIR]: run every busybox test case and print one block
# per case:
#   === NAME
#   <stdout and stderr of the case>
#   --- exit N
# Each case (CASEDIR/NAME.sh, default: the cases/ directory next to this
# script) runs as `sh NAME.sh` in a fresh empty directory with stdin from
# /dev/null, umask 022, TZ=UTC, LC_ALL=C and HOME set to that directory,
# under a 120 s timeout.  Meant to run with busybox sh and busybox applets
# first on the PATH, both on the host (tests/busybox/host-check.sh) and on
# the target (/tests/busybox/run-cases.sh), so that tests/host-compare can
# diff the two outputs case by case.  Cases must not print PIDs, times,
# absolute paths or anything else that differs between two runs.
here=$(cd "$(dirname "$0")" && pwd)
cases=${1:-$here/cases}
root=$(mktemp -d "${TMPDIR:-/tmp}/bbsuite.XXXXXX") || exit 1
export TZ=UTC LC_ALL=C LANG=C
umask 022
for c in "$cases"/*.sh; do
	name=${c##*/}
	name=${name%.sh}
	dir=$root/$name
	mkdir -p "$dir"
	# Run a copy next to the case directory so that messages naming the
	# script ("../NAME.sh: line 3: ...") are the same on host and target.
	cp "$c" "$root/$name.sh"
	echo "=== $name"
	(cd "$dir" && HOME=$dir timeout -s KILL 120 sh "../$name.sh" </dev/null 2>&1)
	echo "--- exit $?"
	rm -rf "$dir" "$root/$name.sh"
done
rm -rf "$root"
