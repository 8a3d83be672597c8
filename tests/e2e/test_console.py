#!/usr/bin/python3
"""End-to-end test of the console terminal (core/tty.c, lib/ldisc.c) with
the busybox shell, typed through pexpect like a person would: canonical
editing (erase, word erase, kill) in `read`, ^C interrupting `sleep 100`,
^D ending `cat` and a nested `sh`, job control (SIGTTIN/SIGTTOU stops,
EIO when SIGTTIN is ignored), /dev/tty without a controlling terminal,
SIGWINCH, the controlling terminal in ps and /proc/PID/stat, the session
hangup when the login shell exits (init restarts it), and the monitor
hotkey rule: Ctrl-G passes through to a program
in raw mode, Ctrl-G Ctrl-G and a serial BREAK enter the monitor, a single
Ctrl-G enters it while the terminal is canonical.  Prints "N passed, N failed"."""
import os
import sys
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "tools", "qemu-run")
INITRD = os.path.join(ROOT, "build", "initramfs.cpio")
PROMPT = "SH[$] "
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s %s" % (name, detail))


def expect(child, pattern, name, timeout=20):
    """Wait for pattern; record a check named name (None: no check)."""
    try:
        child.expect(pattern, timeout=timeout)
        if name:
            check(name, True)
        return True
    except (pexpect.TIMEOUT, pexpect.EOF):
        check(name or "expect %r" % pattern, False,
              "no /%s/; saw: %r" % (pattern, (child.before or "")[-300:]))
        return False


def shell(child, line, pattern, name):
    """Run line at the shell prompt, expect pattern, then the prompt."""
    child.send(line + "\r")
    ok = expect(child, pattern, name)
    if ok:
        expect(child, PROMPT, None)


def fresh_prompt(child, name=None, timeout=20):
    """Wait for a new shell's "# " prompt and switch it to PROMPT; True if it came."""
    if not expect(child, r"# ", name, timeout=timeout):
        return False
    time.sleep(0.5)
    child.send("PS1='SH$ '\r")
    expect(child, PROMPT, None)
    return True


def run(child, line):
    """Run line at the shell prompt and wait for the next prompt (no check)."""
    child.send(line + "\r")
    expect(child, PROMPT, None)


