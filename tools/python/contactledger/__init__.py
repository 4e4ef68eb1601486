"""contactledger: the ContactLedger library from Python.

    import datetime, contactledger
    CST = datetime.timezone(datetime.timedelta(hours=8))
    with contactledger.open("drill-output/ledger", read_only=True) as ledger:
        rows = ledger.roster(at=datetime.datetime(2020, 2, 1, 22, tzinfo=CST),
                             policy="china-2020")
        table = contactledger.to_pandas(rows)

The package binds the C++ library (include/contactledger) with pybind11;
every answer is the library's. Events are ``contactledger.v1.ledger_pb2``
messages (or dicts in their JSON form); answers are lists of typed records
with ``to_pandas()``; errors are ``LedgerError`` with the library's status
code and message. docs/python.md has the whole API.

The package loads its extension module on first use, so that the schema's
modules alone (``contactledger.v1.ledger_pb2``, as
tools/python/contactledger_reader.py imports them) need only protobuf.
"""

import importlib

__all__ = [
    # _api
    "open", "Ledger", "policy", "policy_presets",
    # _results
    "to_pandas", "Roster", "OpenLoops", "Rollup", "Contacts", "Chains",
    "LOOP_KINDS",
    # _errors
    "LedgerError", "CancelledError", "UnknownError", "InvalidArgumentError",
    "DeadlineExceededError", "NotFoundError", "AlreadyExistsError",
    "PermissionDeniedError", "ResourceExhaustedError",
    "FailedPreconditionError", "AbortedError", "OutOfRangeError",
    "UnimplementedError", "InternalError", "UnavailableError",
    "DataLossError", "UnauthenticatedError",
    # the records, from the extension
    "RosterEntry", "OpenLoop", "AreaRollupRow", "ContactAtDistance",
    "ChainEdge", "TransmissionChain", "ExplanationSource", "QuarantinePhase",
    "Explanation", "PassDecision",
]

_HOMES = {
    "open": "_api", "Ledger": "_api", "policy": "_api",
    "policy_presets": "_api",
    "to_pandas": "_results", "Roster": "_results", "OpenLoops": "_results",
    "Rollup": "_results", "Contacts": "_results", "Chains": "_results",
    "LOOP_KINDS": "_results",
}


def __getattr__(name):
    if name in _HOMES:
        home = _HOMES[name]
    elif name.endswith("Error"):
        home = "_errors"
    elif name in __all__:
        home = "_contactledger"
    else:
        raise AttributeError("module 'contactledger' has no attribute %r"
                             % name)
    value = getattr(importlib.import_module("." + home, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
