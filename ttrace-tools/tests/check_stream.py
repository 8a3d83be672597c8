#!/usr/bin/python3
"""check_stream.py STREAM [--no-loss] [--json OUT]: an independent reader of
a ttrace dump (written from abi/ttrace.h, sharing no code with ttrace-view)
that checks what the issue's acceptance asks of a recorded workload:

  - the stream parses: magic, version, every record length, END's count;
  - events on every CPU;
  - per CPU, timestamps never go backwards;
  - per CPU, context switches chain: each sched_switch's prev is the
    previous one's next (a LOST marker on that CPU resets the chain);
  - every sys_exit matches its thread's open sys_enter (same nr), and a
    thread never enters twice without exiting (exit_group aside) -- in a
    stream without loss;
  - LOST markers per CPU add up to the CPU_STATS lost count;
  - with --no-loss: no LOST marker and no lost count at all.

Prints one "ok"/"FAIL" line per check and, with --json, writes the facts
other oracles compare against (counts per type and CPU, run slices per
CPU, paired syscalls).  Exit status 1 if any check failed."""
import json
import struct
import sys

TYPES = {2: "lost", 3: "proc_name", 4: "syscall_name", 5: "cpu_stats", 6: "end",
         16: "sched_switch", 17: "sched_wakeup", 24: "sched_process_fork",
         25: "sched_process_exec", 26: "sched_process_exit", 32: "sys_enter",
         33: "sys_exit", 40: "irq_handler_entry", 41: "irq_handler_exit",
         42: "exception_entry", 43: "exception_exit", 48: "page_fault",
         56: "wait_sleep", 57: "wait_wake", 64: "kmsg_send", 65: "kmsg_run",
         72: "printk", 80: "user"}
NO_EXIT = {231, 60}   # exit_group, exit never return


def main():
    args = sys.argv[1:]
    path = args[0]
    no_loss = "--no-loss" in args
    out = args[args.index("--json") + 1] if "--json" in args else None
    data = open(path, "rb").read()
    fails = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            fails.append(what)

    magic, vmaj, vmin, hsize, ncpus, cats, mode, hz = struct.unpack_from("<8sHHHHIIQ", data, 0)
    check(magic == b"TTRACE\r\n" and vmaj == 1 and hsize >= 64, "stream header")
    off, nrec, end = hsize, 0, None
    events = []                 # (type, cpu, tid, tsc, payload)
    stats = {}
    while off < len(data):
        typ, len8, cpu, tid, tsc = struct.unpack_from("<BBHIQ", data, off)
        ln = len8 * 8
        if ln < 16 or off + ln > len(data):
            check(False, "record at %d fits" % off)
            break
        payload = data[off + 16:off + ln]
        if typ == 6:
            end = struct.unpack_from("<Q", payload)[0]
        else:
            nrec += 1
            if typ == 5:
                stats[cpu] = struct.unpack_from("<QQQ", payload)
            elif typ in TYPES and typ not in (3, 4):
                events.append((typ, cpu, tid, tsc, payload))
        off += ln
    check(end == nrec, "END counts %s records, stream has %d" % (end, nrec))

    per_cpu = {c: [e for e in events if e[1] == c] for c in range(ncpus)}
    check(all(per_cpu[c] for c in range(ncpus)), "events on every CPU (%s)" %
          ", ".join(str(len(per_cpu[c])) for c in range(ncpus)))
    back = sum(1 for c in range(ncpus) for a, b in zip(per_cpu[c], per_cpu[c][1:]) if b[3] < a[3])
    check(back == 0, "per-CPU timestamps never go backwards (%d violations)" % back)

    breaks, switches, runs = 0, 0, {c: 0 for c in range(ncpus)}
    for c in range(ncpus):
        prev_next = None
        for typ, cpu, tid, tsc, p in per_cpu[c]:
            if typ == 2:
                prev_next = None
            elif typ == 16:
                prev_tid, _, next_tid = struct.unpack_from("<III", p)
                switches += 1
                if prev_next is not None and prev_tid != prev_next:
                    breaks += 1
                prev_next = next_tid
                runs[c] += next_tid != 0
    check(switches > 0 and breaks == 0, "context switches chain per CPU (%d switches, %d breaks)"
          % (switches, breaks))

    # A thread's first syscall record may be the exit of a call made before
    # tracing started (the `ttrace start` write itself): not unmatched.
    open_sys, paired, bad_exit, double, early, seen = {}, 0, 0, 0, 0, set()
    for typ, cpu, tid, tsc, p in sorted(events, key=lambda e: e[3]):
        if typ == 32:
            nr = struct.unpack_from("<I", p)[0]
            if tid in open_sys and open_sys[tid] not in NO_EXIT:
                double += 1
            open_sys[tid] = nr
            seen.add(tid)
        elif typ == 33:
            nr = struct.unpack_from("<I", p)[0]
            if tid not in seen:
                early += 1
                seen.add(tid)
            elif open_sys.get(tid) != nr:
                bad_exit += 1
            else:
                paired += 1
                del open_sys[tid]
    lossy = any(e[0] == 2 for e in events)
    check(paired > 0 and (lossy or (bad_exit == 0 and double == 0)),
          "syscall enter/exit pair up (%d pairs, %d unmatched exits, %d double enters, "
          "%d begun before the trace%s)"
          % (paired, bad_exit, double, early, "; lost events excuse these" if lossy else ""))

    lost_marked = {c: 0 for c in range(ncpus)}
    for typ, cpu, tid, tsc, p in events:
        if typ == 2:
            lost_marked[cpu] += struct.unpack_from("<Q", p)[0]
    check(all(lost_marked[c] == stats.get(c, (0, 0, 0))[1] for c in range(ncpus)),
          "LOST markers match per-CPU lost counts (%s)" % lost_marked)
    if no_loss:
        check(sum(lost_marked.values()) == 0 and all(s[1] == 0 for s in stats.values()),
              "no loss")
    if out:
        counts = {}
        for e in events:
            counts[TYPES[e[0]]] = counts.get(TYPES[e[0]], 0) + 1
        json.dump({"ncpus": ncpus, "events": len(events), "counts": counts,
                   "runs_per_cpu": runs, "switches": switches, "syscall_pairs": paired,
                   "lost": sum(lost_marked.values()), "lost_per_cpu": lost_marked,
                   "written": {c: s[0] for c, s in stats.items()}}, open(out, "w"))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
