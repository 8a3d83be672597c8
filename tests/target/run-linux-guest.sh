#!/bin/sh
# run-linux-guest.sh: the linux-guest tier: the benchmark reference guest
# (tools/qemu-run --guest linux: Debian's cloud kernel, busybox initramfs,
# tools/linux-guest-init) boots under the runner's own QEMU flags and
# speaks the --exec protocol.  Checks: the machine flags are ours (q35,
# -cpu max, same RAM and -accel rule; --dry-run); one boot (2 CPUs, pipe
# mode) runs Linux (uname), sees both CPUs, runs a static program from
# bench/progs (fork+exec+wait included) and a dynamic Debian binary added
# with --add-program, passes bytes exactly, and returns the command's exit
# status; a second boot streams output as it is produced and reports a
# command killed by a signal as 128 + signal; a third runs on the console
# tty (--tty); and --icount counts instructions (two identical loops give
# identical figures, on our kernel, which boots faster).  If the first
# boot never reaches init, the other boot checks count as failed without
# booting.  Ends with "N passed, N failed".
set -u
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/linux-guest.XXXXXX")
trap 'rm -rf "$W"' EXIT
export QEMU_RUN_LOGDIR="$W/logs"
pass=0
fail=0
dead=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
# expect NAME WANT GOT
expect() {
	if [ "$3" = "$2" ]; then ok "$1"; else bad "$1" "got '$3', want '$2'"; fi
}
# line N: line N of the first boot's output
line() { sed -n "$1p" "$W/out"; }

# The same machine as our kernel's boots, only the kernel and image differ.
ours=$("$RUN" --dry-run --smp 2 2>&1 | sed 's/ -kernel .*//')
linux=$("$RUN" --guest linux --dry-run --smp 2 2>&1 | sed 's/ -kernel .*//')
expect same-qemu-machine "$ours" "$linux"

"$RUN" --guest linux --smp 2 --timeout 180 --boot-timeout 120 \
	--add-program /usr/bin/vim.tiny --exec '
uname -r
grep -c ^processor /proc/cpuinfo
/bench/procbench getpid 1000 | cut -d" " -f1
/bench/procbench spawn 5 | cut -d" " -f1
vim.tiny --version | head -n 1 | cut -c1-21
printf "a\tb\r\n\020x\n" | od -An -c | tr -s " "
exit 7' >"$W/out" 2>"$W/err" </dev/null
rc=$?
grep -q 'no @@EXEC-BEGIN@@' "$W/err" && dead=1
case $(line 1) in
*-cloud-amd64) ok "boots Debian's Linux ($(line 1))" ;;
*) bad boots-linux "uname -r said '$(line 1)'; stderr: $(tail -n 3 "$W/err")" ;;
esac
expect sees-2-cpus 2 "$(line 2)"
expect static-program getpid "$(line 3)"
expect fork-exec-wait spawn "$(line 4)"
expect dynamic-program "VIM - Vi IMproved 9.0" "$(line 5)"
expect bytes-exact " a \\t b \\r \\n 020 x \\n" "$(line 6)"
expect exit-status 7 "$rc"

if [ "$dead" = 1 ]; then
	for n in streamed killed-by-signal console-tty; do
		bad "$n" "skipped, the first boot never reached init"
	done
else
	{
		"$RUN" --guest linux --smp 2 --timeout 120 --boot-timeout 100 \
			--exec 'echo a; sleep 3; echo b; kill -9 $$' 2>"$W/err" </dev/null
		echo $? >"$W/rc"
	} | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done >"$W/times"
	gap=$(awk '$2 == "a" {a = $1} $2 == "b" {b = $1} END {printf "%.1f", b - a}' "$W/times")
	if awk -v g="$gap" 'BEGIN {exit !(g >= 2.0)}'; then
		ok "streamed (a and b $gap s apart)"
	else
		bad streamed "a and b $gap s apart: $(cat "$W/times")"
	fi
	expect killed-by-signal 137 "$(cat "$W/rc")"
	out=$("$RUN" --guest linux --smp 2 --timeout 120 --boot-timeout 100 --tty \
		--exec 'tty; echo x' 2>"$W/err" </dev/null)
	expect console-tty "/dev/ttyS0
x" "$out"
fi

# --icount: the guest clock counts instructions, so the same loop twice
# gives the same figure whatever the host's load.
out=$("$RUN" --smp 1 --icount 0 --timeout 120 --boot-timeout 60 \
	--exec '/bench/procbench getpid 20000; /bench/procbench getpid 20000' \
	2>"$W/err" </dev/null)
a=$(echo "$out" | sed -n 1p)
b=$(echo "$out" | sed -n 2p)
if [ -n "$a" ] && [ "$a" = "$b" ]; then
	ok "icount-deterministic ($a)"
else
	bad icount-deterministic "'$a' then '$b'"
fi

echo "$pass passed, $fail failed"
