"""Small helpers the property tests share: run a plan, read amounts, round by hand.

Nothing here reimplements the engine; the reference computations live next
to the properties that use them.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import incentives
from incentives import RunResult, TraceNode
from strategies import PAYEES, PERIOD, PlanSpec, roster_records

__all__ = [
    "DECIMAL_MODES",
    "amounts",
    "round_fraction",
    "round_reference",
    "run",
    "totals",
    "walk",
]

#: The plan's rounding words and the decimal module's modes they name.
DECIMAL_MODES = {
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_up": decimal.ROUND_HALF_UP,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}


def run(
    plan: PlanSpec | str | incentives.Plan,
    ledger: Iterable[Mapping[str, object]],
    *,
    roster: Sequence[Mapping[str, object]] | None = None,
    period: str = PERIOD,
) -> RunResult:
    """Load (if needed) and run a plan over records for one period."""
    if isinstance(plan, PlanSpec):
        plan = plan.text()
    if isinstance(plan, str):
        plan = incentives.load_plan(plan)
    data = incentives.Dataset.from_records(
        ledger=list(ledger), roster=list(roster if roster is not None else roster_records(PAYEES))
    )
    return plan.run(data, period=period)


def amounts(result: RunResult) -> dict[str, dict[str, Decimal]]:
    """payee → component → amount, for the statements of a one-period run."""
    return {s.payee: {line.component: line.amount for line in s.lines} for s in result.statements}


def totals(result: RunResult) -> dict[str, Decimal]:
    return {s.payee: s.total for s in result.statements}


def walk(node: TraceNode) -> Iterable[TraceNode]:
    """Every node of a trace tree, parents first."""
    yield node
    for part in node.parts:
        yield from walk(part)


def round_reference(value: Decimal, unit: Decimal, mode: str) -> Decimal:
    """Round with Python's decimal module directly: ``value`` to a multiple of ``unit``.

    A power-of-ten unit quantizes to its exponent; any other unit rounds the
    number of units to an integer. A local context with enough precision keeps
    the reference independent of the caller's context.
    """
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[decimal.Inexact] = False
        rounding = DECIMAL_MODES[mode]
        if unit.normalize().as_tuple().digits == (1,):
            return value.quantize(unit.normalize(), rounding=rounding)
        return (value / unit).quantize(Decimal(1), rounding=rounding) * unit


def round_fraction(value: Fraction, unit: Fraction, mode: str) -> Fraction:
    """Round an exact rational to a multiple of ``unit`` with one of the plan's modes."""
    steps = value / unit
    down = steps.numerator // steps.denominator  # floor
    rest = steps - down
    sign = 1 if steps >= 0 else -1
    if rest == 0:
        whole = down
    elif mode == "down":
        whole = down if sign > 0 else down + 1  # toward zero
    elif mode == "up":
        whole = down + 1 if sign > 0 else down  # away from zero
    elif rest != Fraction(1, 2):
        whole = down + 1 if rest > Fraction(1, 2) else down
    elif mode == "half_up":
        whole = down + 1 if sign > 0 else down  # ties away from zero
    else:
        whole = down if down % 2 == 0 else down + 1  # ties to even
    return whole * unit
