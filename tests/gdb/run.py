#!/usr/bin/python3
"""The gdb tier: stock host gdb debugging target programs through gdbserver-akaros.

One boot with `--serial2 tcp:PORT` (COM2, /dev/ttyS1 on the target, a TCP
port here).  Checks, each named:
  - the kernel interface alone: tests/gdb/dbgctl and denied, one check per
    line they print (attach, stop, regs, /proc/PID/mem, process_vm_*,
    breakpoint, step, watchpoint, signals, detach, exit; permissions);
  - a session started by gdbserver-akaros (break, continue, bt, finish,
    next, step, print and set a variable, x/s, info registers, a
    conditional breakpoint, a hardware watchpoint, threads, continue to
    the exit), each command's output against an expected pattern, and the
    whole transcript against the same script run with GNU gdbserver on
    the host (pids, thread ids and stack addresses normalised; the host
    uses software watchpoints: these machines are VMs);
  - garbage on the link (bad checksums, an overlong packet, random bytes)
    is refused and the server still answers;
  - attaching to a running program: a hardware breakpoint, Ctrl-C, detach
    leaving it running, gdbserver-akaros's GNU messages;
  - attaching to a running MCP (tests/gdb/mcpdbg, 2 vcores): its uthreads
    as gdb threads with their names, bt of blocked uthreads from their
    saved contexts, a breakpoint hit on both vcores, a hardware watchpoint
    fired by writes on both vcores, next/stepi in a uthread, a stop that
    stops every vcore, detach leaving it to finish with the right result;
  - tools/gdb-target, the one command (a second boot), on a dynamic PIE
    program: its load address from qXfer:auxv, its libraries, finish.
Prints "N passed, N failed".
"""
import os
import random
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import BUILD, Gdb, Guest, check, free_port, summary  # noqa: E402

PROG = os.path.join(BUILD, "tests", "gdb", "gdbtarget")
MCP = os.path.join(BUILD, "tests", "gdb", "mcpdbg")
PIE = os.path.join(BUILD, "tests", "gdb-host", "pie")

# (command, pattern its output must match; compared with the reference?)
SCRIPT = [
    ("break square", r"Breakpoint 1 at 0x[0-9a-f]+: file .*gdbtarget\.c, line \d+\.", True),
    ("continue", r"Breakpoint 1, square \(v=0\) at .*gdbtarget\.c:\d+", True),
    ("bt", r"#0  square \(v=0\) .*\n#1  0x[0-9a-f]+ in main \(", True),
    ("finish", r"Run till exit from #0  square \(v=0\)(.|\n)*Value returned is \$1 = 0", True),
    ("next", r"^\d+\t", True),
    ("step", r"^\d+\t", True),
    ("step", r"square \(v=1\)", True),
    ("p origin", r"^\$2 = \{x = 3, y = 4\}$", True),
    ("set var origin.x = 7", r"^$", True),
    ("p origin", r"^\$3 = \{x = 7, y = 4\}$", True),
    ("x/s message", r'<message>:\s+"hello"', True),
    ("x/2dw &origin", r"<origin>:\s+7\s+4", True),
    ("info registers rip", r"^rip\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <square\+\d+>", True),
    ("p $rsp == $sp", r"= 1", True),
    ("delete", r"^$", True),
    ("p square(6)", r"^\$\d+ = 36$", True),
    ("break square if v == 3", r"Breakpoint 2 at", True),
    ("continue", r"Breakpoint 2, square \(v=3\)", True),
    ("p r", r"^\$6 = ", True),
    ("delete", r"^$", True),
    ("break bump", r"Breakpoint 3 at", True),
    ("continue", r"Breakpoint 3, bump \(\)", True),
    ("watch watched", r"atchpoint 4: watched", True),
    ("continue", r"atchpoint 4: watched\s+Old value = 0\s+New value = 1", True),
    ("delete", r"^$", True),
    ("break worker_done", r"Breakpoint 5 at", True),
    ("continue", r"hit Breakpoint 5, worker_done \(id=", False),
    ("info threads", r"Thread \d+ (.|\n)*Thread \d+ (.|\n)*Thread \d+ ", False),
    ("delete", r"^$", True),
    ("continue", r"\[Inferior 1 \(.*\) exited normally\]", True),
]


def normalise(text):
    """A transcript with what legitimately differs between servers made equal."""
    out = []
    for line in text.replace("\r", "").split("\n"):
        if re.match(r"\[(New Thread|Switching to|Thread .* exited)", line) or \
                line.startswith("warning: remote target does not support file transfer"):
            continue
        line = re.sub(r"Thread [0-9.]+", "Thread N", line)
        line = re.sub(r"\((process \d+|Remote target)\)", "(P)", line)
        line = re.sub(r"0x7ff[0-9a-f]+", "0xSTACK", line)
        line = line.replace("Hardware watchpoint", "Watchpoint")
        out.append(line)
    return "\n".join(out).strip()


