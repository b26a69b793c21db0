"""The plan IR: resolved, typed, and ready for evaluation.

Contract (what the evaluator may assume without checking):

* no unresolved names: every reference says what it reads (a ledger column,
  a roster field, a metric, a rate table, or a per-payee value computed
  earlier in :attr:`Plan.order`);
* every expression has a concrete type, and levels never mix: line-level
  expressions (measure arguments and filters, per-line payments) read only
  the line and constants; payee-level ones never read a ledger column;
* tiers are sorted, contiguous and non-overlapping, start at or below zero and
  end unbounded; rate tables are unambiguous under their hit policy;
* constants are folded; rounding points are explicit (:class:`Round` nodes,
  per-line rounding inside line expressions, and :attr:`Plan.rounding` for
  components);
* every node keeps the span of the plan text it came from.

The evaluator should never have to re-check anything the checker proved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from incentives.check.types import Type
from incentives.money import RoundingMode
from incentives.periods import PeriodKind, PeriodScheme
from incentives.source import SourceFile, Span
from incentives.values import ColumnType, Value

__all__ = [
    "Aggregate",
    "Arith",
    "Attribution",
    "Band",
    "Clawback",
    "Cmp",
    "Column",
    "Component",
    "Cond",
    "Const",
    "CreditRule",
    "Crediting",
    "Draw",
    "Example",
    "ExampleRecord",
    "Excess",
    "Expr",
    "Field",
    "Fn",
    "Fx",
    "Gate",
    "Hold",
    "HorizonCap",
    "InSet",
    "Let",
    "Logic",
    "Measure",
    "Metric",
    "MetricSpec",
    "Neg",
    "Not",
    "Plan",
    "Quota",
    "RampStep",
    "Rank",
    "RateLookup",
    "RateRow",
    "RateTable",
    "Ref",
    "Round",
    "Rounding",
    "Scope",
    "SplitMethod",
    "TeamValue",
    "Termination",
    "TierApply",
    "TierTable",
    "Total",
    "Versioned",
    "WageFloor",
]

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Const:
    value: Value
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Column:
    """A ledger line's column (line level)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class RateLookup:
    """The value of a rate table for the current line (line level)."""

    table: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Field:
    """A roster field of the payee (payee level)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric of the payee for the period (payee level)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Ref:
    """A named per-payee value computed earlier (let, measure, quota, component)."""

    name: str
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Arith:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Cmp:
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Logic:
    op: Literal["and", "or"]
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class InSet:
    operand: Expr
    values: tuple[Value, ...]
    negated: bool
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Cond:
    condition: Expr
    then: Expr
    otherwise: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Fn:
    name: Literal["min", "max", "clamp", "abs"]
    args: tuple[Expr, ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Round:
    value: Expr
    unit: Decimal
    mode: RoundingMode
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Excess:
    """``max(base - threshold, 0)``: the part of a base above a gate's threshold."""

    base: Expr
    threshold: Expr
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose lines or values a team measure or team value reads (see ``ast.Scope``)."""

    kind: Literal["reports", "group", "everyone"]
    depth: int | None
    field: str | None


@dataclass(frozen=True, slots=True)
class TeamValue:
    """A per-payee value gathered over the payees of a scope (stage 3)."""

    function: Literal["sum", "average", "min", "max"]
    name: str
    scope: Scope
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Rank:
    """A payee's 1-based position among the payees of a scope (stage 3)."""

    name: str
    scope: Scope
    descending: bool
    ties: Literal["payee", "field", "shared"]
    tie_field: str | None
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class Versioned:
    """A constant with dated versions: the value in force on the evaluation's date.

    ``versions`` is ordered by date; the first has no date (in force before
    the others). Payee-level expressions are dated by their period (its start,
    or its end if the plan says ``versions at period end``); line-level ones by
    the line's date.
    """

    name: str
    versions: tuple[tuple[date | None, Value], ...]
    type: Type
    span: Span


@dataclass(frozen=True, slots=True)
class TierApply:
    """A tier table applied to a base (``on``) or read at a value (``at``).

    For ``on``: ``quota`` turns attainment bands into money slices of the
    base; ``start`` (a gate's threshold, marginal tables only) pays only the
    slices above it.
    """

    table: str
    mode: Literal["on", "at"]
    base: Expr
    quota: Expr | None
    start: Expr | None
    type: Type
    span: Span


Expr = (
    Const
    | Column
    | RateLookup
    | Field
    | Metric
    | Ref
    | Arith
    | Neg
    | Cmp
    | Logic
    | Not
    | InSet
    | Cond
    | Fn
    | Round
    | Excess
    | TierApply
    | TeamValue
    | Rank
    | Versioned
)

# ------------------------------------------------------------------- tables


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


# --------------------------------------------------------------- definitions

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


@dataclass(frozen=True, slots=True)
class Draw:
    """A guarantee (pay at least ``amount``) or an advance (pay ``amount`` now).

    A recovered shortfall is carried as a balance and repaid from later
    earnings, at most ``limit`` a period; a forgiven one is not carried.
    """

    name: str
    label: str
    kind: Literal["guarantee", "advance"]
    amount: Expr
    recovered: bool
    limit: Expr | None
    when: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Clawback:
    """Refund lines (``condition``) reverse what their original line earned."""

    name: str
    label: str
    targets: tuple[str, ...]
    condition: Expr
    column: str
    days: int
    span: Span


