#!/usr/bin/python3
"""Tests of the e2e harness itself (tests/lib/guest.py), on host programs
only, so they run in seconds: Guest.run() on the host's busybox shell (the
same binary as the target's), monitor() on a fake monitor whose output
replays old K> prompts, failure reports with the recent output, waits that
time out instead of hanging, Tmux screens, Gdb commands, and the cleanup of
processes a script forgot.  Run by tests/e2e/run.sh.  Prints "N passed, N failed"."""
import contextlib
import io
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest  # noqa: E402
from guest import Gdb, Guest, Process, Tmux, check, summary  # noqa: E402

# A stand-in for the kernel monitor: raw terminal, echo as it reads, K>
# prompts, `dmesg` replays earlier prompts (as the real one does) and
# stalls half-way, unknown commands answer like the real monitor.
FAKE_MONITOR = r'''
import os, sys, time, tty
tty.setraw(0)
log = ["kernel ready\n"]
def out(s):
    os.write(1, s.replace("\n", "\r\n").encode())
    log.append(s)
out("boot\n")
while True:
    out("K> ")
    line = ""
    while True:
        c = os.read(0, 1).decode()
        if c in "\r\n":
            out("\n")
            break
        line += c
        out(c)
    if line == "dmesg":
        text = "".join(log)
        half = len(text) // 2
        os.write(1, text[:half].replace("\n", "\r\n").encode())
        time.sleep(0.5)
        os.write(1, text[half:].replace("\n", "\r\n").encode())
    elif line == "continue":
        sys.exit(0)
    elif line:
        out("unknown command '%s' (try help)\n" % line)
'''


def shell_tests(tmp):
    env = dict(os.environ, PS1="# ", HOME=tmp, ENV="")
    g = Guest("selftest-shell", argv=["busybox", "sh", "-i"], env=env, cwd=tmp)
    if not g.boot_to_shell(timeout=10):
        g.close()
        return
    out, st = g.run("printf 'a\\nb'")
    g.check("run: output without a final newline", (out, st) == ("a\nb", 0), repr((out, st)))
    out, st = g.run("echo one; echo two >&2; false")
    g.check("run: stdout, stderr and status", (out, st) == ("one\ntwo\n", 1), repr((out, st)))
    long_cmd = "echo " + " ".join("word%d" % i for i in range(40))
    out, st = g.run(long_cmd)
    g.check("run: a line longer than the terminal", out == long_cmd[5:] + "\n", repr(out))
    g.enter("(exit 7)")
    out, st = g.run("echo $?")
    g.check("run: keeps $? of the previous command", out == "7\n", repr(out))
    out, st = g.run("sleep 0.2 &")
    g.check("run: a command ending with &", st == 0 and out == "", repr((out, st)))
    g.check_output("check_output: pattern with re.M", "printf 'x\\ny\\n'", r"^y$")
    t0 = time.time()
    out, st = g.run("sleep 5", timeout=1)
    g.check("run: timeout returns (None, None) in time", (out, st) == (None, None)
            and time.time() - t0 < 3, repr((out, st)))
    g.sendcontrol("c")
    g.expect(g.PROMPT)
    g.check("run: works again after a timeout", g.run("echo back") == ("back\n", 0))
    g.sendline("exit 3")
    g.check("wait_exit: the exit status", g.wait_exit(10) == 3, repr(g.status))
    g.close()


def monitor_tests():
    g = Guest("selftest-monitor", argv=[sys.executable, "-c", FAKE_MONITOR])
    if not g.boot_to_monitor(timeout=10):
        g.close()
        return
    g.check_monitor("monitor: command output", "frob", r"^unknown command 'frob' \(try help\)$")
    out = g.monitor("dmesg")
    lines = (out or "").split("\n")
    g.check("monitor: output with old K> prompts is complete",
            out is not None and lines[0] == "kernel ready" and "K> frob" in lines
            and lines[-2:] == ["K> dmesg", ""], repr(out))
    g.check("monitor: empty output", g.monitor("") == "", repr(g.text()[-200:]))
    g.check("monitor: next command after dmesg", g.monitor("x") == "unknown command 'x' (try help)\n",
            repr(g.text()[-200:]))
    g.monitor_continue()
    g.check("monitor: continue", g.wait_exit(10) == 0, repr(g.status))
    g.close()


def report_tests():
    saved = guest.results
    guest.results = guest.Results()
    p = Process("selftest-report", ["sh", "-c", "for i in $(seq 1 40); do echo line$i; done; sleep 30"])
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        p.wait(r"line40")
        t0 = time.time()
        m = p.wait(r"never printed", timeout=1)
        waited = time.time() - t0
        p.expect(r"never printed", "a failing expect", timeout=0.5)
        p.check("a failing check", False, "detail")
        code = guest.results.summary()
    text = buf.getvalue()
    counts = (guest.results.passed, guest.results.failed)
    guest.results = saved
    check("wait: times out in time", m is None and waited < 2, "%.1f s" % waited)
    check("expect: a failure is counted", counts == (0, 2), repr(counts))
    check("failure report: recent output, once", text.count("| line40") == 1
          and "| line21" in text and "| line20" not in text
          and "no new output from selftest-report" in text, text)
    check("summary: last line and status", text.endswith("0 passed, 2 failed\n") and code == 1,
          repr(text[-40:]))
    guest._kill_leftovers()
    check("processes left running are killed at exit", not p.child.isalive())


def tmux_tests():
    if not check("tmux installed (tools/install-deps)", shutil.which("tmux") is not None):
        return
    t = Tmux("selftest-tmux", ["sh", "-c", "printf 'hello\\n'; read x; printf 'got %s\\n' \"$x\"; exit 4"],
             width=40, height=10)
    ok = t.wait_screen(r"^hello$", 10) is not None
    t.check("tmux: screen shows the output", ok)
    t.send_text("abc")
    t.send_keys("Enter")
    t.check("tmux: typed text reaches the program", t.wait_screen(r"^got abc$", 10) is not None)
    deadline = time.time() + 10
    while t.exit_status() is None and time.time() < deadline:
        time.sleep(0.1)
    t.check("tmux: exit status", t.exit_status() == 4, repr(t.exit_status()))
    log = t.logged() or ""
    check("tmux: output logged", "hello" in log and "got abc" in log, repr(log))
    t.close()


def gdb_tests():
    g = Gdb("selftest-gdb")
    g.check("gdb: first prompt", g.ready)
    out = g.cmd("print 6*7")
    g.check("gdb: command output", out is not None and out.strip() == "$1 = 42", repr(out))
    g.sendline("quit")
    g.check("gdb: quits", g.wait_exit(10) == 0, repr(g.status))
    g.close()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        shell_tests(tmp)
    monitor_tests()
    report_tests()
    tmux_tests()
    gdb_tests()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
