#!/bin/sh
# test_mkinitramfs.sh: check tools/mkinitramfs against the real GNU cpio.
# Each archive is unpacked with `cpio -idm` in a temp dir and the tree is
# compared with what the spec asked for (types, modes, contents, link
# texts, mtimes); the output must be byte-identical across runs; errors
# must be clear; --add-program must produce a tree in which the dynamic
# program actually runs (chroot, when we are root).  Prints one line per
# check and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
MK="/usr/bin/python3 tools/mkinitramfs"
T=$(mktemp -d "${TMPDIR:-/tmp}/mkinitramfs-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
check() { # NAME COMMAND...
	n=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$n"; else bad "$n" "$*"; fi
}
unpack() { # ARCHIVE DIR
	rm -rf "$2"
	mkdir -p "$2"
	(cd "$2" && cpio -idm --quiet --no-absolute-filenames <"$1")
}
am_root=0
[ "$(id -u)" = 0 ] && am_root=1

# 1. Spec directives, unpacked by GNU cpio.
mkdir -p "$T/src/tree/sub"
printf 'hello\n' >"$T/src/hello.txt"
printf 'x%.0s' $(seq 1 5000) >"$T/src/tree/sub/big"
printf '#!/bin/sh\necho hi\n' >"$T/src/tree/run.sh"
chmod 0750 "$T/src/tree/run.sh"
ln -s sub/big "$T/src/tree/biglink"
: >"$T/src/empty"
cat >"$T/spec" <<EOF
# comment line
dir   /usr/bin 0755
slink /bin usr/bin
file  /bin/hello $T/src/hello.txt 0644
file  /etc/empty $T/src/empty 0600
dir   /tmp 01777
dir   /deep/a/b 0700
slink /bin/sh busybox
nod   /dev/console c 5 1 0600
pipe  /run/fifo 0644
copy  $T/src/tree /opt/tree
EOF
if $MK --no-base --spec "$T/spec" -o "$T/a.cpio" 2>"$T/err"; then
	ok build-spec
else
	bad build-spec "$(cat "$T/err")"
fi
unpack "$T/a.cpio" "$T/x"
R="$T/x"
check file-canonical-through-link test -f "$R/usr/bin/hello"
check link-bin test "$(readlink "$R/bin")" = usr/bin
check file-content cmp "$R/usr/bin/hello" "$T/src/hello.txt"
check file-mode test "$(stat -c %a "$R/usr/bin/hello")" = 644
check empty-file test -f "$R/etc/empty" -a ! -s "$R/etc/empty"
check empty-mode test "$(stat -c %a "$R/etc/empty")" = 600
check sticky-dir test "$(stat -c %a "$R/tmp")" = 1777
check implicit-parent test "$(stat -c %a "$R/deep")" = 755
check explicit-dir test "$(stat -c %a "$R/deep/a/b")" = 700
check slink test "$(readlink "$R/usr/bin/sh")" = busybox
check fifo test -p "$R/run/fifo"
if [ $am_root = 1 ]; then
	check nod-char test -c "$R/dev/console"
	check nod-numbers test "$(stat -c '%t:%T' "$R/dev/console")" = 5:1
fi
check copy-tree cmp "$R/opt/tree/sub/big" "$T/src/tree/sub/big"
check copy-mode test "$(stat -c %a "$R/opt/tree/run.sh")" = 750
check copy-symlink test "$(readlink "$R/opt/tree/biglink")" = sub/big
check fixed-mtime test "$(stat -c %Y "$R/usr/bin/hello")" = 0
# Directory mtimes change while cpio fills them: read the headers instead.
check fixed-mtime-all sh -c "cpio -itv --quiet <'$T/a.cpio' | grep -v -c 1970 | grep -qx 0"
# Parents come before children in the archive.
cpio -it --quiet <"$T/a.cpio" >"$T/list"
check parent-order awk '{ n = split($0, p, "/"); d = p[1];
	for (i = 2; i <= n; i++) { if (!(d in seen)) exit 1; d = d "/" p[i] }
	seen[$0] = 1 }' "$T/list"
