"""Statements as CSV, safe to open in a spreadsheet (``incentives run --format csv``).

Contract: a header, then one row per statement line and one ``total`` row
after each statement's lines, statements in result order::

    period,payee,payee_name,component,label,kind,amount,currency
    2026-03,alice,Alice,sales_commission,Sales commission,commission,1379.73,USD
    2026-03,alice,Alice,total,Total,total,1379.73,USD

Amounts are plain fixed-point numbers (``-12.50``), never quoted or
prefixed, so a spreadsheet reads them as numbers. Every *text* cell that a
spreadsheet would run as a formula, that is one starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, is prefixed with a single quote
``'`` (the OWASP rule against CSV injection). Quoting follows RFC 4180 where
needed; lines end with ``\\n`` (every spreadsheet and every Unix tool reads
that); the text is UTF-8 without a byte-order mark. The same result always
renders the same bytes.
"""

from __future__ import annotations

import csv
import io

from incentives.money import format_decimal
from incentives.results import RunResult

__all__ = ["HEADER", "render_csv", "safe_text"]

HEADER = ("period", "payee", "payee_name", "component", "label", "kind", "amount", "currency")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(cell: str) -> str:
    """A text cell a spreadsheet will show, not run.

    >>> safe_text('=HYPERLINK("http://x")'), safe_text("-5"), safe_text("Alice")
    ('\\'=HYPERLINK("http://x")', "'-5", 'Alice')
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def render_csv(result: RunResult) -> str:
    """Every statement line and total of a run as CSV text (see the module docstring)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for s in result.statements:
        who = [safe_text(s.period), safe_text(s.payee), safe_text(s.payee_name or "")]
        for line in s.lines:
            text = [safe_text(line.component), safe_text(line.label), safe_text(line.kind)]
            writer.writerow([*who, *text, format_decimal(line.amount), safe_text(line.currency)])
        writer.writerow(
            [*who, "total", "Total", "total", format_decimal(s.total), safe_text(s.currency)]
        )
    return buffer.getvalue()
