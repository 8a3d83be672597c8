#!/usr/bin/python3
"""Dynamic-binary benchmarks (issue 4), host and QEMU side by side.

 - `vim.tiny --version`: median wall time of a fork+exec+wait of the
   unmodified Debian binary (dynamic loading cost: ld.so, libc and its
   libraries mapped from the page cache), measured by bench/progs/timeit.
 - futex ping-pong: two threads of a dynamic glibc program bouncing a
   futex word (bench/progs/pingpong.c), ns per round trip.

Both programs measure themselves with CLOCK_MONOTONIC, on the host and
inside one guest boot (2 CPUs); the ratio is target/host.  The guest runs
under KVM when QEMU can use /dev/kvm, else TCG; the output says which."""
import base64
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.join(ROOT, "build", "bench")
VIM_RUNS = 5
ROUNDS = 5000


def sh(args, **kw):
    return subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, **kw).stdout.decode()


def build():
    os.makedirs(B, exist_ok=True)
    sh(["make", "-s", "-j2"])
    sh(["make", "-s", "-f", "user/user.mk", "user"])
    sh(["gcc", "-O2", "-pthread", "-o", os.path.join(B, "pingpong"), "bench/progs/pingpong.c"])
    sh(["gcc", "-O2", "-o", os.path.join(B, "timeit"), "bench/progs/timeit.c"])
    sh([sys.executable, "tools/mkinitramfs", "--base", "-D", "BUILD=" + os.path.join(ROOT, "build"),
        "-D", "BUSYBOX=/bin/busybox", "--add-program", "/usr/bin/vim.tiny",
        "--add-program", os.path.join(B, "pingpong"), "--add-program", os.path.join(B, "timeit"),
        "--copy", os.path.join(B, "pingpong") + ":/bench/pingpong",
        "--copy", os.path.join(B, "timeit") + ":/bench/timeit",
        "-o", os.path.join(B, "initramfs.cpio")])


def parse(out):
    vim = re.search(r"timeit: median (\d+) us", out)
    pp = re.search(r"pingpong: \d+ round trips, (\d+) ns", out)
    return (int(vim.group(1)) if vim else None, int(pp.group(1)) if pp else None)


def host():
    out = sh([os.path.join(B, "timeit"), str(VIM_RUNS), "/usr/bin/vim.tiny", "--version"])
    out += sh([os.path.join(B, "pingpong"), str(ROUNDS)])
    return parse(out)


def target(accel):
    cmd = ("/bench/timeit %d /usr/bin/vim.tiny --version; /bench/pingpong %d"
           % (VIM_RUNS, ROUNDS))
    p = subprocess.run([os.path.join(ROOT, "tools", "qemu-run"), "--initrd",
                        os.path.join(B, "initramfs.cpio"), "--smp", "2", "--accel", accel,
                        "--timeout", "300", "--append",
                        "exec=" + base64.b64encode(cmd.encode()).decode()],
                       cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return parse(p.stdout.decode("utf-8", "replace").replace("\r", ""))


def row(name, unit, h, t):
    ratio = "%.1fx" % (t / h) if h and t else "n/a"
    print("  %-28s host %10s   target %10s   target/host %s"
          % (name, "%d %s" % (h, unit) if h else "failed", "%d %s" % (t, unit) if t else "failed",
             ratio))


def main():
    build()
    h = host()
    accel, t = "tcg", (None, None)
    if os.access("/dev/kvm", os.R_OK | os.W_OK):
        accel, t = "kvm", target("kvm")
    if not any(t):	# no /dev/kvm, or QEMU cannot use it here
        accel, t = "tcg", target("tcg")
    print("dynamic binaries (guest: QEMU %s, 2 CPUs; host: this machine's Linux):"
          % accel.upper())
    row("vim.tiny --version (median)", "us", h[0], t[0])
    row("futex ping-pong round trip", "ns", h[1], t[1])
    return 0 if all(h) and all(t) else 1


if __name__ == "__main__":
    sys.exit(main())
