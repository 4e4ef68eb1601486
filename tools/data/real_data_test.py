#!/usr/bin/env python3
"""The real data sets of tests/data through ledgerctl (issue 4).

    python3 tools/data/real_data_test.py --ledgerctl PATH --data tests/data \
        --work WORK_DIR --set sashts|kenya|invs15

First checks that common.write_csv quotes every field the ledger's CSV reader
needs quoted (a carriage return, a line feed, a comma, a quote): ledgerctl
must import such fields and export them unchanged. Then converts the raw files
to ledgerctl CSVs (tools/data/convert_<set>.py), runs `ledgerctl init` and
`ledgerctl import` for each CSV, then the roster, loops, roll-up, explain and
contacts commands the converter lists, and compares their output with the
answers the converter worked out from the raw rows in plain Python. Then
`verify` and `export` over the whole ledger. Exits 0 when every check passes,
1 otherwise. A missing data file is a failure, named in the message: the data
sets are part of the repository (tests/data/SOURCES.md), so a missing one
means a broken checkout, not a test to skip.
"""

import argparse
import csv
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


class Runner:
    def __init__(self, ledgerctl, ledger):
        self.ledgerctl = ledgerctl
        self.ledger = ledger
        self.failures = 0

    def run(self, args, expect_status=0):
        command = [self.ledgerctl, args[0], self.ledger] + args[1:]
        done = subprocess.run(command, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, encoding="utf-8")
        if done.returncode != expect_status:
            self.fail("%s: exit status %d, expected %d; stderr: %s" % (
                " ".join(command), done.returncode, expect_status,
                done.stderr.strip()))
        return done.stdout

    def fail(self, message):
        self.failures += 1
        print("FAIL: " + message, file=sys.stderr)


def first_lines_differing(expected, got, limit=5):
    e, g = expected.splitlines(), got.splitlines()
    out = []
    for i in range(max(len(e), len(g))):
        a = e[i] if i < len(e) else "<none>"
        b = g[i] if i < len(g) else "<none>"
        if a != b:
            out.append("    line %d: expected %r\n             got %r" % (
                i + 1, a, b))
            if len(out) >= limit:
                break
    return "\n".join(out)


# Field values that need quoting in CSV, and one that does not.
AWKWARD_FIELDS = [
    "a bare\rcarriage return",
    "a line\nfeed",
    "a CR LF\r\nline end",
    "a comma, inside",
    'a "quoted" word',
    "plain",
]


