#!/usr/bin/env python3
"""The python_interop test: a ledger written in C++ read from Python.

    python3 tools/python/interop_test.py --ledgerctl PATH --proto-path DIR \
        --work WORK_DIR [--persons N] [--county-drill PATH]

1. C++ -> Python. `ledgerctl init` + `ledgerctl generate` a synthetic county,
   `ledgerctl verify` and `ledgerctl export` it; read the directory's log with
   contactledger_reader (header, framing, CRC-32s, EventBatch payloads) and
   the export with google.protobuf.json_format, and check them against the
   C++ side: the files, records, bytes and sequence ranges `verify` lists;
   events 1..N; each log event equal, as a protobuf message, to its export
   line; the events per body kind equal to what `generate` reports.
2. Python -> C++. The reader's command line prints the log's events as JSON
   Lines; `ledgerctl import` them into a second ledger in four parts, and
   read that ledger's log back: four records, the same events (with new
   record times, and `ledgerctl` as the actor of events without one).
3. Damage. On copies of the second ledger: a flipped payload byte and a
   flipped length byte in the middle, a cut-off last record, a cut-off
   record header, a last record whose payload checksum fails (a torn write)
   and a zero-filled tail. The reader must report each at the byte offset and
   with the reason `ledgerctl verify` reports.
4. Snapshot (with --county-drill). The county drill ends with WriteSnapshot,
   which keeps the logs (LogRetention::kKeep, the default); after two more
   events imported with ledgerctl, the reader must check the snapshot's
   sections (the `end` section repeats its sequence number), agree with
   `ledgerctl verify` on every file (the snapshot counted by its sections
   and the events 1..N it holds), and list every event from the logs: as
   many as `ledgerctl export` prints, each equal to its line. On copies whose
   logs the snapshot covers were removed (as LogRetention::kRemove, or a
   ledger from before logs were kept), the reader must say on stderr that
   events 1..N are only in the snapshot, never report "events: 0", and
   `ledgerctl export` must still print every event.

Exits 0 when every check passes, 1 otherwise.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contactledger_reader as reader  # noqa: E402

READER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "contactledger_reader.py")

# `ledgerctl generate` prints "generated 16 areas, 659 households, ..."; its
# names for the body kinds.
GENERATE_KINDS = {
    "areas": "area", "households": "household", "persons": "person",
    "exposures": "exposure", "diagnoses": "diagnosis",
    "quarantine actions": "quarantine_action",
    "health checks": "health_check", "passages": "checkpoint_passage",
}


class Test:
    def __init__(self, ledgerctl, proto_path):
        self.ledgerctl = ledgerctl
        self.proto_path = proto_path
        self.failures = 0

    def fail(self, message):
        self.failures += 1
        print("FAIL: " + message, file=sys.stderr)

    def check(self, condition, message):
        if not condition:
            self.fail(message)
        return condition

    def run(self, command, expect_status=0, stdout=None):
        done = subprocess.run(command, stdout=stdout or subprocess.PIPE,
                              stderr=subprocess.PIPE, encoding="utf-8")
        if done.returncode != expect_status:
            raise SystemExit("FAIL: %s: exit status %d, expected %d; "
                             "stderr: %s" % (" ".join(command),
                                             done.returncode, expect_status,
                                             done.stderr.strip()))
        return done.stdout

    def ctl(self, *args, expect_status=0, stdout=None):
        return self.run([self.ledgerctl] + list(args), expect_status, stdout)

    def reader_cli(self, *args, expect_status=0, stdout=None):
        return self.run([sys.executable, READER, "--proto-path",
                         self.proto_path] + list(args), expect_status, stdout)


def parse_verify(text):
    """`ledgerctl verify` output -> dict."""
    out = {"files": [], "damage": [], "tails": [], "ok": None}
    for line in text.splitlines():
        # A log's records, a snapshot's sections; names relative to the
        # directory (archive/NAME for an archived log).
        m = re.match(r"^file (\S+): (\d+) bytes, (\d+) (?:records|sections)"
                     r"(?:, events (\d+)-(\d+))?$", line)
        if m:
            out["files"].append((m.group(1), int(m.group(2)),
                                 int(m.group(3)), int(m.group(4) or 0),
                                 int(m.group(5) or 0)))
            continue
        m = re.match(r"^(damage|cut-off tail): (\S+) at byte (\d+), (\d+) "
                     r"bytes: (.*)$", line)
        if m:
            key = "damage" if m.group(1) == "damage" else "tails"
            out[key].append((os.path.basename(m.group(2)), int(m.group(3)),
                             int(m.group(4)), m.group(5)))
            continue
        m = re.match(r"^events: (\d+)$", line)
        if m:
            out["events"] = int(m.group(1))
            continue
        m = re.match(r"^last sequence number: (\d+)$", line)
        if m:
            out["last_sequence"] = int(m.group(1))
            continue
        if line in ("ok", "damaged"):
            out["ok"] = line == "ok"
    return out


def parse_generate(text):
    m = re.match(r"^generated (.*) in [\d.]+ s$", text.strip())
    if not m:
        raise SystemExit("FAIL: cannot parse the generate summary %r" % text)
    counts = {}
    for part in m.group(1).split(", "):
        number, name = part.split(" ", 1)
        counts[GENERATE_KINDS[name]] = int(number)
    return counts


def message_diff(a, b):
    """The first differing line of two messages' text format."""
    la, lb = str(a).splitlines(), str(b).splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<none>"
        y = lb[i] if i < len(lb) else "<none>"
        if x != y:
            return "%r != %r" % (x, y)
    return "(no text difference)"


