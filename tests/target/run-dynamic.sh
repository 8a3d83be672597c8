#!/bin/sh
# run-dynamic.sh [--smp N]: issue 4 acceptance.  Unmodified Debian dynamic
# binaries (vim.tiny, coreutils ls/sort/cat/sha256sum/date, python3 with
# the part of its stdlib that startup imports, gdb) plus a dynamically
# linked build of tests/progs/threads.c run the cases of dyn-cases.sh on
# the host and in QEMU (one boot, init's exec= mode); every case's output
# block must be byte-identical.  Input files have mtime 0 and live under
# /tmp/dyn-data on both sides (on the host a symlink into /dev/shm, so
# `ls -la` compares tmpfs-like directories).  Prints one line per case
# and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
smp=2
[ "${1:-}" = "--smp" ] && smp=$2
b=build/dyn
rm -rf "$b" && mkdir -p "$b/data/tree"
make -s -j2 >/dev/null && make -s -f user/user.mk user >/dev/null || exit 1
gcc -std=gnu11 -O2 -pthread -Itests/progs -o "$b/data/threads_dyn" tests/progs/threads.c || exit 1
cp tests/target/dyn-epoll.py "$b/data/epoll.py" && chmod 0644 "$b/data/epoll.py"

# Fixed inputs.
printf 'pear\nApple\nbanana\napple\ncherry\n\nzebra\nBanana\n' >"$b/data/tree/words.txt"
seq 1 37 | awk '{print ($1 * 7919) % 1000}' >"$b/data/tree/numbers.txt"
printf 'a cat had a hat\nbanana\nno match here\n' >"$b/data/tree/edit.txt"
chmod 0644 "$b"/data/tree/*
chmod 0755 "$b/data/tree" "$b/data"
touch -h -d @0 "$b"/data/tree/* "$b/data/tree" "$b/data/threads_dyn" "$b/data/epoll.py" "$b/data"

# python3 (and gdb's embedded Python): the modules their startup imports,
# sources and compiled forms with their mtimes, plus the prefix landmarks.
{
	/usr/bin/python3 -v -c 'print(sum(range(10**6)))' 2>&1 >/dev/null
	/usr/bin/python3 -v tests/target/dyn-epoll.py 2>&1 >/dev/null
	PYTHONVERBOSE=1 gdb --version 2>&1 >/dev/null
} | sed -n "s/^# code object from '\(.*\)'$/\1/p" | sort -u >"$b/pyc.list"
for f in $(cat "$b/pyc.list") /usr/lib/python3.11/__pycache__/os.cpython-311.pyc; do
	src=$(echo "$f" | sed 's#/__pycache__/\([^.]*\)\.cpython-311\.pyc$#/\1.py#')
	for x in "$f" "$src"; do
		[ -f "$x" ] || continue
		mkdir -p "$b/py$(dirname "$x")"
		cp -p "$x" "$b/py$x"
	done
done
mkdir -p "$b/py/usr/lib/python3.11/lib-dynload"
cp -p /usr/lib/python3.11/os.py "$b/py/usr/lib/python3.11/"
cp -rp /usr/lib/python3.11/encodings "$b/py/usr/lib/python3.11/"	# the C locale's codec
cp -rp /usr/share/gdb/python/gdb "$b/py/usr/share/gdb/python/" 2>/dev/null ||
	{ mkdir -p "$b/py/usr/share/gdb/python" && cp -rp /usr/share/gdb/python/gdb "$b/py/usr/share/gdb/python/"; }

# Host run.
shm=/dev/shm/dyn-data.$$
rm -rf "$shm" /tmp/dyn-data
cp -a "$b/data" "$shm"
touch -h -d @0 "$shm"
ln -s "$shm" /tmp/dyn-data
envs="PATH=/usr/bin:/bin HOME=/root TERM=dumb LC_ALL=C TZ=UTC"
# shellcheck disable=SC2086
(cd / && env -i $envs sh "$OLDPWD/tests/target/dyn-cases.sh" /tmp/dyn-data) >"$b/host.out" 2>&1
rm -rf "$shm" /tmp/dyn-data

# Target run.
progs=""
for p in /usr/bin/vim.tiny /usr/bin/ls /usr/bin/sort /usr/bin/cat /usr/bin/sha256sum \
	/usr/bin/date /usr/bin/python3.11 /usr/bin/gdb /usr/bin/script; do
	progs="$progs --add-program $p"
done
# shellcheck disable=SC2086
python3 tools/mkinitramfs --base -D BUILD="$(pwd)/build" -D BUSYBOX=/bin/busybox $progs \
	--copy /usr/bin/python3:/usr/bin/python3 \
	--copy "$b/py/usr:/usr" --keep-mtime \
	--copy "$b/data:/tmp/dyn-data" \
	--copy tests/target/dyn-cases.sh:/dyn-cases.sh -o "$b/initramfs.cpio" || exit 1
cmd="cd / && echo @@DYN-BEGIN@@ && env -i $envs sh /dyn-cases.sh /tmp/dyn-data; echo @@DYN-END@@"
tools/qemu-run --initrd "$b/initramfs.cpio" --smp "$smp" --mem 2G --timeout 600 --watchdog \
	--append "exec=$(printf %s "$cmd" | base64 -w0)" </dev/null >"$b/console.out" 2>&1
tr -d '\r' <"$b/console.out" | sed -n '/^@@DYN-BEGIN@@$/,/^@@DYN-END@@$/p' |
	sed '1d;$d' >"$b/target.out"

pass=0
fail=0
for name in $(sed -n 's/^=== //p' "$b/host.out"); do
	awk -v n="$name" '$0 == "=== " n {on=1} /^=== / && $0 != "=== " n {on=0} on' \
		"$b/host.out" >"$b/host.$name"
	awk -v n="$name" '$0 == "=== " n {on=1} /^=== / && $0 != "=== " n {on=0} on' \
		"$b/target.out" >"$b/target.$name"
	if [ -s "$b/host.$name" ] && cmp -s "$b/host.$name" "$b/target.$name" &&
		grep -q '^--- exit 0$' "$b/host.$name"; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		diff "$b/host.$name" "$b/target.$name" | head -20 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