def main():
    if not os.path.exists(INITRD):
        print("no %s: run make -f user/user.mk initramfs" % INITRD)
        print("0 passed, 1 failed")
        return 1
    log = open(os.path.join(ROOT, "build", "test-logs", "e2e-console.log"), "w")
    child = pexpect.spawn(RUN, ["--initrd", INITRD, "--smp", "2", "--timeout", "240",
                                "--watchdog"],
                          encoding="utf-8", codec_errors="replace", logfile=log)
    if not fresh_prompt(child, "boot-to-shell", timeout=90):
        print("%d passed, %d failed" % (passed, failed))
        return 1

    # Canonical editing by the line discipline (read(2) in canonical mode).
    child.send('read x; echo "[$x]"\r')
    time.sleep(0.5)
    child.send("hellx\x7fo wor\x17world\r")
    expect(child, r"\[hello world\]", "erase-and-werase")
    expect(child, PROMPT, None)
    child.send('read x; echo "[$x]"\r')
    time.sleep(0.5)
    child.send("junk junk\x15kept\r")
    expect(child, r"\[kept\]", "kill-line")
    expect(child, PROMPT, None)
    child.send('read x; echo "[$x]"\r')
    time.sleep(0.5)
    child.send("a\x16\x02b\r")     # not ^A: QEMU's mon:stdio escape
    expect(child, r"\^B", "lnext-echo")
    shell(child, 'echo "$x" | od -c | head -1', r"a 002 +b", "lnext-literal")

    # ^C interrupts the foreground job; ^D ends cat and a nested shell.
    child.send("sleep 100\r")
    time.sleep(1.5)
    child.sendcontrol("c")
    expect(child, PROMPT, "ctrl-c-interrupts-sleep", timeout=10)
    shell(child, "echo status=$?", r"status=130", "ctrl-c-status")
    child.send("cat > /tmp/t\r")
    time.sleep(0.5)
    child.send("line one\r")
    time.sleep(0.3)
    child.sendcontrol("d")
    expect(child, PROMPT, "ctrl-d-ends-cat")
    shell(child, "cat /tmp/t", r"\nline one\r", "cat-wrote-line")
    child.send("sh\r")
    time.sleep(0.5)
    child.send("PS1='IN$ '\r")
    expect(child, r"IN[$] ", None)
    child.sendcontrol("d")
    expect(child, PROMPT, "ctrl-d-exits-nested-sh")

    # Job control.
    child.send("cat &\r")
    expect(child, PROMPT, None)
    time.sleep(1)
    shell(child, "jobs", r"Stopped \(tty input\)", "bg-read-sigttin")
    run(child, "kill -9 %1; sleep 0.2")
    shell(child, "sh -c 'trap \"\" TTIN; cat' & wait", r"Input/output error", "bg-read-ignored-ttin-eio")
    shell(child, "stty tostop; echo bgout & sleep 0.5; jobs; stty -tostop",
          r"Stopped \(tty output\)", "bg-write-tostop-sigttou")
    run(child, "kill -9 %1; sleep 0.2")
    # setsid forks when the shell made us a group leader: give the child time to finish.
    shell(child, "setsid sh -c 'cat /dev/tty; echo rc=$?'; sleep 1", r"No such device or address",
          "dev-tty-enxio-without-ctty")
    shell(child, "sh -c 'trap \"echo WINCH\" WINCH; stty rows 30 cols 100; stty size'",
          r"WINCH\s+30 100", "sigwinch-on-tiocswinsz")

    # dmesg: syslog(2) READ_ALL for everyone, CLEAR for root only.
    shell(child, "dmesg | grep -c 'kernel ready'", r"\n1\r", "dmesg-read-all")
    shell(child, "su nobody -s /bin/sh -c 'dmesg -c' 2>&1", r"Operation not permitted",
          "dmesg-clear-needs-root")
    shell(child, "dmesg -c > /dev/null; dmesg | wc -c", r"\n0\r", "dmesg-clear")

    # Controlling terminal as Linux reports it: the console is ttyS0 (4:64,
    # tty_nr 1088); busybox ps prints TT as "major,minor".
    shell(child, "ls -l /dev/ttyS0", r"4,\s+64 .*/dev/ttyS0", "dev-ttys0-is-4-64")
    shell(child, "ps -o pid,tty,comm | grep \"^ *$$ \"", r"\d+ 4,64\s+sh", "ps-tty-of-shell")
    shell(child, "read -r a b c d e f g h i < /proc/$$/stat; echo \"tty_nr=$g tpgid=$h pgrp=$e\"",
          r"tty_nr=1088 tpgid=(\d+) pgrp=\1\r", "stat-tty-nr-tpgid-shell")
    shell(child, "cut -d' ' -f5,7,8 /proc/self/stat", r"\n(\d+) 1088 \1\r", "stat-tpgid-is-foreground-job")
    shell(child, "setsid sh -c 'cut -d\" \" -f7,8 /proc/self/stat'; sleep 1", r"\n0 -1\r",
          "stat-no-ctty-after-setsid")

    # Session hangup: the login shell exits; the foreground group gets SIGHUP,
    # a stopped job in a group this orphans gets SIGHUP + SIGCONT, a running
    # background job survives without a terminal; init's new shell takes the
    # free console and has job control.
    run(child, "sleep 1000 & echo $! > /tmp/bg")
    # A background job holding /dev/tty and /dev/console: after the hangup the
    # /dev/tty file reads EOF and fails writes with EIO; /dev/console still works.
    run(child, "rm -f /tmp/hup; sh -c 'exec 3<>/dev/tty 4>/dev/console; sleep 4; "
        "read -r x <&3; echo read=$? > /tmp/hup; echo y >&3; echo write=$? >> /tmp/hup; "
        "echo console-ok >&4; echo console=$? >> /tmp/hup' 2>/dev/null &")
    run(child, "cat & echo $! > /tmp/cat")
    run(child, "set +m; sleep 1001 & echo $! > /tmp/fg; set -m; sleep 1")
    child.send("exit\r")
    expect(child, r"stopped jobs", None)
    expect(child, PROMPT, None)
    child.send("exit\r")
    fresh_prompt(child, "exit-restarts-shell")
    shell(child, "for j in bg fg cat; do p=$(cat /tmp/$j); [ -d /proc/$p ] && "
          "echo \"$j=alive:$(cut -d' ' -f7 /proc/$p/stat)\" || echo $j=gone; done",
          r"bg=alive:0\s+fg=gone\s+cat=gone", "hangup-signals-and-ctty-loss")
    shell(child, "ps -o tty,args | grep 'sleep 1000$'", r"\?\s+sleep 1000", "ps-tty-after-hangup")
    shell(child, "sleep 4; cat /tmp/hup", r"read=1\s+write=1\s+console=0", "hung-up-tty-file-eof-eio")
    run(child, "kill $(cat /tmp/bg)")
    shell(child, "ps -o pid,tty,comm | grep \"^ *$$ \"", r"\d+ 4,64\s+sh", "new-shell-has-ctty")
    child.send("sleep 100\r")
    time.sleep(1.5)
    child.sendcontrol("c")
    expect(child, PROMPT, None, timeout=10)
    shell(child, "echo status=$?", r"status=130", "new-shell-ctrl-c")

    # TIOCNOTTY/TIOCSCTTY from a session leader that owns the console
    # (tests/progs/ctty.c in leader mode replaces the shell; init restarts it).
    child.send("exec /tests/progs/ctty leader\r")
    expect(child, r"\n\d+ passed, 0 failed", "ctty-leader-ioctls")
    fresh_prompt(child)

    # Monitor hotkey rule.
    child.send("stty raw -echo; dd bs=1 count=1 2>/dev/null | od -c | head -1; stty sane\r")
    time.sleep(1.5)
    child.sendcontrol("g")
    expect(child, r"\\a", "raw-ctrl-g-passes-through")
    expect(child, PROMPT, None)
    time.sleep(0.3)
    child.send("\x07\x07")
    if expect(child, "K> ", "double-ctrl-g-enters-monitor"):
        child.send("continue\r")
        time.sleep(0.5)
        shell(child, "echo resumed", r"resumed", "continue-resumes")
    child.send("sleep 3\r")
    time.sleep(1)
    child.sendcontrol("g")
    if expect(child, "K> ", "ctrl-g-while-canonical-enters-monitor"):
        child.send("continue\r")
        expect(child, PROMPT, None)
    child.send("\x01b")     # QEMU mon:stdio: Ctrl-A b sends a serial BREAK
    if expect(child, "K> ", "serial-break-enters-monitor"):
        child.send("continue\r")
        time.sleep(0.5)
        shell(child, "echo after-break", r"after-break", "continue-after-break")
    child.terminate(force=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
