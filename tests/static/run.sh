#!/bin/sh
# Static analysis tier: cppcheck over the kernel and the user-space tools,
# and gcc -fanalyzer over every kernel C file with the kernel's flags.
# comparePointers is off: linker-section bounds (__start/__end symbols)
# are compared by design.  Any other finding fails.  Then
# check-syscall-doc.py: docs/syscalls.md lists exactly the syscall table.
# Prints "N passed, N failed" (one check per tool, and the doc checks).
set -u
cd "$(dirname "$0")/../.."
mkdir -p build/static
passed=0
failed=0

if cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	--inline-suppr --suppress=missingIncludeSystem --suppress=comparePointers --std=c11 \
	-D__x86_64__ -DMAX_CPUS=64 -Ikernel/include -Ikernel/arch/x86/include \
	-i build kernel user tests/progs 2>build/static/cppcheck.log; then
	echo "ok   cppcheck"
	passed=$((passed + 1))
else
	echo "FAIL cppcheck:"
	cat build/static/cppcheck.log
	failed=$((failed + 1))
fi

KFLAGS=$(make -s --no-print-directory print-kcflags)
bad=0
: >build/static/analyzer.log
for f in $(find kernel -name '*.c' | sort); do
	# shellcheck disable=SC2086
	if ! gcc $KFLAGS -fanalyzer -c "$f" -o /dev/null >>build/static/analyzer.log 2>&1; then
		bad=1
	fi
done
if [ "$bad" -eq 0 ] && ! grep -q 'warning:' build/static/analyzer.log; then
	echo "ok   gcc -fanalyzer"
	passed=$((passed + 1))
else
	echo "FAIL gcc -fanalyzer:"
	cat build/static/analyzer.log
	failed=$((failed + 1))
fi

# Checks with their own summary lines, counted here: the syscall matrix
# against the table; the layout rules (no declarations in .c files, ABI
# structs only under include/abi, abi headers standalone).
add_summary() {
	out=$("$@" 2>&1)
	echo "$out" | grep -Ev '^[0-9]+ passed, [0-9]+ failed$'
	line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -n "$line" ]; then
		f=${line#*passed, }
		passed=$((passed + ${line%% passed*}))
		failed=$((failed + ${f%% failed}))
	else
		echo "FAIL $1 ended without a summary"
		failed=$((failed + 1))
	fi
}
add_summary /usr/bin/python3 tests/static/check-syscall-doc.py --self-test
add_summary tests/static/check-layout.sh
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
