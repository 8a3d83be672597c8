#!/usr/bin/python3
"""lspci-target tier: our lspci and the kernel's #pci against Debian's
pciutils 3.9.0 on the booted target.  One boot per QEMU configuration:

 - Oracle 2 (facts a dump cannot carry): Debian's own lspci, run on the
   target through /sys/bus/pci (its linux-sysfs method), and ours through
   #pci print the same bytes (stdout and status) for every option set;
   this covers BAR/ROM sizes, IRQs, bridge windows and the -xxxx bytes.
 - Oracle 2, second half (q35-full): Debian's lspci -vv in the Linux
   reference guest (tools/qemu-run --guest linux) on the same QEMU
   configuration shows the same BAR, ROM and bridge window lines (Linux's
   own moves, a shadowed VGA ROM and windows it opens, excepted).
 - Oracle 1 (our decoder on a live dump): our `lspci -xxxx` on the target
   is read back by the host's `lspci -F DUMP -O hwdb.disable=1` for
   -v -vv -vvv -nn -t -tv -mm -vmm -b -x, and must equal our target
   lspci's `-F DUMP` output.
 - Drivers: edu raises MSIs that its handler counts (#edu/ctl, per CPU
   in /proc/interrupts after moving the vector); virtio-rng (modern
   transport) completes requests by MSI-X, and a masked vector holds its
   interrupt until unmasked; `-k` names both drivers.
 - Legacy INTx (q35-intx): the edu driver booted with edu.irq=intx,
   behind a pci-bridge (so its pin is swizzled on the way to the root
   bus), raises N interrupts through the IOAPIC and counts N (an
   "IO-APIC ... fasteoi" row in /proc/interrupts, per CPU after a move);
   masking (command register INTx Disable) holds one until unmasked; the
   GSI the kernel computes for each PCIe root port (#pci ctl "intx" line)
   equals the one the Linux reference guest's ACPI _PRT gave it (its
   pcieport driver enables INTx: "Interrupt: pin A routed to IRQ N").
   pc-intx: the same edu checks on i440fx (PIIX3 PIRQ routing), where
   every function's GSI must equal the Interrupt Line the firmware wrote
   (ISA IRQs 10/11 are GSIs 10/11 there).
 - Access rules (lspci/tests/pcipriv.c): root reads and writes, random
   reads/writes, 64 bytes for uid 65534, EACCES/EPERM for its writes;
   Debian's setpci writes a register as root (read back through #pci)
   and fails to as uid 65534.

Everything runs inside the guest (tools/qemu-run --exec); the host only
runs `lspci -F` on the dump file.  Last line "N passed, N failed".
Needs build/kernel.bin, the initramfs (our static lspci is /usr/bin/lspci)
and lspci/build/pcipriv (make -C lspci build/pcipriv).
"""
import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUN = os.path.join(TOP, "tools", "qemu-run")
PCIPRIV = os.path.join(TOP, "lspci", "build", "pcipriv")

# name: (QEMU arguments, option sets for oracle 2, option sets for oracle 1).
# Oracle 2 runs each option set twice in the guest (a second or so each
# under TCG), so the big configuration gets the full list and the small one
# the options whose output depends most on the machine.
LIVE_ALL = ["", "-nn", "-v", "-vvv", "-k", "-xxxx", "-bvv", "-tv", "-vmm", "-nnmm", "-PP",
            "-s 0:1.0 -vv", "-d ::0604 -v", "-D -s 1f.2 -x"]
LIVE_SMALL = ["", "-vvv", "-k", "-xxx", "-tv", "-vmm", "-bvv"]
DUMP_ALL = ["-v", "-vv", "-vvv", "-nn", "-t", "-tv", "-mm", "-vmm", "-b", "-x"]
DUMP_SMALL = ["-vvv", "-nn", "-tv", "-vmm", "-x"]
CONFIGS = {
    "q35-full": (["--machine", "q35",
                  "--device", "e1000e",
                  "--device", "virtio-net-pci",
                  "--device", "pcie-root-port,id=rp1,chassis=1,slot=1",
                  "--device", "virtio-net-pci,bus=rp1,disable-legacy=on",
                  "--device", "nvme,serial=lspci0001",
                  "--device", "qemu-xhci",
                  "--device", "ahci",
                  "--device", "edu",
                  "--device", "pci-bridge,id=pb1,chassis_nr=2",
                  "--device", "virtio-rng-pci,bus=pb1,addr=3"], LIVE_ALL, DUMP_ALL),
    "pc-e1000-ide": (["--machine", "pc", "--device", "e1000"], LIVE_SMALL, DUMP_SMALL),
}

