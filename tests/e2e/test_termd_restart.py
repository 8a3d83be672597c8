#!/usr/bin/python3
"""End-to-end test: termd killed, the kernel takes the line back, init restarts termd.

One boot with termd on the console (termd=1), driven through pexpect (the
size probe gets no answer and costs its 500 ms).  While a shell runs under
termd, a helper in its own session stops termd (SIGSTOP, so it cannot take
the held kernel text any more), writes a kernel message (#cons/kprint)
(held for the owner), makes /bin/termd non-executable and kills termd
with SIGKILL, waits until it is gone and writes a second kernel message.
Checks: the held message the dead termd never took is printed on the line
when its console file closes, before the second one, which the kernel
writes to the port itself; init reports the death and, with no termd to
run, starts a shell on the console, whose terminal settings are sane again
(termd had left the line raw); a message written from that shell reaches
the line before the shell's next output.  Then termd is executable again,
the shell exits, and init's new termd serves a shell on a pty; that termd
is killed with SIGKILL too and the next one serves a shell and shows
kernel messages; killed three times as soon as it appears, termd is
started again each time, no sooner than a second after the previous
start (init's rate limit).  Prints "N passed, N failed".
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import Guest, summary  # noqa: E402

HELPER = ("setsid sh -c '%s' </dev/null >/dev/null 2>&1 &")


def pid_of_termd(g):
    """The pid of the one termd running, or None."""
    out, st = g.run("pidof termd")
    m = re.fullmatch(r"\s*(\d+)\s*", out or "")
    return int(m.group(1)) if st == 0 and m else None


def wait_text(g, pattern, timeout, start=0):
    """Wait until the transcript from offset start matches pattern (output
    that runs concurrently comes in any order); the match or None."""
    end = time.time() + timeout
    while time.time() < end:
        m = re.search(pattern, g.text()[start:])
        if m:
            return m
        g.wait(r"[\s\S]", 0.2)
    return None


def new_prompt(g, name):
    """After a restart whose prompt is already out: give the shell PROMPT; True if it came."""
    time.sleep(0.5)		# let the line editor take the terminal first
    g.sendline("PS1='SH''$ '")
    return g.expect(g.PROMPT, name) is not None


def sane_words(out):
    """The stty -a flags that termd's raw mode clears and a sane console has, missing ones."""
    words = (out or "").split()
    return [w for w in ("icanon", "isig", "echo", "icrnl", "opost", "onlcr")
            if w not in words or "-" + w in words]


def main():
    g = Guest("termd-restart", append="termd=1", smp=2, timeout=240)
    try:
        if not g.boot_to_shell("boot-to-termd-shell"):
            return summary()
        g.check_output("shell-on-pty", "tty", r"^/dev/pts/\d+$")
        t1 = pid_of_termd(g)
        g.check("termd-running", t1 is not None)
        if t1 is None:
            return summary()

        # Kill termd while its shell runs; nothing may start a new one meanwhile.
        g.sendline(HELPER % (
            "kill -STOP %d; echo held-unread-$((6*7)) > \"#cons/kprint\"; chmod -x /bin/termd; "
            "kill -9 %d; while kill -0 %d 2>/dev/null; do sleep 0.05; done; "
            "echo after-kill-$((7*8)) > \"#cons/kprint\"" % (t1, t1, t1)))
        start = len(g.text())
        g.check("kmsg-on-line-after-termd-killed", wait_text(g, r"after-kill-56", 30), g.tail())
        g.check("held-kmsg-shown-when-termd-died",
                re.search(r"held-unread-42[\s\S]*after-kill-56", g.text()[start:]))
        g.check("init-saw-termd-killed", wait_text(
            g, r"init: shell exited \(status 137\), restarting[\s\S]*# ", 15), g.tail())
        if not new_prompt(g, "console-shell-without-termd"):
            return summary()
        g.check_output("shell-on-console", "tty", r"^/dev/(console|ttyS0)$")
        out, _ = g.run("stty -a")
        missing = sane_words(out)
        g.check("console-sane-after-termd-killed", out is not None and not missing,
                "not set: %s in %r" % (missing, out))
        g.check_output("kmsg-direct-on-console", "echo direct-$((8*9)) > \"#cons/kprint\"",
                       r"direct-72")

        # termd back: the shell's exit makes init start termd again.
        g.run("chmod +x /bin/termd")
        g.sendline("exit")
        g.expect(r"init: shell exited \(status 0\), restarting", "init-saw-shell-exit", 15)
        if not g.fresh_prompt("termd-serves-shell-again", 30):
            return summary()
        g.check_output("restarted-shell-on-pty", "tty", r"^/dev/pts/\d+$")
        t2 = pid_of_termd(g)
        g.check("new-termd", t2 is not None and t2 != t1, "pids %s %s" % (t1, t2))

        # SIGKILL with termd executable: init starts termd itself again.
        g.sendline(HELPER % ("kill -9 %d" % t2))
        g.expect(r"init: shell exited \(status 137\), restarting", "init-saw-second-kill", 15)
        if not g.fresh_prompt("termd-restarted-after-kill", 30):
            return summary()
        g.check_output("third-shell-on-pty", "tty", r"^/dev/pts/\d+$")
        t3 = pid_of_termd(g)
        g.check("third-termd", t3 is not None and t3 not in (t1, t2), "pids %s %s %s" % (t1, t2, t3))
        g.sendline("echo via-termd-$((9*9)) > \"#cons/kprint\"")
        g.expect(r"via-termd-81", "kmsg-through-restarted-termd", 10)

        # Rate limit: termd killed at once each time it appears; init starts
        # the next one no sooner than a second after the previous start
        # (start times from /proc/PID/stat, in USER_HZ ticks).
        g.run("rm -f /tmp/rl")
        start = len(g.text())
        g.sendline(HELPER % (
            "p=$(pidof termd); for i in 1 2 3; do cut -d\" \" -f22 /proc/$p/stat >> /tmp/rl; "
            "kill -9 $p; while kill -0 $p 2>/dev/null; do sleep 0.02; done; "
            "while [ -z \"$(pidof termd)\" ]; do sleep 0.02; done; p=$(pidof termd); done; "
            "cut -d\" \" -f22 /proc/$p/stat >> /tmp/rl"))
        g.check("three-quick-kills-restarted", wait_text(
            g, r"(init: shell exited \(status 137\), restarting[\s\S]*){3}# ", 30, start),
                g.tail())
        if not new_prompt(g, "termd-serves-shell-after-quick-kills"):
            return summary()
        out, _ = g.run("cat /tmp/rl")
        starts = [int(x) for x in (out or "").split()]
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        print("info termd start times %s (ticks of 10 ms)" % starts)
        g.check("restarts-at-most-once-a-second", len(starts) == 4 and min(gaps) >= 100,
                "start times %s (ticks)" % starts)
    finally:
        g.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
