"""Paying a statement in a payee's payout currency.

Contract: :func:`check_payout_rates` refuses a run (D617, a data error,
before anything is computed) when the fx table lacks a rate some payee's
payout currency needs at the end of a period. :func:`pay_out` converts a
statement at the rate in force at its period's end: each line is converted
and rounded to the payout currency's minor unit with the plan's rounding
mode, its trace becoming a ``conversion`` step over the plan-currency trace
plus the rounding, and the statement records the :class:`Conversion`. A
minimum wage the plan tops up holds in the payout currency too: if the
converted lines, each rounded, add up to less than the minimum converted,
the floor's line pays the difference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from incentives.compile import ir
from incentives.data import Payee, ValidatedData
from incentives.diagnostics import Diagnostic, sort_diagnostics
from incentives.errors import DataError, InternalError
from incentives.evaluate.crediting import fx_rate
from incentives.money import format_decimal, minor_unit, quantize, to_grid
from incentives.periods import Period
from incentives.results.models import Conversion, Statement, StatementLine, TraceNode
from incentives.source import Span

__all__ = ["check_payout_rates", "pay_out"]


def check_payout_rates(
    plan: ir.Plan,
    data: ValidatedData,
    periods: Sequence[Period],
    paid_in: Callable[[Payee, Period], bool],
) -> None:
    """Every rate a payee's payout currency needs is in the fx table (D617, a data error).

    ``paid_in`` says whether a payee gets a statement for a period.
    """
    if plan.fx is None or not plan.fx.payout:
        return
    problems = []
    for payee in sorted(data.roster.values(), key=lambda p: p.id):
        target = payee.payout_currency
        if target is None or target == plan.currency:
            continue
        for period in periods:
            if paid_in(payee, period) and not fx_rate(data.fx, plan.currency, target, period.end):
                problems.append(_missing_payout_rate(plan, payee, target, period))
    if problems:
        found = sort_diagnostics(problems)
        raise DataError(f"{len(found)} payout rate(s) missing from the fx table", found)


def _missing_payout_rate(plan: ir.Plan, payee: Payee, target: str, period: Period) -> Diagnostic:
    day = period.end.isoformat()
    return Diagnostic(
        "D617",
        f"payee `{payee.id}` is paid in {target} (column payout_currency), and the fx table "
        f"has no {plan.currency}→{target} rate on or before {day}, the end of {period.label}",
        Span(payee.ref.source, payee.ref.row, 0, payee.ref.row, 1),
        hint=f"add a row `{day},{plan.currency},{target},<rate>` to fx.csv; "
        "a missing rate is never taken as 1",
    )


def _wage_in_payout(
    plan: ir.Plan,
    statement: Statement,
    lines: list[StatementLine],
    total: Decimal,
    rate: Decimal,
    unit: Decimal,
    at: str,
) -> tuple[list[StatementLine], Decimal]:
    """Lines that still pay a topped-up minimum wage once converted and rounded.

    Each line is converted and rounded on its own, so under ``rounding down``
    the converted lines can add up to a unit or two less than the minimum
    converted. A floor the plan tops up then pays that difference too, on its
    line (a new one if the statement met the minimum before converting).
    """
    floors = {f.name for f in plan.wage_floors if f.topped_up}
    target = lines[0].currency if lines else statement.currency
    for check in statement.wage_checks:
        if check.name not in floors or check.outcome == "below_minimum":
            continue
        least = to_grid(check.minimum * rate, unit, up=True)
        if total >= least:
            continue
        missing = least - total
        step = TraceNode(
            kind="rounding",
            label="the minimum wage in " + target,
            value=format_decimal(missing),
            unit=target,
            detail=f"{format_decimal(check.minimum)} {plan.currency} × {format_decimal(rate)} "
            f"({at}) is {format_decimal(check.minimum * rate)} {target}: the converted lines, "
            f"each rounded, paid {format_decimal(total)}",
        )
        index = next((i for i, line in enumerate(lines) if line.component == check.name), None)
        if index is None:
            lines.append(
                StatementLine(
                    component=check.name,
                    label=check.label,
                    kind="wage_floor",
                    amount=missing,
                    currency=target,
                    computed=Decimal(0),
                    trace=TraceNode(
                        kind="wage_floor",
                        label=check.name,
                        value=format_decimal(missing),
                        unit=target,
                        detail="tops converted pay up to the minimum wage",
                        at=check.at,
                        parts=[step],
                    ),
                )
            )
        else:
            line = lines[index]
            trace = line.trace.model_copy(
                update={
                    "value": format_decimal(line.amount + missing),
                    "parts": [*line.trace.parts, step],
                }
            )
            lines[index] = line.model_copy(update={"amount": line.amount + missing, "trace": trace})
        total = least
    return lines, total


def pay_out(
    plan: ir.Plan,
    data: ValidatedData,
    statement: Statement,
    payee: Payee,
) -> Statement:
    """The statement in the payee's payout currency, if the plan pays in it."""
    target = payee.payout_currency
    if plan.fx is None or not plan.fx.payout or target is None or target == plan.currency:
        return statement
    rate = fx_rate(data.fx, plan.currency, target, statement.end)
    if rate is None:  # pragma: no cover - check_payout_rates refused the run first
        raise InternalError(f"no {plan.currency}→{target} rate for {statement.end}")
    unit = minor_unit(target)
    mode = plan.rounding.mode if plan.rounding is not None else None
    lines = []
    total = Decimal(0)
    rounding = (
        f"rounded {mode.value} to {format_decimal(unit)} {target}"
        if mode is not None
        else "not rounded"
    )
    at = f"{rate.ref.source}:{rate.ref.row}"
    for line in statement.lines:
        exact = line.amount * rate.rate
        converted = quantize(exact, unit, mode) if mode is not None else exact
        total += converted
        steps = [
            TraceNode(
                kind="conversion",
                label=f"{line.component} in {target}",
                value=format_decimal(exact),
                unit=target,
                detail=f"{format_decimal(line.amount)} {plan.currency} × "
                f"{format_decimal(rate.rate)} ({plan.currency}→{target} of "
                f"{rate.date.isoformat()}, {at})",
                parts=[line.trace],
            )
        ]
        if converted != exact:
            steps.append(
                TraceNode(
                    kind="rounding",
                    label="rounding",
                    value=format_decimal(converted - exact),
                    unit=target,
                    detail=rounding,
                )
            )
        trace = line.trace.model_copy(
            update={
                "value": format_decimal(converted),
                "unit": target,
                "detail": f"paid in {target}",
                "parts": steps,
                "lines": [],
                "inputs": [],
            }
        )
        lines.append(
            line.model_copy(
                update={
                    "amount": converted,
                    "currency": target,
                    "computed": line.amount,
                    "trace": trace,
                }
            )
        )
    conversion = Conversion(
        source=plan.currency,
        target=target,
        rate=rate.rate,
        date=rate.date,
        at=at,
        rounding=rounding,
    )
    lines, total = _wage_in_payout(plan, statement, lines, total, rate.rate, unit, at)
    return statement.model_copy(
        update={"lines": lines, "total": total, "currency": target, "conversion": conversion}
    )
