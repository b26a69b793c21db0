"""A pay period part-way through: the ledger as of a date, the elapsed share, the ledger at pace.

Contract: pure functions over :class:`~incentives.data.ValidatedData` and the
plan's calendar; nothing is evaluated here, and the evaluator is not changed.
A report on the period "as of" a date runs the ordinary evaluator on the
datasets these functions return.

* :func:`elapsed` is the share of a pay period that has passed on a date,
  counted in whole days from the period's first day through the date (both
  included). The days are **working days** (Monday to Friday, less the plan's
  ``holidays``) when one of the plan's quotas splits its goal by working
  days, since that is how the plan itself spreads a target over time, and
  **calendar days** otherwise. For a payee, only the days they are active
  (between their ``start_date`` and ``end_date``) count, on both sides of the
  fraction: a payee hired on day 11 of a 31-day month has, on day 12, done
  2 of their 21 days.
* :func:`ledger_as_of` keeps the ledger lines dated on or before a date (by
  the ``date`` column) and counts the lines it drops; every other table is
  unchanged. Splits of dropped lines stay in the table unused: crediting looks
  a line's splits up by its ``txn_id``.
* :func:`ledger_at_pace` scales the money columns (``amount`` and every
  declared ``money`` column) of each line dated inside one pay period by a
  factor, exactly, and rounds each scaled amount to the minor unit of the
  line's currency, half to even. Counts, percents, texts and dates are not
  scaled, no line is added or removed, and lines outside the period (earlier
  periods, whose state a plan may carry) are unchanged.
* :func:`round_fraction` rounds an exact fraction to a multiple of a unit,
  half to even, with integer arithmetic (no double rounding).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from incentives.compile import ir
from incentives.data import LedgerLine, Payee, ValidatedData
from incentives.money import evaluation_context, minor_unit
from incentives.periods import Period, count_working_days
from incentives.values import ColumnType

__all__ = [
    "Basis",
    "Elapsed",
    "basis_of",
    "elapsed",
    "ledger_as_of",
    "ledger_at_pace",
    "round_fraction",
]

Basis = Literal["calendar_days", "working_days"]


@dataclass(frozen=True, slots=True)
class Elapsed:
    """``elapsed`` of ``days`` days of a period have passed, counted on ``basis``.

    >>> twelfth = Elapsed("calendar_days", 12, 31)
    >>> twelfth.share, twelfth.factor, twelfth.words
    (Fraction(12, 31), Fraction(31, 12), 'calendar days')
    """

    basis: Basis
    elapsed: int
    days: int

    @property
    def share(self) -> Fraction | None:
        """``elapsed / days``, or None if the period (for this payee) has no days."""
        return Fraction(self.elapsed, self.days) if self.days else None

    @property
    def factor(self) -> Fraction | None:
        """The pace factor ``days / elapsed``, or None before the first day counts."""
        return Fraction(self.days, self.elapsed) if self.elapsed else None

    @property
    def words(self) -> str:
        """The basis in words: "calendar days" or "working days"."""
        return self.basis.replace("_", " ")


def basis_of(plan: ir.Plan) -> Basis:
    """Working days if a quota of the plan splits by working days, else calendar days."""
    if any(q.split == "working_days" for q in plan.quotas.values()):
        return "working_days"
    return "calendar_days"


def elapsed(plan: ir.Plan, period: Period, day: date, payee: Payee | None = None) -> Elapsed:
    """How much of ``period`` has passed on ``day`` (for ``payee``'s active days, if given)."""
    basis = basis_of(plan)
    first, last = period.start, period.end
    if payee is not None:
        if payee.start_date is not None:
            first = max(first, payee.start_date)
        if payee.end_date is not None:
            last = min(last, payee.end_date)
    count = _count(basis, plan.holidays)
    return Elapsed(basis, count(first, min(day, last)), count(first, last))


def _count(basis: Basis, holidays: frozenset[date]) -> Callable[[date, date], int]:
    def calendar(first: date, last: date) -> int:
        return max((last - first).days + 1, 0)

    def working(first: date, last: date) -> int:
        return count_working_days(first, last, holidays)

    return working if basis == "working_days" else calendar


def ledger_as_of(data: ValidatedData, day: date) -> tuple[ValidatedData, int]:
    """The data with only the ledger lines dated on or before ``day``, and how many were dropped."""
    kept = tuple(line for line in data.ledger if line.date <= day)
    return dataclasses.replace(data, ledger=kept), len(data.ledger) - len(kept)


def ledger_at_pace(
    plan: ir.Plan,
    data: ValidatedData,
    period: Period,
    factor: Callable[[LedgerLine], Fraction],
) -> ValidatedData:
    """The data with each line of ``period`` scaled by ``factor(line)`` (see the module)."""
    columns = [c for c, t in plan.ledger_columns if t is ColumnType.MONEY]
    lines = []
    for line in data.ledger:
        if not period.contains(line.date):
            lines.append(line)
            continue
        scale = factor(line)
        unit = minor_unit(line.currency)
        values = dict(line.values)
        for column in columns:
            value = values.get(column)
            if isinstance(value, Decimal):
                values[column] = round_fraction(Fraction(value) * scale, unit)
        amount = round_fraction(Fraction(line.amount) * scale, unit)
        lines.append(line.model_copy(update={"amount": amount, "values": values}))
    return dataclasses.replace(data, ledger=tuple(lines))


def round_fraction(value: Fraction, unit: Decimal) -> Decimal:
    """``value`` rounded to a whole multiple of ``unit``, half to even, exactly.

    >>> round_fraction(Fraction(2345, 1000), Decimal("0.01"))
    Decimal('2.34')
    >>> round_fraction(Fraction(-3100, 12), Decimal("0.01"))
    Decimal('-258.33')
    >>> round_fraction(Fraction(5, 2), Decimal(1)), round_fraction(Fraction(7, 2), Decimal(1))
    (Decimal('2'), Decimal('4'))
    """
    steps = value / Fraction(unit)
    whole = steps.numerator // steps.denominator
    rest = steps - whole
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole % 2 == 1):
        whole += 1
    with evaluation_context():
        result = Decimal(whole) * unit
    return abs(result) if result.is_zero() else result