INTX_ARGS = ["--machine", "q35",
             "--device", "pcie-root-port,id=rp1,chassis=1,slot=1,addr=4",
             "--device", "pcie-root-port,id=rp2,chassis=2,slot=2,addr=7",
             "--device", "pcie-root-port,id=rp3,chassis=3,slot=3,addr=0x1c",
             "--device", "pcie-root-port,id=rp4,chassis=4,slot=4,addr=0x1e",
             "--device", "pci-bridge,id=pb1,chassis_nr=5,addr=5",
             "--device", "edu,bus=pb1,addr=3"]
INTX_EDU = "02:03.0"		# SeaBIOS numbers rp1's bus 1, pb1's bus 2
PC_INTX_ARGS = ["--machine", "pc", "--device", "edu,addr=5"]
PC_INTX_EDU = "00:05.0"
INTX_SCRIPT = r"""
for f in "#pci/pci/"*ctl; do echo "@@INTX $f $(grep '^intx ' "$f") $(od -An -tu1 -j60 -N1 "${f%%ctl}raw")"; done
echo "@@EDU"
echo "raise 100" > "#edu/ctl"; echo "rc $?"
echo "fact 10" > "#edu/ctl"; echo "cpu 1" > "#edu/ctl"; echo "raise 20" > "#edu/ctl"; echo "rc $?"
cat "#edu/ctl"; cat /proc/interrupts
echo "mask 0" > "#edu/ctl"; echo "post 1" > "#edu/ctl"; sleep 0.3
echo "masked $(grep irqs '#edu/ctl')"
echo "unmask 0" > "#edu/ctl"; sleep 0.2
echo "unmasked $(grep irqs '#edu/ctl')"
echo "@@END"
echo "@@LSPCI"; %(dlspci)s -v -s %(edu)s 2>&1 | grep IRQ; lspci -v -s %(edu)s | grep IRQ; echo "@@END"
"""

# Run by the guest's shell; the option lists are here-documents (OPTS_END).
TARGET_SCRIPT = r"""
D=%(dlspci)s
while read -r o; do
  lspci $o >/tmp/o 2>&1; echo "rc $?" >>/tmp/o
  $D $o >/tmp/d 2>/dev/null; echo "rc $?" >>/tmp/d
  if cmp -s /tmp/o /tmp/d; then echo "@@LIVE $o @@SAME"; else echo "@@LIVE $o @@DIFF"; diff /tmp/d /tmp/o | head -30; fi
done <<'OPTS_END'
%(live)s
OPTS_END
lspci -xxxx >/tmp/dump
echo "@@DUMP"; cat /tmp/dump; echo "@@END"
while read -r o; do
  echo "@@F $o"; lspci -F /tmp/dump $o; echo "@@END"
done <<'OPTS_END'
%(dumpopts)s
OPTS_END
echo "@@PRIV"; /tmp/pcipriv "#pci/pci/0.1.0raw" /sys/bus/pci/devices/0000:00:01.0/config; echo "@@END"
B=00:01.0
v0=$(setpci -s $B INTERRUPT_LINE)
setpci -s $B INTERRUPT_LINE=5a; v1=$(setpci -s $B INTERRUPT_LINE)
v2=$(od -An -tx1 -j60 -N1 "#pci/pci/0.1.0raw" | tr -d ' ')
setpci -s $B INTERRUPT_LINE=$v0; v3=$(setpci -s $B INTERRUPT_LINE)
echo "@@SETPCI $v1 $v2 $v0 $v3"
setpriv --reuid=65534 --regid=65534 --clear-groups setpci -s $B INTERRUPT_LINE=11 >/dev/null 2>&1
rc=$?
echo "@@SETPCI-USER $rc $(setpci -s $B INTERRUPT_LINE) $v0"
echo "@@BARS"; $D -vv 2>/dev/null | grep -E "^[0-9a-f]|Region|Expansion ROM|behind bridge"; echo "@@END"
if [ -e "#edu/ctl" ]; then
  echo "@@EDU"
  echo "raise 200" > "#edu/ctl"; echo "rc $?"
  echo "cpu 1" > "#edu/ctl"; echo "raise 50" > "#edu/ctl"; echo "fact 10" > "#edu/ctl"; echo "rc $?"
  cat "#edu/ctl"; cat /proc/interrupts
  echo "@@END"
fi
if [ -e "#vrng/ctl" ]; then
  echo "@@VRNG"
  echo "read 100" > "#vrng/ctl"; echo "rc $?"
  a=$(od -An -tx1 -N32 "#vrng/random"); b=$(od -An -tx1 -N32 "#vrng/random")
  [ -n "$a" ] && [ "$a" != "$b" ] && echo "random differs"
  echo "before $(grep irqs '#vrng/ctl')"
  echo mask > "#vrng/ctl"; echo submit > "#vrng/ctl"; sleep 0.3
  echo "masked $(grep irqs '#vrng/ctl')"
  echo unmask > "#vrng/ctl"; sleep 0.2
  echo "unmasked $(grep irqs '#vrng/ctl')"
  cat "#vrng/ctl"; cat /proc/interrupts
  echo "@@END"
fi
"""

