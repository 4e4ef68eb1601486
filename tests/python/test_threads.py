"""Two Python threads query while a third appends; close() while a call is
in flight.

The package releases the GIL around every call into the library. The proof
here does not depend on timing: the appender makes one long library call
(recording a synthetic county of 60,000 persons in batches of 1,000), and
the other threads watch the ledger's last sequence number. A number strictly
between the one before the call and the one after it can only be seen while
that call is still running, since the call appends its batches from C++
without ever returning to Python in between. So:

  - every query that starts after such a number was seen and ends before
    the call's last batch was recorded ran entirely inside the call; each
    query thread must finish at least one;
  - a pure-Python ticker thread must advance at least 1,000 ticks between
    the first and the last time such a number was seen.

If the call held the GIL, no Python thread could run at all while it ran:
no thread would ever see an intermediate number, and both checks fail
(there would be no query inside the call and no ticks inside it), however
fast or slow this machine is.
"""

import threading

import pytest

import contactledger
from conftest import CST, at

AT = at(2, 1, 22, zone=CST)
PERSONS = 60000


def _start(threads):
    for thread in threads:
        thread.daemon = True
        thread.start()


def _join(threads):
    for thread in threads:
        thread.join(timeout=100)
    assert not any(thread.is_alive() for thread in threads)


def test_queries_run_while_another_thread_appends():
    ledger = contactledger.Ledger.new(time_zone=CST)
    try:
        base = ledger.generate_synthetic_county(persons=3000, cases=3, seed=7)
        assert len(base["case_ids"]) == 3
        assert len(ledger.roster(at=AT)) > 3
        before = ledger.last_sequence_number

        stop = threading.Event()
        started = threading.Barrier(4)  # the appender, 2 queries, the ticker
        span = {}
        errors = []
        ticks = [0]
        # (sequence number seen, ticks then), by the query threads.
        seen_ticks = []
        # (sequence number before, after) of each query, per thread.
        queries = {0: [], 1: []}
        samples = {0: [], 1: []}

        def append():
            try:
                started.wait()
                summary = ledger.generate_synthetic_county(
                    persons=PERSONS, cases=5, seed=2020)
                span["after"] = ledger.last_sequence_number
                span["summary"] = summary
                # Then small batches, so that queries also meet appends
                # between batches.
                for i in range(50):
                    ledger.append_batch([
                        {"person": {"id": "x%d" % i}},
                        {"exposure": {"personA": "x%d" % i,
                                      "personB": base["case_ids"][0],
                                      "start": "2020-01-30T00:00:00Z",
                                      "end": "2020-01-30T02:00:00Z",
                                      "setting": "EXPOSURE_SETTING_WORK"}}])
            except Exception as error:  # reported by the main thread
                errors.append(error)
            finally:
                stop.set()

        def tick():
            started.wait()
            while not stop.is_set():
                ticks[0] += 1

        def query(index):
            try:
                started.wait()
                while not stop.is_set():
                    limit = ledger.last_sequence_number
                    seen_ticks.append((limit, ticks[0]))
                    rows = ledger.roster(at=AT, sequence_limit=limit)
                    loops = ledger.open_loops(at=AT, sequence_limit=limit)
                    finished = ledger.last_sequence_number
                    seen_ticks.append((finished, ticks[0]))
                    queries[index].append((limit, finished))
                    # One sample per sequence number seen, up to 40.
                    kept = samples[index]
                    if len(kept) < 40 and (not kept or kept[-1][0] != limit):
                        kept.append((limit, rows, loops))
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=query, args=(i,)) for i in (0, 1)]
        threads.append(threading.Thread(target=append))
        threads.append(threading.Thread(target=tick))
        _start(threads)
        _join(threads)
        assert not errors, errors

        after = span["after"]
        assert after > before + PERSONS  # one event per person at least

        # Queries wholly inside the long call, per thread.
        for index in (0, 1):
            inside = [(b, e) for b, e in queries[index]
                      if before < b and e < after]
            assert len(inside) >= 1, (index, before, after, queries[index][:5])
        # The ticker ran while the call ran.
        inside_ticks = [t for seq, t in seen_ticks if before < seq < after]
        assert inside_ticks, (before, after)
        assert max(inside_ticks) - min(inside_ticks) >= 1000, (
            len(inside_ticks), min(inside_ticks), max(inside_ticks))

        # Everything was recorded: the second county and the 50 batches.
        assert span["summary"]["persons"] == PERSONS
        final = ledger.last_sequence_number
        assert final == after + 100  # 50 batches of 2 events
        assert final == ledger.stats()["events"]
        assert ledger.get_event(final).exposure.person_a == "x49"

        # Each answer taken during the appends is the answer as of its
        # sequence number, asked again now.
        limits = set()
        for index in (0, 1):
            for limit, rows, loops in samples[index]:
                limits.add(limit)
                assert ledger.roster(at=AT, sequence_limit=limit) == rows
                assert ledger.open_loops(at=AT, sequence_limit=limit) == loops
        assert len(limits) >= 2  # the queries saw the ledger grow
    finally:
        ledger.close()


def test_close_waits_for_the_call_in_flight_and_refuses_new_calls():
    ledger = contactledger.Ledger.new(time_zone=CST)
    try:
        before = ledger.last_sequence_number
        result = {}
        reader = {"calls": 0}
        inside = threading.Event()

        def generate():
            try:
                result["summary"] = ledger.generate_synthetic_county(
                    persons=PERSONS, cases=5, seed=2020)
            except Exception as error:
                result["error"] = error

        def read():
            # A stream of calls that close() must not wait behind: once
            # close() began, a new call raises FailedPreconditionError.
            try:
                while True:
                    if ledger.last_sequence_number > before:
                        inside.set()
                    reader["calls"] += 1
            except contactledger.LedgerError as error:
                reader["error"] = error

        generator = threading.Thread(target=generate)
        stream = threading.Thread(target=read)
        _start([generator, stream])
        # The generator is inside its one call once the ledger has grown
        # and has not yet returned (its result is not set).
        assert inside.wait(timeout=60)
        assert "summary" not in result and "error" not in result
        ledger.close()
        assert ledger.closed
        _join([generator, stream])

        # The call in flight ran to its end, untouched by close().
        assert "error" not in result, result["error"]
        assert result["summary"]["persons"] == PERSONS
        assert len(result["summary"]["case_ids"]) == 5
        # The stream of calls was refused, not served forever.
        assert isinstance(reader.get("error"),
                          contactledger.FailedPreconditionError), reader
        assert "closed" in reader["error"].message
        with pytest.raises(contactledger.FailedPreconditionError):
            ledger.roster(at=AT)
        ledger.close()  # twice is fine
    finally:
        ledger.close()
