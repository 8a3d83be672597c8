#!/bin/sh
# test_qemu_run.sh: host tests of tools/qemu-run that need no kernel.
# QEMU=tests/tools/fake-qemu replaces the emulator (it plays our /init's
# exec protocol with the host's /bin/sh) and QEMU_RUN_MKINITRAMFS points
# at a wrapper that runs the real tools/mkinitramfs without the base image
# (which needs a full build).  Checks option parsing, the generated QEMU
# command line, marker filtering (tty \r\n, byte-exact pipe data with
# DLE doubling, markers split across writes), output streamed as it comes,
# the terminal choice (--tty/--no-tty, a pty), exit statuses (command
# status, timeouts 124, failures 125, signals 128+N), the kernel monitor
# diagnosis a timeout leaves, that no QEMU outlives the runner however it
# ends (tests/tools/qemu-lifetime), and the per-run initramfs.  Prints one
# line per check and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
RUN=tools/qemu-run
T=$(mktemp -d "${TMPDIR:-/tmp}/qemu-run-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export QEMU="$PWD/tests/tools/fake-qemu"
export QEMU_RUN_LOGDIR="$T/logs"
cat >"$T/mkinitramfs" <<EOS
#!/bin/sh
echo "\$@" >"$T/mk-args"
args=""
for a in "\$@"; do [ "\$a" = --base ] && a=--no-base; args="\$args \$a"; done
exec /usr/bin/python3 "$PWD/tools/mkinitramfs" \$args
EOS
chmod +x "$T/mkinitramfs"
export QEMU_RUN_MKINITRAMFS="$T/mkinitramfs"
: >"$T/kernel.bin"
K="--kernel $T/kernel.bin --initrd $T/kernel.bin"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
# expect NAME WANT_STATUS WANT_STDOUT -- runner args...  (WANT_STDOUT "*": any)
expect() {
	n=$1 want_rc=$2 want_out=$3
	shift 4
	"$RUN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	printf '%s' "$want_out" >"$T/want"
	if [ "$rc" != "$want_rc" ]; then
		bad "$n" "status $rc, want $want_rc; stderr: $(head -c 300 "$T/err")"
	elif [ "$want_out" != "*" ] && ! cmp -s "$T/want" "$T/out"; then
		bad "$n" "stdout $(od -c "$T/out" | head -5), want $(od -c "$T/want" | head -3)"
	else
		ok "$n"
	fi
}
nl='
'

# 1. Output filtering and statuses.
expect exec-echo 0 "hi$nl" -- $K --exec 'echo hi'
expect exec-status-7 7 "" -- $K --exec 'exit 7'
expect exec-status-and-output 3 "a${nl}b$nl" -- $K --exec 'echo a; echo b; exit 3'
expect exec-no-trailing-newline 0 "abc" -- $K --exec 'printf abc'
expect exec-blank-lines 0 "${nl}x$nl$nl" -- $K --exec 'echo; echo x; echo'
expect exec-quotes 0 "it's \"q\" \$HOME *$nl" -- $K --exec 'echo "it'"'"'s \"q\" \$HOME *"'
expect exec-signal 137 "" -- $K --exec 'kill -9 $$'
expect exec-marker-lookalike 0 "@@EXIT x@@$nl@@EXEC-BEGIN@@$nl" -- $K \
	--exec 'echo "@@EXIT x@@"; echo "@@EXEC-BEGIN@@"'
cr=$(printf '\r')
dle=$(printf '\020')
expect exec-cr-kept-alone 0 "a${cr}b$nl" -- $K --exec 'printf "a\rb\n"'
# Without a terminal the output is byte exact; on one, the terminal's
# \r\n for \n reads as \n again.
expect exec-pipe-crlf-kept 0 "a$cr${nl}b$nl" -- $K --exec 'printf "a\r\nb\n"'
expect exec-tty-newlines 0 "a${nl}b" -- $K --tty --exec 'printf "a\nb"'
expect exec-pipe-dle-data 0 "x${dle}y$dle$dle${nl}" -- $K --exec 'printf "x\020y\020\020\n"'
expect exec-pipe-dle-marker-lookalike 4 "${dle}@@EXIT 0@@$nl" -- $K --exec 'printf "\020@@EXIT 0@@\n"; exit 4'
expect exec-tty-dle-data 0 "x${dle}y$nl" -- $K --tty --exec 'printf "x\020y\n"'
FAKE_QEMU_MODE=bytewise expect exec-pipe-dle-bytewise 0 "$dle$dle@$nl" -- $K \
	--exec 'printf "\020\020@\n"'
FAKE_QEMU_MODE=bytewise expect exec-bytewise 5 "one${nl}two$nl" -- $K \
	--exec 'echo one; echo two; exit 5'
FAKE_QEMU_MODE=acpi expect exec-acpi-poweroff 4 "x$nl" -- $K --exec 'echo x; exit 4'
big=$(seq 1 20000 | tr '\n' ' ')
"$RUN" $K --exec 'seq 1 20000 | tr "\n" " "' >"$T/out" 2>/dev/null
[ "$(cat "$T/out")" = "$big" ] && ok exec-large-output || bad exec-large-output "$(wc -c <"$T/out") bytes"

# The real /init's markers (build/user/init/init, built by make user).
INIT=build/user/init/init
if [ -x "$INIT" ]; then
	export FAKE_INIT="$PWD/$INIT"
	FAKE_QEMU_MODE=init expect real-init-output 0 "x${nl}y$nl" -- $K --exec 'echo x; echo y'
	FAKE_QEMU_MODE=init expect real-init-status 9 "z" -- $K --exec 'printf z; exit 9'
	FAKE_QEMU_MODE=init expect real-init-stderr 0 "err$nl" -- $K --exec 'echo err >&2'
	FAKE_QEMU_MODE=init expect real-init-pipe-bytes 5 "a$cr$nl$dle$dle${dle}@@EXIT 1@@" -- $K \
		--exec 'printf "a\r\n\020\020\020@@EXIT 1@@"; exit 5'
	FAKE_QEMU_MODE=init expect real-init-pipe-notty 0 "notty$nl" -- $K \
		--exec 'if [ -t 1 ]; then echo tty; else echo notty; fi'
	FAKE_QEMU_MODE=init expect real-init-tty-status 6 "z$nl" -- $K --tty --exec 'echo z; exit 6'
	FAKE_QEMU_MODE=init expect real-init-pipe-stdin-null 0 "" -- $K --exec 'cat'
	FAKE_QEMU_MODE=init expect real-init-background-job 0 "x$nl" -- $K \
		--exec 'sleep 30 & echo x'
else
	bad real-init "$INIT not built (make user)"
fi

# 2. Failures and timeouts.
FAKE_QEMU_MODE=hang expect timeout-hung-command 124 "" -- $K --timeout 2 --exec 'true'
FAKE_QEMU_MODE=noboot expect boot-timeout 124 "" -- $K --boot-timeout 2 --exec 'true'
FAKE_QEMU_MODE=nopoweroff expect no-poweroff-keeps-status 6 "" -- $K --timeout 60 --exec 'exit 6'
FAKE_QEMU_MODE=nomarker expect no-marker-is-125 125 "" -- $K --exec 'true'
FAKE_QEMU_MODE=panic expect panic-is-125 125 "" -- $K --exec 'true'
grep -q 'guest status 3' "$T/err" && ok panic-reports-guest-status || bad panic-reports-guest-status "$(cat "$T/err")"
FAKE_QEMU_MODE=hang expect plain-timeout 124 "*" -- $K --timeout 1
FAKE_QEMU_MODE=panic expect plain-debug-exit 3 "boot: multiboot1, cmdline 'x'$cr${nl}kernel ready$cr${nl}PANIC: fake$cr$nl" -- $K --append x
QEMU=/nonexistent/qemu expect qemu-missing 125 "" -- $K --exec true
"$RUN" $K --verbose --exec 'echo v' >"$T/out" 2>"$T/err"
grep -q '^kernel ready$' "$T/out" && grep -q '^@@EXIT 0@@$' "$T/out" && grep -q '^v$' "$T/out" &&
	grep -q '^qemu-run: .*fake-qemu' "$T/err" && ok verbose-shows-all || bad verbose-shows-all "$(cat "$T/out")"

# Output is streamed: a line printed before a sleep arrives before it ends.
stamp() { while IFS= read -r l; do echo "$(date +%s.%N) $l"; done; }
"$RUN" $K --exec 'echo a; sleep 2; echo b' | stamp >"$T/times"
gap=$(awk '$2 == "a" {a = $1} $2 == "b" {b = $1} END {printf "%.1f", b - a}' "$T/times")
awk -v g="$gap" 'BEGIN {exit !(g >= 1.5)}' && ok exec-streamed || bad exec-streamed "a and b $gap s apart"
if [ -x "$INIT" ]; then
	FAKE_QEMU_MODE=init "$RUN" $K --exec 'echo a; sleep 2; echo b' | stamp >"$T/times"
	gap=$(awk '$2 == "a" {a = $1} $2 == "b" {b = $1} END {printf "%.1f", b - a}' "$T/times")
	awk -v g="$gap" 'BEGIN {exit !(g >= 1.5)}' && ok real-init-streamed ||
		bad real-init-streamed "a and b $gap s apart"
fi

# 2b. A timeout leaves the kernel monitor's ps and every core's backtrace
# (stderr with --exec, stdout without, and a file in QEMU_RUN_LOGDIR).
rm -rf "$T/logs"
FAKE_QEMU_MODE=hang expect timeout-diagnosis-status 124 "" -- $K --smp 3 --timeout 2 --exec 'true'
for pat in 'K> ps' 'PID  PPID' 'CPU 0 backtrace' 'CPU 1 backtrace' 'K> bt$' 'cpu_idle_loop' \
		'timed out after 2 s'; do
	grep -q "$pat" "$T/err" && ok "timeout-diagnosis-stderr: $pat" ||
		bad "timeout-diagnosis-stderr: $pat" "$(head -c 400 "$T/err")"
done
log=$(ls "$T"/logs/qemu-run-timeout.*.log 2>/dev/null | head -n 1)
[ -n "$log" ] && grep -q 'CPU 1 backtrace' "$log" && grep -q 'K> ps' "$log" &&
	ok timeout-diagnosis-file || bad timeout-diagnosis-file "no log in $T/logs"
FAKE_QEMU_MODE=hang expect plain-timeout-diagnosis 124 "*" -- $K --smp 2 --timeout 2
grep -q 'CPU 0 backtrace' "$T/out" && grep -q 'K> ps' "$T/out" && ok plain-timeout-diagnosis-stdout ||
	bad plain-timeout-diagnosis-stdout "$(tail -c 300 "$T/out")"
FAKE_QEMU_MODE=noboot expect boot-timeout-diagnosis 124 "" -- $K --smp 1 --boot-timeout 2 --exec true
grep -q 'no @@EXEC-BEGIN@@' "$T/err" && grep -q 'K> ps' "$T/err" && ok boot-timeout-diagnosis-stderr ||
	bad boot-timeout-diagnosis-stderr "$(head -c 300 "$T/err")"
start=$(date +%s)
FAKE_QEMU_MODE=deaf expect deaf-monitor-still-124 124 "" -- $K --smp 1 --timeout 1 --exec true
grep -q 'no kernel monitor prompt' "$T/err" && [ $(($(date +%s) - start)) -lt 30 ] &&
	ok deaf-monitor-reported || bad deaf-monitor-reported "$(head -c 300 "$T/err")"

# 2c. No QEMU outlives the runner, however the runner ends.
lifetime() { # LABEL qemu-lifetime-ARGS...
	label=$1
	shift
	line=$(tests/tools/qemu-lifetime "$@" 2>&1 | tail -n 1)
	case $line in
	ok*) ok "$label: ${line#ok }" ;;
	*) bad "$label" "${line#FAIL }" ;;
	esac
}
for how in term:143 int:130 hup:129 kill:-9; do
	FAKE_QEMU_MODE=hang lifetime exec --wait 20 --status "${how#*:}" "${how%:*}" $K --exec true
	FAKE_QEMU_MODE=hang lifetime plain --wait 20 --status "${how#*:}" "${how%:*}" $K
