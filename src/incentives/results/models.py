"""The results of a run, as pydantic models: what integrators and auditors read.

Contract: a :class:`RunResult` holds one :class:`Statement` per payee and
period, sorted by (period start, payee id). A statement's lines are its
components in plan order, then any total cap or floor adjustment, and its
``total`` is exactly the sum of its lines. Each line's trace is a tree whose
root ``value`` is the line's amount and whose ``parts`` add up to it exactly
(band slices, ledger lines, gate, cap, floor and rounding adjustments). Named
per-payee values a trace refers to (``inputs``) are in the statement's
``values``. Amounts serialise as fixed-point strings, never floats.

:class:`RowAccounting` proves no ledger row disappears: every row read is
either credited to a statement of this run or excluded with a reason.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from incentives.money import format_decimal
from incentives.results.state import StateSnapshot

__all__ = [
    "Amount",
    "Balance",
    "Conversion",
    "Leaderboard",
    "LeaderboardRow",
    "PlanInfo",
    "RowAccounting",
    "RunResult",
    "Statement",
    "StatementLine",
    "TraceNode",
    "WageCheck",
]

#: A Decimal that serialises as exact fixed-point text ("1234.50").
Amount = Annotated[
    Decimal,
    PlainSerializer(format_decimal, return_type=str, when_used="always"),
    Field(strict=True),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class TraceNode(_Model):
    """One step of how an amount came about."""

    #: component, formula, band, line, value, gate, cap, floor, rounding, multiplier …
    kind: str
    #: What the step is, in the plan's words ("sales_commission", "line t1").
    label: str
    #: The step's value as exact text, if it has one.
    value: str | None = None
    #: The value's unit: a currency code, "percent", "decimal", "count", "date", "text", "bool".
    unit: str | None = None
    #: A sentence explaining the step ("12,000.00 USD × 5%").
    detail: str | None = None
    #: Where in the plan the rule is: "plans/retail.plan:42:3".
    at: str | None = None
    #: Ledger ``txn_id``s behind this step.
    lines: list[str] = Field(default_factory=list)
    #: Sub-steps whose values add up exactly to this step's value; a
    #: ``conversion`` step has one part, in the source currency, and its value
    #: is that part's value times the rate its detail names.
    parts: list[TraceNode] = Field(default_factory=list)
    #: Names of per-payee values this step used: a key of ``Statement.values``,
    #: or the name of a component (a line of the same statement).
    inputs: list[str] = Field(default_factory=list)


class StatementLine(_Model):
    """One named amount on a statement.

    When the statement is paid in another currency than the plan's,
    ``amount`` is in the payout currency and ``computed`` is the amount in the
    plan currency; the trace's root is the amount paid, made of the
    ``conversion`` of the plan-currency trace and the rounding step.
    """

    component: str
    label: str
    kind: str
    amount: Amount
    currency: str
    trace: TraceNode
    computed: Amount | None = None


class Conversion(_Model):
    """How a statement was converted from the plan currency to the payout currency."""

    source: str
    target: str
    rate: Amount
    #: The date the rate is dated (in force on the last day of the period).
    date: date
    #: Where the rate came from: "fx.csv:12".
    at: str
    #: "rounded half_up to 1 JPY", or "not rounded".
    rounding: str


class Balance(_Model):
    """An amount carried from one period to the next, as it stood before and after.

    In the plan's currency, before any conversion to a payee's payout currency.
    """

    #: The draw, component or cap it belongs to.
    name: str
    #: draw, held (holdback), withheld (cap), true_up (paid so far in the horizon)
    kind: str
    opening: Amount
    closing: Amount
    #: What happened to it this period, in words.
    detail: str | None = None


class WageCheck(_Model):
    """A plan's minimum wage for the hours worked, checked on what the statement pays.

    Amounts are in the plan's currency (before any payout conversion).
    """

    #: The plan's ``wage floor`` it checks.
    name: str
    label: str
    currency: str
    hours: Amount
    rate: Amount
    #: rate × hours.
    minimum: Amount
    #: What the statement paid before this check.
    paid: Amount
    #: How much the payment falls short of the minimum (0 when it is met).
    shortfall: Amount
    #: ``met``; ``topped_up`` (a line pays the shortfall); ``below_minimum``
    #: (the plan flags a shortfall without paying it).
    outcome: Literal["met", "topped_up", "below_minimum"]
    #: Where in the plan the floor is: "plans/retail.plan:42:1".
    at: str


class Statement(_Model):
    """What one payee earned in one period."""

    payee: str
    payee_name: str | None
    period: str
    start: date
    end: date
    currency: str
    lines: list[StatementLine]
    total: Amount
    #: Named per-payee values (measures, quotas, lets, metrics …) with their traces.
    values: dict[str, TraceNode] = Field(default_factory=dict)
    #: Set when the statement is paid in the payee's payout currency.
    conversion: Conversion | None = None
    #: Amounts carried across periods (draws, holdbacks, withheld cap excess).
    balances: list[Balance] = Field(default_factory=list)
    #: The plan's minimum-wage checks for this statement, in plan order.
    wage_checks: list[WageCheck] = Field(default_factory=list)

    def amount(self, component: str) -> Decimal:
        """The amount of one component (0 if the statement has no such line)."""
        for line in self.lines:
            if line.component == component:
                return line.amount
        return Decimal(0)


class UnpaidShare(_Model):
    """A share of a credited line that counts for no statement (its payee's, say, is inactive)."""

    txn_id: str
    payee: str
    #: The share of the line ("0.4"), or the overlay type's share.
    share: Amount
    #: "split", or the name of an overlay credit type.
    credit_type: str
    reason: str


class RowAccounting(_Model):
    """Every ledger row read is credited or excluded with a reason.

    A split line counts as credited when any of its shares counts; every
    share of a credited line that counts for nobody is listed in
    ``unpaid_shares`` with its reason, so no part of a line goes unreported.
    """

    read: int
    credited: int
    #: Excluded rows by reason.
    excluded: dict[str, int] = Field(default_factory=dict)
    #: Shares of credited lines that count for no statement of this run.
    unpaid_shares: list[UnpaidShare] = Field(default_factory=list)
    #: Metrics rows naming a metric this plan does not declare (another
    #: plan's, in a shared file): rows by metric name. Not read.
    ignored_metrics: dict[str, int] = Field(default_factory=dict)


class LeaderboardRow(_Model):
    rank: int
    payee: str
    payee_name: str | None
    value: str


class Leaderboard(_Model):
    """A ranking of one period: who came where, and by what value."""

    period: str
    #: The plan's words for the ranking: "rank of sales across group region …".
    ranking: str
    #: The value of the group's field, for rankings within a group.
    group: str | None
    rows: list[LeaderboardRow]


class PlanInfo(_Model):
    name: str
    version: str
    sha256: str


class RunResult(_Model):
    """Statements for a plan over one or more periods."""

    plan: PlanInfo
    engine: str
    periods: list[str]
    statements: list[Statement]
    rows: RowAccounting
    leaderboards: list[Leaderboard] = Field(default_factory=list)
    #: What the next period starts from, for plans that carry balances
    #: (``incentives run --opening`` takes it back).
    closing: StateSnapshot | None = None

    def statement(self, payee: str, period: str | None = None) -> Statement:
        """The statement of one payee (in ``period``, or the only period run).

        Raises:
            KeyError: if there is no such statement.
        """
        for s in self.statements:
            if s.payee == payee and (period is None or s.period == period):
                return s
        raise KeyError(f"no statement for payee {payee!r}" + (f" in {period}" if period else ""))