passed = failed = 0


def check(name, ok, detail=""):
    """Count one check; print the detail of a failure."""
    global passed, failed
    if ok:
        passed += 1
        return
    failed += 1
    print("FAIL: %s" % name)
    if detail:
        print(detail.rstrip("\n")[:3000])


def sections(text, tag):
    """{arg: body} of the '@@TAG arg' ... '@@END' blocks of text."""
    out, cur, body = {}, None, []
    head = "@@" + tag
    for line in text.split("\n"):
        if cur is None and (line == head or line.startswith(head + " ")):
            cur, body = line[len(head) + 1:], []
        elif cur is not None and line == "@@END":
            out[cur] = "\n".join(body) + "\n"
            cur = None
        elif cur is not None:
            body.append(line)
    return out


def diff_text(tmp, want, got):
    """A unified diff of two texts (at most 2000 characters)."""
    a, b = os.path.join(tmp, "want"), os.path.join(tmp, "got")
    with open(a, "w") as f:
        f.write(want)
    with open(b, "w") as f:
        f.write(got)
    return subprocess.run(["diff", "-u", a, b], stdout=subprocess.PIPE).stdout.decode()[:2000]


def check_live(name, lines, opts):
    """Oracle 2: the guest compared each option set and printed SAME or DIFF."""
    for o in opts:
        tag = "@@LIVE %s @@" % o
        idx = [i for i, l in enumerate(lines) if l.startswith(tag)]
        ok = len(idx) == 1 and lines[idx[0]].endswith("@@SAME")
        detail = ""
        if idx and not ok:
            j = idx[0] + 1
            while j < len(lines) and not lines[j].startswith(("@@LIVE ", "@@DUMP")):
                j += 1
            detail = "\n".join(lines[idx[0] + 1:j])
        check("%s: lspci %s = Debian's lspci through /sys" % (name, o or "(none)"), ok, detail)


