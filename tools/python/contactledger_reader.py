#!/usr/bin/env python3
"""Reads a ContactLedger directory, and ledgerctl exports, from Python.

    contactledger_reader.py [--proto-path DIR] ledger LEDGER_DIR [--jsonl]
    contactledger_reader.py [--proto-path DIR] export FILE.jsonl

`ledger` reads every file of a ledger directory exactly as docs/log_format.md
lays them out (file header, framed records, CRC-32 checks) and decodes the
records of its logs, `contactledger.v1.EventBatch` messages, into
`contactledger.v1.LedgerEvent`s: the logs in the directory and in its
`archive/` (where LogRetention::kArchive moves the logs a snapshot covers),
in the order of their sequence numbers. It prints one line per file, the
events' sequence range and their number per body kind; with --jsonl it prints
the events instead, one protobuf JSON object per line (what `ledgerctl
export` writes, up to representation). `export` reads the JSON Lines
`ledgerctl export` writes and prints the same summary.

A ledger keeps its logs (LogRetention::kKeep, the default, or kArchive), so
the logs hold every event and the reader lists them all. A snapshot
(`N.snapshot`) is the ledger's in-memory columns, not events, and a cache of
what the logs hold: the reader checks and lists its
`contactledger.v1.SnapshotSection`s (name, sections, element count, bytes)
and that its `end` section repeats N, and says which events it covers. A
ledger whose covered logs were removed (LogRetention::kRemove, or a ledger
made before the logs were kept) holds events 1..N only in the snapshot,
which this reader does not decode: it says so on stderr and lists the events
of the logs after it; `ledgerctl export` prints them all.

Needs only the Python standard library and protobuf (Debian:
python3-protobuf), and the modules `protoc --python_out` generates from
proto/contactledger/v1/*.proto: the build puts them in <build>/tools/python;
pass that directory with --proto-path (or set CONTACTLEDGER_PYTHON_PATH).

Exit status: 0 read; 1 a damaged or malformed file (the message names the
file and byte offset); 2 bad usage.

As a module: read_ledger(), read_log_file(), read_snapshot_file(),
read_export(), iter_records() and parse_header() below.
"""

import argparse
import collections
import importlib
import os
import re
import struct
import sys
import zlib

LOG_MAGIC = b"CLEDGLOG"
SNAPSHOT_MAGIC = b"CLEDSNAP"
FORMAT_VERSION = 1
LOG_TYPE = "contactledger.v1.EventBatch"
SNAPSHOT_TYPE = "contactledger.v1.SnapshotSection"
# magic[8] version:u32 base_sequence:u64 type_len:u16
HEADER_FIXED = struct.Struct("<8sIQH")
# length:u32 length_crc:u32 payload_crc:u32
RECORD_HEADER = struct.Struct("<III")
MAX_RECORD_BYTES = 256 << 20
FILE_NAME = re.compile(r"^(\d{20})\.(log|snapshot)$")
ARCHIVE_DIR = "archive"

# The oneof `body` of LedgerEvent, in field order.
BODY_KINDS = ("area", "household", "person", "exposure", "diagnosis",
              "quarantine_action", "health_check", "checkpoint_passage",
              "retraction")


class FormatError(Exception):
    """A file that is damaged or not what docs/log_format.md describes."""

    def __init__(self, path, offset, reason):
        super().__init__("%s: offset %d: %s" % (path, offset, reason))
        self.path = path
        self.offset = offset
        self.reason = reason


def crc32(data):
    """CRC-32 (IEEE), as zlib's crc32 computes it."""
    return zlib.crc32(data) & 0xFFFFFFFF


# ---------------------------------------------------------------------------
# The generated modules.

_pb = None