check no-leading-slash sh -c "! grep -q '^/' '$T/list'"

# 2. Determinism and mtime options.
$MK --no-base --spec "$T/spec" -o "$T/b.cpio"
check deterministic cmp "$T/a.cpio" "$T/b.cpio"
$MK --no-base --spec "$T/spec" >"$T/c.cpio"
check stdout-same cmp "$T/a.cpio" "$T/c.cpio"
$MK --no-base --spec "$T/spec" --mtime 1234567 -o "$T/m.cpio"
unpack "$T/m.cpio" "$T/xm"
check mtime-option test "$(stat -c %Y "$T/xm/usr/bin/hello")" = 1234567
touch -d @987654321 "$T/src/hello.txt"
$MK --no-base --keep-mtime --copy "$T/src/hello.txt:/h" -o "$T/k.cpio"
unpack "$T/k.cpio" "$T/xk"
check keep-mtime test "$(stat -c %Y "$T/xk/h")" = 987654321
SOURCE_DATE_EPOCH=555 $MK --no-base --copy "$T/src/hello.txt:/h" -o "$T/e.cpio"
unpack "$T/e.cpio" "$T/xe"
check source-date-epoch test "$(stat -c %Y "$T/xe/h")" = 555
check copy-file-target cmp "$T/xe/h" "$T/src/hello.txt"

# 3. Errors are reported with the offending name and a nonzero status.
expect_err() { # NAME PATTERN ARGS...
	n=$1
	pat=$2
	shift 2
	if $MK --no-base "$@" -o "$T/err.cpio" 2>"$T/err"; then
		bad "$n" "succeeded"
	elif grep -q -- "$pat" "$T/err"; then
		ok "$n"
	else
		bad "$n" "message: $(cat "$T/err")"
	fi
}
echo "file /x $T/missing 0644" >"$T/s1"
expect_err err-missing-file "$T/missing" --spec "$T/s1"
echo "frobnicate /x" >"$T/s2"
expect_err err-unknown-directive "s2:1: unknown directive" --spec "$T/s2"
echo "dir /x 99z" >"$T/s3"
expect_err err-bad-mode "bad mode" --spec "$T/s3"
expect_err err-missing-copy "does not exist" --copy "$T/nothere"
expect_err err-not-elf "not an ELF" --add-program "$T/src/hello.txt"
echo "file /x \${NOPE} 0644" >"$T/s4"
expect_err err-undefined-var "undefined variable NOPE" --spec "$T/s4"
printf 'dir /a 0755\nslink /a x\n' >"$T/s5"
expect_err err-type-conflict "conflict\|is a slink here" --spec "$T/s5"
check err-no-partial-output test ! -e "$T/err.cpio"

# 4. --add-program: ELF closure walked without ldd; cross-check with ldd.
prog=/usr/bin/ls
$MK --no-base --add-program $prog -o "$T/p.cpio"
unpack "$T/p.cpio" "$T/xp"
P="$T/xp"
check prog-present test -x "$P/usr/bin/ls"
check prog-lib64-link test "$(readlink "$P/lib64")" = usr/lib64
check prog-interp-link test -L "$P/usr/lib64/ld-linux-x86-64.so.2"
check prog-interp-resolves test -f "$P/lib64/ld-linux-x86-64.so.2"
missing=""
for lib in $(ldd $prog | awk '$2 == "=>" && $3 ~ /^\// {print $3}'); do
	[ -e "$P$lib" ] || missing="$missing $lib"
done
if [ -z "$missing" ]; then ok prog-ldd-closure; else bad prog-ldd-closure "$missing"; fi
check prog-etc-passwd grep -q '^root:' "$P/etc/passwd"
check prog-etc-group grep -q '^root:' "$P/etc/group"
check prog-nsswitch grep -q '^passwd:' "$P/etc/nsswitch.conf"
for t in x/xterm v/vt100 v/vt220 l/linux s/screen t/tmux; do
	if [ -f "$P/lib/terminfo/$t" ] || [ -f "$P/usr/share/terminfo/$t" ] ||
	   [ -f "$P/etc/terminfo/$t" ]; then
		ok "terminfo-${t#*/}"
	else
		bad "terminfo-${t#*/}" "missing"
	fi
