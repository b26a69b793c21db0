"""Raw tables: the cells of one input table exactly as read, before typing.

Contract: a :class:`RawTable` is what a source (a CSV file, a list of
records) holds once it has been decoded and split into cells, and nothing
more: every cell is the exact ``str`` read, nothing is stripped, converted or
dropped except fully blank CSV lines. Every row has exactly one cell per
column; a ragged row (more or fewer cells), or a row with a cell too long to
read, is kept apart in :attr:`RawTable.ragged`, never validated, only so that
other tables naming its key (a payee, a txn_id) are not told the key does not
exist.

Row numbers are what the data owner needs to find a row:

* CSV: the physical line on which the row starts (the header is normally
  line 1, so the first data row is 2; a quoted value spanning lines pushes
  later rows down, as a text editor shows).
* records: the 1-based position of the record (the first record is row 1),
  and the table has no header line (``header_line == 0``).

:meth:`RawTable.canonical_csv` renders a table as CSV text (``csv`` module,
minimal quoting, LF line endings, no BOM), which gives the same bytes for the
same content whatever its source.

>>> table = RawTable("ledger", "ledger.csv", ("txn_id", "amount"), (RawRow(2, ("T1", "5")),))
>>> table.column_index("amount"), table.column_index("Amount")
(1, None)
>>> table.canonical_csv()
b'txn_id,amount\\nT1,5\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from incentives.data import _report
from incentives.diagnostics import Diagnostic

__all__ = [
    "TABLE_NAMES",
    "RawRow",
    "RawTable",
    "cell_problems",
    "header_problems",
    "other_separator",
]

#: The tables of a dataset, in the order they are read and reported.
TABLE_NAMES = ("ledger", "roster", "quotas", "metrics", "splits", "fx")


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row: where it is and its cells, one per column."""

    #: Physical line of the row's first line (CSV) or 1-based record number.
    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RawTable:
    """One input table as text cells."""

    #: Which table this is: ``ledger``, ``roster``, ``quotas`` or ``metrics``.
    name: str
    #: The file path as the caller gave it, or ``<records:ledger>``.
    source: str
    columns: tuple[str, ...]
    rows: tuple[RawRow, ...]
    #: Line of the header in a CSV file; 0 for records, which have none.
    header_line: int = 1
    #: Rows with more or fewer cells than the header (reported as D607), or a
    #: cell too long (D610).
    ragged: tuple[RawRow, ...] = ()

    def column_index(self, name: str) -> int | None:
        """0-based position of the column named exactly ``name``, or None."""
        try:
            return self.columns.index(name)
        except ValueError:
            return None

    def keys(self, column: str) -> frozenset[str]:
        """Every text in ``column``, of ragged rows too (where they reach it).

        >>> table = RawTable("roster", "r.csv", ("payee", "fte"), (RawRow(2, ("kim", "1")),),
        ...                  ragged=(RawRow(3, ("lee", "1", "x")), RawRow(4, ())))
        >>> sorted(table.keys("payee"))
        ['kim', 'lee']
        """
        index = self.column_index(column)
        if index is None:
            return frozenset()
        return frozenset(
            row.cells[index] for row in (*self.rows, *self.ragged) if index < len(row.cells)
        )

    def canonical_csv(self) -> bytes:
        """The table as UTF-8 CSV bytes in one canonical form (for hashing)."""
        if not self.columns:
            return b""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(row.cells for row in self.rows)
        return buffer.getvalue().encode("utf-8")


def cell_problems(table: RawTable) -> list[Diagnostic]:
    """A ``D611`` for each cell that is not a ``str`` (a table built by hand from Python).

    Readers always make text cells; this guards :meth:`Dataset.from_tables`,
    so that a float put in a cell is refused where it is, never converted.
    """
    found: list[Diagnostic] = []
    for row in table.rows:
        for position, cell in enumerate(row.cells, start=1):
            if not isinstance(cell, str):
                column = table.columns[position - 1] if position <= len(table.columns) else ""
                found.append(
                    _report.problem(
                        _report.BAD_RECORD_VALUE,
                        table.source,
                        row.number,
                        position,
                        f"{table.name} row {row.number}, column `{column}`: a cell is text, "
                        f"not a {type(cell).__name__}",
                        "build the table from the text of each cell, or use "
                        "Dataset.from_records for Python values",
                    )
                )
    return found


#: Separators some exports use instead of a comma, as a person names them.
_SEPARATORS = {";": "`;` (semicolons)", "\t": "tabs"}


def other_separator(header: Sequence[str]) -> str | None:
    """How the header's cells are separated, if it looks like another separator than a comma.

    A header read as one single cell that contains ``;`` or a tab comes from
    an export with that separator (Excel in many locales writes ``;``).

    >>> other_separator(["txn_id;date;payee"]), other_separator(["txn_id", "date"])
    ('`;` (semicolons)', None)
    """
    if len(header) != 1:
        return None
    for separator, name in _SEPARATORS.items():
        if separator in header[0]:
            return name
    return None


def header_problems(columns: Sequence[str], source: str, line: int) -> list[Diagnostic]:
    """Column names that are empty, padded with spaces, or used twice.

    Names are taken exactly: ``Amount`` and ``amount`` are different columns,
    and `` amount`` (with a space) is an error rather than silently trimmed.
    """
    found: list[Diagnostic] = []
    first_at: dict[str, int] = {}
    for position, name in enumerate(columns, start=1):
        if name == "":
            found.append(
                _report.problem(
                    _report.BAD_HEADER,
                    source,
                    line,
                    position,
                    f"column {position} has no name",
                    "name every column, or delete the empty column "
                    "(a trailing comma in the header makes one)",
                )
            )
        elif name != name.strip():
            found.append(
                _report.problem(
                    _report.BAD_HEADER,
                    source,
                    line,
                    position,
                    f"column name `{name}` has spaces around it",
                    f"remove the spaces: `{name.strip()}`",
                )
            )
        if name in first_at and name != "":
            found.append(
                _report.problem(
                    _report.BAD_HEADER,
                    source,
                    line,
                    position,
                    f"column `{name}` appears twice: columns {first_at[name]} and {position}",
                    "rename or delete one of them",
                )
            )
        first_at.setdefault(name, position)
    return found
