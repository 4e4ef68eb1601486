"""The ledger from Python: ``open``, ``Ledger`` and the policies.

A thin layer over the extension module: it turns Python values into what
the library takes (events and policies into serialized protobuf, datetimes
into instants, refusing naive ones) and the answers into lists with
``to_pandas()``. Every rule is the library's; nothing is computed here.
"""

from google.protobuf import json_format
from google.protobuf import message as _message

from . import _contactledger as _core
from . import _results
from ._times import optional_micros, to_micros, zone_arguments
from .v1 import ledger_pb2, policy_pb2

_EVENT = ledger_pb2.LedgerEvent.DESCRIPTOR.full_name
_POLICY = policy_pb2.Policy.DESCRIPTOR.full_name


def policy_presets():
    """The names of the policy presets: china-2020 (the default),
    china-2022, who-2020, cdc-2020."""
    return list(_core.policy_preset_names())


def policy(value=None):
    """A ``contactledger.v1.Policy`` message from what the questions take
    as ``policy``: None (the default, the china-2020 preset), a preset by
    name, a policy in protobuf text format or JSON, which may start from a
    preset with ``base: "china-2020"`` (ParsePolicy in
    contactledger/tracing.h), a serialized Policy (bytes), or a Policy
    message (returned as a copy)."""
    kind, data = _policy_arguments(value)
    if kind == _core.POLICY_DEFAULT:
        data = _core.policy_preset("china-2020")
    elif kind == _core.POLICY_PRESET:
        data = _core.policy_preset(data)
    elif kind == _core.POLICY_TEXT:
        data = _core.parse_policy(data)
    try:
        return policy_pb2.Policy.FromString(data)
    except _message.DecodeError as error:
        raise _core_error("INVALID_ARGUMENT",
                          "policy: not a serialized %s (%s)"
                          % (_POLICY, error)) from None


