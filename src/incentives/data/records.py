"""Python records to raw tables.

Contract: :func:`from_records` turns an iterable of mappings (column name to
value) into the same :class:`~incentives.data.tables.RawTable` a CSV file
with the same content gives, so the two sources validate identically. Each
value becomes the cell text a CSV file would hold:

============================ ==============================================
value                        cell
============================ ==============================================
``str``                      unchanged
``int``                      its digits
``bool``                     ``true`` / ``false``
``Decimal`` (finite)         :func:`~incentives.money.format_decimal`
``datetime.date``            ``YYYY-MM-DD``
``None`` or a missing key    empty
============================ ==============================================

Anything else is a ``D611`` diagnostic naming the table, the record's index
and the column, and the cell is left empty: above all a ``float`` (it is
already inexact), but also a ``datetime`` (a payout counts days, and a time
of day would be dropped silently), a non-finite ``Decimal`` and any other
type. A key that is not a ``str`` is a ``D611`` too. Every ``D611`` has a hint
saying what to pass instead. An ``int`` too large to be an amount still
becomes its digits (or, beyond any sensible size, a ``D611``), so that the
validator refuses it with ``D603`` at its place.

Columns are the union of the records' keys in first-seen order. Row numbers
are 1-based record positions (index 0 is row 1) and the table has no header
line. Records that are not an iterable of mappings (None, a number, a
string, a single mapping) are the caller's mistake: :class:`UsageError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from incentives.data import _report
from incentives.data.models import float_hint
from incentives.data.tables import RawRow, RawTable, header_problems
from incentives.diagnostics import Diagnostic
from incentives.errors import UsageError
from incentives.money import evaluation_context, format_decimal

__all__ = ["from_records"]


@evaluation_context()
def from_records(
    name: str, records: Iterable[Mapping[str, object]]
) -> tuple[RawTable | None, list[Diagnostic]]:
    """Build a raw table from records.

    Args:
        name: the table: ``ledger``, ``roster``, ``quotas`` or ``metrics``.
        records: one mapping per row, column name to value.

    Returns:
        The table and the problems found (values of unsupported types).

    Raises:
        UsageError: if ``records`` is not an iterable of mappings.
    """
    if isinstance(records, str | bytes | Mapping) or not isinstance(records, Iterable):
        raise UsageError(
            f"pass a list of mappings of column name to value as the {name} records, "
            f"one per row; got {type(records).__name__}"
        )
    source = f"<records:{name}>"
    found: list[Diagnostic] = []
    staged: list[Mapping[str, object]] = []
    columns: dict[str, None] = {}  # an ordered set
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise UsageError(
                f"{name} record at index {index} is a {type(record).__name__}, "
                "not a mapping of column name to value"
            )
        for key in record:
            if isinstance(key, str):
                columns.setdefault(key, None)
            else:
                found.append(
                    _report.problem(
                        _report.BAD_RECORD_VALUE,
                        source,
                        index + 1,
                        0,
                        f"{name} record at index {index}: "
                        f"column name {_shown(key)} is not a string",
                        'name every column with a str, like "amount"',
                    )
                )
        staged.append(record)
    names = tuple(columns)
    rows: list[RawRow] = []
    for index, record in enumerate(staged):
        cells: list[str] = []
        for position, column in enumerate(names, start=1):
            try:
                cells.append(_render(record.get(column)))
            except _Unsupported as exc:
                cells.append("")
                found.append(
                    _report.problem(
                        _report.BAD_RECORD_VALUE,
                        source,
                        index + 1,
                        position,
                        f"{name} record at index {index}, column `{column}`: {exc.message}",
                        exc.hint,
                    )
                )
        rows.append(RawRow(index + 1, tuple(cells)))
    found.extend(header_problems(names, source, 0))
    return RawTable(name, source, names, tuple(rows), header_line=0), found


#: Numbers longer than this many digits written out are not even turned into
#: text (longer than 30 digits, they are refused anyway, as D603).
_MAX_TEXT = 10_000
_TOO_LONG = (
    "pass the number the data holds; numbers have at most 18 digits before the point and 12 after"
)


def _shown(value: object) -> str:
    """A short repr of a value (an int of 5,000 digits has none)."""
    try:
        text = repr(value)
    except Exception:
        return f"of type {type(value).__name__}"
    return text if len(text) <= 40 else f"{text[:37]}..."


class _Unsupported(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _render(value: object) -> str:
    """The cell text for one record value (see the module contract)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        if value.bit_length() * 0.30103 > _MAX_TEXT:  # log10(2): bits to digits
            raise _Unsupported(
                f"an int of about {int(value.bit_length() * 0.30103)} digits is not a value",
                _TOO_LONG,
            )
        # Not str(): it refuses ints of more than 4300 digits with a ValueError.
        return format_decimal(Decimal(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _Unsupported(
                f"Decimal('{value}') is not a finite number",
                "pass the actual number, like Decimal('1250.00'), or None for no value",
            )
        exponent = int(value.as_tuple().exponent)
        if max(value.adjusted(), 0) + max(-exponent, 0) > _MAX_TEXT:
            # Written out in full, Decimal('1E-999999999') is a gigabyte of zeros.
            raise _Unsupported(f"Decimal('{value}') is not a value any data holds", _TOO_LONG)
        return format_decimal(value)
    if isinstance(value, float):
        raise _Unsupported(
            "floats are not accepted: pass Decimal('…') or a string", float_hint(value)
        )
    if isinstance(value, datetime):  # before date: a datetime is a date
        raise _Unsupported(
            "a datetime is not accepted: pass a date",
            f"use .date() to pass {value.date().isoformat()}",
        )
    if isinstance(value, date):
        return value.isoformat()
    raise _Unsupported(
        f"a {type(value).__name__} is not accepted",
        "pass a str, int, Decimal, date, bool or None",
    )
