"""Tier tables: bands that tile the line from their first bound to infinity.

Contract: a tier table that passes has constant bounds of one type (money in
the plan currency, or numbers such as percent attainment), constant values of
one type, bands listed from lowest to highest, and no gap and no overlap: each
band's upper bound is the next band's lower bound, included in exactly one of
them. The first band starts at or below zero (or is unbounded below); the last
is unbounded above. A gap is E301 and an overlap E302, each naming a value
that falls in no band or in two. Only interpolated bands may move from one
value to another (E309), and such a band must be bounded (E308). Marginal
and retroactive tables pay rates, so their values are numbers (or, for
marginal tables on a count, amounts per unit); flat and interpolated tables
may pay amounts.

The checked table is recorded as :class:`~incentives.check.context.TierInfo`
for the expressions that apply it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise

from incentives.ast import nodes as n
from incentives.check.constants import const_value
from incentives.check.context import CheckContext, Level, TierInfo
from incentives.check.expressions import infer
from incentives.check.names import version_key
from incentives.check.types import ERROR, Type, show, unify
from incentives.diagnostics import Related

__all__ = ["register_tiers"]


def register_tiers(ctx: CheckContext) -> None:
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.TiersDecl):
            key = version_key(decl.name.text, decl.start) if decl.start else decl.name.text
            symbol = ctx.symbols.get(key)
            if symbol is not None and symbol.node is decl:
                ctx.resolvers[key] = _resolver(ctx, decl, key)


def _resolver(ctx: CheckContext, decl: n.TiersDecl, key: str) -> Callable[[], None]:
    def resolve() -> None:
        symbol = ctx.symbols[key]
        symbol.type, symbol.level = ERROR, Level.CONST
        info = _check(ctx, decl)
        if info is not None:
            ctx.tier_info[key] = info

    return resolve


def _constant(ctx: CheckContext, expr: n.Expr, what: str) -> tuple[Type, Decimal | None]:
    t, level = infer(ctx, expr)
    if t.is_error:
        return t, None
    if level is not Level.CONST:
        ctx.error(
            "E310",
            f"{what} must be a constant",
            expr.span,
            hint="tier tables are fixed; apply them to a per-payee value with `on` or `at`",
        )
        return ERROR, None
    if not t.is_numeric:
        ctx.error(
            "E303",
            f"{what} must be a number or an amount, not {t.phrase}",
            expr.span,
            hint="write a number, a percent or an amount",
        )
        return ERROR, None
    value = const_value(ctx, expr)
    if not isinstance(value, Decimal):
        return ERROR, None
    return t, value


def _check(ctx: CheckContext, decl: n.TiersDecl) -> TierInfo | None:
    ok = True
    bound_type: Type | None = None
    value_type: Type | None = None
    first_bound_span = None
    bounds: list[tuple[n.Band, Decimal | None, Decimal | None]] = []
    for band in decl.bands:
        values: list[Decimal | None] = []
        for bound in (band.lower, band.upper):
            if bound is None:
                values.append(None)
                continue
            t, v = _constant(ctx, bound.value, "a band bound")
            if v is None:
                ok = False
            elif bound_type is None:
                bound_type, first_bound_span = t, bound.span
            elif unify(bound_type, t) is None:
                if ok:  # one report per table is enough
                    ctx.error(
                        "E303",
                        f"the bounds of `{decl.name.text}` mix {bound_type.plural} and {t.plural}",
                        bound.span,
                        related=[Related(first_bound_span or decl.span, "the first bound is here")],
                        hint="write every bound in one kind: all amounts, or all percents",
                    )
                ok = False
            values.append(v)
        bounds.append((band, values[0], values[1]))
        for expr in (band.value, band.value_to):
            if expr is None:
                continue
            t, v = _constant(ctx, expr, "what a band pays")
            if v is None:
                ok = False
            elif value_type is None:
                value_type = t
            elif unify(value_type, t) is None:
                ctx.error(
                    "E309",
                    f"the bands of `{decl.name.text}` pay both {value_type.plural} and {t.plural}",
                    expr.span,
                    hint="pay the same kind of value in every band",
                )
                ok = False
        if band.value_to is not None:
            if decl.kind != "interpolated":
                ctx.error(
                    "E309",
                    f"only interpolated tiers move `from` one value `to` another; "
                    f"`{decl.name.text}` is {decl.kind}",
                    band.span,
                    hint="write one value per band, or declare "
                    f"`tiers {decl.name.text} interpolated`",
                )
                ok = False
            elif band.lower is None or band.upper is None:
                ctx.error(
                    "E308",
                    "an unbounded band cannot move from one value to another",
                    band.span,
                    hint="give the band both bounds, or a single value",
                )
                ok = False
    if not ok or bound_type is None or value_type is None:
        return None
    if decl.kind == "retroactive" and value_type.is_money:
        ctx.error(
            "E309",
            f"retroactive tiers pay a rate on the whole base; `{decl.name.text}` pays amounts",
            decl.span,
            hint="for a fixed amount per band reached, declare the tiers `flat`",
        )
        return None
    if not _tiles(ctx, decl, bounds, bound_type):
        return None
    return TierInfo(decl.kind, bound_type, value_type)


def _show(value: Decimal, t: Type) -> str:
    return show(value, t)


def _tiles(
    ctx: CheckContext,
    decl: n.TiersDecl,
    bounds: list[tuple[n.Band, Decimal | None, Decimal | None]],
    t: Type,
) -> bool:
    """Report gaps, overlaps, empty and out-of-order bands; True if none."""
    ok = True
    name = decl.name.text
    for band, low, high in bounds:
        if low is not None and high is not None:
            assert band.lower is not None and band.upper is not None
            if low > high or (low == high and not (band.lower.inclusive and band.upper.inclusive)):
                ctx.error(
                    "E304",
                    f"this band of `{name}` contains no value: it starts at {_show(low, t)} "
                    f"and ends at {_show(high, t)}",
                    band.span,
                    hint="make the band end above where it starts",
                )
                ok = False
    if not ok:
        return False
    #: Each band's lower bound, looked up by band (bands compare by identity).
    first_lows: dict[int, Decimal] = {}
    for b, b_low, _ in bounds:
        first_lows.setdefault(id(b), b_low if b_low is not None else Decimal("-Infinity"))
    first_band, first_low, _ = bounds[0]
    if first_low is not None and first_low > 0:
        ctx.error(
            "E301",
            f"values from 0 up to {_show(first_low, t)} fall in no band of `{name}`",
            first_band.span,
            hint=f"start the first band `at least 0` (or `below {_show(first_low, t)}`)",
        )
        ok = False
    elif first_low is not None and first_low == 0 and first_band.lower is not None:
        if not first_band.lower.inclusive:
            ctx.error(
                "E301",
                f"the value 0 falls in no band of `{name}`",
                first_band.span,
                hint="write the first band `at least 0`",
            )
            ok = False
    for (band, _, high), (nxt, low, _) in pairwise(bounds):
        if high is None or band.upper is None:
            ctx.error(
                "E302",
                f"this band of `{name}` has no upper bound, so it overlaps every band after it",
                band.span,
                hint="only the last band can be open-ended",
                related=[Related(nxt.span, "this band overlaps it")],
            )
            return False
        if nxt.lower is None or low is None:
            ctx.error(
                "E302",
                f"this band of `{name}` has no lower bound, so it overlaps the bands before it",
                nxt.span,
                hint="only the first band can be open below",
            )
            return False
        if low > high:
            ctx.error(
                "E301",
                f"values from {_show(high, t)} to {_show(low, t)} fall in no band of `{name}`",
                nxt.span,
                hint=f"start this band at {_show(high, t)}",
                related=[Related(band.span, "the band before it ends here")],
            )
            ok = False
        elif low < high:
            if low < first_lows[id(band)]:
                ctx.error(
                    "E306",
                    f"the bands of `{name}` are not in order: list them from lowest to highest",
                    nxt.span,
                    hint="move the bands so that each starts where the one before it ends",
                )
                return False
            ctx.error(
                "E302",
                f"values from {_show(low, t)} to {_show(high, t)} fall in two bands of `{name}`",
                nxt.span,
                hint=f"start this band at {_show(high, t)}",
                related=[Related(band.span, "the band before it covers them too")],
            )
            ok = False
        elif band.upper.inclusive and nxt.lower.inclusive:
            ctx.error(
                "E302",
                f"the value {_show(low, t)} falls in two bands of `{name}`",
                nxt.span,
                hint=f"write `above {_show(low, t)}` here, or `below {_show(low, t)}` "
                "in the band before",
                related=[Related(band.span, "the band before includes it too")],
            )
            ok = False
        elif not band.upper.inclusive and not nxt.lower.inclusive:
            ctx.error(
                "E301",
                f"the value {_show(low, t)} falls in no band of `{name}`",
                nxt.span,
                hint=f"write `at least {_show(low, t)}` here",
                related=[Related(band.span, "the band before excludes it too")],
            )
            ok = False
    last_band, _, last_high = bounds[-1]
    if last_high is not None:
        included = last_band.upper is not None and last_band.upper.inclusive
        where = (
            f"above {_show(last_high, t)}" if included else f"of {_show(last_high, t)} and above"
        )
        ctx.error(
            "E305",
            f"values {where} fall in no band of `{name}`",
            last_band.span,
            hint="end the table with an open band, like `band at least 150%: 7%`",
        )
        ok = False
    return ok
