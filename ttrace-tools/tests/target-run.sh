#!/bin/sh
# target-run.sh: the target half of the ttrace target tier (target.sh boots
# the kernel once with this script, /known and --serial2 FILE).  Records real
# kernel events with the on-target `ttrace`, prints facts as "T: key value"
# lines on the console, and sends every dump (tar.gz) to the host through
# the raw second serial port /dev/ttyS1.
O=/tmp/tt
mkdir -p $O
K=/known
say() { echo "T: $*"; }

# Control file errors.
echo bogus >/dev/ttrace/ctl 2>/dev/null; say ctl_bogus_rc $?
echo "mask +nosuch" >/dev/ttrace/ctl 2>/dev/null; say ctl_badmask_rc $?
echo "size 3000" >/dev/ttrace/ctl 2>/dev/null; say ctl_badsize_rc $?
ttrace start -e bogus 2>$O/bogus.err; say start_bogus_rc $?
say start_bogus_msg "$(head -1 $O/bogus.err)"
echo hi >/dev/ttrace/user 2>/dev/null; say user_stopped_rc $?
ttrace start -e sched
echo "size 128K" >/dev/ttrace/ctl 2>/dev/null; say size_running_rc $?
ttrace stop
ttrace clear

# 1. A known program's syscalls, fork/exec/exit of a child.
ttrace record -e syscall,proc,sched -o $O/known.tt -- $K syscalls >$O/known.out 2>&1
say known_rc $?
say known_out "$(head -1 $O/known.out)"

# 1b. printk lines, exceptions, and a long sendfile sharing CPU 1 with a spinner.
ttrace record -e sched,syscall,irq,fault,printk -o $O/events.tt -- sh -c '
	echo ttrace-kprint-marker >"#cons/kprint"
	/known exc && /known sendfile 1 256' >$O/events.out 2>&1
say events_rc $? "$(tr '\n' ' ' <$O/events.out)"

# 2. A workload: shell pipelines with fork/exec on every CPU, all categories.
ttrace record -e all -o $O/work.tt -- sh -c '
	for i in 1 2 3 4; do
		(seq 1 300 | sort -r | wc -l >/dev/null; ls /bin >/dev/null) &
	done
	wait' >/dev/null 2>&1
say work_rc $?
ttrace-view summary $O/work.tt >$O/work.summary 2>&1; say summary_rc $?

# 3. ttrace dump | ttrace-view on the target, from a live session.
ttrace start -e all
ls / >/dev/null
ttrace emit -n 7 hello marker
ttrace stop
ttrace stat >$O/stat.txt
ttrace dump | ttrace-view text >$O/pipe.txt 2>&1; say pipe_rc $?
grep -c "user:" $O/pipe.txt | sed 's/^/T: pipe_user_lines /'

# 3b. Only this shell's events (pid filter): its syscalls, not ls's.
ttrace clear
ttrace start -e syscall,sched -p $$
ls /bin >/dev/null
ttrace stop
ttrace dump -o $O/pid.tt; say pid_dump_rc $? $$

# 4. Discard and overwrite with a forced overflow: 64 KiB rings, user events only.
for mode in discard overwrite; do
	ttrace clear
	ttrace start -e user -m $mode -s 64K
	$K emit 6000 1 >$O/$mode.emit; say ${mode}_emit_rc $? "$(cat $O/$mode.emit)"
	ttrace stop
	ttrace stat >$O/$mode.stat
	ttrace dump -o $O/$mode.tt; say ${mode}_dump_rc $?
done
ttrace start -m discard -s 1M -e all; ttrace stop; ttrace clear

ls -l $O
stty -F /dev/ttyS1 raw -echo; say stty_rc $?
tar czf /dev/ttyS1 -C /tmp tt; say tar_rc $?
$K drain /dev/ttyS1; say drain_rc $?
