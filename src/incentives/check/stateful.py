"""Pay across periods: dated versions, draws, clawbacks, holdbacks, true-ups,
caps over a horizon, earning dates and termination rules.

Contract: after these checks

* every dated version (``let rate from 2026-07-01 = 6%``) has an undated
  definition of the same kind and type, on a date no other version of it uses;
  only constants, tier tables and rate tables have versions (E448, E449);
* a plan that carries anything from one period to the next (a draw, a
  clawback, a holdback, a true-up, a cap over a horizon) says when it
  ``starts`` (E455), so its balances are always derived from the same history;
* a draw has exactly one amount and one shortfall rule, a clawback reverses
  components whose pay can be traced to ledger lines, over lines it selects
  by a line condition and matches to the original by a text column within a
  window of days (E452, E453, E454); a holdback keeps back a share between 0
  and 100% for 1 to 1,000 periods (E450); horizons are longer than the pay
  period (E451);
* ``dated by``, ``earn on`` and ``hold back … until`` name date columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from incentives.ast import nodes as n
from incentives.check.constants import const_value
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import infer, require
from incentives.check.measures import HORIZON_ORDER
from incentives.check.types import BOOL, condition_hint
from incentives.diagnostics import Related
from incentives.periods import PeriodKind
from incentives.source import Span

__all__ = [
    "attribution_base",
    "check_payee_when",
    "check_stateful",
    "check_versions",
    "is_stateful",
]

_PAYEE = (Level.CONST, Level.PAYEE, Level.TEAM)
_LINE = (Level.CONST, Level.LINE)
#: Longest `hold back … for N periods` (about nineteen years of weekly pay).
MAX_HOLD_PERIODS = 1000


def check_versions(ctx: CheckContext) -> None:
    for base, keys in ctx.versions.items():
        symbol = ctx.symbols.get(base)
        first = ctx.symbols[keys[0]]
        if symbol is None or symbol.kind != first.kind:
            ctx.error(
                "E448",
                f"`{base}` has a dated version but no undated definition of the same kind",
                first.span,
                hint=f"declare `{base}` without `from` first: that is the version in force "
                "before the first date",
            )
            continue
        seen: set[str] = set()
        for key in keys:
            version = ctx.symbols[key]
            ctx.resolve(version)
            date_text = key.split("@", 1)[1]
            if date_text in seen:
                ctx.error(
                    "E448",
                    f"`{base}` has two versions from {date_text}",
                    version.span,
                    hint="give each version its own start date",
                )
            seen.add(date_text)
            _same_shape(ctx, base, symbol.kind, key)


def _same_shape(ctx: CheckContext, base: str, kind: str, key: str) -> None:
    original, version = ctx.symbols[base], ctx.symbols[key]
    related = [Related(original.span, "the undated definition")]
    if kind == "let":
        if original.level is not Level.CONST or version.level is not Level.CONST:
            ctx.error(
                "E449",
                f"only constants have dated versions; `{base}` depends on data",
                version.span,
                hint="give a dated version to the constants it uses instead",
                related=related,
            )
        elif original.type != version.type and not (
            original.type is not None
            and version.type is not None
            and original.type.is_number
            and version.type.is_number
        ):
            ctx.error(
                "E448",
                f"this version of `{base}` is {version.type and version.type.phrase}, "
                f"but `{base}` is {original.type and original.type.phrase}",
                version.span,
                related=related,
                hint=f"keep the type of `{base}` in every version",
            )
    elif kind == "tiers":
        a, b = ctx.tier_info.get(base), ctx.tier_info.get(key)
        if (
            a is not None
            and b is not None
            and (a.kind != b.kind or a.bound_type != b.bound_type or a.value_type != b.value_type)
        ):
            ctx.error(
                "E448",
                f"a version of `{base}` must keep its kind and the types of its bounds and values",
                version.span,
                related=related,
                hint="keep the kind, the bounds and the values of the same types in every version",
            )
    elif kind == "rate_table":
        a_node, b_node = original.node, version.node
        assert isinstance(a_node, n.RateTableDecl) and isinstance(b_node, n.RateTableDecl)
        if [k.text for k in a_node.keys] != [k.text for k in b_node.keys] or (
            original.type != version.type
        ):
            ctx.error(
                "E448",
                f"a version of `{base}` must keep its key columns and the type of its values",
                version.span,
                related=related,
                hint="keep the key columns and the type of the values in every version",
            )


def is_stateful(plan: n.PlanFile) -> bool:
    """Whether the plan carries anything from one pay period to the next."""
    for decl in plan.declarations:
        if isinstance(decl, n.DrawDecl | n.ClawbackDecl):
            return True
        if isinstance(decl, n.ComponentDecl | n.TotalDecl) and any(
            isinstance(c, n.HoldClause | n.TrueUpClause | n.HorizonCapClause) for c in decl.clauses
        ):
            return True
    return False


def check_stateful(ctx: CheckContext) -> None:
    starts = [c for c in ctx.plan.header.clauses if isinstance(c, n.StartsClause)]
    holds = [
        c
        for d in ctx.plan.declarations
        if isinstance(d, n.ComponentDecl)
        for c in d.clauses
        if isinstance(c, n.HoldClause)
    ]
    rules = {
        c.rule for d in ctx.plan.declarations if isinstance(d, n.TerminationDecl) for c in d.clauses
    }
    if holds and not rules & {"holdbacks_released", "holdbacks_forfeited"}:
        ctx.error(
            "E452",
            "this plan holds back pay, so it must say what happens to it when a payee leaves",
            holds[0].span,
            hint="add `upon termination holdbacks released` (or `holdbacks forfeited`)",
        )
    if is_stateful(ctx.plan) and not starts:
        ctx.error(
            "E455",
            "this plan carries balances from one period to the next, so it must say when it starts",
            ctx.plan.header.span,
            hint="add `starts 2026-01-01` to the header: balances are derived from that date on",
        )
    for decl in ctx.plan.declarations:
        match decl:
            case n.DrawDecl():
                _check_draw(ctx, decl)
            case n.ClawbackDecl():
                _check_clawback(ctx, decl)
            case n.TerminationDecl():
                _check_termination(ctx, decl)
            case n.ComponentDecl() | n.TotalDecl():
                for clause in decl.clauses:
                    _check_clause(ctx, decl, clause)
            case n.MeasureDecl():
                for mc in decl.clauses:
                    if isinstance(mc, n.DatedClause):
                        _date_column(ctx, mc.column, "`dated by`")
            case n.CreditingDecl():
                for cc in decl.clauses:
                    if isinstance(cc, n.EarnOn):
                        _date_column(ctx, cc.column, "`earn on`")
            case _:
                pass


def _date_column(ctx: CheckContext, name: n.Name, what: str) -> None:
    symbol = ctx.lookup(name, expect="ledger column")
    if symbol is None:
        return
    if (
        symbol.kind not in ("column", "builtin")
        or symbol.type is None
        or symbol.type.kind != "date"
    ):
        ctx.error(
            "E447",
            f"{what} names a date column of the ledger; `{name.text}` is not one",
            name.span,
            hint="name a ledger column declared as `date`",
        )


def _longer(ctx: CheckContext, horizon: str, span: Span, what: str) -> None:
    if ctx.scheme is None:
        return
    if HORIZON_ORDER[PeriodKind(horizon)] <= HORIZON_ORDER[ctx.scheme.kind]:
        ctx.error(
            "E451",
            f"{what} over a {horizon} needs a horizon longer than the pay period "
            f"({ctx.scheme.kind.noun})",
            span,
            hint="choose a longer horizon, like `quarter` or `year`",
        )


def _check_clause(ctx: CheckContext, decl: n.ComponentDecl | n.TotalDecl, clause: object) -> None:
    match clause:
        case n.HoldClause(share=share, release=release, periods=periods, column=column):
            t, _ = infer(ctx, share)
            value = const_value(ctx, share)
            if not t.is_number or not isinstance(value, Decimal) or not (0 < value <= 1):
                if not t.is_error:
                    ctx.error(
                        "E450",
                        "a holdback keeps back a constant share between 0 and 100%",
                        share.span,
                        hint="write a constant percent between 0% and 100%, like 20%",
                    )
            if (
                release == "periods"
                and periods is not None
                and not (1 <= periods <= MAX_HOLD_PERIODS)
            ):
                ctx.error(
                    "E450",
                    f"a holdback is released after 1 to {MAX_HOLD_PERIODS:,} periods, "
                    f"not {periods:,}",
                    clause.span,
                    hint=f"write a number of pay periods from 1 to {MAX_HOLD_PERIODS:,}, "
                    "like `for 3 periods`",
                )
            if release == "column" and column is not None:
                _date_column(ctx, column, "`hold back … until`")
                if isinstance(decl, n.ComponentDecl) and attribution_base(ctx, decl) is None:
                    ctx.error(
                        "E453",
                        f"holding back until a line's date needs to know what each line earned; "
                        f"`{decl.name.text}` is not a sum over lines",
                        clause.span,
                        hint="pay a rate of a summed measure, tiers on one, or a per-line amount",
                    )
        case n.TrueUpClause(horizon=horizon, span=span):
            _longer(ctx, horizon, span, "a true-up")
        case n.HorizonCapClause(limit=limit, horizon=horizon, span=span):
            t, _ = infer(ctx, limit)
            require(ctx, limit, levels=_PAYEE, where="in a cap")
            if not t.is_error and t.kind != "money":
                ctx.error(
                    "E205",
                    f"a cap is an amount, not {t.phrase}",
                    limit.span,
                    hint=f"write an amount in {ctx.currency}, like `1,000 {ctx.currency}`",
                )
            _longer(ctx, horizon, span, "a cap")


def attribution_base(ctx: CheckContext, decl: n.ComponentDecl) -> str | None:
    """How a component's pay divides among ledger lines, if it does.

    ``lines`` for per-line payments; ``rate`` for ``RATE of M`` (or ``*``) and
    ``tiers`` for ``TIERS on M`` where M is a plain sum measure. A component
    gated ``excess only`` pays on the part of M above the gate, which no one
    line can be said to have earned: None.
    """
    pays = next((c for c in decl.clauses if isinstance(c, n.PaysClause)), None)
    if pays is None:
        return None
    if any(isinstance(c, n.GateClause) and c.mode == "excess_only" for c in decl.clauses):
        return None
    spec = pays.spec
    if isinstance(spec, n.PayPerLine | n.PayPerUnit):
        return "lines"
    amount = spec.amount
    if isinstance(amount, n.TierOn) and _plain_sum(ctx, amount.base):
        info = ctx.tier_info.get(amount.tiers.text)
        return "tiers" if info is not None and info.kind != "flat" else None
    if isinstance(amount, n.Binary) and amount.op in ("of", "*"):
        for base, rate in ((amount.right, amount.left), (amount.left, amount.right)):
            if _plain_sum(ctx, base) and ctx.type_of(rate).is_number:
                return "rate"
    return None


def _plain_sum(ctx: CheckContext, expr: n.Expr) -> bool:
    if not isinstance(expr, n.Ref):
        return False
    symbol = ctx.symbols.get(expr.name.text)
    decl = symbol.node if symbol is not None else None
    if not isinstance(decl, n.MeasureDecl) or decl.aggregate != "sum":
        return False
    return not any(isinstance(c, n.OverClause | n.AcrossClause) for c in decl.clauses)


def _check_draw(ctx: CheckContext, decl: n.DrawDecl) -> None:
    amounts = [c for c in decl.clauses if isinstance(c, n.DrawAmount)]
    shortfalls = [c for c in decl.clauses if isinstance(c, n.DrawShortfall)]
    whens = [c for c in decl.clauses if isinstance(c, n.WhenClause)]
    name = decl.name.text
    if len(amounts) != 1:
        ctx.error(
            "E452",
            f"the draw `{name}` needs exactly one `guarantee` or `advance` amount",
            decl.span if not amounts else amounts[1].span,
            hint="write one `guarantee AMOUNT` or `advance AMOUNT`",
        )
    if len(shortfalls) != 1:
        ctx.error(
            "E452",
            f"the draw `{name}` must say once whether its shortfall is `recovered` or `forgiven`",
            decl.span if not shortfalls else shortfalls[1].span,
            hint="add `shortfall recovered` (carried and repaid from later earnings) or "
            "`shortfall forgiven`",
        )
    for clause in amounts[:1]:
        t, _ = infer(ctx, clause.amount)
        require(ctx, clause.amount, levels=_PAYEE, where="as a draw amount")
        if not t.is_error and t.kind != "money":
            ctx.error(
                "E205",
                f"a draw is an amount, not {t.phrase}",
                clause.amount.span,
                hint=f"write an amount in {ctx.currency}, like `1,000 {ctx.currency}`",
            )
    for shortfall in shortfalls[:1]:
        if shortfall.limit is not None:
            if not shortfall.recovered:
                ctx.error(
                    "E452",
                    "a forgiven shortfall has no recovery limit",
                    shortfall.span,
                    hint="remove the limit, or make the shortfall `recovered`",
                )
            t, _ = infer(ctx, shortfall.limit)
            require(ctx, shortfall.limit, levels=_PAYEE, where="as a recovery limit")
            if not t.is_error and t.kind != "money":
                ctx.error(
                    "E205",
                    f"a recovery limit is an amount, not {t.phrase}",
                    shortfall.limit.span,
                    hint=f"write an amount in {ctx.currency}, like `1,000 {ctx.currency}`",
                )
    check_payee_when(ctx, whens, _PAYEE)


def check_payee_when(
    ctx: CheckContext, whens: Sequence[n.WhenClause], levels: tuple[Level, ...]
) -> None:
    """A declaration's `when`: at most once (E420), a yes/no known per payee (E204, E105)."""
    for extra in whens[1:]:
        ctx.error(
            "E420",
            "`when` is given twice",
            extra.span,
            hint="join the conditions with `and` into one `when`",
        )
    for when in whens[:1]:
        t, _ = infer(ctx, when.condition)
        require(ctx, when.condition, levels=levels, where="in `when`, which decides per payee")
        if t != BOOL and not t.is_error:
            ctx.error(
                "E204",
                f"`when` needs a yes/no condition, not {t.phrase}",
                when.condition.span,
                hint=condition_hint(t),
            )


