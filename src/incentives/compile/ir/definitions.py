"""Compiled definitions within a period: tables, measures, lets, quotas, components, total.

Contract: tiers sorted, contiguous and non-overlapping, from at or below zero
to unbounded; rate tables unambiguous under their hit policy; a component's
steps (payment, condition, gate, cap, floor) and what carries it across
periods (holdback, true-up, cap over a horizon, line attribution).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from incentives.check.types import Type
from incentives.compile.ir.expressions import Expr, Scope, TierApply
from incentives.money import RoundingMode
from incentives.periods import PeriodKind
from incentives.source import Span
from incentives.values import Value

__all__ = [
    "Aggregate",
    "Attribution",
    "Band",
    "Component",
    "Gate",
    "Hold",
    "HorizonCap",
    "Let",
    "Measure",
    "Quota",
    "RampStep",
    "RateRow",
    "RateTable",
    "SplitMethod",
    "TierTable",
    "Total",
]


@dataclass(frozen=True, slots=True)
class Band:
    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool
    value: Decimal
    value_to: Decimal | None
    #: The band as the author wrote it, for traces: "at least 100% and below 150%".
    text: str
    span: Span

    def contains(self, x: Decimal) -> bool:
        if self.lower is not None and (
            x < self.lower or (x == self.lower and not self.lower_inclusive)
        ):
            return False
        return not (
            self.upper is not None
            and (x > self.upper or (x == self.upper and not self.upper_inclusive))
        )


@dataclass(frozen=True, slots=True)
class TierTable:
    name: str
    kind: Literal["marginal", "retroactive", "flat", "interpolated"]
    bands: tuple[Band, ...]
    bound_type: Type
    value_type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class RateRow:
    #: One key value per key column; None is the wildcard ``any``.
    keys: tuple[Value | None, ...]
    value: Decimal
    span: Span


@dataclass(frozen=True, slots=True)
class RateTable:
    name: str
    keys: tuple[str, ...]
    policy: Literal["unique", "first"]
    rows: tuple[RateRow, ...]
    otherwise: RateRow | None
    type: Type
    span: Span


Aggregate = Literal["sum", "min", "max", "average", "count", "count_distinct"]


@dataclass(frozen=True, slots=True)
class Measure:
    """Stage 1: a filter, an optional per-line expression, and an aggregate."""

    name: str
    aggregate: Aggregate
    argument: Expr | None
    where: Expr | None
    #: A to-date horizon (quarter to date …), or None for the pay period itself.
    horizon: PeriodKind | None
    default: Value | None
    type: Type
    span: Span
    #: The per-line payments of a component are measures the author did not name.
    component: str | None = None
    #: A team measure reads the lines credited to the payees of this scope,
    #: each line once, instead of the payee's own lines.
    scope: Scope | None = None
    #: The date column that puts a line in a period (None: the plan's
    #: ``earn on`` column, or ``date``).
    dated_by: str | None = None


@dataclass(frozen=True, slots=True)
class Let:
    name: str
    value: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class RampStep:
    first: int
    last: int
    factor: Decimal


SplitMethod = Literal["none", "evenly", "calendar_days", "working_days", "weights"]


@dataclass(frozen=True, slots=True)
class Quota:
    name: str
    #: None: the quotas table; else the goal amount.
    goal: Expr | None
    goal_kind: PeriodKind
    split: SplitMethod
    weights: tuple[Decimal, ...]
    prorate_fte: bool
    prorate_days: bool
    ramp: tuple[RampStep, ...]
    rounding: tuple[RoundingMode, Decimal] | None
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Hold:
    """``hold back SHARE …``: part of a component kept back until released."""

    share: Decimal
    release: Literal["periods", "date", "column"]
    periods: int | None
    day: date | None
    column: str | None


@dataclass(frozen=True, slots=True)
class HorizonCap:
    """``cap at LIMIT per HORIZON, excess forfeited|carried over``."""

    limit: Expr
    horizon: PeriodKind
    carry: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Attribution:
    """How a component's pay divides among ledger lines (for clawbacks, holdbacks).

    ``lines``: the per-line payments of ``measure``; ``rate``: ``rate`` times
    each line's part of the sum ``measure``; ``tiers``: each line's slice of
    ``measure`` through ``tiers`` (lines fill the bands in date order).
    """

    kind: Literal["lines", "rate", "tiers"]
    measure: str
    rate: Expr | None
    tiers: TierApply | None


@dataclass(frozen=True, slots=True)
class Gate:
    """``gate at T, nothing below``: pay nothing while ``base < threshold``."""

    base: Expr
    threshold: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    label: str
    kind: Literal["commission", "bonus", "spiff", "multiplier"]
    #: What is computed before conditions and limits: an expression, the sum of
    #: the per-line measure ``lines``, or a multiplier's uplift.
    amount: Expr | None
    lines: str | None
    targets: tuple[str, ...]
    factor: Expr | None
    when: Expr | None
    gate: Gate | None
    cap: Expr | None
    floor: Expr | None
    type: Type
    span: Span
    #: The plan text of the payment, for traces ("5% of sales").
    formula: str = ""
    hold: Hold | None = None
    true_up: PeriodKind | None = None
    horizon_cap: HorizonCap | None = None
    attribution: Attribution | None = None


@dataclass(frozen=True, slots=True)
class Total:
    cap: Expr | None
    floor: Expr | None
    horizon_cap: HorizonCap | None = None
