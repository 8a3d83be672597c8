"""Shared harness of the host-driven end-to-end tests (tests/e2e/test_*.py).

Model.  A test script is a sequence of named checks, each passing or
failing, and ends with the line "N passed, N failed" (summary()).  What
it drives are host processes on a pseudo-terminal under pexpect
(Process): a guest booted with tools/qemu-run, whose serial console is
that terminal (Guest), gdb (Gdb), or any other host program; full-screen
programs are watched through a tmux session's screen instead (Tmux).

Every process keeps a transcript of what it printed, in memory and in
build/test-logs/e2e-NAME.log, so a script can parse boot messages after
the fact, and a failed check made through a process (proc.check) prints
the last lines that process printed: a hang shows where it hung.

Waiting never hangs: every wait has a timeout, qemu-run gets --timeout
(the guest dies even if the script does), and every process still alive
when the script exits is killed.

The guest's shell: boot_to_shell() waits for busybox's first prompt and
sets PS1 to 'SH$ ' (PROMPT).  run(CMD) types one line that brackets CMD
between two markers printed by the guest, so it returns exactly CMD's
output and exit status however the line editor echoes and wraps the
typed line; $? from the previous command is kept for CMD.  The kernel
monitor: monitor_enter() (Ctrl-G, Ctrl-G Ctrl-G or a serial BREAK),
monitor(CMD) returns a command's output, monitor_continue() resumes.

Usage (see tests/e2e/test_monitor.py for a whole script):

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    from guest import Guest, summary

    g = Guest("example", smp=2, timeout=240)
    if g.boot_to_shell():
        g.check_output("uname", "uname -s", r"^Linux$")
    g.close()
    sys.exit(summary())
"""
import atexit
import os
import re
import socket
import subprocess
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "tools", "qemu-run")
BUILD = os.path.join(ROOT, "build")
LOGDIR = os.path.join(BUILD, "test-logs")
INITRD = os.path.join(BUILD, "initramfs.cpio")
KERNEL_ELF = os.path.join(BUILD, "kernel.elf")

TAIL_LINES = 20		# lines of recent output shown under a failed check


class Results:
    """Pass/fail counters of one script."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail="", proc=None):
        """Record one check; on failure print detail and proc's recent output. Returns ok."""
        ok = bool(ok)
        if ok:
            self.passed += 1
            print("ok   %s" % name, flush=True)
        else:
            self.failed += 1
            print("FAIL %s %s" % (name, detail), flush=True)
            if proc is not None:
                proc.dump()
        return ok

    def summary(self):
        """Print the final "N passed, N failed" line; returns the script's exit status."""
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed else 0


results = Results()


def check(name, ok, detail=""):
    """Record one check in the script's counters; returns ok."""
    return results.check(name, ok, detail)


def summary():
    """Print "N passed, N failed"; returns 1 if any check failed, else 0."""
    return results.summary()


def printable(line):
    """line with control characters other than tab shown as \\xNN."""
    return "".join(c if c.isprintable() or c == "\t" else "\\x%02x" % ord(c) for c in line)


