"""Targets for a pay period: goal, split, proration and ramp (DESIGN §3).

Contract: :func:`quota_for` returns a payee's quota for one pay period and a
sentence for the trace, computed as

    Σ over goal periods G overlapping the pay period:  goal(G) × share(G)
    × fte (if prorated by FTE) × active days ÷ period days (if prorated by
    days active) × ramp factor for the tenure month

with every rational share kept as an exact fraction: all numerators are
multiplied first and the product divided once, so a quarterly 90,000 split
evenly is exactly 30,000 a month and 10,000 for a hire on day 11 of a
30-day month is 10,000 × 20 ÷ 30. The plan's ``round`` clause, if any, is
applied last.

Shares: ``evenly`` 1/n of a goal period that holds n pay periods;
``weights`` the pay period's weight; ``calendar days`` overlap days ÷ days
of G; ``working days`` overlap Monday–Friday non-holidays ÷ those of G.

Tenure month: month 1 is the calendar month of the start date; a period's
tenure month is that of its first active day. A payee without a start date
is treated as fully ramped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from incentives.check.types import PERCENT, show
from incentives.compile import ir
from incentives.data import Payee, ValidatedData
from incentives.money import format_decimal, quantize
from incentives.periods import (
    Period,
    PeriodKind,
    calendar_period,
    count_working_days,
    months_between,
    nested_count,
    nested_index,
)

__all__ = ["MissingQuota", "QuotaValue", "active_days", "quota_for"]


class MissingQuota(LookupError):
    """The quotas table has no goal for a payee and goal period."""

    def __init__(self, payee: str, label: str) -> None:
        super().__init__(payee, label)
        self.payee = payee
        self.label = label


@dataclass(frozen=True, slots=True)
class QuotaValue:
    value: Decimal
    detail: str


def active_days(payee: Payee, period: Period) -> int:
    """Days of ``period`` between the payee's start and end dates (inclusive)."""
    start = payee.start_date or period.start
    end = payee.end_date or period.end
    return period.overlap_days(start, end)


def _goal_periods(quota: ir.Quota, period: Period, anchor_kind: PeriodKind) -> list[Period]:
    if quota.goal_kind is anchor_kind:
        return [period]
    first = calendar_period(quota.goal_kind, period.start)
    last = calendar_period(quota.goal_kind, period.end)
    return [first] if first == last else [first, last]


def quota_for(
    quota: ir.Quota,
    plan: ir.Plan,
    payee: Payee,
    period: Period,
    data: ValidatedData,
    goal_value: Callable[[], Decimal],
) -> QuotaValue:
    """A payee's quota for one pay period (see the module docstring).

    Raises:
        MissingQuota: if the quotas table lacks a goal the split needs.
    """
    parts: list[str] = []
    numerator = Decimal(0)
    denominator = 1
    for goal_period in _goal_periods(quota, period, plan.scheme.kind):
        goal = _goal(quota, payee, goal_period, data, goal_value)
        share = _share(quota, plan, period, goal_period)
        # Put all shares over one common denominator so we divide once.
        common = denominator * share.denominator
        numerator = numerator * share.denominator + goal * share.numerator * denominator
        denominator = common
        parts.append(_describe_share(quota, goal, goal_period, share))
    factors: list[str] = []
    multiplier = Decimal(1)
    if quota.prorate_fte:
        assert payee.fte is not None
        multiplier *= payee.fte
        factors.append(f"FTE {format_decimal(payee.fte)}")
    if quota.prorate_days:
        days = active_days(payee, period)
        numerator *= days
        denominator *= period.days
        factors.append(f"{days}/{period.days} days active")
    if quota.ramp:
        month, factor = _ramp(quota, payee, period)
        multiplier *= factor
        factors.append(f"ramp month {month} at {show(factor, PERCENT)}")
    value = numerator * multiplier / denominator
    detail = " + ".join(parts)
    if factors:
        detail += " × " + " × ".join(factors)
    if quota.rounding is not None:
        mode, unit = quota.rounding
        rounded = quantize(value, unit, mode)
        detail += (
            f"; rounded {mode.value} to {format_decimal(unit)}: "
            f"{show(value, quota.type)} → {show(rounded, quota.type)}"
        )
        value = rounded
    return QuotaValue(value, detail)


def _goal(
    quota: ir.Quota,
    payee: Payee,
    goal_period: Period,
    data: ValidatedData,
    goal_value: Callable[[], Decimal],
) -> Decimal:
    if quota.goal is not None:
        return goal_value()
    entry = data.quotas.get((payee.id, goal_period.label))
    if entry is None:
        raise MissingQuota(payee.id, goal_period.label)
    return entry.amount


def _share(quota: ir.Quota, plan: ir.Plan, period: Period, goal: Period) -> Fraction:
    match quota.split:
        case "none":
            return Fraction(1)
        case "evenly":
            count = nested_count(period.kind, goal.kind)
            assert count is not None
            return Fraction(1, count)
        case "weights":
            weight = quota.weights[nested_index(period, goal)]
            return Fraction(weight)
        case "calendar_days":
            return Fraction(period.overlap_days(goal.start, goal.end), goal.days)
        case "working_days":
            first = max(period.start, goal.start)
            last = min(period.end, goal.end)
            total = count_working_days(goal.start, goal.end, plan.holidays)
            if total == 0:
                return Fraction(0)
            return Fraction(count_working_days(first, last, plan.holidays), total)
    raise AssertionError(quota.split)  # pragma: no cover


def _describe_share(quota: ir.Quota, goal: Decimal, goal_period: Period, share: Fraction) -> str:
    text = f"goal {show(goal, quota.type)} for {goal_period.label}"
    if quota.split == "none":
        return text
    words = {
        "evenly": "evenly",
        "weights": "by weight",
        "calendar_days": "calendar days",
        "working_days": "working days",
    }[quota.split]
    return f"{text} × {share.numerator}/{share.denominator} ({words})"


def _ramp(quota: ir.Quota, payee: Payee, period: Period) -> tuple[int, Decimal]:
    if payee.start_date is None:
        return 0, Decimal(1)
    first_active = max(payee.start_date, period.start)
    month = months_between(payee.start_date, first_active) + 1
    for step in quota.ramp:
        if step.first <= month <= step.last:
            return month, step.factor
    return month, Decimal(1)
