"""Pay components and the total: what appears on a statement.

Contract: a component that passes pays money in the plan currency through
exactly one ``pays`` clause (or, for a multiplier, exactly one ``multiplies``
clause naming other components), with per-line forms using only per-line
values and payee forms only per-payee values (E105). ``when`` is a yes/no
condition; a gate has a base to compare with (E408): the base of
``RATE of BASE``, ``RATE * BASE`` or ``TIERS on BASE``, and ``excess only``
needs a linear rate or marginal tiers. Caps and floors are amounts; per-line
ones only on per-line payments (E410); a constant cap below a constant floor
is E409. Each clause appears at most once (E420). The total may have one cap
and one floor.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.ast import nodes as n
from incentives.ast.visitor import references
from incentives.check.constants import const_value
from incentives.check.context import CheckContext, Level
from incentives.check.expressions import infer, require
from incentives.check.types import BOOL, Type, comparison_hint, condition_hint, money
from incentives.diagnostics import Related
from incentives.money import format_decimal, to_grid

__all__ = ["check_components", "check_total", "gate_base"]

_PAYEE = (Level.CONST, Level.PAYEE, Level.TEAM)
_LINE = (Level.CONST, Level.LINE)

_WORDS = {
    n.PaysClause: "pays",
    n.WhenClause: "when",
    n.GateClause: "gate",
    n.MultipliesClause: "multiplies",
    n.HoldClause: "hold back",
    n.TrueUpClause: "true up",
    n.HorizonCapClause: "cap … per",
}


def _word(clause: n.ComponentClause) -> str:
    if isinstance(clause, n.CapClause | n.FloorClause):
        base = "cap" if isinstance(clause, n.CapClause) else "floor"
        return f"{base} per line" if clause.per_line else base
    return _WORDS[type(clause)]


def check_components(ctx: CheckContext) -> None:
    for decl in ctx.plan.declarations:
        if isinstance(decl, n.ComponentDecl):
            _check_component(ctx, decl)
    if not any(isinstance(d, n.ComponentDecl) for d in ctx.plan.declarations):
        ctx.error(
            "E431",
            "the plan has no pay components, so it pays nothing",
            ctx.plan.header.span,
            hint="add a component, like `commission sales_commission pays 5% of sales`",
        )


def _money_type(ctx: CheckContext) -> Type:
    return money(ctx.currency)


def _expect_money(ctx: CheckContext, expr: n.Expr, what: str) -> None:
    t = ctx.type_of(expr)
    if not t.is_error and t != _money_type(ctx):
        ctx.error(
            "E205",
            f"{what} must be an amount in {ctx.currency}, but this is {t.phrase}",
            expr.span,
            hint="multiply a rate by an amount, like `5% of sales`"
            if t.is_number
            else f"pay an amount, like `pays 100 {ctx.currency}` or `pays 5% of sales`",
        )


def _check_component(ctx: CheckContext, decl: n.ComponentDecl) -> None:
    seen: dict[str, n.ComponentClause] = {}
    for clause in decl.clauses:
        word = _word(clause)
        first = seen.setdefault(word, clause)
        if first is not clause:
            ctx.error(
                "E420",
                f"`{word}` is given twice for `{decl.name.text}`",
                clause.span,
                related=[Related(first.span, "first given here")],
                hint=f"keep one `{word}` clause",
            )
    pays = seen.get("pays")
    multiplies = seen.get("multiplies")
    name = decl.name.text
    if decl.kind == "multiplier":
        if pays is not None:
            ctx.error(
                "E430",
                f"a multiplier scales other components; `{name}` cannot also `pay`",
                pays.span,
                hint="declare a commission or bonus for a direct payment",
            )
        if not isinstance(multiplies, n.MultipliesClause):
            ctx.error(
                "E430",
                f"the multiplier `{name}` does not say what it multiplies",
                decl.span,
                hint="add `multiplies commission by csat_factor`",
            )
    else:
        if multiplies is not None:
            ctx.error(
                "E430",
                f"only a multiplier can `multiply`; `{name}` is a {decl.kind}",
                multiplies.span,
                hint=f"declare it as `multiplier {name}`",
            )
        if not isinstance(pays, n.PaysClause):
            ctx.error(
                "E430",
                f"the {decl.kind} `{name}` does not say what it pays",
                decl.span,
                hint="add a `pays` clause, like `pays 5% of sales`",
            )
    per_line = isinstance(pays, n.PaysClause) and not isinstance(pays.spec, n.PayAmount)
    names: list[str] = []
    if isinstance(pays, n.PaysClause):
        _check_pays(ctx, pays.spec)  # first: the gate reads the types of its base
    for clause in decl.clauses:
        for expr in _clause_exprs(clause):
            names += [r.text for r in references(expr)]
        match clause:
            case n.WhenClause(condition=cond):
                t, _ = infer(ctx, cond)
                if t != BOOL and not t.is_error:
                    ctx.error(
                        "E204",
                        f"`when` needs a yes/no condition, not {t.phrase}",
                        cond.span,
                        hint=condition_hint(t),
                    )
                require(ctx, cond, levels=_PAYEE, where="in `when`, which decides per payee")
            case n.GateClause():
                _check_gate(ctx, decl, clause, pays)
            case n.CapClause(per_line=line) | n.FloorClause(per_line=line):
                _check_limit(ctx, clause, line, per_line)
            case n.MultipliesClause(targets=targets, factor=factor):
                for target in targets:
                    symbol = ctx.lookup(target, expect="component")
                    names.append(target.text)
                    if symbol is not None and symbol.kind != "component":
                        ctx.error(
                            "E106",
                            f"a multiplier scales pay components; `{target.text}` is not one",
                            target.span,
                            hint="name commissions or bonuses the plan declares",
                        )
                    if target.text == name:
                        ctx.error(
                            "E401",
                            f"`{name}` cannot multiply itself",
                            target.span,
                            hint="name the other components it scales",
                        )
                t, _ = infer(ctx, factor)
                if not t.is_number and not t.is_error:
                    ctx.error(
                        "E201",
                        f"a multiplier's factor is a number like 110%, not {t.phrase}",
                        factor.span,
                        hint="write a percent or a number, like `110%` or `csat / 100`",
                    )
                require(ctx, factor, levels=_PAYEE, where="as a factor")
    _check_cap_floor(ctx, decl.clauses)
    symbol = ctx.symbols.get(name)
    if symbol is not None and symbol.node is decl:
        symbol.depends_on = tuple(dict.fromkeys(names))


def _clause_exprs(clause: n.ComponentClause) -> list[n.Expr]:
    match clause:
        case n.PaysClause(spec=n.PayAmount(amount=amount)):
            return [amount]
        case n.PaysClause(spec=n.PayPerLine(amount=amount, where=where)):
            return [amount] + ([where] if where is not None else [])
        case n.PaysClause(spec=n.PayPerUnit(amount=amount, units=units, where=where)):
            return [amount, units] + ([where] if where is not None else [])
        case n.WhenClause(condition=cond):
            return [cond]
        case n.GateClause(threshold=threshold):
            return [threshold]
        case n.CapClause(limit=limit) | n.FloorClause(limit=limit):
            return [limit]
        case n.MultipliesClause(factor=factor):
            return [factor]
        case n.HoldClause(share=share):
            return [share]
        case n.HorizonCapClause(limit=limit):
            return [limit]
    return []


def _check_pays(ctx: CheckContext, spec: n.PaySpec) -> None:
    match spec:
        case n.PayAmount(amount=amount):
            infer(ctx, amount)
            require(ctx, amount, levels=_PAYEE, where="in a per-payee payment")
            _expect_money(ctx, amount, "what a component pays")
        case n.PayPerLine(amount=amount, where=where):
            infer(ctx, amount)
            require(ctx, amount, levels=_LINE, where="in a per-line payment")
            _expect_money(ctx, amount, "what is paid per line")
            _check_where(ctx, where)
        case n.PayPerUnit(amount=amount, units=units, where=where):
            infer(ctx, amount)
            require(ctx, amount, levels=_LINE, where="in a per-unit payment")
            _expect_money(ctx, amount, "what is paid per unit")
            ut, _ = infer(ctx, units)
            require(ctx, units, levels=_LINE, where="as the units of a per-unit payment")
            if not ut.is_number and not ut.is_error:
                ctx.error(
                    "E201",
                    f"units are counted by a number column, not {ut.phrase}",
                    units.span,
                    hint="name a ledger column declared as `count` or `decimal`, like `units`",
                )
            _check_where(ctx, where)


def _check_where(ctx: CheckContext, where: n.Expr | None) -> None:
    if where is None:
        return
    t, _ = infer(ctx, where)
    if t != BOOL and not t.is_error:
        ctx.error(
            "E204",
            f"`where` needs a yes/no condition, not {t.phrase}",
            where.span,
            hint=condition_hint(t),
        )
    require(ctx, where, levels=_LINE, where="to filter ledger lines")


def gate_base(ctx: CheckContext, amount: n.Expr) -> tuple[n.Expr | None, str]:
    """The base a gate compares with, and the form of the payment.

    Returns (base, form) where form is ``linear`` (``RATE of BASE``), ``tiers``
    (``TIERS on BASE``) or ``none``.
    """
    match amount:
        case n.TierOn(base=base):
            return base, "tiers"
        case n.Binary(op="of", right=base):
            return base, "linear"
        case n.Binary(op="*", left=left, right=right):
            if ctx.type_of(right).is_money and ctx.type_of(left).is_number:
                return right, "linear"
            if ctx.type_of(left).is_money and ctx.type_of(right).is_number:
                return left, "linear"
    return None, "none"


def _check_gate(
    ctx: CheckContext,
    decl: n.ComponentDecl,
    gate: n.GateClause,
    pays: n.ComponentClause | None,
) -> None:
    t, _ = infer(ctx, gate.threshold)
    require(ctx, gate.threshold, levels=_PAYEE, where="as a gate threshold")
    if decl.kind == "multiplier":
        ctx.error(
            "E408",
            "a multiplier has no base for a gate to compare with",
            gate.span,
            hint="put the gate on the components it multiplies, or use `when`",
        )
        return
    if not isinstance(pays, n.PaysClause):
        return
    if not isinstance(pays.spec, n.PayAmount):
        ctx.error(
            "E408",
            "a gate compares a component's base with a threshold; per-line payments have none",
            gate.span,
            hint="use `when` with a condition on a measure instead",
        )
        return
    base, form = gate_base(ctx, pays.spec.amount)
    if base is None:
        ctx.error(
            "E408",
            f"a gate needs a base to compare: write `pays RATE of BASE` or `pays TIERS on BASE`"
            f" in `{decl.name.text}`",
            gate.span,
            hint="or use `when` with a condition",
        )
        return
    base_t = ctx.type_of(base)
    if not t.is_error and not base_t.is_error and t != base_t:
        ctx.error(
            "E203",
            f"the gate threshold is {t.phrase}, but the base it is compared with is "
            f"{base_t.phrase}",
            gate.threshold.span,
            hint=comparison_hint(">=", base_t, t),
        )
    if gate.mode == "excess_only" and form == "tiers":
        amount = pays.spec.amount
        assert isinstance(amount, n.TierOn)
        info = ctx.tier_info.get(amount.tiers.text)
        if info is not None and info.kind != "marginal":
            ctx.error(
                "E408",
                f"`excess only` pays on the part of the base above the threshold, which only "
                f"makes sense for a rate or marginal tiers; `{amount.tiers.text}` is {info.kind}",
                gate.span,
                hint="use `nothing below` instead",
            )


def _check_limit(
    ctx: CheckContext, clause: n.CapClause | n.FloorClause, line: bool, per_line_pays: bool
) -> None:
    word = "cap" if isinstance(clause, n.CapClause) else "floor"
    infer(ctx, clause.limit)
    if line:
        if not per_line_pays:
            ctx.error(
                "E410",
                f"a {word} per line needs a payment per line (`pays … per line`)",
                clause.span,
                hint=f"use `{word} at …` to limit the component as a whole",
            )
        require(ctx, clause.limit, levels=_LINE, where=f"in a {word} per line")
    else:
        require(ctx, clause.limit, levels=_PAYEE, where=f"in a {word}")
    _expect_money(ctx, clause.limit, f"a {word}")


def _check_cap_floor(
    ctx: CheckContext,
    clauses: tuple[n.ComponentClause, ...] | tuple[n.CapClause | n.FloorClause, ...],
) -> None:
    for line in (False, True):
        caps = [c for c in clauses if isinstance(c, n.CapClause) and c.per_line == line]
        floors = [c for c in clauses if isinstance(c, n.FloorClause) and c.per_line == line]
        if caps and floors:
            cap, floor = const_value(ctx, caps[0].limit), const_value(ctx, floors[0].limit)
            if not (isinstance(cap, Decimal) and isinstance(floor, Decimal)):
                continue
            unit = ctx.rounding_unit
            place = "lines" if line else "components"
            if cap < floor:
                ctx.error(
                    "E409",
                    "the cap is below the floor, so no amount can satisfy both",
                    caps[0].span,
                    related=[Related(floors[0].span, "the floor")],
                    hint="raise the cap or lower the floor",
                )
            elif (
                unit is not None
                and place in ctx.rounding_places
                and (to_grid(floor, unit, up=True) > cap)
            ):
                ctx.error(
                    "E409",
                    "no amount from the floor to the cap is a whole multiple of the rounding "
                    f"unit {format_decimal(unit)}, so rounded pay cannot satisfy both",
                    caps[0].span,
                    related=[Related(floors[0].span, "the floor")],
                    hint="widen the gap between the cap and the floor to at least one rounding "
                    "unit, or round to a finer unit",
                )


def check_total(ctx: CheckContext) -> None:
    totals = [d for d in ctx.plan.declarations if isinstance(d, n.TotalDecl)]
    for extra in totals[1:]:
        ctx.error(
            "E420",
            "the total is declared twice",
            extra.span,
            related=[Related(totals[0].span, "first declared here")],
            hint="keep one `total` declaration",
        )
    for total in totals[:1]:
        seen: dict[type, n.CapClause | n.FloorClause | n.HorizonCapClause] = {}
        for clause in total.clauses:
            first = seen.setdefault(type(clause), clause)
            if first is not clause:
                ctx.error(
                    "E420",
                    "the total's cap or floor is given twice",
                    clause.span,
                    hint="give the total one cap and one floor at most",
                )
            if isinstance(clause, n.HorizonCapClause):
                continue  # checked with the other clauses that carry over periods
            infer(ctx, clause.limit)
            require(ctx, clause.limit, levels=_PAYEE, where="in the total")
            _expect_money(ctx, clause.limit, "the total's cap or floor")
        _check_cap_floor(ctx, total.clauses)
