#!/usr/bin/env python3
"""SA-S-HTS household transmission data -> ledgerctl CSVs, and the answers.

Data: tests/data/sashts-za-households-covid/sashts_data.zip (CC0), the
South African SARS-CoV-2 Household Transmission Study's proximity sensors.
Cite Kleynhans et al., eLife 12:e84753 (2023). See tests/data/SOURCES.md.

    python3 tools/data/convert_sashts.py tests/data OUT_DIR

writes OUT_DIR/{areas,households,persons,exposures,diagnoses}.csv.

Mapping (ledger time zone Africa/Johannesburg, SAST = UTC+2, no DST):
  areas       county "sashts"; one township per site ("klerksdorp",
              "soweto")
  households  one per `hhid`, in its site's township; no responsible worker
              (the data name none, so every roster member is a no_owner loop)
  persons     one per metadata row: id = `indid`, household = `hhid`, tags
              "index"/"contact", "sars-positive"/"sars-negative", "age-<grp>",
              "sex-<f|m>"
  exposures   one per contact event with a real clock (`no_ts` = 0): the
              network lists each event twice (indid1/indid2 swapped; checked
              below), we keep the row with indid1 < indid2. start = `t`
              (a local SAST time: "date and time of close proximity event"),
              end = t + duration_sec; setting household. The 45,050 rows with
              no_ts = 1 (Klerksdorp sensors without a clock, `t` from
              1970-01-01) are left out: their times are only relative.
  diagnoses   each index case: `confirmed`, no onset, at 00:00 of the earliest
              day a sensor of the household was deployed (`deployed1`,
              `deployed2`): sensors went out after SARS-CoV-2 was found in the
              household, so the index case was confirmed by then. The data
              give no dates for the contacts' infections: they get no
              diagnosis.
"""

import csv
import io
import os
import sys
import zipfile
from datetime import date, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

NAME = "sashts"
ZONE = "Africa/Johannesburg"
TZ = timezone(timedelta(hours=2))
COUNTY = "sashts"
# Moments the roster and loops are checked at (local SAST noon): during the
# first households' deployments, in mid-study, and late.
ATS = [
    common.local_seconds(2020, 12, 1, 12, 0, 0, TZ),
    common.local_seconds(2021, 2, 15, 12, 0, 0, TZ),
    common.local_seconds(2021, 7, 20, 12, 0, 0, TZ),
]


def _rows(z, name):
    with z.open(name) as f:
        return list(csv.DictReader(io.TextIOWrapper(f, encoding="utf-8",
                                                    newline="")))


def load(data_dir):
    path = os.path.join(data_dir, "sashts-za-households-covid",
                        "sashts_data.zip")
    with zipfile.ZipFile(path) as z:
        meta = _rows(z, "sashts_metadata.csv")
        net = _rows(z, "sashts_contact_network.csv")
    assert len(meta) == 340 and len(net) == 140542, (len(meta), len(net))

    persons = {}
    for r in meta:
        persons[r["indid"]] = r
    households = {}
    for r in meta:
        households.setdefault(r["hhid"], r["site"])

    # Each event twice, both directions: check, then keep indid1 < indid2.
    timed = [r for r in net if r["no_ts"] == "0"]
    key = lambda r, a, b: (r["t"], r["duration_sec"], r[a], r[b])
    forward = {}
    for r in timed:
        forward[key(r, "indid1", "indid2")] = \
            forward.get(key(r, "indid1", "indid2"), 0) + 1
    for r in timed:
        assert forward.get(key(r, "indid2", "indid1")) == \
            forward[key(r, "indid1", "indid2")], r
    exposures = []
    for r in timed:
        if r["indid1"] < r["indid2"]:
            d, t = r["t"].split(" ")
            y, mo, da = (int(x) for x in d.split("-"))
            h, mi, s = (int(x) for x in t.split(":"))
            start = common.local_seconds(y, mo, da, h, mi, s, TZ)
            exposures.append((r["indid1"], r["indid2"], start,
                              start + int(r["duration_sec"])))
    assert len(exposures) * 2 == len(timed)

    # The earliest deployment day per household.
    deployed = {}
    for r in net:
        for col in ("deployed1", "deployed2"):
            day = date.fromisoformat(r[col])
            if r["hh"] not in deployed or day < deployed[r["hh"]]:
                deployed[r["hh"]] = day
    diagnoses = {}
    for pid, r in persons.items():
        if r["index"] == "Index":
            day = deployed[r["hhid"]]
            diagnoses[pid] = common.local_seconds(day.year, day.month,
                                                  day.day, 0, 0, 0, TZ)
    return {"persons": persons, "households": households,
            "exposures": exposures, "diagnoses": diagnoses}