def load_protos(proto_path=None):
    """Imports the protoc-generated modules; returns a namespace with
    ledger_pb2, storage_pb2 and json_format."""
    global _pb
    if _pb is not None:
        return _pb
    # This script's own directory (sys.path[0] when run as a script) holds
    # tools/python/contactledger, the package's sources without the
    # generated schema: it would hide the built or installed package
    # (contactledger.v1), so it is not searched.
    here = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = [p for p in sys.path
                   if os.path.realpath(p or os.curdir) != here]
    paths = [p for p in (proto_path,
                         os.environ.get("CONTACTLEDGER_PYTHON_PATH")) if p]
    for p in reversed(paths):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        json_format = importlib.import_module("google.protobuf.json_format")
    except ImportError as e:
        raise SystemExit(
            "contactledger_reader: the protobuf module is missing (%s); on "
            "Debian: apt-get install python3-protobuf" % e)
    try:
        ledger_pb2 = importlib.import_module("contactledger.v1.ledger_pb2")
        storage_pb2 = importlib.import_module("contactledger.v1.storage_pb2")
    except ImportError as e:
        raise SystemExit(
            "contactledger_reader: cannot import the generated modules (%s); "
            "build ContactLedger with CMake and pass --proto-path "
            "<build>/tools/python (or generate them with protoc "
            "--python_out=DIR -I proto proto/contactledger/v1/*.proto)" % e)
    _pb = argparse.Namespace(ledger_pb2=ledger_pb2, storage_pb2=storage_pb2,
                             json_format=json_format)
    return _pb


# ---------------------------------------------------------------------------
# The container: file header and framed records (docs/log_format.md).

class Header:
    def __init__(self, magic, version, base_sequence, type_name, size):
        self.magic = magic
        self.version = version
        self.base_sequence = base_sequence
        self.type_name = type_name
        self.size = size  # bytes, checksum included: where records start

    @property
    def kind(self):
        return "log" if self.magic == LOG_MAGIC else "snapshot"


def parse_header(data, path="<file>"):
    """Parses and checks the file header at the start of `data`."""
    if len(data) < HEADER_FIXED.size:
        raise FormatError(path, 0, "file of %d bytes is too short for a header"
                          % len(data))
    magic, version, base_sequence, type_len = HEADER_FIXED.unpack_from(data, 0)
    if magic not in (LOG_MAGIC, SNAPSHOT_MAGIC):
        raise FormatError(path, 0, "wrong magic %r (not a ContactLedger log "
                          "or snapshot)" % bytes(magic))
    end = HEADER_FIXED.size + type_len
    if len(data) < end + 4:
        raise FormatError(path, 0, "header cut off")
    (stored,) = struct.unpack_from("<I", data, end)
    if stored != crc32(data[:end]):
        raise FormatError(path, 0, "header checksum mismatch")
    if version != FORMAT_VERSION:
        raise FormatError(path, 0, "format version %d; this reader reads "
                          "version %d" % (version, FORMAT_VERSION))
    try:
        type_name = bytes(data[HEADER_FIXED.size:end]).decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(path, HEADER_FIXED.size, "type name is not UTF-8")
    expected = LOG_TYPE if magic == LOG_MAGIC else SNAPSHOT_TYPE
    if type_name != expected:
        raise FormatError(path, HEADER_FIXED.size, "payload type %r; a %s "
                          "holds %s" % (type_name, "log" if magic == LOG_MAGIC
                                        else "snapshot", expected))
    return Header(bytes(magic), version, base_sequence, type_name, end + 4)


