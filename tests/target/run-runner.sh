#!/bin/sh
# run-runner.sh: the runner-target tier: issue 3's acceptance checks of
# tools/qemu-run --exec against the real kernel, one boot per check:
# CPU count through /proc/cpuinfo, a command's exit status, stderr and
# stdout both streamed, a hung command ended by --timeout (124), a
# file put into the boot with --copy, and a dynamic program that needs
# what glibc dlopen()s (--add-program).  If the first boot never reaches
# init, the remaining checks are counted as failed without booting.
# Ends with "N passed, N failed".
set -u
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/runner-target.XXXXXX")
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
dead=0
# check NAME WANT_STATUS WANT_OUTPUT RUNNER-ARGS...
check() {
	n=$1 want_rc=$2 want=$3
	shift 3
	if [ "$dead" = 1 ]; then
		echo "FAIL $n: skipped, the first boot never reached init"
		fail=$((fail + 1))
		return
	fi
	# shellcheck disable=SC2086
	"$RUN" --mem "$MEM" --boot-timeout "$BOOT_TIMEOUT" ${QEMU_RUN_ARGS:-} "$@" \
		>"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" = "$want_rc" ] && [ "$(cat "$W/out")" = "$want" ]; then
		echo "ok $n"
		pass=$((pass + 1))
		return
	fi
	echo "FAIL $n: status $rc (want $want_rc), output '$(head -c 200 "$W/out")' (want '$want')"
	sed 's/^/    /' "$W/err" | tail -n 3
	fail=$((fail + 1))
	grep -q 'no @@EXEC-BEGIN@@' "$W/err" && dead=1
}
check cpuinfo-smp4 0 4 --smp 4 --timeout 120 --exec 'grep -c ^processor /proc/cpuinfo'
check exit-7 7 "" --smp 1 --timeout 120 --exec 'exit 7'
check stdout-and-stderr 3 "out
err" --smp 2 --timeout 120 --exec 'echo out; echo err >&2; exit 3'
check hung-command-timeout 124 "" --smp 1 --timeout 30 --exec 'sleep 100000'
echo "copied file $$" >"$W/hostfile"
check copy-file 0 "copied file $$" --smp 1 --timeout 120 --copy "$W/hostfile:/root/f" \
	--exec 'cat /root/f'
# A dynamic program needing what glibc dlopen()s (libgcc_s for
# pthread_cancel, NSS, gconv): same output as on the host.
if gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$W/dlopen-deps" \
		"$ROOT/tests/tools/dlopen-deps.c" 2>"$W/err"; then
	check dlopen-deps-like-host 0 "$("$W/dlopen-deps" 2>&1)" --smp 2 --timeout 120 \
		--add-program "$W/dlopen-deps" --exec "$W/dlopen-deps 2>&1"
else
	echo "FAIL dlopen-deps-like-host: cannot compile: $(cat "$W/err")"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
