"""The kinds of values a plan reads from data and computes with.

Contract: at run time every value is one of :data:`Value`'s Python types.
All numbers (money, decimal, percent, count) are ``decimal.Decimal``; the
currency of a money value and the flavour of a number live in the static
type the checker assigns, never in the value. A percent is stored as its
fraction: ``5%`` is ``Decimal("0.05")``.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

__all__ = ["ColumnType", "Value"]

#: A value at run time.
Value = Decimal | str | bool | date


class ColumnType(enum.StrEnum):
    """The type of a data column a plan declares (``units: count``)."""

    MONEY = "money"
    DECIMAL = "decimal"
    PERCENT = "percent"
    COUNT = "count"
    TEXT = "text"
    BOOL = "bool"
    DATE = "date"
