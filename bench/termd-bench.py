#!/usr/bin/python3
"""termd benchmarks (issue 12), one boot with termd on the console.

The script is the terminal: it reads QEMU's serial output through a pipe
and answers termd's size probe (the cursor-position report) like a real
terminal, or not at all (--silent run).  Measured by the host clock:
 - throughput of `cat` of a 4 MiB text file through termd (shell on the
   pty) and, in the same boot, written straight to the serial port
   (`cat > /dev/ttyS0` from the same shell), in KB/s; Linux's 8250 driver
   on the same QEMU moved 194 KB/s (the issue's figure);
 - keystroke echo latency through termd: one byte typed at the shell's
   line editor until its echo comes back (median of 40);
 - `termd resize` wall time with a terminal that answers the probe and
   with one that does not (the 500 ms bound)."""
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "tools", "qemu-run")
SIZE = int(os.environ.get("TERMD_BENCH_BYTES", 4 << 20))


class Term:
    def __init__(self, answer=True):
        self.answer = answer
        self.p = subprocess.Popen([RUN, "--smp", "2", "--timeout", "300", "--append", "termd=1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buf = b""
        self.count = 0

    def pump(self):
        try:
            chunk = self.p.stdout.read()
        except BlockingIOError:
            chunk = None
        if chunk:
            self.count += len(chunk)
            if self.answer and b"\x1b[6n" in chunk:
                self.send(b"\x1b[24;80R")
            self.buf = (self.buf + chunk)[-65536:]
        return chunk

    def send(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def wait(self, pattern, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump()
            m = re.search(pattern, self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            time.sleep(0.002)
        return None

    def run(self, cmd, timeout=120):
        """Run cmd; seconds until its END marker (None on timeout)."""
        self.send(cmd.encode() + b"; echo EN''D\r")
        t0 = time.monotonic()
        if self.wait(rb"END\r\n", timeout):
            return time.monotonic() - t0
        print("termd bench: no END after %r; last output %r" % (cmd, self.buf[-300:]))
        return None

    def close(self):
        self.p.kill()
        self.p.wait()


def throughput(t, cmd):
    t.run("sync")
    t.send(cmd.encode() + b"; echo EN''D\r")
    t.wait(rb"\n", 10)		# the echo of the command line
    start = t.count
    t0 = time.monotonic()
    if not t.wait(rb"END", 300):
        return None
    return (t.count - start) / (time.monotonic() - t0) / 1000


def main():
    t = Term()
    try:
        if not t.wait(rb"# ", 120):
            print("termd bench: no shell prompt")
            return 1
        t.run("yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefgh"
              " | head -c %d > /tmp/f" % SIZE)
        via = throughput(t, "cat /tmp/f")
        raw = throughput(t, "cat /tmp/f > /dev/ttyS0")
        print("serial output, 4 MiB text file (TCG, host clock):")
        print("  cat through termd (pty):        %s" % ("%.0f KB/s" % via if via else "failed"))
        print("  cat > /dev/ttyS0 (same boot):   %s" % ("%.0f KB/s" % raw if raw else "failed"))
        print("  Linux 8250 on the same QEMU:    194 KB/s (issue 12's measurement)")
        lat = []
        t.wait(rb"# ", 10)
        for i in range(40):
            c = b"abcdefghijklmnopqrstuvwxyz"[i % 26:i % 26 + 1]
            t0 = time.monotonic()
            t.send(c)
            if t.wait(re.escape(c), 5):
                lat.append(time.monotonic() - t0)
            time.sleep(0.02)
        t.send(b"\x03")
        t.wait(rb"# ", 5)
        if lat:
            print("  keystroke echo through termd:   median %.2f ms (%d keys)"
                  % (statistics.median(lat) * 1000, len(lat)))
        ans = t.run("termd resize")
        t.answer = False
        silent = t.run("termd resize")
        print("  termd resize, terminal answers: %s" % ("%.0f ms" % (ans * 1000) if ans else "failed"))
        print("  termd resize, no answer:        %s (bound 500 ms)"
              % ("%.0f ms" % (silent * 1000) if silent else "failed"))
    finally:
        t.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
