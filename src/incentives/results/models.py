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
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from incentives.money import format_decimal

__all__ = [
    "Amount",
    "PlanInfo",
    "RowAccounting",
    "RunResult",
    "Statement",
    "StatementLine",
    "TraceNode",
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
    #: Sub-steps whose values add up exactly to this step's value.
    parts: list[TraceNode] = Field(default_factory=list)
    #: Names of per-payee values this step used: a key of ``Statement.values``,
    #: or the name of a component (a line of the same statement).
    inputs: list[str] = Field(default_factory=list)


class StatementLine(_Model):
    """One named amount on a statement."""

    component: str
    label: str
    kind: str
    amount: Amount
    currency: str
    trace: TraceNode


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

    def amount(self, component: str) -> Decimal:
        """The amount of one component (0 if the statement has no such line)."""
        for line in self.lines:
            if line.component == component:
                return line.amount
        return Decimal(0)


class RowAccounting(_Model):
    """Every ledger row read is credited or excluded with a reason."""

    read: int
    credited: int
    #: Excluded rows by reason.
    excluded: dict[str, int] = Field(default_factory=dict)


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

    def statement(self, payee: str, period: str | None = None) -> Statement:
        """The statement of one payee (in ``period``, or the only period run).

        Raises:
            KeyError: if there is no such statement.
        """
        for s in self.statements:
            if s.payee == payee and (period is None or s.period == period):
                return s
        raise KeyError(f"no statement for payee {payee!r}" + (f" in {period}" if period else ""))