def iter_records(data, start, path="<file>", tail=None):
    """Yields (offset, payload) for each intact record of `data` from `start`.

    A clean end (docs/log_format.md, "clean end versus corruption": a record
    header or record cut off at the end, a zero-filled tail, a torn last
    record) ends the iteration and, when `tail` is a list, appends
    (offset, bytes, reason) to it. Corruption raises FormatError.
    """
    pos = start
    size = len(data)
    while pos < size:
        left = size - pos
        if left < RECORD_HEADER.size:
            _note(tail, pos, left, "record header cut off at the end")
            return
        length, length_crc, payload_crc = RECORD_HEADER.unpack_from(data, pos)
        if length_crc != crc32(data[pos:pos + 4]):
            if data[pos:].count(0) == left:
                _note(tail, pos, left, "zero-filled tail")
                return
            raise FormatError(path, pos, "record length checksum mismatch")
        if length > MAX_RECORD_BYTES:
            raise FormatError(path, pos, "record length %d exceeds the "
                              "maximum %d" % (length, MAX_RECORD_BYTES))
        body = pos + RECORD_HEADER.size
        if size - body < length:
            _note(tail, pos, left, "record of %d bytes cut off after %d"
                  % (length, size - body))
            return
        payload = data[body:body + length]
        if payload_crc != crc32(payload):
            if body + length == size:
                _note(tail, pos, left, "last record's payload checksum "
                      "mismatch (torn write)")
                return
            raise FormatError(path, pos, "record payload checksum mismatch")
        yield pos, payload
        pos = body + length


def _note(tail, offset, length, reason):
    if tail is not None:
        tail.append((offset, length, reason))


def _read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


# ---------------------------------------------------------------------------
# Files and directories.

class FileInfo:
    """What one file of a ledger directory held."""

    def __init__(self, name, header, size):
        self.name = name
        self.header = header
        self.bytes = size
        self.records = 0
        self.first_sequence = 0  # of its events (logs); 0 when none
        self.last_sequence = 0
        self.tail = []           # (offset, bytes, reason) of a clean end
        self.covered_events = 0  # log events the snapshot holds too
        # Snapshots: name -> [records, element count, data bytes], in order.
        self.sections = collections.OrderedDict()

    @property
    def kind(self):
        return self.header.kind


def read_log_file(path, pb=None, name=None, next_sequence=None,
                  last_record_time=None):
    """Reads one log: returns (FileInfo, [LedgerEvent, ...]).

    Checks what the library checks when it replays a log: each record parses
    as an EventBatch of at least one event; sequence numbers start at the
    header's base sequence (or `next_sequence`, where the previous log ended)
    and follow on without gaps; the events of a batch share one record time;
    record times never decrease.
    """
    pb = pb or load_protos()
    name = name or os.path.basename(path)
    data = _read_bytes(path)
    header = parse_header(data, name)
    if header.kind != "log":
        raise FormatError(name, 0, "a snapshot, not a log")
    info = FileInfo(name, header, len(data))
    expected = header.base_sequence if next_sequence is None else next_sequence
    if expected != header.base_sequence:
        raise FormatError(name, 0, "log starts at sequence %d; the previous "
                          "file ended at %d" % (header.base_sequence,
                                                expected - 1))
    events = []
    last_time = last_record_time
    for offset, payload in iter_records(data, header.size, name, info.tail):
        batch = pb.storage_pb2.EventBatch()
        try:
            batch.ParseFromString(payload)
        except Exception as e:  # google.protobuf.message.DecodeError
            raise FormatError(name, offset, "record does not parse as an "
                              "EventBatch: %s" % e)
        if not batch.events:
            raise FormatError(name, offset, "empty batch")
        info.records += 1
        batch_time = _time_key(batch.events[0].record_time)
        for event in batch.events:
            if event.sequence_number != expected:
                raise FormatError(name, offset, "event sequence number %d; "
                                  "expected %d" % (event.sequence_number,
                                                   expected))
            if event.WhichOneof("body") is None:
                raise FormatError(name, offset, "event %d has no body"
                                  % event.sequence_number)
            if _time_key(event.record_time) != batch_time:
                raise FormatError(name, offset, "event %d: record time "
                                  "differs within its batch"
                                  % event.sequence_number)
            expected += 1
        if last_time is not None and batch_time < last_time:
            raise FormatError(name, offset, "record time goes back")
        last_time = batch_time
        events.extend(batch.events)
    if events:
        info.first_sequence = events[0].sequence_number
        info.last_sequence = events[-1].sequence_number
    return info, events