done
FAKE_QEMU_MODE=hang lifetime exec --status 124 timeout $K --timeout 2 --exec true
lifetime exec --status 141 pipe $K --exec 'while :; do echo x; sleep 0.2; done'
lifetime exec --status 0 exit $K --exec 'sleep 1'

# 3. Option parsing and the QEMU command line (dry run).
# shellcheck disable=SC2069 # stderr (the command line) only
dry() { "$RUN" --dry-run --kernel "$T/kernel.bin" "$@" 2>&1 >/dev/null; }
line=$(dry --initrd "$T/kernel.bin" --exec 'echo hi' --append 'quiet a=b')
echo "$line" | grep -q -- "-append 'quiet a=b exec=ZWNobyBoaQ exec_tty=0'" && ok dry-append-exec || bad dry-append-exec "$line"
line=$(dry --initrd "$T/kernel.bin" --exec 'x?>' )
echo "$line" | grep -q -- "-append 'exec=eD8- exec_tty=0' " && ok dry-base64url-no-padding || bad dry-base64url-no-padding "$line"
# A terminal for the command: only when stdin and stdout are terminals, or --tty.
line=$(dry --initrd "$T/kernel.bin" --tty --exec true)
echo "$line" | grep -q -- "exec_tty=1" && ok dry-tty-forced || bad dry-tty-forced "$line"
script -qec "$RUN --dry-run --kernel $T/kernel.bin --initrd $T/kernel.bin --exec true" /dev/null \
	>"$T/pty" 2>&1 </dev/null
