#!/bin/sh
# run-progs.sh: the progs-target tier.  Runs every syscall test program
# (tests/progs, built static into build/tests/progs and put into the
# initramfs at /tests/progs) on the host and, in one boot, on the target
# with the same environment, and compares the two outputs program by
# program with tests/host-compare.  Ends with "N passed, N failed" (one per
# program, plus one failure if the boot itself failed or timed out).
set -u
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/progs-target.XXXXXX")
trap 'rm -rf "$W"' EXIT
ENVI="env -i PATH=/usr/bin:/bin TZ=UTC LC_ALL=C"
(cd / && $ENVI "$ROOT/tests/progs/run-all.sh" "$ROOT/build/tests/progs") >"$W/host"
target_exec "${TIMEOUT:-300}" "$W/target" "$ENVI sh /tests/run-progs.sh /tests/progs"
st=$?
[ -n "${KEEP:-}" ] && cp "$W/host" "$W/target" "$KEEP"
compare_summary "$W/host" "$W/target" "$st"
