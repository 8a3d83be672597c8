#!/usr/bin/python3
"""PCI figures for `make bench` (bench/run-all calls this).

One boot of the largest lspci-target configuration (q35-full, 2 CPUs,
TCG): the kernel's own enumeration time (the "enumerated in N us" boot
line), then `lspci -vv` wall time in the guest, ours through #pci against
Debian's through /sys/bus/pci, RUNS runs each, measured with the guest's
/proc/uptime (10 ms resolution, hence several runs).  The figures are
TCG-emulated time: compare runs on the same host only.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from target import CONFIGS, RUN  # noqa: E402

RUNS = 10
SCRIPT = r"""
t() { cut -d' ' -f1 /proc/uptime; }
a=$(t); i=0; while [ $i -lt %(runs)d ]; do lspci -vv >/dev/null; i=$((i+1)); done; b=$(t)
i=0; while [ $i -lt %(runs)d ]; do %(dlspci)s -vv >/dev/null 2>&1; i=$((i+1)); done; c=$(t)
echo "@@TIMES $a $b $c"
"""


def main():
    tmp = tempfile.mkdtemp(prefix="lspci-bench.")
    try:
        dlspci = os.path.join(tmp, "dlspci")
        shutil.copy("/usr/bin/lspci", dlspci)
        script = os.path.join(tmp, "b.sh")
        with open(script, "w") as f:
            f.write(SCRIPT % {"runs": RUNS, "dlspci": dlspci})
        argv = [RUN, "--smp", "2", "--timeout", "300", "--verbose",
                "--add-program", dlspci, "--copy", "/usr/share/misc/pci.ids",
                "--copy", script + ":/tmp/b.sh"] + CONFIGS["q35-full"][0] + \
            ["--exec", "sh /tmp/b.sh"]
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=TOP)
        out = p.stdout.decode("utf-8", "replace")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    enum = re.search(r"pci: (\d+) functions on (\d+) buses.*enumerated in (\d+) us", out)
    times = re.search(r"@@TIMES ([\d.]+) ([\d.]+) ([\d.]+)", out)
    print("PCI on the target (lspci-target q35-full configuration, TCG, 2 CPUs):")
    if enum:
        print("  boot-time enumeration: %s functions on %s buses in %s us"
              % (enum.group(1), enum.group(2), enum.group(3)))
    else:
        print("  boot-time enumeration: no figure (boot failed?)")
    if times:
        a, b, c = (float(x) for x in times.groups())
        ours, deb = (b - a) / RUNS, (c - b) / RUNS
        print("  lspci -vv wall time: ours (#pci) %.0f ms, Debian's (/sys) %.0f ms, ratio %.2f"
              % (ours * 1000, deb * 1000, ours / deb if deb else 0.0))
    else:
        print("  lspci -vv wall time: no figure (status %d)" % p.returncode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
