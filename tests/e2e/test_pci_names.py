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
Driven through tests/lib/guest.py.  Prints "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import Guest, check, qemu_run, summary  # noqa: E402

PCIIDS = os.environ.get("PCIIDS", "/usr/share/misc/pci.ids")
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
    g = Guest("pci-%s" % name, machine=machine, smp=2, timeout=BOOT_TIMEOUT,
              append=("monitor pcidump " + append).strip(), devices=devices)
    try:
        if not g.boot_to_monitor("%s: boot to monitor" % name, BOOT_TIMEOUT):
            return
        out = g.text()
        boot = [l[len("pci 0000:"):] for l in out.splitlines() if re.match(r"pci [0-9a-f]{4}:", l)]
        m = re.search(r"pcidump: begin\n(.*?)pcidump: end\n", out, re.S)
        g.check("%s: config dump printed" % name, m is not None and boot)
        if not m or not boot:
            return
        dump = dump_text_file(m.group(1))
        want = host_lspci(dump)
        want_nn = host_lspci(dump, "-nn")
        want_n = host_lspci(dump, "-n")
        check("%s: %d functions, as many as lspci sees" % (name, len(boot)),
              len(boot) == len(want), "%d vs %d" % (len(boot), len(want)))
        compare_lines(name + " boot", boot, want)
        mon = g.monitor("lspci")
        compare_lines(name + " monitor lspci", (mon or "").splitlines(), want)
        mon = g.monitor("lspci -nn")
        compare_lines(name + " monitor lspci -nn", (mon or "").splitlines(), want_nn)
        mon = g.monitor("lspci -n")
        check("%s: monitor lspci -n" % name, (mon or "").splitlines() == want_n,
              "\n%s\n---\n%s" % (mon, "\n".join(want_n)))
        if machine == "q35" and "conf1" not in append:
            # ECAM reaches the 4 KiB extended space: lspci -vv decodes the
            # e1000e's extended capabilities from our `lspci -xxxx` dump.
            x4 = dump_text_file(g.monitor("lspci -xxxx") or "")
            check("%s: lspci -xxxx dump reads back" % name, host_lspci(x4) == want)
            check("%s: extended capabilities in -xxxx dump" % name,
                  any(l.startswith("\tCapabilities: [100 ") for l in host_lspci(x4, "-vv")))
        # BARs: same addresses/types as lspci -v reads from the dump (taken
        # after sizing, so this also shows sizing restored every BAR); sizes
        # are ours alone (lspci -F cannot know them), checked for known devices.
        mon = g.monitor("lspci -v") or ""
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
        g.reboot(30)
        g.close()


def run_ktests():
    status, out = qemu_run("pci-ktest", ["--smp", "2", "--timeout", str(BOOT_TIMEOUT), "--watchdog",
                                         "--append", "ktest=pci_host_bridge,pci_names"])
    check("ktests pci_host_bridge, pci_names", status == 0 and
          re.search(r"ktest: 2 passed, 0 failed", out) is not None,
          "status %s, see build/test-logs/e2e-pci-ktest.log" % status)


def main():
    for name, machine, append, devices in CONFIGS:
        run_config(name, machine, append, devices)
    run_ktests()
    for t in TEMPS:
        os.unlink(t)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