def site_area(site):
    return site.lower()


def write(raw, out_dir):
    """Writes the CSVs; returns [(kind, path)] in import order."""
    files = []

    def out(kind, header, rows):
        path = os.path.join(out_dir, kind + ".csv")
        common.write_csv(path, header, rows)
        files.append((kind, path))

    sites = sorted(set(raw["households"].values()))
    out("areas", ["area_id", "parent_id", "level", "name"],
        [[COUNTY, "", "county", "SA-S-HTS households, South Africa"]] +
        [[site_area(s), COUNTY, "township", s] for s in sites])
    out("households", ["household_id", "area_id", "address",
                       "responsible_worker"],
        [[h, site_area(s), "", ""] for h, s in
         sorted(raw["households"].items())])
    rows = []
    for pid in sorted(raw["persons"]):
        r = raw["persons"][pid]
        tags = [r["index"].lower(), "sars-" + r["sars"].lower(),
                "age-" + r["agegrp9"].replace(">=", "ge").replace("<", "lt"),
                "sex-" + r["sex"][:1].lower()]
        rows.append([pid, r["hhid"], ";".join(tags)])
    out("persons", ["person_id", "household_id", "tags"], rows)
    out("exposures", ["person_a", "person_b", "start", "end", "setting"],
        [[a, b, common.rfc3339(s, TZ), common.rfc3339(e, TZ), "household"]
         for a, b, s, e in raw["exposures"]])
    out("diagnoses", ["person_id", "status", "onset", "time"],
        [[p, "confirmed", "", common.rfc3339(t, TZ)]
         for p, t in sorted(raw["diagnoses"].items())])
    return files


