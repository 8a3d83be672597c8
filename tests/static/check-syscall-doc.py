#!/usr/bin/python3
"""Check that docs/syscalls.md describes exactly the kernel's system call table.

The table is kernel/include/kern/syscall_list.h, one SYSCALL(nr, name) per
implemented call; kernel/proc/syscall.c builds its dispatch and name arrays
by including it with SYSCALL defined, so this script does the same through
the C preprocessor (an entry under #if counts only if the kernel would see
it).  The doc's rows are the lines "| nr | name | ... |" of its Markdown
tables.  In a table with a "status" column a row says full, partial or
none; a table without one (the Akaros calls) lists implemented calls.  Rules:

  - every table entry has exactly one row, with the same number and name,
    whose status is full or partial;
  - a full or partial row names a call of the table (no row for a call that
    was removed or never written);
  - a none row names a call that is not in the table (documented as
    unimplemented; once implemented, the row must say what works);
  - a partial row says what is missing (its notes are not empty);
  - rows of a table are in increasing number order, each number once.

It also checks that the table's Linux numbers (below 1000) are those of
the host's <asm/unistd_64.h> for the same names, and (--self-test) that
the rules fail on broken inputs.  Prints "N passed, N failed".
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = os.path.join(ROOT, "kernel", "include", "kern", "syscall_list.h")
DOC = os.path.join(ROOT, "docs", "syscalls.md")
UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
AKAROS_BASE = 1000
STATUSES = ("full", "partial", "none")

passed = failed = 0


def check(name, problems):
    """Record one check that passes when problems is empty; returns not problems."""
    global passed, failed
    if not problems:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s" % name)
        for p in problems:
            print("     %s" % p)
    return not problems


def read_table(path):
    """{nr: name} of the syscall table, as the kernel's preprocessor sees it; raises on errors."""
    cpp = subprocess.run(["gcc", "-E", "-P", "-x", "c", "-I", os.path.join(ROOT, "kernel", "include"),
                          "-D", "SYSCALL(nr,name)=@@SYSCALL (nr) name", path],
                         capture_output=True, text=True)
    if cpp.returncode:
        raise RuntimeError("preprocessing %s failed:\n%s" % (path, cpp.stderr))
    table = {}
    for m in re.finditer(r"@@SYSCALL (\(.*?\)) (\w+)", cpp.stdout):
        expr = m.group(1)
        if not re.fullmatch(r"[0-9a-fA-FxX+\-*() ]+", expr):
            raise RuntimeError("cannot evaluate syscall number %s of %s" % (expr, m.group(2)))
        nr = eval(expr)		# digits and arithmetic only (checked above)
        if nr in table:
            raise RuntimeError("number %d twice in the table (%s, %s)" % (nr, table[nr], m.group(2)))
        table[nr] = m.group(2)
    if not table:
        raise RuntimeError("no SYSCALL(nr, name) entries in %s" % path)
    return table


def cells(line):
    """The cells of a Markdown table row, stripped."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def read_doc(path):
    """Rows of the doc's tables: list of (line number, nr, name, status, notes, table index).

    status is None for a table without a status column.  Problems with the
    row format are returned as a second value."""
    rows, problems = [], []
    header, table_no = None, 0
    with open(path) as f:
        for no, line in enumerate(f, 1):
            if not line.startswith("|"):
                header = None
                continue
            c = cells(line)
            if header is None:
                header = [h.lower() for h in c]
                table_no += 1
                continue
            if re.fullmatch(r"[-:| ]+", line.strip()):
                continue
            if "nr" not in header or not re.fullmatch(r"\d+", c[0]):
                continue
            name = c[header.index("name")] if "name" in header else ""
            name = name.strip("`")
            status = notes = None
            if "status" in header:
                status = c[header.index("status")].strip("*").lower()
                notes = c[header.index("notes")] if "notes" in header else ""
                if status not in STATUSES:
                    problems.append("line %d: status %r is not one of %s" % (no, status, ", ".join(STATUSES)))
            rows.append((no, int(c[0]), name, status, notes, table_no))
    return rows, problems


def compare(table, rows):
    """Problems between the syscall table and the doc's rows (the rules above)."""
    problems = []
    implemented = {}
    last = {}
    for no, nr, name, status, notes, t in rows:
        where = "docs line %d (%d %s)" % (no, nr, name)
        if t in last and nr <= last[t]:
            problems.append("%s: not in increasing order after %d" % (where, last[t]))
        last[t] = nr
        if status == "none":
            if table.get(nr) == name:
                problems.append("%s: row says none but the call is in the table: say what works" % where)
            continue
        if status not in (None, "full", "partial"):
            continue
        if status == "partial" and not notes:
            problems.append("%s: partial without notes on what is missing" % where)
        if nr in implemented:
            problems.append("%s: second row for %d (first at line %d)" % (where, nr, implemented[nr]))
            continue
        implemented[nr] = no
        if nr not in table:
            problems.append("%s: no such entry in the syscall table" % where)
        elif table[nr] != name:
            problems.append("%s: the table has %d %s" % (where, nr, table[nr]))
    for nr in sorted(table):
        if nr not in implemented:
            problems.append("%d %s: in the syscall table, no full or partial row in docs/syscalls.md"
                            % (nr, table[nr]))
    return problems


