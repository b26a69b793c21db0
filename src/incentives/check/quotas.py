"""Quotas: where a target comes from, how it is split, and how it is prorated.

Contract: a quota that passes has exactly one goal (from the quotas table or
an amount in the plan currency) for a goal period no shorter than the pay
period; a split exactly when the goal period is longer (E424), one that can
divide it (``evenly`` and ``weights`` need pay periods that nest in the goal
period, E425); weights that are constant, one per pay period in the goal
period, summing to exactly 100% (E426); each proration factor once; a ramp
whose steps run from tenure month 1 without gaps or overlaps, with constant
positive factors (E429). Every clause appears at most once (E420).
"""

from __future__ import annotations

from decimal import Decimal

from incentives.ast import nodes as n
from incentives.ast.visitor import references
from incentives.check.constants import const_value
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import infer, require
from incentives.check.measures import HORIZON_ORDER
from incentives.diagnostics import Related
from incentives.money import evaluation_context
from incentives.periods import PeriodKind, nested_count

__all__ = ["check_quotas"]

_CLAUSE_WORDS = {
    n.GoalClause: "goal",
    n.SplitClause: "split",
    n.ProrateClause: "prorate",
    n.RampClause: "ramp",
    n.QuotaRoundClause: "round",
}
_PAYEE_LEVELS = (Level.CONST, Level.PAYEE, Level.TEAM)


def check_quotas(ctx: CheckContext) -> None:
    table_reads: list[tuple[PeriodKind, n.GoalClause]] = []
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.QuotaDecl):
            _check_quota(ctx, decl)
            for clause in decl.clauses:
                if isinstance(clause, n.GoalClause) and clause.source is None and ctx.scheme:
                    table_reads.append((goal_kind(clause, ctx.scheme.kind), clause))
    for kind, clause in table_reads[1:]:
        first_kind, first = table_reads[0]
        if kind is not first_kind:
            ctx.error(
                "E427",
                f"the quotas table holds goals of one period length; this quota reads it per "
                f"{kind.noun}, another per {first_kind.noun}",
                clause.span,
                hint="read the table per the same period everywhere, and split it differently",
                related=[Related(first.span, "reads the quotas table here")],
            )


def goal_kind(clause: n.GoalClause, period: PeriodKind) -> PeriodKind:
    """The period a goal is stated for (``per period`` means the pay period)."""
    if clause.unit is None or clause.unit == "period":
        return period
    return PeriodKind(clause.unit)


def _check_quota(ctx: CheckContext, decl: n.QuotaDecl) -> None:
    seen: dict[type, n.QuotaClause] = {}
    for clause in decl.clauses:
        first = seen.setdefault(type(clause), clause)
        if first is not clause:
            ctx.error(
                "E420",
                f"`{_CLAUSE_WORDS[type(clause)]}` is given twice for the quota `{decl.name.text}`",
                clause.span,
                hint="keep one of them",
            )
    symbol = ctx.symbols.get(decl.name.text)
    names: list[str] = []
    goal = seen.get(n.GoalClause)
    if not isinstance(goal, n.GoalClause):
        ctx.error(
            "E421",
            f"the quota `{decl.name.text}` does not say where its goal comes from",
            decl.span,
            hint="add `goal from quotas per quarter` or `goal 30,000 USD per month`",
        )
    else:
        if goal.source is not None:
            t, _ = infer(ctx, goal.source)
            require(ctx, goal.source, levels=_PAYEE_LEVELS, where="as a goal")
            if not t.is_error and t != ctx.symbols[decl.name.text].type:
                ctx.error(
                    "E203",
                    f"a goal is an amount in {ctx.currency}, not {t.phrase}",
                    goal.source.span,
                    hint=f"write an amount, like `goal 10,000 {ctx.currency} per month`",
                )
            names += [r.text for r in references(goal.source)]
        if ctx.scheme is not None:
            _check_split(ctx, decl, goal, seen.get(n.SplitClause), ctx.scheme.kind)
    prorate = seen.get(n.ProrateClause)
    if isinstance(prorate, n.ProrateClause):
        if len(set(prorate.factors)) != len(prorate.factors):
            ctx.error(
                "E420",
                "a proration factor is listed twice",
                prorate.span,
                hint="list each factor once",
            )
        # Proration reads these roster fields even though no expression names them.
        fields = {"fte": ("fte",), "days_active": ("start_date", "end_date")}
        for factor in prorate.factors:
            for field_name in fields[factor]:
                if field_name in ctx.symbols:
                    ctx.symbols[field_name].used = True
    if isinstance(seen.get(n.RampClause), n.RampClause) and "start_date" in ctx.symbols:
        ctx.symbols["start_date"].used = True
    ramp = seen.get(n.RampClause)
    if isinstance(ramp, n.RampClause):
        _check_ramp(ctx, ramp)
    rounding = seen.get(n.QuotaRoundClause)
    if isinstance(rounding, n.QuotaRoundClause) and isinstance(rounding.unit, n.Literal):
        if not isinstance(rounding.unit.value, Decimal) or rounding.unit.value <= 0:
            ctx.error(
                "E404",
                "a rounding unit is a positive number like 0.01",
                rounding.unit.span,
                hint="write a positive unit like 0.01, or `minor unit`",
            )
    if symbol is not None and symbol.node is decl:
        symbol.depends_on = tuple(names)


