"""Data diagnostics: the codes, the span convention and the cap.

Contract: every problem found in input data is a
:class:`~incentives.diagnostics.Diagnostic` built by :func:`problem`, whose
span is ``Span(file=source, line=row, column=c, end_line=row, end_column=c+1)``
where ``row`` is the row number a data owner can find (the physical line for
CSV) and ``c`` the 1-based position of the column in the header, or 0 when the
problem concerns the whole row or file. Message and hint are one line of
printable text: a control, bidirectional or zero-width character copied from a
cell or a column name (a NUL, U+202E, a quoted line break) is shown as a
``\\uXXXX`` escape, so it cannot garble the terminal that prints it.
:func:`finish` sorts them by file, row, column and code and keeps at most
:data:`MAX_PER_FILE` per file. The codes are listed, one line each, in
:mod:`incentives.data.dataset`.
"""

from __future__ import annotations

from collections.abc import Iterable

from incentives.diagnostics import Diagnostic, Related, Severity, sort_diagnostics
from incentives.errors import DataError
from incentives.report._text import visible
from incentives.source import Span

__all__ = [
    "BAD_CELL",
    "BAD_CSV",
    "BAD_HEADER",
    "BAD_RECORD_VALUE",
    "CURRENCY",
    "DUPLICATE_KEY",
    "EMPTY_FILE",
    "MANAGER_CYCLE",
    "MAX_PER_FILE",
    "MISSING_COLUMN",
    "MISSING_FILE",
    "NOT_UTF8",
    "RAGGED_ROW",
    "SHARES",
    "TOO_MANY",
    "UNKNOWN_LINE",
    "UNKNOWN_METRIC",
    "UNKNOWN_PAYEE",
    "UNREADABLE",
    "data_error",
    "finish",
    "place",
    "problem",
]

NOT_UTF8 = "D601"
MISSING_COLUMN = "D602"
BAD_CELL = "D603"
DUPLICATE_KEY = "D604"
UNKNOWN_PAYEE = "D605"
CURRENCY = "D606"
RAGGED_ROW = "D607"
EMPTY_FILE = "D608"
BAD_HEADER = "D609"
BAD_CSV = "D610"
BAD_RECORD_VALUE = "D611"
MISSING_FILE = "D612"
TOO_MANY = "D613"
MANAGER_CYCLE = "D614"
SHARES = "D615"
UNKNOWN_LINE = "D616"
UNKNOWN_METRIC = "D619"
UNREADABLE = "D620"

#: Most diagnostics reported for one file; the rest are counted in one more.
MAX_PER_FILE = 200


def place(source: str, row: int, column: int = 0) -> Span:
    """The span of one cell (``column`` 1-based) or of a whole row (``column`` 0)."""
    return Span(source, row, column, row, column + 1)


def problem(
    code: str,
    source: str,
    row: int,
    column: int,
    message: str,
    hint: str | None = None,
    related: Iterable[Related] = (),
) -> Diagnostic:
    """An error diagnostic about a cell, a row or a file of input data.

    >>> problem("D605", "ledger.csv", 2, 3, "`kim\\u202e` is not a payee", "add it").message
    '`kim\\\\u202e` is not a payee'
    """
    return Diagnostic(
        code,
        visible(message),
        place(source, row, column),
        Severity.ERROR,
        None if hint is None else visible(hint),
        tuple(related),
    )


def finish(diagnostics: Iterable[Diagnostic], limit: int = MAX_PER_FILE) -> list[Diagnostic]:
    """Sort diagnostics and keep at most ``limit`` per file.

    The ones left out of a file are replaced by a single ``D613`` diagnostic
    placed at the first one left out, so that it sorts after every one kept.
    """
    ordered = sort_diagnostics(list(diagnostics))
    kept: list[Diagnostic] = []
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in ordered:
        by_file.setdefault(diagnostic.span.file, []).append(diagnostic)
    for source, found in by_file.items():
        kept.extend(found[:limit])
        if len(found) > limit:
            first = found[limit].span
            more = len(found) - limit
            noun = "problem" if more == 1 else "problems"
            kept.append(
                problem(
                    TOO_MANY,
                    source,
                    first.line,
                    first.column,
                    f"and {more} more {noun} in {source}",
                    f"only the first {limit} problems of a file are listed",
                )
            )
    return kept


def data_error(diagnostics: Iterable[Diagnostic]) -> DataError:
    """One :class:`DataError` carrying every diagnostic, sorted and capped.

    The message counts every problem, including those the cap leaves out.
    """
    found = sort_diagnostics(list(diagnostics))
    count = len(found)
    noun = "problem" if count == 1 else "problems"
    return DataError(f"{count} {noun} in the data", finish(found))
