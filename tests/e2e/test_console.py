#!/usr/bin/python3
"""End-to-end test of the console terminal (drivers/tty/tty.c, drivers/tty/ldisc.c) with
the busybox shell, typed through pexpect like a person would: canonical
editing (erase, word erase, kill) in `read`, ^C interrupting `sleep 100`,
^D ending `cat` and a nested `sh`, job control (SIGTTIN/SIGTTOU stops,
EIO when SIGTTIN is ignored), /dev/tty without a controlling terminal,
SIGWINCH, the controlling terminal in ps and /proc/PID/stat, the session
hangup when the login shell exits (init restarts it), and the monitor
hotkey rule: Ctrl-G passes through to a program
in raw mode, Ctrl-G Ctrl-G and a serial BREAK enter the monitor, a single
Ctrl-G enters it while the terminal is canonical.  Driven through
tests/lib/guest.py.  Prints "N passed, N failed"."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import Guest, summary  # noqa: E402


def editing(g):
    """Canonical editing by the line discipline (read(2) in canonical mode)."""
    g.sendline('read x; echo "[$x]"')
    time.sleep(0.5)
    g.send("hellx\x7fo wor\x17world\r")
    g.expect(r"\[hello world\]", "erase-and-werase")
    g.expect(g.PROMPT)
    g.sendline('read x; echo "[$x]"')
    time.sleep(0.5)
    g.send("junk junk\x15kept\r")
    g.expect(r"\[kept\]", "kill-line")
    g.expect(g.PROMPT)
    g.sendline('read x; echo "[$x]"')
    time.sleep(0.5)
    g.send("a\x16\x02b\r")     # not ^A: QEMU's mon:stdio escape
    g.expect(r"\^B", "lnext-echo")
    g.expect(g.PROMPT)
    g.check_output("lnext-literal", 'echo "$x" | od -c | head -1', r"a 002 +b")


def interrupts(g):
    """^C interrupts the foreground job; ^D ends cat and a nested shell."""
    g.sendline("sleep 100")
    time.sleep(1.5)
    g.sendcontrol("c")
    g.expect(g.PROMPT, "ctrl-c-interrupts-sleep", timeout=10)
    g.check_output("ctrl-c-status", "echo status=$?", r"^status=130$")
    g.sendline("cat > /tmp/t")
    time.sleep(0.5)
    g.sendline("line one")
    time.sleep(0.3)
    g.sendcontrol("d")
    g.expect(g.PROMPT, "ctrl-d-ends-cat")
    g.check_output("cat-wrote-line", "cat /tmp/t", r"^line one$")
    g.sendline("sh")
    time.sleep(0.5)
    g.sendline("PS1='IN''$ '")
    g.expect(r"IN[$] ")
    g.sendcontrol("d")
    g.expect(g.PROMPT, "ctrl-d-exits-nested-sh")


def job_control(g):
    g.sendline("cat &")
    g.expect(g.PROMPT)
    time.sleep(1)
    g.check_output("bg-read-sigttin", "jobs", r"Stopped \(tty input\)")
    g.enter("kill -9 %1; sleep 0.2")
    g.check_output("bg-read-ignored-ttin-eio", "sh -c 'trap \"\" TTIN; cat' & wait",
                   r"Input/output error")
    g.check_output("bg-write-tostop-sigttou", "stty tostop; echo bgout & sleep 0.5; jobs; stty -tostop",
                   r"Stopped \(tty output\)")
    g.enter("kill -9 %1; sleep 0.2")
    # setsid forks when the shell made us a group leader: give the child time to finish.
    g.check_output("dev-tty-enxio-without-ctty", "setsid sh -c 'cat /dev/tty; echo rc=$?'; sleep 1",
                   r"No such device or address")
    g.check_output("sigwinch-on-tiocswinsz",
                   "sh -c 'trap \"echo WINCH\" WINCH; stty rows 30 cols 100; stty size'",
                   r"WINCH\s+30 100")


def dmesg(g):
    """syslog(2) READ_ALL for everyone, CLEAR for root only."""
    g.check_output("dmesg-read-all", "dmesg | grep -c 'kernel ready'", r"^1$")
    g.check_output("dmesg-clear-needs-root", "su nobody -s /bin/sh -c 'dmesg -c' 2>&1",
                   r"Operation not permitted")
    g.check_output("dmesg-clear", "dmesg -c > /dev/null; dmesg | wc -c", r"^0$")


def controlling_tty(g):
    """The controlling terminal as Linux reports it: the console is ttyS0
    (4:64, tty_nr 1088); busybox ps prints TT as "major,minor"."""
    g.check_output("dev-ttys0-is-4-64", "ls -l /dev/ttyS0", r"4,\s+64 .*/dev/ttyS0")
    g.check_output("ps-tty-of-shell", "ps -o pid,tty,comm | grep \"^ *$$ \"", r"\d+ 4,64\s+sh")
    g.check_output("stat-tty-nr-tpgid-shell",
                   "read -r a b c d e f g h i < /proc/$$/stat; echo \"tty_nr=$g tpgid=$h pgrp=$e\"",
                   r"^tty_nr=1088 tpgid=(\d+) pgrp=\1$")
    g.check_output("stat-tpgid-is-foreground-job", "cut -d' ' -f5,7,8 /proc/self/stat",
                   r"^(\d+) 1088 \1$")
    g.check_output("stat-no-ctty-after-setsid",
                   "setsid sh -c 'cut -d\" \" -f7,8 /proc/self/stat'; sleep 1", r"^0 -1$")


def hangup(g):
    """Session hangup: the login shell exits; the foreground group gets
    SIGHUP, a stopped job in a group this orphans gets SIGHUP + SIGCONT, a
    running background job survives without a terminal; init's new shell
    takes the free console and has job control."""
    g.enter("sleep 1000 & echo $! > /tmp/bg")
    # A background job holding /dev/tty and /dev/console: after the hangup the
    # /dev/tty file reads EOF and fails writes with EIO; /dev/console still works.
    g.enter("rm -f /tmp/hup; sh -c 'exec 3<>/dev/tty 4>/dev/console; sleep 4; "
            "read -r x <&3; echo read=$? > /tmp/hup; echo y >&3; echo write=$? >> /tmp/hup; "
            "echo console-ok >&4; echo console=$? >> /tmp/hup' 2>/dev/null &")
    g.enter("cat & echo $! > /tmp/cat")
    g.enter("set +m; sleep 1001 & echo $! > /tmp/fg; set -m; sleep 1")
    g.sendline("exit")
    g.expect(r"stopped jobs")
    g.expect(g.PROMPT)
    g.sendline("exit")
    g.fresh_prompt("exit-restarts-shell")
    g.check_output("hangup-signals-and-ctty-loss",
                   "for j in bg fg cat; do p=$(cat /tmp/$j); [ -d /proc/$p ] && "
                   "echo \"$j=alive:$(cut -d' ' -f7 /proc/$p/stat)\" || echo $j=gone; done",
                   r"bg=alive:0\s+fg=gone\s+cat=gone")
    g.check_output("ps-tty-after-hangup", "ps -o tty,args | grep 'sleep 1000$'",
                   r"\?\s+sleep 1000")
    g.check_output("hung-up-tty-file-eof-eio", "sleep 4; cat /tmp/hup",
                   r"read=1\s+write=1\s+console=0")
    g.enter("kill $(cat /tmp/bg)")
    g.check_output("new-shell-has-ctty", "ps -o pid,tty,comm | grep \"^ *$$ \"", r"\d+ 4,64\s+sh")
    g.sendline("sleep 100")
    time.sleep(1.5)
    g.sendcontrol("c")
    g.expect(g.PROMPT, timeout=10)
    g.check_output("new-shell-ctrl-c", "echo status=$?", r"^status=130$")


def ctty_leader(g):
    """TIOCNOTTY/TIOCSCTTY from a session leader that owns the console
    (tests/progs/ctty.c in leader mode replaces the shell; init restarts it)."""
    g.sendline("exec /tests/progs/ctty leader")
    g.expect(r"\n\d+ passed, 0 failed", "ctty-leader-ioctls")
    g.fresh_prompt()


def monitor_hotkey(g):
    """The monitor hotkey rule (README, kernel/drivers/tty/console_in.c)."""
    g.sendline("stty raw -echo; dd bs=1 count=1 2>/dev/null | od -c | head -1; stty sane")
    time.sleep(1.5)
    g.sendcontrol("g")
    g.expect(r"\\a", "raw-ctrl-g-passes-through")
    g.expect(g.PROMPT)
    time.sleep(0.3)
    if g.monitor_enter("ctrl-g-ctrl-g", "double-ctrl-g-enters-monitor"):
        g.monitor_continue()
        g.check_output("continue-resumes", "echo resumed", r"^resumed$")
    g.sendline("sleep 3")
    time.sleep(1)
    if g.monitor_enter("ctrl-g", "ctrl-g-while-canonical-enters-monitor"):
        g.monitor_continue()
        g.expect(g.PROMPT)
    if g.monitor_enter("break", "serial-break-enters-monitor"):
        g.monitor_continue()
        g.check_output("continue-after-break", "echo after-break", r"^after-break$")


def main():
    g = Guest("console", smp=2, timeout=240)
    if g.boot_to_shell(timeout=90):
        editing(g)
        interrupts(g)
        job_control(g)
        dmesg(g)
        controlling_tty(g)
        hangup(g)
        ctty_leader(g)
        monitor_hotkey(g)
    g.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