def compare_files(t, what, contents, verified):
    """The reader's files against `ledgerctl verify`'s."""
    got = [(f.name, f.bytes, f.records, f.first_sequence, f.last_sequence)
           for f in contents.files]
    want = verified["files"]
    if len(got) != len(want):
        t.fail("%s: the reader saw files %s, verify %s" % (what, got, want))
        return
    for g, w in zip(got, want):
        # A snapshot: both count its sections, and its events 1..N.
        t.check(g == w, "%s: file %s: reader %s, verify %s" % (
            what, g[0], g[1:], w[1:]))


def log_vs_export(t, work, persons):
    """Part 1. Returns the log's events."""
    pb = reader.load_protos(t.proto_path)
    ledger = os.path.join(work, "ledger")
    t.ctl("init", ledger, "--time-zone", "Asia/Shanghai")
    generated = parse_generate(
        t.ctl("generate", ledger, "--persons", str(persons), "--seed", "2020"))
    verified = parse_verify(t.ctl("verify", ledger))
    export = os.path.join(work, "export.jsonl")
    with open(export, "w", encoding="utf-8") as f:
        t.ctl("export", ledger, stdout=f)

    started = time.time()
    contents = reader.read_ledger(ledger, pb)
    events = contents.events
    n = len(events)
    print("read %d events in %d records from %s in %.2f s" % (
        n, sum(f.records for f in contents.files), ledger,
        time.time() - started))
    t.check(contents.snapshot is None, "a fresh ledger holds a snapshot")
    t.check(verified["ok"] is True, "verify did not say ok")
    t.check(not any(f.tail for f in contents.files),
            "the reader saw a cut-off tail in a clean ledger")
    compare_files(t, "generated ledger", contents, verified)
    t.check(n == verified["events"], "the reader read %d events, verify "
            "reports %d" % (n, verified["events"]))
    t.check(contents.last_sequence == verified["last_sequence"],
            "last sequence %d, verify reports %d" % (
                contents.last_sequence, verified["last_sequence"]))
    t.check([e.sequence_number for e in events] == list(range(1, n + 1)),
            "the log's sequence numbers are not 1..%d" % n)

    kinds = dict(reader.count_kinds(events))
    t.check(kinds == generated, "events per kind: the log holds %s, generate "
            "reports %s" % (kinds, generated))
    t.check(sum(generated.values()) == n, "generate reports %d events, the "
            "log holds %d" % (sum(generated.values()), n))

    started = time.time()
    exported = reader.read_export(export, pb)
    print("parsed %d export lines in %.2f s" % (len(exported),
                                                 time.time() - started))
    t.check(len(exported) == n, "the export has %d lines, the log %d events"
            % (len(exported), n))
    t.check([e.sequence_number for e in exported] == list(range(1, n + 1)),
            "the export's sequence numbers are not 1..%d" % n)
    t.check(dict(reader.count_kinds(exported)) == kinds,
            "events per kind: export %s, log %s" % (
                dict(reader.count_kinds(exported)), kinds))
    differing = [i for i, (a, b) in enumerate(zip(events, exported))
                 if a != b]
    if differing:
        i = differing[0]
        t.fail("%d events differ between the log and the export; the first, "
               "event %d: %s" % (len(differing), events[i].sequence_number,
                                 message_diff(events[i], exported[i])))
    # Every field of the schema should have been exercised by something.
    bodies = {e.WhichOneof("body") for e in events}
    t.check(len(bodies) >= 8, "generate wrote only %s" % sorted(bodies))

    # The reader's command line says the same.
    out = t.reader_cli("ledger", ledger)
    t.check("events: %d (sequence 1-%d)\n" % (n, n) in out and
            "  exposure: %d\n" % kinds["exposure"] in out,
            "the reader's summary is wrong:\n" + out)
    out = t.reader_cli("export", export)
    t.check(out.startswith("events: %d (sequence 1-%d)\n" % (n, n)),
            "the reader's export summary is wrong:\n" + out)
    return events