def read_snapshot_file(path, pb=None, name=None):
    """Reads one snapshot: returns a FileInfo whose `sections` list what it
    holds. Checks every record's framing and that each parses as a
    SnapshotSection; the last must be `end`, repeating the header's sequence
    number as a little-endian u64. The column contents are not interpreted
    (their layout is the library's in-memory one, lib/index/)."""
    pb = pb or load_protos()
    name = name or os.path.basename(path)
    data = _read_bytes(path)
    header = parse_header(data, name)
    if header.kind != "snapshot":
        raise FormatError(name, 0, "a log, not a snapshot")
    info = FileInfo(name, header, len(data))
    last = None
    for offset, payload in iter_records(data, header.size, name, info.tail):
        section = pb.storage_pb2.SnapshotSection()
        try:
            section.ParseFromString(payload)
        except Exception as e:
            raise FormatError(name, offset, "record does not parse as a "
                              "SnapshotSection: %s" % e)
        info.records += 1
        # A column is a header section (name, element count) followed by
        # data sections; a single value is one section.
        entry = info.sections.setdefault(section.name,
                                         [0, section.count, 0])
        entry[0] += 1
        entry[2] += len(section.data)
        last = (offset, section)
    # A snapshot is trusted only whole: any cut-off end is damage.
    if info.tail:
        offset, _, reason = info.tail[0]
        raise FormatError(name, offset, reason + " (a snapshot must be whole)")
    if last is None or last[1].name != "end":
        raise FormatError(name, len(data), "snapshot does not end with its "
                          "'end' section")
    offset, end = last
    if len(end.data) != 8 or struct.unpack("<Q", end.data)[0] != \
            header.base_sequence:
        raise FormatError(name, offset, "'end' section does not repeat the "
                          "header's sequence number %d" % header.base_sequence)
    # It holds every event 1..N (as `ledgerctl verify` counts it).
    if header.base_sequence:
        info.first_sequence = 1
        info.last_sequence = header.base_sequence
    return info


class LedgerContents:
    def __init__(self, directory):
        self.directory = directory
        self.files = []            # FileInfo, the snapshot then the logs
        self.snapshot = None       # FileInfo of the newest snapshot, if any
        self.older_snapshots = []  # names of snapshots a newer one replaces
        self.events = []           # LedgerEvents of the logs, in order
        # (first, last): the events held only in the snapshot, the logs that
        # held them being gone; None when the logs hold every event.
        self.only_in_snapshot = None

    @property
    def snapshot_sequence(self):
        return self.snapshot.header.base_sequence if self.snapshot else 0

    @property
    def last_sequence(self):
        if self.events:
            return self.events[-1].sequence_number
        return self.snapshot_sequence

    def only_in_snapshot_note(self):
        """What to tell a reader of the logs when events are only in the
        snapshot, or None."""
        if self.only_in_snapshot is None:
            return None
        first, last = self.only_in_snapshot
        return ("%s holds events %d-%d only in snapshot %s, which this reader "
                "does not decode (the logs that held them were removed: "
                "LogRetention::kRemove, or a ledger from before logs were "
                "kept); `ledgerctl export %s` prints every event, and a ledger "
                "that keeps its logs (the default, LogRetention::kKeep) keeps "
                "them readable here from now on" % (
                    self.directory, first, last, self.snapshot.name,
                    self.directory))


def _list_logs(directory):
    """(first sequence, name, path) of every log of `directory` and of its
    archive/, in order; a log in both is read from the directory."""
    found = {}
    archive = os.path.join(directory, ARCHIVE_DIR)
    for where, prefix in ((archive, ARCHIVE_DIR + "/"), (directory, "")):
        if not os.path.isdir(where):
            continue
        for name in os.listdir(where):
            m = FILE_NAME.match(name)
            if m and m.group(2) == "log":
                found[int(m.group(1))] = (prefix + name,
                                          os.path.join(where, name))
    return [(first, name, path) for first, (name, path) in
            sorted(found.items())]


