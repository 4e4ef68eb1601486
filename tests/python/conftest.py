"""Shared fixtures of the Python package's tests (tests/python).

CTest runs each test_*.py with pytest and PYTHONPATH=<build>/tools/python
(the package as the build tree holds it), CONTACTLEDGER_LEDGERCTL (ledgerctl
in the same build), CONTACTLEDGER_TEST_WORK (a scratch directory) and
CONTACTLEDGER_SOURCE_DIR (this repository), as tools/python/CMakeLists.txt
sets them.
"""

import csv
import datetime
import io
import os
import shutil
import subprocess

import pytest

import contactledger

UTC = datetime.timezone.utc
CST = datetime.timezone(datetime.timedelta(hours=8))


def at(month, day, hour=0, minute=0, zone=UTC):
    """An instant in 2020."""
    return datetime.datetime(2020, month, day, hour, minute, tzinfo=zone)


def stamp(moment):
    """A protobuf Timestamp in JSON form."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def exposure(a, b, start, end):
    return {"exposure": {"personA": a, "personB": b, "start": stamp(start),
                         "end": stamp(end),
                         "setting": "EXPOSURE_SETTING_HOUSEHOLD"}}


def scenario_events():
    """The world of tests/tracing_scenario_test.cc, event for event (so the
    sequence numbers are the same: the p1-p3 exposure is event 7).

    UTC. County c > township t > village v; household h1 (no responsible
    worker) with p1 and p2. p1 confirmed 2020-01-24 10:00 with onset
    2020-01-22. Exposures p1-p3 01-21 08-09, p1-p4 01-19 08-09, p3-p5 01-22
    08-09. p3: a 38.0 degree check 01-24 11:00, a centralized stay from
    12:00. p2 passes the gate 01-24 15:00. p3, p4, p5 are unregistered."""
    return [
        {"area": {"id": "c", "level": "AREA_LEVEL_COUNTY"}},
        {"area": {"id": "t", "level": "AREA_LEVEL_TOWNSHIP", "parentId": "c"}},
        {"area": {"id": "v", "level": "AREA_LEVEL_VILLAGE", "parentId": "t"}},
        {"household": {"id": "h1", "areaId": "v"}},
        {"person": {"id": "p1", "householdId": "h1"}},
        {"person": {"id": "p2", "householdId": "h1"}},
        exposure("p1", "p3", at(1, 21, 8), at(1, 21, 9)),
        exposure("p1", "p4", at(1, 19, 8), at(1, 19, 9)),
        {"diagnosis": {"personId": "p1", "status": "DIAGNOSIS_STATUS_CONFIRMED",
                       "onset": {"year": 2020, "month": 1, "day": 22},
                       "time": stamp(at(1, 24, 10))}},
        exposure("p3", "p5", at(1, 22, 8), at(1, 22, 9)),
        {"healthCheck": {"personId": "p3", "time": stamp(at(1, 24, 11)),
                         "temperatureCelsius": 38.0}},
        {"quarantineAction": {"personId": "p3",
                              "action": "QUARANTINE_ACTION_KIND_START",
                              "place": "QUARANTINE_PLACE_CENTRALIZED",
                              "time": stamp(at(1, 24, 12))}},
        {"checkpointPassage": {"personId": "p2", "checkpointId": "gate",
                               "time": stamp(at(1, 24, 15)),
                               "direction": "PASSAGE_DIRECTION_OUT"}},
    ]


@pytest.fixture
def scenario():
    """An in-memory UTC ledger holding scenario_events() as one batch."""
    with contactledger.Ledger.new() as ledger:
        ledger.append_batch(scenario_events())
        yield ledger


@pytest.fixture(scope="session")
def ledgerctl():
    path = os.environ.get("CONTACTLEDGER_LEDGERCTL")
    if not path or not os.path.exists(path):
        pytest.fail("CONTACTLEDGER_LEDGERCTL does not name ledgerctl (run "
                    "the tests through CTest)")
    return path


@pytest.fixture(scope="session")
def work_dir():
    path = os.environ.get("CONTACTLEDGER_TEST_WORK")
    if not path:
        pytest.fail("CONTACTLEDGER_TEST_WORK is not set (run the tests "
                    "through CTest)")
    os.makedirs(path, exist_ok=True)
    return path


def fresh_dir(work_dir, name):
    path = os.path.join(work_dir, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


def run(command):
    """Runs a command, failing the test with its output when it fails."""
    done = subprocess.run(command, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        pytest.fail("%s exited %d:\n%s%s" % (" ".join(command), done.returncode,
                                              done.stdout, done.stderr))
    return done.stdout


@pytest.fixture(scope="session")
def county_dir(ledgerctl, work_dir):
    """A small synthetic county made by `ledgerctl generate` (UTC+8), shared
    by the tests that read a directory."""
    path = fresh_dir(work_dir, "county_%d" % os.getpid())
    run([ledgerctl, "init", path, "--time-zone", "Asia/Shanghai"])
    run([ledgerctl, "generate", path, "--persons", "4000", "--cases", "4"])
    yield path
    shutil.rmtree(path, ignore_errors=True)


# ledgerctl's CSV answers and the package's, in the same form (used by
# test_rules.py and test_ledgerctl.py).

def csv_rows(text):
    """CSV text as a list of dicts."""
    return list(csv.DictReader(io.StringIO(text)))


def time_text(value):
    """A datetime as ledgerctl's CSV writes it; "" for None."""
    return "" if value is None else value.isoformat()


def roster_rows(rows):
    """RosterEntry records as the rows of `ledgerctl roster --format csv`."""
    return [{"person_id": r.person_id, "role": r.role,
             "source": r.source or "", "last_exposure": time_text(r.last_exposure),
             "until": r.until.isoformat() if r.until else "",
             "continuous": "" if r.continuous is None else str(
                 r.continuous).lower(),
             "place": r.place or ""} for r in rows]


def loop_rows(loops):
    """OpenLoop records as the rows of `ledgerctl loops --format csv`."""
    return [{"person_id": l.person_id, "kind": l.kind,
             "since": time_text(l.since), "detail": l.detail} for l in loops]


def ledgerctl_csv(ledgerctl, command, path, moment, policy):
    """`ledgerctl COMMAND PATH --at MOMENT --policy POLICY --format csv`."""
    return csv_rows(run([ledgerctl, command, path, "--at", moment.isoformat(),
                         "--policy", policy, "--format", "csv"]))
