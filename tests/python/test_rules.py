"""The hand-worked examples of docs/rules.md through the Python package.

The world and every expected value are those of
tests/tracing_scenario_test.cc (the C++ test of the same examples), so the
two must agree; the same ledger written to a directory is also asked with
`ledgerctl roster` and `ledgerctl loops`, whose CSV must match the Python
answers field by field.
"""

import datetime

import pytest

import contactledger
from contactledger import _contactledger
from contactledger.v1 import policy_pb2
from conftest import (UTC, at, fresh_dir, ledgerctl_csv, loop_rows,
                      roster_rows, scenario_events)

AT = at(1, 25, 12)


def test_roster_under_china_2020(scenario):
    rows = scenario.roster(at=AT, policy="china-2020")
    assert [r.person_id for r in rows] == ["p1", "p2", "p3"]
    p1, p2, p3 = rows
    # p1: the active case, in hospital, required since its diagnosis.
    assert (p1.role, p1.place, p1.required_since) == (
        "case", "hospital", at(1, 24, 10))
    assert p1.until is None and p1.source is None and p1.continuous is None
    # p2: household rule, continuous (p1 not removed), last exposure = at.
    assert (p2.role, p2.continuous, p2.until, p2.last_exposure, p2.place) == (
        "close_contact", True, None, AT, "centralized")
    # p3: last exposure 01-21 09:00, until 01-21 + 14 = 02-04; required
    # since max(diagnosis 01-24 10:00, first 01-21 08:00).
    assert (p3.source, p3.last_exposure, p3.until, p3.required_since) == (
        "p1", at(1, 21, 9), datetime.date(2020, 2, 4), at(1, 24, 10))
    assert repr(p1).startswith(
        "contactledger.RosterEntry(person_id='p1', role='case', source=None")
    assert isinstance(p1, contactledger.RosterEntry)
    with pytest.raises(AttributeError):
        p1.role = "close_contact"  # records are immutable
    # Types of the contract: str, str, datetime.date or None; aware times.
    assert isinstance(p3.until, datetime.date)
    assert p3.last_exposure.tzinfo is not None
    assert p3.last_exposure.utcoffset() == datetime.timedelta(0)


def test_default_policy_is_china_2020(scenario):
    assert scenario.roster(at=AT) == scenario.roster(at=AT, policy="china-2020")
    assert scenario.roster(at=AT, policy=contactledger.policy("china-2020")) \
        == scenario.roster(at=AT)


def test_secondary_contact_under_china_2022(scenario):
    # p3's window: [01-21 08:00, stay start 01-24 12:00); the p3-p5 exposure
    # on 01-22 qualifies; until 01-22 + 7 = 01-29, at home. p3 is on day 4
    # after 01-21: the 7-day centralized phase, until 01-31.
    rows = scenario.roster(at=AT, policy="china-2022")
    assert [r.person_id for r in rows] == ["p1", "p2", "p3", "p5"]
    p5 = rows[3]
    assert (p5.role, p5.source, p5.until, p5.place) == (
        "secondary_contact", "p3", datetime.date(2020, 1, 29), "home")
    assert (rows[2].until, rows[2].place) == (
        datetime.date(2020, 1, 31), "centralized")


def test_policy_as_text_and_message(scenario):
    # china-2020 with a 2-hour minimum exposure: the 1-hour p1-p3 exposure
    # no longer qualifies, the household rule still does.
    text = 'base: "china-2020"\nmin_exposure { seconds: 7200 }'
    assert [r.person_id for r in scenario.roster(at=AT, policy=text)] == [
        "p1", "p2"]
    message = contactledger.policy(text)
    assert message.min_exposure.seconds == 7200
    assert scenario.roster(at=AT, policy=message) == scenario.roster(
        at=AT, policy=message.SerializeToString())


def test_policy_from_none_bytes_and_message():
    default = contactledger.policy(None)
    assert isinstance(default, policy_pb2.Policy)
    assert default == contactledger.policy("china-2020")
    assert default == contactledger.policy()
    assert default.name == "china-2020"
    who = contactledger.policy("who-2020")
    assert who != default
    # A serialized Policy is parsed; a Policy message is taken as it is.
    assert contactledger.policy(who.SerializeToString()) == who
    assert contactledger.policy(bytearray(who.SerializeToString())) == who
    copy = contactledger.policy(who)
    assert copy == who and copy is not who
    with pytest.raises(contactledger.InvalidArgumentError,
                       match="not a serialized"):
        contactledger.policy(b"\xff\xff\xff")
    with pytest.raises(TypeError):
        contactledger.policy(7)


