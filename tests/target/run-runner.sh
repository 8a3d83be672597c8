#!/bin/sh
# run-runner.sh: the runner-target tier: acceptance checks of
# tools/qemu-run --exec against the real kernel and /init, one boot per
# check: CPU count through /proc/cpuinfo, a command's exit status, stderr
# and stdout both streamed; without a terminal (stdout a file here) the
# command gets none, like ssh: `ls` prints one name a line, stdin is
# /dev/null, bytes arrive exact; with --tty, or under a pty, it runs on
# the console tty; output is streamed as it is produced (timestamps); a
# hung or spinning command ended by --timeout (124) leaves the kernel
# monitor's ps and every core's backtrace on stderr and in a log file; no
# QEMU outlives a runner ended by SIGTERM, SIGINT or SIGKILL
# (tests/tools/qemu-lifetime); a file put into the boot with --copy; and a
# dynamic program that needs what glibc dlopen()s (--add-program).  If the
# first boot never reaches init, the remaining checks are counted as
# failed without booting.  Ends with "N passed, N failed".
set -u
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/runner-target.XXXXXX")
trap 'rm -rf "$W"' EXIT
export QEMU_RUN_LOGDIR="$W/logs"
pass=0
fail=0
dead=0
nl='
'
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1: $2"
	sed 's/^/    /' "$W/err" 2>/dev/null | tail -n 3
	fail=$((fail + 1))
}
# boot NAME RUNNER-ARGS...: one boot, stdout in $W/out, stderr in $W/err,
# status in $rc; returns 1 (after counting a failure) once a boot has
# never reached init.
boot() {
	n=$1
	shift
	if [ "$dead" = 1 ]; then
		echo "FAIL $n: skipped, the first boot never reached init"
		fail=$((fail + 1))
		return 1
	fi
	# shellcheck disable=SC2086
	"$RUN" --mem "$MEM" --boot-timeout "$BOOT_TIMEOUT" --watchdog ${QEMU_RUN_ARGS:-} "$@" \
		>"$W/out" 2>"$W/err" </dev/null
	rc=$?
	grep -q 'no @@EXEC-BEGIN@@' "$W/err" && dead=1
	return 0
}
# check NAME WANT_STATUS WANT_OUTPUT RUNNER-ARGS... (output without its
# trailing newlines, as $(...) gives it)
check() {
	n=$1 want_rc=$2 want=$3
	shift 3
	boot "$n" "$@" || return
	if [ "$rc" = "$want_rc" ] && [ "$(cat "$W/out")" = "$want" ]; then
		ok "$n"
	else
		bad "$n" "status $rc (want $want_rc), output '$(head -c 200 "$W/out")' (want '$want')"
	fi
}

check cpuinfo-smp4 0 4 --smp 4 --timeout 120 --exec 'grep -c ^processor /proc/cpuinfo'
check exit-7 7 "" --smp 1 --timeout 120 --exec 'exit 7'
check stdout-and-stderr 3 "out${nl}err" --smp 2 --timeout 120 --exec 'echo out; echo err >&2; exit 3'

# No terminal unless asked for: ls into a pipe prints one name a line, no
# fd is a tty, stdin is /dev/null (cat ends at once).
if boot ls-one-name-a-line --smp 1 --timeout 120 --exec 'ls /; echo ==; ls -1 /'; then
	sed '/^==$/,$d' "$W/out" >"$W/a"
	sed '1,/^==$/d' "$W/out" >"$W/b"
	if [ "$rc" = 0 ] && [ -s "$W/a" ] && cmp -s "$W/a" "$W/b"; then
		ok ls-one-name-a-line
	else
		bad ls-one-name-a-line "status $rc, ls / gave '$(head -c 200 "$W/a")'"
	fi
fi
check no-terminal-stdin-null 1 "none${nl}not a tty" --smp 1 --timeout 120 \
	--exec '[ -t 0 ] || [ -t 1 ] || [ -t 2 ] || echo none; cat; tty'
if boot bytes-exact --smp 1 --timeout 120 --exec 'printf "a\r\nb\020\020c\n\033[0m\020"; exit 2'; then
	printf 'a\r\nb\020\020c\n\033[0m\020' >"$W/want"
	if [ "$rc" = 2 ] && cmp -s "$W/want" "$W/out"; then
		ok bytes-exact
	else
		bad bytes-exact "status $rc, got $(od -c "$W/out" | head -3)"
	fi
fi
check tty-forced 6 "tty${nl}rows ok" --smp 1 --timeout 120 --tty \
	--exec '[ -t 0 ] && [ -t 1 ] && echo tty; stty size >/dev/null && echo rows ok; exit 6'
if [ "$dead" = 0 ]; then
	# Under a pty the runner's stdin and stdout are terminals: CMD gets one.
	script -qec "$RUN --smp 1 --timeout 120 --boot-timeout $BOOT_TIMEOUT \
		--exec '[ -t 1 ] && echo tty; ls /; exit 4'" /dev/null </dev/null >"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" = 4 ] && grep -q '^tty' "$W/out" && grep -q '[a-z]   *[a-z]' "$W/out"; then
		ok pty-gets-tty
	else
		bad pty-gets-tty "status $rc, output '$(head -c 300 "$W/out")'"
	fi
fi

# Output is streamed: a line printed before a 4 s sleep arrives well before
# the line printed after it.
if [ "$dead" = 0 ]; then
	"$RUN" --smp 1 --timeout 120 --boot-timeout "$BOOT_TIMEOUT" \
		--exec 'echo a; sleep 4; echo b' 2>"$W/err" </dev/null |
		while IFS= read -r l; do echo "$(date +%s.%N) $l"; done >"$W/times"
	gap=$(awk '$2 == "a" {a = $1} $2 == "b" {b = $1} END {printf "%.1f", b - a}' "$W/times")
	if awk -v g="$gap" 'BEGIN {exit !(g >= 3)}'; then
		ok "streamed (a and b $gap s apart)"
	else
		bad streamed "a and b $gap s apart: $(cat "$W/times")"
	fi
fi

# A timeout leaves a diagnosis: ps and a backtrace of each of the 2 cores.
for what in "hung:sleep 100000" "spinning:while :; do :; done"; do
	n="${what%%:*}-command-timeout-diagnosis"
	rm -rf "$W/logs"
	boot "$n" --smp 2 --timeout 30 --exec "${what#*:}" || continue
	missing=""
	for pat in 'K> ps' 'PID  *PPID' ' init$' 'K> bt$' '#00 \[<' 'CPU 1 backtrace'; do
		grep -q "$pat" "$W/err" || missing="$missing /$pat/"
	done
	log=$(ls "$W"/logs/qemu-run-timeout.*.log 2>/dev/null | head -n 1)
	[ -n "$log" ] && grep -q 'CPU 1 backtrace' "$log" || missing="$missing log-file"
	if [ "$rc" = 124 ] && [ -z "$missing" ]; then
		ok "$n"
	else
		bad "$n" "status $rc (want 124), missing:$missing"
	fi
done

# No QEMU outlives the runner.
for how in term int kill; do
	[ "$dead" = 1 ] && break
	line=$("$ROOT/tests/tools/qemu-lifetime" --settle 3 "$how" --smp 1 --timeout 120 \
		--exec 'sleep 100000' 2>&1 | tail -n 1)
	case $line in
	ok*) ok "${line#ok }" ;;
	*) echo "$line" >"$W/err"; bad "no-qemu-left-after-$how" "see above" ;;
	esac
done

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
	bad dlopen-deps-like-host "cannot compile"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
