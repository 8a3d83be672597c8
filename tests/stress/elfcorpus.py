#!/usr/bin/python3
"""elfcorpus: write a corpus of malformed ELF executables for execcorpus.

Model: every case starts from one tiny valid static x86-64 ET_EXEC (one
PT_LOAD of the whole file at 0x400000, entry at code that calls
exit(CODE)) and breaks one thing.  The valid control exits 42; every
malformed file's code exits 99, so "it ran" is visible.  The output
directory gets one file per case plus MANIFEST, one line per case:
    NAME EXPECT [ERRNO,...]
EXPECT says what execve must do on our kernel (execcorpus's strict mode):
    run42     the control: must run and exit 42
    reject    execve fails with ENOEXEC/ENOMEM/EACCES/EINVAL (or the
              case's extra errnos)
    reject|fault   also acceptable: execve succeeds but the new image is
              killed by SIGSEGV/SIGBUS/SIGILL/SIGKILL before it runs
              (what Linux does past the point of no return)
    any       seeded random header mutations: any outcome but a hang or a
              dead machine (exit 99 included)
A trailing "linux-runs" flag marks cases Linux accepts and runs (x32-style
ELFCLASS32, big-endian EI_DATA which Linux never checks, a segment whose
file range passes EOF, non-power-of-2 alignment...); execcorpus tolerates that only in lenient (-l,
host) mode.  The same seed always writes the same bytes.

Usage: elfcorpus.py OUTDIR [--mutants N] [--seed S]
"""

import argparse
import os
import random
import struct
import sys

BASE = 0x400000
CODE_OFF = 0x100
FILE_SIZE = 0x200
PT_LOAD, PT_INTERP = 1, 3
PF_X, PF_W, PF_R = 1, 2, 4


def code(status):
    """mov edi, status; mov eax, 60 (exit); syscall; ud2."""
    return (b"\xbf" + struct.pack("<I", status) + b"\xb8\x3c\x00\x00\x00"
            b"\x0f\x05\x0f\x0b")


def ehdr(entry=BASE + CODE_OFF, phoff=64, phnum=1, etype=2, machine=62,
         phentsize=56, ident=None):
    ident = ident or (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8))
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry,
                               phoff, 0, 0, 64, phentsize, phnum, 64, 0, 0)


def phdr(ptype=PT_LOAD, flags=PF_R | PF_X, offset=0, vaddr=BASE, filesz=FILE_SIZE,
         memsz=FILE_SIZE, align=0x1000):
    return struct.pack("<IIQQQQQQ", ptype, flags, offset, vaddr, vaddr, filesz,
                       memsz, align)


def image(hdr, phdrs, status=99, size=FILE_SIZE, extra=b""):
    """Headers, then the phdrs at 64, the code at CODE_OFF, padded."""
    b = bytearray(hdr + b"".join(phdrs))
    if len(b) < CODE_OFF:
        b += bytes(CODE_OFF - len(b))
    b[CODE_OFF:CODE_OFF + 16] = code(status).ljust(16, b"\x90")
    b += extra
    if len(b) < size:
        b += bytes(size - len(b))
    return bytes(b)