def free_port():
    """A TCP port on localhost that was free a moment ago (for --serial2 tcp:PORT, gdb)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Transcript:
    """pexpect's logfile_read: everything a process printed, in a log file and in memory."""

    def __init__(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path
        self.file = open(path, "w", encoding="utf-8", errors="replace")
        self.chunks = []
        self.size = 0

    def write(self, data):
        self.chunks.append(data)
        self.size += len(data)
        if not self.file.closed:
            self.file.write(data)

    def flush(self):
        if not self.file.closed:
            self.file.flush()

    def text(self):
        """All output so far, with carriage returns dropped."""
        if len(self.chunks) > 1:
            self.chunks = ["".join(self.chunks)]
        return self.chunks[0].replace("\r", "") if self.chunks else ""

    def close(self):
        self.file.close()


_live = []


@atexit.register
def _kill_leftovers():
    for p in list(_live):
        p.close()


class Process:
    """A host program on a pseudo-terminal, driven with pexpect."""

    EOL = "\n"		# what Enter sends

    def __init__(self, name, argv, env=None, cwd=None, dimensions=(24, 80)):
        self.name = name
        self.transcript = Transcript(os.path.join(LOGDIR, "e2e-%s.log" % name))
        self.child = pexpect.spawn(argv[0], list(argv[1:]), env=env, cwd=cwd, encoding="utf-8",
                                   codec_errors="replace", dimensions=dimensions)
        self.child.logfile_read = self.transcript
        self.status = None
        self._dumped_at = -1
        _live.append(self)

    # Output.
    def text(self):
        """Everything the process printed so far (no carriage returns)."""
        return self.transcript.text()

    def tail(self, lines=TAIL_LINES):
        """The last lines it printed, for failure reports."""
        return self.text().rstrip("\n").split("\n")[-lines:]

    def dump(self):
        """Print the recent output under a failed check (once per new output)."""
        where = "%s (log %s)" % (self.name, os.path.relpath(self.transcript.path, ROOT))
        if self._dumped_at == self.transcript.size:
            print("     (no new output from %s since the last dump)" % where)
            return
        self._dumped_at = self.transcript.size
        print("     last output of %s:" % where)
        for line in self.tail():
            print("     | " + printable(line))

    def check(self, name, ok, detail=""):
        """A check about this process: on failure its recent output is shown. Returns ok."""
        return results.check(name, ok, detail, proc=self)

    # Input.
    def send(self, s):
        """Type s as is (nothing if the process has ended)."""
        try:
            self.child.send(s)
        except OSError:
            pass

    def sendline(self, line):
        """Type line and Enter."""
        self.send(line + self.EOL)

    def sendcontrol(self, c):
        """Type Ctrl-c."""
        self.send(chr(ord(c.lower()) & 0x1f))

    # Waiting.
    def wait(self, pattern, timeout=20):
        """Wait for regex pattern in the output; the match, or None on timeout or exit."""
        try:
            self.child.expect(pattern, timeout=timeout)
            return self.child.match
        except (pexpect.TIMEOUT, pexpect.EOF):
            return None

    def expect(self, pattern, name=None, timeout=20):
        """Wait for pattern and record a check named name (None: a check only if it fails).

        Returns the match or None."""
        m = self.wait(pattern, timeout)
        if m is not None:
            if name:
                self.check(name, True)
        else:
            self.check(name or "expect %r" % pattern, False,
                       "(no /%s/ within %s s)" % (pattern, timeout))
        return m

    @property
    def before(self):
        """Output between the previous match and the last one."""
        return self.child.before or ""

    def ask(self, line, prompt, timeout=30):
        """Type line, wait for the prompt regex; the output in between without the
        echoed line and carriage returns, or None on timeout."""
        self.sendline(line)
        if self.wait(prompt, timeout) is None:
            return None
        out = self.before.replace("\r", "")
        return out.split("\n", 1)[1] if "\n" in out else ""

    def wait_exit(self, timeout=30):
        """Wait for the process to end; its exit status (128+N if killed by signal N),
        or None if it is still running after timeout."""
        if self.status is not None:
            return self.status
        if self.wait(pexpect.EOF, timeout) is None and self.child.isalive():
            return None
        self.child.close()
        if self.child.signalstatus is not None:
            self.status = 128 + self.child.signalstatus
        else:
            self.status = self.child.exitstatus
        return self.status

    def close(self):
        """Kill the process if it still runs and close its log; its status."""
        if self in _live:
            _live.remove(self)
        if self.status is None:
            if self.child.isalive():
                self.child.terminate(force=True)
            self.wait_exit(5)
        self.transcript.close()
        return self.status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def qemu_run_args(smp=2, mem=None, machine=None, append=None, devices=(), initrd=None,
                  no_initrd=False, timeout=240, serial2=None, gdb=False, watchdog=True,
                  extra=()):
    """tools/qemu-run's command line (without the program) for these options.

    watchdog: the lockup detectors on (qemu-run --watchdog), as in every test boot."""
    args = ["--smp", str(smp)]
    # The console without termd (its pty) unless a test asks for it (test_termd.py).
    if not append or "termd=" not in append:
        append = ("termd=0 " + append) if append else "termd=0"
    if watchdog:
        args += ["--watchdog"]
    if mem:
        args += ["--mem", str(mem)]
    if machine:
        args += ["--machine", machine]
    if append:
        args += ["--append", append]
    for d in devices:
        args += ["--device", d]
    if initrd:
        args += ["--initrd", initrd]
    if no_initrd:
        args += ["--no-initrd"]
    if timeout:
        args += ["--timeout", str(timeout)]
    if serial2:
        args += ["--serial2", serial2]
    if gdb:
        args += ["--gdb"]
    return args + list(extra)


class Guest(Process):
    """The kernel booted with tools/qemu-run; its serial console is the terminal.

    Options as qemu_run_args(); timeout (seconds from QEMU's start) bounds the
    whole boot.  initrd None: qemu-run's default, build/initramfs.cpio.
    argv replaces the whole qemu-run command (the harness's own tests drive
    a host busybox shell this way)."""

    EOL = "\r"			# a serial terminal sends CR for Enter
    PROMPT = r"SH[$] "		# PS1 set by fresh_prompt()
    MONITOR_PROMPT = r"K> "

    def __init__(self, name, argv=None, env=None, cwd=None, **opts):
        self.opts = opts
        self.own_argv = argv is not None
        super().__init__(name, argv or [RUN] + qemu_run_args(**opts), env=env, cwd=cwd)
        self.cmds = 0

    # The shell.
    def fresh_prompt(self, name=None, timeout=20):
        """Wait for a new shell's "# " prompt and give it PROMPT; True if it came."""
        if self.expect(r"# ", name, timeout) is None:
            return False
        time.sleep(0.5)		# let the line editor take the terminal first
        self.sendline("PS1='SH''$ '")	# the echo must not look like the prompt
        return self.expect(self.PROMPT) is not None

    def boot_to_shell(self, name="boot-to-shell", timeout=90):
        """Wait for the boot to end in the shell (a check named name); True if it did."""
        if not self.own_argv and not self.opts.get("initrd") and not self.opts.get("no_initrd") \
                and not os.path.exists(INITRD):
            self.check(name, False, "no %s: run make" % os.path.relpath(INITRD, ROOT))
            return False
        return self.fresh_prompt(name, timeout)

    def enter(self, line, timeout=20):
        """Type line at the prompt and wait for the next prompt; True if it came."""
        self.sendline(line)
        return self.expect(self.PROMPT, None, timeout) is not None

    def run(self, cmd, timeout=30):
        """Run one shell command line at the prompt; (output, status), (None, None) on timeout.

        The output is exactly what cmd printed (stdout and stderr, "\\r\\n" as "\\n")."""
        self.cmds += 1
        n = self.cmds
        sep = " " if re.search(r"(^|[^&])&\s*$", cmd) else "; "
        self.sendline("_s=$?; printf '@@B%%s@@\\n' %d; (exit $_s); %s%sprintf '\\n@@E%%s %%d@@\\n' %d $?"
                      % (n, cmd, sep, n))
        if self.wait(r"@@B%d@@\r*\n" % n, timeout) is None:
            return None, None
        m = self.wait(r"\r*\n@@E%d (\d+)@@" % n, timeout)
        if m is None:
            return None, None
        out = self.before.replace("\r", "")
        status = int(m.group(1))
        self.wait(self.PROMPT, timeout)
        return out, status

    def check_output(self, name, cmd, pattern, timeout=30, status=None):
        """Check that cmd's output matches regex pattern (re.M; and its status
        is status unless None). Returns the output (None on timeout)."""
        out, st = self.run(cmd, timeout)
        ok = out is not None and re.search(pattern, out, re.M) is not None
        if status is not None:
            ok = ok and st == status
        detail = "(timed out after %s s)" % timeout if out is None else \
            "status %d, no /%s/ in %r" % (st, pattern, out[-600:])
        self.check(name, ok, detail)
        return out

    # The kernel monitor.
    def boot_to_monitor(self, name="boot-to-monitor", timeout=60):
        """Wait for the K> prompt after a boot with `monitor`; True if it came."""
        return self.expect(self.MONITOR_PROMPT, name, timeout) is not None

    def send_break(self):
        """Send a serial BREAK (Ctrl-A b of QEMU's mon:stdio)."""
        self.send("\x01b")

    def monitor_enter(self, how="ctrl-g", name=None, timeout=20):
        """Enter the monitor by "ctrl-g", "ctrl-g-ctrl-g" or "break"; True if K> came."""
        keys = {"ctrl-g": "\x07", "ctrl-g-ctrl-g": "\x07\x07", "break": "\x01b"}[how]
        self.send(keys)
        return self.expect(self.MONITOR_PROMPT, name, timeout) is not None

    def monitor(self, cmd, timeout=30):
        """Run a monitor command at K>; its output (no echo, no prompt), None on timeout.

        A K> in the output (dmesg replays old prompts) must not end it early,
        so an unknown command with a unique name is typed right behind cmd:
        the monitor echoes it only at the prompt that really follows cmd's
        output.  (Not for commands that read the console or do not return
        to K>: continue, reboot, irqecho.)"""
        self.cmds += 1
        mark = "@@end%d" % self.cmds
        self.send(cmd + self.EOL + mark + self.EOL)
        if self.wait(r"\n%s%s\r*\n" % (self.MONITOR_PROMPT, mark), timeout) is None:
            return None
        out = (self.before + "\n").replace("\r", "")	# the match took the last newline
        if self.wait(r"unknown command '%s'.*\n%s" % (mark, self.MONITOR_PROMPT), timeout) is None:
            return None
        return out.split("\n", 1)[1]

    def check_monitor(self, name, cmd, pattern, timeout=30):
        """Check that a monitor command's output matches regex pattern; returns the output."""
        out = self.monitor(cmd, timeout)
        self.check(name, out is not None and re.search(pattern, out) is not None,
                   "(timed out)" if out is None else "no /%s/ after '%s' in %r" %
                   (pattern, cmd, out[-400:]))
        return out

    def monitor_continue(self):
        """Leave the monitor (`continue`); the interrupted program resumes."""
        self.sendline("continue")
        time.sleep(0.5)		# the monitor prints nothing; let it return first

    def reboot(self, timeout=30):
        """`reboot` from the monitor and wait for QEMU to exit; its status or None."""
        self.sendline("reboot")
        return self.wait_exit(timeout)


class Gdb(Process):
    """Host gdb (no init files, no pager, no confirmations) under pexpect."""

    PROMPT = r"\(gdb\) "

    def __init__(self, name, args=(), gdb="gdb"):
        # TERM=dumb: no bracketed-paste or other escape sequences around the output.
        # Every remote packet goes to e2e-NAME.rsp.log, for the diagnosis of a failure.
        rsplog = os.path.join(LOGDIR, "e2e-%s.rsp.log" % name)
        super().__init__(name, [gdb, "-q", "-nx", "-ex", "set pagination off",
                                "-ex", "set confirm off", "-ex", "set width 0",
                                "-ex", "set remotelogfile " + rsplog] + list(args),
                         env=dict(os.environ, TERM="dumb"))
        self.ready = self.wait(self.PROMPT, 30) is not None

    def cmd(self, line, timeout=30):
        """Run a gdb command; its output, None on timeout."""
        return self.ask(line, self.PROMPT, timeout)


def qemu_run(name, args, timeout=600):
    """Run tools/qemu-run ARGS to its end (stdin closed; use --exec or a guest that
    powers off); (status, output without carriage returns), kept in e2e-NAME.log."""
    try:
        r = subprocess.run([RUN] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        status, out = r.returncode, r.stdout
    except subprocess.TimeoutExpired as e:
        status, out = None, e.stdout or b""
    text = out.decode("utf-8", "replace").replace("\r", "")
    os.makedirs(LOGDIR, exist_ok=True)
    with open(os.path.join(LOGDIR, "e2e-%s.log" % name), "w") as f:
        f.write(text)
    return status, text


class Tmux:
    """A detached tmux session of a fixed size running argv, for full-screen
    programs: the checks read its screen.  Output is logged to e2e-NAME.log."""

    def __init__(self, name, argv, width=80, height=24):
        self.name = name
        self.sock = "e2e-%s-%d" % (name, os.getpid())
        self.log = os.path.join(LOGDIR, "e2e-%s.log" % name)
        os.makedirs(LOGDIR, exist_ok=True)
        open(self.log, "w").close()
        self._dumped = None
        # The pane runs a wrapper shell: it waits for a go file (so the log
        # is attached before the program prints anything), runs the
        # program and writes its status to a file.  tmux's own
        # pane_dead_status is not used: tmux 3.3a sometimes never reaps
        # the pane's process (about 1 run in 10 here: the pane is dead, its
        # process a zombie of the server, no status ever).
        base = os.path.join(LOGDIR, ".%s" % self.sock)
        self.go, self.status_file = base + ".go", base + ".status"
        for f in (self.go, self.status_file):
            if os.path.exists(f):
                os.unlink(f)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", str(width),
                  "-y", str(height), "sh", "-c",
                  'go=$0 st=$1; shift; while [ ! -e "$go" ]; do sleep 0.01; done; rm -f "$go"; '
                  '"$@"; echo $? >"$st.tmp"; mv "$st.tmp" "$st"',
                  self.go, self.status_file, *argv)
        self.tmux("set-option", "-t", "main", "remain-on-exit", "on")
        # The log's writer marks the end of the pane's output when its pipe
        # is closed (logged() closes it once the program has ended).
        self.log_done = base + ".logdone"
        if os.path.exists(self.log_done):
            os.unlink(self.log_done)
        self.tmux("pipe-pane", "-t", "main", "-o",
                  "cat >> '%s'; touch '%s'" % (self.log, self.log_done))
        open(self.go, "w").close()
        _live.append(self)

    def tmux(self, *args):
        """Run a tmux command on this session's server; its stdout."""
        return subprocess.run(["tmux", "-L", self.sock] + list(args), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True).stdout

    def send_keys(self, *keys):
        """Press tmux keys ("Enter", "C-g", "Escape", "Up"...)."""
        self.tmux("send-keys", "-t", "main", *keys)

    def send_text(self, text):
        """Type text literally."""
        self.tmux("send-keys", "-t", "main", "-l", text)

    def screen(self):
        """The visible screen, one string per row (trailing blanks dropped)."""
        return [l.rstrip() for l in self.tmux("capture-pane", "-p", "-t", "main").split("\n")]

    def cursor(self):
        """(column, row) of the cursor."""
        x, y = self.tmux("display-message", "-p", "-t", "main",
                         "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def wait_screen(self, pattern, timeout=20):
        """Wait until the screen (rows joined by "\\n") matches pattern; the match or None."""
        deadline = time.time() + timeout
        while True:
            m = re.search(pattern, "\n".join(self.screen()), re.M)
            if m or time.time() >= deadline:
                return m
            time.sleep(0.2)

    def logged(self, timeout=10):
        """All the program printed, once it ended; None if it has not ended in time.

        Complete means: the program exited (status file), tmux read its
        terminal to the end (pane_dead), then the pipe to the log is closed
        and its writer has finished (log_done).  tmux will not close the
        pipe of a dead pane, so this ends the session: call it last."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            dead = self.tmux("display-message", "-p", "-t", "main", "#{pane_dead}").strip()
            if self.exit_status() is not None and dead == "1":
                break
            time.sleep(0.05)
        else:
            return None
        self.tmux("kill-server")
        while not os.path.exists(self.log_done) and time.time() < deadline:
            time.sleep(0.05)
        if not os.path.exists(self.log_done):
            return None
        with open(self.log, errors="replace") as f:
            return f.read()

    def exit_status(self):
        """The program's exit status once it ended (128 + N if killed by signal N), else None."""
        try:
            with open(self.status_file) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    def dump(self):
        """Print the screen under a failed check (once per new screen)."""
        rows = self.screen()
        if rows == self._dumped:
            print("     (screen of %s unchanged since the last dump)" % self.name)
            return
        self._dumped = rows
        print("     screen of %s (log %s):" % (self.name, os.path.relpath(self.log, ROOT)))
        for row in rows:
            print("     | " + printable(row))

    def check(self, name, ok, detail=""):
        """A check about this screen: on failure the screen is shown. Returns ok."""
        return results.check(name, ok, detail, proc=self)

    def close(self):
        """Kill the session and its server."""
        if self in _live:
            _live.remove(self)
        self.tmux("kill-server")
