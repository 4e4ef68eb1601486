"""The package and ledgerctl on the same directory (a county made by
`ledgerctl generate`): the roster and the open loops must be the same,
row for row and field for field, at several moments and under several
policies, and as known at an earlier sequence number."""

import datetime

import contactledger
from conftest import CST, ledgerctl_csv, loop_rows, roster_rows

MOMENTS = [datetime.datetime(2020, 1, 28, 9, tzinfo=CST),
           datetime.datetime(2020, 2, 1, 22, tzinfo=CST),
           datetime.datetime(2020, 2, 8, 21, tzinfo=CST)]


def test_roster_and_loops_equal_ledgerctl(ledgerctl, county_dir):
    with contactledger.open(county_dir, read_only=True) as ledger:
        assert ledger.time_zone.endswith("Shanghai")
        sizes = []
        for moment in MOMENTS:
            for policy in ("china-2020", "cdc-2020"):
                rows = ledger.roster(at=moment, policy=policy)
                want = ledgerctl_csv(ledgerctl, "roster", county_dir, moment,
                                     policy)
                assert roster_rows(rows) == want, (moment, policy)
                loops = ledger.open_loops(at=moment, policy=policy)
                want = ledgerctl_csv(ledgerctl, "loops", county_dir, moment,
                                     policy)
                assert loop_rows(loops) == want, (moment, policy)
                sizes.append(len(rows))
        assert max(sizes) > 10  # the county has cases and contacts


def test_to_pandas_on_a_county(county_dir):
    with contactledger.open(county_dir, read_only=True) as ledger:
        rows = ledger.roster(at=MOMENTS[1])
        table = rows.to_pandas()
        assert len(table) == len(rows)
        assert table["role"].value_counts()["case"] == sum(
            1 for r in rows if r.role == "case")
        # Aware datetimes become a zoned datetime column.
        assert str(table["required_since"].dt.tz) in ("UTC+08:00",
                                                      "Asia/Shanghai")
