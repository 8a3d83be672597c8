#!/usr/bin/python3
"""proc-bench: process-layer benchmarks on the host and on the target.

Model: one static binary, build/bench/progs/procbench (bench/progs/
procbench.c, also in the initramfs at /bench/procbench), measures a getpid
round trip, fork+exec+wait of a static binary (itself) and pipe
throughput.  This script runs it on the host Linux, then in one QEMU boot
per accelerator (TCG always, KVM too when /dev/kvm is usable) via
tools/qemu-run --exec, and prints one table per accelerator: host value,
target value and the ratio target/host (for MB/s, host/target, so that a
ratio above 1 always means the target is slower).  A boot that fails is
reported and skipped; the script still exits 0 so `make bench` goes on.
Usage: bench/proc-bench.py [--smp N]
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "tools", "qemu-run")
HOST_BIN = os.path.join(ROOT, "build", "bench", "progs", "procbench")
TARGET_BIN = "/bench/procbench"
# (name, arguments, unit, lower is better)
BENCHES = [("getpid", "200000", "ns/call", True),
           ("spawn", "200", "us/iter", True),
           ("pipe", "256", "MB/s", False)]


def parse(text):
    """{name: value} from procbench output lines "NAME VALUE UNIT"."""
    out = {}
    for line in text.splitlines():
        f = line.strip().split()
        if len(f) == 3 and f[0] in [b[0] for b in BENCHES]:
            try:
                out[f[0]] = float(f[1])
            except ValueError:
                pass
    return out


def run_host():
    res = {}
    for name, arg, _, _ in BENCHES:
        r = subprocess.run([HOST_BIN, name, arg], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=300)
        res.update(parse(r.stdout.decode("utf-8", "replace")))
    return res


def run_target(accel, smp):
    """Returns ({name: value}, error message or None)."""
    cmd = "; ".join("%s %s %s" % (TARGET_BIN, name, arg)
                    for name, arg, _, _ in BENCHES)
    try:
        r = subprocess.run([RUN, "--smp", str(smp), "--accel", accel,
                            "--timeout", "900", "--boot-timeout", "60",
                            "--exec", cmd],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=1000)
    except subprocess.TimeoutExpired:
        return {}, "qemu-run did not return"
    res = parse(r.stdout.decode("utf-8", "replace"))
    if r.returncode != 0 or len(res) < len(BENCHES):
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        return res, "qemu-run status %d%s" % (
            r.returncode, (": " + err[-1]) if err else "")
    return res, None


def kvm_usable():
    return os.access("/dev/kvm", os.R_OK | os.W_OK)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smp", type=int, default=4)
    a = ap.parse_args()
    if not os.path.exists(HOST_BIN):
        print("proc-bench: %s missing (make user)" % HOST_BIN)
        return 0
    host = run_host()
    accels = ["tcg"] + (["kvm"] if kvm_usable() else [])
    print("process benchmarks: the same static procbench on the host Linux "
          "and in QEMU (q35, %d CPUs)%s" % (
              a.smp, "" if kvm_usable() else "; KVM: skipped (/dev/kvm not usable)"))
    for accel in accels:
        target, err = run_target(accel, a.smp)
        print("  QEMU %s:" % accel.upper())
        print("    %-8s %14s %14s %8s" % ("bench", "host", "target", "ratio"))
        for name, _, unit, lower_better in BENCHES:
            h, t = host.get(name), target.get(name)
            hs = "%.1f %s" % (h, unit) if h is not None else "failed"
            ts = "%.1f %s" % (t, unit) if t is not None else "n/a"
            ratio = ""
            if h and t:
                ratio = "%.1fx" % ((t / h) if lower_better else (h / t))
            print("    %-8s %14s %14s %8s" % (name, hs, ts, ratio))
        if err:
            print("    target run failed: %s" % err)
    print("  (ratio > 1: the target is that many times slower; TCG figures "
          "are emulated time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
