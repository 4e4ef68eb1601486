"""Errors: the library's status code and message as Python exceptions, bad
events that record nothing, read-only ledgers, closed ledgers, and the
arguments the package refuses before the library sees them."""

import datetime
import os
import pickle

import pytest

import contactledger
from contactledger.v1 import ledger_pb2
from conftest import at, exposure, fresh_dir, scenario_events

AT = at(1, 25, 12)


def test_bad_event_names_event_field_and_reason(scenario):
    head = scenario.last_sequence_number
    assert head == 13
    typo = ledger_pb2.LedgerEvent()
    typo.exposure.person_a = "p1"
    typo.exposure.person_b = "p1"
    typo.exposure.start.seconds = 1579852800
    typo.exposure.end.seconds = 1579856400
    with pytest.raises(contactledger.InvalidArgumentError) as error:
        scenario.append(typo)
    assert error.value.code == "INVALID_ARGUMENT"
    assert isinstance(error.value, contactledger.LedgerError)
    assert error.value.message.startswith("event 1 of 1 (exposure): person_b:")
    assert "'p1'" in error.value.message
    assert scenario.last_sequence_number == head


def test_bad_event_in_a_batch_records_nothing(scenario):
    head = scenario.last_sequence_number
    before = scenario.roster(at=AT)
    batch = [exposure("p2", "p8", at(1, 23, 8), at(1, 23, 9)),
             {"household": {"id": "h9", "areaId": "nowhere"}},
             exposure("p1", "p9", at(1, 23, 8), at(1, 23, 9))]
    with pytest.raises(contactledger.InvalidArgumentError) as error:
        scenario.append_batch(batch)
    assert error.value.message.startswith("event 2 of 3 (household")
    assert "area_id" in error.value.message
    assert scenario.last_sequence_number == head
    assert scenario.roster(at=AT) == before
    with pytest.raises(contactledger.NotFoundError):
        scenario.get_event(head + 1)
    # The good events alone are recorded, numbered on from the head.
    assert scenario.append_batch([batch[0], batch[2]]) == [head + 1, head + 2]
    assert scenario.get_event(head + 2).exposure.person_b == "p9"


def test_events_as_dicts_messages_and_bytes():
    with contactledger.Ledger.new() as ledger:
        event = ledger_pb2.LedgerEvent()
        event.area.id = "c"
        event.area.level = ledger_pb2.AREA_LEVEL_COUNTY
        assert ledger.append(event) == 1
        assert ledger.append(
            {"area": {"id": "t", "level": "AREA_LEVEL_TOWNSHIP",
                      "parentId": "c"}}) == 2
        assert ledger.append(event.SerializeToString()) == 3
        second = ledger.get_event(2)
        assert (second.sequence_number, second.area.id) == (2, "t")
        assert ledger.get_area("t").parent_id == "c"
        assert ledger.child_areas("c") == ["t"]
        with pytest.raises(contactledger.InvalidArgumentError) as error:
            ledger.append({"area": {"id": "x", "colour": "red"}})
        assert "colour" in error.value.message
        with pytest.raises(contactledger.InvalidArgumentError) as error:
            ledger.append(b"\xff\xff\xff")
        assert "not a serialized contactledger.v1.LedgerEvent" in str(
            error.value)
        with pytest.raises(TypeError):
            ledger.append(ledger_pb2.Area(id="x"))
        assert ledger.last_sequence_number == 3


def test_naive_datetimes_are_refused(scenario):
    with pytest.raises(ValueError, match="naive datetime"):
        scenario.roster(at=datetime.datetime(2020, 1, 25, 12))
    with pytest.raises(ValueError, match="known_at is a naive datetime"):
        scenario.open_loops(at=AT, known_at=datetime.datetime(2020, 1, 25))
    with pytest.raises(TypeError, match="at must be"):
        scenario.roster(at="2020-01-25T12:00:00Z")


