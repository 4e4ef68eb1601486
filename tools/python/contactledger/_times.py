"""Times between Python and the library.

The library counts instants as absl::Time; the extension module takes them
as int64 microseconds since the Unix epoch. Python callers pass
timezone-aware ``datetime.datetime`` values: a naive one is refused, since
the library could only guess its zone, and a guessed zone moves every
"until" day (docs/rules.md section 1).
"""

import datetime

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICROSECOND = datetime.timedelta(microseconds=1)


def to_micros(value, name):
    """Microseconds since the epoch of an aware datetime; `name` is the
    argument's name for the error message."""
    if not isinstance(value, datetime.datetime):
        raise TypeError("%s must be a timezone-aware datetime.datetime, not %s"
                        % (name, type(value).__name__))
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            "%s is a naive datetime (%s): give it a time zone, e.g. "
            "datetime.datetime(2020, 2, 1, 22, tzinfo=datetime.timezone("
            "datetime.timedelta(hours=8)))" % (name, value.isoformat()))
    return (value - _EPOCH) // _MICROSECOND


def optional_micros(value, name):
    """to_micros, or None for None."""
    return None if value is None else to_micros(value, name)


def zone_arguments(time_zone):
    """(zone_name, offset_seconds) for the extension from a time zone given
    as None (UTC, or the directory's), a fixed-offset ``datetime.timezone``
    or ``datetime.timedelta``, an IANA name ("Asia/Shanghai") or a
    ``zoneinfo.ZoneInfo``."""
    if time_zone is None:
        return None, None
    if isinstance(time_zone, str):
        return time_zone, None
    if isinstance(time_zone, datetime.timedelta):
        return None, _whole_seconds(time_zone)
    key = getattr(time_zone, "key", None)  # zoneinfo.ZoneInfo
    if isinstance(key, str):
        return key, None
    if isinstance(time_zone, datetime.tzinfo):
        offset = time_zone.utcoffset(None)
        if offset is None:
            raise ValueError("time_zone %r has no fixed offset: pass its IANA "
                             "name instead" % (time_zone,))
        return None, _whole_seconds(offset)
    raise TypeError("time_zone must be None, a str, a datetime.timezone, a "
                    "zoneinfo.ZoneInfo or a datetime.timedelta, not %s"
                    % type(time_zone).__name__)


_DAY = datetime.timedelta(days=1)


def _whole_seconds(offset):
    # absl::FixedTimeZone takes UTC for an offset of 24 h or more (either
    # way): refused here rather than silently moving every civil day.
    if not -_DAY < offset < _DAY:
        raise ValueError("a time zone offset must be less than 24 hours "
                         "either way: %r (%s)" % (offset, offset))
    seconds = offset.total_seconds()
    if seconds != int(seconds):
        raise ValueError("a time zone offset must be whole seconds: %s" % offset)
    return int(seconds)
