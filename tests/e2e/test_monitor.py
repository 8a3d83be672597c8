#!/usr/bin/python3
"""End-to-end test of the kernel monitor over the serial console, driven
with pexpect the way a person would type (tests/lib/guest.py).  The boot
has the lockup detectors on with a 1 s threshold: sitting in the monitor
(its CPU has interrupts off) must not be reported as a lockup.  Prints
"N passed, N failed"."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import Guest, summary  # noqa: E402

SMP = 4


def main():
    g = Guest("monitor", smp=SMP, timeout=120, append="monitor watchdog_thresh=1")
    if not g.boot_to_monitor(timeout=60):
        g.close()
        return summary()
    g.check_monitor("help", "help", r"hexdump ADDR LEN")
    g.check_monitor("bt-self", "bt", r"#0\d \[<ffffffff8[0-9a-f]+>\] \w+\+0x")
    g.check_monitor("hexdump-kernel", "hexdump ffffffff80100000 16",
                    r"ffffffff80100000: 02 b0 ad 1b")
    g.check_monitor("hexdump-unmapped", "hexdump 7fff00000000 16", r"not mapped")
    g.check_monitor("dmesg", "dmesg", r"kernel ready")
    g.check_monitor("cpuinfo-tsc", "cpuinfo", r"TSC: [1-9]\d*\.\d+ MHz")
    g.check_monitor("cpuinfo-cpus", "cpuinfo", r"%d CPUs \(%d online\)" % (SMP, SMP))
    for c in range(1, SMP):
        g.check_monitor("bt-core%d" % c, "bt %d" % c, r"CPU %d backtrace.*\n.*#00 \[<" % c)
    g.check_monitor("bt-bad-core", "bt 99", r"no online CPU 99")
    g.check_monitor("unknown-command", "frobnicate", r"unknown command 'frobnicate'")
    # Past both thresholds (hard 1 s, soft 2 s) in the monitor: nothing
    # reported, neither on the console nor in the log.
    time.sleep(3)
    out = g.monitor("dmesg")
    g.check("monitor-no-lockup-report",
            out is not None and "watchdog: soft lockup after 2 s" in out and
            not re.search(r"LOCKUP|soft lockup -", out), repr((out or "")[-400:]))
    status = g.reboot(timeout=30)
    g.check("reboot-exits", status == 0, "status %s" % status)
    g.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