def check_csv_quoting(ledgerctl, work):
    """common.write_csv against the ledger's CSV reader: households whose
    addresses (free text, which may hold line breaks) are AWKWARD_FIELDS are
    written with common.write_csv, imported with ledgerctl, and must come
    back unchanged from `ledgerctl export`. Returns the number of failures."""
    failures = []
    for value in AWKWARD_FIELDS:
        field = common.csv_field(value)
        quoted = field.startswith('"')
        if quoted != any(c in value for c in ',"\r\n'):
            failures.append("csv_field(%r) is %r: %s" % (
                value, field, "quoted" if quoted else "not quoted"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    areas = os.path.join(work, "areas.csv")
    households = os.path.join(work, "households.csv")
    common.write_csv(areas, ["area_id", "parent_id", "level", "name"],
                     [["quoting", "", "county", "CSV quoting"]])
    rows = [["household_id", "area_id", "address", "responsible_worker"]] + [
        ["h%d" % i, "quoting", value, "w"]
        for i, value in enumerate(AWKWARD_FIELDS)]
    common.write_csv(households, rows[0], rows[1:])
    with open(households, encoding="utf-8", newline="") as f:
        read_back = list(csv.reader(f))
    if read_back != rows:
        failures.append("Python's csv module reads back %r" % read_back)
    runner = Runner(ledgerctl, os.path.join(work, "ledger"))
    runner.run(["init"])
    runner.run(["import", "--kind", "areas", areas])
    runner.run(["import", "--kind", "households", households])
    exported = {}
    for line in runner.run(["export"]).splitlines():
        household = json.loads(line).get("household")
        if household:
            exported[household["id"]] = household.get("address", "")
    got = [exported.get("h%d" % i) for i in range(len(AWKWARD_FIELDS))]
    if got != AWKWARD_FIELDS:
        failures.append("ledgerctl export gives the addresses %r, expected "
                        "%r" % (got, AWKWARD_FIELDS))
    for failure in failures:
        print("FAIL: CSV quoting: " + failure, file=sys.stderr)
    print("CSV quoting: %d checks, %d failed" % (
        len(AWKWARD_FIELDS) + 2, len(failures) + runner.failures))
    return len(failures) + runner.failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ledgerctl", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--set", required=True,
                        choices=["sashts", "kenya", "invs15"])
    args = parser.parse_args()
    work = os.path.join(args.work, args.set)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if check_csv_quoting(args.ledgerctl, os.path.join(work, "csv-quoting")):
        return 1

    converter = importlib.import_module("convert_" + args.set)
    started = time.time()
    try:
        raw = converter.load(args.data)
    except FileNotFoundError as e:
        print("FAIL: data set %s: no file %s. The real data sets are part of "
              "the repository, under tests/data/ (see tests/data/SOURCES.md); "
              "this checkout lacks one." % (args.set, e.filename),
              file=sys.stderr)
        return 1
    files = converter.write(raw, os.path.join(work, "csv"))
    policy_file = os.path.join(work, "sensor-15min.txtpb")
    with open(policy_file, "w", encoding="utf-8") as f:
        f.write(common.SENSOR_15MIN_TEXT)
    print("%s: converted in %.1f s" % (args.set, time.time() - started))

    ledger = os.path.join(work, "ledger")
    runner = Runner(args.ledgerctl, ledger)
    runner.run(["init", "--time-zone", converter.ZONE])
    events = 0
    first_exposure = None
    for kind, path in files:
        started = time.time()
        out = runner.run(["import", "--kind", kind, path])
        print("  %s (%.1f s)" % (out.strip(), time.time() - started))
        with open(path, encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
        events += rows
        if kind == "exposures":
            # "imported N events from F (sequence numbers A-B)"
            first_exposure = int(out.rsplit(" ", 1)[1].split("-")[0])
        expected = "imported %d event%s from %s" % (
            rows, "" if rows == 1 else "s", path)
        if not out.startswith(expected):
            runner.fail("import %s: printed %r, expected %r..." % (
                kind, out, expected))
    if runner.failures:
        return 1

    checks = converter.checks(raw, first_exposure, policy_file)
    for check in checks:
        started = time.time()
        got = runner.run(check["args"])
        if "stdout" in check and got != check["stdout"]:
            runner.fail("%s: output differs from the raw-data answer:\n%s" % (
                check["name"], first_lines_differing(check["stdout"], got)))
        if "loops" in check:
            rows = list(csv.reader(io.StringIO(got)))
            if not rows or rows[0] != ["person_id", "kind", "since",
                                       "detail"]:
                runner.fail("%s: bad header %r" % (check["name"], rows[:1]))
            got_loops = [tuple(r[:3]) for r in rows[1:]]
            expected = [tuple(x) for x in check["loops"]]
            if got_loops != expected:
                missing = [x for x in expected if x not in got_loops]
                extra = [x for x in got_loops if x not in expected]
                runner.fail("%s: %d loops, expected %d; missing %s; extra %s"
                            % (check["name"], len(got_loops), len(expected),
                               missing[:5], extra[:5]))
        if "explain" in check:
            rows = list(csv.reader(io.StringIO(got)))
            want = check["explain"]
            if len(rows) != 2:
                runner.fail("%s: %d rows: %r" % (check["name"], len(rows),
                                                 got))
            else:
                row = rows[1]
                row_exposures = sorted(int(x) for x in row[5].split(";")
                                       if x)
                if row[:5] + row[6:] != want[:5] + want[6:] or \
                        row_exposures != want[5]:
                    runner.fail("%s: got %r, expected %r" % (
                        check["name"], row, want))
        print("  %-60s %s (%.1f s)" % (check["name"], check.get("summary", ""),
                                       time.time() - started))

    verify = runner.run(["verify"])
    if not verify.rstrip().endswith("ok"):
        runner.fail("verify: %r" % verify)
    exported = runner.run(["export"])
    if exported.count("\n") != events:
        runner.fail("export: %d events, expected %d" % (
            exported.count("\n"), events))
    print("%s: %d checks, %d failed" % (args.set, len(checks) + 2,
                                        runner.failures))
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())
