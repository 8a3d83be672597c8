#!/bin/sh
# run-stress.sh [DIR]: the issue 3 robustness tests, run inside the guest
# (installed as /tests/stress/run-stress.sh; DIR defaults to its own
# directory).  Runs the syscall fuzzer (100,000 calls from 4 processes,
# seed $SYSFUZZ_SEED, default 1),
# process teardown while threads spin (threadexit), concurrent increments
# of a copy-on-write page (cowrace), the malformed-ELF
# corpus, the fork bomb and the memory hog one after
# the other; after each one a fresh shell must still run a pipeline.
# Prints each program's output and "ok stress NAME" / "FAIL stress NAME:
# why" per test, the last one "shell-alive".  Plain POSIX sh (busybox).
# Only fork/exec/wait are assumed between tests (no cd, pipes or
# redirections), so a young kernel still gets per-test results; the
# final shell-alive check is the demanding one.
dir=${1:-/tests/stress}
alive() {
	sh -c 'exit 0'
}
run() { # NAME COMMAND...
	name=$1
	shift
	echo "--- $name: $*"
	"$@"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL stress $name: exit status $rc"
	elif ! alive; then
		echo "FAIL stress $name: the shell can no longer run sh -c 'exit 0'"
	else
		echo "ok stress $name"
	fi
}
run killable "$dir/killable"
run threadexit "$dir/threadexit" 40
run cowrace "$dir/cowrace" 2000
run sysfuzz "$dir/sysfuzz" -n 100000 -p 4 -s "${SYSFUZZ_SEED:-1}"
run execcorpus "$dir/execcorpus" "$dir/elfcorpus"
run forkbomb "$dir/forkbomb"
run memhog "$dir/memhog"
if [ "$(sh -c 'echo alive | cat')" = alive ] && ls / >/dev/null &&
	cat /proc/meminfo >/dev/null; then
	echo "ok stress shell-alive"
else
	echo "FAIL stress shell-alive: a final pipeline, ls / or /proc/meminfo failed"
fi