def checks(raw, first_exposure_sequence, policy_file):
    """The ledgerctl commands to run and what each must print, worked out
    from the raw rows. `first_exposure_sequence` is the sequence number of
    the first exposure recorded (import order = CSV order)."""
    persons = raw["persons"]
    household_of = {p: r["hhid"] for p, r in persons.items()}
    members = {}
    for p in sorted(persons):
        members.setdefault(household_of[p], []).append(p)
    exposures = [(a, b, s, e, first_exposure_sequence + i)
                 for i, (a, b, s, e) in enumerate(raw["exposures"])]
    exposures_of = {}
    for x in exposures:
        exposures_of.setdefault(x[0], []).append(x)
        exposures_of.setdefault(x[1], []).append(x)
    site_of = {p: raw["households"][household_of[p]] for p in persons}

    out = []
    for policy, flag in ((common.CHINA_2020, "china-2020"),
                         (common.SENSOR_15MIN, policy_file)):
        for at in ATS:
            roster, loops, sources = common.trace(
                at, policy, raw["diagnoses"], exposures_of, household_of,
                members, TZ)
            at_text = common.rfc3339(at, TZ)
            base = ["--at", at_text, "--policy", flag]
            out.append({
                "name": "roster %s %s" % (policy.name, at_text),
                "args": ["roster"] + base,
                "stdout": common.csv_text(
                    ["person_id", "role", "source", "last_exposure", "until",
                     "continuous", "place"], roster),
                "summary": "%d cases, %d contacts" % (
                    sum(r[1] == "case" for r in roster),
                    sum(r[1] != "case" for r in roster)),
            })
            out.append({
                "name": "loops %s %s" % (policy.name, at_text),
                "args": ["loops"] + base,
                "loops": loops,
                "summary": "%d loops" % len(loops),
            })
            # Roll-up by site.
            kinds = ["unplaced", "unisolated_case", "early_release",
                     "missed_check", "fever_not_escalated", "no_owner",
                     "checkpoint_breach", "unregistered"]
            rows = []
            for site in sorted(set(site_of.values())):
                in_site = [p for p in persons if site_of[p] == site]
                roles = {r[0]: r[1] for r in roster}
                counts = {k: 0 for k in kinds}
                for p, k, _ in loops:
                    if site_of.get(p) == site:
                        counts[k] += 1
                rows.append(
                    [site_area(site), site, len(in_site),
                     sum(1 for s in raw["households"].values() if s == site),
                     sum(1 for p in in_site if roles.get(p) == "case"),
                     sum(1 for p in in_site
                         if roles.get(p) == "close_contact"),
                     0, 0, 0, 0] + [counts[k] for k in kinds] + [0])
            out.append({
                "name": "rollup %s %s" % (policy.name, at_text),
                "args": ["rollup", "--area", COUNTY] + base,
                "stdout": common.csv_text(
                    ["area_id", "name", "persons", "households",
                     "active_cases", "close_contacts", "secondary_contacts",
                     "in_hospital", "in_centralized", "at_home"] + kinds +
                    ["checks_last_24h"], rows),
            })
            # Explain the sensor-policy contact with the most qualifying
            # exposures: its source, exposures (sequence numbers), first
            # moment, last exposure and overlap.
            if policy is common.SENSOR_15MIN:
                in_roster = [r for r in roster if r[1] == "close_contact"]
                if in_roster:
                    def weight(r):
                        return len(sources[r[0]][r[2]][3]["exposures"])
                    row = max(in_roster, key=lambda r: (weight(r), r[0]))
                    p, c = row[0], row[2]
                    last, first, _, rec = sources[p][c]
                    out.append({
                        "name": "explain %s %s" % (p, at_text),
                        "args": ["explain", "--person", p, "--format", "csv"]
                        + base,
                        "explain": [p, "true", "close_contact", c, "exposure",
                                    sorted(rec["exposures"]),
                                    common.rfc3339(first, TZ),
                                    common.rfc3339(last, TZ),
                                    str(rec["overlap"]), "false", row[4]],
                        "summary": "%d exposures" % len(rec["exposures"]),
                    })

    # Contacts: every index case with timed exposures, over its household's
    # first three days of sensors (1 hop) and the whole study (2 hops).
    plain = [(a, b, s, e) for a, b, s, e in raw["exposures"]]
    first_seen = {}
    for a, b, s, e in plain:
        for p in (a, b):
            first_seen[p] = min(first_seen.get(p, s), s)
    study = (min(s for _, _, s, _ in plain), max(e for _, _, _, e in plain))
    chosen = [p for p in sorted(raw["diagnoses"]) if p in first_seen][::9]
    chosen += [p for p in sorted(first_seen) if p not in raw["diagnoses"]][:3]
    for p in chosen:
        day0 = common.civil_day(first_seen[p], TZ)
        frm = common.local_seconds(day0.year, day0.month, day0.day, 0, 0, 0,
                                   TZ)
        for hops, window in ((1, (frm, frm + 3 * common.DAY)), (2, study)):
            found = common.contacts_within(plain, p, hops, *window)
            out.append({
                "name": "contacts %s %d" % (p, hops),
                "args": ["contacts", "--person", p, "--hops", str(hops),
                         "--from", common.rfc3339(window[0], TZ),
                         "--to", common.rfc3339(window[1], TZ)],
                "stdout": common.csv_text(["person_id", "hops"], found),
                "summary": "%d contacts" % len(found),
            })
    return out


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    files = write(load(argv[1]), argv[2])
    for kind, path in files:
        print(kind, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