@dataclass(frozen=True, slots=True)
class WageFloor:
    """Pay at least ``rate`` × ``hours`` a period: a shortfall is topped up or flagged."""

    name: str
    label: str
    rate: Expr
    hours: Expr
    topped_up: bool
    when: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Termination:
    holdbacks: Literal["released", "forfeited"] | None
    draws: Literal["forgiven", "recovered"] | None


@dataclass(frozen=True, slots=True)
class Rounding:
    mode: RoundingMode
    unit: Decimal
    components: bool
    lines: bool


@dataclass(frozen=True, slots=True)
class CreditRule:
    """Lines dated from ``start`` (or always, if None) credit the payee ``column`` names."""

    column: str
    start: date | None


@dataclass(frozen=True, slots=True)
class Crediting:
    rules: tuple[CreditRule, ...]
    splits: bool
    overlays: frozenset[str]
    remainder: Literal["largest_remainder", "seller"]
    #: The date column that puts a line in a period, if not ``date``.
    earn_on: str | None = None


@dataclass(frozen=True, slots=True)
class Fx:
    """How line amounts are converted into the plan currency, and statements paid."""

    when: Literal["line_date", "period_end"]
    rounding: tuple[RoundingMode, Decimal] | None
    payout: bool


@dataclass(frozen=True, slots=True)
class MetricSpec:
    name: str
    column_type: ColumnType
    default: Value | None


# ---------------------------------------------------------------- examples


@dataclass(frozen=True, slots=True)
class ExampleRecord:
    """Where in the plan an example wrote one record of its dataset.

    A problem the data layer finds in an example's dataset names a table, a
    record and a column (``<records:roster>`` row 1); this is how it is
    pointed back at the clause the author wrote.
    """

    #: The clause that wrote the record (``payee kim: …``, ``line t1 …``).
    span: Span
    #: The part of the clause that wrote each column, by column name.
    cells: tuple[tuple[str, Span], ...] = ()


@dataclass(frozen=True, slots=True)
class Example:
    """An embedded example: records for a dataset, a period, and expectations."""

    title: str
    period: str
    #: The last period, for an example over several periods (None: one period).
    last_period: str | None
    roster: tuple[dict[str, Value], ...]
    quotas: tuple[dict[str, Value], ...]
    metrics: tuple[dict[str, Value], ...]
    ledger: tuple[dict[str, Value], ...]
    splits: tuple[dict[str, Value], ...]
    fx: tuple[dict[str, Value], ...]
    #: (payee, name or None for the total, expected value, its currency if an
    #: amount, the period label (None: the last period), span of the expectation)
    expectations: tuple[tuple[str, str | None, Value, str | None, str | None, Span], ...]
    span: Span
    #: Where each record came from: table name → one entry per record, in order.
    records: tuple[tuple[str, tuple[ExampleRecord, ...]], ...] = ()


# --------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Plan:
    """A compiled plan: everything the evaluator needs, and nothing to check."""

    name: str
    version: str
    description: str
    currency: str
    scheme: PeriodScheme
    rounding: Rounding | None
    source: SourceFile
    ledger_columns: tuple[tuple[str, ColumnType], ...]
    #: Ledger columns declared ``optional``: their cells may be empty.
    optional_columns: frozenset[str]
    roster_fields: tuple[tuple[str, ColumnType], ...]
    metrics: tuple[MetricSpec, ...]
    holidays: frozenset[date]
    measures: tuple[Measure, ...]
    lets: dict[str, Let]
    quotas: dict[str, Quota]
    components: tuple[Component, ...]
    total: Total
    tiers: dict[str, TierTable]
    rate_tables: dict[str, RateTable]
    #: Per-payee names (lets, measures, quotas, components) in evaluation order.
    order: tuple[str, ...]
    examples: tuple[Example, ...] = field(default=())
    crediting: Crediting = field(
        default=Crediting((CreditRule("payee", None),), False, frozenset(), "largest_remainder")
    )
    fx: Fx | None = None
    #: Names computed in the second pass, after every payee's own values
    #: (they read team values or ranks, directly or through other names).
    team_names: frozenset[str] = frozenset()
    #: The date from which the plan pays (required when it carries balances).
    starts: date | None = None
    #: Which date picks the version of a dated definition for a period.
    versions_at: Literal["period_start", "period_end"] = "period_start"
    #: Dated versions of tier tables and rate tables, by name, in date order.
    tier_versions: dict[str, tuple[tuple[date, TierTable], ...]] = field(default_factory=dict)
    rate_versions: dict[str, tuple[tuple[date, RateTable], ...]] = field(default_factory=dict)
    draws: tuple[Draw, ...] = ()
    clawbacks: tuple[Clawback, ...] = ()
    termination: Termination = field(default_factory=lambda: Termination(None, None))
    wage_floors: tuple[WageFloor, ...] = ()
    #: Whom payees ask about their pay (the header's ``contact``), or "".
    contact: str = ""

    @property
    def stateful(self) -> bool:
        """Whether pay in one period depends on earlier periods (stage 4)."""
        return bool(
            self.draws
            or self.clawbacks
            or self.total.horizon_cap is not None
            or any(c.hold or c.true_up or c.horizon_cap for c in self.components)
        )

    @property
    def quota_goal_kind(self) -> PeriodKind | None:
        """The period of goals read from the quotas table, if the plan reads it."""
        kinds = {q.goal_kind for q in self.quotas.values() if q.goal is None}
        return next(iter(kinds)) if kinds else None
