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
    as gdb threads with their names (and nothing else: not the mcp-async
    kernel workers its main uthread's nanosleep uses), bt of blocked
    uthreads from their saved contexts, a breakpoint hit on both vcores, a hardware watchpoint
    fired by writes on both vcores, next/stepi in a uthread, a stop that
    stops every vcore, detach leaving it to finish with the right result;
  - monitor commands and a wedged 2LS (mcpdbg 2 wedge: one uthread spins
    with notifications off on its vcore): `monitor help`, `monitor vcores`
    (against /proc/PID/vcores, the wedged vcore's notifications off),
    `monitor uthreads` (against gdb's thread list), every uthread listed and
    backtraced from memory although that vcore's 2LS never answers;
  - 64 named uthreads on 8 vcores (mcpdbg 8 many 62, plus 2 sleepers; a
    boot of its own with 9 CPUs, core 0 staying in the time-sharing pool):
    attach, all 64 in `info threads` with names, the running ones on the 8
    distinct physical cores the vcores hold (MI -thread-info), `thread N` +
    `bt` for several, stepi of a queued uthread (one instruction once the
    2LS runs it), a breakpoint hit on two cores, a hardware watchpoint
    fired by writes from two cores;
  - --multi (extended-remote): vFile (remote get of a file with every byte
    value over several preads, a missing file; remote put refused), run,
    kill, run again to the exit, run again,
    attach, detach, attach another process, detach, monitor exit, the
    same script against GNU gdbserver --multi on the host (pPID.TID ids);
  - non-stop: one uthread stopped (interrupt) and backtraced while the
    others' counter advances, resumed alone, a breakpoint inserted while
    all run and no spurious SIGTRAP after its removal, interrupt -a,
    detach (no uthread left held) and the program's right result;
  - non-stop stepping of a uthread held off the vcores (mcpdbg 2 stepper:
    held while blocked, woken and parked by the 2LS, then stepi: exactly
    one instruction, and next: one line, on whichever vcore runs it);
  - tools/gdb-target, the one command (a second boot), on a dynamic PIE
    program: its load address from qXfer:auxv, its libraries, finish.
Arguments name sessions to run alone (kernel started attach mcp monitor
many multi nonstop nsstep onecmd); none: all.  Prints "N passed, N failed".
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
    names = [n for n in re.findall(r'Thread \d+ "([^"]+)"', out) if not is_vcore(n)]
    gdb.check("mcp-info-threads", sorted(names) == ["main", "sleeper-0", "sleeper-1", "worker-0",
                                                    "worker-1", "worker-2", "worker-3"], repr(out))
    gdb.check("mcp-no-kernel-workers",
              len(re.findall(r"^\*?\s*\d+\s+Thread ", out, re.M)) == len(names), repr(out))
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
    if not (out and "result" in out):
        g.run("kill -9 %d" % pid)
    # main's sleeps did wait in kernel workers while gdb listed the threads
    g.check("mcp-used-kernel-workers", re.search(r"async=[1-9]", out or "") is not None, repr(out))


def start_mcp(g, args, log, want=r"ready \d+ vcores \d+"):
    """Start tests/gdb/mcpdbg ARGS on the target: (pid, output) once its output matches
    want, (0, output) if it does not."""
    g.run("/tests/gdb/mcpdbg %s > %s 2>&1 &" % (args, log))
    out = ""
    for _ in range(60):
        out, _ = g.run("cat %s" % log)
        if out and re.search(want, out):
            break
        time.sleep(0.5)
    m = re.search(r"ready (\d+) vcores (\d+)", out or "")
    return (int(m.group(1)) if m and re.search(want, out) else 0), out or ""


def attach_gdb(g, name, pid, log, port):
    """gdbserver-akaros --attach pid, host gdb connected: the Gdb, or None."""
    g.run("gdbserver-akaros --attach /dev/ttyS1 %d > %s 2>&1 &" % (pid, log))
    time.sleep(1)
    gdb = Gdb(name, [MCP])
    out = gdb.cmd("target remote localhost:%d" % port, 60)
    gdb.check("%s-connect" % name, out is not None and "Remote debugging using" in out,
              repr(out))
    return gdb


def finish_mcp(g, gdb, name, log, pid):
    """Clear go_on, detach, and check the MCP finishes with its right result (mcpdbg has no
    deadline of its own: one that does not finish is killed, not left spinning on its vcores
    for the next sessions)."""
    gdb.cmd("set var go_on = 0")
    out = gdb.cmd("detach")
    gdb.check("%s-detach" % name, out is not None and "Detaching from program" in out, repr(out))
    gdb.close()
    out = None
    for _ in range(40):
        out, _ = g.run("cat %s" % log)
        if out and "result" in out:
            break
        time.sleep(0.5)
    g.check("%s-finishes-after-detach" % name, out is not None and "result ok" in out, repr(out))
    if not (out and "result" in out):
        g.run("kill -9 %d" % pid)


def is_vcore(name):
    """Is name a vcore's thread (a vcore in vcore context when the MCP stopped)?"""
    return re.match(r"vcore \d+$", name) is not None


def thread_numbers(info):
    """gdb's `info threads` output: {name: gdb thread number}."""
    return {m.group(2): m.group(1)
            for m in re.finditer(r'^\*?\s*(\d+)\s+Thread [0-9.]+ "([^"]+)"', info, re.M)}


def monitor_session(g, port):
    """A wedged 2LS (a vcore spinning with notifications off): monitor commands, threads, bt."""
    pid, out = start_mcp(g, "2 wedge", "/tmp/wedge.out", r"wedged vcore \d+")
    m = re.search(r"wedged vcore (\d+)", out)
    g.check("wedge-ready", pid > 0 and m is not None, repr(out))
    if not pid or not m:
        return
    wvc = m.group(1)
    gdb = attach_gdb(g, "gdb-wedge", pid, "/tmp/gw.log", port)
    out = gdb.cmd("monitor help") or ""
    gdb.check("monitor-help", re.search(r"^The following monitor commands are supported:"
                                        r"(.|\n)*  vcores\n(.|\n)*  uthreads\n(.|\n)*  exit\n",
                                        out + "\n", re.M) is not None, repr(out))
    out = gdb.cmd("monitor bogus") or ""
    gdb.check("monitor-unknown", "Unknown monitor command." in out and
              "Protocol error with Rcmd" in out, repr(out))
    vc_out = gdb.cmd("monitor vcores", 60) or ""
    kern, _ = g.run("cat /proc/%d/vcores" % pid)
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\s*(\d+)\s+(-?\d+)\s+\w+",
                                                        kern or "", re.M)}
    mine = {m.group(1): m.group(2) for m in re.finditer(r"^\s*(\d+)\s+(-?\d+)\s+\w+",
                                                        vc_out, re.M)}
    gdb.check("monitor-vcores-cores", len(mine) == 2 and mine == rows,
              "monitor: %r\n/proc: %r" % (vc_out, kern))
    gdb.check("monitor-vcores-wedged", re.search(r'^\s*%s\s+\d+\s+\w+\s+\d+\s+off\s+uthread \d+ '
                                                 r'"wedge"' % wvc, vc_out, re.M) is not None,
              repr(vc_out))
    ut_out = gdb.cmd("monitor uthreads", 60) or ""
    ut = {m.group(2): (m.group(1), m.group(3), m.group(4))
          for m in re.finditer(r"^\s*(\d+)\s+(\S+)\s+(\w+)\s+(\S+)$", ut_out, re.M)}
    want = ["main", "sleeper-0", "sleeper-1", "wedge", "worker-0", "worker-1", "worker-2",
            "worker-3"]
    gdb.check("monitor-uthreads", sorted(ut) == want and ut["wedge"][1:] == ("running", wvc)
              and ut["sleeper-0"][1] == "blocked", repr(ut_out))
    info = gdb.cmd("info threads", 90) or ""
    nums = thread_numbers(info)
    gdb.check("wedge-info-threads", sorted(n for n in nums if not is_vcore(n)) == want,
              repr(info))
    gdb.check("wedge-ids-agree", all(re.search(r'Thread (\d+\.)?%d "%s"' % (0x100000 + int(i), n),
                                               info) for n, (i, _, _) in ut.items()),
              repr(info))
    out = gdb.cmd("thread %s" % nums.get("wedge", "1")) or ""
    out = gdb.cmd("bt") or ""
    gdb.check("wedge-bt-spinning", re.search(r"wedge_spin \(vc=%s\)(.|\n)*#\d+ .* in wedge "
                                             r"\(arg=0x0\)" % wvc, out) is not None, repr(out))
    gdb.cmd("thread %s" % nums.get("sleeper-0", "1"))
    out = gdb.cmd("bt") or ""
    gdb.check("wedge-bt-blocked", re.search(r"uth_sem_down (.|\n)*sleeper_wait \(id=0\)",
                                            out) is not None, repr(out))
    gdb.cmd("thread %s" % nums.get("worker-1", "1"))
    out = gdb.cmd("bt") or ""
    gdb.check("wedge-bt-worker", re.search(r"^#\d+ .*worker \(arg=0x1\) at ", out, re.M) is not None, repr(out))
    finish_mcp(g, gdb, "wedge", "/tmp/wedge.out", pid)


def mi_cores(gdb, num=""):
    """{uthread name: physical core} of the threads gdb's MI -thread-info [NUM] gives a core."""
    out = gdb.cmd('interpreter-exec mi "-thread-info %s"' % num, 90) or ""
    return {m.group(1): m.group(2) for m in
            re.finditer(r'name="([^"]+)",frame=\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\},'
                        r'state="stopped",core="(\d+)"', out)}


def many_session(g, port):
    """8 vcores, 64 named uthreads (62 workers, 2 sleepers): threads, cores, bt, break, watch."""
    pid, out = start_mcp(g, "8 many 62", "/tmp/many.out")
    m = re.search(r"ready \d+ vcores (\d+)", out)
    g.check("many-ready-8-vcores", pid > 0 and m is not None and m.group(1) == "8", repr(out))
    if not pid:
        return
    kern, _ = g.run("cat /proc/%d/vcores" % pid)
    pcores = {m.group(1): m.group(2) for m in re.finditer(r"^\s*(\d+)\s+(\d+)\s+online",
                                                         kern or "", re.M)}
    g.check("many-vcores-distinct-cores", len(pcores) == 8 and len(set(pcores.values())) == 8
            and "0" not in pcores.values(), repr(kern))
    gdb = attach_gdb(g, "gdb-many", pid, "/tmp/gy.log", port)
    t0 = time.time()
    info = gdb.cmd("info threads", 180) or ""
    took = time.time() - t0
    nums = thread_numbers(info)
    named = sorted(n for n in nums if n != "main" and not is_vcore(n))
    want = sorted(["worker-%d" % i for i in range(62)] + ["sleeper-0", "sleeper-1"])
    gdb.check("many-info-threads-64", named == want and "main" in nums,
              "%d named (%.1f s): %r" % (len(named), took, info[-600:]))
    print("info: attach + info threads of %d uthreads: %.1f s" % (len(nums), took))
    # What ran when the attach stopped the MCP: one thread per vcore (the
    # uthread it ran, or "vcore N" caught in vcore context), each on its
    # vcore's physical core (a core a vcore of this process holds).
    cores = mi_cores(gdb)
    gdb.check("many-running-on-8-cores", len(cores) == 8 and
              sorted(cores.values()) == sorted(pcores.values()),
              "threads with a core: %r; vcores: %r" % (cores, pcores))
    for name in ("worker-0", "worker-31", "worker-61", "sleeper-1"):
        gdb.cmd("thread %s" % nums.get(name, "1"))
        out = gdb.cmd("bt", 60) or ""
        frame = r"sleeper_wait \(id=1\)" if name.startswith("sleeper") else \
            r"^#\d+ .*worker \(arg=0x%x\) at " % int(name.split("-")[1])
        gdb.check("many-bt-%s" % name, re.search(frame, out, re.M) is not None, repr(out))
    # stepi of a uthread no vcore runs (queued): one instruction when the 2LS runs it.
    queued = sorted((n for n in nums if n.startswith("worker-") and n not in cores),
                    key=lambda n: int(n.split("-")[1]))
    name = queued[0] if queued else "worker-0"
    gdb.cmd("thread %s" % nums.get(name, "1"))
    pc0 = re.search(r"= (0x[0-9a-f]+)", gdb.cmd("p/x $pc") or "")
    insns = re.findall(r"^\s*(?:=> )?(0x[0-9a-f]+) <[^>]*>:\s+(\w+)", gdb.cmd("x/2i $pc") or "",
                       re.M)
    out = gdb.cmd("stepi", 90) or ""
    pc1 = re.search(r"= (0x[0-9a-f]+)", gdb.cmd("p/x $pc") or "")
    cur = gdb.cmd("thread") or ""
    jump = bool(insns) and re.match(r"(j|call|ret|loop)", insns[0][1]) is not None
    gdb.check("many-stepi-queued-uthread", queued and pc0 and pc1 and len(insns) == 2 and
              "Current thread is %s " % nums.get(name) in cur and (int(pc1.group(1), 16) == int(insns[1][0], 16) or
                                        (jump and pc1.group(1) != pc0.group(1))),
              "%s: %r; %r -> %r; %r; %r" % (name, out, pc0 and pc0.group(1),
                                            pc1 and pc1.group(1), insns, cur))
    # A breakpoint hit on two cores: the first hit's vcore, then any other.
    hits = []
    for cond in ("", " if vc != %s"):
        gdb.cmd("break hit" + (cond % hits[0][0] if cond and hits else ""))
        out = gdb.cmd("continue", 90) or ""
        m = re.search(r'Thread \d+ "(worker-\d+)" hit Breakpoint \d+, hit \(id=\d+, vc=(\d)\)',
                      out)
        if m:
            hits.append((m.group(2), cores_of(gdb, nums, m.group(1))))
        gdb.cmd("delete")
    gdb.check("many-break-on-two-cores", len(hits) == 2 and hits[0][0] != hits[1][0] and
              all(c == pcores.get(v) for v, c in hits), "hits (vcore, core): %r" % hits)
    # A hardware watchpoint fired by writes from two cores, the same way.  The
    # writer's vcore is hit()'s vc in the trapping thread's frame (the
    # condition, set with a hit() frame selected, is evaluated in the
    # trapping thread's hit() frame: no race with writes by other cores).
    writers = []
    for cond in ("", " if vc != %s"):
        out = gdb.cmd("watch shared" + (cond % writers[0][0] if cond and writers else "")) or ""
        out = gdb.cmd("continue", 90) or ""
        m = re.search(r'Thread \d+ "(worker-\d+)" hit Hardware watchpoint', out)
        vc = re.findall(r"= (\d)$", (gdb.cmd("p vc") or "").strip())
        if m and vc:
            writers.append((vc[0], cores_of(gdb, nums, m.group(1))))
        gdb.cmd("delete")
    gdb.check("many-watch-two-cores", len(writers) == 2 and writers[0][0] != writers[1][0] and
              all(c == pcores.get(v) for v, c in writers), "writers (vcore, core): %r" % writers)
    finish_mcp(g, gdb, "many", "/tmp/many.out", pid)


def cores_of(gdb, nums, name):
    """The physical core MI gives the stopped thread named name (None: no core)."""
    return mi_cores(gdb, nums.get(name, "")).get(name)


def nonstop_session(g, port):
    """Non-stop: one uthread stopped and inspected while the others keep counting."""
    t0 = time.time()
    pid, out = start_mcp(g, "2", "/tmp/ns.out")
    g.check("nonstop-ready", pid > 0, repr(out))
    if not pid:
        return
    g.run("gdbserver-akaros --attach /dev/ttyS1 %d > /tmp/gn.log 2>&1 &" % pid)
    time.sleep(1)
    gdb = Gdb("gdb-nonstop", [MCP])
    gdb.cmd("set non-stop on")
    out = gdb.cmd("target remote localhost:%d" % port, 60)
    gdb.check("nonstop-connect", out is not None and "Remote debugging using" in out, repr(out))
    info = gdb.cmd("info threads", 60) or ""
    nums = thread_numbers(info)
    # As with GNU gdbserver: the thread the attach reports is stopped, the rest run.
    gdb.check("nonstop-threads", "worker-1" in nums and
              len(re.findall(r"\(running\)", info)) == len(nums) - 1, repr(info))
    out = gdb.cmd("continue -a &", 30)
    time.sleep(1)
    info = gdb.cmd("info threads", 60) or ""
    gdb.check("nonstop-all-running", len(re.findall(r"\(running\)", info)) >= len(nums) - 1,
              repr(info))
    gdb.cmd("thread %s" % nums.get("worker-1", "1"))
    gdb.sendline("interrupt")
    m = gdb.wait(r'Thread %s "worker-1" stopped\.' % nums.get("worker-1", "1"), 60)
    gdb.check("nonstop-interrupt-one", m is not None, gdb.tail())
    gdb.wait(gdb.PROMPT, 5)
    out = gdb.cmd("bt", 60) or ""
    gdb.check("nonstop-bt-stopped-uthread", re.search(r"^#\d+ .*worker \(arg=0x1\) at ", out,
                                                      re.M) is not None, repr(out))
    d1 = gdb.cmd("p done[1]")
    c1 = gdb.cmd("p counter")
    time.sleep(2)
    c2 = gdb.cmd("p counter")
    d2 = gdb.cmd("p done[1]")
    val = [int(m.group(1)) if m else -1 for m in
           (re.search(r"= (\d+)$", (x or "").strip()) for x in (c1, c2, d1, d2))]
    gdb.check("nonstop-others-keep-counting", val[1] > val[0] >= 0, "%r then %r" % (c1, c2))
    gdb.check("nonstop-stopped-one-still", val[2] == val[3] >= 0, "%r then %r" % (d1, d2))
    info = gdb.cmd("info threads", 60) or ""
    gdb.check("nonstop-info-threads-mixed", re.search(r'"worker-1" +worker \(arg=0x1\)', info)
              is not None and "(running)" in info, repr(info))
    gdb.cmd("continue &")
    time.sleep(1)
    d3 = gdb.cmd("p done[1]")
    m = re.search(r"= (\d+)$", (d3 or "").strip())
    gdb.check("nonstop-resumed-one-counts", m is not None and int(m.group(1)) > val[3],
              "%r then %r" % (d2, d3))
    # A breakpoint inserted while every worker runs: the hitting uthreads stop, one by one.
    out = gdb.cmd("break hit") or ""
    m = gdb.wait(r"hit Breakpoint \d+, hit \(id=\d, vc=\d\)", 90)
    gdb.check("nonstop-break-while-running", m is not None, gdb.tail())
    gdb.wait(gdb.PROMPT, 5)
    time.sleep(1)
    gdb.cmd("delete")
    c1 = gdb.cmd("p counter")
    gdb.cmd("continue -a &")
    time.sleep(3)
    c2 = gdb.cmd("p counter")
    val = [int(m.group(1)) if m else -1 for m in
           (re.search(r"= (\d+)$", (x or "").strip()) for x in (c1, c2))]
    # An int3 executed as gdb removed it is not reported (GNU gdbserver's way).
    gdb.check("nonstop-no-spurious-trap", val[1] > val[0] >= 0 and "SIGTRAP" not in gdb.text(),
              "%r then %r; %s" % (c1, c2, gdb.tail()))
    gdb.sendline("interrupt -a")
    time.sleep(3)
    gdb.wait(gdb.PROMPT, 5)
    info = gdb.cmd("info threads", 60) or ""
    # Every uthread stopped (held); vcores idle in vcore context may show as running threads.
    running = re.findall(r'Thread [0-9.]+ "([^"]+)" +\(running\)', info)
    gdb.check("nonstop-interrupt-all", all(n.startswith("vcore ") for n in running) and
              len(thread_numbers(info)) >= len(nums), repr(info))
    print("info: non-stop session: %.0f s" % (time.time() - t0))
    finish_mcp(g, gdb, "nonstop", "/tmp/ns.out", pid)


def nonstop_step_session(g, port):
    """Non-stop: step a uthread held off the vcores (mcpdbg 2 stepper), stepi then next."""
    t0 = time.time()
    pid, out = start_mcp(g, "2 stepper", "/tmp/nss.out")
    g.check("nsstep-ready", pid > 0, repr(out))
    if not pid:
        return
    g.run("gdbserver-akaros --attach /dev/ttyS1 %d > /tmp/gns.log 2>&1 &" % pid)
    time.sleep(1)
    gdb = Gdb("gdb-nsstep", [MCP])
    gdb.cmd("set non-stop on")
    out = gdb.cmd("target remote localhost:%d" % port, 60)
    gdb.check("nsstep-connect", out is not None and "Remote debugging using" in out, repr(out))
    gdb.cmd("continue -a &", 30)
    nums = thread_numbers(gdb.cmd("info threads", 60) or "")
    gdb.check("nsstep-threads", "stepper" in nums and "worker-0" in nums, repr(nums))
    held_step(gdb, nums.get("stepper", "1"), "stepi")
    held_step(gdb, nums.get("stepper", "1"), "next")
    print("info: non-stop step session: %.0f s" % (time.time() - t0))
    gdb.sendline("interrupt -a")	# stopped, so clearing go_on does not end it before the detach
    time.sleep(3)
    gdb.wait(gdb.PROMPT, 5)
    finish_mcp(g, gdb, "nsstep", "/tmp/nss.out", pid)


def held_step(gdb, num, how):
    """Non-stop: hold the blocked stepper, have it woken (parked off the vcores), then
    `how` (stepi or next) it: one instruction (or line) on whichever vcore runs it."""
    gdb.cmd("thread %s" % num)
    gdb.sendline("interrupt")
    m = gdb.wait(r'Thread %s "stepper" stopped\.' % num, 60)
    gdb.wait(gdb.PROMPT, 5)
    gdb.check("nonstop-%s-held-stopped" % how, m is not None, gdb.tail())
    s1 = gdb.cmd("p stepped")
    gdb.cmd("set var kick = 1")
    state = ""
    for _ in range(40):	# until a worker has woken it and the 2LS has parked it
        out = gdb.cmd("monitor uthreads", 60) or ""
        m = re.search(r"^\s*\d+\s+stepper\s+(\w+)", out, re.M)
        state = m.group(1) if m else ""
        if state == "runnable" and "= 0" in (gdb.cmd("p kick") or ""):
            break
        time.sleep(0.25)
    gdb.check("nonstop-%s-parked" % how, state == "runnable", repr(state))
    pc0 = gdb.cmd("p/x $pc") or ""
    insns = re.findall(r"^\s*(?:=> )?(0x[0-9a-f]+)", gdb.cmd("x/2i $pc") or "", re.M)
    out = gdb.cmd(how, 90) or ""
    pc1 = gdb.cmd("p/x $pc") or ""
    a0 = re.search(r"= (0x[0-9a-f]+)", pc0)
    a1 = re.search(r"= (0x[0-9a-f]+)", pc1)
    moved = a0 is not None and a1 is not None and a0.group(1) != a1.group(1)
    if how == "stepi":
        ok = moved and len(insns) == 2 and int(a1.group(1), 16) == int(insns[1], 16) and \
            re.search(r"^0x[0-9a-f]+\s+\d+\s", out.strip(), re.M) is not None
    else:
        ok = moved and re.search(r"^\d+\s", out.strip(), re.M) is not None
    gdb.check("nonstop-%s-held-uthread" % how, ok and "E01" not in out and
              "Cannot" not in out, "%r: %r -> %r; x/2i %r" % (out, pc0, pc1, insns))
    s2 = gdb.cmd("p stepped")
    gdb.check("nonstop-%s-held-not-run-on" % how, s1 is not None and s1.split("=")[-1] ==
              (s2 or "").split("=")[-1], "%r then %r" % (s1, s2))
    gdb.cmd("continue &")


# --multi: (command, pattern, compared with GNU gdbserver --multi?); %(exe)s the program
# on that side, %(pid)d and %(pid2)d two running `gdbtarget spin` there, %(vf)s a file
# there (VFILE_BYTES) and %(out)s where gdb puts its copy here.
MULTI_SCRIPT = [
    # vFile before any process: a file with every byte value, over more than one pread
    ("remote get %(vf)s %(out)s", r'^Successfully fetched file "%(vf)s"\.$', True),
    ("remote get /nonexistent-vfile %(out)s.none", r"^Remote I/O error: No such file or directory\.?$",
     True),
    ("remote put %(out)s %(vf)s.put", r"", False),	# GNU's writes; ours refuses (reading only)
    ("set remote exec-file %(exe)s", r"^$", True),
    ("break square", r"Breakpoint 1 at 0x[0-9a-f]+: file .*gdbtarget\.c", True),
    ("run", r"Breakpoint 1, square \(v=0\) at .*gdbtarget\.c:\d+", True),
    ("info threads", r"^\* 1 +Thread \d+\.\d+ .*square \(v=0\)", True),
    ("info inferiors", r"^\* 1 +process \d+ ", True),
    ("kill", r"\[Inferior 1 \(process \d+\) killed\]", True),
    ("info threads", r"No threads\.", True),
    # run again after a kill, to the end, and again after the exit
    ("run", r"Breakpoint 1, square \(v=0\) at .*gdbtarget\.c:\d+", True),
    ("delete", r"^$", True),
    ("continue", r"\[Inferior 1 \(process \d+\) exited normally\]", True),
    ("break square", r"Breakpoint 2 at 0x[0-9a-f]+: file .*gdbtarget\.c", True),
    ("run", r"Breakpoint 2, square \(v=0\) at .*gdbtarget\.c:\d+", True),
    ("kill", r"\[Inferior 1 \(process \d+\) killed\]", True),
    ("delete", r"^$", True),
    ("attach %(pid)d", r"Attaching to program: .*gdbtarget, process \d+", True),
    ("p counter > 0", r"^\$1 = 1$", True),
    ("info threads", r"^\* 1 +Thread \d+\.\d+ ", False),
    ("detach", r"Detaching from program: .*, process \d+\n\[Inferior 1 \(process \d+\) "
     r"detached\]", True),
    # another process after the detach
    ("attach %(pid2)d", r"Attaching to program: .*gdbtarget, process \d+", True),
    ("p counter > 0", r"^\$2 = 1$", True),
    ("detach", r"Detaching from program: .*, process \d+\n\[Inferior 1 \(process \d+\) "
     r"detached\]", True),
    ("monitor exit", r"^$", True),
]


# The file vFile reads: every byte value (escapes), 40 times (more than one pread).
VFILE_BYTES = bytes(range(256)) * 40


def normalise_multi(text, exe, vf="VF", out_path="OUT"):
    """A --multi transcript with paths, pids and frames made equal."""
    text = text.replace(out_path, "OUT").replace(vf, "VF")
    out = []
    for line in text.replace("\r", "").split("\n"):
        if re.match(r"(Reading |warning: |\[New Thread|\[Switching to)", line) or \
                re.match(r"(0x[0-9a-f]+ in )?\w+ \(.*\) at .*:\d+$", line) or \
                re.match(r"\d+\t", line) or not line.strip():
            continue	# the frame an attach stops in depends on timing
        line = line.replace(PROG, "EXE").replace(exe, "EXE")
        line = re.sub(r"(process|Thread) [0-9.]+", r"\1 N", line)
        line = re.sub(r"localhost:\d+", "localhost:PORT", line)
        out.append(re.sub(r"\s+", " ", line).strip())
    return "\n".join(out).strip()


def run_multi_script(name, port, exe, pid, pid2, vf, out_path):
    """MULTI_SCRIPT in host gdb against extended-remote localhost:port: [(cmd, output)]."""
    gdb = Gdb(name, [PROG])
    res = []
    if not gdb.ready:
        return gdb, res
    out = gdb.cmd("target extended-remote localhost:%d" % port, 60)
    res.append(("target extended-remote", out))
    for cmd, _, _ in MULTI_SCRIPT:
        cmd = cmd % {"exe": exe, "pid": pid, "pid2": pid2, "vf": vf, "out": out_path}
        out = gdb.cmd(cmd, 120)
        res.append((cmd, out))
        if out is None:
            break
    return gdb, res


def multi_reference(port):
    """MULTI_SCRIPT against GNU gdbserver --multi on the host: [(cmd, output)], gone?"""
    try:
        spin = subprocess.Popen([PROG, "spin"], stdout=subprocess.DEVNULL)
        spin2 = subprocess.Popen([PROG, "spin"], stdout=subprocess.DEVNULL)
        srv = subprocess.Popen(["gdbserver", "--multi", "localhost:%d" % port],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return [], False
    time.sleep(1)
    vf = os.path.join(BUILD, "test-logs", "vfile-src.bin")
    with open(vf, "wb") as f:
        f.write(VFILE_BYTES)
    gdb, res = run_multi_script("gdb-multi-reference", port, PROG, spin.pid, spin2.pid, vf,
                                os.path.join(BUILD, "test-logs", "vfile-ref.bin"))
    gdb.close()
    try:
        srv.wait(10)
        gone = True
    except subprocess.TimeoutExpired:
        srv.kill()
        srv.wait()
        gone = False
    for p in (spin, spin2):
        p.kill()
        p.wait()
    if os.path.exists(vf + ".put"):
        os.unlink(vf + ".put")
    return res, gone


def multi_session(g, port):
    """gdbserver-akaros --multi: run, kill, run to the exit, run, attach, detach, attach another,
    monitor exit; against GNU's."""
    pids = []
    for _ in range(2):
        out, _ = g.run("/tests/gdb/gdbtarget spin > /dev/null & echo $!")
        pids.append(int(out.strip().split()[-1]) if out and out.strip().split()[-1].isdigit()
                    else 0)
    pid, pid2 = pids
    # /tmp/vfile.bin: VFILE_BYTES (256 bytes written as octal escapes, then repeated)
    for i in range(0, 256, 64):
        g.run("printf '%s' >> /tmp/vf1" % "".join("\\%03o" % b for b in range(i, i + 64)))
    g.run("for i in $(seq 40); do cat /tmp/vf1; done > /tmp/vfile.bin")
    out_path = os.path.join(BUILD, "test-logs", "vfile-ours.bin")
    for f in (out_path, out_path + ".none"):
        if os.path.exists(f):
            os.unlink(f)
    g.run("gdbserver-akaros --multi /dev/ttyS1 > /tmp/gx.log 2>&1 &")
    time.sleep(1)
    gdb, res = run_multi_script("gdb-multi", port, "/tests/gdb/gdbtarget", pid, pid2,
                                "/tmp/vfile.bin", out_path)
    try:
        with open(out_path, "rb") as f:
            got = f.read()
    except OSError as e:
        got = str(e).encode()
    check("vfile-remote-get-bytes", got == VFILE_BYTES, "%d bytes, first difference at %s" % (
        len(got), next((i for i, (a, b) in enumerate(zip(got, VFILE_BYTES)) if a != b),
                       min(len(got), len(VFILE_BYTES)))))
    out, _ = g.run("ls /tmp/vfile.bin.put 2>&1")
    check("vfile-put-refused", out is not None and "No such file" in out, repr(out))
    gdb.check("multi-connect", res and res[0][1] is not None and
              "Remote debugging using" in res[0][1], repr(res[:1]))
    for i, ((cmd, pattern, _), (_, out)) in enumerate(zip(MULTI_SCRIPT, res[1:])):
        pattern = pattern.replace("%(vf)s", re.escape("/tmp/vfile.bin"))
        gdb.check("multi: %d %s" % (i, cmd.split(" %")[0]), out is not None and
                  re.search(pattern, out.strip(), re.M) is not None, repr(out))
    gdb.check("multi: script complete", len(res) == len(MULTI_SCRIPT) + 1,
              "%d of %d" % (len(res) - 1, len(MULTI_SCRIPT)))
    gdb.cmd("disconnect")	# a serial line does not tell gdb its peer is gone
    gdb.close()
    out, _ = g.run("sleep 1; cat /tmp/gx.log; pidof gdbserver-akaros || echo no-server; "
                   "grep -o '^[0-9]* ([^)]*) [A-Z]' /proc/%d/stat /proc/%d/stat" % (pid, pid2))
    g.check("multi-messages", out is not None and re.search(
        r"Remote debugging using /dev/ttyS1\n(.|\n)*"
        r"(Process /tests/gdb/gdbtarget created; pid = \d+\n(.|\n)*){3}"
        r"Attached; pid = %d\n(.|\n)*Detaching from process %d\n(.|\n)*"
        r"Attached; pid = %d\n(.|\n)*Detaching from process %d\n" % (pid, pid, pid2, pid2),
        out) is not None, repr(out))
    g.check("multi-monitor-exit-ends-server", out is not None and "no-server" in out, repr(out))
    g.check("multi-detached-runs", out is not None and all(
        re.search(r"^(/proc/%d/stat:)?%d \(gdbtarget\) [RS]$" % (p, p), out, re.M)
        for p in (pid, pid2)), repr(out))
    g.run("kill %d %d" % (pid, pid2))
    ref, gone = multi_reference(free_port())
    if not ref:
        check("multi-reference-transcript", False, "GNU gdbserver did not run (tools/install-deps)")
        return
    check("multi-reference-exits", gone, "GNU gdbserver still running after monitor exit")
    diffs = []
    for (cmd, _, compare), (_, mine), (_, theirs) in zip(MULTI_SCRIPT, res[1:], ref[1:]):
        a = normalise_multi(mine or "", "/tests/gdb/gdbtarget", "/tmp/vfile.bin",
                            os.path.join(BUILD, "test-logs", "vfile-ours.bin"))
        b = normalise_multi(theirs or "", PROG, os.path.join(BUILD, "test-logs", "vfile-src.bin"),
                            os.path.join(BUILD, "test-logs", "vfile-ref.bin"))
        if compare and a != b:
            diffs.append("%s:\n  ours:   %r\n  theirs: %r" % (cmd, a, b))
    check("multi-reference-transcript", len(ref) == len(res) and not diffs,
          "\n".join(diffs) or "%d vs %d commands" % (len(ref), len(res)))


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


SESSIONS = ["kernel", "started", "attach", "mcp", "monitor", "many", "multi", "nonstop", "nsstep",
            "onecmd"]


def main(names):
    port = free_port()
    run = set(names or SESSIONS)
    first = run - {"many", "onecmd"}
    if first:
        with Guest("gdb", serial2="tcp:%d" % port, timeout=420 + 120 * len(
                first & {"monitor", "multi", "nonstop", "nsstep"}), smp=3) as g:
            if not g.boot_to_shell():
                return
            if "kernel" in run:
                kernel_programs(g)
            if "started" in run:
                started_session(g, port)
            if "attach" in run:
                attach_session(g, port)
            if "mcp" in run:
                mcp_session(g, port)
            if "monitor" in run:
                monitor_session(g, port)
            if "multi" in run:
                multi_session(g, port)
            if "nonstop" in run:
                nonstop_session(g, port)
            if "nsstep" in run:
                nonstop_step_session(g, port)
    if "many" in run:
        # 8 vcores on 8 granted cores, core 0 left to the time-sharing pool.
        port = free_port()
        with Guest("gdb-many-boot", serial2="tcp:%d" % port, timeout=300, smp=9) as g:
            if g.boot_to_shell():
                many_session(g, port)
    if "onecmd" in run:
        one_command()


if __name__ == "__main__":
    bad = [n for n in sys.argv[1:] if n not in SESSIONS]
    if bad:
        sys.exit("unknown session %s (sessions: %s)" % (" ".join(bad), " ".join(SESSIONS)))
    main(sys.argv[1:])
    sys.exit(summary())