def test_policy_kinds_are_named_by_the_module(scenario):
    kinds = (_contactledger.POLICY_DEFAULT, _contactledger.POLICY_PRESET,
             _contactledger.POLICY_SERIALIZED, _contactledger.POLICY_TEXT)
    assert len(set(kinds)) == 4
    handle = scenario._handle
    at_us = (AT - datetime.datetime(1970, 1, 1, tzinfo=UTC)) \
        // datetime.timedelta(microseconds=1)
    want = scenario.roster(at=AT, policy="who-2020")
    who = contactledger.policy("who-2020")
    assert handle.roster(at_us, None, None, _contactledger.POLICY_PRESET,
                         "who-2020") == want
    assert handle.roster(at_us, None, None, _contactledger.POLICY_SERIALIZED,
                         who.SerializeToString()) == want
    assert handle.roster(at_us, None, None, _contactledger.POLICY_TEXT,
                         'base: "who-2020"') == want
    assert handle.roster(at_us, None, None, _contactledger.POLICY_DEFAULT,
                         "") == scenario.roster(at=AT, policy="china-2020")
    # The bench's entry points, by their private names.
    assert handle._roster_size(at_us, None, None,
                               _contactledger.POLICY_PRESET,
                               "who-2020") == len(want)
    rows, query_ns, convert_ns = handle._roster_timed(
        at_us, None, None, _contactledger.POLICY_PRESET, "who-2020")
    assert rows == want and query_ns > 0 and convert_ns >= 0
    assert not hasattr(handle, "roster_size")
    assert not hasattr(handle, "zone_offset_seconds")


def test_open_loops_under_china_2020(scenario):
    got = ["%s %s %s" % (l.person_id, l.kind, l.since.isoformat())
           for l in scenario.open_loops(at=AT, policy="china-2020")]
    assert got == [
        "p1 unisolated_case 2020-01-25T10:00:00+00:00",
        "p1 no_owner 2020-01-24T10:00:00+00:00",
        "p2 unplaced 2020-01-25T10:00:00+00:00",
        "p2 no_owner 2020-01-24T10:00:00+00:00",
        "p2 checkpoint_breach 2020-01-24T15:00:00+00:00",
        "p3 missed_check 2020-01-25T00:00:00+00:00",
        "p3 fever_not_escalated 2020-01-24T13:00:00+00:00",
        "p3 no_owner 2020-01-24T10:00:00+00:00",
        "p3 unregistered 2020-01-21T08:00:00+00:00",
        "p4 unregistered 2020-01-19T08:00:00+00:00",
        "p5 unregistered 2020-01-22T08:00:00+00:00",
    ]


def test_explain(scenario):
    why = scenario.explain("p3", at=AT)
    assert why.in_roster and why.role == "close_contact"
    assert len(why.sources) == 1
    source = why.sources[0]
    assert (source.person_id, source.rule, source.exposures) == (
        "p1", "exposure", (7,))
    assert source.overlap == datetime.timedelta(hours=1)
    assert len(why.phases) == 1
    assert (why.phases[0].first_day, why.phases[0].last_day) == (
        datetime.date(2020, 1, 21), datetime.date(2020, 2, 4))
    assert not scenario.explain("p4", at=AT).in_roster
    with pytest.raises(contactledger.NotFoundError) as error:
        scenario.explain("nobody", at=AT)
    assert error.value.code == "NOT_FOUND"
    table = contactledger.to_pandas(why)
    assert list(table["person_id"]) == ["p1"]


