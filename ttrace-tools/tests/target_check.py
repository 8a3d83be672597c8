#!/usr/bin/python3
"""target_check.py KIND ...: checks of real kernel dumps for target.sh, an
independent reader of abi/ttrace.h (no code shared with ttrace-view); one
"ok"/"FAIL" line per check.

  known STREAM
      the `known syscalls` thread's syscalls appear in order with their
      arguments and results (getppid; write(1, _, 6) = 6; lseek(77, 12345,
      SEEK_SET) = -EBADF; openat(AT_FDCWD, _, O_RDONLY) = -ENOENT;
      dup(999) = -EBADF; exit_group(42) entered, never returning); ttrace
      forked it, it exec'd /known and exited with status 42 << 8, and its
      sched_switch records show it running.
  loss STREAM MODE N OK STAT
      N numbered user events were written on CPU 1 into a 64 KiB ring, OK
      of them accepted: every event kept is once, in order; discard keeps
      exactly the oldest OK (ids 0..OK-1), overwrite exactly the newest;
      kept + LOST-marked == N; the marks sit on CPU 1 and equal the
      CPU_STATS lost count and the `ttrace stat` lost count (STAT file,
      taken before the dump read anything), whose written count is OK.
  events STREAM
      printk lines: the line written to #cons/kprint is a printk record
      (level 6); exceptions: `known exc`'s #UD (6) and #BP (3) each have
      an exception_entry and an exit on its thread and CPU, and page
      faults (14) enter and exit as often as each other, at least once
      per page_fault record; sendfile: `known sendfile`'s long copy from
      /dev/zero, sharing its CPU with a spinner, is switched out while
      runnable (R) inside the syscall, so the spinner runs meanwhile."""
import re
import struct
import sys

fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails += 1


def records(path):
    """(type, cpu, tid, tsc, payload) of every record after the header."""
    d = open(path, "rb").read()
    assert d[:8] == b"TTRACE\r\n", "not a ttrace stream"
    off = struct.unpack_from("<H", d, 12)[0]
    out = []
    while off + 16 <= len(d):
        typ, len8, cpu, tid, tsc = struct.unpack_from("<BBHIQ", d, off)
        if len8 == 0:
            break
        out.append((typ, cpu, tid, tsc, d[off + 16:off + len8 * 8]))
        off += len8 * 8
    return out


def cstr(b):
    return b.split(b"\0", 1)[0].decode(errors="replace")


def known(path):
    recs = records(path)
    execs = [r for r in recs if r[0] == 25 and cstr(r[4][8:]) == "/known"]
    check(len(execs) == 1, "one exec of /known (%d)" % len(execs))
    if not execs:
        return
    tid = struct.unpack_from("<I", execs[0][4])[0]
    forks = [r for r in recs if r[0] == 24 and struct.unpack_from("<I", r[4], 8)[0] == tid]
    check(len(forks) == 1 and cstr(forks[0][4][16:32]) == "ttrace",
          "ttrace forked the child %d (%s)" % (tid, [cstr(f[4][16:32]) for f in forks]))
    exits = [r for r in recs if r[0] == 26 and struct.unpack_from("<I", r[4])[0] == tid]
    code = struct.unpack_from("<i", exits[0][4], 8)[0] if exits else None
    check(len(exits) == 1 and code == 42 << 8 and cstr(exits[0][4][16:32]) == "known",
          "the child exits once with wait status 42<<8, comm known (%s)" % code)
    ev = []
    for typ, cpu, t, tsc, p in recs:
        if t != tid or typ not in (32, 33):
            continue
        if typ == 32:
            nr, _, a0, a1, a2, a3 = struct.unpack_from("<IIqqqq", p)
            ev.append(("enter", nr, (a0, a1, a2, a3)))
        else:
            nr, _, ret = struct.unpack_from("<IIq", p)
            ev.append(("exit", nr, ret))
    # After exec: find getppid (110) and match the tail of the sequence.
    start = next((i for i, e in enumerate(ev) if e[:2] == ("enter", 110)), None)
    want = [
        ("enter", 110, None), ("exit", 110, None),
        ("enter", 1, lambda a: a[0] == 1 and a[2] == 6), ("exit", 1, lambda r: r == 6),
        ("enter", 8, lambda a: a[0] == 77 and a[1] == 12345 and a[2] == 0),
        ("exit", 8, lambda r: r == -9),
        ("enter", 257, lambda a: a[0] & 0xffffffff == 0xffffff9c and a[2] == 0), ("exit", 257, lambda r: r == -2),
        ("enter", 32, lambda a: a[0] == 999), ("exit", 32, lambda r: r == -9),
        ("enter", 231, lambda a: a[0] == 42),
    ]
    got = ev[start:] if start is not None else []
    good = len(got) == len(want) and all(
        g[0] == w[0] and g[1] == w[1] and (w[2] is None or w[2](g[2])) for g, w in zip(got, want))
    check(good, "known's syscalls in order with arguments and results: %s" %
          " ".join("%s%d" % ("+" if g[0] == "enter" else "-", g[1]) for g in got))
    ran = [r for r in recs if r[0] == 16 and struct.unpack_from("<I", r[4], 8)[0] == tid]
    left = [r for r in recs if r[0] == 16 and struct.unpack_from("<I", r[4], 0)[0] == tid]
    check(ran and left and left[-1][3] > ran[0][3] and
          struct.unpack_from("<I", left[-1][4], 24)[0] == 0x10,
          "sched_switch: known switched in %d times, out %d, last out as dead (X)"
          % (len(ran), len(left)))