def check_dump(name, out, tmp, opts):
    """Oracle 1: the host's lspci -F on the guest's dump against ours -F in the guest."""
    dump = sections(out, "DUMP").get("")
    check("%s: dump captured" % name, bool(dump and dump.strip()))
    if not dump:
        return
    path = os.path.join(tmp, name + ".dump")
    with open(path, "w") as f:
        f.write(dump)
    ours = sections(out, "F")
    for o in opts:
        want = subprocess.run(["lspci", "-F", path, "-O", "hwdb.disable=1"] + o.split(),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
        got = ours.get(o)
        check("%s: host lspci -F DUMP %s = ours in the guest" % (name, o), got == want,
              diff_text(tmp, want, got or "") if got != want else "")


def check_access(name, out, lines):
    """pcipriv's checks and the setpci writes."""
    priv = sections(out, "PRIV").get("", "")
    results = [l for l in priv.split("\n") if l.startswith("ok ") or l.startswith("FAIL ")]
    check("%s: pcipriv ran its 15 checks" % name, len(results) == 15, priv)
    for l in results:
        check("%s: pcipriv %s" % (name, l.split()[1].rstrip(":")), l.startswith("ok "), l)
    sp = [l.split()[1:] for l in lines if l.startswith("@@SETPCI ")]
    check("%s: root setpci writes, #pci reads it back, restore" % name,
          len(sp) == 1 and len(sp[0]) == 4 and sp[0][0] == "5a" and sp[0][1] == "5a" and
          sp[0][2] == sp[0][3], repr(sp))
    su = [l.split()[1:] for l in lines if l.startswith("@@SETPCI-USER ")]
    check("%s: setpci as uid 65534 fails and changes nothing" % name,
          len(su) == 1 and len(su[0]) == 3 and su[0][0] != "0" and su[0][1] == su[0][2], repr(su))


def check_edu(name, out):
    """The edu driver: N raised MSIs are N handled ones, per CPU after a move."""
    edu = sections(out, "EDU").get("")
    check("%s: edu driver bound (#edu/ctl)" % name, edu is not None, out[-1500:])
    if edu is None:
        return
    lines = edu.split("\n")
    check("%s: edu commands succeed" % name, lines[:2] == ["rc 0", "rc 0"], edu)
    for want in ("mode msi", "cpu 1", "irqs 251", "fact 10 3628800"):
        check("%s: edu ctl says %s" % (name, want), want in lines, edu)
    row = [l.split() for l in lines if l.rstrip().endswith(" edu") and "PCI-MSI" in l]
    check("%s: /proc/interrupts edu row: 200 on CPU0, 51 on CPU1" % name,
          len(row) == 1 and row[0][1:3] == ["200", "51"], edu)


def check_vrng(name, out):
    """virtio-rng over MSI-X: N requests by interrupt; a masked vector holds its interrupt."""
    vr = sections(out, "VRNG").get("")
    check("%s: virtio-rng driver bound (#vrng/ctl)" % name, vr is not None, out[-1500:])
    if vr is None:
        return
    lines = vr.split("\n")
    irqs = {}
    for l in lines:
        w = l.split()
        if len(w) == 3 and w[1] == "irqs" and w[2].isdigit():
            irqs[w[0]] = int(w[2])
    check("%s: vrng read 100 succeeds" % name, lines[0] == "rc 0", vr)
    check("%s: vrng random bytes differ between reads" % name, "random differs" in lines, vr)
    check("%s: vrng 100 requests completed by MSI-X" % name,
          "mode msix" in lines and irqs.get("before", 0) >= 102, vr)
    check("%s: masked MSI-X vector holds its interrupt" % name,
          irqs.get("masked") == irqs.get("before") and "before" in irqs, vr)
    check("%s: unmasking delivers it" % name,
          "masked" in irqs and irqs.get("unmasked") == irqs["masked"] + 1, vr)
    row = [l.split() for l in lines if l.rstrip().endswith(" virtio-rng") and "PCI-MSIX" in l]
    check("%s: /proc/interrupts virtio-rng row counts them" % name,
          len(row) == 1 and sum(int(x) for x in row[0][1:3]) == irqs.get("unmasked"), vr)


BAR_FILTER = "^[0-9a-f]|Region|Expansion ROM|behind bridge"


def bar_lines(text):
    """{slot: [Region / ROM / window lines]} of lspci -vv output filtered by BAR_FILTER."""
    out, slot = {}, None
    for l in text.split("\n"):
        if l and not l.startswith("\t"):
            slot = l.split()[0]
            out[slot] = []
        elif slot and l.strip():
            out[slot].append(l.strip())
    return out


def check_linux_bars(name, args, out, tmp):
    """Oracle 2, second half: a Linux guest's lspci -vv on the same QEMU configuration.

    Debian's lspci in the Linux reference guest (tools/qemu-run --guest
    linux) and in ours must print the same functions with the same Region,
    Expansion ROM and bridge window lines, except where Linux itself moved
    things: the boot VGA function's ROM shows Linux's shadow copy at
    000c0000, and Linux opens bridge windows the firmware left disabled."""
    ours = bar_lines(sections(out, "BARS").get("", ""))
    argv = [RUN, "--guest", "linux", "--smp", "2", "--timeout", "240",
            "--add-program", "/usr/bin/lspci", "--copy", "/usr/share/misc/pci.ids"] + args + \
        ["--exec", "lspci -vv 2>/dev/null | grep -E '%s'" % BAR_FILTER]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TOP)
    linux = bar_lines(p.stdout.decode("utf-8", "replace"))
    check("%s: Linux guest lspci -vv ran" % name, p.returncode == 0 and len(linux) > 3,
          p.stderr.decode("utf-8", "replace")[-1500:])
    check("%s: same functions as the Linux guest" % name, sorted(ours) == sorted(linux),
          "ours %s\nlinux %s" % (sorted(ours), sorted(linux)))
    for slot in sorted(set(ours) & set(linux)):
        a, b = ours[slot], linux[slot]
        ok = len(a) == len(b)
        for x, y in zip(a, b):
            if x == y:
                continue
            shadow = y.startswith("Expansion ROM at 000c0000") and x.startswith("Expansion ROM")
            opened = "behind bridge" in x and "[disabled]" in x and \
                x.split(":")[0] == y.split(":")[0]
            ok = ok and (shadow or opened)
        check("%s: %s BARs, ROM and windows = the Linux guest's" % (name, slot), ok,
              "ours:\n  %s\nlinux:\n  %s" % ("\n  ".join(a), "\n  ".join(b)))