def read_ledger(directory, pb=None):
    """Reads a ledger directory without locking or changing it: every log,
    those of archive/ included, in order of its first sequence number, each
    checked against the one before (no gap, record times never going back);
    and the newest snapshot, checked and listed but not decoded. Returns a
    LedgerContents whose `events` are every event of the logs. When the logs
    start after sequence 1, the events before must be in the snapshot
    (`only_in_snapshot`), else it is a gap (FormatError). `*.tmp`, LOCK and
    other files are ignored."""
    pb = pb or load_protos()
    contents = LedgerContents(directory)
    snapshots = []
    for name in sorted(os.listdir(directory)):
        m = FILE_NAME.match(name)
        if m and m.group(2) == "snapshot":
            snapshots.append((int(m.group(1)), name))
    if snapshots:
        snapshots.sort()
        *older, (_, newest) = snapshots
        contents.older_snapshots = [n for _, n in older]
        contents.snapshot = read_snapshot_file(
            os.path.join(directory, newest), pb)
        if contents.snapshot.header.base_sequence != snapshots[-1][0]:
            raise FormatError(newest, 0, "header says sequence %d" %
                              contents.snapshot.header.base_sequence)
        contents.files.append(contents.snapshot)
    covered = contents.snapshot_sequence
    next_sequence = None
    last_time = None
    for number, name, path in _list_logs(directory):
        info, events = read_log_file(path, pb, name=name)
        if info.header.base_sequence != number:
            raise FormatError(name, 0, "header says base sequence %d" %
                              info.header.base_sequence)
        contents.files.append(info)
        info.covered_events = sum(1 for e in events
                                  if e.sequence_number <= covered)
        if not events:
            continue
        first = events[0].sequence_number
        if next_sequence is None:
            # The first events in a log: from 1, or from after events held
            # only in the snapshot.
            if first > 1 and first - 1 <= covered:
                contents.only_in_snapshot = (1, first - 1)
            elif first != 1:
                raise FormatError(name, 0, "the logs start at sequence %d: "
                                  "events 1-%d are in no file (a gap)" % (
                                      first, first - 1))
        elif first != next_sequence:
            raise FormatError(name, 0, "events start at sequence %d; expected "
                              "%d (a gap)" % (first, next_sequence))
        t = _time_key(events[0].record_time)
        if last_time is not None and t < last_time:
            raise FormatError(name, 0, "record time goes back across logs")
        last_time = _time_key(events[-1].record_time)
        next_sequence = events[-1].sequence_number + 1
        contents.events.extend(events)
    if not contents.events and covered:
        contents.only_in_snapshot = (1, covered)
    return contents


def read_export(path, pb=None):
    """Reads the JSON Lines `ledgerctl export` writes: a list of
    LedgerEvents, one per non-blank line. Unknown fields are errors."""
    pb = pb or load_protos()
    events = []
    offset = 0
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            at, offset = offset, offset + len(raw)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise FormatError(path, at, "line %d is not UTF-8: %s"
                                  % (number, e))
            if not line.strip():
                continue
            event = pb.ledger_pb2.LedgerEvent()
            try:
                pb.json_format.Parse(line, event)
            except pb.json_format.ParseError as e:
                raise FormatError(path, at, "line %d is not a LedgerEvent "
                                  "in protobuf JSON: %s" % (number, e))
            events.append(event)
    return events


def event_to_json(event, pb=None):
    """One line of protobuf JSON, as `ledgerctl export` writes it (field names
    as in the .proto)."""
    pb = pb or load_protos()
    return pb.json_format.MessageToJson(
        event, preserving_proto_field_name=True, indent=None,
        ensure_ascii=False)


