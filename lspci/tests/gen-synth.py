#!/usr/bin/python3
"""Write the crafted config-space dumps of lspci/tests/synth/ (deterministic).

Each file exercises decoders and corner cases the QEMU dumps do not reach:
looped and broken capability chains, every extended capability our
decoder handles, CardBus and PCI-X headers, MSI masking, enhanced
allocation, bridges with SSVID, and seeded random garbage.  run.sh
compares our lspci with Debian's on each of them.
"""
import os
import random
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synth")


class Dev:
    def __init__(self, slot, size=4096, vendor=0x8086, device=0x1234, cls=0x020000,
                 htype=0, status=0x0010, cmd=0x0407):
        self.slot = slot
        self.b = bytearray(size)
        self.w16(0, vendor)
        self.w16(2, device)
        self.w16(4, cmd)
        self.w16(6, status)
        self.w32(8, (cls << 8) | 0x01)
        self.b[0x0e] = htype

    def w8(self, o, v):
        self.b[o] = v & 0xff

    def w16(self, o, v):
        self.b[o:o + 2] = struct.pack("<H", v & 0xffff)

    def w32(self, o, v):
        self.b[o:o + 4] = struct.pack("<I", v & 0xffffffff)

    def cap(self, at, cid, nxt, body=b""):
        self.b[at] = cid
        self.b[at + 1] = nxt
        self.b[at + 2:at + 2 + len(body)] = body

    def ecap(self, at, cid, ver, nxt, body=b""):
        self.w32(at, cid | (ver << 16) | (nxt << 20))
        self.b[at + 4:at + 4 + len(body)] = body

    def text(self):
        out = [self.slot + " synthetic"]
        for o in range(0, len(self.b), 16):
            out.append("%02x: %s" % (o, " ".join("%02x" % x for x in self.b[o:o + 16])))
        return "\n".join(out) + "\n\n"


def rnd(r, n):
    return bytes(r.getrandbits(8) for _ in range(n))


def chains():
    devs = []
    d = Dev("00:01.0")                     # looped standard chain
    d.b[0x34] = 0x40
    d.cap(0x40, 0x01, 0x50, struct.pack("<HHB", 0x0003, 0x0008, 0))
    d.cap(0x50, 0x05, 0x40, struct.pack("<H", 0x0181) + rnd(random.Random(1), 20))
    devs.append(d)
    d = Dev("00:02.0")                     # broken chain
    d.b[0x34] = 0x40
    d.cap(0x40, 0x05, 0x60, struct.pack("<H", 0x0080))
    d.cap(0x60, 0xff, 0x00)
    devs.append(d)
    d = Dev("00:03.0", size=256)           # pointer past a 256-byte dump is fine; 64 is not
    d.b[0x34] = 0xfc
    d.cap(0xfc, 0x09, 0x00, bytes([4]))
    devs.append(d)
    d = Dev("00:04.0")                     # looped extended chain behind Express
    d.b[0x34] = 0x40
    d.cap(0x40, 0x10, 0x00, struct.pack("<H", 0x0002) + bytes(56))
    d.ecap(0x100, 0x03, 1, 0x140, struct.pack("<II", 0x12345678, 0x9abcdef0))
    d.ecap(0x140, 0x0e, 1, 0x100, struct.pack("<HH", 0x0403, 0x0011))
    devs.append(d)
    return devs