grep -q "exec_tty=1" "$T/pty" && ok dry-pty-gets-tty || bad dry-pty-gets-tty "$(cat "$T/pty")"
script -qec "$RUN --dry-run --kernel $T/kernel.bin --initrd $T/kernel.bin --no-tty --exec true" /dev/null \
	>"$T/pty" 2>&1 </dev/null
grep -q "exec_tty=0" "$T/pty" && ok dry-no-tty-on-pty || bad dry-no-tty-on-pty "$(cat "$T/pty")"
echo "$line" | grep -q -- "-initrd $T/kernel.bin" && ok dry-initrd || bad dry-initrd "$line"
line=$(dry --no-initrd)
echo "$line" | grep -q -- "-initrd" && bad dry-no-initrd "$line" || ok dry-no-initrd
line=$(dry --copy /etc/hosts)
echo "$line" | grep -q -- "-initrd '<per-run initramfs>'" && ok dry-copy-per-run || bad dry-copy-per-run "$line"
line=$(dry --smp 2 --mem 256M --accel kvm --device e1000)
echo "$line" | grep -q -- "-smp 2 -m 256M" && echo "$line" | grep -q -- "-accel kvm" &&
	echo "$line" | grep -q -- "-device e1000" && ok dry-machine-options || bad dry-machine-options "$line"
