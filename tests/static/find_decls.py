#!/usr/bin/env python3
"""List file-scope declarations that belong in a header, one per line.

Usage: find_decls.py FILE.c...

Prints "FILE:LINE: KIND: TEXT" for every
  - function prototype at file scope that is not static (a declaration of a
    function with external linkage: it belongs in the header of the file that
    defines it), and
  - `extern` declaration anywhere in the file (variables or functions).
Static forward declarations (needed for recursion or an ops table that
precedes the functions) are file-private and allowed.

The scan works on the source text: comments, string/char literals and
preprocessor lines are blanked, then top-level statements are split on `;`
and `{...}` blocks.  A statement is a prototype when, after attributes, an
identifier preceded by at least one type token is directly followed by a
parameter list `(` that is not `(*` (a function pointer variable).
"""
import re
import sys

TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|->|\.\.\.|[^\sA-Za-z0-9_]")
NOT_NAMES = {
    "__attribute__", "__attribute", "__typeof__", "typeof", "__typeof",
    "_Static_assert", "static_assert", "__asm__", "asm", "__asm", "sizeof",
    "_Alignas", "alignas", "_Alignof", "__alignof__", "__extension__",
    "void", "char", "short", "int", "long", "float", "double", "signed",
    "unsigned", "_Bool", "bool", "const", "volatile", "struct", "union", "enum",
}


def blank(src):
    """Replace comments, literals and preprocessor lines by spaces (keeping newlines)."""
    out = []
    i, n = 0, len(src)
    at_line_start = True
    while i < n:
        c = src[i]
        if at_line_start and c in " \t":
            out.append(c)
            i += 1
            continue
        if at_line_start and c == "#":
            # Preprocessor directive, with backslash continuations.
            while i < n and src[i] != "\n":
                if src[i] == "\\" and i + 1 < n and src[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        at_line_start = False
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
            continue
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", src[i + 1:j - 1]) + c)
            i = j
            continue
        if c == "\n":
            at_line_start = True
        out.append(c)
        i += 1
    return "".join(out)


def tokens(text):
    line = 1
    pos = 0
    for m in TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        yield m.group(0), line


def skip_group(toks, i, open_tok, close_tok):
    """Index after the group that starts at toks[i] == open_tok."""
    depth = 0
    while i < len(toks):
        if toks[i][0] == open_tok:
            depth += 1
        elif toks[i][0] == close_tok:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def is_prototype(stmt):
    words = [t for t, _ in stmt]
    if not words or words[0] == "typedef":
        return False
    if "static" in words or "{}" in words:
        return False
    i = 0
    seen_type = False
    while i < len(words):
        w = words[i]
        if w in ("__attribute__", "__attribute", "__asm__", "asm", "__asm",
                 "__typeof__", "typeof", "_Alignas"):
            # Skip the keyword and its parenthesised argument.
            if i + 1 < len(words) and words[i + 1] == "(":
                i = skip_group(stmt, i + 1, "(", ")")
            else:
                i += 1
            seen_type = True
            continue
        if w == "=":
            return False
        if w == "(":
            prev = words[i - 1] if i else ""
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if (seen_type and re.match(r"[A-Za-z_]\w*$", prev) and
                    prev not in NOT_NAMES and nxt != "*" and i >= 2):
                return True
            return False
        seen_type = True
        i += 1
    return False


def scan(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = blank(f.read())
    toks = list(tokens(text))
    found = []
    for t, line in toks:
        if t == "extern":
            found.append((line, "extern"))
    stmt = []
    i = 0
    while i < len(toks):
        t, line = toks[i]
        if t == "{":
            words = [w for w, _ in stmt]
            # Function definition: the statement so far ends in a parameter
            # list (possibly followed by attributes).
            j = skip_group(toks, i, "{", "}")
            if words and words[-1] == ")" and "=" not in words:
                stmt = []
            else:
                stmt.append(("{}", line))
            i = j
            continue
        if t == ";":
            if is_prototype(stmt):
                found.append((stmt[0][1], "prototype"))
            stmt = []
            i += 1
            continue
        if t == "(":
            j = skip_group(toks, i, "(", ")")
            stmt.extend(toks[i:j])
            i = j
            continue
        stmt.append((t, line))
        i += 1
    return sorted(set(found))


def main():
    bad = 0
    for path in sys.argv[1:]:
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        for line, kind in scan(path):
            print(f"{path}:{line}: {kind}: {lines[line - 1].strip()}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
