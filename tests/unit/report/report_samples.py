"""Results shared by the report tests: one computed by the engine, others built by hand.

A module with its own name (not ``conftest``) so test modules can import it
whatever other ``conftest.py`` files the suite has.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import incentives
from incentives.results import (
    RowAccounting,
    RunResult,
    Statement,
    StatementLine,
    TraceNode,
)
from incentives.results.models import PlanInfo

PLAN = """\
plan "T" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
tiers rates marginal
  band below 1,000 USD: 5%
  band at least 1,000 USD: 8%
commission c "Commission" pays rates on sales
bonus b "Big month" pays 100 USD when sales >= 1,000 USD
"""

LEDGER = [
    {
        "txn_id": "t1",
        "date": date(2026, 3, 5),
        "payee": "alice",
        "amount": Decimal("1000.00"),
        "currency": "USD",
    },
    {
        "txn_id": "t2",
        "date": date(2026, 3, 6),
        "payee": "alice",
        "amount": Decimal("-250.50"),
        "currency": "USD",
    },
    {
        "txn_id": "t3",
        "date": date(2026, 3, 7),
        "payee": "bob",
        "amount": Decimal("300.00"),
        "currency": "USD",
    },
    {
        "txn_id": "t4",
        "date": date(2026, 4, 2),
        "payee": "alice",
        "amount": Decimal("1200.00"),
        "currency": "USD",
    },
]
ROSTER = [{"payee": "alice", "name": "Alice Archer"}, {"payee": "bob", "name": "Bob Baker"}]


def computed(period: str = "2026-03", to: str | None = None) -> RunResult:
    """The engine's result for :data:`PLAN` on the sample ledger."""
    plan = incentives.load_plan(PLAN, filename="t.plan")
    data = incentives.Dataset.from_records(ledger=LEDGER, roster=ROSTER)
    return plan.run(data, period=period, to=to)


def node(kind: str, label: str, value: str | None = None, **fields: object) -> TraceNode:
    return TraceNode(kind=kind, label=label, value=value, **fields)  # type: ignore[arg-type]


def line(
    component: str,
    amount: str,
    *,
    label: str | None = None,
    kind: str = "commission",
    currency: str = "USD",
    trace: TraceNode | None = None,
) -> StatementLine:
    return StatementLine(
        component=component,
        label=label or component,
        kind=kind,
        amount=Decimal(amount),
        currency=currency,
        trace=trace or node("component", component, amount, unit=currency),
    )


def statement(
    payee: str,
    lines: list[StatementLine],
    *,
    name: str | None = None,
    period: str = "2026-03",
    currency: str = "USD",
    values: dict[str, TraceNode] | None = None,
) -> Statement:
    total = sum((item.amount for item in lines), Decimal(0))
    year, month = (int(part) for part in period.split("-"))
    return Statement(
        payee=payee,
        payee_name=name,
        period=period,
        start=date(year, month, 1),
        end=date(year, month, 28),
        currency=currency,
        lines=lines,
        total=total,
        values=values or {},
    )


def result(
    statements: list[Statement], periods: list[str] | None = None, rows: RowAccounting | None = None
) -> RunResult:
    return RunResult(
        plan=PlanInfo(name="T", version="1", sha256="0" * 64),
        engine="incentives test",
        periods=periods or sorted({s.period for s in statements}),
        statements=statements,
        rows=rows or RowAccounting(read=0, credited=0),
    )
