# shellcheck shell=sh
# lib.sh: shared helpers of the target test tiers (sourced, not run).
# Each tier boots the kernel once with tools/qemu-run --exec, captures the
# command's output, compares it with a host run when there is one, and
# ends with "N passed, N failed".  A boot that fails or hangs is a clean
# failure, never a hang: every boot has --boot-timeout and --timeout, and
# --watchdog, so a lockup or a hung task is reported on the console.
# Knobs (environment): SMP (default 4), MEM (1G), BOOT_TIMEOUT (60 s),
# QEMU_RUN_ARGS (extra runner options, e.g. "--accel kvm").
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN="$ROOT/tools/qemu-run"
SMP=${SMP:-4}
MEM=${MEM:-1G}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}

# target_exec TIMEOUT OUTFILE CMD: run CMD on the target; returns the
# runner's status (CMD's status, 124 timeout, 125 boot/QEMU failure).
target_exec() {
	# shellcheck disable=SC2086
	"$RUN" --smp "$SMP" --mem "$MEM" --timeout "$1" --watchdog \
		--boot-timeout "$BOOT_TIMEOUT" ${QEMU_RUN_ARGS:-} --exec "$3" >"$2"
}

# explain_status STATUS: a failure line for a runner status, or nothing.
explain_status() {
	case "$1" in
	0) ;;
	124) echo "FAIL boot: qemu-run timed out (status 124)" ;;
	125) echo "FAIL boot: the guest never reported the command's status (status 125)" ;;
	*) echo "FAIL boot: the command exited with status $1" ;;
	esac
}

# compare_summary EXPECTED ACTUAL STATUS: diff two block-format runs with
# tests/host-compare and print the final summary, counting a bad runner
# status as one more failure.
compare_summary() {
	cmp_out=$(/usr/bin/python3 "$ROOT/tests/host-compare" --strip-cr "$1" "$2" 2>&1)
	echo "$cmp_out" | grep -Ev '^[0-9]+ passed, [0-9]+ failed$'
	line=$(echo "$cmp_out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed}
	[ -n "$p" ] || { p=0; f=1; }
	if [ "$3" != 0 ]; then
		explain_status "$3"
		f=$((f + 1))
	fi
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ]
}
