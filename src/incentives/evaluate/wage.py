"""The minimum wage for hours worked, checked on what a statement pays.

Contract: :func:`check_wages` takes a payee's statement for a period after
every other rule (components, the total's cap and floor, and the carried
balances of stage 4) and returns it with one
:class:`~incentives.results.WageCheck` per ``wage floor`` of the plan whose
``when`` holds (or that has none), in plan order:

* minimum = rate × hours, both evaluated for the payee and period;
* paid = the statement's total so far (including what earlier floors added);
* shortfall = minimum − paid when positive, else 0.

A floor whose shortfall is ``topped up`` adds a statement line named after
it that pays the shortfall, rounded with the plan's rounding of components —
and, if that rounding would leave pay below the minimum, to the next unit up,
so the statement never pays less than the minimum. A floor whose shortfall
is ``flagged`` adds no line; its check records ``below_minimum``. Nothing is
carried to later periods. A value that cannot be computed (a missing
``hours`` metric) raises :class:`~incentives.evaluate.problems.ComputeProblem`.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.compile import ir
from incentives.evaluate.payee_env import CompiledPlan, PayeeEnv
from incentives.evaluate.trace import describe, plan_text, span_text
from incentives.money import format_decimal, quantize, to_grid
from incentives.results.models import Statement, StatementLine, TraceNode, WageCheck

__all__ = ["check_wages"]


def check_wages(compiled: CompiledPlan, statement: Statement, env: PayeeEnv) -> Statement:
    """The statement with the plan's wage floors applied (see the module docstring)."""
    plan = compiled.plan
    if not plan.wage_floors:
        return statement
    lines = list(statement.lines)
    checks: list[WageCheck] = []
    paid = statement.total
    for floor in plan.wage_floors:
        env.start()
        if floor.when is not None and not compiled.value(floor.when, env):
            continue
        rate, hours = compiled.value(floor.rate, env), compiled.value(floor.hours, env)
        assert isinstance(rate, Decimal) and isinstance(hours, Decimal)
        inputs = list(env.inputs)
        minimum = rate * hours
        before = paid
        shortfall = max(minimum - paid, Decimal(0))
        outcome = "met"
        if shortfall > 0:
            outcome = "topped_up" if floor.topped_up else "below_minimum"
        if outcome == "topped_up":
            line = _top_up(plan, floor, rate, hours, minimum, paid, inputs)
            lines.append(line)
            paid += line.amount
        checks.append(
            WageCheck(
                name=floor.name,
                label=floor.label,
                currency=plan.currency,
                hours=hours,
                rate=rate,
                minimum=minimum,
                paid=before,
                shortfall=shortfall,
                outcome=outcome,  # type: ignore[arg-type]
                at=span_text(floor.span),
            )
        )
    return statement.model_copy(
        update={
            "lines": lines,
            "total": paid,
            "wage_checks": checks,
            "values": dict(env.traces),
        }
    )


def _top_up(
    plan: ir.Plan,
    floor: ir.WageFloor,
    rate: Decimal,
    hours: Decimal,
    minimum: Decimal,
    paid: Decimal,
    inputs: list[str],
) -> StatementLine:
    currency = plan.currency
    shortfall = minimum - paid
    amount = shortfall
    rounding = plan.rounding
    if rounding is not None and rounding.components:
        amount = quantize(shortfall, rounding.unit, rounding.mode)
        if amount < shortfall:
            amount = to_grid(shortfall, rounding.unit, up=True)
    hourly = f"{format_decimal(rate)} {currency} per hour × {describe(hours)} hours"
    parts = [
        TraceNode(
            kind="value",
            label="minimum",
            value=format_decimal(minimum),
            unit=currency,
            detail=f"{plan_text(plan, floor.rate.span)} per hour of "
            f"{plan_text(plan, floor.hours.span)}: {hourly}",
            inputs=inputs,
        ),
        TraceNode(
            kind="value",
            label="paid before the minimum wage check",
            value=format_decimal(-paid),
            unit=currency,
            detail="the statement's other lines",
        ),
    ]
    if amount != shortfall:
        parts.append(
            TraceNode(
                kind="rounding",
                label="rounding",
                value=format_decimal(amount - shortfall),
                unit=currency,
                detail=f"rounded to {format_decimal(rounding.unit)}, never below the minimum"
                if rounding is not None
                else None,
            )
        )
    trace = TraceNode(
        kind="wage_floor",
        label=floor.name,
        value=format_decimal(amount),
        unit=currency,
        detail=f"tops pay up to the minimum wage: {hourly} = {format_decimal(minimum)} {currency}",
        at=span_text(floor.span),
        parts=parts,
        inputs=inputs,
    )
    return StatementLine(
        component=floor.name,
        label=floor.label,
        kind="wage_floor",
        amount=amount,
        currency=currency,
        trace=trace,
    )
