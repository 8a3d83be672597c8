#!/bin/sh
# run-mmfuzz.sh [ITERS [PROCS [SEED]]]: build tests/stress/mmfuzz.c
# (static), run it on the host and in QEMU (--smp 2) with the same
# arguments, then check that the guest is still alive afterwards (it runs
# a second program and powers off normally).  Both summary lines must be
# identical.  Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
iters=${1:-3000}
procs=${2:-4}
seed=${3:-1}
b=build/stress
mkdir -p "$b"
make -s -j2 >/dev/null && make -s -f user/user.mk user >/dev/null || exit 1
gcc -std=gnu11 -O2 -static -Wall -Wextra -Werror -o "$b/mmfuzz" tests/stress/mmfuzz.c || exit 1
host=$(timeout 120 "$b/mmfuzz" "$iters" "$procs" "$seed")
python3 tools/mkinitramfs --base -D BUILD="$(pwd)/build" -D BUSYBOX=/bin/busybox \
	--copy "$b/mmfuzz:/mmfuzz" -o "$b/initramfs.cpio" || exit 1
cmd="/mmfuzz $iters $procs $seed; echo alive: \$(cat /proc/meminfo | head -1 | tr -s ' ')"
tools/qemu-run --initrd "$b/initramfs.cpio" --smp 2 --timeout 300 --watchdog \
	--append "exec=$(printf %s "$cmd" | base64 -w0)" </dev/null >"$b/console.out" 2>&1
st=$?
target=$(tr -d '\r' <"$b/console.out" | grep '^mmfuzz: ')
pass=0
fail=0
check() {	# name condition-status
	if [ "$2" -eq 0 ]; then
		echo "ok   $1"
		pass=$((pass + 1))
	else
		echo "FAIL $1"
		fail=$((fail + 1))
	fi
}
echo "host:   $host"
echo "target: $target"
[ -n "$host" ] && [ "$host" = "$target" ]
check "same summary on host and target" $?
tr -d '\r' <"$b/console.out" | grep -q '^alive: MemTotal'
check "kernel alive after the fuzz (shell ran, /proc readable)" $?
[ "$st" -eq 0 ]
check "guest powered off with status 0" $?
grep -q 'panic\|PANIC' "$b/console.out"
[ $? -ne 0 ]
check "no kernel panic" $?
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
