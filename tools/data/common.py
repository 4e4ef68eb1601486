"""Helpers shared by the real-data converters and their test.

The converters (convert_sashts.py, convert_kenya.py, convert_invs15.py) turn a
raw data set of tests/data (see tests/data/SOURCES.md) into ledgerctl import
CSVs, and work out from the raw rows, in plain Python and independently of the
library, the answers ledgerctl must give (docs/rules.md). Standard library
only.
"""

import os
from datetime import datetime, timedelta, timezone

DAY = 86400


def csv_field(value):
    """One CSV field as ledgerctl reads and writes it (RFC 4180): quoted, with
    its quotes doubled, when it holds a comma, a quote, a line feed or a
    carriage return; as it is otherwise. None is the empty field.

    (Python's csv.writer with lineterminator="\n" leaves a field holding a
    bare carriage return unquoted, which the ledger's CSV reader rightly
    refuses: a CR outside quotes must start a CR LF line end.)
    """
    value = "" if value is None else str(value)
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def csv_text(header, rows):
    """The CSV text, LF line ends, of a header row and `rows`: what ledgerctl
    prints for them, and what write_csv writes."""
    return "".join(",".join(csv_field(v) for v in row) + "\n"
                   for row in [header] + list(rows))


def write_csv(path, header, rows):
    """Writes csv_text(header, rows) to `path` (UTF-8)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(csv_text(header, rows))


def rfc3339(seconds, tz):
    """An instant (Unix seconds) as RFC 3339 with the zone's offset."""
    return datetime.fromtimestamp(seconds, tz).isoformat()


def civil_day(seconds, tz):
    return datetime.fromtimestamp(seconds, tz).date()


def day_text(day):
    return day.isoformat()


def local_seconds(year, month, day, hour, minute, second, tz):
    return int(datetime(year, month, day, hour, minute, second,
                        tzinfo=tz).timestamp())


def contacts_within(exposures, person, hops, frm, to):
    """Everyone within `hops` exposures of `person` over the exposures
    (a, b, start, end) with start <= to and end >= frm, sorted by hops, then
    id; the person itself left out (tracing.h, Contacts)."""
    neighbours = {}
    for a, b, start, end in exposures:
        if start <= to and end >= frm:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    distance = {person: 0}
    frontier = [person]
    for hop in range(1, hops + 1):
        nxt = []
        for p in frontier:
            for q in sorted(neighbours.get(p, ())):
                if q not in distance:
                    distance[q] = hop
                    nxt.append(q)
        frontier = nxt
    del distance[person]
    return sorted(distance.items(), key=lambda kv: (kv[1], kv[0]))


class Policy:
    """The few policy parameters the real-data checks need (docs/rules.md
    section 9)."""

    def __init__(self, name, household_rule, min_exposure, days, place,
                 placement_deadline=DAY, lookback=2 * DAY):
        self.name = name
        self.household_rule = household_rule
        self.min_exposure = min_exposure
        self.days = days  # total close-contact days (one phase)
        self.place = place  # the one phase's place
        self.placement_deadline = placement_deadline
        self.lookback = lookback


# china-2020 (docs/rules.md §9): 2 d look-back, 14 d centralized, household
# rule, any exposure, placement within 24 h.
CHINA_2020 = Policy("china-2020", True, 0, 14, "centralized")

# A policy file for sensor data: as china-2020, but without the household
# rule and with 15 minutes of cumulative exposure (as cdc-2020), so that the
# sensor contacts alone decide who is a close contact.
SENSOR_15MIN = Policy("sensor-15min", False, 900, 14, "centralized")
SENSOR_15MIN_TEXT = """\
name: "sensor-15min"
lookback { seconds: 172800 }
close_contact_phases { place: QUARANTINE_PLACE_CENTRALIZED days: 14 }
household_rule: false
min_exposure { seconds: 900 }
check_interval { seconds: 43200 }
fever_threshold_celsius: 37.3
placement_deadline { seconds: 86400 }
escalation_deadline { seconds: 7200 }
"""


