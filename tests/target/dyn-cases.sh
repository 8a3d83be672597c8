#!/bin/sh
# dyn-cases.sh DATADIR: the dynamic-binary acceptance cases (issue 4), run
# identically on the host and in the guest by tests/target/run-dynamic.sh.
# Each case prints "=== NAME", the command's output and "--- exit N".
# DATADIR holds fixed input files (mtime 0); scratch files go to a fresh
# directory under /tmp.  Plain POSIX sh.  Coreutils are named by full
# path: busybox ash would otherwise run its own applets.
d=${1:?usage: dyn-cases.sh DATADIR}
t=/tmp/dyn-scratch.$$
mkdir -p "$t"
run() {
	name=$1
	shift
	echo "=== $name"
	"$@" 2>&1
	echo "--- exit $?"
}
edit() {
	cp "$d/tree/edit.txt" "$t/edit.txt"
	vim.tiny -es -c '%s/a/b/g' -c wq "$t/edit.txt" </dev/null
	st=$?
	cat "$t/edit.txt"
	return $st
}
run vim-version vim.tiny --version
run vim-edit edit
run ls-la /usr/bin/ls -la "$d/tree"
run sort /usr/bin/sort "$d/tree/words.txt"
run sort-rn /usr/bin/sort -rn "$d/tree/numbers.txt"
run cat /usr/bin/cat "$d/tree/words.txt" "$d/tree/edit.txt"
run sha256sum /usr/bin/sha256sum "$d/tree/words.txt" "$d/tree/numbers.txt" "$d/tree/edit.txt"
run date /usr/bin/date -u -d @0
run python3 python3 -c 'print(sum(range(10**6)))'
# epoll and eventfd under Python's selectors (asyncio would need sockets).
run python3-epoll python3 "$d/epoll.py"
# The shared libraries in /proc/self/maps: path, offset, perms, whether
# device and inode match stat(path) and the path starts at column 73.
maps_libs() {
	python3 -c '
import os
seen = set()
for l in open("/proc/self/maps"):
	f = l.split()
	if len(f) < 6 or ".so" not in f[5]:
		continue
	st = os.stat(f[5])
	dev = "%02x:%02x" % (os.major(st.st_dev), os.minor(st.st_dev))
	seen.add((f[5], f[2], f[1], f[4] == str(st.st_ino) and f[3] == dev, l.index("/") == 73))
for s in sorted(seen):
	print(*s)
'
}
run maps-libs maps_libs
# util-linux script: a shell on a pty (posix_openpt, grantpt, ptsname...).
# The pty's ONLCR turns each newline into CR LF; the CRs are made visible
# (the target's output reaches the host over the console, which drops CRs).
pty_script() {
	{
		/usr/bin/script -q -e -c 'test -t 0 && test -t 1 && echo on-a-tty; tty | sed "s/[0-9]*$/N/"' /dev/null </dev/null
		echo "script exit $?"
	} | tr '\r' '~'
}
run script-pty pty_script
run gdb-version gdb --version
run threads-dyn "$d/threads_dyn"
rm -rf "$t"
