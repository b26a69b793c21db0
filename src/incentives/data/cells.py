"""Cell text to typed values: the one place that reads a data cell.

Contract: :func:`parse_cell` turns the exact text of one cell into a
:data:`~incentives.values.Value` of the requested
:class:`~incentives.values.ColumnType`, or raises :class:`CellError` (a
``ValueError``) whose message names the text and says how to write it. The
forms are strict, because a spreadsheet's guess is not a payout:

========= ================================ ===================================
type      accepted                         result
========= ================================ ===================================
money     ``-1234.50`` (plain fixed point) ``Decimal('-1234.50')``
decimal   as money                         ``Decimal``
percent   ``12.5%`` (the ``%`` required)   ``Decimal('0.125')``, exactly
count     ``-3``, ``12`` (whole numbers)   ``Decimal('12')``
bool      ``true`` / ``false``, any case   ``bool``
date      ``2026-03-31``                   ``datetime.date``
text      anything, including empty        ``str``, unchanged
========= ================================ ===================================

An empty cell is an error for every type except text. No float is ever made,
and no decimal context is consulted: :func:`~incentives.money.parse_decimal`
is exact and the percent shift runs in the engine's own context.

>>> parse_cell("12.5%", ColumnType.PERCENT)
Decimal('0.125')
>>> parse_cell("TRUE", ColumnType.BOOL)
True
"""

from __future__ import annotations

import re
from decimal import Decimal

from incentives.money import evaluation_context, parse_decimal
from incentives.periods import parse_date
from incentives.values import ColumnType, Value

__all__ = ["CellError", "parse_cell"]

_COUNT = re.compile(r"-?[0-9]+")


class CellError(ValueError):
    """A cell's text is not a value of its column's type.

    ``message`` says what is wrong; ``hint`` (optional) says how to fix it.
    ``str()`` of the error joins both, so a caller that only sees a
    ``ValueError`` still gets the whole advice.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(f"{message}; {hint}" if hint else message)
        self.message = message
        self.hint = hint


def parse_cell(text: str, type: ColumnType) -> Value:
    """Parse the text of one cell as a value of ``type``.

    Args:
        text: the cell exactly as read (no stripping is done).
        type: the column's declared type.

    Returns:
        The typed value; every number is a ``Decimal``.

    Raises:
        CellError: if the text is empty (for a non-text type) or is not a
            value of the type; the message is written for a data owner.
    """
    if type is ColumnType.TEXT:
        return text
    if text == "":
        raise CellError("empty cell; a value is required")
    if type is ColumnType.MONEY or type is ColumnType.DECIMAL:
        return _number(text)
    if type is ColumnType.PERCENT:
        return _percent(text)
    if type is ColumnType.COUNT:
        return _count(text)
    if type is ColumnType.BOOL:
        return _bool(text)
    if type is ColumnType.DATE:
        try:
            return parse_date(text)
        except ValueError as exc:
            raise CellError(str(exc)) from None
    raise AssertionError(f"unhandled column type {type!r}")  # pragma: no cover


def _number(text: str) -> Decimal:
    try:
        return parse_decimal(text)
    except ValueError as exc:
        raise CellError(str(exc), _number_hint(text)) from None


def _number_hint(text: str) -> str | None:
    """Advice for the usual ways a spreadsheet writes a number."""
    if text != text.strip():
        return "remove the spaces around the number"
    if text.startswith("+"):
        return "drop the `+`: a positive number has no sign"
    if "," in text or "_" in text:
        return "remove the thousands separators, like 1234.50"
    if text.endswith("%"):
        return "this column holds a plain number, not a percent"
    if re.fullmatch(r"[-+]?[0-9.]+[eE][-+]?[0-9]+", text):
        return "write the number out in full, without an exponent"
    return None


def _percent(text: str) -> Decimal:
    if not text.endswith("%"):
        if _is_plain_number(text):
            raise CellError(f"`{text}` is not a percent", "write 5% for five percent")
        raise CellError(f"`{text}` is not a percent", "write a number and a `%`, like 12.5%")
    try:
        fraction = parse_decimal(text[:-1])
    except ValueError:
        raise CellError(
            f"`{text}` is not a percent",
            "write plain digits with an optional `.` before the `%`, like 12.5%",
        ) from None
    # Moving the decimal point is exact; the engine's context has room for
    # every number parse_decimal accepts, so nothing is rounded.
    with evaluation_context():
        return fraction.scaleb(-2)


def _count(text: str) -> Decimal:
    if not _COUNT.fullmatch(text):
        hint = "a count is a whole number, like 12"
        if _is_plain_number(text):
            raise CellError(f"`{text}` is not a whole number", hint)
        raise CellError(f"`{text}` is not a count", hint)
    try:
        return parse_decimal(text)
    except ValueError as exc:  # too many digits
        raise CellError(str(exc)) from None


def _bool(text: str) -> bool:
    folded = text.lower()
    if folded == "true":
        return True
    if folded == "false":
        return False
    raise CellError(f"`{text}` is not true or false", "write true or false")


def _is_plain_number(text: str) -> bool:
    try:
        parse_decimal(text)
    except ValueError:
        return False
    return True
