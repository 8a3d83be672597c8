#!/usr/bin/python3
"""Tests of tests/soak on a fake tests/run-all (SOAK_RUN_ALL) whose tiers
pass, fail, report a boot timeout or hang, so they take seconds and boot
nothing: the verdicts, the per-tier table, the final line, which logs are
kept, that a hung tier is killed with its children, and that the CPU hogs
and the running tier are gone after the end and after a SIGINT (Ctrl-C).
Run by tests/e2e/run.sh.  Prints "N passed, N failed"."""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import ROOT, check, summary  # noqa: E402

SOAK = os.path.join(ROOT, "tests", "soak")
FAKE_RUN_ALL = r'''#!/bin/sh
TIERS="ok bad boothang slow"
case "$1" in
ok)	echo "ok   fine"; echo "3 passed, 0 failed" ;;
bad)	echo "FAIL broken"; echo "1 passed, 1 failed"; exit 1 ;;
boothang)	echo "FAIL boot: qemu-run timed out (status 124)"; echo "0 passed, 1 failed"; exit 1 ;;
slow)	sleep 1000 & echo $! > "$FAKE_DIR/slow.pid"; wait ;;
esac
'''


def hogs_of(pid):
    """PIDs of live CPU hogs started by soak process pid."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if b"soak-hog" in argv and str(pid).encode() in argv:
            found.append(int(d))
    return found


def alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def read_pid(path, timeout=10):
    """The number in path once it appears, else None."""
    deadline = time.time() + timeout
    while True:
        try:
            with open(path) as f:
                return int(f.read())
        except (OSError, ValueError):
            if time.time() >= deadline:
                return None
            time.sleep(0.1)


def start(tmp, *args):
    env = dict(os.environ, SOAK_RUN_ALL=os.path.join(tmp, "run-all"), FAKE_DIR=tmp)
    return subprocess.Popen([SOAK, "--log-dir", os.path.join(tmp, "logs"), "--hogs", "2"] + list(args),
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def full_run(tmp):
    p = start(tmp, "--rounds", "2", "--tier-timeout", "3", "ok", "bad", "boothang", "slow")
    time.sleep(1)
    hogs = hogs_of(p.pid)
    check("two CPU hogs run during the soak", len(hogs) == 2, repr(hogs))
    try:
        out, _ = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    print("\n".join("     > " + l for l in out.splitlines()))
    check("exit status 1 when a tier-round failed", p.returncode == 1, repr(p.returncode))
    check("final line counts tier-rounds (hung as failed)", out.endswith("2 passed, 6 failed\n"))
    rows = dict((m.group(1), m.groups()[1:]) for m in
                re.finditer(r"^  (\w+) +(\d+) +(\d+) +(\d+) +(\d+) +\d+s$", out, re.M))
    check("per-tier rounds, passed, failed, hung",
          rows == {"ok": ("2", "2", "0", "0"), "bad": ("2", "0", "2", "0"),
                   "boothang": ("2", "0", "0", "2"), "slow": ("2", "0", "0", "2")}, repr(rows))
    run = os.path.join(tmp, "logs", "latest")
    logs = sorted(os.listdir(run)) if os.path.isdir(run) else []
    want = ["round-%02d-%s.log" % (r, t) for r in (1, 2) for t in ("bad", "boothang", "slow")]
    check("logs kept for failed and hung tier-rounds only", logs == sorted(want), repr(logs))
    with open(os.path.join(run, "round-01-slow.log")) as f:
        check("a killed tier's log says so", "killed after 3 s" in f.read())
    sleeper = read_pid(os.path.join(tmp, "slow.pid"), 0)
    check("a hung tier is killed with its children", sleeper and not alive(sleeper), repr(sleeper))
    check("the hogs are gone at the end", not [h for h in hogs if alive(h)], repr(hogs))


def interrupted_run(tmp):
    p = start(tmp, "--rounds", "5", "--tier-timeout", "100", "slow")
    sleeper = read_pid(os.path.join(tmp, "slow.pid"))
    hogs = hogs_of(p.pid)
    p.send_signal(signal.SIGINT)
    try:
        out, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    check("Ctrl-C: the soak stops and reports", "interrupted by SIGINT" in out
          and out.endswith("0 passed, 0 failed\n") and p.returncode == 1, repr(out[-300:]))
    check("Ctrl-C: the running tier is killed", sleeper and not alive(sleeper), repr(sleeper))
    check("Ctrl-C: the hogs are gone", len(hogs) == 2 and not [h for h in hogs if alive(h)],
          repr(hogs))


def main():
    for case in (full_run, interrupted_run):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "run-all")
            with open(path, "w") as f:
                f.write(FAKE_RUN_ALL)
            os.chmod(path, 0o755)
            case(tmp)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