def _check_clawback(ctx: CheckContext, decl: n.ClawbackDecl) -> None:
    name = decl.name.text
    kinds = {
        n.ClawbackReverses: "reverses",
        n.ClawbackLines: "for lines where",
        n.ClawbackMatched: "matched by",
        n.ClawbackWindow: "within … days",
    }
    seen: dict[type, object] = {}
    for clause in decl.clauses:
        if type(clause) in seen:
            ctx.error(
                "E420",
                f"`{kinds[type(clause)]}` is given twice",
                clause.span,
                hint="keep one of them",
            )
        seen.setdefault(type(clause), clause)
    for kind, word in kinds.items():
        if kind not in seen:
            ctx.error(
                "E452",
                f"the clawback `{name}` does not say `{word}`",
                decl.span,
                hint='a clawback says what it `reverses`, `for lines where kind = "refund"`, '
                "`matched by original_txn_id` and `within 90 days`",
            )
    for clause in decl.clauses:
        match clause:
            case n.ClawbackReverses(targets=targets):
                for target in targets:
                    symbol = ctx.lookup(target, expect="component")
                    if symbol is None:
                        continue
                    node = symbol.node
                    if symbol.kind != "component" or not isinstance(node, n.ComponentDecl):
                        ctx.error(
                            "E106",
                            f"`{target.text}` is not a pay component",
                            target.span,
                            hint="a clawback reverses commissions or bonuses the plan declares",
                        )
                    elif attribution_base(ctx, node) is None:
                        excess = any(
                            isinstance(c, n.GateClause) and c.mode == "excess_only"
                            for c in node.clauses
                        )
                        why = (
                            "it pays on the excess over a gate, which no one line earned"
                            if excess
                            else "it is not a sum over lines"
                        )
                        ctx.error(
                            "E453",
                            f"a clawback reverses what a line earned; `{target.text}`: {why}, "
                            "so a line's share of it is not defined",
                            target.span,
                            hint="pay a rate of a summed measure, tiers on one, or a per-line "
                            "amount"
                            + (
                                "; for a threshold, use tiers with a 0% band below it"
                                if excess
                                else ""
                            ),
                        )
            case n.ClawbackLines(condition=condition):
                t, _ = infer(ctx, condition)
                require(ctx, condition, levels=_LINE, where="to pick refund lines")
                if t != BOOL and not t.is_error:
                    ctx.error(
                        "E204",
                        f"a line condition is yes/no, not {t.phrase}",
                        condition.span,
                        hint=condition_hint(t),
                    )
            case n.ClawbackMatched(column=column):
                symbol = ctx.lookup(column, expect="ledger column")
                if symbol is not None and (
                    symbol.kind not in ("column", "builtin")
                    or symbol.type is None
                    or symbol.type.kind != "text"
                ):
                    ctx.error(
                        "E454",
                        f"a refund names its original line in a text ledger column; "
                        f"`{column.text}` is not one",
                        column.span,
                        hint="name a ledger column declared as `text`, like `original_txn_id`",
                    )
            case n.ClawbackWindow(days=days):
                if days < 0:  # pragma: no cover - the grammar has no negative INT
                    ctx.error(
                        "E452",
                        "a window is a number of days",
                        clause.span,
                        hint="write the window in days, like `within 90 days`",
                    )


def _check_termination(ctx: CheckContext, decl: n.TerminationDecl) -> None:
    rules = [c.rule for c in decl.clauses]
    for pair in (
        ("holdbacks_released", "holdbacks_forfeited"),
        ("draws_forgiven", "draws_recovered"),
    ):
        if sum(r in pair for r in rules) > 1:
            ctx.error(
                "E452",
                "termination rules must say one thing each about holdbacks and draws",
                decl.span,
                hint="say once what happens to holdbacks and once what happens to draws",
            )
    declared = [d for d in ctx.plan.declarations if isinstance(d, n.TerminationDecl)]
    if declared and declared[0] is not decl:
        ctx.error(
            "E420",
            "`upon termination` is declared twice",
            decl.span,
            hint="keep one `upon termination` declaration",
        )
