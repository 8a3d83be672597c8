#!/bin/sh
# host-check.sh [BUSYBOX]: run the busybox suite twice on the host with
# the given busybox binary (default /bin/busybox, Debian's busybox-static)
# in a clean environment whose PATH holds only links to that binary's
# applets, check that the two runs are identical (every case must be
# deterministic), list the applets the cases use, and print
# "N passed, N failed" (cases that matched between the two runs).
# With OUT=FILE the first run is kept as the host reference output.
set -u
bb=${1:-/bin/busybox}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bbhost.XXXXXX") || exit 1
mkdir "$work/bin"
for a in $("$bb" --list); do
	ln -s "$bb" "$work/bin/$a"
done
run() {
	env -i PATH="$work/bin" TZ=UTC LC_ALL=C HOME=/ TMPDIR=/tmp \
		"$work/bin/sh" "$here/run-cases.sh" "$here/cases"
}
run >"$work/run1"
run >"$work/run2"
"$bb" --list >"$work/list"
used=$(cat "$here"/cases/*.sh | tr -cs 'a-z0-9_-' '\n' | sort -u |
	grep -Fx -f "$work/list")
echo "applets used ($(echo "$used" | wc -l)): $(echo $used)"
grep -c '^=== ' "$work/run1" | sed 's/^/cases: /'
if [ -n "${OUT:-}" ]; then
	cp "$work/run1" "$OUT"
fi
/usr/bin/python3 "$here/../host-compare" --quiet "$work/run1" "$work/run2"
rc=$?
rm -rf "$work"
exit $rc
