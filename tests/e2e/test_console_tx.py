#!/usr/bin/python3
"""End-to-end test of serial output through the interrupt-driven transmit
rings (drivers/serial/uart_port.c): COM1, the console, and COM2 (/dev/ttyS1).

One boot with `--serial2 tcp-mux:PORT` (COM2 through a QEMU mux, so the
host can send it a BREAK with Ctrl-A b).  Checks:
- printk text never overtakes user output written before it: a shell loop
  alternates a long user line and a kernel message (#cons/kprint); the
  host sees them strictly alternating, in order;
- a 1 MiB burst written to the console arrives intact and in order, with
  an IXON ^S ... ^Q pause in the middle: output stops within a FIFO's
  worth after ^S and the writer waits, ^Q resumes it;
- the host stops reading for 5 s in the middle of that burst: QEMU's
  side fills, then the ring, and cat sleeps on it; once the host reads
  again the draining ring must wake it (no input is sent meanwhile);
- tests/progs/ttyout -d on the console and on /dev/ttyS1 (EAGAIN when the
  stopped ring is full, TIOCOUTQ = bytes queued, no POLLOUT while full,
  POLLOUT after TCOON, tcdrain, TIOCOUTQ 0 after) prints the same check
  lines as the same binary run on the host on a pty, and filled the ring;
- HUPCL: /dev/ttyS1's DTR (#uart/stats) falls at the last close with
  hupcl set, comes back at the next open, stays up without hupcl;
- BREAK on /dev/ttyS1 per termios: a NUL (-brkint -parmrk), 0377 0 0
  (parmrk), nothing (ignbrk), SIGINT to the foreground group (brkint).
(CRTSCTS is not tested: QEMU's 16550 keeps the modem status lines fixed.)
Prints "N passed, N failed".
"""
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import ROOT, Guest, free_port, summary  # noqa: E402

TTYOUT = os.path.join(ROOT, "build", "tests", "progs", "ttyout")
BURST_LINES = 131072		# "%07d\n" each: 1 MiB


def drain_socket(sock, secs):
    """Read whatever sock delivers for secs seconds; the bytes."""
    sock.settimeout(0.2)
    data = b""
    end = time.time() + secs
    while time.time() < end:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    return data


def ordering(g):
    """printk text comes after the user output queued before it."""
    pad = "u" * 300
    g.run("i=0; while [ $i -lt 40 ]; do echo \"user-$i %s\"; echo \"kern-$i\" > '#cons/kprint'; "
          "i=$((i+1)); done" % pad, timeout=120)
    text = g.text()
    start = text.rfind("user-0 ")
    seq = re.findall(r"(user|kern)-(\d+)", text[start:])
    want = [(k, str(i)) for i in range(40) for k in ("user", "kern")]
    g.check("printk-after-queued-user-output", seq[:80] == want,
            "first mismatch at %s" % next((i for i, (a, b) in enumerate(zip(seq, want)) if a != b),
                                          len(seq)))


def burst(g):
    """1 MiB through the console, paused by ^S and resumed by ^Q, intact and in order."""
    g.run("awk 'BEGIN { for (i = 0; i < %d; i++) printf \"%%07d\\n\", i }' > /tmp/burst" %
          BURST_LINES, timeout=120)
    g.sendline("printf '@@BURST-BEGIN@@\\n'; cat /tmp/burst; printf '@@BURST-END@@\\n'")
    g.wait(r"@@BURST-BEGIN@@\r*\n", 30)
    g.send("\x13")				# ^S
    g.wait(r"@@BURST-END@@", 2)		# reads what was already on its way
    size1 = g.transcript.size
    ended = g.wait(r"@@BURST-END@@", 3)
    size2 = g.transcript.size
    g.check("ixon-stop-halts-output", ended is None and size2 - size1 <= 64,
            "%d bytes in 3 s after ^S, end seen: %s" % (size2 - size1, ended is not None))
    g.send("\x11")				# ^Q
    g.wait(r"@@BURST-END@@", 300)
    text = g.text()
    body = text[text.rfind("@@BURST-BEGIN@@") + len("@@BURST-BEGIN@@\n"):text.rfind("@@BURST-END@@")]
    want = "".join("%07d\n" % i for i in range(BURST_LINES))
    bad = next((i for i, (a, b) in enumerate(zip(body, want)) if a != b), None)
    g.check("burst-1mib-intact-in-order", body == want,
            "%d bytes of %d, first difference at %s: %r" %
            (len(body), len(want), bad, body[bad - 20:bad + 20] if bad is not None else ""))
    g.expect(g.PROMPT)


