#!/bin/sh
# check-headers.sh: every header in kernel/include/abi/ (the Linux ABI
# shared by the kernel and the user-space tools) must compile on the host
# with gcc -Wall -Wextra -Werror in four ways:
#   hosted      alone, as a user tool would include it (-std=c11 and gnu11);
#   twice       included twice (the include guard works);
#   kernel      freestanding without any system header (-ffreestanding
#               -nostdinc, as the kernel builds), so it needs nothing but
#               abi/types.h;
#   libc        after the C library's headers that define the same names
#               (the order tools use; see abi/types.h for the rules), with
#               _GNU_SOURCE so glibc defines all it can.
# Prints one line per header and check, then "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
CC=${CC:-gcc}
OUT=build/static/headers
mkdir -p "$OUT"
passed=0
failed=0

# The C library headers that define names an abi header also defines.
libc_headers() {
	case "$1" in
	dirent.h)	echo "dirent.h" ;;
	elf.h)		echo "elf.h sys/auxv.h" ;;
	errno.h)	echo "errno.h" ;;
	fcntl.h)	echo "fcntl.h unistd.h stdio.h sys/file.h limits.h" ;;
	signal.h)	echo "signal.h" ;;
	stat.h)		echo "sys/stat.h fcntl.h sys/statfs.h sys/vfs.h utime.h" ;;
	termios.h)	echo "termios.h sys/ioctl.h" ;;
	ioctl.h)	echo "sys/ioctl.h termios.h" ;;
	mman.h)		echo "sys/mman.h" ;;
	sched.h)	echo "sched.h signal.h" ;;
	wait.h)		echo "sys/wait.h" ;;
	resource.h)	echo "sys/resource.h" ;;
	time.h)		echo "time.h sys/time.h sys/times.h" ;;
	timerfd.h)	echo "sys/timerfd.h" ;;
	eventfd.h)	echo "sys/eventfd.h" ;;
	signalfd.h)	echo "sys/signalfd.h" ;;
	epoll.h)	echo "sys/epoll.h" ;;
	poll.h)		echo "poll.h sys/select.h" ;;
	uio.h)		echo "sys/uio.h limits.h" ;;
	prctl.h)	echo "sys/prctl.h" ;;
	utsname.h)	echo "sys/utsname.h" ;;
	sysinfo.h)	echo "sys/sysinfo.h" ;;
	random.h)	echo "sys/random.h" ;;
	reboot.h)	echo "sys/reboot.h" ;;
	personality.h)	echo "sys/personality.h" ;;
	*)		echo "" ;;
	esac
}

check() {
	name=$1
	shift
	if "$@" >"$OUT/$name.log" 2>&1; then
		echo "ok   $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name:"
		sed 's/^/     /' "$OUT/$name.log"
		failed=$((failed + 1))
	fi
}

WFLAGS="-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wredundant-decls"
for path in kernel/include/abi/*.h; do
	h=$(basename "$path")
	base=$(basename "$h" .h)
	printf '#include <abi/%s>\n' "$h" >"$OUT/$base.c"
	printf '#include <abi/%s>\n#include <abi/%s>\n' "$h" "$h" >"$OUT/$base.twice.c"
	: >"$OUT/$base.libc.c"
	echo "#define _GNU_SOURCE" >>"$OUT/$base.libc.c"
	for l in $(libc_headers "$h"); do
		echo "#include <$l>" >>"$OUT/$base.libc.c"
	done
	echo "#include <abi/$h>" >>"$OUT/$base.libc.c"
	# shellcheck disable=SC2086
	check "$h hosted" sh -c "$CC -std=c11 $WFLAGS -Ikernel/include -c $OUT/$base.c -o /dev/null &&
		$CC -std=gnu11 $WFLAGS -Ikernel/include -c $OUT/$base.c -o /dev/null"
	# shellcheck disable=SC2086
	check "$h twice" $CC -std=gnu11 $WFLAGS -Ikernel/include -c "$OUT/$base.twice.c" -o /dev/null
	# shellcheck disable=SC2086
	check "$h kernel" $CC -std=gnu11 $WFLAGS -ffreestanding -nostdinc -Ikernel/include \
		-c "$OUT/$base.c" -o /dev/null
	# shellcheck disable=SC2086
	check "$h libc" $CC -std=gnu11 $WFLAGS -Ikernel/include -c "$OUT/$base.libc.c" -o /dev/null
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
