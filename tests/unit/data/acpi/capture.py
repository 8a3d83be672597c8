#!/usr/bin/env python3
"""Turn the kernel monitor's `acpidump` output into table blobs.

Usage: capture.py LOG OUTDIR
Each "acpidump SIG PA LEN" block followed by hex lines becomes
OUTDIR/<PA in hex, 16 digits>-<SIG>.bin; test_acpi.c loads every *.bin in
a directory back at its physical address.  Regenerate with e.g.
  (sleep 3; printf 'acpidump\\r'; sleep 3) | qemu-system-x86_64 -M q35 \\
      -nographic -kernel build/kernel.bin > log
"""
import os
import re
import sys


def main():
    log, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cur = None
    for line in open(log, errors="replace"):
        line = line.strip()
        m = re.match(r"acpidump (\S{4}) ([0-9a-f]+) (\d+)$", line)
        if m:
            cur = [m.group(1), int(m.group(2), 16), int(m.group(3)), bytearray()]
            continue
        if cur and re.fullmatch(r"([0-9a-f]{2} ?)+", line):
            cur[3] += bytes.fromhex(line)
            if len(cur[3]) >= cur[2]:
                sig = re.sub(r"[^A-Za-z0-9]", "_", cur[0])
                name = "%016x-%s.bin" % (cur[1], sig)
                with open(os.path.join(out, name), "wb") as f:
                    f.write(cur[3][:cur[2]])
                cur = None
        elif cur:
            cur = None


if __name__ == "__main__":
    main()