def _check_split(
    ctx: CheckContext,
    decl: n.QuotaDecl,
    goal: n.GoalClause,
    split: n.QuotaClause | None,
    period: PeriodKind,
) -> None:
    kind = goal_kind(goal, period)
    if HORIZON_ORDER[kind] < HORIZON_ORDER[period] or (
        kind is PeriodKind.TWO_WEEKS and period is not PeriodKind.TWO_WEEKS
    ):
        ctx.error(
            "E428",
            f"the goal is per {kind.noun}, shorter than the pay period ({period.noun})",
            goal.span,
            hint=f"state the goal per {period.noun} or longer",
        )
        return
    if kind is period:
        if split is not None:
            ctx.warning(
                "W423",
                f"the goal is already per {period.noun}; there is nothing to split",
                split.span,
                hint="remove the `split` clause",
            )
        return
    if not isinstance(split, n.SplitClause):
        ctx.error(
            "E424",
            f"the goal is per {kind.noun} but pay is per {period.noun}: say how the goal is split",
            goal.span,
            hint="add `split evenly`, `split by calendar days`, `split by working days` "
            "or `split by weights …`",
        )
        return
    count = nested_count(period, kind)
    if split.method in ("evenly", "weights") and count is None:
        ctx.error(
            "E425",
            f"{period.noun} periods do not fit evenly into a {kind.noun}, so they cannot "
            f"be split {'evenly' if split.method == 'evenly' else 'by weights'}",
            split.span,
            hint="split by calendar days or by working days instead",
        )
        return
    if split.method == "weights":
        assert count is not None
        _check_weights(ctx, split, count, period, kind)


def _check_weights(
    ctx: CheckContext, split: n.SplitClause, count: int, period: PeriodKind, kind: PeriodKind
) -> None:
    if len(split.weights) != count:
        ctx.error(
            "E426",
            f"a {kind.noun} has {count} {period.noun}s, but {len(split.weights)} weights are given",
            split.span,
            hint=f"give {count} weights, one per {period.noun}",
        )
        return
    total = Decimal(0)
    for weight in split.weights:
        t, _ = infer(ctx, weight)
        value = const_value(ctx, weight)
        if not t.is_number or not isinstance(value, Decimal):
            if not t.is_error:
                ctx.error(
                    "E426",
                    "a weight is a constant percent, like 30%",
                    weight.span,
                    hint="write a constant percent, like 30%",
                )
            return
        if value < 0:
            ctx.error(
                "E426",
                "a weight cannot be negative",
                weight.span,
                hint="write a weight of 0% or more",
            )
            return
        with evaluation_context():
            total += value
    if total != 1:
        with evaluation_context():
            shown = (total * 100).normalize()
        ctx.error(
            "E426",
            f"the weights add up to {shown:f}%, not 100%",
            split.span,
            hint="weights share the goal out, so they must add up to exactly 100%",
        )


def _check_ramp(ctx: CheckContext, ramp: n.RampClause) -> None:
    expected = 1
    for step in ramp.steps:
        last = step.last if step.last is not None else step.first
        if step.first != expected or last < step.first:
            ctx.error(
                "E429",
                f"the ramp should continue at month {expected}, but this step covers "
                f"{step.first}" + (f" to {last}" if last != step.first else ""),
                step.span,
                hint="list the ramp's months in order from month 1, without gaps",
            )
            return
        expected = last + 1
        t, _ = infer(ctx, step.factor)
        value = const_value(ctx, step.factor)
        if not t.is_number or not isinstance(value, Decimal) or value <= 0:
            if not t.is_error:
                ctx.error(
                    "E429",
                    "a ramp factor is a constant positive percent",
                    step.factor.span,
                    hint="write a constant percent above 0%, like 50%",
                )
            return
