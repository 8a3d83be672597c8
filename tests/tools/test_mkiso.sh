#!/bin/sh
# test_mkiso.sh: host tests of tools/mkiso (no kernel needed: any file
# stands in for it).  The ISO must hold exactly what GRUB needs: the
# kernel, grub.cfg with the command line, GRUB's own files and nothing
# else from the build directory (grub-mkrescue's log used to be written
# into the tree being archived, and xorriso failed at random with "Size of
# file .../grub.log has changed", exit 32).  mkiso runs several times in a
# row: each run must succeed.  Prints one line per check and
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/mkiso-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
if ! command -v grub-mkrescue >/dev/null || ! command -v xorriso >/dev/null; then
	bad tools "grub-mkrescue or xorriso missing (tools/install-deps)"
	echo "$pass passed, $fail failed"
	exit 1
fi
head -c 4096 /dev/urandom >"$T/kernel.bin"
runs=3
for i in $(seq 1 $runs); do
	if tools/mkiso "$T/kernel.bin" "$T/k$i.iso" "ktest x=$i" >"$T/log" 2>&1; then
		ok "mkiso-run-$i"
	else
		bad "mkiso-run-$i" "$(tail -n 5 "$T/log")"
	fi
done
iso=$T/k$runs.iso
xorriso -indev "$iso" -find / -type f 2>/dev/null | tr -d "'" | sort >"$T/files"
extra=$(grep -v -e '^/boot/grub/' -e '^/boot/kernel.bin$' -e '^/boot/initramfs.cpio$' \
	-e '^/efi.img$' -e '^/System/' -e '^/mach_kernel$' "$T/files")
[ -z "$extra" ] && ok only-boot-files || bad only-boot-files "unexpected: $extra"
grep -q 'grub\.log' "$T/files" && bad no-grub-log "grub.log is in the ISO" || ok no-grub-log
xorriso -osirrox on -indev "$iso" -extract /boot/kernel.bin "$T/k.out" \
	-extract /boot/grub/grub.cfg "$T/cfg" >/dev/null 2>&1
cmp -s "$T/kernel.bin" "$T/k.out" && ok kernel-copied || bad kernel-copied "differs"
grep -q "multiboot2 /boot/kernel.bin ktest x=$runs" "$T/cfg" && ok cmdline-in-grub-cfg ||
	bad cmdline-in-grub-cfg "$(cat "$T/cfg" 2>&1)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
