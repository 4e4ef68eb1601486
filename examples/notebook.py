#!/usr/bin/env python3
"""The county drill's ledger in pandas: roster size and open loops by
township, day by day, as a table and a chart.

    PYTHONPATH=build/tools/python /usr/bin/python3 examples/notebook.py
        [LEDGER_DIR [OUT_DIR]] [--county ID] [--first 2020-01-22]
        [--last 2020-02-08] [--hour 22]

LEDGER_DIR defaults to drill-output/ledger (bash scripts/run-example.sh
writes it), OUT_DIR to drill-output. Opens the ledger read-only (a drill or
another writer may have it open), asks the library for the county's
roll-up by township at HOUR o'clock (in the ledger's zone) of each day, and
writes OUT_DIR/township_by_day.csv (one row per day and township: day,
area_id, name, roster, open_loops) and OUT_DIR/township_by_day.png (two
charts: roster size and open loops per day, one line per township with the
most). It is plain Python, so it reads as a notebook would: run it cell by
cell in Jupyter if you prefer. Needs the package contactledger (build it:
README "From Python"), pandas and matplotlib (Debian python3-pandas,
python3-matplotlib).
"""

import argparse
import datetime
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import contactledger  # noqa: E402
from contactledger.v1 import ledger_pb2  # noqa: E402

# Townships drawn with a line of their own; the rest are summed as "other".
LINES = 8


def find_county(ledger):
    """The first county-level area recorded (the drill and `ledgerctl
    generate` record the area tree first)."""
    for sequence in range(1, min(ledger.last_sequence_number, 10000) + 1):
        event = ledger.get_event(sequence)
        if (event.WhichOneof("body") == "area"
                and event.area.level == ledger_pb2.AREA_LEVEL_COUNTY):
            return event.area.id
    sys.exit("notebook: no county area among the first events; pass --county")


def township_table(ledger, county, days, hour, policy):
    """One row per day and child area of the county: roster size and open
    loops, as the library's roll-up counts them."""
    frames = []
    for day in days:
        # HOUR:00 of the day in the ledger's zone (docs/rules.md section 1).
        moment = ledger.local_datetime(day, hour)
        rollup = ledger.rollup(county, at=moment, policy=policy).to_pandas()
        rollup.insert(0, "day", day)
        frames.append(rollup[["day", "area_id", "name", "roster",
                              "open_loops"]])
    return pd.concat(frames, ignore_index=True)


def chart(table, path):
    """Roster size and open loops per day, a line per leading township."""
    figure, axes = plt.subplots(2, 1, figsize=(11, 8), sharex=True)
    for ax, column, title in ((axes[0], "roster", "Roster size"),
                              (axes[1], "open_loops", "Open loops")):
        wide = table.pivot(index="day", columns="area_id", values=column)
        totals = wide.sum()
        leading = totals[totals > 0].sort_values(
            ascending=False).index[:LINES]
        for area_id in leading:
            ax.plot(wide.index, wide[area_id], marker="o", label=area_id)
        rest = wide.drop(columns=leading).sum(axis=1)
        if len(wide.columns) > len(leading):
            ax.plot(wide.index, rest, linestyle="--", color="grey",
                    label="other")
        ax.set_title("%s by township at the evening report" % title)
        ax.set_ylabel(title.lower())
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small", ncol=3)
    axes[1].set_xlabel("day")
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", nargs="?", default="drill-output/ledger")
    parser.add_argument("out", nargs="?", default="drill-output")
    parser.add_argument("--county", help="the county's area id (default: "
                        "the first county recorded)")
    parser.add_argument("--first", default="2020-01-22",
                        type=datetime.date.fromisoformat)
    parser.add_argument("--last", default="2020-02-08",
                        type=datetime.date.fromisoformat)
    parser.add_argument("--hour", default=22, type=int)
    parser.add_argument("--policy", default="china-2020")
    args = parser.parse_args(argv)

    days = [args.first + datetime.timedelta(days=i)
            for i in range((args.last - args.first).days + 1)]
    with contactledger.open(args.ledger, read_only=True) as ledger:
        county = args.county or find_county(ledger)
        table = township_table(ledger, county, days, args.hour, args.policy)

    os.makedirs(args.out, exist_ok=True)
    csv_path = os.path.join(args.out, "township_by_day.csv")
    png_path = os.path.join(args.out, "township_by_day.png")
    table.to_csv(csv_path, index=False)
    chart(table, png_path)

    with pd.option_context("display.width", 200, "display.max_rows", 100,
                           "display.max_columns", 30):
        print("County %s, at %02d:00 each day, policy %s" % (
            county, args.hour, args.policy))
        totals = table.groupby("day")[["roster", "open_loops"]].sum()
        print("\nThe county per day:\n%s" % totals.to_string())
        for column, title in (("roster", "Roster size"),
                              ("open_loops", "Open loops")):
            wide = table.pivot(index="day", columns="area_id", values=column)
            wide = wide.loc[:, wide.sum() > 0]  # townships with any
            print("\n%s by township (those with any):\n%s" % (
                title, wide.to_string()))
    print("\nwrote %s (%d rows) and %s" % (csv_path, len(table), png_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
