"""The library's errors as Python exceptions.

Every failed ``absl::Status`` of the library reaches Python as a
``LedgerError`` (or the subclass for its code) carrying the status code by
its name (``.code``, e.g. "INVALID_ARGUMENT") and the library's message
(``.message``), which names what was wrong and where, e.g. "event 1 of 1
(exposure): person_b: a person cannot be exposed to themself ('p1')".
"""


class LedgerError(Exception):
    """A failed absl::Status: `.code` is its code's name, `.message` its
    message. ``str()`` is "CODE: message"; pickles (e.g. across
    multiprocessing) as the same class, code and message."""

    code = "UNKNOWN"

    def __init__(self, code, message):
        # Both arguments in self.args, so that pickle rebuilds the exception
        # with the same class, code and message.
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self):
        return "%s: %s" % (self.code, self.message)


class CancelledError(LedgerError):
    """CANCELLED: the operation was cancelled."""


class UnknownError(LedgerError):
    """UNKNOWN: an error without a more specific code."""


class InvalidArgumentError(LedgerError):
    """INVALID_ARGUMENT: a bad event, policy or argument; nothing recorded."""


class DeadlineExceededError(LedgerError):
    """DEADLINE_EXCEEDED: a deadline passed before the operation ended."""


class NotFoundError(LedgerError):
    """NOT_FOUND: an unknown person, area, preset, event or directory."""


class AlreadyExistsError(LedgerError):
    """ALREADY_EXISTS."""


class PermissionDeniedError(LedgerError):
    """PERMISSION_DENIED."""


class ResourceExhaustedError(LedgerError):
    """RESOURCE_EXHAUSTED: a batch over its limit."""


class FailedPreconditionError(LedgerError):
    """FAILED_PRECONDITION: e.g. appending to a ledger opened read-only, a
    directory another writer holds, or a ledger used after close()."""


class AbortedError(LedgerError):
    """ABORTED: a compare-and-append that lost its race."""


class OutOfRangeError(LedgerError):
    """OUT_OF_RANGE: e.g. a sequence number past the end."""


class UnimplementedError(LedgerError):
    """UNIMPLEMENTED."""


class InternalError(LedgerError):
    """INTERNAL: a broken invariant in the library."""


class UnavailableError(LedgerError):
    """UNAVAILABLE: e.g. a replication stream that cannot be reached."""


class DataLossError(LedgerError):
    """DATA_LOSS: damage in a ledger directory (the message names the file
    and byte offset)."""


class UnauthenticatedError(LedgerError):
    """UNAUTHENTICATED."""


# Every absl::StatusCode but OK, by the name absl::StatusCodeToString gives.
_BY_CODE = {
    "CANCELLED": CancelledError,
    "UNKNOWN": UnknownError,
    "INVALID_ARGUMENT": InvalidArgumentError,
    "DEADLINE_EXCEEDED": DeadlineExceededError,
    "NOT_FOUND": NotFoundError,
    "ALREADY_EXISTS": AlreadyExistsError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "RESOURCE_EXHAUSTED": ResourceExhaustedError,
    "FAILED_PRECONDITION": FailedPreconditionError,
    "ABORTED": AbortedError,
    "OUT_OF_RANGE": OutOfRangeError,
    "UNIMPLEMENTED": UnimplementedError,
    "INTERNAL": InternalError,
    "UNAVAILABLE": UnavailableError,
    "DATA_LOSS": DataLossError,
    "UNAUTHENTICATED": UnauthenticatedError,
}

for _code, _class in _BY_CODE.items():
    _class.code = _code

# Shown as contactledger.NotFoundError, where users find them.
for _class in [LedgerError] + list(_BY_CODE.values()):
    _class.__module__ = "contactledger"
del _code, _class


def from_status(code, message):
    """The exception for a status (called by the extension module)."""
    return _BY_CODE.get(code, LedgerError)(code, message)