def test_rollup(scenario):
    rows = scenario.rollup("c", at=AT)
    assert [r.area_id for r in rows] == ["t", "(unassigned)"]
    t, unassigned = rows
    assert (t.persons, t.households, t.active_cases, t.close_contacts) == (
        2, 1, 1, 1)
    # p3, p4, p5 have no area: p3 a close contact in a centralized stay,
    # with a missed check, a fever, no owner; p3, p4, p5 unregistered.
    assert (unassigned.persons, unassigned.households,
            unassigned.active_cases, unassigned.close_contacts,
            unassigned.in_centralized, unassigned.checks_last_24h) == (
        0, 0, 0, 1, 1, 0)
    assert tuple(getattr(unassigned, k) for k in contactledger.LOOP_KINDS) \
        == (0, 0, 0, 1, 1, 1, 0, 3)
    assert len(scenario.rollup("t", at=AT)) == 1
    table = rows.to_pandas()
    assert list(table["roster"]) == [2, 1]
    assert list(table["open_loops"]) == [5, 6]


def test_may_pass_chains_and_contacts(scenario):
    decision = scenario.may_pass("p3", "gate", at=AT)
    assert not decision.allowed and decision.verdict == "refused"
    assert "centralized stay" in decision.reason
    assert not scenario.may_pass("p2", "gate", at=AT).allowed
    # p4 is unregistered but named by an exposure: known, and allowed.
    assert scenario.may_pass("p4", "gate", at=AT).allowed
    assert scenario.may_pass("p9", "gate", at=AT).verdict == "unknown_person"

    chains = scenario.chains(at=AT)
    assert len(chains) == 1 and chains[0].cases == ("p1",)
    assert list(chains.to_pandas()["source"]) == ["p1"]

    contacts = scenario.contacts("p1", 2, at(1, 1), at(2, 1))
    assert ["%s:%d" % (c.person_id, c.hops) for c in contacts] == [
        "p3:1", "p4:1", "p5:2"]


def test_as_known_then(scenario):
    # Before the diagnosis (event 9) was recorded there was no case.
    assert scenario.roster(at=AT, sequence_limit=8) == []
    assert len(scenario.roster(at=AT, sequence_limit=9)) == 3
    # known_at before anything was recorded sees nothing either.
    long_ago = datetime.datetime(2000, 1, 1, tzinfo=UTC)
    assert scenario.roster(at=AT, known_at=long_ago) == []
    assert len(scenario.roster(at=AT, known_at=datetime.datetime.now(UTC))) == 3


def test_answers_in_other_zones(scenario):
    # `at` may be given in any zone; the instant is what counts. Answers
    # come back in the ledger's zone (UTC here).
    rows = scenario.roster(at=AT.astimezone(
        datetime.timezone(datetime.timedelta(hours=8))))
    assert rows == scenario.roster(at=AT)


def test_to_pandas(scenario):
    rows = scenario.roster(at=AT)
    table = contactledger.to_pandas(rows)
    assert list(table.columns) == list(rows.columns)
    assert list(table["person_id"]) == ["p1", "p2", "p3"]
    assert list(table["role"]) == ["case", "close_contact", "close_contact"]
    assert table["until"][2] == datetime.date(2020, 2, 4)
    assert rows.to_pandas().equals(table)
    empty = scenario.roster(at=AT, sequence_limit=1).to_pandas()
    assert len(empty) == 0 and list(empty.columns) == list(rows.columns)
    loops = scenario.open_loops(at=AT).to_pandas()
    assert list(loops["kind"].value_counts().sort_index().items()) == [
        ("checkpoint_breach", 1), ("fever_not_escalated", 1),
        ("missed_check", 1), ("no_owner", 3), ("unisolated_case", 1),
        ("unplaced", 1), ("unregistered", 3)]


def test_same_answers_as_ledgerctl(ledgerctl, work_dir):
    """The scenario in a directory: Python's answers equal ledgerctl's."""
    path = fresh_dir(work_dir, "scenario")
    with contactledger.open(path) as ledger:
        ledger.append_batch(scenario_events())
    for policy in ("china-2020", "china-2022", "who-2020"):
        with contactledger.open(path, read_only=True) as ledger:
            rows = ledger.roster(at=AT, policy=policy)
            loops = ledger.open_loops(at=AT, policy=policy)
        want = ledgerctl_csv(ledgerctl, "roster", path, AT, policy)
        assert roster_rows(rows) == want, policy
        assert len(want) >= 3
        want = ledgerctl_csv(ledgerctl, "loops", path, AT, policy)
        assert loop_rows(loops) == want, policy