def run_config(name, config, tmp):
    """Boot one configuration and check everything on it."""
    args, live, dumpopts = config
    dlspci = os.path.join(tmp, "dlspci")
    script = os.path.join(tmp, "t.sh")
    with open(script, "w") as f:
        f.write(TARGET_SCRIPT % {"dlspci": dlspci, "live": "\n".join(live),
                                 "dumpopts": "\n".join(dumpopts)})
    argv = [RUN, "--smp", "2", "--watchdog", "--timeout", "150", "--boot-timeout", "60",
            "--add-program", dlspci, "--add-program", "/usr/bin/setpci",
            "--copy", "/usr/share/misc/pci.ids", "--copy", PCIPRIV + ":/tmp/pcipriv",
            "--copy", script + ":/tmp/t.sh"] + args + ["--exec", "sh /tmp/t.sh"]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TOP)
    out = p.stdout.decode("utf-8", "replace")
    check("%s: boot and script" % name, p.returncode == 0,
          "status %d\n%s" % (p.returncode, p.stderr.decode("utf-8", "replace")[-2000:]))
    lines = out.split("\n")
    check_live(name, lines, live)
    check_dump(name, out, tmp, dumpopts)
    check_access(name, out, lines)
    if name == "q35-full":
        check_edu(name, out)
        check_vrng(name, out)
        check_linux_bars(name, args, out, tmp)


def slot_name(path):
    """'#pci/pci/1.3.0ctl' -> '01:03.0' (lspci's slot name)."""
    b, d, f = os.path.basename(path)[:-3].split(".")
    return "%02x:%02x.%x" % (int(b), int(d), int(f))