def _policy_arguments(value):
    """(kind, value) for the extension: kind is one of the extension's
    POLICY_DEFAULT, POLICY_PRESET (a name), POLICY_SERIALIZED (a
    serialized Policy) and POLICY_TEXT (text format or JSON)."""
    if value is None:
        return _core.POLICY_DEFAULT, ""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{") or ":" in text or "\n" in text:
            return _core.POLICY_TEXT, value
        return _core.POLICY_PRESET, value
    if isinstance(value, (bytes, bytearray)):
        return _core.POLICY_SERIALIZED, bytes(value)
    if isinstance(value, _message.Message):
        if value.DESCRIPTOR.full_name != _POLICY:
            raise TypeError("policy must be a %s, not a %s"
                            % (_POLICY, value.DESCRIPTOR.full_name))
        return _core.POLICY_SERIALIZED, value.SerializeToString()
    raise TypeError("policy must be None, a preset name, a policy text, a "
                    "Policy message or its bytes, not %s"
                    % type(value).__name__)


def _event_bytes(event, index):
    """A LedgerEvent message, a dict in its JSON form, or its bytes, as
    bytes."""
    if isinstance(event, (bytes, bytearray)):
        return bytes(event)
    if isinstance(event, dict):
        try:
            return json_format.ParseDict(
                event, ledger_pb2.LedgerEvent()).SerializeToString()
        except json_format.ParseError as error:
            raise _core_error("INVALID_ARGUMENT",
                              "event %d: %s" % (index + 1, error)) from None
    if isinstance(event, _message.Message):
        if event.DESCRIPTOR.full_name != _EVENT:
            raise TypeError("event %d must be a %s, not a %s"
                            % (index + 1, _EVENT, event.DESCRIPTOR.full_name))
        return event.SerializeToString()
    raise TypeError("event %d must be a %s, a dict or bytes, not %s"
                    % (index + 1, _EVENT, type(event).__name__))


def _core_error(code, message):
    from ._errors import from_status

    return from_status(code, message)


class Ledger:
    """A ContactLedger: in memory (``Ledger.new``) or a directory
    (``contactledger.open``).

    Appends return sequence numbers; the questions take ``at`` (an aware
    datetime: the moment asked about), ``known_at`` (an aware datetime: see
    only what was recorded by then; None for everything), ``sequence_limit``
    (see only events up to that number) and ``policy`` (None for
    china-2020, a preset name, a policy text, or a
    ``contactledger.v1.Policy``). Errors raise ``LedgerError`` subclasses
    with the library's code and message.

    Thread safety: one Ledger may be used from many threads; the library
    works with the GIL released, so queries on some threads and appends on
    another run at the same time. ``close()`` (or leaving the ``with``
    block) waits for the calls in flight, then releases the ledger (and its
    directory); a call that starts once close() has begun, and any use
    after it, raises FailedPreconditionError.
    """

    def __init__(self, handle, path=None):
        self._handle = handle
        self.path = path

    # --- Making one. ---

    @classmethod
    def new(cls, time_zone=None, identity_rules="china"):
        """An empty in-memory ledger. ``time_zone``: the zone civil days are
        taken in (docs/rules.md section 1): None (UTC), a
        ``datetime.timezone``, a ``zoneinfo.ZoneInfo``, an IANA name or a
        ``datetime.timedelta`` offset. ``identity_rules``: "china" (national
        ids and phones checked, GB 11643-1999) or "none"."""
        name, offset = zone_arguments(time_zone)
        return cls(_core.Handle.new(name, offset, identity_rules))

    @classmethod
    def open(cls, path, read_only=False, create=True, time_zone=None,
             identity_rules=None):
        """A ledger directory (see ``contactledger.open``)."""
        name, offset = zone_arguments(time_zone)
        handle = _core.Handle.open(str(path), read_only, create, name, offset,
                                   identity_rules)
        return cls(handle, str(path))

    # --- Life. ---

    def close(self):
        """Waits for calls in flight, then closes; closing twice is fine."""
        self._handle.close()

    @property
    def closed(self):
        return self._handle.closed

    @property
    def read_only(self):
        return self._handle.read_only

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    def __repr__(self):
        where = self.path if self.path is not None else "in memory"
        state = "closed" if self.closed else (
            "read-only" if self.read_only else "open")
        return "<contactledger.Ledger %s, %s>" % (where, state)

    # --- What it is. ---

    @property
    def time_zone(self):
        """The ledger's zone's name (e.g. "Fixed/UTC+08:00:00", "UTC")."""
        return self._handle.zone_name

    def local_datetime(self, day, hour=0, minute=0, second=0):
        """An aware datetime: that time of ``day`` (a ``datetime.date``) in
        the ledger's zone, the zone whose civil days the rules count."""
        return self._handle.local_datetime(day.year, day.month, day.day,
                                           hour, minute, second)

    @property
    def last_sequence_number(self):
        """The sequence number of the last event; 0 when empty."""
        return self._handle.last_sequence_number()

    @property
    def ledger_id(self):
        return self._handle.ledger_id()

    def stats(self):
        """Counts of what the ledger holds, as a dict (LedgerStats)."""
        return self._handle.stats()

    # --- Recording. ---

    def append(self, event, sync=False):
        """Records one event (a ``contactledger.v1.LedgerEvent``, a dict in
        its JSON form, or its bytes) and returns its sequence number. A bad
        event raises InvalidArgumentError naming the event, field and reason;
        nothing is recorded. ``sync``: flushed to disk before returning."""
        return self._handle.append(_event_bytes(event, 0), sync)

    def append_batch(self, events, sync=False):
        """Records events atomically: all of them, with consecutive sequence
        numbers (returned in order), or none and the first bad event's
        error."""
        data = [_event_bytes(event, i) for i, event in enumerate(events)]
        return self._handle.append_batch(data, sync)

    def catch_up(self):
        """A read-only ledger: reads what writers appended since; returns
        the new last sequence number."""
        return self._handle.catch_up()

    def write_snapshot(self):
        """A directory: saves the state to a snapshot; returns the sequence
        number it covers."""
        return self._handle.write_snapshot()

    # --- Reads. ---

    def get_event(self, sequence_number, known_at=None, sequence_limit=None):
        """The event with this sequence number, envelope included, as a
        ``contactledger.v1.LedgerEvent``."""
        data = self._handle.get_event(
            sequence_number, optional_micros(known_at, "known_at"),
            sequence_limit)
        return ledger_pb2.LedgerEvent.FromString(data)

    def get_area(self, area_id, known_at=None, sequence_limit=None):
        """The current version of an area, as a ``contactledger.v1.Area``."""
        data = self._handle.get_area(
            area_id, optional_micros(known_at, "known_at"), sequence_limit)
        return ledger_pb2.Area.FromString(data)

    def child_areas(self, area_id, known_at=None, sequence_limit=None):
        """The ids of an area's children, sorted."""
        return self._handle.child_areas(
            area_id, optional_micros(known_at, "known_at"), sequence_limit)

    def unregistered_persons(self, known_at=None, sequence_limit=None):
        """Person ids named by events but never registered, sorted."""
        return self._handle.unregistered_persons(
            optional_micros(known_at, "known_at"), sequence_limit)

    # --- The questions (docs/rules.md; contactledger/tracing.h). ---

    def _query(self, at, known_at, sequence_limit, policy):
        kind, value = _policy_arguments(policy)
        return (to_micros(at, "at"), optional_micros(known_at, "known_at"),
                sequence_limit, kind, value)

    def roster(self, at, known_at=None, policy=None, sequence_limit=None):
        """Who must be quarantined at ``at``, where and until when: a
        ``Roster`` of ``RosterEntry`` (person_id, role, source,
        last_exposure, until, continuous, place, required_since), sorted by
        person_id."""
        return _results.Roster(self._handle.roster(
            *self._query(at, known_at, sequence_limit, policy)))

    def open_loops(self, at, known_at=None, policy=None, sequence_limit=None):
        """Where the loop is still open at ``at``: ``OpenLoops`` of
        ``OpenLoop`` (person_id, kind, since, detail)."""
        return _results.OpenLoops(self._handle.open_loops(
            *self._query(at, known_at, sequence_limit, policy)))

    def explain(self, person_id, at, known_at=None, policy=None,
                sequence_limit=None):
        """Why a person is, or is not, in the roster: an ``Explanation``
        (person_id, in_roster, role, sources, until, phases, notes).
        NotFoundError when the id never occurs."""
        return self._handle.explain(
            person_id, *self._query(at, known_at, sequence_limit, policy))

    def rollup(self, area_id, at, known_at=None, policy=None,
               sequence_limit=None):
        """How each child of ``area_id`` stands at ``at``: a ``Rollup`` of
        ``AreaRollupRow``. NotFoundError for an unknown area."""
        return _results.Rollup(self._handle.rollup(
            area_id, *self._query(at, known_at, sequence_limit, policy)))

    def may_pass(self, person_id, checkpoint_id, at, known_at=None,
                 policy=None, sequence_limit=None):
        """Whether a person may pass a checkpoint at ``at``: a
        ``PassDecision`` (allowed, verdict, reason)."""
        return self._handle.may_pass(
            person_id, checkpoint_id,
            *self._query(at, known_at, sequence_limit, policy))

    def chains(self, at, known_at=None, policy=None, sequence_limit=None):
        """Index cases linked by qualifying exposures: ``Chains`` of
        ``TransmissionChain`` (chain, cases, edges)."""
        return _results.Chains(self._handle.chains(
            *self._query(at, known_at, sequence_limit, policy)))

    def contacts(self, person_id, hops, start, end, known_at=None,
                 sequence_limit=None):
        """Everyone within ``hops`` exposures of a person over the exposures
        overlapping [start, end]: ``Contacts`` of ``ContactAtDistance``
        (person_id, hops), sorted by hops then id."""
        return _results.Contacts(self._handle.contacts(
            person_id, hops, to_micros(start, "start"), to_micros(end, "end"),
            optional_micros(known_at, "known_at"), sequence_limit))

    # --- A synthetic county (contactledger/synthetic.h). ---

    def generate_synthetic_county(self, persons, cases=5, seed=2020,
                                  activity=True, batch_size=1000):
        """Appends the deterministic synthetic county of ``ledgerctl
        generate`` (in the ledger's zone) and returns its summary (counts,
        county_id, township_ids, case_ids, placed_contact_ids)."""
        return self._handle.generate_synthetic_county(
            persons, cases, seed, activity, batch_size)


def open(path, read_only=False, create=True, time_zone=None,  # noqa: A001
         identity_rules=None):
    """Opens the ledger in directory ``path``: for writing (one writer at a
    time; the directory is created unless ``create`` is False), or with
    ``read_only=True`` beside any writer, seeing the ledger as of the open
    (``catch_up()`` reads on). ``time_zone`` and ``identity_rules`` apply to
    a new directory; an existing one keeps its own (a different one given
    here raises FailedPreconditionError). Use it in a ``with`` block."""
    return Ledger.open(path, read_only=read_only, create=create,
                       time_zone=time_zone, identity_rules=identity_rules)