def run_script(name, port, hw_watch, prefix):
    """SCRIPT in host gdb against localhost:port; [(cmd, output)] (None: no answer)."""
    gdb = Gdb(name, [PROG])
    res = []
    if not gdb.ready:
        return gdb, res
    if not hw_watch:
        gdb.cmd("set can-use-hw-watchpoints 0")
    out = gdb.cmd("target remote localhost:%d" % port, 60)
    check(prefix + "connect", out is not None and "Remote debugging using" in out, repr(out))
    for cmd, _, _ in SCRIPT:
        out = gdb.cmd(cmd, 90)
        res.append((cmd, out))
        if out is None:
            break
    return gdb, res


def reference(port):
    """SCRIPT against GNU gdbserver on the host; [(cmd, output)], [] if it cannot run."""
    try:
        srv = subprocess.Popen(["gdbserver", "--once", "localhost:%d" % port, PROG],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return []
    time.sleep(1)
    gdb, res = run_script("gdb-reference", port, False, "reference-")
    gdb.close()
    srv.kill()
    srv.wait()
    return res


def link_garbage(port):
    """Bad packets straight to gdbserver-akaros: refused, then a good one answered."""
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.settimeout(20)

    def answer(data, want):
        s.sendall(data)
        got = b""
        end = time.time() + 20
        while not re.search(want, got) and time.time() < end:
            try:
                chunk = s.recv(4096)
            except socket.timeout:
                break
            if not chunk:
                break
            got += chunk
        return got

    got = answer(b"$g#00", rb"-")
    check("rsp-bad-checksum", got.startswith(b"-"), repr(got[:40]))
    got = answer(b"$" + b"m" * 20000 + b"#00", rb"-")
    check("rsp-overlong-packet", got.startswith(b"-"), repr(got[:40]))
    rnd = random.Random(15)
    s.sendall(bytes(rnd.choice(b"ab$#}*0123456789:;,+-") for _ in range(4096)) + b"#00")
    got = answer(b"$?#3f", rb"\$T[0-9a-f]{2}[^#]*#[0-9a-f]{2}")
    check("rsp-answers-after-garbage", re.search(rb"\$T[0-9a-f]{2}", got) is not None,
          repr(got[-80:]))
    s.sendall(b"+")
    s.close()


def started_session(g, port):
    """gdbserver-akaros PROG: SCRIPT, each step checked and compared with GNU gdbserver."""
    g.run("gdbserver-akaros /dev/ttyS1 /tests/gdb/gdbtarget > /tmp/gs.log 2>&1 &")
    out = None
    for _ in range(30):
        out, _ = g.run("cat /tmp/gs.log")
        if out and "Remote debugging using" in out:
            break
        time.sleep(0.5)
    g.check("gdbserver-started", out is not None and
            re.search(r"Process /tests/gdb/gdbtarget created; pid = \d+\nRemote debugging "
                      r"using /dev/ttyS1", out) is not None, repr(out))
    link_garbage(port)
    gdb, res = run_script("gdb-target", port, True, "")
    for (cmd, pattern, _), (_, out) in zip(SCRIPT, res):
        gdb.check("gdb: %s" % cmd, out is not None and re.search(pattern, out.strip(), re.M),
                  repr(out))
    gdb.check("gdb: script complete", len(res) == len(SCRIPT), "%d of %d" % (len(res), len(SCRIPT)))
    gdb.close()
    out, _ = g.run("sleep 1; cat /tmp/gs.log")
    g.check("gdbserver-exit-message", out is not None and
            "total=30 watched=2 message=hello\n" in out and
            "Child exited with status 0" in out, repr(out))
    ref = reference(free_port())
    if not ref:
        check("reference-transcript", False, "GNU gdbserver did not run (tools/install-deps)")
        return
    diffs = []
    for (cmd, _, compare), (_, mine), (_, theirs) in zip(SCRIPT, res, ref):
        if compare and normalise(mine or "") != normalise(theirs or ""):
            diffs.append("%s:\n  ours:   %r\n  theirs: %r" % (cmd, normalise(mine or ""),
                                                           normalise(theirs or "")))
    check("reference-transcript", len(ref) == len(SCRIPT) and not diffs,
          "\n".join(diffs) or "%d of %d commands" % (len(ref), len(SCRIPT)))


def attach_session(g, port):
    """Attach to a running program: hbreak, Ctrl-C, detach; it keeps running."""
    out, _ = g.run("/tests/gdb/gdbtarget spin > /dev/null & echo $!")
    pid = int(out.strip().split()[-1]) if out and out.strip() else 0
    g.run("gdbserver-akaros --attach /dev/ttyS1 %d > /tmp/ga.log 2>&1 &" % pid)
    time.sleep(1)
    out, _ = g.run("cat /tmp/ga.log")
    g.check("attach-message", out is not None and "Attached; pid = %d" % pid in out, repr(out))
    gdb = Gdb("gdb-attach", [PROG])
    out = gdb.cmd("target remote localhost:%d" % port, 60)
    gdb.check("attach-connect", out is not None and "main (" in out, repr(out))
    out = gdb.cmd("info threads")
    gdb.check("attach-threads", out is not None and re.search(r"\* 1 +Thread %d" % pid, out),
              repr(out))
    out = gdb.cmd("p counter > 0")
    gdb.check("attach-read-variable", out is not None and "= 1" in out, repr(out))
    out = gdb.cmd("hbreak bump")
    gdb.check("hbreak", out is not None and "Hardware assisted breakpoint 1" in out, repr(out))
    out = gdb.cmd("continue", 90)
    gdb.check("hbreak-hit", out is not None and "Breakpoint 1, bump ()" in out, repr(out))
    out = gdb.cmd("p counter % 100000")
    gdb.check("hbreak-state", out is not None and re.search(r"= 0$", out.strip()), repr(out))
    gdb.cmd("delete")
    before = gdb.cmd("p counter")
    gdb.sendline("continue")
    gdb.check("continue-running", gdb.wait("Continuing.", 20) is not None)
    time.sleep(2)
    gdb.sendcontrol("c")
    m = gdb.wait(r"received signal SIGINT(.|\n)*\(gdb\) ", 30)
    gdb.check("ctrl-c-interrupts", m is not None, gdb.tail())
    after = gdb.cmd("p counter")
    num = [int(re.search(r"= (\d+)", x).group(1)) if x and re.search(r"= (\d+)", x) else -1
           for x in (before, after)]
    gdb.check("ran-between", num[1] > num[0] >= 0, "%r then %r" % (before, after))
    out = gdb.cmd("detach")
    gdb.check("detach", out is not None and "Detaching from program" in out, repr(out))
    gdb.close()
    time.sleep(1)
    out, _ = g.run("cat /tmp/ga.log; grep -o '^[0-9]* ([^)]*) [A-Z]' /proc/%d/stat" % pid)
    g.check("detach-message", out is not None and "Detaching from process %d" % pid in out,
            repr(out))
    g.check("runs-after-detach", out is not None and
            re.search(r"^%d \(gdbtarget\) [RS]$" % pid, out, re.M) is not None, repr(out))
    out, st = g.run("pidof gdbserver-akaros")
    g.check("gdbserver-gone", st != 0, repr(out))
    g.run("kill %d" % pid)


def mcp_session(g, port):
    """Attach to a running MCP: uthreads as threads, breakpoints on every vcore, detach."""
    out, _ = g.run("/tests/gdb/mcpdbg 2 > /tmp/mcp.out 2>&1 & sleep 2; cat /tmp/mcp.out")
    m = re.search(r"ready (\d+) vcores (\d+)", out or "")
    g.check("mcp-ready", m is not None and m.group(2) == "2", repr(out))
    if not m:
        return
    pid = int(m.group(1))
    g.run("gdbserver-akaros --attach /dev/ttyS1 %d > /tmp/gm.log 2>&1 &" % pid)
    time.sleep(1)
    gdb = Gdb("gdb-mcp", [MCP])
    out = gdb.cmd("target remote localhost:%d" % port, 60)
    gdb.check("mcp-connect", out is not None and "Remote debugging using" in out, repr(out))
    out = gdb.cmd("info threads", 60) or ""
    names = re.findall(r'Thread \d+ "([^"]+)"', out)
    gdb.check("mcp-info-threads", sorted(names) == ["main", "sleeper-0", "sleeper-1", "worker-0",
                                                    "worker-1", "worker-2", "worker-3"], repr(out))
    m = re.search(r'^\*?\s*(\d+)\s+Thread \d+ "sleeper-1"', out, re.M)
    out = gdb.cmd("thread %s" % (m.group(1) if m else "3"))
    out = gdb.cmd("bt") or ""
    gdb.check("mcp-bt-blocked-uthread", re.search(r"#0 .* in uth_sem_down (.|\n)*#1 .* in "
                                                  r"sleeper_wait \(id=1\)(.|\n)*#2 .* in sleeper "
                                                  r"\(arg=0x1\)", out) is not None, repr(out))
    c1 = gdb.cmd("p counter")
    time.sleep(1)
    c2 = gdb.cmd("p counter")
    vals = [re.search(r"= (\d+)$", (c or "").strip()) for c in (c1, c2)]
    gdb.check("mcp-stop-stops-all-vcores", all(vals) and vals[0].group(1) == vals[1].group(1),
              "%r then %r" % (c1, c2))
    # The breakpoint must be hit on each vcore: one conditional breakpoint
    # per vcore (gdb resumes by itself after the other vcore's hits, so
    # which vcore wakes first after a stop does not matter; under load the
    # one whose CPU is awake wins most races).
    vcs = set()
    for vc in ("0", "1"):
        gdb.cmd("break hit if vc == %s" % vc)
        out = gdb.cmd("continue", 60) or ""
        vcs |= set(re.findall(r"Breakpoint \d+, hit \(id=\d, vc=(\d)\)", out))
        if vc == "0":
            gdb.cmd("delete")
    gdb.check("mcp-break-on-both-vcores", vcs == {"0", "1"}, "vcores hit: %r" % vcs)
    out = gdb.cmd("next") or ""
    gdb.check("mcp-next", re.search(r"^\d+\s+done\[id\]\+\+;", out.strip(), re.M) is not None,
              repr(out))
    out = gdb.cmd("stepi") or ""
    gdb.check("mcp-stepi", re.search(r"^0x[0-9a-f]+\s+\d+\s", out.strip(), re.M) is not None,
              repr(out))
    gdb.cmd("delete")
    out = gdb.cmd("watch shared") or ""
    gdb.check("mcp-watch", "Hardware watchpoint" in out, repr(out))
    gdb.cmd("delete")
    # The watchpoint must fire for writes on each vcore: one conditional
    # watchpoint per vcore (gdb resumes by itself on the other vcore's
    # writes, so which vcore resumes first after a stop does not matter).
    vcs = set()
    for vc in ("0", "1"):
        gdb.cmd("watch shared if shared_vc == %s" % vc)
        out = gdb.cmd("continue", 90) or ""
        if "Hardware watchpoint" in out:
            vcs |= set(re.findall(r"= (\d)$", (gdb.cmd("p shared_vc") or "").strip()))
        gdb.cmd("delete")
    gdb.check("mcp-watch-on-both-vcores", vcs == {"0", "1"}, "writers: %r" % vcs)
    gdb.cmd("delete")
    gdb.cmd("set var go_on = 0")
    out = gdb.cmd("detach")
    gdb.check("mcp-detach", out is not None and "Detaching from program" in out, repr(out))
    gdb.close()
    out = None
    for _ in range(20):
        out, _ = g.run("cat /tmp/mcp.out")
        if out and "result" in out:
            break
        time.sleep(0.5)
    g.check("mcp-finishes-after-detach", out is not None and "result ok" in out, repr(out))


def kernel_programs(g):
    """tests/gdb/dbgctl and denied on the target: one check per line."""
    for prog in ("dbgctl", "denied"):
        out, st = g.run("/tests/gdb/%s" % prog, 120)
        lines = [x for x in (out or "").split("\n") if re.match(r"(ok  |FAIL) ", x)]
        for x in lines:
            check("%s: %s" % (prog, x[5:].strip()), x.startswith("ok"), x)
        check("%s: complete" % prog, st == 0 and re.search(r"\d+ passed, 0 failed", out or ""),
              repr((out or "")[-300:]))


def one_command():
    """tools/gdb-target: boot, gdbserver-akaros and host gdb in one command."""
    try:
        r = subprocess.run([os.path.join(os.path.dirname(BUILD), "tools", "gdb-target"),
                            "--gdb-args", "-batch -nx -ex 'break twice' -ex continue -ex bt "
                            "-ex 'info sharedlibrary' -ex finish -ex kill", PIE],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=300)
        out = r.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        out = "(timed out)"
    check("gdb-target-one-command", re.search(r"Breakpoint 1, twice \(x=21\)(.|\n)*#1 .* in main "
                                              r"(.|\n)*libc\.so\.6(.|\n)*Value returned is \$1 = 42"
                                              r"(.|\n)*\[Inferior 1 \(.*\) killed\]", out)
          is not None, out[-800:])


def main():
    port = free_port()
    with Guest("gdb", serial2="tcp:%d" % port, timeout=420, smp=3) as g:
        if not g.boot_to_shell():
            return
        kernel_programs(g)
        started_session(g, port)
        attach_session(g, port)
        mcp_session(g, port)
    one_command()


if __name__ == "__main__":
    main()
    sys.exit(summary())