def linux_numbers(table, unistd):
    """Problems where the table's number of a Linux call differs from __NR_name."""
    try:
        with open(unistd) as f:
            nrs = {m.group(1): int(m.group(2))
                   for m in re.finditer(r"#define __NR_(\w+) (\d+)", f.read())}
    except OSError as e:
        return ["cannot read %s: %s" % (unistd, e)]
    problems = []
    for nr, name in sorted(table.items()):
        if nr >= AKAROS_BASE:
            continue
        if name not in nrs:
            problems.append("%d %s: no __NR_%s in %s" % (nr, name, name, unistd))
        elif nrs[name] != nr:
            problems.append("%d %s: Linux numbers it %d" % (nr, name, nrs[name]))
    return problems


def self_test(table_path, doc_path):
    """The rules catch each kind of mismatch on edited copies of the real files."""
    with open(table_path) as f:
        table_src = f.read()
    with open(doc_path) as f:
        doc_src = f.read()
    real = read_table(table_path)
    nr, name = min(real.items())
    row_re = re.compile(r"^\| %d \| %s \|.*\n" % (nr, name), re.M)
    linux_row = "| 334 | rseq | %s | notes |\n"
    cases = [
        # (what, table text, doc text, should pass)
        ("a table entry without a row", table_src + "SYSCALL(334, rseq)\n", doc_src, False),
        ("a full row for a call not in the table", table_src,
         doc_src.replace("| 435 |", linux_row % "full" + "| 435 |", 1), False),
        ("a row naming another call", table_src,
         row_re.sub("| %d | %s_typo | full |  |\n" % (nr, name), doc_src, 1), False),
        ("a none row for an implemented call", table_src,
         row_re.sub("| %d | %s | none |  |\n" % (nr, name), doc_src, 1), False),
        ("a partial row without notes", table_src,
         row_re.sub("| %d | %s | partial |  |\n" % (nr, name), doc_src, 1), False),
        ("a row out of order", table_src,
         row_re.sub("", doc_src, 1).replace("| 435 |", row_re.search(doc_src).group(0) + "| 435 |", 1),
         False),
        ("an unknown status", table_src,
         row_re.sub("| %d | %s | mostly |  |\n" % (nr, name), doc_src, 1), False),
        ("(passes) a none row for a call not in the table", table_src,
         doc_src.replace("| 435 |", linux_row % "none" + "| 435 |", 1), True),
    ]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for what, tsrc, dsrc, should_pass in cases:
            tpath, dpath = os.path.join(tmp, "syscall_list.h"), os.path.join(tmp, "syscalls.md")
            with open(tpath, "w") as f:
                f.write(tsrc)
            with open(dpath, "w") as f:
                f.write(dsrc)
            if dsrc == doc_src and tsrc == table_src:
                problems.append("%s: the edit did not apply" % what)
                continue
            rows, fmt = read_doc(dpath)
            found = fmt + compare(read_table(tpath), rows)
            if bool(found) == should_pass:
                problems.append("%s: %s" % (what, "rejected: %s" % found if should_pass else "not caught"))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table", default=TABLE)
    ap.add_argument("--doc", default=DOC)
    ap.add_argument("--unistd", default=UNISTD)
    ap.add_argument("--self-test", action="store_true", help="also check that the rules catch mismatches")
    args = ap.parse_args()
    try:
        table = read_table(args.table)
    except RuntimeError as e:
        check("read the syscall table", [str(e)])
        print("%d passed, %d failed" % (passed, failed))
        return 1
    rows, fmt = read_doc(args.doc)
    check("docs/syscalls.md lists exactly the %d calls of the syscall table" % len(table),
          fmt + compare(table, rows))
    check("syscall table numbers are Linux's (%s)" % args.unistd, linux_numbers(table, args.unistd))
    if args.self_test:
        check("the doc check catches missing, stray, misnamed, misordered and wrong-status rows",
              self_test(args.table, args.doc))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
