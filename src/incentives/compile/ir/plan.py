"""The compiled plan: rounding, crediting, FX, metrics, examples, and the Plan itself.

Contract: :class:`Plan` holds everything the evaluator needs and nothing it
must check (see the package docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from incentives.compile.ir.definitions import (
    Component,
    Let,
    Measure,
    Quota,
    RateTable,
    TierTable,
    Total,
)
from incentives.compile.ir.settlement import Clawback, Draw, Termination, WageFloor
from incentives.money import RoundingMode
from incentives.periods import PeriodKind, PeriodScheme
from incentives.source import SourceFile, Span
from incentives.values import ColumnType, Value

__all__ = [
    "CreditRule",
    "Crediting",
    "Example",
    "ExampleRecord",
    "Fx",
    "MetricSpec",
    "Plan",
    "Rounding",
]


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
