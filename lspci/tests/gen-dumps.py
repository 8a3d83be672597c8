#!/usr/bin/python3
"""Regenerate the QEMU config-space fixtures in lspci/tests/dumps/.

Each configuration boots our kernel in QEMU (tools/qemu-run, TCG) with
`monitor noinit`, runs the monitor's `lspci -xxxx` (4096 bytes per ECAM
function, 256 through port I/O on i440fx) and keeps its output: the format
`lspci -xxxx` writes and `lspci -F` reads.  Run from anywhere:

    lspci/tests/gen-dumps.py            # every configuration
    lspci/tests/gen-dumps.py q35-full   # one

The dumps are fixtures: the oracle test (run.sh) never boots QEMU.
Exit status 1 if any configuration failed.
"""
import os
import re
import sys

import pexpect

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(TOP, "lspci", "tests", "dumps")

CONFIGS = {
    "q35-default": ["--machine", "q35"],
    "q35-full": ["--machine", "q35",
                 "--device", "e1000e",
                 "--device", "virtio-net-pci",
                 "--device", "pcie-root-port,id=rp1,chassis=1,slot=1",
                 "--device", "virtio-net-pci,bus=rp1",
                 "--device", "nvme,serial=lspci0001",
                 "--device", "qemu-xhci",
                 "--device", "ahci",
                 "--device", "edu",
                 "--device", "pci-bridge,id=pb1,chassis_nr=2",
                 "--device", "virtio-rng-pci,bus=pb1,addr=3"],
    "pc-e1000-ide": ["--machine", "pc", "--device", "e1000"],
}

PROMPT = "K> "


def capture(name, args):
    """Boot one configuration; return the dump text, or None on failure."""
    argv = [os.path.join(TOP, "tools", "qemu-run"), "--smp", "1",
            "--append", "monitor noinit", "--timeout", "300"] + args
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                          codec_errors="replace", timeout=240, cwd=TOP)
    try:
        child.expect_exact(PROMPT)
        child.sendline("lspci -xxxx")
        child.expect_exact("lspci -xxxx")
        child.expect_exact(PROMPT)
        text = child.before
        child.sendline("reboot")
        child.expect(pexpect.EOF, timeout=60)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        sys.stderr.write("%s: %s\n%s\n" % (name, type(e).__name__, child.before))
        child.close(force=True)
        return None
    child.close(force=True)
    lines = [l.rstrip("\r") for l in text.split("\n")]
    lines = [l for l in lines if re.match(r"^([0-9a-f]{2}:|[0-9a-f]{3}:|[0-9a-f]{4}:[0-9a-f]{2}:|$)", l)
             or re.match(r"^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] ", l)]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).rstrip("\n") + "\n\n"


def main():
    names = sys.argv[1:] or list(CONFIGS)
    bad = 0
    for name in names:
        dump = capture(name, CONFIGS[name])
        if dump is None:
            bad += 1
            continue
        path = os.path.join(OUT, name + ".dump")
        with open(path + ".tmp", "w") as f:
            f.write(dump)
        os.rename(path + ".tmp", path)
        print("%s: %d functions" % (path, len(re.findall(r"(?m)^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] ", dump))))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
