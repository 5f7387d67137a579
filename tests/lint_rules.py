#!/usr/bin/env python3
"""tests/lint_rules.py - the check rules of tests/lint.sh over shell test
scripts (they run under bash -eu -o pipefail; see tests/run.sh).

usage: python3 tests/lint_rules.py FILE...

Three patterns pass a test that should fail, or fail one that should pass:

  not-a-check  a statement `! cmd`: bash's set -e ignores the status of a
               pipeline that starts with `!`, so the line checks nothing
               (it also sets the status of a function or script when last).
  and-list     a statement `[ c ] && cmd` (also `[[ ]]`, `test`, `grep`,
               `cmp`, `diff` first) with no `||`: set -e ignores every
               command of an && list but the last, so a false test is no
               failure.
  sigpipe      `cmd | grep -q` (also -m, -l, -L, --quiet), `cmd | head` or
               `cmd | sed Nq`:
               the reader exits early, cmd may die of SIGPIPE, and pipefail
               fails the line at random (one flaky run in a hundred).

Conditions of if/elif/while/until, and lists that end in `|| ...`, are not
statements in this sense and are left alone.  Heredoc bodies, quoted text
and comments are ignored.  Prints one "FILE:LINE: rule: what; fix" line per
finding and exits 1 if there was any.
"""
import re
import sys

CHECK_WORDS = {"[", "[[", "test", "grep", "cmp", "diff"}
LEAD_WORDS = {"then", "do", "else", "{", "(", "time"}
COND_WORDS = {"if", "elif", "while", "until"}
SIGPIPE = re.compile(r"(?<![|>])\|(?!\|)\s*(?:sed\s+(?:-n\s+)?'?[0-9]*q\b|(?:command\s+)?grep\s+(?:[^|;&]*\s)?(?:-[a-zA-Z]*[qlLm][a-zA-Z]*|--quiet|--silent|--max-count|--files-with\S*)\b|head\b)")

FIX = {
    "not-a-check": "'! cmd' as a statement checks nothing under set -e; write "
                   "'if cmd; then echo \"FAIL: why\" >&2; exit 1; fi' (or refute_grep in tests/e2e/lib.sh)",
    "and-list": "'[ c ] && cmd' as a statement: a false first test fails nothing under set -e; "
                "for a check write 'test A && test B || fail \"why\"' or one test a line, "
                "for control flow 'if [ c ]; then cmd; fi'",
    "sigpipe": "'cmd | grep -q' / 'cmd | head' under pipefail: the reader exits early and cmd can die "
               "of SIGPIPE; write cmd's output to a file or variable first, then grep or head that",
}


