#!/usr/bin/python3
"""End-to-end test of the second serial port, /dev/ttyS1 (#uart, COM2).

One boot with `--serial2 tcp:PORT`; the host end is a TCP socket to QEMU's
chardev.  Checks: the device node (4:65) and its stats file; /dev/ttyS1 is a
real terminal: Linux's serial defaults (`stty -F`: 115200, icanon, echo,
onlcr), output processing (ONLCR) and canonical input with echo and erase
as seen from the host, a getty-like interactive shell on the line (its
controlling terminal, ^C to its foreground job), speed and frame format
reaching the UART's registers (the stats file); then, set raw as binary
users do: guest-to-host bytes, a 64 KiB binary file arriving exact (sha256
on both ends) while the transmit ring wraps, and its rate; host-to-guest
bytes, 32 KiB arriving exact through the receive interrupt; a blocking read
waits, and wakes when bytes arrive; bytes that arrive with no reader are
kept and counted; 32 KiB sent with no reader and no flow control all arrive
(the port holds the sender back); IXOFF: with nobody reading, the full input queue sends
STOP to the host, and START once a reader drains it, with no byte lost.
Driven through tests/lib/guest.py.  Prints "N passed, N failed".
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


def recv_until(sock, tail, timeout=20):
    """Read from sock until tail has arrived; what arrived before the timeout."""
    sock.settimeout(timeout)
    data = b""
    end = time.time() + timeout
    while tail not in data and time.time() < end:
        try:
            chunk = sock.recv(4096)
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

        g.check_output("default-termios", "stty -F /dev/ttyS1",
                       r"speed 115200 baud", status=0)
        g.check_output("default-termios-flags", "stty -a -F /dev/ttyS1",
                       r"(?s)(?=.* icanon)(?=.* echo )(?=.* onlcr)(?=.* icrnl)", status=0)
        out, st = g.run("echo hello-from-guest > /dev/ttyS1")
        got = recv_exact(sock, len(b"hello-from-guest\r\n"), 20)
        g.check("guest-to-host-onlcr", st == 0 and got == b"hello-from-guest\r\n", repr(got))

        # Canonical input: echo (erase shown as BS SP BS), the line read with the erase applied.
        g.run("head -n 1 /dev/ttyS1 > /tmp/line &")
        time.sleep(1)
        sock.sendall(b"ab\x7fc\r")
        echo = recv_exact(sock, len(b"ab\b \bc\r\n"), 20)
        g.check("canonical-echo", echo == b"ab\b \bc\r\n", repr(echo))
        g.run("wait")
        g.check_output("canonical-line", "cat /tmp/line", r"^ac$", status=0)

        # A getty-like shell on the line: new session, ttyS1 its controlling terminal.
        g.run("setsid sh -c 'exec sh -i </dev/ttyS1 >/dev/ttyS1 2>&1' &")
        time.sleep(2)
        sock.sendall(b"tty; echo sum=$((6*7))\r")
        got = recv_until(sock, b"sum=42\r\n", 20)
        g.check("getty-shell", b"/dev/ttyS1\r\n" in got and b"sum=42\r\n" in got, repr(got))
        sock.sendall(b"sleep 100\r")
        time.sleep(2)
        sock.sendall(b"\x03")
        time.sleep(1)
        sock.sendall(b"echo alive-$?\r")
        got = recv_until(sock, b"alive-130\r\n", 20)
        g.check("getty-shell-intr", b"alive-130\r\n" in got, repr(got))
        sock.sendall(b"exit\r")
        recv_until(sock, b"exit\r\n", 10)
        time.sleep(1)

        g.check_output("line-settings", "stty -F /dev/ttyS1 57600 cs7 parenb cstopb; "
                       "cat '#uart/stats'; stty -F /dev/ttyS1", r"(?s)^line 57600 7E2$.*speed 57600 baud",
                       status=0)
        g.check_output("line-settings-back", "stty -F /dev/ttyS1 115200 cs8 -parenb -cstopb raw -echo; "
                       "cat '#uart/stats'", r"^line 115200 8N1$", status=0)

        out, st = g.run("head -c 65536 /dev/urandom > /tmp/blob; sha256sum /tmp/blob")
        want = out.split()[0] if out and st == 0 else "?"
        g.run("cat /tmp/blob > /dev/ttyS1 &")
        t0 = time.time()
        got = recv_exact(sock, 65536, 90)
        rate = len(got) / 1024 / max(time.time() - t0, 1e-6)
        g.check("guest-to-host-64k-raw", hashlib.sha256(got).hexdigest() == want,
                "%d bytes, sha256 %s, want %s" % (len(got), hashlib.sha256(got).hexdigest(), want))
        print("info guest-to-host rate %.0f KiB/s" % rate)
        g.run("wait")

        blob = os.urandom(32768)
        g.run("head -c 32768 /dev/ttyS1 > /tmp/in &")
        time.sleep(1)
        for i in range(0, len(blob), 1024):
            sock.sendall(blob[i:i + 1024])
            time.sleep(0.01)
        g.run("wait")
        g.check_output("host-to-guest-32k-raw", "sha256sum /tmp/in",
                       "^%s " % hashlib.sha256(blob).hexdigest(), status=0)

        g.run("head -c 5 /dev/ttyS1 > /tmp/late &")
        time.sleep(2)
        g.check_output("blocked-reader-waits", "cat /tmp/late; jobs", r"Running", status=0)
        sock.sendall(b"wake!")
        g.run("wait")
        g.check_output("blocked-reader-wakes", "cat /tmp/late", r"^wake!$", status=0)

        sock.sendall(b"stale input")
        time.sleep(1)
        g.check_output("queued-input-read", "head -c 11 /dev/ttyS1", r"^stale input$", status=0)
        g.check_output("stats-count", "cat '#uart/stats'",
                       r"^rx_bytes %d$" % (len(b"ab\x7fc\r") + len(b"tty; echo sum=$((6*7))\r") +
                                          len(b"sleep 100\r\x03echo alive-$?\rexit\r") +
                                          32768 + 5 + 11), status=0)

        # No flow control and nobody reading: 32 KiB, more than the line
        # discipline's 4 KiB and the port's 8 KiB ring hold.  The port stops
        # taking bytes from its FIFO when the ring is full, so the sender is
        # held back (QEMU reads no more from the socket) and nothing is lost.
        blob = os.urandom(32768)
        sock.sendall(blob)
        time.sleep(3)
        g.check_output("no-reader-32k-every-byte",
                       "head -c 32768 /dev/ttyS1 > /tmp/nr; sha256sum /tmp/nr",
                       "^%s " % hashlib.sha256(blob).hexdigest(), status=0)

        # IXOFF: with nobody reading, the guest's input queue fills and it
        # sends STOP; the host, a sender that obeys it, stops.  A reader
        # drains the queue and START follows; every byte arrived.
        g.check_output("ixoff-set", "stty -F /dev/ttyS1 ixoff; stty -a -F /dev/ttyS1",
                       r"(?<![-\w])ixoff", status=0)
        data = bytes(0x20 + i % 90 for i in range(16384))	# no STOP/START bytes
        sent, flow = 0, b""
        sock.settimeout(0.01)
        while sent < len(data) and b"\x13" not in flow:
            sock.sendall(data[sent:sent + 64])	# about half the line's rate
            sent += 64
            try:
                flow += sock.recv(16)
            except socket.timeout:
                pass
        flow += recv_until(sock, b"\x14", 1)	# anything else the guest sends
        # Before the line discipline's 4 KiB and the port's 8 KiB receive ring are full.
        g.check("ixoff-stop-sent", flow == b"\x13" and sent <= 4096 + 8192,
                "after %d bytes the guest sent %r" % (sent, flow))
        print("info ixoff STOP after %d bytes sent" % sent)
        g.run("head -c %d /dev/ttyS1 > /tmp/ix" % sent)
        flow = recv_until(sock, b"\x11", 20)
        g.check("ixoff-start-sent", flow == b"\x11", repr(flow))
        g.check_output("ixoff-every-byte", "sha256sum /tmp/ix",
                       "^%s " % hashlib.sha256(data[:sent]).hexdigest(), status=0)
        sock.close()
    summary()


if __name__ == "__main__":
    main()
