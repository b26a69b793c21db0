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
text      anything without spaces around   ``str``, unchanged
          it, including empty
========= ================================ ===================================

An empty cell is an error for every type except text. Text with spaces (or
tabs, line breaks, no-break spaces) before or after it is an error too: the
plan compares text exactly, so ``protection `` would silently fail to match
``"protection"``; the hint gives the text without them. No float is ever made,
and no decimal context is consulted: :func:`~incentives.money.parse_fixed`
is exact and the percent shift runs in the engine's own context. Every number
(before the ``%`` of a percent) has at most 18 digits before the point and 12
after it, so that sums of data are exact (see :mod:`incentives.money`).

Every :class:`CellError` has a hint: a data owner is told what to write.

>>> parse_cell("12.5%", ColumnType.PERCENT)
Decimal('0.125')
>>> parse_cell("TRUE", ColumnType.BOOL)
True
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from incentives.money import NumberTextError, evaluation_context, parse_fixed
from incentives.periods import PeriodTextError, parse_date
from incentives.values import ColumnType, Value

__all__ = ["CellError", "padded_text", "parse_cell"]

_COUNT = re.compile(r"-?[0-9]+")
_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class CellError(ValueError):
    """A cell's text is not a value of its column's type.

    ``message`` says what is wrong; ``hint`` says how to fix it (every error
    :func:`parse_cell` raises has one).
    ``str()`` of the error joins both, so a caller that only sees a
    ``ValueError`` still gets the whole advice.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(f"{message}; {hint}" if hint else message)
        self.message = message
        self.hint = hint


def padded_text(text: str) -> CellError:
    """The error for text with spaces around it, whose hint gives it without them.

    >>> padded_text("protection ").hint
    'remove the spaces: `protection`'
    """
    if text.strip() == "":
        return CellError("the cell holds only spaces", "leave it empty, or write the value")
    return CellError(f"`{text}` has spaces around it", f"remove the spaces: `{text.strip()}`")


def parse_cell(text: str, type: ColumnType) -> Value:
    """Parse the text of one cell as a value of ``type``.

    Args:
        text: the cell exactly as read (no stripping is done).
        type: the column's declared type.

    Returns:
        The typed value; every number is a ``Decimal``.

    Raises:
        CellError: if the text is empty (for a non-text type), is not a
            value of the type, or is text with spaces around it; the message
            is written for a data owner.
    """
    if type is ColumnType.TEXT:
        if text != text.strip():
            raise padded_text(text)
        return text
    if text == "":
        raise CellError("empty cell; a value is required", _EMPTY_HINTS[type])
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
        except PeriodTextError as exc:
            raise CellError(exc.message, exc.hint) from None
    raise AssertionError(f"unhandled column type {type!r}")  # pragma: no cover


_EMPTY_HINTS = {
    ColumnType.MONEY: "write the amount, like 1234.50 (0 if there is none)",
    ColumnType.DECIMAL: "write the number, like 0.5",
    ColumnType.PERCENT: "write the percent, like 12.5%",
    ColumnType.COUNT: "write the count, like 3 (0 if there is none)",
    ColumnType.BOOL: "write true or false",
    ColumnType.DATE: "write the date as YYYY-MM-DD, like 2026-03-31",
}


def _number(text: str) -> Decimal:
    try:
        return parse_fixed(text)
    except NumberTextError as exc:
        raise CellError(exc.message, _number_hint(text) or exc.hint) from None


def _number_hint(text: str) -> str | None:
    """Advice for the usual ways a spreadsheet writes a number (None: no special advice)."""
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
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        return "delete the invisible character (shown as \\u…) from the cell"
    folded = text.lstrip("-").casefold()
    if folded in ("nan", "snan", "inf", "infinity"):
        return "write a number, like 1234.50; NaN and infinity are not amounts"
    if text[:1] in _CURRENCY_SIGNS or text[-1:] in _CURRENCY_SIGNS:
        return "remove the currency sign: the currency has a column of its own"
    if re.fullmatch(r"-?\.[0-9]+|-?[0-9]+\.", text):
        return "write a digit on both sides of the point, like 0.5 or 5.0"
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return "write the number with the digits 0 to 9"
    return None


_CURRENCY_SIGNS = frozenset("$€£¥₹₩₽¤")


def _percent(text: str) -> Decimal:
    if not text.endswith("%"):
        if _is_plain_number(text):
            raise CellError(f"`{text}` is not a percent", "write 5% for five percent")
        raise CellError(f"`{text}` is not a percent", "write a number and a `%`, like 12.5%")
    if not _is_plain_number(text[:-1]):
        raise CellError(
            f"`{text}` is not a percent",
            "write plain digits with an optional `.` before the `%`, like 12.5%",
        )
    fraction = _number(text[:-1])  # only too many digits can fail here
    # Moving the decimal point is exact; the engine's context has room for
    # every number parse_fixed accepts, so nothing is rounded.
    with evaluation_context():
        return fraction.scaleb(-2)


def _count(text: str) -> Decimal:
    if not _COUNT.fullmatch(text):
        hint = "a count is a whole number, like 12"
        if _is_plain_number(text):
            raise CellError(f"`{text}` is not a whole number", hint)
        raise CellError(f"`{text}` is not a count", hint)
    try:
        return parse_fixed(text)
    except NumberTextError as exc:  # too many digits
        raise CellError(exc.message, exc.hint) from None


def _bool(text: str) -> bool:
    folded = text.lower()
    if folded == "true":
        return True
    if folded == "false":
        return False
    raise CellError(f"`{text}` is not true or false", "write true or false")


def _is_plain_number(text: str) -> bool:
    """Whether ``text`` has the form of a plain number (whatever its size)."""
    return _PLAIN.fullmatch(text) is not None
