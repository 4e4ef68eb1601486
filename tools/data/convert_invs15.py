#!/usr/bin/env python3
"""SocioPatterns workplace InVS15 -> ledgerctl CSVs, and the answers.

Data: tests/data/sociopatterns-workplace-invs15/ (CC0): contacts in an
office building in France, 2015, second deployment. Cite M. Genois and
A. Barrat, EPJ Data Science 7:11 (2018). See tests/data/SOURCES.md.

    python3 tools/data/convert_invs15.py tests/data OUT_DIR

writes OUT_DIR/{areas,persons,exposures}.csv.

Mapping (ledger time zone UTC), as tests/real_data_test.cc:
  areas      county "invs15"; one township per department, id = its name
  persons    one per metadata row (232; 15 have no contact), id = the sensor
             id, area = the department
  exposures  one per "t i j" row: i and j were in contact during
             [t - 20 s, t], t in seconds from the study start, which the data
             do not date: we take 2015-06-22 00:00:00 UTC (a Monday; the rows
             then fall on weekdays only). Setting work.
There are no diagnoses: the roster and the open loops are empty; the checks
are contacts over exposures and the department roll-up.
"""

import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

NAME = "invs15"
ZONE = "UTC"
TZ = common.utc()
COUNTY = "invs15"
STUDY_START = 1434931200  # 2015-06-22T00:00:00Z


def load(data_dir):
    base = os.path.join(data_dir, "sociopatterns-workplace-invs15")
    exposures = []
    with gzip.open(os.path.join(base, "workplace_InVS15_tij.dat.gz"), "rt",
                   encoding="ascii") as f:
        for line in f:
            t, i, j = line.split()
            end = STUDY_START + int(t)
            exposures.append((i, j, end - 20, end))
    departments = {}
    with open(os.path.join(base, "workplace_InVS15_metadata.txt"),
              encoding="ascii") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                i, department = line.split("\t")
                departments[i] = department
    assert len(exposures) == 78249 and len(departments) == 232
    return {"exposures": exposures, "departments": departments}


def write(raw, out_dir):
    files = []

    def out(kind, header, rows):
        path = os.path.join(out_dir, kind + ".csv")
        common.write_csv(path, header, rows)
        files.append((kind, path))

    names = sorted(set(raw["departments"].values()))
    out("areas", ["area_id", "parent_id", "level", "name"],
        [[COUNTY, "", "county", "InVS15 workplace (SocioPatterns)"]] +
        [[d, COUNTY, "township", "Department " + d] for d in names])
    out("persons", ["person_id", "area_id"],
        sorted(([i, d] for i, d in raw["departments"].items()),
               key=lambda r: int(r[0])))
    out("exposures", ["person_a", "person_b", "start", "end", "setting"],
        [[i, j, common.rfc3339(s, TZ), common.rfc3339(e, TZ), "work"]
         for i, j, s, e in raw["exposures"]])
    return files


def checks(raw, first_exposure_sequence, policy_file):
    del first_exposure_sequence, policy_file  # no cases here
    out = []
    at = common.rfc3339(STUDY_START + 3 * common.DAY + 12 * 3600, TZ)
    out.append({"name": "roster (no cases)", "args": ["roster", "--at", at],
                "stdout": "person_id,role,source,last_exposure,until,"
                          "continuous,place\n"})
    out.append({"name": "loops (no cases, all registered)",
                "args": ["loops", "--at", at], "loops": []})
    kinds = ["unplaced", "unisolated_case", "early_release", "missed_check",
             "fever_not_escalated", "no_owner", "checkpoint_breach",
             "unregistered"]
    rows = []
    for d in sorted(set(raw["departments"].values())):
        persons = sum(1 for v in raw["departments"].values() if v == d)
        rows.append([d, "Department " + d, persons] + [0] * 7 +
                    [0] * len(kinds) + [0])
    out.append({
        "name": "rollup by department",
        "args": ["rollup", "--area", COUNTY, "--at", at],
        "stdout": common.csv_text(
            ["area_id", "name", "persons", "households", "active_cases",
             "close_contacts", "secondary_contacts", "in_hospital",
             "in_centralized", "at_home"] + kinds + ["checks_last_24h"],
            rows),
    })
    # Every 20th person (by id) with contacts: day 1 (1 hop), days 0-4
    # (1 and 2 hops).
    plain = raw["exposures"]
    ids = sorted({p for x in plain for p in x[:2]}, key=int)
    for p in ids[::20]:
        for hops, frm, to in ((1, 1, 2), (1, 0, 5), (2, 0, 5)):
            window = (STUDY_START + frm * common.DAY,
                      STUDY_START + to * common.DAY)
            found = common.contacts_within(plain, p, hops, *window)
            out.append({
                "name": "contacts %s %d days %d-%d" % (p, hops, frm, to),
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
