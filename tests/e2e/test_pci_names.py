#!/usr/bin/python3
"""End-to-end test of the kernel's PCI enumeration and names against pciutils.

For several QEMU machines (q35 with ECAM, q35 forced onto the 0xCF8 ports,
pc without MCFG) and extra devices (NICs, USB, audio, SCSI, bridges with
devices behind them, multi-function devices), boot with `pcidump`: the
kernel prints one `pci SSSS:BB:DD.F ...` line per function and then its
configuration space in `lspci -xxx` format.  The oracle is the host's
pciutils: `lspci -F dump` reads that dump back and prints what lspci would
print for those devices; every boot line, and the monitor's `lspci` and
`lspci -nn` output, must equal it exactly.  A last boot runs the PCI ktests.
Python 3 stdlib only.  Prints "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "tools", "qemu-run")
PCIIDS = os.environ.get("PCIIDS", "/usr/share/misc/pci.ids")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
BOOT_TIMEOUT = 90

# name, machine, kernel command line additions, extra -device specs
CONFIGS = [
    ("q35-ecam", "q35", "", [
        "e1000", "virtio-net-pci", "ich9-usb-ehci1", "ich9-usb-uhci1",
        "rtl8139", "ich9-intel-hda", "lsi53c895a", "virtio-rng-pci",
        "qemu-xhci", "pcie-root-port,id=rp1,chassis=1,slot=1",
        "e1000e,bus=rp1", "pci-bridge,id=br1,chassis_nr=2",
        "ne2k_pci,bus=br1,addr=3", "ES1370,bus=br1,addr=4",
        "virtio-balloon-pci,multifunction=on,addr=0x10.0",
        "virtio-rng-pci,addr=0x10.1",
    ]),
    ("q35-conf1", "q35", "pci=conf1", [
        "e1000", "pcie-root-port,id=rp1,chassis=1,slot=1", "virtio-net-pci,bus=rp1",
        "i6300esb", "megasas",
    ]),
    ("pc", "pc", "", [
        "e1000", "virtio-net-pci", "piix3-usb-uhci", "AC97", "pcnet",
        "pci-bridge,id=br1,chassis_nr=1", "rtl8139,bus=br1,addr=1",
        "i82559er,bus=br1,addr=2", "pvscsi", "edu", "vmxnet3",
    ]),
]

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s %s" % (name, detail))


class Guest:
    """A qemu-run child whose serial console we read in a thread and type into."""

    def __init__(self, machine, append, devices, log):
        args = [RUN, "--machine", machine, "--smp", "2", "--timeout", str(BOOT_TIMEOUT),
                "--watchdog", "--append", append]
        for d in devices:
            args += ["--device", d]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.buf = b""
        self.lock = threading.Lock()
        self.log = log
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                return
            self.log.write(data)
            self.log.flush()
            with self.lock:
                self.buf += data

    def text(self):
        with self.lock:
            return self.buf.decode("utf-8", "replace").replace("\r", "")

    def wait_for(self, pattern, start=0, timeout=60):
        """Offset just past pattern's first match after start, or None on timeout/exit."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.compile(pattern).search(self.text(), start)
            if m:
                return m.end()
            if self.proc.poll() is not None and not self.reader.is_alive():
                return None
            time.sleep(0.1)
        return None

    def command(self, line):
        """Type line at the K> prompt; returns the answer text (without prompt) or None."""
        start = len(self.text())
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()
        end = self.wait_for(r"\nK> ", start, 30)
        if end is None:
            return None
        out = self.text()[start:end - len("K> ")]
        # drop the echoed command line
        return out.split("\n", 1)[1] if "\n" in out else ""

    def finish(self):
        try:
            self.proc.stdin.write(b"reboot\r")
            self.proc.stdin.flush()
        except OSError:
            pass
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# BAR sizes QEMU 7.2 gives some devices (e1000: 128K registers + 64 ports;
# VGA: 16M frame buffer; virtio-net: 16K 64-bit prefetchable).
KNOWN_SIZES = {
    "q35": [r"82540EM.*\n\tMemory at \w+ \(32-bit, non-prefetchable\) \[size=128K\]\n"
            r"\tI/O ports at \w+ \[size=64\]",
            r"1234:1111.*\n\tMemory at \w+ \(32-bit, prefetchable\) \[size=16M\]",
            r"Virtio (1\.0 )?network device.*\n(\t.*\n)*?\tMemory at \w+ \(64-bit, prefetchable\) \[size=16K\]"],
}
KNOWN_SIZES["pc"] = KNOWN_SIZES["q35"]


def dump_text_file(text):
    """Write text to a temporary file (removed at exit); returns its path."""
    with tempfile.NamedTemporaryFile("w", suffix=".dump", delete=False) as f:
        f.write(text)
    TEMPS.append(f.name)
    return f.name


