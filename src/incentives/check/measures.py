"""Measures: aggregates over a payee's ledger lines.

Contract: a measure that passes has an argument and a filter that use only
ledger columns, line-level values, rate tables and constants (so stage 1 can
compute it without knowing anything about the payee), an aggregate that
suits the argument's type, at most one of each clause, a horizon no shorter
than the pay period, and a default exactly when the aggregate can be empty
(min, max, average: E413).
"""

from __future__ import annotations

from collections.abc import Callable

from incentives.ast import nodes as n
from incentives.ast.visitor import references
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import check_scope, infer, require
from incentives.check.types import BOOL, COUNT, DECIMAL, ERROR, Type, condition_hint, sample
from incentives.periods import PeriodKind

__all__ = ["HORIZON_ORDER", "check_measure", "register_measures"]

#: Pay periods and horizons from shortest to longest.
HORIZON_ORDER = {
    PeriodKind.WEEK: 0,
    PeriodKind.TWO_WEEKS: 1,
    PeriodKind.MONTH: 2,
    PeriodKind.QUARTER: 3,
    PeriodKind.YEAR: 4,
}

_LINE_LEVELS = (Level.CONST, Level.LINE)


def register_measures(ctx: CheckContext, period: PeriodKind | None) -> None:
    """Give every measure symbol a resolver that checks it on first use."""
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.MeasureDecl) and ctx.symbols.get(decl.name.text) is not None:
            symbol = ctx.symbols[decl.name.text]
            if symbol.node is decl:
                ctx.resolvers[decl.name.text] = _resolver(ctx, decl, period)


def _resolver(
    ctx: CheckContext, decl: n.MeasureDecl, period: PeriodKind | None
) -> Callable[[], None]:
    def resolve() -> None:
        symbol = ctx.symbols[decl.name.text]
        symbol.type = check_measure(ctx, decl, period)
        symbol.level = Level.PAYEE
        names = references(decl.argument) if decl.argument is not None else []
        for clause in decl.clauses:
            if isinstance(clause, n.WhereClause):
                names += references(clause.condition)
        symbol.depends_on = tuple(name.text for name in names)

    return resolve


def check_measure(ctx: CheckContext, decl: n.MeasureDecl, period: PeriodKind | None) -> Type:
    """Check one measure and return the type of its value."""
    result = _aggregate_type(ctx, decl)
    seen: dict[type, n.MeasureClause] = {}
    for clause in decl.clauses:
        first = seen.setdefault(type(clause), clause)
        if first is not clause:
            ctx.error(
                "E420",
                f"`{_clause_word(clause)}` is given twice for the measure `{decl.name.text}`",
                clause.span,
                hint="join the conditions with `and` into one `where`"
                if isinstance(clause, n.WhereClause)
                else f"keep one `{_clause_word(clause)}`",
            )
            continue
        match clause:
            case n.WhereClause(condition=cond):
                t, _ = infer(ctx, cond)
                if t != BOOL and not t.is_error:
                    ctx.error(
                        "E204",
                        f"`where` needs a yes/no condition, not {t.phrase}",
                        cond.span,
                        hint=condition_hint(t),
                    )
                require(ctx, cond, levels=_LINE_LEVELS, where="to filter ledger lines")
            case n.OverClause(horizon=horizon):
                if (
                    period is not None
                    and HORIZON_ORDER[PeriodKind(horizon)] < HORIZON_ORDER[period]
                ):
                    ctx.error(
                        "E415",
                        f"`over {horizon} to date` is shorter than the pay period ({period.noun})",
                        clause.span,
                        hint="a to-date horizon reaches back further than one pay period",
                    )
            case n.AcrossClause(scope=scope):
                check_scope(ctx, scope)
            case n.DefaultClause(value=value):
                t, level = infer(ctx, value)
                if decl.aggregate not in ("min", "max", "average"):
                    ctx.error(
                        "E413",
                        f"`{decl.aggregate.replace('_', ' ')}` of no lines is 0; "
                        "a default is only for min, max and average",
                        clause.span,
                        hint="remove the default",
                    )
                elif level is not Level.CONST:
                    ctx.error(
                        "E413",
                        "a default must be a constant",
                        value.span,
                        hint=f"write a constant, like `default {sample(result)}`",
                    )
                elif not result.is_error and not t.is_error and not _fits(t, result):
                    ctx.error(
                        "E203",
                        f"the default must be {result.phrase}, not {t.phrase}",
                        value.span,
                        hint=f"write {result.phrase}, like `default {sample(result)}`",
                    )
    if decl.aggregate in ("min", "max", "average") and n.DefaultClause not in seen:
        ctx.error(
            "E413",
            f"`{decl.aggregate}` over no lines has no value; say what the measure is "
            "for a payee with no matching lines",
            decl.aggregate_span,
            hint=f"add `default 0 USD` (or another value) to `{decl.name.text}`",
        )
    return result


def _fits(given: Type, wanted: Type) -> bool:
    return given == wanted or (given.is_number and wanted.is_number)


def _clause_word(clause: n.MeasureClause) -> str:
    words = {
        n.WhereClause: "where",
        n.OverClause: "over",
        n.DefaultClause: "default",
        n.AcrossClause: "across",
        n.DatedClause: "dated by",
    }
    return words[type(clause)]


def _aggregate_type(ctx: CheckContext, decl: n.MeasureDecl) -> Type:
    if decl.argument is None:
        return COUNT
    t, _ = infer(ctx, decl.argument)
    require(ctx, decl.argument, levels=_LINE_LEVELS, where="in a measure, which reads ledger lines")
    if t.is_error:
        return ERROR
    kind = decl.aggregate
    if kind == "count_distinct":
        return COUNT
    if kind in ("min", "max") and (t.is_numeric or t.kind == "date"):
        return t
    if kind == "sum" and t.is_numeric:
        return t
    if kind == "average" and t.is_numeric:
        return DECIMAL if t.kind == "count" else t
    ctx.error(
        "E210",
        f"cannot take the {kind} of {t.phrase}",
        decl.argument.span,
        hint="`count distinct` counts different values of any column",
    )
    return ERROR
