"""The payout curve of a plan: pay from 0 % to 200 % attainment (``incentives plot``).

Contract: :func:`compute_curve` evaluates a
:class:`~incentives.report.curve_scenario.Scenario` at ``steps + 1`` points:
for ``i`` in ``0 … steps``, attainment ``x = 2i / steps`` and sales
``x × quota`` rounded half-even to the currency's minor unit. Every point is
a full run of the engine on a synthetic dataset (see
:mod:`incentives.report.curve_scenario`), so the curve is exactly what the
plan pays, rounding, gates, caps and floors included. A point holds the
statement's total and each shown component's amount (the total's cap and
floor adjustments are in the total only). The curve carries the marks of
:mod:`incentives.report.curve_marks`, computed from the statement at
exactly 100 %.

:func:`render_curve_csv` writes the points as CSV (attainment as a percent,
``57%``; amounts as fixed-point text). Money is ``Decimal`` throughout;
nothing here uses floats (the plot converts at the very last step, in
:mod:`incentives.report.plot`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from incentives.errors import UsageError
from incentives.money import RoundingMode, evaluation_context, format_decimal, minor_unit, quantize
from incentives.report.curve_marks import Mark, collect_marks
from incentives.report.curve_scenario import (
    SYNTHETIC_PAYEE,
    Scenario,
    payee_scenario,
    synthetic_scenario,
    traced_number,
)
from incentives.report.statements_csv import safe_text
from incentives.results import Statement

__all__ = [
    "MAX_STEPS",
    "Curve",
    "CurvePoint",
    "Mark",
    "Scenario",
    "compute_curve",
    "payee_scenario",
    "percent_text",
    "render_curve_csv",
    "synthetic_scenario",
]

#: Most steps a curve may have (each is a run of the engine).
MAX_STEPS = 2000


@dataclass(frozen=True)
class CurvePoint:
    #: Attainment as a fraction (1 is 100 %).
    attainment: Decimal
    sales: Decimal
    total: Decimal
    #: One amount per component of the curve, in its order.
    amounts: tuple[Decimal, ...]


@dataclass(frozen=True)
class Curve:
    plan: str
    currency: str
    period: str
    #: The real payee, or None for the synthetic one.
    payee: str | None
    #: Sales at 100 % attainment.
    quota: Decimal
    quota_name: str | None
    #: The plan's value of ``quota_name`` for the payee (None without a quota).
    plan_quota: Decimal | None
    components: tuple[str, ...]
    #: Whether the total is part of the curve (not when one component is asked for).
    with_total: bool
    points: tuple[CurvePoint, ...]
    marks: tuple[Mark, ...]


def compute_curve(scenario: Scenario, *, steps: int = 200, component: str | None = None) -> Curve:
    """The curve of ``scenario`` in ``steps`` steps from 0 % to 200 %.

    Raises:
        UsageError: for a bad number of steps or an unknown component.
        EvaluationError: if the plan cannot compute a point.
    """
    plan = scenario.plan
    if not 1 <= steps <= MAX_STEPS:
        raise UsageError(f"--steps must be from 1 to {MAX_STEPS}, not {steps}")
    names = tuple(c.name for c in plan.components)
    if component is not None and component not in names:
        raise UsageError(f"the plan has no component `{component}` ({', '.join(names)})")
    shown = (component,) if component is not None else names
    unit = minor_unit(plan.currency)
    points = []
    for i in range(steps + 1):
        with evaluation_context():
            x = Decimal(2 * i) / Decimal(steps)
            sales = quantize(x * scenario.quota, unit, RoundingMode.HALF_EVEN)
        statement = _in_plan_currency(scenario.statement(sales))
        amounts = tuple(statement.amount(name) for name in shown)
        points.append(CurvePoint(x, sales, statement.total, amounts))
    middle = scenario.statement(quantize(scenario.quota, unit, RoundingMode.HALF_EVEN))
    plan_quota = traced_number(middle, scenario.quota_name) if scenario.quota_name else None
    marks = collect_marks(
        plan,
        middle,
        quota=scenario.quota,
        plan_quota=plan_quota,
        components=shown,
        with_total=component is None,
    )
    return Curve(
        plan=plan.name,
        currency=plan.currency,
        period=scenario.period.label,
        payee=None if scenario.payee == SYNTHETIC_PAYEE else scenario.payee,
        quota=scenario.quota,
        quota_name=scenario.quota_name,
        plan_quota=plan_quota,
        components=shown,
        with_total=component is None,
        points=tuple(points),
        marks=marks,
    )


def _in_plan_currency(statement: Statement) -> Statement:
    """The statement's amounts in the plan's currency (a payee paid in another is converted)."""
    if statement.conversion is None:
        return statement
    lines = [
        line.model_copy(update={"amount": line.computed, "currency": statement.conversion.source})
        for line in statement.lines
        if line.computed is not None
    ]
    with evaluation_context():
        total = sum((line.amount for line in lines), Decimal(0))
    return statement.model_copy(
        update={"lines": lines, "total": total, "currency": statement.conversion.source}
    )


def percent_text(fraction: Decimal) -> str:
    """A fraction as a percent to at most 4 decimal places.

    >>> percent_text(Decimal("1.005")), percent_text(Decimal(2) / 3), percent_text(Decimal(1))
    ('100.5%', '66.6667%', '100%')
    """
    with evaluation_context():
        value = quantize(fraction * 100, Decimal("0.0001"), RoundingMode.HALF_EVEN)
        return format_decimal(value.normalize()) + "%"


def render_curve_csv(curve: Curve) -> str:
    """The points as CSV: attainment (``57%``), sales, total, then each component."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["attainment", "sales", "total", *(safe_text(c) for c in curve.components)])
    for p in curve.points:
        amounts = [format_decimal(a) for a in p.amounts]
        writer.writerow(
            [percent_text(p.attainment), format_decimal(p.sales), format_decimal(p.total), *amounts]
        )
    return buffer.getvalue()