TEMPS = []


def host_lspci(dump, *opts):
    """Host pciutils' lspci output for a dump file, as a list of lines."""
    r = subprocess.run(["lspci", "-F", dump, "-i", PCIIDS, "-O", "hwdb.disable=1"] + list(opts),
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("lspci failed: %s" % r.stderr.strip())
    return r.stdout.splitlines()


def compare_lines(name, ours, theirs):
    """One check per host line; extra or missing functions fail too."""
    for i, want in enumerate(theirs):
        got = ours[i] if i < len(ours) else "<missing>"
        check("%s: %s" % (name, want.split(" ", 1)[0]), got == want,
              "\n     kernel: %r\n     lspci:  %r" % (got, want))
    if len(ours) > len(theirs):
        check("%s: no extra lines" % name, False, repr(ours[len(theirs):]))


def run_config(name, machine, append, devices):
    log = open(os.path.join(LOGDIR, "e2e-pci-%s.log" % name), "wb")
    g = Guest(machine, ("monitor pcidump " + append).strip(), devices, log)
    try:
        end = g.wait_for(r"\nK> ", 0, BOOT_TIMEOUT)
        check("%s: boot to monitor" % name, end is not None, g.text()[-600:])
        if end is None:
            return
        out = g.text()
        boot = [l[len("pci 0000:"):] for l in out.splitlines() if re.match(r"pci [0-9a-f]{4}:", l)]
        m = re.search(r"pcidump: begin\n(.*?)pcidump: end\n", out, re.S)
        check("%s: config dump printed" % name, m is not None and boot)
        if not m or not boot:
            return
        dump = dump_text_file(m.group(1))
        want = host_lspci(dump)
        want_nn = host_lspci(dump, "-nn")
        want_n = host_lspci(dump, "-n")
        check("%s: %d functions, as many as lspci sees" % (name, len(boot)),
              len(boot) == len(want), "%d vs %d" % (len(boot), len(want)))
        compare_lines(name + " boot", boot, want)
        mon = g.command("lspci")
        compare_lines(name + " monitor lspci", (mon or "").splitlines(), want)
        mon = g.command("lspci -nn")
        compare_lines(name + " monitor lspci -nn", (mon or "").splitlines(), want_nn)
        mon = g.command("lspci -n")
        check("%s: monitor lspci -n" % name, (mon or "").splitlines() == want_n,
              "\n%s\n---\n%s" % (mon, "\n".join(want_n)))
        if machine == "q35" and "conf1" not in append:
            # ECAM reaches the 4 KiB extended space: lspci -vv decodes the
            # e1000e's extended capabilities from our `lspci -xxxx` dump.
            x4 = dump_text_file(g.command("lspci -xxxx") or "")
            check("%s: lspci -xxxx dump reads back" % name, host_lspci(x4) == want)
            check("%s: extended capabilities in -xxxx dump" % name,
                  any(l.startswith("\tCapabilities: [100 ") for l in host_lspci(x4, "-vv")))
        # BARs: same addresses/types as lspci -v reads from the dump (taken
        # after sizing, so this also shows sizing restored every BAR); sizes
        # are ours alone (lspci -F cannot know them), checked for known devices.
        mon = g.command("lspci -v") or ""
        ours = [l for l in mon.splitlines() if re.match(r"\t(Memory|I/O ports) at ", l)]
        theirs = [l for l in host_lspci(dump_text_file(m.group(1)), "-v")
                  if re.match(r"\t(Memory|I/O ports) at ", l)]
        check("%s: BAR addresses and types (%d)" % (name, len(theirs)),
              [re.sub(r" \[size=\w+\]$", "", l) for l in ours] == theirs,
              "\n%s\n---\n%s" % ("\n".join(ours), "\n".join(theirs)))
        check("%s: BARs sized" % name, all("[size=" in l for l in ours) and
              all(re.search(s, mon) for s in KNOWN_SIZES[machine]),
              "\n" + mon)
    finally:
        g.finish()
        log.close()


def run_ktests():
    log = os.path.join(LOGDIR, "e2e-pci-ktest.log")
    r = subprocess.run([RUN, "--smp", "2", "--timeout", str(BOOT_TIMEOUT), "--watchdog",
                        "--append", "ktest=pci_host_bridge,pci_names"],
                       stdin=subprocess.DEVNULL, capture_output=True)
    out = r.stdout.decode("utf-8", "replace").replace("\r", "")
    with open(log, "w") as f:
        f.write(out)
    check("ktests pci_host_bridge, pci_names", r.returncode == 0 and
          re.search(r"ktest: 2 passed, 0 failed", out) is not None,
          "status %d, see %s" % (r.returncode, log))


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    for name, machine, append, devices in CONFIGS:
        run_config(name, machine, append, devices)
    run_ktests()
    for t in TEMPS:
        os.unlink(t)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
