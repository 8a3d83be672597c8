#!/bin/sh
# run-busybox.sh: the busybox-target tier.  Runs the busybox suite
# (tests/busybox/cases, in the initramfs at /tests/busybox) with Debian's
# busybox-static on the host (tests/busybox/host-check.sh, PATH = only
# that busybox's applets) and in one boot on the target (PATH = the
# applet links of the same binary in /usr/bin), then compares every case
# with tests/host-compare.  Ends with "N passed, N failed" (one per case,
# plus one failure if the boot itself failed or timed out).
set -u
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/busybox-target.XXXXXX")
trap 'rm -rf "$W"' EXIT
OUT="$W/host" "$ROOT/tests/busybox/host-check.sh" "${BUSYBOX:-/bin/busybox}" >"$W/host-check" 2>&1
[ -s "$W/host" ] || { cat "$W/host-check"; echo "0 passed, 1 failed"; exit 1; }
target_exec "${TIMEOUT:-900}" "$W/target" \
	"env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin TZ=UTC LC_ALL=C HOME=/ TMPDIR=/tmp sh /tests/busybox/run-cases.sh /tests/busybox/cases"
st=$?
[ -n "${KEEP:-}" ] && cp "$W/host" "$W/target" "$KEEP"
compare_summary "$W/host" "$W/target" "$st"