done
if [ $am_root = 1 ] && command -v chroot >/dev/null; then
	if out=$(chroot "$P" /usr/bin/ls /etc 2>&1) && echo "$out" | grep -q passwd; then
		ok prog-runs-in-chroot
	else
		bad prog-runs-in-chroot "$out"
	fi
fi

# 4b. What glibc dlopen()s at run time: libgcc_s (pthread_cancel), the NSS
# modules /etc/nsswitch.conf names, gconv for iconv; the program must print
# the same in a chroot of the archive as on the host.
dl="$T/dlopen-deps"
if gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$dl" tests/tools/dlopen-deps.c 2>"$T/err"; then
	$MK --no-base --add-program "$dl" -o "$T/dl.cpio" 2>"$T/err" || bad dl-build "$(cat "$T/err")"
	unpack "$T/dl.cpio" "$T/xdl"
	D="$T/xdl"
	libdir=/usr/lib/x86_64-linux-gnu
	check dl-libgcc_s test -f "$D$libdir/libgcc_s.so.1"
	check dl-nss-files test -f "$D$libdir/libnss_files.so.2"
	check dl-gconv-config test -f "$D$libdir/gconv/gconv-modules"
	check dl-gconv-latin1 test -f "$D$libdir/gconv/ISO8859-1.so"
	# A program that does not use iconv gets no gconv modules.
	check no-gconv-without-iconv sh -c "! $MK --no-base --add-program /usr/bin/true --list | grep -q /gconv/"
	# NSS sources come from the archive's nsswitch.conf (here a copied one).
	printf 'passwd: compat [NOTFOUND=return] files\ngroup: files\n' >"$T/nss.conf"
	$MK --no-base --copy "$T/nss.conf:/etc/nsswitch.conf" --add-program "$dl" --list >"$T/nss.list" 2>&1
	check dl-nss-from-conf grep -q "$libdir/libnss_compat.so.2" "$T/nss.list"
	check dl-nss-no-bracket-item sh -c "! grep -q 'libnss_NOTFOUND' '$T/nss.list'"
	if [ $am_root = 1 ] && command -v chroot >/dev/null; then
		host_out=$("$dl" 2>&1)
		mkdir -p "$D$(dirname "$dl")"
		out=$(chroot "$D" "$dl" 2>&1)
		if [ "$out" = "$host_out" ]; then
			ok dl-same-output-in-chroot
		else
			bad dl-same-output-in-chroot "got '$out', host '$host_out'"
		fi
	fi
else
	bad dl-compile "$(cat "$T/err")"
fi

# 5. The base image.
bb=/bin/busybox
if [ -x $bb ] && [ -x build/user/init/init ] && [ -d build/tests/progs ]; then
	if $MK --base -o "$T/base.cpio" 2>"$T/err"; then
		ok base-build
		unpack "$T/base.cpio" "$T/xb"
		B="$T/xb"
		check base-init test -x "$B/init"
		check base-busybox cmp "$B/usr/bin/busybox" $bb
		check base-sh-link test "$(readlink "$B/usr/bin/sh")" = /bin/busybox
		nmiss=0
		for a in $($bb --list-full); do
			[ "$a" = bin/busybox ] && continue
			[ -L "$B/$a" ] || [ -L "$B/usr/$a" ] || nmiss=$((nmiss + 1))
		done
		check base-all-applets test $nmiss = 0
		for d in proc dev tmp sys root; do
			check "base-dir-$d" test -d "$B/$d"
		done
		check base-progs test -x "$B/tests/progs/files"
		check base-busybox-suite test -f "$B/tests/busybox/run-cases.sh"
		if [ $am_root = 1 ]; then
			out=$(chroot "$B" /bin/sh -c 'echo $((6*7))' 2>&1)
			check base-chroot-shell test "$out" = 42
		fi
	else
		bad base-build "$(cat "$T/err")"
	fi
else
	echo "skip base image checks (build user programs first)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