def express_all():
    r = random.Random(7)
    devs = []
    for i, ptype in enumerate([0x4, 0x0, 0x5, 0x6, 0x1, 0x7, 0x8, 0x9, 0xa]):
        d = Dev("00:%02x.0" % (8 + i), cls=0x060400 if ptype in (4, 5, 6, 7, 8) else 0x020000,
                htype=1 if ptype in (4, 5, 6, 7, 8) else 0)
        d.b[0x34] = 0x40
        body = struct.pack("<H", 0x0002 | (ptype << 4) | 0x100) + rnd(r, 58)
        d.cap(0x40, 0x10, 0x80, body)
        d.cap(0x80, 0x05, 0x90, struct.pack("<H", 0x01a7) + rnd(r, 22))
        d.cap(0x90, 0x11, 0xa0, struct.pack("<H", 0xc003) + rnd(r, 8))
        d.cap(0xa0, 0x01, 0xb0, struct.pack("<H", 0xffc3) + rnd(r, 4))
        d.cap(0xb0, 0x12, 0xc0, struct.pack("<H", 0x0010) + struct.pack("<I", 0x00000044))
        d.cap(0xc0, 0x13, 0xd0, struct.pack("<H", 0x0306) + bytes([0x03, 0x01, 0x01]))
        d.cap(0xd0, 0x0d, 0xe0, struct.pack("<HHH", 0, 0x1af4, 0x1100))
        d.cap(0xe0, 0x04, 0xe8, struct.pack("<H", 0x2523))
        d.cap(0xe8, 0x0a, 0xf0, struct.pack("<H", 0x2010))
        d.cap(0xf0, 0x07, 0x00, struct.pack("<H", 0x0033) + rnd(r, 12))
        chain = [(0x01, 2, rnd(r, 52)), (0x03, 1, rnd(r, 8)), (0x0d, 1, rnd(r, 4)),
                 (0x0e, 1, rnd(r, 4)), (0x0f, 1, rnd(r, 4)), (0x10, 1, rnd(r, 60)),
                 (0x13, 1, rnd(r, 12)), (0x17, 1, rnd(r, 8)), (0x18, 1, rnd(r, 4)),
                 (0x19, 1, rnd(r, 12)), (0x1b, 1, rnd(r, 4)), (0x1d, 1, rnd(r, 8)),
                 (0x0b, 1, rnd(r, 4)), (0x04, 1, b""), (0x00, 1, b""), (0x2d, 1, b"")]
        at = 0x100
        for j, (cid, ver, body) in enumerate(chain):
            nxt = at + 0x50 if j < len(chain) - 1 else 0
            d.ecap(at, cid, ver, nxt, body)
            at = nxt
        devs.append(d)
    return devs


def headers():
    r = random.Random(3)
    devs = []
    d = Dev("02:00.0", cls=0x060700, htype=2, status=0x4010)    # CardBus
    d.b[0x10:0x80] = rnd(r, 0x70)
    d.b[0x14] = 0x80
    d.cap(0x80, 0x01, 0x00, struct.pack("<HH", 0xfe02, 0x0100) + bytes([0x40, 0]))
    devs.append(d)
    d = Dev("02:01.0", size=256, cls=0x060400, htype=1)          # bridge, SSVID, ranges
    d.b[0x18:0x40] = rnd(r, 0x28)
    d.b[0x1c] = 0x11
    d.b[0x1d] = 0x21
    d.b[0x24] = 0x01
    d.b[0x26] = 0x01
    d.b[0x34] = 0x50
    d.cap(0x50, 0x0d, 0x60, struct.pack("<HHH", 0, 0x8086, 0x0001))
    d.cap(0x60, 0x07, 0x00, rnd(r, 14))
    devs.append(d)
    d = Dev("02:02.0", cls=0x010180, status=0x0290, cmd=0x0004)  # MSI 32-bit + mask, EA
    d.b[0x10:0x28] = struct.pack("<IIIIII", 0xfe000004, 0x1, 0xc001, 0xfd00000c, 0, 0xffffffff)
    d.b[0x30:0x34] = struct.pack("<I", 0xfeb00001)
    d.b[0x3c] = 5
    d.b[0x3d] = 2
    d.b[0x3e] = 3
    d.b[0x3f] = 4
    d.b[0x0f] = 0x85
    d.b[0x34] = 0x40
    d.cap(0x40, 0x05, 0x60, struct.pack("<H", 0x0107) + rnd(r, 20))
    d.cap(0x60, 0x14, 0x00, struct.pack("<H", 0x0003) + struct.pack("<IIII", 0x80020024, 0xfe000002, 0x0000fff2, 1)
          + struct.pack("<IIII", 0xc0000301, 0x1000, 0xfff, 0) + struct.pack("<III", 0x8000ff81, 0, 0))
    devs.append(d)
    return devs


def garbage(seed, n):
    r = random.Random(seed)
    devs = []
    for i in range(n):
        d = Dev("%02x:%02x.%d" % (r.randrange(4), r.randrange(32), r.randrange(8)), size=256)
        d.b[:] = rnd(r, 256)
        d.b[0x0e] &= 0x83
        d.b[0x06] |= 0x10
        devs.append(d)
    return devs


def main():
    os.makedirs(OUT, exist_ok=True)
    sets = {"chains": chains(), "express-all": express_all(), "headers": headers(),
            "garbage1": garbage(1, 12), "garbage2": garbage(2, 12)}
    for name, devs in sets.items():
        with open(os.path.join(OUT, name + ".dump"), "w") as f:
            for d in devs:
                f.write(d.text())


if __name__ == "__main__":
    main()