def python_to_cpp(t, work, events):
    """Part 2. Returns the second ledger's directory."""
    pb = reader.load_protos(t.proto_path)
    jsonl = os.path.join(work, "from_python.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        t.reader_cli("ledger", os.path.join(work, "ledger"), "--jsonl",
                     stdout=f)
    with open(jsonl, encoding="utf-8") as f:
        lines = f.readlines()
    t.check(len(lines) == len(events), "the reader printed %d JSON lines for "
            "%d events" % (len(lines), len(events)))
    ledger = os.path.join(work, "from_python")
    t.ctl("init", ledger, "--time-zone", "Asia/Shanghai")
    parts = 4
    size = (len(lines) + parts - 1) // parts
    for i in range(parts):
        part = os.path.join(work, "from_python.%d.jsonl" % i)
        with open(part, "w", encoding="utf-8") as f:
            f.writelines(lines[i * size:(i + 1) * size])
        t.ctl("import", ledger, part)
    contents = reader.read_ledger(ledger, pb)
    compare_files(t, "imported ledger", contents,
                  parse_verify(t.ctl("verify", ledger)))
    t.check(sum(f.records for f in contents.files) == parts,
            "the imported ledger has %d records, expected %d (one per "
            "import)" % (sum(f.records for f in contents.files), parts))
    again = contents.events
    t.check(len(again) == len(events), "imported %d events, expected %d" % (
        len(again), len(events)))
    differing = 0
    for a, b in zip(events, again):
        a2, b2 = type(a)(), type(b)()
        a2.CopyFrom(a)
        b2.CopyFrom(b)
        a2.ClearField("record_time")
        b2.ClearField("record_time")
        # An import marks the first event of each file's batch with where it
        # came from (import_source, where the schema has it).
        if "import_source" in a2.DESCRIPTOR.fields_by_name:
            a2.ClearField("import_source")
            b2.ClearField("import_source")
        # ledgerctl import records its own name as the actor of events
        # without one.
        if not a2.actor:
            a2.actor = "ledgerctl"
        if a2 != b2:
            if not differing:
                t.fail("event %d changed on its way through Python JSON and "
                       "ledgerctl import: %s" % (a.sequence_number,
                                                 message_diff(a2, b2)))
            differing += 1
    t.check(differing == 0, "%d events changed on the round trip" % differing)
    return ledger


def flip(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x40]))