def test_unknown_policy_and_area(scenario):
    with pytest.raises(contactledger.NotFoundError) as error:
        scenario.roster(at=AT, policy="china-2030")
    assert "china-2020" in error.value.message  # the presets are listed
    with pytest.raises(contactledger.InvalidArgumentError):
        scenario.roster(at=AT, policy='base: "china-2020"\nfever_threshold: 99')
    with pytest.raises(contactledger.NotFoundError):
        scenario.rollup("nowhere", at=AT)
    with pytest.raises(contactledger.InvalidArgumentError):
        scenario.contacts("p1", 0, at(1, 1), at(2, 1))
    with pytest.raises(contactledger.NotFoundError):
        contactledger.policy("nope")
    assert contactledger.policy("who-2020").name == "who-2020"
    assert contactledger.policy_presets() == [
        "china-2020", "china-2022", "who-2020", "cdc-2020"]


def test_read_only_refuses_appends(work_dir):
    path = fresh_dir(work_dir, "read_only")
    with contactledger.open(path, time_zone="Asia/Shanghai") as ledger:
        ledger.append_batch(scenario_events())
    with contactledger.open(path, read_only=True) as reader:
        assert reader.read_only
        with pytest.raises(contactledger.FailedPreconditionError) as error:
            reader.append({"area": {"id": "z", "level": "AREA_LEVEL_COUNTY"}})
        assert error.value.code == "FAILED_PRECONDITION"
        assert "read-only" in error.value.message
        assert reader.last_sequence_number == 13
        # The directory's zone, recorded when it was made, is the ledger's.
        assert reader.roster(at=AT)[2].last_exposure.utcoffset() == \
            datetime.timedelta(hours=8)
    # A reader beside the writer; a second writer is refused.
    with contactledger.open(path) as writer:
        with pytest.raises(contactledger.FailedPreconditionError):
            contactledger.open(path)
        with contactledger.open(path, read_only=True) as reader:
            writer.append({"person": {"id": "p7", "householdId": "h1"}})
            assert reader.last_sequence_number == 13
            assert reader.catch_up() == 14
    with pytest.raises(contactledger.NotFoundError):
        contactledger.open(os.path.join(path, "missing"), read_only=True)


def test_with_closes_and_use_after_close_raises(work_dir):
    path = fresh_dir(work_dir, "closing")
    with contactledger.open(path) as ledger:
        ledger.append_batch(scenario_events())
    assert ledger.closed
    with pytest.raises(contactledger.FailedPreconditionError, match="closed"):
        ledger.roster(at=AT)
    with pytest.raises(contactledger.FailedPreconditionError, match="closed"):
        ledger.append({"area": {"id": "z", "level": "AREA_LEVEL_COUNTY"}})
    ledger.close()  # twice is fine
    # The directory was released: it opens for writing again.
    with contactledger.open(path) as again:
        assert again.last_sequence_number == 13


def test_time_zones():
    for zone in (datetime.timezone(datetime.timedelta(hours=8)),
                 datetime.timedelta(hours=8), "Asia/Shanghai"):
        with contactledger.Ledger.new(time_zone=zone) as ledger:
            ledger.append_batch(scenario_events())
            rows = ledger.roster(at=AT)
            # 01-21 09:00 UTC is 17:00 in UTC+8: still the 21st, until 02-04.
            assert rows[2].last_exposure == at(1, 21, 9)
            assert rows[2].last_exposure.utcoffset() == datetime.timedelta(
                hours=8)
            assert rows[2].until == datetime.date(2020, 2, 4)
    with pytest.raises(contactledger.InvalidArgumentError):
        contactledger.Ledger.new(time_zone="Mars/Olympus")
    with pytest.raises(TypeError):
        contactledger.Ledger.new(time_zone=8)