def count_kinds(events):
    counts = collections.Counter(e.WhichOneof("body") for e in events)
    return collections.OrderedDict((k, counts[k]) for k in BODY_KINDS
                                   if counts[k])


def _time_key(timestamp):
    return (timestamp.seconds, timestamp.nanos)


# ---------------------------------------------------------------------------
# Command line.

def _print_events_summary(events, out):
    if events:
        out.write("events: %d (sequence %d-%d)\n" % (
            len(events), events[0].sequence_number,
            events[-1].sequence_number))
    else:
        out.write("events: 0\n")
    for kind, n in count_kinds(events).items():
        out.write("  %s: %d\n" % (kind, n))


def _print_ledger(contents, out):
    for info in contents.files:
        if info.kind == "snapshot":
            out.write("file %s: snapshot, state as of sequence %d, %d bytes, "
                      "%d records (%d named sections)\n" % (
                          info.name, info.header.base_sequence, info.bytes,
                          info.records, len(info.sections)))
            for name, (n, count, size) in info.sections.items():
                out.write("  section %s: %d record%s, count %d, %d bytes\n" % (
                    name, n, "" if n == 1 else "s", count, size))
        else:
            out.write("file %s: log, base sequence %d, %d bytes, %d records"
                      % (info.name, info.header.base_sequence, info.bytes,
                         info.records))
            if info.first_sequence:
                out.write(", events %d-%d" % (info.first_sequence,
                                               info.last_sequence))
            if info.covered_events:
                out.write(" (%d also in the snapshot)" % info.covered_events)
            out.write("\n")
        for offset, length, reason in info.tail:
            out.write("  cut-off tail at byte %d, %d bytes: %s\n" % (
                offset, length, reason))
    for name in contents.older_snapshots:
        out.write("file %s: an older snapshot, ignored\n" % name)
    if contents.only_in_snapshot is not None:
        first, last = contents.only_in_snapshot
        out.write("events %d-%d: only in the snapshot %s (not decoded here; "
                  "see standard error)\n" % (first, last,
                                               contents.snapshot.name))
    elif contents.snapshot is not None:
        out.write("note: the snapshot %s holds the state as of sequence %d as "
                  "columns; the logs hold those events too, listed here\n"
                  % (contents.snapshot.name, contents.snapshot_sequence))
    if contents.events or contents.only_in_snapshot is None:
        _print_events_summary(contents.events, out)
    out.write("last sequence number: %d\n" % contents.last_sequence)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  contactledger_reader.py --proto-path "
               "build/tools/python ledger county/\n")
    parser.add_argument("--proto-path", help="directory holding the generated "
                        "contactledger/v1/*_pb2.py modules")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ledger", help="read a ledger directory")
    p.add_argument("dir")
    p.add_argument("--jsonl", action="store_true",
                   help="print the logs' events as JSON Lines")
    p = sub.add_parser("export", help="read a `ledgerctl export` file")
    p.add_argument("file")
    args = parser.parse_args(argv)

    pb = load_protos(args.proto_path)
    out = sys.stdout
    try:
        if args.command == "ledger":
            if not os.path.isdir(args.dir):
                parser.error("no ledger directory '%s'" % args.dir)
            contents = read_ledger(args.dir, pb)
            note = contents.only_in_snapshot_note()
            if note is not None:
                sys.stderr.write("contactledger_reader: %s\n" % note)
            if args.jsonl:
                for event in contents.events:
                    out.write(event_to_json(event, pb) + "\n")
            else:
                _print_ledger(contents, out)
        else:
            _print_events_summary(read_export(args.file, pb), out)
    except FormatError as e:
        where = args.dir if args.command == "ledger" else ""
        sys.stderr.write("contactledger_reader: %s%s\n" % (
            where + "/" if where and not os.path.isabs(e.path) else "", e))
        return 1
    except OSError as e:
        sys.stderr.write("contactledger_reader: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