line=$(dry --initrd "$T/kernel.bin")
echo "$line" | grep -q -- "-append" && bad dry-no-exec-no-append "$line" || ok dry-no-exec-no-append
line=$(dry --initrd "$T/kernel.bin" --watchdog --exec 'echo hi')
echo "$line" | grep -q -- "-append 'watchdog_thresh=10 hung_task_timeout_secs=20 exec=ZWNobyBoaQ exec_tty=0'" &&
	ok dry-watchdog || bad dry-watchdog "$line"
line=$(dry --initrd "$T/kernel.bin" --watchdog --append 'watchdog_thresh=2 nowatchdog')
echo "$line" | grep -q -- "-append 'hung_task_timeout_secs=20 watchdog_thresh=2 nowatchdog'" &&
	ok dry-watchdog-append-wins || bad dry-watchdog-append-wins "$line"
for bad_args in "--copy /etc/hosts --initrd $T/kernel.bin" "--exec true --no-initrd" \
		"--initrd x --no-initrd" "--exec true --cdrom x.iso" "--exec true --gdb" \
		"--timeout abc" "--exec" "--tty" "--tty --no-tty --exec true"; do
	# shellcheck disable=SC2086
	"$RUN" --kernel "$T/kernel.bin" $bad_args >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" = 2 ] && ok "usage-error: $bad_args" || bad "usage-error: $bad_args" "status $rc"
done
long=$(printf 'x%.0s' $(seq 1 400))
"$RUN" --dry-run --kernel "$T/kernel.bin" --exec "echo $long" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && grep -q "kernel keeps 511" "$T/err" && ok cmdline-too-long || bad cmdline-too-long "status $rc"
"$RUN" --help >"$T/help"
for o in --exec --copy --add-program --initrd --no-initrd --timeout --boot-timeout \
		--verbose --dry-run --watchdog --tty --no-tty 124 125 QEMU= QEMU_RUN_LOGDIR= backtrace; do
	grep -q -- "$o" "$T/help" && ok "help mentions $o" || bad "help mentions $o" "missing"
done

# 4. Per-run initramfs with --copy and --add-program.
mkdir -p "$T/tree/sub"
echo data >"$T/tree/sub/f"
echo one >"$T/one"
FAKE_QEMU_MODE=initrd "$RUN" --kernel "$T/kernel.bin" --exec true --copy "$T/tree:/opt/tree" \
	--copy "$T/one" --add-program /bin/true >"$T/out" 2>"$T/err"
rc=$?
for p in opt/tree/sub/f "${T#/}/one" usr/bin/true; do
	grep -qx "$p" "$T/out" && ok "initrd has $p" || bad "initrd has $p" "rc $rc: $(cat "$T/out" "$T/err" | head -20)"
done
grep -q -- '--copy .*--copy .*--add-program /bin/true' "$T/mk-args" && grep -q -- '--base' "$T/mk-args" &&
	ok mkinitramfs-args || bad mkinitramfs-args "$(cat "$T/mk-args")"
# A private TMPDIR: other runners on the machine (a soak, a parallel test)
# create and remove their own qemu-run.* directories meanwhile.
mkdir -p "$T/tmp"
TMPDIR="$T/tmp" FAKE_QEMU_MODE=initrd "$RUN" --kernel "$T/kernel.bin" --exec true \
	--copy /nonexistent-x >/dev/null 2>&1
rc=$?
[ "$rc" = 125 ] && ok copy-missing-is-125 || bad copy-missing-is-125 "status $rc"
[ -z "$(ls -A "$T/tmp")" ] && ok temp-dir-removed || bad temp-dir-removed "leftover: $(ls -A "$T/tmp")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
