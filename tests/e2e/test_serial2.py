#!/usr/bin/python3
"""End-to-end test of the second serial port, /dev/ttyS1 (#uart, COM2).

One boot with `--serial2 tcp:PORT`; the host end is a TCP socket to QEMU's
chardev.  Checks: the device node (4:65) and its stats file; guest-to-host
bytes, a 64 KiB binary file arriving exact (sha256 on both ends) while the
transmit ring wraps; host-to-guest bytes, 32 KiB arriving exact through the
receive interrupt; a blocking read waits, and wakes when bytes arrive; the
termios ioctls keep and report settings (`stty -F`); bytes that arrive with
no reader are queued and counted (the stats file).  Driven through tests/lib/guest.py.  Prints
"N passed, N failed".
"""
import hashlib
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import Guest, free_port, summary  # noqa: E402


def recv_exact(sock, n, timeout=60):
    """Read n bytes from sock; what arrived before the timeout."""
    sock.settimeout(timeout)
    data = b""
    end = time.time() + timeout
    while len(data) < n and time.time() < end:
        try:
            chunk = sock.recv(n - len(data))
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def main():
    port = free_port()
    with Guest("serial2", serial2="tcp:%d" % port) as g:
        if not g.boot_to_shell():
            return
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        g.check_output("node", "ls -l /dev/ttyS1", r"^c.* 4, +65 .*/dev/ttyS1$", status=0)
        g.check_output("stats", "cat '#uart/stats'", r"^present 1$", status=0)

        out, st = g.run("echo hello-from-guest > /dev/ttyS1")
        got = recv_exact(sock, len(b"hello-from-guest\n"), 20)
        g.check("guest-to-host", st == 0 and got == b"hello-from-guest\n", repr(got))

        out, st = g.run("head -c 65536 /dev/urandom > /tmp/blob; sha256sum /tmp/blob")
        want = out.split()[0] if out and st == 0 else "?"
        g.run("cat /tmp/blob > /dev/ttyS1 &")
        got = recv_exact(sock, 65536, 90)
        g.check("guest-to-host-64k", hashlib.sha256(got).hexdigest() == want,
                "%d bytes, sha256 %s, want %s" % (len(got), hashlib.sha256(got).hexdigest(), want))

        blob = os.urandom(32768)
        g.run("head -c 32768 /dev/ttyS1 > /tmp/in &")
        time.sleep(1)
        for i in range(0, len(blob), 1024):
            sock.sendall(blob[i:i + 1024])
            time.sleep(0.01)
        g.run("wait")
        g.check_output("host-to-guest-32k", "sha256sum /tmp/in",
                       "^%s " % hashlib.sha256(blob).hexdigest(), status=0)

        g.run("head -c 5 /dev/ttyS1 > /tmp/late &")
        time.sleep(2)
        g.check_output("blocked-reader-waits", "cat /tmp/late; jobs", r"Running", status=0)
        sock.sendall(b"wake!")
        g.run("wait")
        g.check_output("blocked-reader-wakes", "cat /tmp/late", r"^wake!$", status=0)

        g.check_output("stty-keeps", "stty -F /dev/ttyS1 raw -echo 57600; stty -F /dev/ttyS1",
                       r"speed 57600 baud", status=0)
        sock.sendall(b"stale input")
        time.sleep(1)
        g.check_output("input-queued-without-reader", "cat '#uart/stats'", r"^rx_queued 11$", status=0)
        g.check_output("queued-input-read", "head -c 11 /dev/ttyS1", r"^stale input$", status=0)
        g.check_output("stats-count", "cat '#uart/stats'",
                       r"^rx_bytes %d$" % (32768 + 5 + 11), status=0)
        sock.close()
    summary()


if __name__ == "__main__":
    main()
