#!/usr/bin/python3
"""compare.py KIND ...: the oracle comparisons of tests/run.sh, each one
check line and exit status 0/1.

  tracecmd OURS_TEXT TRACECMD_DEFAULT TRACECMD_NOPLUGIN
      same number of events; the same [cpu] time event for every line; the
      same sched_switch fields (prev comm/pid/prio/state, next
      comm/pid/prio), ours from `text`, trace-cmd's from `report -N`, where
      the kernel's own print format gives the state letter; and every other
      event's field text equal to trace-cmd's default output.
  babeltrace OURS_TEXT BABELTRACE_OUT
      as many events as ours, and as many sched_switch.
  perfetto JSON FACTS
      parses; a "CPU n" track per CPU with one slice per run of a thread;
      one syscall slice per paired syscall; every sched_switch in
      systemTraceEvents.
  html DOM FACTS
      the DOM after the page's script ran has one div.lane.cpu-lane per
      CPU (data-cpu 0..n-1) and at least one process lane."""
import json
import re
import sys

fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails += 1


LINE = re.compile(r"^\s*(.*?)-(\d+)\s+\[(\d+)\]\s+(\d+\.\d+): (\S+):\s*(.*)$")


def parse(path):
    out = []
    for l in open(path, errors="replace"):
        m = LINE.match(l.rstrip("\n"))
        if m:
            out.append(m.groups())
    return out


def tracecmd(ours, tc_default, tc_raw):
    a, b, r = parse(ours), parse(tc_default), parse(tc_raw)
    check(len(a) == len(b) == len(r) and len(a) > 0,
          "trace-cmd report prints %d events, ours %d (-N: %d)" % (len(b), len(a), len(r)))
    pos = sum(1 for x, y in zip(a, b) if x[1:5] == y[1:5])
    check(pos == len(a), "same pid, cpu, time and event on %d of %d lines" % (pos, len(a)))
    ours_sw = []
    for x in a:
        if x[4] == "sched_switch":
            m = re.match(r"(.*):(\d+) \[(-?\d+)\] (\S+) ==> (.*):(\d+) \[(-?\d+)\]$", x[5])
            ours_sw.append((x[2], x[3]) + (m.groups() if m else ("?",)))
    tc_sw = []
    for x in r:
        if x[4] == "sched_switch":
            m = re.match(r"prev_comm=(.*) prev_pid=(\d+) prev_prio=(-?\d+) prev_state=(\S+) ==> "
                         r"next_comm=(.*) next_pid=(\d+) next_prio=(-?\d+)$", x[5])
            tc_sw.append((x[2], x[3]) + (m.groups() if m else ("?",)))
    same = sum(1 for x, y in zip(ours_sw, tc_sw) if x == y)
    check(len(ours_sw) == len(tc_sw) > 0 and same == len(ours_sw),
          "sched_switch fields equal on %d of %d (trace-cmd has %d)" % (same, len(ours_sw), len(tc_sw)))
    others = [(x, y) for x, y in zip(a, b) if x[4] != "sched_switch"]
    same = sum(1 for x, y in others if x[5] == y[5])
    bad = [(x, y) for x, y in others if x[5] != y[5]][:3]
    check(same == len(others), "other events' fields equal on %d of %d %s" % (same, len(others), bad))


def babeltrace(ours, bt):
    a = parse(ours)
    lines = [l for l in open(bt, errors="replace") if l.startswith("[")]
    check(len(lines) == len(a) and len(a) > 0, "babeltrace2 prints %d events, ours %d" % (len(lines), len(a)))
    sw = sum(1 for l in lines if " sched_switch: " in l)
    ours_sw = sum(1 for x in a if x[4] == "sched_switch")
    check(sw == ours_sw, "babeltrace2 sched_switch %d, ours %d" % (sw, ours_sw))


def perfetto(path, facts_path):
    facts = json.load(open(facts_path))
    try:
        d = json.load(open(path))
    except ValueError as e:
        check(False, "perfetto JSON parses: %s" % e)
        return
    check(True, "perfetto JSON parses (%d traceEvents)" % len(d["traceEvents"]))
    names = {e["pid"]: e["args"]["name"] for e in d["traceEvents"]
             if e["ph"] == "M" and e["name"] == "process_name"}
    cpu_pid = {int(n.split()[1]): p for p, n in names.items() if re.match(r"CPU \d+$", n)}
    check(sorted(cpu_pid) == list(range(facts["ncpus"])), "one track per CPU: %s" % sorted(cpu_pid))
    for c in range(facts["ncpus"]):
        n = sum(1 for e in d["traceEvents"] if e["ph"] == "X" and e.get("cat") == "sched"
                and e["pid"] == cpu_pid.get(c))
        check(n == facts["runs_per_cpu"][str(c)],
              "CPU %d track has %d run slices, the stream %d" % (c, n, facts["runs_per_cpu"][str(c)]))
    sys_slices = [e for e in d["traceEvents"] if e["ph"] == "X" and e.get("cat") == "syscall"]
    check(len(sys_slices) == facts["syscall_pairs"],
          "%d syscall slices, %d syscall pairs" % (len(sys_slices), facts["syscall_pairs"]))
    check(all(e["dur"] >= 0 and e["pid"] < 1000000000 for e in sys_slices),
          "syscall slices sit on processes with non-negative durations")
    sw = d["systemTraceEvents"].count(": sched_switch: ")
    check(sw == facts["counts"]["sched_switch"], "systemTraceEvents: %d sched_switch of %d"
          % (sw, facts["counts"]["sched_switch"]))


def html(dom, facts_path):
    facts = json.load(open(facts_path))
    s = open(dom, errors="replace").read()
    cpus = re.findall(r'<div class="lane cpu-lane" data-cpu="(\d+)"', s)
    check(sorted(int(c) for c in cpus) == list(range(facts["ncpus"])),
          "HTML DOM has one CPU lane per CPU: %s" % cpus)
    procs = re.findall(r'<div class="lane proc-lane" data-pid="(\d+)"', s)
    check(len(procs) > 0, "HTML DOM has %d process lanes" % len(procs))
    check("<canvas" in s and "http" not in s.split("<body>")[1].split("ttrace-data")[0],
          "lanes draw on canvases, nothing loaded from the network")


def main():
    kind = sys.argv[1]
    {"tracecmd": tracecmd, "babeltrace": babeltrace, "perfetto": perfetto,
     "html": html}[kind](*sys.argv[2:])
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
