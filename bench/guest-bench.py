#!/usr/bin/python3
"""guest-bench: our kernel against the Linux reference guest, same QEMU.

Model: every figure is measured inside the guest, by the same static
programs (bench/progs, at /bench in both images) or the same Debian binary
(vim.tiny, added with --add-program), in boots of tools/qemu-run with the
same machine (q35, -cpu max, same RAM, CPUs and -accel tcg threading
rule); only the kernel and /init differ (--guest ours | linux).  Boots
alternate between the two guests (which one goes first alternates too)
so a change of host load hits both; each figure is the median over the
rounds, shown with its spread (min-max).  The ratio is ours/Linux for
times and Linux/ours for throughput: above 1 means we are slower.

Figures (wall-clock under TCG, on a host shared with other work):
  boot        host time of tools/qemu-run --exec true (QEMU's start to
              its exit; both initramfs images are built beforehand)
  getpid      procbench getpid: ns per raw syscall
  spawn       procbench spawn: fork + exec (static) + wait, us
  pipe        procbench pipe: 256 MiB through a pipe, MB/s
  ping-pong (only command)   /bench/pingpong as the boot's whole command
  ping-pong (after others)   /bench/pingpong after the other benchmarks
  vim         timeit: median of `vim.tiny --version` runs (dynamic loading)
Then the same kernel paths once more under -icount (--smp 1: Linux 6.1
does not bring up a second CPU under -icount), where the guest clock
counts instructions (1 ns = 1 instruction): exact and independent of the
host's load, so they show the kernels' own costs.

Usage: bench/guest-bench.py [--rounds N] [--smp N] [--no-icount]
Exit status 0; a figure whose boots failed is shown as "failed".
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "tools", "qemu-run")
VIM = "/usr/bin/vim.tiny"
GUESTS = ("ours", "linux")

# (key, label, unit, lower is better)
FIGURES = [
    ("boot", "boot, run `true`, power off (wall)", "s", True),
    ("getpid", "getpid", "ns", True),
    ("spawn", "fork+exec+wait (procbench spawn)", "us", True),
    ("pipe", "pipe, 256 MiB", "MB/s", False),
    ("pp_only", "futex ping-pong, the boot's only command", "us", True),
    ("pp_after", "futex ping-pong, after other commands", "us", True),
    ("vim", "vim.tiny --version (median of 5)", "us", True),
]
ICOUNT_FIGURES = [
    ("getpid", "getpid", "insns", True),
    ("spawn", "fork+exec+wait", "insns", True),
    ("pipe", "pipe, 32 MiB", "MB/Ginsn", False),
    ("pp_after", "futex ping-pong round trip", "insns", True),
    ("vim", "vim.tiny --version", "insns", True),
]
PATTERNS = {
    "getpid": (r"^getpid ([0-9.]+) ns/call", 1.0),
    "spawn": (r"^spawn ([0-9.]+) us/iter", 1.0),
    "pipe": (r"^pipe ([0-9.]+) MB/s", 1.0),
    "pp": (r"^pingpong: \d+ round trips, ([0-9.]+) ns", 1e-3),
    "vim": (r"^timeit: median ([0-9.]+) us", 1.0),
}


def main_cmd(pipe_mib, rounds):
    """The benchmark command of a main boot."""
    return ("/bench/procbench getpid 200000; /bench/procbench spawn 200; "
            "/bench/procbench pipe %d; /bench/timeit 5 %s --version; "
            "/bench/pingpong %d; true" % (pipe_mib, VIM, rounds))


def build_images(tmp):
    """Build each guest's initramfs (its base image plus vim.tiny) once;
    returns {guest: path}.  Raises CalledProcessError."""
    mk = os.path.join(ROOT, "tools", "mkinitramfs")
    out = {"ours": os.path.join(tmp, "ours.cpio"),
           "linux": os.path.join(tmp, "linux.cpio")}
    subprocess.run([mk, "--base", "--add-program", VIM, "-o", out["ours"]],
                   check=True)
    subprocess.run([mk, "--no-base", "--spec",
                    os.path.join(ROOT, "tools", "initramfs.linux"),
                    "--add-program", VIM, "-o", out["linux"]], check=True)
    return out


IMAGES = {}


def boot(guest, cmd, smp, icount=None, timeout=900):
    """Run cmd in one boot; returns (output text, host seconds, status)."""
    args = [RUN, "--guest", guest, "--smp", str(smp), "--timeout", str(timeout),
            "--initrd", IMAGES[guest], "--exec", cmd]
    if icount is not None:
        args[1:1] = ["--icount", str(icount)]
    t0 = time.monotonic()
    r = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return (r.stdout.decode("utf-8", "replace"), time.monotonic() - t0,
            r.returncode)


def parse(text):
    """{figure key: value} from benchmark output (pingpong as "pp")."""
    out = {}
    for key, (pat, scale) in PATTERNS.items():
        m = re.search(pat, text, re.M)
        if m:
            out[key] = float(m.group(1)) * scale
    return out


def collect(rounds, smp):
    """{guest: {key: [values]}} from alternating boots."""
    res = {g: {f[0]: [] for f in FIGURES} for g in GUESTS}
    for r in range(rounds):
        order = GUESTS if r % 2 == 0 else GUESTS[::-1]
        for g in order:
            _, secs, st = boot(g, "true", smp, timeout=120)
            if st == 0:
                res[g]["boot"].append(secs)
            text, _, st = boot(g, "/bench/pingpong 5000", smp, timeout=300)
            v = parse(text)
            if "pp" in v:
                res[g]["pp_only"].append(v["pp"])
            text, _, st = boot(g, main_cmd(256, 5000), smp)
            v = parse(text)
            if st != 0 or len(v) < 5:
                print("  (%s round %d: %s)" % (g, r + 1, text.strip()[-300:]),
                      file=sys.stderr)
            for k in ("getpid", "spawn", "pipe", "vim"):
                if k in v:
                    res[g][k].append(v[k])
            if "pp" in v:
                res[g]["pp_after"].append(v["pp"])
        print("  round %d of %d done" % (r + 1, rounds), file=sys.stderr)
    return res


def fmt(vals, unit):
    if not vals:
        return "failed"
    med = statistics.median(vals)
    prec = 2 if med < 10 else 1 if med < 1000 else 0
    s = "%.*f %s" % (prec, med, unit)
    if len(vals) > 1:
        s += " (%.*f-%.*f)" % (prec, min(vals), prec, max(vals))
    return s


def ratio(ours, linux, lower_better):
    if not ours or not linux:
        return "n/a"
    o, lx = statistics.median(ours), statistics.median(linux)
    if o <= 0 or lx <= 0:
        return "n/a"
    return "%.2f" % (o / lx if lower_better else lx / o)


def table(title, figures, res):
    print(title)
    print("  %-42s %-26s %-26s %s" % ("figure", "ours", "Linux", "ratio"))
    for key, label, unit, lower in figures:
        o, lx = res["ours"].get(key, []), res["linux"].get(key, [])
        print("  %-42s %-26s %-26s %s" % (label, fmt(o, unit), fmt(lx, unit),
                                         ratio(o, lx, lower)))


def icount_figures():
    """One boot per guest under -icount, 1 CPU: {guest: {key: [value]}}."""
    res = {}
    for g in GUESTS:
        text, _, _ = boot(g, main_cmd(32, 2000), 1, icount=0)
        v = parse(text)
        res[g] = {k: [v[k]] for k in ("getpid", "spawn", "vim") if k in v}
        if "pipe" in v:
            res[g]["pipe"] = [v["pipe"]]
        if "pp" in v:
            res[g]["pp_after"] = [v["pp"]]
        # The guest clock is 1 ns per instruction: us figures are k-insns.
        for k in ("spawn", "vim"):
            if k in res[g]:
                res[g][k] = [x * 1e3 for x in res[g][k]]
        if "pp_after" in res[g]:
            res[g]["pp_after"] = [x * 1e3 for x in res[g]["pp_after"]]
    return res


def conditions(smp):
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], stdout=subprocess.PIPE
                          ).stdout.decode().splitlines()[0]
    single = smp > (os.cpu_count() or 1)
    linux = subprocess.run([os.path.join(ROOT, "tools", "linux-guest-kernel")],
                           stdout=subprocess.PIPE).stdout.decode().strip()
    return ("%s; q35, -cpu max, 1 GiB, %d CPUs, -accel tcg%s; host: %d cores, "
            "load average %.1f at the start; Linux: %s"
            % (qemu, smp, ",thread=single" if single else " (MTTCG)",
               os.cpu_count() or 1, os.getloadavg()[0], os.path.basename(linux)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--no-icount", action="store_true")
    a = ap.parse_args()
    print("kernel paths against the Linux reference guest (bench/guest-bench.py)")
    tmp = tempfile.mkdtemp(prefix="guest-bench.")
    try:
        IMAGES.update(build_images(tmp))
        return run(a)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(a):
    print("  conditions: " + conditions(a.smp))
    res = collect(a.rounds, a.smp)
    table("wall clock, median (min-max) of %d alternating rounds; ratio > 1: we "
          "are slower" % a.rounds, FIGURES, res)
    if not a.no_icount:
        table("guest instructions (-icount shift=0, 1 CPU, one boot each)",
              ICOUNT_FIGURES, icount_figures())
    return 0


if __name__ == "__main__":
    sys.exit(main())
