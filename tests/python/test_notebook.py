"""examples/notebook.py on a small county made by `ledgerctl generate`:
its table holds, for every day and township, the roster size and open
loops that `ledgerctl rollup` reports, and its chart is a real PNG."""

import csv
import io
import os
import subprocess
import sys

import pandas as pd

from conftest import fresh_dir, run

DAYS = ["2020-01-30", "2020-01-31", "2020-02-01", "2020-02-02"]
LOOP_KINDS = ["unplaced", "unisolated_case", "early_release", "missed_check",
              "fever_not_escalated", "no_owner", "checkpoint_breach",
              "unregistered"]


def test_notebook(ledgerctl, county_dir, work_dir):
    out = fresh_dir(work_dir, "notebook")
    script = os.path.join(os.environ["CONTACTLEDGER_SOURCE_DIR"], "examples",
                          "notebook.py")
    done = subprocess.run(
        [sys.executable, script, county_dir, out, "--first", DAYS[0],
         "--last", DAYS[-1]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Roster size by township" in done.stdout
    assert "Open loops by township" in done.stdout
    assert "wrote " in done.stdout

    with open(os.path.join(out, "township_by_day.png"), "rb") as png:
        data = png.read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10000

    table = pd.read_csv(os.path.join(out, "township_by_day.csv"))
    assert list(table.columns) == ["day", "area_id", "name", "roster",
                                   "open_loops"]
    assert sorted(set(table["day"])) == DAYS
    assert table["roster"].sum() > 0 and table["open_loops"].sum() > 0

    # Every row against ledgerctl's roll-up of the county at 22:00 that day.
    county = table_county(ledgerctl, county_dir)
    for day in DAYS:
        text = run([ledgerctl, "rollup", county_dir, "--area", county,
                    "--at", day + "T22:00:00+08:00", "--format", "csv"])
        want = {}
        for row in csv.DictReader(io.StringIO(text)):
            want[row["area_id"]] = (
                int(row["active_cases"]) + int(row["close_contacts"])
                + int(row["secondary_contacts"]),
                sum(int(row[k]) for k in LOOP_KINDS))
        got = {r.area_id: (r.roster, r.open_loops)
               for r in table[table["day"] == day].itertuples()}
        assert got == want, day


def table_county(ledgerctl, county_dir):
    """The county's id, from `ledgerctl show` of event 1 (the generator
    records the county first)."""
    text = run([ledgerctl, "export", county_dir])
    first = text.splitlines()[0]
    import json
    event = json.loads(first)
    assert event["area"]["level"] == "AREA_LEVEL_COUNTY"
    return event["area"]["id"]