def trace(at, policy, diagnosis_time, exposures_of, household_of, members,
          tz):
    """docs/rules.md §3-§8 for a ledger with one confirmed diagnosis (no
    onset) per case, no stays, no checks, no passages, no secondary contacts,
    and households without a responsible worker.

    diagnosis_time: case id -> Unix seconds of its one `confirmed` diagnosis.
    exposures_of: person id -> list of (a, b, start, end, sequence).
    household_of: person id -> household id (or None); members: household ->
    sorted person ids.

    Returns (roster rows, loops, sources), where a roster row is
    [person_id, role, source, last_exposure, until, continuous, place] as
    ledgerctl prints it, a loop is (person_id, kind, since), and sources maps a
    contact to {case: pair record}.
    """
    cases = {c: d for c, d in diagnosis_time.items() if d <= at}
    pairs = {}  # (case, person) -> record
    for c, d in cases.items():
        # §3: no onset -> onset = diagnosis time; §5: ws = onset - lookback;
        # no stays -> never removed, we = +inf.
        ws = d - policy.lookback
        for a, b, start, end, seq in exposures_of.get(c, ()):
            if start > at:
                continue  # has not happened yet (§1)
            end = min(end, at)  # runs across `at`: ends there
            if end < ws:  # start < we always holds
                continue
            p = b if a == c else a
            rec = pairs.setdefault((c, p), {
                "overlap": 0, "last": None, "first": None, "exposures": [],
                "household": False})
            rec["overlap"] += max(0, end - max(start, ws))
            rec["last"] = end if rec["last"] is None else max(rec["last"], end)
            first = max(start, ws)
            rec["first"] = first if rec["first"] is None else min(
                rec["first"], first)
            rec["exposures"].append(seq)
        if policy.household_rule and household_of.get(c) is not None and \
                ws <= at:
            for p in members[household_of[c]]:
                if p == c:
                    continue
                rec = pairs.setdefault((c, p), {
                    "overlap": 0, "last": None, "first": None,
                    "exposures": [], "household": False})
                rec["household"] = True

    sources = {}  # contact -> {case: (last, first, continuous, rec)}
    for (c, p), rec in pairs.items():
        if p in cases:
            continue  # a case is not also a contact
        ws = cases[c] - policy.lookback
        entries = []
        if rec["exposures"] and rec["overlap"] >= policy.min_exposure:
            entries.append((rec["last"], rec["first"], False))
        if rec["household"]:
            entries.append((at, ws, True))  # [ws, min(we, at)], continuous
        if not entries:
            continue
        last = max(e[0] for e in entries)
        first = min(e[1] for e in entries)
        continuous = any(e[2] for e in entries)
        sources.setdefault(p, {})[c] = (last, first, continuous, rec)

    roster = []
    loops = []
    at_day = civil_day(at, tz)
    for c in sorted(cases):
        d = cases[c]
        roster.append([c, "case", "", "", "", "", "hospital"])
        # unisolated_case: active, not removed, a day after the diagnosis.
        if at >= d + policy.placement_deadline:
            loops.append((c, "unisolated_case", d + policy.placement_deadline))
        loops.append((c, "no_owner", d))
    for p in sorted(sources):
        by_case = sources[p]
        last = max(v[0] for v in by_case.values())
        source = min(c for c, v in by_case.items() if v[0] == last)
        continuous = any(v[2] for v in by_case.values())
        required_since = min(max(cases[c], v[1]) for c, v in by_case.items())
        if continuous:
            until = ""
        else:
            until_day = civil_day(last, tz) + timedelta(days=policy.days)
            if until_day < at_day:
                continue  # quarantine over: not in the roster
            until = day_text(until_day)
        roster.append([p, "close_contact", source, rfc3339(last, tz), until,
                       "true" if continuous else "false", policy.place])
        if at >= required_since + policy.placement_deadline:
            loops.append((p, "unplaced",
                          required_since + policy.placement_deadline))
        loops.append((p, "no_owner", required_since))

    order = ["unplaced", "unisolated_case", "early_release", "missed_check",
             "fever_not_escalated", "no_owner", "checkpoint_breach",
             "unregistered"]
    loops.sort(key=lambda l: (l[0], order.index(l[1]), l[2]))
    roster.sort(key=lambda r: r[0])
    return roster, [(p, k, rfc3339(s, tz)) for p, k, s in loops], sources


def utc():
    return timezone.utc
