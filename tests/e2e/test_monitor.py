#!/usr/bin/python3
"""End-to-end test of the kernel monitor over the serial console, driven
with pexpect the way a person would type.  The boot has the lockup
detectors on with a 1 s threshold: sitting in the monitor (its CPU has
interrupts off) must not be reported as a lockup.  Prints "N passed, N
failed"."""
import os
import re
import sys
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "tools", "qemu-run")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s %s" % (name, detail))


def command(child, line, expect, name):
    """Type line at the K> prompt and check the answer matches expect."""
    child.sendline(line)
    try:
        child.expect(expect, timeout=20)
        child.expect("K> ", timeout=20)
        check(name, True)
    except (pexpect.TIMEOUT, pexpect.EOF):
        check(name, False, "no /%s/ after '%s'; saw: %r" % (expect, line, child.before[-400:]))


def main():
    smp = 4
    log = open(os.path.join(ROOT, "build", "test-logs", "e2e-monitor.log"), "w")
    child = pexpect.spawn(RUN, ["--smp", str(smp), "--timeout", "120", "--watchdog",
                                "--append", "monitor watchdog_thresh=1"],
                          encoding="utf-8", codec_errors="replace", logfile=log)
    try:
        child.expect("K> ", timeout=60)
        check("boot-to-monitor", True)
    except (pexpect.TIMEOUT, pexpect.EOF):
        check("boot-to-monitor", False, child.before[-400:] if child.before else "")
        print("%d passed, %d failed" % (passed, failed))
        return 1
    command(child, "help", r"hexdump ADDR LEN", "help")
    command(child, "bt", r"#0\d \[<ffffffff8[0-9a-f]+>\] \w+\+0x", "bt-self")
    command(child, "hexdump ffffffff80100000 16", r"ffffffff80100000: 02 b0 ad 1b", "hexdump-kernel")
    command(child, "hexdump 7fff00000000 16", r"not mapped", "hexdump-unmapped")
    command(child, "dmesg", r"kernel ready", "dmesg")
    command(child, "cpuinfo", r"TSC: [1-9]\d*\.\d+ MHz", "cpuinfo-tsc")
    command(child, "cpuinfo", r"%d CPUs \(%d online\)" % (smp, smp), "cpuinfo-cpus")
    for c in range(1, smp):
        command(child, "bt %d" % c, r"CPU %d backtrace.*\n.*#00 \[<" % c, "bt-core%d" % c)
    command(child, "bt 99", r"no online CPU 99", "bt-bad-core")
    command(child, "frobnicate", r"unknown command 'frobnicate'", "unknown-command")
    # Past both thresholds (hard 1 s, soft 2 s) in the monitor: nothing reported,
    # neither on the console nor in the log (dmesg, up to an unknown command's answer).
    time.sleep(3)
    child.sendline("dmesg")
    child.sendline("end-of-dmesg")
    try:
        child.expect(r"unknown command 'end-of-dmesg'", timeout=20)
        seen = child.before
        check("monitor-no-lockup-report",
              "watchdog: soft lockup after 2 s" in seen and
              not re.search(r"LOCKUP|soft lockup -", seen), seen[-400:])
    except (pexpect.TIMEOUT, pexpect.EOF):
        check("monitor-no-lockup-report", False, "dmesg: %r" % child.before[-400:])
    child.expect("K> ", timeout=20)
    child.sendline("reboot")
    try:
        child.expect(pexpect.EOF, timeout=30)
        child.close()
        check("reboot-exits", child.exitstatus == 0, "status %s" % child.exitstatus)
    except pexpect.TIMEOUT:
        check("reboot-exits", False, "QEMU still running")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