def mask(text):
    """Per character of text: (top, code) where top keeps only top-level
    shell code (not quoted, not in $( ) or a comment) and code keeps all
    unquoted code including $( ) contents; everything else becomes '_'.
    Newlines stay.  Also returns the heredoc body line numbers (0-based)."""
    top, code = [], []
    stack = []          # 'dq' double quote, 'cs' $( ), 'pe' ${ }
    heredocs = []       # pending (delimiter, strip_tabs)
    skip_lines = set()
    lines = text.split("\n")
    out_top, out_code = [], []
    ln = 0
    while ln < len(lines):
        line = lines[ln]
        top, code = [], []
        i = 0
        n = len(line)
        while i < n:
            c = line[i]
            ctx = stack[-1] if stack else "top"
            if ctx == "sq":
                top.append("_"); code.append("_")
                if c == "'":
                    stack.pop()
                i += 1
                continue
            if ctx == "dq":
                if c == "\\" and i + 1 < n:
                    top.extend("__"); code.extend("__"); i += 2; continue
                if c == '"':
                    stack.pop(); top.append('"'); code.append('"'); i += 1; continue
                if line.startswith("$(", i):
                    stack.append("cs"); top.extend("$_"); code.extend("$("); i += 2; continue
                if line.startswith("${", i):
                    stack.append("pe"); top.extend("__"); code.extend("__"); i += 2; continue
                top.append("_"); code.append("_"); i += 1
                continue
            if ctx == "pe":
                if c == "}":
                    stack.pop()
                top.append("_"); code.append("_"); i += 1
                continue
            # code: top level or inside $( )
            intop = ctx == "top"
            if c == "\\" and i + 1 < n:
                top.extend("__"); code.extend("__"); i += 2; continue
            if c == "'":
                stack.append("sq"); top.append("'" if intop else "_"); code.append("'"); i += 1; continue
            if c == '"':
                stack.append("dq"); top.append('"' if intop else "_"); code.append('"'); i += 1; continue
            if c == "#" and (i == 0 or line[i - 1] in " \t;(|&"):
                top.extend("_" * (n - i)); code.extend("_" * (n - i)); i = n; continue
            if line.startswith("$(", i) or line.startswith("<(", i) or line.startswith(">(", i):
                stack.append("cs"); top.extend("$_" if intop else "__"); code.extend(line[i:i + 2]); i += 2; continue
            if line.startswith("${", i):
                stack.append("pe"); top.extend("__"); code.extend("__"); i += 2; continue
            if c == "`":
                j = line.find("`", i + 1)
                j = n - 1 if j < 0 else j
                top.extend("_" * (j + 1 - i)); code.extend(line[i:j + 1]); i = j + 1; continue
            if c == "(" and not intop:
                stack.append("cs"); top.append("_"); code.append("("); i += 1; continue
            if c == ")" and not intop:
                stack.pop(); top.append("_"); code.append(")"); i += 1; continue
            m = re.match(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2", line[i:]) if line.startswith("<<", i) and not line.startswith("<<<", i) else None
            if m:
                heredocs.append((m.group(3), m.group(1) == "-"))
                top.extend(line[i:i + m.end()] if intop else "_" * m.end()); code.extend(line[i:i + m.end()]); i += m.end(); continue
            top.append(c if intop else "_"); code.append(c); i += 1
        out_top.append("".join(top))
        out_code.append("".join(code))
        ln += 1
        # heredoc bodies follow the line that opened them
        while heredocs and not stack:
            delim, strip = heredocs.pop(0)
            while ln < len(lines):
                body = lines[ln].lstrip("\t") if strip else lines[ln]
                skip_lines.add(ln)
                out_top.append("_" * len(lines[ln])); out_code.append("_" * len(lines[ln]))
                ln += 1
                if body == delim:
                    break
    return out_top, out_code, skip_lines


def statements(top_lines):
    """Logical statements of the top-level text: (first line number,
    statement text), joined over trailing \\, &&, || and |, split at ; and &."""
    joined, starts = [], []
    cur, cur_start = "", None
    for ln, t in enumerate(top_lines):
        s = t.rstrip()
        if cur_start is None:
            cur_start = ln
        cur += " " + s
        if s.endswith(("&&", "||", "|")) or (s.endswith("\\") and not s.endswith("\\\\")):
            continue
        joined.append(cur); starts.append(cur_start)
        cur, cur_start = "", None
    if cur:
        joined.append(cur); starts.append(cur_start)
    for text, ln in zip(joined, starts):
        # split at ; (not ;;) and a lone & (not &&, >&, &>)
        for part in re.split(r"(?<![;&>])[;&](?![;&>])|;;", text):
            yield ln, part


def strip_lead(s):
    s = s.strip()
    # a case arm's pattern: "pat)" or "pat | pat)" before the command
    m = re.match(r"^[^\s()$][^()]*?\)\s+", s)
    if m and not s.startswith(("[", "test ")):
        s = s[m.end():]
    while True:
        w = s.split(None, 1)
        if w and w[0] in LEAD_WORDS:
            s = w[1] if len(w) > 1 else ""
            continue
        return s


def lint(path):
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError as e:
        print(f"{path}: cannot read: {e.strerror}")
        return 1
    top, code, skip = mask(text)
    found = []
    for ln, st in statements(top):
        s = strip_lead(st)
        if not s:
            continue
        first = s.split(None, 1)[0]
        if first in COND_WORDS:
            continue
        # a statement is everything up to the end of its && / || list
        if first == "!" or s.startswith("!("):
            if "||" not in s:
                found.append((ln, "not-a-check"))
        elif first in CHECK_WORDS and "&&" in s and "||" not in s:
            found.append((ln, "and-list"))
    for ln, c in enumerate(code):
        if ln not in skip and SIGPIPE.search(c):
            found.append((ln, "sigpipe"))
    for ln, rule in sorted(set(found)):
        print(f"{path}:{ln + 1}: {rule}: {FIX[rule]}")
    return len(found)


def main():
    n = sum(lint(p) for p in sys.argv[1:])
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
