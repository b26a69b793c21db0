"""Wage floors: a minimum pay per hour worked, checked on what a statement pays.

Contract: after :func:`check_wage_floors` every ``wage floor`` declaration
has exactly one ``at RATE per hour of HOURS`` clause and one shortfall rule
(``topped up`` or ``flagged``), or there is an E456 naming what is missing or
repeated; RATE is an amount in the plan's currency and HOURS a number (a
metric such as hours worked, a roster field or a value), both known per
payee and period (E105 otherwise); a ``when`` is a yes/no condition known per
payee (E204), given at most once (E420). Nothing is implied: a plan that
checks a minimum wage says whether a shortfall is paid or only reported.
"""

from __future__ import annotations

from incentives.ast import nodes as n
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import infer, require
from incentives.check.stateful import check_payee_when
from incentives.check.types import money

__all__ = ["check_wage_floors"]

_PAYEE = (Level.CONST, Level.PAYEE)


def check_wage_floors(ctx: CheckContext) -> None:
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.WageFloorDecl):
            _check(ctx, decl)


def _check(ctx: CheckContext, decl: n.WageFloorDecl) -> None:
    name = decl.name.text
    rates = [c for c in decl.clauses if isinstance(c, n.WageRate)]
    rules = [c for c in decl.clauses if isinstance(c, n.WageShortfall)]
    whens = [c for c in decl.clauses if isinstance(c, n.WhenClause)]
    if len(rates) != 1:
        ctx.error(
            "E456",
            f"the wage floor `{name}` needs exactly one `at … per hour of …` rate",
            decl.span if not rates else rates[1].span,
            hint="add `at 16.00 USD per hour of hours_worked`",
        )
    if len(rules) != 1:
        ctx.error(
            "E456",
            f"the wage floor `{name}` must say once whether a shortfall is "
            "`topped up` or `flagged`",
            decl.span if not rules else rules[1].span,
            hint="add `shortfall topped up` (paid as a line of the statement) or "
            "`shortfall flagged` (reported, not paid)",
        )
    for clause in rates[:1]:
        t, _ = infer(ctx, clause.rate)
        require(ctx, clause.rate, levels=_PAYEE, where="as an hourly rate")
        if not t.is_error and t != money(ctx.currency):
            ctx.error(
                "E456",
                f"an hourly minimum is an amount in {ctx.currency}, not {t.phrase}",
                clause.rate.span,
                hint=f"write an amount per hour, like `15 {ctx.currency}`",
            )
        h, _ = infer(ctx, clause.hours)
        require(ctx, clause.hours, levels=_PAYEE, where="as the hours worked")
        if not h.is_error and h.kind not in ("decimal", "count"):
            ctx.error(
                "E456",
                f"the hours worked are a number, not {h.phrase}",
                clause.hours.span,
                hint="declare them as a metric: `metrics  hours_worked: decimal`",
            )
    check_payee_when(ctx, whens, _PAYEE)
