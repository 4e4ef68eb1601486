#!/usr/bin/env python3
"""SocioPatterns Kilifi households -> ledgerctl CSVs, and the answers.

Data: tests/data/sociopatterns-kenya-households/
scc2034_household_contact_dataset.zip (CC0): proximity sensors in 5 rural
households, Kilifi, Kenya, 2012. Cite Kiti et al., EPJ Data Science 5:21
(2016). See tests/data/SOURCES.md and scc2034_variables_dictionary.txt.

    python3 tools/data/convert_kenya.py tests/data OUT_DIR

writes OUT_DIR/{areas,households,persons,exposures}.csv.

Mapping (ledger time zone Africa/Nairobi, EAT = UTC+3, no DST):
  areas       county "kilifi"
  households  one per household letter (L, F, E, B, H), in "kilifi"
  persons     one per (household, member): id "<letter>-<member>", e.g. "E-2";
              tags "age-group-<0..4>", "sex-<f|m>"
  exposures   one per row of both files (the within-household file lists
              each contact once, in either direction; `__MACOSX/` entries are
              skipped). The data give a day (1-3) and the hour whose interval
              holds the contact (hour h = from h-1 to h o'clock), not the
              moment: start = day's date at h-1:00 local, end = start +
              duration. The dates per household are those of the dictionary
              (L 25-27 April, F 26-28 April, E 27-29 April, B 3-5 May, H 9-11
              May 2012). For a contact across households the dictionary does
              not say whose calendar `day` counts in; we take h1's. Setting
              household (within) or other (across).
There are no diagnoses: the roster and the open loops are empty, and the
checks are contacts over exposures.
"""

import csv
import io
import os
import sys
import zipfile
from datetime import date, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

NAME = "kenya"
ZONE = "Africa/Nairobi"
TZ = timezone(timedelta(hours=3))
COUNTY = "kilifi"
FIRST_DAY = {
    "L": date(2012, 4, 25),
    "F": date(2012, 4, 26),
    "E": date(2012, 4, 27),
    "B": date(2012, 5, 3),
    "H": date(2012, 5, 9),
}
FILES = [
    ("scc2034_kilifi_all_contacts_within_households.csv", "household"),
    ("scc2034_kilifi_all_contacts_across_households.csv", "other"),
]


def load(data_dir):
    path = os.path.join(data_dir, "sociopatterns-kenya-households",
                        "scc2034_household_contact_dataset.zip")
    persons = {}  # id -> (household, age group, sex)
    exposures = []  # (a, b, start, end, setting)
    with zipfile.ZipFile(path) as z:
        for name, setting in FILES:
            with z.open(name) as f:
                rows = list(csv.DictReader(
                    io.TextIOWrapper(f, encoding="utf-8", newline="")))
            for r in rows:
                a = "%s-%s" % (r["h1"], r["m1"])
                b = "%s-%s" % (r["h2"], r["m2"])
                persons[a] = (r["h1"], r["age1"], r["sex1"])
                persons[b] = (r["h2"], r["age2"], r["sex2"])
                day = FIRST_DAY[r["h1"]] + timedelta(days=int(r["day"]) - 1)
                start = common.local_seconds(day.year, day.month, day.day,
                                             int(r["hour"]) - 1, 0, 0, TZ)
                exposures.append((a, b, start, start + int(r["duration"]),
                                  setting))
    assert len(persons) == 75, len(persons)
    assert len(exposures) == 32425 + 218, len(exposures)
    return {"persons": persons, "exposures": exposures}


def write(raw, out_dir):
    files = []

    def out(kind, header, rows):
        path = os.path.join(out_dir, kind + ".csv")
        common.write_csv(path, header, rows)
        files.append((kind, path))

    out("areas", ["area_id", "level", "name"],
        [[COUNTY, "county", "Kilifi households (SocioPatterns)"]])
    out("households", ["household_id", "area_id", "address"],
        [[h, COUNTY, "household %s" % h] for h in sorted(FIRST_DAY)])
    out("persons", ["person_id", "household_id", "tags"],
        [[p, h, "age-group-%s;sex-%s" % (age, sex.lower())]
         for p, (h, age, sex) in sorted(raw["persons"].items())])
    out("exposures", ["person_a", "person_b", "start", "end", "setting"],
        [[a, b, common.rfc3339(s, TZ), common.rfc3339(e, TZ), setting]
         for a, b, s, e, setting in raw["exposures"]])
    return files


def checks(raw, first_exposure_sequence, policy_file):
    del first_exposure_sequence, policy_file  # no cases here
    plain = [(a, b, s, e) for a, b, s, e, _ in raw["exposures"]]
    study_from = common.local_seconds(2012, 4, 25, 0, 0, 0, TZ)
    study_to = common.local_seconds(2012, 5, 12, 0, 0, 0, TZ)
    out = []
    at = common.rfc3339(common.local_seconds(2012, 4, 28, 12, 0, 0, TZ), TZ)
    out.append({"name": "roster (no cases)", "args": ["roster", "--at", at],
                "stdout": "person_id,role,source,last_exposure,until,"
                          "continuous,place\n"})
    out.append({"name": "loops (no cases, all registered)",
                "args": ["loops", "--at", at], "loops": []})
    # Two members of each household, over the household's second day
    # (1 hop), over the whole study (1 and 2 hops); E-23 also has contacts
    # across households.
    chosen = []
    for h in sorted(FIRST_DAY):
        chosen += sorted(p for p in raw["persons"]
                         if raw["persons"][p][0] == h)[:2]
    chosen.append("E-23")
    for p in chosen:
        day2 = FIRST_DAY[raw["persons"][p][0]] + timedelta(days=1)
        frm = common.local_seconds(day2.year, day2.month, day2.day, 0, 0, 0,
                                   TZ)
        for hops, window in ((1, (frm, frm + common.DAY - 1)),
                             (1, (study_from, study_to)),
                             (2, (study_from, study_to))):
            found = common.contacts_within(plain, p, hops, *window)
            out.append({
                "name": "contacts %s %d %s" % (p, hops,
                                               common.rfc3339(window[0], TZ)),
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
    for kind, path in write(load(argv[1]), argv[2]):
        print(kind, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