def run_intx(name, tmp, qemu_args, edu_slot, pc):
    """Legacy INTx: delivery through the IOAPIC; routing against the Linux guest's ACPI
    (q35) or the firmware's Interrupt Line (pc)."""
    dlspci = os.path.join(tmp, "dlspci")
    script = os.path.join(tmp, "intx.sh")
    with open(script, "w") as f:
        f.write(INTX_SCRIPT % {"dlspci": dlspci, "edu": edu_slot})
    argv = [RUN, "--smp", "2", "--watchdog", "--timeout", "90", "--boot-timeout", "60",
            "--append", "edu.irq=intx", "--add-program", dlspci,
            "--copy", "/usr/share/misc/pci.ids", "--copy", script + ":/tmp/t.sh"] + \
        qemu_args + ["--exec", "sh /tmp/t.sh"]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TOP)
    out = p.stdout.decode("utf-8", "replace")
    check("%s: boot and script" % name, p.returncode == 0,
          "status %d\n%s" % (p.returncode, p.stderr.decode("utf-8", "replace")[-2000:]))
    ours, line = {}, {}
    for l in out.split("\n"):
        w = l.split()
        if len(w) == 6 and w[0] == "@@INTX" and w[2] == "intx":
            ours[slot_name(w[1])] = (w[3], w[4])
            line[slot_name(w[1])] = w[5]
    gsi = ours.get(edu_slot, ("?", "?"))[1]
    edu = sections(out, "EDU").get("")
    check("%s: edu driver bound with INTx" % name, edu is not None and "mode intx" in edu,
          out[-1500:])
    edu = edu or ""
    lines = edu.split("\n")
    check("%s: edu commands succeed" % name, lines[:2] == ["rc 0", "rc 0"], edu)
    for want in ("gsi " + gsi, "cpu 1", "irqs 121", "fact 10 3628800",
                 "masked irqs 121", "unmasked irqs 122"):
        check("%s: edu ctl says %s" % (name, want), want in lines, edu)
    row = [l.split() for l in lines if l.rstrip().endswith(" edu") and "IO-APIC" in l]
    check("%s: /proc/interrupts edu row: IO-APIC %s fasteoi, 101 on CPU0, 20 on CPU1" %
          (name, gsi), len(row) == 1 and row[0][1:3] == ["101", "20"] and
          row[0][4] == gsi and "fasteoi" in row[0][5], edu)
    irq = sections(out, "LSPCI").get("", "").split("\n")
    check("%s: Debian's lspci and ours show IRQ %s for the edu" % (name, gsi),
          len(irq) >= 2 and irq[0] == irq[1] and irq[0].endswith("IRQ " + gsi), repr(irq))
    if pc:
        check("%s: GSIs known for the edu and the e1000" % name,
              edu_slot in ours and len(ours) >= 2, repr(ours))
        for sl in sorted(ours):
            check("%s: %s GSI %s = the firmware's Interrupt Line" % (name, sl, ours[sl][1]),
                  ours[sl][1] == line[sl], "line %s" % line[sl])
        return
    # the Linux guest: pcieport enables INTx on each root port through ACPI's _PRT
    argv = [RUN, "--guest", "linux", "--smp", "2", "--timeout", "120",
            "--add-program", "/usr/bin/lspci", "--copy", "/usr/share/misc/pci.ids"] + \
        qemu_args + ["--exec", "lspci -vv 2>/dev/null | grep -E '^[0-9a-f]|Interrupt:|driver in use'"]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TOP)
    linux, slot = {}, None
    for l in p.stdout.decode("utf-8", "replace").split("\n"):
        w = l.split()
        if l and not l.startswith("\t"):
            slot = w[0]
        elif len(w) == 7 and w[0] == "Interrupt:" and w[2] in "ABCD":
            linux[slot] = (w[2], w[6])
        elif "driver in use: pcieport" in l and slot in linux:
            linux[slot] += ("bound",)
    routed = {k: v[:2] for k, v in linux.items() if len(v) == 3}
    check("%s: Linux guest routed INTx of 4 root ports" % name, len(routed) == 4,
          p.stdout.decode("utf-8", "replace")[-1500:] + p.stderr.decode("utf-8", "replace")[-500:])
    for s in sorted(routed):
        check("%s: %s INT%s GSI %s = the Linux guest's" % (name, s, routed[s][0], routed[s][1]),
              ours.get(s) == routed[s], "ours %s, linux %s" % (ours.get(s), routed[s]))


def main():
    names = sys.argv[1:] or list(CONFIGS) + ["q35-intx", "pc-intx"]
    tmp = tempfile.mkdtemp(prefix="lspci-target.")
    try:
        shutil.copy("/usr/bin/lspci", os.path.join(tmp, "dlspci"))
        for name in names:
            if name == "q35-intx":
                run_intx(name, tmp, INTX_ARGS, INTX_EDU, False)
            elif name == "pc-intx":
                run_intx(name, tmp, PC_INTX_ARGS, PC_INTX_EDU, True)
            else:
                run_config(name, CONFIGS[name], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
