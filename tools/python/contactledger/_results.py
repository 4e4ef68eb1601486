"""Lists of answers, each with ``to_pandas()``.

The rows themselves are the extension's records (contactledger.RosterEntry,
contactledger.OpenLoop, ...): immutable tuples with named fields, made in
C++. A list of them is a plain Python ``list`` subclass that also knows its
columns, so that an empty answer still gives a table with the right columns.
"""

from . import _contactledger as _core


def fields(record_type):
    """The field names of a record type, in order."""
    return tuple(record_type.__match_args__)


class ResultList(list):
    """A list of records of one type; ``to_pandas()`` makes a DataFrame with
    one row per record and one column per field (datetimes keep their zone,
    days are ``datetime.date``, None is missing)."""

    record_type = None

    @property
    def columns(self):
        return fields(self.record_type)

    def to_pandas(self):
        import pandas  # only when asked: the package does not need it

        return pandas.DataFrame.from_records(
            [tuple(row) for row in self], columns=list(self.columns))

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, list.__repr__(self))


class Roster(ResultList):
    """The roster (docs/rules.md section 7), sorted by person_id."""

    record_type = _core.RosterEntry


class OpenLoops(ResultList):
    """The open loops (docs/rules.md section 8), sorted by person_id, kind,
    since."""

    record_type = _core.OpenLoop


class Rollup(ResultList):
    """An area roll-up: one row per child area (and, for a top-level area,
    "(unassigned)" last when it counts anything)."""

    record_type = _core.AreaRollupRow

    def to_pandas(self):
        table = super().to_pandas()
        # The roster and open loops of each row, as the notebook charts them.
        table["roster"] = (table["active_cases"] + table["close_contacts"]
                           + table["secondary_contacts"])
        table["open_loops"] = table[list(LOOP_KINDS)].sum(axis=1)
        return table


class Contacts(ResultList):
    """Everyone within k hops, sorted by hops, then person_id."""

    record_type = _core.ContactAtDistance


class Chains(ResultList):
    """Transmission chains, sorted by their first case id."""

    record_type = _core.TransmissionChain

    @property
    def columns(self):
        return ("chain", "source", "target", "rule", "exposures")

    def to_pandas(self):
        """One row per link, as `ledgerctl chains --format csv`: chain,
        source, target, rule, exposures; a chain without links as one row
        per case with only chain and source."""
        import pandas

        rows = []
        for chain in self:
            if chain.edges:
                for edge in chain.edges:
                    rows.append((chain.chain, edge.source, edge.target,
                                 edge.rule, edge.exposures))
            else:
                for case in chain.cases:
                    rows.append((chain.chain, case, None, None, ()))
        return pandas.DataFrame.from_records(rows, columns=list(self.columns))


# The loop kinds, in the library's order (the AreaRollupRow fields between
# at_home and checks_last_24h).
LOOP_KINDS = fields(_core.AreaRollupRow)[10:18]


def to_pandas(answer):
    """A pandas DataFrame of an answer: any list of records (the lists the
    queries return, or a plain list of records of one type), one record
    (an Explanation gives its sources, one row each; any other record one
    row)."""
    import pandas

    if hasattr(answer, "to_pandas"):
        return answer.to_pandas()
    if isinstance(answer, _core.Explanation):
        return pandas.DataFrame.from_records(
            [tuple(s) for s in answer.sources],
            columns=list(fields(_core.ExplanationSource)))
    if isinstance(answer, tuple) and hasattr(type(answer), "__match_args__"):
        return pandas.DataFrame.from_records(
            [tuple(answer)], columns=list(fields(type(answer))))
    rows = list(answer)
    for kind in (Roster, OpenLoops, Rollup, Contacts, Chains):
        if rows and all(isinstance(r, kind.record_type) for r in rows):
            return kind(rows).to_pandas()
    if not rows:
        raise ValueError("an empty plain list has no columns: pass the list "
                         "a query returned")
    raise TypeError("to_pandas takes the answer of a query, not %s"
                    % type(rows[0]).__name__)
