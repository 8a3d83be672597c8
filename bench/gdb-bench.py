#!/usr/bin/python3
"""gdb-bench: gdbserver-akaros over the serial link, against references.

Model: a tiny RSP client (no gdb: the figures are the server's and the
link's) measures, on one server,
  - packet round trip: `?` and its stop reply (after QStartNoAckMode),
  - memory read throughput: `m` packets of 2 KiB over 256 KiB of text,
  - single steps per second: `vCont;s` (or `s`) and its stop reply,
  - attach + thread list: `?`, qfThreadInfo/qsThreadInfo and a `g` per thread;
  - attach to an MCP with 8 vcores and 64 named uthreads (tests/gdb/mcpdbg
    8 many 62, a boot of its own with 9 CPUs, as in the gdb tier):
    from starting gdbserver-akaros --attach to having every uthread's name
    (qXfer:threads:read) and registers, what gdb's `attach` + `info
    threads` costs before its unwinding (ours only: the others have no MCP).
Servers: gdbserver-akaros on the target (TCG, the program attached while
running, COM2 bridged to TCP by tools/qemu-run --serial2); QEMU's own
gdbstub on the same kind of guest (tools/qemu-run --gdb: the whole VM is
its "process", over TCP); GNU gdbserver on the host (ptrace, TCP).  The
link's raw rate (the target writing 256 KiB to /dev/ttyS1) bounds the
first.  Prints one table; exits 0 even if a server cannot run.
"""
import os
import re
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "tools", "qemu-run")
PROG = os.path.join(ROOT, "build", "tests", "gdb", "gdbtarget")
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from guest import Guest, free_port  # noqa: E402