def host_pause(g):
    """The host stops reading for a while: the ring fills, the writer sleeps, and is woken as it drains."""
    g.sendline("printf '@@PAUSE-BEGIN@@\\n'; cat /tmp/burst; printf '@@PAUSE-END@@\\n'")
    g.wait(r"@@PAUSE-BEGIN@@\r*\n", 30)
    time.sleep(5)				# QEMU's pty fills, then COM1's ring; cat sleeps
    ended = g.wait(r"@@PAUSE-END@@", 120)
    g.check("writer-woken-after-host-pause", ended is not None,
            "no end in 120 s after the host read again (a writer on a full ring not woken)")
    if ended is None:
        g.send("\x11")				# any input wakes the writer: leave a usable shell
        g.wait(r"@@PAUSE-END@@", 60)
    text = g.text()
    body = text[text.rfind("@@PAUSE-BEGIN@@") + len("@@PAUSE-BEGIN@@\n"):text.rfind("@@PAUSE-END@@")]
    g.check("host-pause-burst-intact", body == "".join("%07d\n" % i for i in range(BURST_LINES)),
            "%d bytes" % len(body))
    g.expect(g.PROMPT)


def ttyout(g, sock, host_lines):
    """tests/progs/ttyout -d on the console and on ttyS1 against the host's pty run."""
    for dev, name in (("/dev/ttyS0", "console"), ("/dev/ttyS1", "ttyS1")):
        out, st = g.run("/tests/progs/ttyout -d %s > /tmp/ttyout; echo st=$?" % dev, timeout=60)
        if sock:
            drain_socket(sock, 1)
        res, _ = g.run("cat /tmp/ttyout")
        lines = (res or "").splitlines()
        checks = [ln for ln in lines if not ln.startswith("info ")]
        g.check("ttyout-%s-same-as-host-pty" % name, checks == host_lines,
                "target %r, host %r" % (checks, host_lines))
        m = re.search(r"^info queued (\d+) outq (\d+)$", res or "", re.M)
        g.check("ttyout-%s-filled-ring" % name, m and int(m.group(1)) >= 4096 and
                m.group(1) == m.group(2), repr(m and m.group(0)))


def hupcl(g):
    """DTR falls at the last close under HUPCL."""
    g.check_output("dtr-up-without-hupcl", "stty -F /dev/ttyS1 -hupcl; grep dtr '#uart/stats'",
                   r"^dtr 1$", status=0)
    g.check_output("hupcl-drops-dtr-at-last-close",
                   "stty -F /dev/ttyS1 hupcl; grep dtr '#uart/stats'", r"^dtr 0$", status=0)
    g.check_output("open-raises-dtr", "exec 3</dev/ttyS1; grep dtr '#uart/stats'; exec 3<&-; "
                   "grep dtr '#uart/stats'", r"(?s)^dtr 1\ndtr 0$", status=0)
    g.run("stty -F /dev/ttyS1 -hupcl")


def breaks(g, sock):
    """A BREAK (Ctrl-A b of the mux) as the termios flags say."""
    cases = (("-ignbrk -brkint -parmrk", 1, "00", "break-is-nul"),
             ("-ignbrk -brkint parmrk", 3, "ff 00 00", "break-parmrk-marked"),
             ("ignbrk -brkint", 1, "78", "break-ignored"))
    for flags, n, want, name in cases:
        g.run("stty -F /dev/ttyS1 raw -echo %s" % flags)
        g.run("head -c %d /dev/ttyS1 | od -An -tx1 > /tmp/brk &" % n)
        time.sleep(1)
        sock.sendall(b"\x01b")
        time.sleep(0.5)
        if name == "break-ignored":
            sock.sendall(b"x")
        g.run("wait")
        g.check_output(name, "cat /tmp/brk", r"^ *%s *$" % want)
    # BRKINT: SIGINT to the foreground group of the session whose ctty ttyS1 is.
    g.run("rm -f /tmp/int; stty -F /dev/ttyS1 raw -echo -ignbrk brkint isig")
    g.run("setsid sh -c 'exec </dev/ttyS1 >/dev/ttyS1; trap \"echo int > /tmp/int; exit\" INT; "
          "while :; do sleep 1; done' &")
    time.sleep(2)
    sock.sendall(b"\x01b")
    time.sleep(3)
    g.check_output("break-brkint-sigint", "cat /tmp/int", r"^int$")
    g.check_output("stats-count-breaks", "grep rx_breaks '#uart/stats'", r"^rx_breaks 4$")


def main():
    host = subprocess.run([TTYOUT, "-p"], capture_output=True, text=True, timeout=60)
    host_lines = [ln for ln in host.stdout.splitlines()
                  if not ln.startswith("info ") and not re.match(r"^\d+ passed", ln)]
    host_lines.append(host.stdout.splitlines()[-1] if host.stdout else "")
    port = free_port()
    with Guest("console-tx", serial2="tcp-mux:%d" % port, timeout=900) as g:
        if not g.boot_to_shell():
            summary()
            return
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        ordering(g)
        burst(g)
        host_pause(g)
        ttyout(g, sock, host_lines)
        hupcl(g)
        breaks(g, sock)
        sock.close()
    summary()


if __name__ == "__main__":
    main()
