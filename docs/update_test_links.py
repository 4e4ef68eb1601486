#!/usr/bin/env python3
# Copyright 2026 The ContactLedger Authors.
"""Points the test links of docs/rules_as_implemented.md at their tests again.

A link names a GoogleTest test and the line it starts on:

    [`RosterTest.SourceTieGoesToTheSmallestPersonId`](../tests/tracing_roster_test.cc#L168)

When lines are added above a test, the line moves and tests/docs_test.cc
(DocsTest.RulesAsImplementedLinksPointAtTheTestsTheyName) fails. This script
finds each named test in tests/*_test.cc and rewrites its link to the file
and line where it starts now. It fails, changing nothing, when a named test
no longer exists (rename the link, or pick another test).

    python3 docs/update_test_links.py
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules_as_implemented.md"
LINK = re.compile(r"\[`(\w+\.\w+)`\]\(\.\./tests/([\w.]+)#L(\d+)\)")
TEST = re.compile(r"TEST(?:_F|_P)?\((\w+),\s*(\w*)")


def where_tests_start():
    """{"Suite.Name": [(file name, line), ...]} for every test in tests/."""
    found = {}
    for path in sorted((ROOT / "tests").glob("*_test.cc")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            m = TEST.match(line)
            if not m:
                continue
            name = m.group(2)
            if not name and i + 1 < len(lines):  # clang-format broke the line
                name = re.match(r"\s*(\w*)", lines[i + 1]).group(1)
            found.setdefault(f"{m.group(1)}.{name}", []).append(
                (path.name, i + 1))
    return found


def main():
    tests = where_tests_start()
    text = DOC.read_text(encoding="utf-8")
    missing = []
    moved = 0

    def relink(m):
        nonlocal moved
        name, file_name = m.group(1), m.group(2)
        places = tests.get(name)
        if not places:
            missing.append(name)
            return m.group(0)
        # The same file if the test is still there, else where it went.
        file_name, line = next(
            (p for p in places if p[0] == file_name), places[0])
        new = f"[`{name}`](../tests/{file_name}#L{line})"
        moved += new != m.group(0)
        return new

    text = LINK.sub(relink, text)
    if missing:
        print("no such test: " + ", ".join(sorted(set(missing))),
              file=sys.stderr)
        return 1
    DOC.write_text(text, encoding="utf-8")
    print(f"{moved} link(s) updated in {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