class Rsp:
    """A minimal RSP client over TCP."""

    def __init__(self, port, timeout=60):
        end = time.time() + timeout
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.2)
        self.s.settimeout(timeout)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.ack = True

    def _read_packet(self):
        while True:
            m = re.search(rb"\$([^#]*)#[0-9a-fA-F]{2}", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                if self.ack:
                    self.s.sendall(b"+")
                return m.group(1)
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk

    def ask(self, data):
        """Send packet data (str), return the reply payload (bytes)."""
        b = data.encode()
        self.s.sendall(b"$" + b + b"#%02x" % (sum(b) & 0xff))
        return self._read_packet()

    def noack(self):
        if self.ask("QStartNoAckMode") == b"OK":
            self.ack = False

    def close(self):
        self.s.close()


def measure(rsp, tid, text_addr, step_cmd):
    """{name: value} of the four benchmarks on a connected, stopped server."""
    res = {}
    rsp.noack()
    n = 200
    t0 = time.perf_counter()
    for _ in range(n):
        rsp.ask("?")
    res["round trip (us)"] = (time.perf_counter() - t0) / n * 1e6
    total, chunk = 256 * 1024, 2048
    t0 = time.perf_counter()
    for off in range(0, total, chunk):
        rsp.ask("m%x,%x" % (text_addr + off, chunk))
    res["memory read (KiB/s)"] = total / 1024 / (time.perf_counter() - t0)
    n = 100
    t0 = time.perf_counter()
    for _ in range(n):
        rsp.ask(step_cmd % tid if "%" in step_cmd else step_cmd)
    res["single steps (/s)"] = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    rsp.ask("?")
    tids = []
    r = rsp.ask("qfThreadInfo")
    while r.startswith(b"m"):
        tids += r[1:].split(b",")
        r = rsp.ask("qsThreadInfo")
    for t in tids:
        rsp.ask("Hg%s" % t.decode())
        rsp.ask("g")
    res["thread list + regs (ms)"] = (time.perf_counter() - t0) * 1e3
    return res


def text_addr():
    """Start of the program's text (from the host binary: static, same addresses)."""
    out = subprocess.run(["nm", PROG], stdout=subprocess.PIPE).stdout.decode()
    m = re.search(r"^([0-9a-f]+) T _start$", out, re.M)
    return int(m.group(1), 16) if m else 0x401000


def attach_many(g, port):
    """ms from gdbserver-akaros --attach to the names and registers of 64 uthreads."""
    g.run("/tests/gdb/mcpdbg 8 many 62 > /tmp/many.out 2>&1 &")
    out = ""
    for _ in range(60):
        out, _ = g.run("cat /tmp/many.out")
        if out and "ready" in out:
            break
        time.sleep(0.5)
    m = re.search(r"ready (\d+)", out or "")
    if not m:
        return None
    # A fresh boot's line echoes what arrives before the server makes it raw.
    g.run("stty -F /dev/ttyS1 raw -echo")
    t0 = time.perf_counter()
    g.run("gdbserver-akaros --attach /dev/ttyS1 %s > /tmp/gm.log 2>&1 &" % m.group(1))
    rsp = Rsp(port)
    rsp.noack()
    rsp.ask("?")
    xml, off = b"", 0
    while True:
        r = rsp.ask("qXfer:threads:read::%x,fff" % off)
        xml += r[1:]
        off += len(r) - 1
        if not r.startswith(b"m"):
            break
    tids = re.findall(rb'<thread id="([0-9a-f]+)"', xml)
    for t in tids:
        rsp.ask("Hg%s" % t.decode())
        rsp.ask("g")
    ms = (time.perf_counter() - t0) * 1e3
    rsp.ask("M%x,4:00000000" % go_on_addr())
    rsp.ask("D")
    rsp.close()
    return ms if len(tids) >= 65 else None


def go_on_addr():
    """Address of mcpdbg's go_on (static binary: the host's nm)."""
    mcp = os.path.join(ROOT, "build", "tests", "gdb", "mcpdbg")
    out = subprocess.run(["nm", mcp], stdout=subprocess.PIPE).stdout.decode()
    m = re.search(r"^([0-9a-f]+) [DdBb] go_on$", out, re.M)
    return int(m.group(1), 16) if m else 0


def ours():
    port = free_port()
    with Guest("gdb-bench", serial2="tcp:%d" % port, timeout=600, smp=3) as g:
        if not g.boot_to_shell():
            return {}
        sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        sock.settimeout(120)
        total = 65536
        t0 = time.perf_counter()
        g.sendline("stty -F /dev/ttyS1 raw -echo; head -c %d /dev/zero > /dev/ttyS1" % total)
        got = 0
        while got < total:
            c = sock.recv(65536)
            if not c:
                break
            got += len(c)
        raw = got / 1024 / (time.perf_counter() - t0)
        sock.close()
        g.expect(g.PROMPT)
        out, _ = g.run("/tests/gdb/gdbtarget spin > /dev/null & echo $!")
        pid = int(out.split()[-1])
        g.run("gdbserver-akaros --attach /dev/ttyS1 %d > /tmp/gb.log 2>&1 &" % pid)
        rsp = Rsp(port)
        res = measure(rsp, pid, text_addr(), "vCont;s:%x")
        res["link raw rate (KiB/s)"] = raw
        rsp.ask("D")
        rsp.close()
        g.run("kill %d; sleep 1" % pid)
    port = free_port()
    with Guest("gdb-bench-many", serial2="tcp:%d" % port, timeout=300, smp=9) as g:
        if g.boot_to_shell():
            ms = attach_many(g, port)
            if ms is not None:
                res["attach + 64 uthreads (ms)"] = ms
    return res


def qemu_stub():
    port = 1234
    p = subprocess.Popen([RUN, "--smp", "2", "--gdb", "--timeout", "300"],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        rsp = Rsp(port)
        rsp.ask("qSupported")
        res = measure(rsp, 1, 0x100000, "s")
        rsp.close()
    except (OSError, EOFError):
        res = {}
    p.kill()
    p.wait()
    return res


def gnu_gdbserver():
    port = free_port()
    try:
        srv = subprocess.Popen(["gdbserver", "--once", "localhost:%d" % port, PROG, "spin"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return {}
    try:
        rsp = Rsp(port)
        rsp.ask("qSupported:multiprocess-")
        r = rsp.ask("qC")
        tid = int(r[2:].split(b".")[-1], 16) if r.startswith(b"QC") else srv.pid
        res = measure(rsp, tid, text_addr(), "vCont;s:%x")
        rsp.s.sendall(b"$k#6b")		# no reply to k
    except (OSError, EOFError) as e:
        print("GNU gdbserver: %s" % e)
        res = {}
    srv.kill()
    srv.wait()
    return res


def main():
    cols = [("gdbserver-akaros (TCG, serial)", ours()),
            ("QEMU gdbstub (TCG, TCP)", qemu_stub()),
            ("GNU gdbserver (host, TCP)", gnu_gdbserver())]
    names = ["round trip (us)", "memory read (KiB/s)", "single steps (/s)",
             "thread list + regs (ms)", "attach + 64 uthreads (ms)", "link raw rate (KiB/s)"]
    print("gdb remote protocol (bench/gdb-bench.py):")
    print("  %-26s" % "" + "".join("%32s" % c[0] for c in cols))
    for n in names:
        print("  %-26s" % n + "".join("%32s" % ("%.1f" % c[1][n] if n in c[1] else "-")
                                       for c in cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
