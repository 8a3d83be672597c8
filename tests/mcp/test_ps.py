#!/usr/bin/python3
"""The monitor's `ps` shows an MCP: RUNNING_M and one "vcore N on core C"
line per vcore, on distinct cores other than 0 (tests/lib/guest.py drives
the console and the monitor).  Part of the mcp-target tier
(tests/mcp/run.sh).  Prints "N passed, N failed"."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from guest import Guest, summary  # noqa: E402

SMP = 4


def main():
    prog = os.path.join(ROOT, "build", "tests", "mcp", "mcp_test")
    g = Guest("mcp-ps", smp=SMP, timeout=120, extra=("--copy", prog + ":/tests/mcp/mcp_test"))
    if not g.boot_to_shell():
        g.close()
        return summary()
    g.sendline("/tests/mcp/mcp_test hold &")
    g.expect(r"holding %d vcores" % (SMP - 1), "mcp-hold-started", timeout=30)
    if g.monitor_enter("break", name="monitor-enter"):
        out = g.monitor("ps") or ""
        g.check("ps-running-m", re.search(r"RUNNING_M .*mcp_test", out) is not None, repr(out[-600:]))
        cores = re.findall(r"vcore (\d+) on core (\d+) \(tid \d+\)", out)
        pcores = [int(c) for _, c in cores]
        g.check("ps-vcore-lines", len(cores) == SMP - 1, "vcore lines %r" % cores)
        g.check("ps-distinct-cores", len(set(pcores)) == len(pcores) and 0 not in pcores,
                "cores %r" % pcores)
        g.monitor_continue()
    g.sendline("")
    out, st = g.run("kill -9 %1; wait; cat /proc/uptime", timeout=30)
    g.check("mcp-killed-shell-alive", out is not None and st == 0, repr(out))
    g.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