def damage(t, work, clean):
    """Part 3."""
    pb = reader.load_protos(t.proto_path)
    (log,) = [n for n in os.listdir(clean) if n.endswith(".log")]
    with open(os.path.join(clean, log), "rb") as f:
        data = f.read()
    header = reader.parse_header(data, log)
    offsets = [o for o, _ in reader.iter_records(data, header.size, log)]
    if not t.check(len(offsets) >= 3,
                   "need 3 records, have %d" % len(offsets)):
        return
    second = offsets[1]
    last = offsets[-1]

    def case(name, mutate, want_error):
        d = os.path.join(work, "damaged-" + name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(clean, d)
        path = os.path.join(d, log)
        mutate(path)
        verified = parse_verify(
            t.ctl("verify", d, expect_status=1 if want_error else 0))
        if want_error:
            if not t.check(verified["damage"], "%s: verify reports no damage"
                           % name):
                return
            _, offset, _, reason = verified["damage"][0]
            try:
                reader.read_ledger(d, pb)
                t.fail("%s: the reader did not notice; verify reports %s"
                       % (name, verified["damage"][0]))
            except reader.FormatError as e:
                t.check((e.path, e.offset, e.reason) == (log, offset, reason),
                        "%s: the reader reports %s; verify: offset %d: %s" % (
                            name, e, offset, reason))
                print("%s: both report offset %d: %s" % (name, offset, reason))
        else:
            contents = reader.read_ledger(d, pb)
            tails = [(f.name,) + tail for f in contents.files
                     for tail in f.tail]
            t.check(tails == verified["tails"], "%s: the reader's cut-off "
                    "tails %s, verify's %s" % (name, tails, verified["tails"]))
            t.check(len(contents.events) == verified["events"],
                    "%s: the reader kept %d events, verify %d" % (
                        name, len(contents.events), verified["events"]))
            compare_files(t, name, contents, verified)
            print("%s: both report %s" % (name, tails))

    case("payload", lambda p: flip(p, second + 12 + 5), True)
    case("length", lambda p: flip(p, second + 1), True)
    case("torn", lambda p: os.truncate(p, len(data) - 7), False)
    case("torn-payload", lambda p: flip(p, len(data) - 3), False)
    case("cut-header", lambda p: os.truncate(p, last + 5), False)

    def zero_tail(p):
        with open(p, "ab") as f:
            f.write(bytes(4096))
    case("zero-tail", zero_tail, False)


def snapshot(t, work, drill):
    """Part 4."""
    pb = reader.load_protos(t.proto_path)
    out = os.path.join(work, "drill")
    t.run([drill, "--persons=10000", "--out=" + out])
    with open(os.path.join(out, "drill.done"), encoding="utf-8") as f:
        covered = int(re.search(r"last_sequence=(\d+)", f.read()).group(1))
    ledger = os.path.join(out, "ledger")
    extra = os.path.join(work, "after_snapshot.jsonl")
    with open(extra, "w", encoding="utf-8") as f:
        f.write('{"actor": "python", "area": {"id": "py-county", '
                '"level": "AREA_LEVEL_COUNTY", "name": "Python County"}}\n'
                '{"actor": "python", "person": {"id": "py-1", "name": "Py", '
                '"area_id": "py-county", "tags": ["from_python"]}}\n')
    t.ctl("import", ledger, extra)

    contents = reader.read_ledger(ledger, pb)
    snap = contents.snapshot
    if not t.check(snap is not None, "the reader found no snapshot in %s"
                   % ledger):
        return
    t.check(snap.header.base_sequence == covered, "snapshot as of %d, the "
            "drill reports %d" % (snap.header.base_sequence, covered))
    t.check(list(snap.sections)[-1] == "end" and len(snap.sections) > 10,
            "snapshot sections: %s" % list(snap.sections))
    t.check(contents.only_in_snapshot is None, "the drill's ledger kept its "
            "logs, yet the reader says %s" % contents.only_in_snapshot_note())
    compare_files(t, "snapshot ledger", contents,
                  parse_verify(t.ctl("verify", ledger)))
    export = os.path.join(work, "drill_export.jsonl")
    with open(export, "w", encoding="utf-8") as f:
        t.ctl("export", ledger, stdout=f)
    exported = reader.read_export(export, pb)
    n = len(exported)
    t.check(n == covered + 2, "export has %d lines, expected %d" % (
        n, covered + 2))
    got = [e.sequence_number for e in contents.events]
    t.check(got == list(range(1, n + 1)), "the logs of the snapshotted "
            "ledger hold events %s..%s (%d), export %d" % (
                got[:1], got[-1:], len(got), n))
    differing = [i for i, (a, b) in enumerate(zip(contents.events, exported))
                 if a != b]
    if differing:
        i = differing[0]
        t.fail("%d events differ between the logs and the export; the first, "
               "event %d: %s" % (len(differing), exported[i].sequence_number,
                                 message_diff(contents.events[i],
                                              exported[i])))

    text = t.reader_cli("ledger", ledger)
    t.check("section end: 1 record, count 1, 8 bytes" in text and
            "events: %d (sequence 1-%d)" % (n, n) in text,
            "the reader's summary of a snapshot ledger:\n" + text)
    print("snapshot: %s, as of %d, %d records, %d named sections; the logs "
          "hold all %d events" % (snap.name, covered, snap.records,
                                  len(snap.sections), n))

    # The logs a snapshot covers: each but the last whose next log starts at
    # or before the snapshot's sequence number + 1.
    def covered_logs(d):
        logs = sorted(x for x in os.listdir(d) if x.endswith(".log"))
        return [x for i, x in enumerate(logs) if i + 1 < len(logs) and
                int(logs[i + 1][:20]) <= covered + 1]

    # The logs the snapshot covers moved to archive/, as
    # LogRetention::kArchive does: the reader reads them there, in order.
    d = os.path.join(work, "drill-archived-logs")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(ledger, d)
    os.makedirs(os.path.join(d, "archive"))
    for name in covered_logs(d):
        os.rename(os.path.join(d, name), os.path.join(d, "archive", name))
    contents = reader.read_ledger(d, pb)
    t.check(contents.only_in_snapshot is None and
            len(contents.events) == n and
            any(f.name.startswith("archive/") for f in contents.files),
            "archived logs: the reader read %d events from %s" % (
                len(contents.events), [f.name for f in contents.files]))
    compare_files(t, "archived logs", contents,
                  parse_verify(t.ctl("verify", d)))
    t.check(contents.events == exported, "archived logs: the events differ "
            "from the export")
    print("archived logs: the reader reads all %d events, from %s" % (
        n, ", ".join(f.name for f in contents.files)))

    # The logs the snapshot covers removed, as LogRetention::kRemove does
    # (and as every ledger made before logs were kept looks): events 1..N
    # are only in the snapshot; then with no log at all.
    for case in ("removed-logs", "snapshot-only"):
        d = os.path.join(work, "drill-" + case)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(ledger, d)
        doomed = (covered_logs(d) if case == "removed-logs" else
                  [x for x in os.listdir(d) if x.endswith(".log")])
        for name in doomed:
            os.remove(os.path.join(d, name))
        want_events = (2 if case == "removed-logs" else 0)
        contents = reader.read_ledger(d, pb)
        t.check(contents.only_in_snapshot == (1, covered),
                "%s: the reader says events %s are only in the snapshot, "
                "expected 1-%d" % (case, contents.only_in_snapshot, covered))
        t.check(len(contents.events) == want_events, "%s: the reader read %d "
                "events from the logs, expected %d" % (
                    case, len(contents.events), want_events))
        done = subprocess.run([sys.executable, READER, "--proto-path",
                               t.proto_path, "ledger", d],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              encoding="utf-8")
        t.check(done.returncode == 0, "%s: the reader exited %d: %s" % (
            case, done.returncode, done.stderr))
        t.check("holds events 1-%d only in snapshot %s, which this reader "
                "does not decode" % (covered, snap.name) in done.stderr,
                "%s: the reader's stderr does not say the events are only in "
                "the snapshot:\n%s" % (case, done.stderr))
        t.check("events: 0" not in done.stdout, "%s: the reader reports "
                "'events: 0':\n%s" % (case, done.stdout))
        with open(os.path.join(work, case + ".jsonl"), "w",
                  encoding="utf-8") as f:
            t.ctl("export", d, stdout=f)
        again = reader.read_export(os.path.join(work, case + ".jsonl"), pb)
        t.check(again == exported[:covered + want_events],
                "%s: `ledgerctl export` of the copy differs from the "
                "ledger's (%d events, expected %d)" % (
                    case, len(again), covered + want_events))
        print("%s: the reader names events 1-%d as only in %s; export still "
              "prints %d" % (case, covered, snap.name, len(again)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ledgerctl", required=True)
    parser.add_argument("--proto-path", required=True,
                        help="where protoc --python_out put contactledger/v1")
    parser.add_argument("--work", required=True)
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--county-drill",
                        help="the county_drill program, for the snapshot part")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    started = time.time()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    t = Test(os.path.abspath(args.ledgerctl), os.path.abspath(args.proto_path))
    events = log_vs_export(t, args.work, args.persons)
    clean = python_to_cpp(t, args.work, events)
    damage(t, args.work, clean)
    if args.county_drill:
        snapshot(t, args.work, args.county_drill)
    else:
        print("snapshot part skipped: no --county-drill")
    print("python_interop: %s in %.1f s" % (
        "FAILED (%d)" % t.failures if t.failures else "passed",
        time.time() - started))
    return 1 if t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
