#!/usr/bin/env python3
"""The roster from Python against the roster in C++, in one run (issue 17,
part 3: a Python roster query on the 1 M-person benchmark county within
1.5x of the C++ time plus the conversion of its rows).

    PYTHONPATH=<build>/tools/python /usr/bin/python3 \\
        bench/python_roster_bench.py [--persons 1000000] [--cases 100]
        [--rounds 200] [--ledger DIR]

The county is the one of bench/ledger_vs_sqlite.cc (bench/RESULTS.md,
"Ledger vs SQLite"): GenerateSyntheticCounty with --persons persons, --cases
index cases, seed 2020, UTC+8, appended in 1000-event batches to an
in-memory ledger, here through the package's generate_synthetic_county
(or, with --ledger, a directory made by `ledgerctl generate`). The question
is Roster100's: the roster at 2020-02-08 21:00 +08:00 under china-2020.

Timed, interleaved round by round so that all see the same machine state:
  cpp      the extension's _roster_size: Tracer::Create + Roster() in C++
           with the GIL released, returning only the row count (no row is
           converted): the C++ time, plus one call from Python.
  python   ledger.roster(at=..., policy=...): the same, plus the argument
           conversion and every row made into a contactledger.RosterEntry
           (strings, aware datetimes, dates) in a Roster list.
  fields   python, then every field of every row read (tuple(row)).
  conversion  the rows' conversion alone, timed in C++ (_roster_timed: the
           python call with a steady clock around ToRoster).
  pandas   python, then .to_pandas() (reported, not part of the target).
Prints the medians (and 10th/90th percentiles) and the ratios to cpp; the
target is read as python <= 1.5 x cpp + conversion.
No assertion: a benchmark, not a test.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time

import contactledger

CST = datetime.timezone(datetime.timedelta(hours=8))
AT = datetime.datetime(2020, 2, 8, 21, tzinfo=CST)
POLICY = "china-2020"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1000000)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--ledger", help="a ledger directory to open "
                        "read-only instead of generating the county")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.ledger:
        ledger = contactledger.open(args.ledger, read_only=True)
        what = "ledger %s" % args.ledger
    else:
        ledger = contactledger.Ledger.new(time_zone=CST)
        summary = ledger.generate_synthetic_county(
            persons=args.persons, cases=args.cases, seed=2020,
            batch_size=1000)
        what = "%d persons, %d exposures, %d cases" % (
            summary["persons"], summary["exposures"], len(summary["case_ids"]))
    load = time.perf_counter() - started

    # The C++ call the package makes, minus the rows' conversion.
    handle = ledger._handle
    preset_kind = contactledger._contactledger.POLICY_PRESET  # POLICY: a name
    at_us = (AT - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
             ) // datetime.timedelta(microseconds=1)

    def cpp():
        return handle._roster_size(at_us, None, None, preset_kind, POLICY)

    def python():
        return ledger.roster(at=AT, policy=POLICY)

    convert = []

    def timed():
        # The same call as python's, with the conversion timed in C++.
        rows, _, convert_ns = handle._roster_timed(
            at_us, None, None, preset_kind, POLICY)
        convert.append(convert_ns / 1000.0)
        return rows

    def fields():
        rows = ledger.roster(at=AT, policy=POLICY)
        for row in rows:
            tuple(row)
        return rows

    def pandas_table():
        return ledger.roster(at=AT, policy=POLICY).to_pandas()

    size = cpp()
    rows = python()
    assert size == len(rows) == len(pandas_table()), (size, len(rows))
    kinds = {"cpp": cpp, "python": python, "fields": fields,
             "timed": timed, "pandas": pandas_table}
    for fn in kinds.values():  # warm up
        for _ in range(5):
            fn()
    convert.clear()
    times = {name: [] for name in kinds}
    # cpp, python and fields interleaved, each round in another order (so
    # that none always follows the same one); pandas, whose allocations
    # would disturb the others, in rounds of its own afterwards.
    orders = [("cpp", "python", "fields", "timed"),
              ("python", "fields", "timed", "cpp"),
              ("fields", "timed", "cpp", "python"),
              ("timed", "cpp", "python", "fields")]
    # Each answer is kept until its time is taken (as a caller keeps it), and
    # freed outside the timed span.
    for i in range(args.rounds):
        for name in orders[i % len(orders)]:
            start = time.perf_counter_ns()
            answer = kinds[name]()
            times[name].append((time.perf_counter_ns() - start) / 1000.0)
            del answer
    for _ in range(max(10, args.rounds // 10)):
        start = time.perf_counter_ns()
        answer = pandas_table()
        times["pandas"].append((time.perf_counter_ns() - start) / 1000.0)
        del answer

    times["conversion"] = convert
    median = {name: statistics.median(t) for name, t in times.items()}
    print("county: %s (loaded in %.1f s)" % (what, load))
    print("roster at %s, %s: %d rows; %d rounds" % (
        AT.isoformat(), POLICY, size, args.rounds))
    print("machine: %d CPUs (os.cpu_count), %s; Python %s" % (
        os.cpu_count(), cpu_model(), platform.python_version()))
    print()
    print("| measured | median | p10 | p90 | / cpp |")
    print("| --- | --- | --- | --- | --- |")
    for name in ("cpp", "python", "fields", "conversion", "pandas"):
        print("| %s | %.0f µs | %.0f µs | %.0f µs | %.2f× |" % (
            name, median[name], percentile(times[name], 0.1),
            percentile(times[name], 0.9), median[name] / median["cpp"]))
    cpp_time, py_time, conv = median["cpp"], median["python"], median["conversion"]
    print()
    print("conversion: %.0f ns per row (%d rows), timed in C++ around the "
          "rows' conversion" % (conv / max(size, 1) * 1000, size))
    print("python / cpp = %.2f×; python / (cpp + conversion) = %.2f×; "
          "the rest (the call, arguments, the list) = %.0f µs" % (
              py_time / cpp_time, py_time / (cpp_time + conv),
              py_time - cpp_time - conv))
    ratio = (py_time - conv) / cpp_time
    print("target (python <= 1.5 x cpp + the conversion of its rows): %s "
          "((python - conversion) / cpp = %.2f×)" % (
              "met" if ratio <= 1.5 else "missed", ratio))
    ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