def cases():
    """Yield (name, expect, extra errnos, flags, bytes)."""
    valid = image(ehdr(), [phdr()], status=42)
    bad = image(ehdr(), [phdr()])
    yield "valid", "run42", [], [], valid
    yield "empty", "reject", [], [], b""
    yield "truncated-ident", "reject", [], [], bad[:10]
    yield "truncated-ehdr", "reject", [], [], bad[:40]
    yield "truncated-phdrs", "reject", ["EIO"], [], bad[:64 + 20]
    yield "bad-magic", "reject", [], [], b"\x7fELG" + bad[4:]
    yield "class32", "reject", [], ["linux-runs"], bad[:4] + b"\x01" + bad[5:]
    yield "big-endian", "reject", [], ["linux-runs"], bad[:5] + b"\x02" + bad[6:]
    yield "machine-i386", "reject", [], [], image(ehdr(machine=3), [phdr()])
    yield "machine-aarch64", "reject", [], [], image(ehdr(machine=183), [phdr()])
    yield "type-rel", "reject", [], [], image(ehdr(etype=1), [phdr()])
    yield "type-core", "reject", [], [], image(ehdr(etype=4), [phdr()])
    yield "phentsize-32", "reject", [], [], image(ehdr(phentsize=32), [phdr()])
    yield "phnum-zero", "reject", [], [], image(ehdr(phnum=0), [])
    yield "phnum-65535", "reject", ["EIO"], [], image(ehdr(phnum=65535), [phdr()])
    yield "phnum-past-eof", "reject", ["EIO"], [], image(ehdr(phnum=60), [phdr()])
    yield "phoff-past-eof", "reject", ["EIO"], [], image(ehdr(phoff=0x100000), [phdr()])
    yield "phoff-overflow", "reject", ["EIO"], [], image(ehdr(phoff=2**64 - 16), [phdr()])
    yield "no-load-segment", "reject|fault", [], [], image(
        ehdr(), [phdr(ptype=4)])
    yield "segment-past-eof", "reject|fault", [], ["linux-runs"], image(
        ehdr(), [phdr(filesz=0x100000, memsz=0x100000)])
    yield "huge-p_offset", "reject|fault", ["EOVERFLOW"], [], image(
        ehdr(), [phdr(offset=0x7ffffffffffff000)])
    yield "offset-plus-filesz-wraps", "reject|fault", ["EOVERFLOW"], [], image(
        ehdr(), [phdr(offset=2**64 - 0x1000, filesz=0x2000, memsz=0x2000)])
    yield "kernel-address-segment", "reject|fault", [], [], image(
        ehdr(entry=0xffff800000000000 + CODE_OFF),
        [phdr(vaddr=0xffff800000000000)])
    yield "kernel-text-segment", "reject|fault", [], [], image(
        ehdr(entry=0xffffffff80000000 + CODE_OFF),
        [phdr(vaddr=0xffffffff80000000)])
    yield "segment-crosses-user-top", "reject|fault", [], [], image(
        ehdr(entry=0x7ffffffff000 + CODE_OFF),
        [phdr(vaddr=0x7ffffffff000, memsz=0x10000)])
    yield "noncanonical-segment", "reject|fault", [], [], image(
        ehdr(entry=0x800000000000 + CODE_OFF), [phdr(vaddr=0x800000000000)])
    yield "null-page-segment", "reject|fault", ["EPERM"], [], image(
        ehdr(entry=CODE_OFF), [phdr(vaddr=0)])
    yield "memsz-huge", "reject|fault", [], [], image(
        ehdr(), [phdr(memsz=0x7fffffff0000)])
    yield "memsz-wraps", "reject|fault", [], [], image(
        ehdr(), [phdr(memsz=2**64 - 0x1000)])
    yield "filesz-gt-memsz", "reject|fault", [], ["linux-runs"], image(
        ehdr(), [phdr(filesz=FILE_SIZE, memsz=0x10)])
    yield "overlapping-segments", "reject|fault", [], ["linux-runs"], image(
        ehdr(phnum=2), [phdr(), phdr(flags=PF_R | PF_W, vaddr=BASE + 0x100)])
    yield "overlapping-same-page", "reject|fault", [], ["linux-runs"], image(
        ehdr(phnum=2), [phdr(), phdr(flags=PF_R | PF_W, filesz=0x100, memsz=0x100)])
    yield "descending-segments", "reject|fault", [], ["linux-runs"], image(
        ehdr(phnum=2), [phdr(vaddr=BASE + 0x10000), phdr()])
    yield "align-not-power-of-2", "reject|fault", [], ["linux-runs"], image(
        ehdr(), [phdr(align=0x3000)])
    yield "vaddr-offset-misaligned", "reject|fault", [], [], image(
        ehdr(entry=BASE + 0x10 + CODE_OFF), [phdr(vaddr=BASE + 0x10, offset=0x20)])
    yield "entry-outside-segments", "reject|fault", [], [], image(
        ehdr(entry=0x10000000), [phdr()])
    yield "entry-zero", "reject|fault", [], [], image(ehdr(entry=0), [phdr()])
    yield "entry-noncanonical", "reject|fault", [], [], image(
        ehdr(entry=0x0000800000000000), [phdr()])
    yield "entry-kernel", "reject|fault", [], [], image(
        ehdr(entry=0xffffffff80001000), [phdr()])
    interp = b"/nonexistent/ld-garbage.so\0"
    yield "interp-missing", "reject", ["ENOENT"], [], image(
        ehdr(phnum=2), [phdr(ptype=PT_INTERP, offset=0x180, filesz=len(interp),
                             memsz=len(interp), align=1), phdr()],
        extra=b"")[:0x180] + interp.ljust(0x80, b"\0")
    yield "interp-unterminated", "reject", [], [], image(
        ehdr(phnum=2), [phdr(ptype=PT_INTERP, offset=0x180, filesz=8, memsz=8,
                             align=1), phdr()])[:0x180] + b"ABCDEFGH" + bytes(0x78)
    yield "interp-huge", "reject", [], [], image(
        ehdr(phnum=2), [phdr(ptype=PT_INTERP, offset=0x180, filesz=0x7fffffff,
                             memsz=0x7fffffff, align=1), phdr()])
    yield "interp-past-eof", "reject", ["EIO"], [], image(
        ehdr(phnum=2), [phdr(ptype=PT_INTERP, offset=0x100000, filesz=16,
                             memsz=16, align=1), phdr()])
    yield "interp-empty", "reject", ["ENOENT"], [], image(
        ehdr(phnum=2), [phdr(ptype=PT_INTERP, offset=0x180, filesz=1, memsz=1,
                             align=1), phdr()])
    yield "two-interps", "reject", ["ENOENT"], [], image(
        ehdr(phnum=3), [phdr(ptype=PT_INTERP, offset=0x180, filesz=len(interp),
                             memsz=len(interp), align=1)] * 2 + [phdr()],
        size=0x180) + interp.ljust(0x80, b"\0")


def mutants(n, seed):
    """Seeded random byte/field mutations of the valid file's headers."""
    rng = random.Random(seed)
    base = bytearray(image(ehdr(), [phdr()]))
    for i in range(n):
        b = bytearray(base)
        for _ in range(rng.randint(1, 6)):
            pos = rng.randrange(0, 64 + 56)
            if rng.random() < 0.5:
                b[pos] = rng.randrange(256)
            else:
                pos &= ~7
                val = rng.choice([0, 1, 2**63, 2**64 - 1, 0xffff800000000000,
                                  rng.randrange(2**64)])
                b[pos:pos + 8] = struct.pack("<Q", val)
        yield "mutant-%03d" % i, "any", [], [], bytes(b[:64 + 56 + 0x100])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--mutants", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    lines = []
    for name, expect, errnos, flags, data in list(cases()) + list(
            mutants(a.mutants, a.seed)):
        path = os.path.join(a.outdir, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)
        lines.append(" ".join([name, expect, ",".join(errnos) or "-"] + flags))
    with open(os.path.join(a.outdir, "MANIFEST"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("elfcorpus: %d files in %s" % (len(lines), a.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