def test_offsets_of_a_day_or_more_are_refused():
    # absl would take them as UTC and move every civil day.
    for offset in (datetime.timedelta(hours=24), datetime.timedelta(hours=-24),
                   datetime.timedelta(hours=30)):
        with pytest.raises(ValueError, match="less than 24 hours") as error:
            contactledger.Ledger.new(time_zone=offset)
        assert str(offset) in str(error.value)
    # The largest offsets that are less than a day are taken as given.
    for hours in (23, -23):
        zone = datetime.timedelta(hours=hours, minutes=59 * (hours // 23))
        with contactledger.Ledger.new(time_zone=zone) as ledger:
            assert ledger.local_datetime(datetime.date(2020, 1, 1)) \
                .utcoffset() == zone


ALL_CODES = {
    "CANCELLED": "CancelledError",
    "UNKNOWN": "UnknownError",
    "INVALID_ARGUMENT": "InvalidArgumentError",
    "DEADLINE_EXCEEDED": "DeadlineExceededError",
    "NOT_FOUND": "NotFoundError",
    "ALREADY_EXISTS": "AlreadyExistsError",
    "PERMISSION_DENIED": "PermissionDeniedError",
    "RESOURCE_EXHAUSTED": "ResourceExhaustedError",
    "FAILED_PRECONDITION": "FailedPreconditionError",
    "ABORTED": "AbortedError",
    "OUT_OF_RANGE": "OutOfRangeError",
    "UNIMPLEMENTED": "UnimplementedError",
    "INTERNAL": "InternalError",
    "UNAVAILABLE": "UnavailableError",
    "DATA_LOSS": "DataLossError",
    "UNAUTHENTICATED": "UnauthenticatedError",
}


@pytest.mark.parametrize("code", sorted(ALL_CODES))
def test_every_status_code_has_its_exception(code):
    from contactledger._errors import from_status

    error = from_status(code, "what went wrong, and where")
    want = getattr(contactledger, ALL_CODES[code])
    assert type(error) is want
    assert isinstance(error, contactledger.LedgerError)
    assert want.code == code
    assert want.__module__ == "contactledger"
    assert (error.code, error.message) == (code, "what went wrong, and where")
    assert str(error) == code + ": what went wrong, and where"
    # Pickled (e.g. by multiprocessing) and back: same class and fields.
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is want
    assert (back.code, back.message, str(back)) == (
        error.code, error.message, str(error))


def test_unknown_code_is_a_plain_ledger_error():
    from contactledger._errors import from_status

    error = from_status("SOMETHING_NEW", "m")
    assert type(error) is contactledger.LedgerError
    assert str(error) == "SOMETHING_NEW: m"
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.code, back.message) == (
        contactledger.LedgerError, "SOMETHING_NEW", "m")


def test_library_error_pickles(scenario):
    with pytest.raises(contactledger.NotFoundError) as error:
        scenario.rollup("nowhere", at=AT)
    back = pickle.loads(pickle.dumps(error.value))
    assert type(back) is contactledger.NotFoundError
    assert back.message == error.value.message
    assert "nowhere" in back.message


def test_damaged_log_is_data_loss_naming_the_file(work_dir):
    path = fresh_dir(work_dir, "damaged")
    with contactledger.open(path) as ledger:
        ledger.append_batch(scenario_events()[:6])
        ledger.append_batch(scenario_events()[6:])
    log = os.path.join(path, "%020d.log" % 1)
    assert os.path.exists(log), sorted(os.listdir(path))
    # A byte of the first record's payload (53-byte header, 12 bytes of
    # framing): a payload checksum mismatch with a record after it.
    with open(log, "r+b") as f:
        f.seek(53 + 12 + 2)
        byte = f.read(1)
        f.seek(53 + 12 + 2)
        f.write(bytes([byte[0] ^ 0xFF]))
    for read_only in (True, False):
        with pytest.raises(contactledger.DataLossError) as error:
            contactledger.open(path, read_only=read_only)
        assert error.value.code == "DATA_LOSS"
        assert "%020d.log" % 1 in error.value.message
        assert "offset 53" in error.value.message, error.value.message


def test_status_becomes_runtime_error_if_from_status_fails(scenario,
                                                          monkeypatch):
    from contactledger import _errors

    def broken(code, message):
        raise KeyError("broken from_status")

    monkeypatch.setattr(_errors, "from_status", broken)
    with pytest.raises(RuntimeError) as error:
        scenario.rollup("nowhere", at=AT)
    assert not isinstance(error.value, contactledger.LedgerError)
    assert "NOT_FOUND" in str(error.value)
    assert "nowhere" in str(error.value)
    assert "broken from_status" in str(error.value)
    monkeypatch.undo()
    # Translated again once from_status works.
    with pytest.raises(contactledger.NotFoundError):
        scenario.rollup("nowhere", at=AT)