def loss(path, mode, n, ok, statpath):
    recs = records(path)
    ids = [struct.unpack_from("<I", r[4])[0] for r in recs if r[0] == 80]
    cpus = {r[1] for r in recs if r[0] == 80}
    marked = sum(struct.unpack_from("<Q", r[4])[0] for r in recs if r[0] == 2)
    mark_cpus = {r[1] for r in recs if r[0] == 2}
    stats = {r[1]: struct.unpack_from("<QQQ", r[4]) for r in recs if r[0] == 5}
    kept = len(ids)
    check(ids == sorted(set(ids)), "%s: %d user events kept, each once, in order" % (mode, kept))
    check(kept + marked == n and marked > 0,
          "%s: %d kept + %d marked lost == %d written" % (mode, kept, marked, n))
    if mode == "discard":
        check(ids == list(range(kept)) and kept == ok,
              "discard keeps exactly the oldest %d (the %d writes accepted)" % (kept, ok))
    else:
        check(ids == list(range(n - kept, n)) and ok == n,
              "overwrite keeps exactly the newest %d (ids %s..%s), no write refused"
              % (kept, ids[0] if ids else "-", ids[-1] if ids else "-"))
    check(cpus == {1} and mark_cpus == {1} and stats.get(1, (0, 0))[1] == marked,
          "%s: events and loss marks on CPU 1, CPU_STATS lost %s == marked %d"
          % (mode, stats.get(1, (0, 0))[1], marked))
    stat = open(statpath).read()
    m = re.search(r"^cpu1 written (\d+) lost (\d+)", stat, re.M)
    check(m and int(m.group(2)) == marked and int(m.group(1)) == ok,
          "%s: ttrace stat says cpu1 %s" % (mode, m.group(0) if m else stat[:80]))


def events(path):
    recs = records(path)
    lines = [(struct.unpack_from("<I", r[4])[0], cstr(r[4][8:])) for r in recs if r[0] == 72]
    check((6, "ttrace-kprint-marker") in lines,
          "printk: the #cons/kprint line is a printk record, level 6 (%d printk records)"
          % len(lines))
    exc = [(r[0], r[1], r[2], struct.unpack_from("<I", r[4])[0]) for r in recs if r[0] in (42, 43)]
    for vec, name in ((6, "#UD"), (3, "#BP")):
        ent = [e for e in exc if e[0] == 42 and e[3] == vec]
        ext = [e for e in exc if e[0] == 43 and e[3] == vec]
        check(len(ent) == 1 and len(ext) == 1 and ent[0][1:3] == ext[0][1:3],
              "exception %s (%d): one entry and one exit on the same thread and CPU (%s, %s)"
              % (name, vec, ent, ext))
    pf = sum(1 for r in recs if r[0] == 48)
    ent = sum(1 for e in exc if e[0] == 42 and e[3] == 14)
    ext = sum(1 for e in exc if e[0] == 43 and e[3] == 14)
    check(pf > 0 and ent == ext and ent >= pf,
          "page faults: %d exception entries, %d exits, %d page_fault records" % (ent, ext, pf))
    enter = [r for r in recs if r[0] == 32 and struct.unpack_from("<I", r[4])[0] == 40]
    leave = [r for r in recs if r[0] == 33 and struct.unpack_from("<I", r[4])[0] == 40]
    if len(enter) != 1 or len(leave) != 1:
        check(False, "sendfile: one enter and one exit (%d, %d)" % (len(enter), len(leave)))
        return
    tid, t0, t1 = enter[0][2], enter[0][3], leave[0][3]
    out = [struct.unpack_from("<III", r[4], 8) + (struct.unpack_from("<I", r[4], 24)[0],)
           for r in recs if r[0] == 16 and t0 < r[3] < t1 and struct.unpack_from("<I", r[4])[0] == tid]
    pre = [o for o in out if o[3] == 0]
    check(len(pre) >= 2 and all(o[0] != 0 for o in pre),
          "sendfile: the long copy is preempted (state R) %d times inside the syscall, "
          "another thread running each time (%s)" % (len(pre), sorted({o[0] for o in out})))


def main():
    kind = sys.argv[1]
    if kind == "known":
        known(sys.argv[2])
    elif kind == "events":
        events(sys.argv[2])
    elif kind == "loss":
        loss(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    sys.exit(1 if fails else 0)


main()
