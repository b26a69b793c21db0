"""Type and level inference for expressions.

Contract: :func:`infer` returns the :class:`~incentives.check.types.Type`
and :class:`~incentives.check.context.Level` of an expression, records both
for every sub-expression in the context, and reports each problem once
(E101 unknown name, E105 mixing per-line and per-payee values, E2xx type and
unit errors). An expression with an error gets type ``ERROR``, which never
produces a second diagnostic further up.
"""

from __future__ import annotations

from decimal import Decimal

from incentives.ast import nodes as n
from incentives.ast.visitor import references, walk
from incentives.check.context import KIND_WORDS, CheckContext, Level
from incentives.check.types import (
    BOOL,
    COUNT,
    DATE,
    DECIMAL,
    ERROR,
    PERCENT,
    TEXT,
    Type,
    arithmetic,
    arithmetic_hint,
    comparable,
    comparison_hint,
    condition_hint,
    money,
    unify,
)

__all__ = ["infer", "literal_type", "require"]

_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")

#: How each function is written, for hints.
_CALL_FORMS = {
    "min": "write `min(a, b, …)` with two or more numbers, amounts or dates",
    "max": "write `max(a, b, …)` with two or more numbers, amounts or dates",
    "clamp": "write `clamp(value, low, high)` with numbers or amounts",
    "abs": "write `abs(value)` with a number or an amount",
}
_ARITHMETIC = ("+", "-", "*", "/", "of")


def literal_type(ctx: CheckContext, lit: n.Literal) -> Type:
    """The type of a literal; money in another currency than the plan's is E202."""
    match lit.kind:
        case "money":
            assert lit.currency is not None
            if lit.currency != ctx.currency:
                ctx.error(
                    "E202",
                    f"`{lit.text}` is in {lit.currency}, but this plan pays in {ctx.currency}",
                    lit.span,
                    hint=f"write amounts in {ctx.currency}; this plan declares no conversion",
                )
                return ERROR
            return money(lit.currency)
        case "percent":
            return PERCENT
        case "number":
            return COUNT if "." not in lit.text else DECIMAL
        case "date":
            return DATE
        case "text":
            return TEXT
        case "bool":
            return BOOL
    raise AssertionError(lit.kind)  # pragma: no cover


def _combine(ctx: CheckContext, expr: object, parts: list[object], span_of: n.Expr) -> Level:
    levels = [ctx.level_of(p) for p in parts]
    if Level.LINE in levels and (Level.PAYEE in levels or Level.TEAM in levels):
        ctx.mixed.add(id(expr))
        ctx.error(
            "E105",
            "this mixes ledger columns (one value per line) with per-payee values",
            span_of.span,
            hint="sum or count the column in a `measure` first, then use the measure here",
        )
        return Level.PAYEE
    return max(levels, default=Level.CONST)


def infer(ctx: CheckContext, expr: n.Expr) -> tuple[Type, Level]:
    """Infer and record the type and level of ``expr`` and its parts."""
    match expr:
        case n.Literal():
            return ctx.record(expr, literal_type(ctx, expr), Level.CONST)
        case n.Ref(name=name):
            return _ref(ctx, expr, name)
        case n.Binary(op=op, left=left, right=right):
            lt, _ = infer(ctx, left)
            rt, _ = infer(ctx, right)
            level = _combine(ctx, expr, [left, right], expr)
            return ctx.record(expr, _binary(ctx, op, lt, rt, expr), level)
        case n.Unary(op=op, operand=operand):
            t, level = infer(ctx, operand)
            if op == "not":
                if t != BOOL and not t.is_error:
                    ctx.error(
                        "E204",
                        f"`not` needs a yes/no condition, not {t.phrase}",
                        operand.span,
                        hint=condition_hint(t),
                    )
                    return ctx.record(expr, ERROR, level)
                return ctx.record(expr, BOOL, level)
            if not t.is_numeric and not t.is_error:
                ctx.error(
                    "E201",
                    f"cannot negate {t.phrase}",
                    operand.span,
                    hint="`-` goes before a number or an amount; `not` reverses a condition",
                )
                return ctx.record(expr, ERROR, level)
            return ctx.record(expr, t, level)
        case n.InList(operand=operand, items=items):
            t, _ = infer(ctx, operand)
            for item in items:
                it, _ = infer(ctx, item)
                problem = comparable("=", t, it)
                if problem:
                    ctx.error("E203", problem, item.span, hint=comparison_hint("=", t, it))
            level = _combine(ctx, expr, [operand, *items], expr)
            return ctx.record(expr, BOOL, level)
        case n.IfElse(condition=cond, then=then, otherwise=otherwise):
            ct, _ = infer(ctx, cond)
            if ct != BOOL and not ct.is_error:
                ctx.error(
                    "E204",
                    f"`if` needs a yes/no condition, not {ct.phrase}",
                    cond.span,
                    hint=condition_hint(ct),
                )
            tt, _ = infer(ctx, then)
            ot, _ = infer(ctx, otherwise)
            level = _combine(ctx, expr, [cond, then, otherwise], expr)
            common = unify(tt, ot)
            if common is None:
                ctx.error(
                    "E208",
                    f"the branches of this `if` differ: {tt.phrase} and {ot.phrase}",
                    expr.span,
                    hint="both branches must give the same kind of value",
                )
                common = ERROR
            return ctx.record(expr, common, level)
        case n.Call():
            return _call(ctx, expr)
        case n.Round(value=value, unit=unit):
            t, level = infer(ctx, value)
            if not t.is_numeric and not t.is_error:
                ctx.error(
                    "E206",
                    f"`round` needs a number or an amount, not {t.phrase}",
                    value.span,
                    hint="round a number or an amount, like `round(sales * 5%, 0.01, half_up)`",
                )
                return ctx.record(expr, ERROR, level)
            if isinstance(unit, n.MinorUnit) and not t.is_money and not t.is_error:
                ctx.error(
                    "E206",
                    "`minor unit` only applies to amounts",
                    unit.span,
                    hint="round a number to a unit written out, like 0.01",
                )
            if isinstance(unit, n.Literal):
                _check_unit(ctx, unit)
            if (unit is None or expr.mode is None) and ctx.rounding_mode is None:
                ctx.error(
                    "E404",
                    "this plan has no rounding policy, so `round` must name its unit and mode",
                    expr.span,
                    hint="write it in full, like round(x, 0.01, half_up)",
                )
            return ctx.record(expr, t, level)
        case n.TierOn() | n.TierAt():
            return _tier_application(ctx, expr)
        case n.TeamValue() | n.Rank():
            return _team(ctx, expr)
    raise AssertionError(f"unknown expression {expr!r}")  # pragma: no cover


def _check_unit(ctx: CheckContext, unit: n.Literal) -> None:
    if unit.kind != "number" or not isinstance(unit.value, Decimal) or unit.value <= 0:
        ctx.error(
            "E404",
            f"a rounding unit is a positive number like 0.01 or 1, not `{unit.text}`",
            unit.span,
            hint="write a positive unit like 0.01 or 1",
        )


def _ref(ctx: CheckContext, expr: n.Ref, name: n.Name) -> tuple[Type, Level]:
    symbol = ctx.lookup(name)
    if symbol is None:
        return ctx.record(expr, ERROR, Level.CONST)
    if symbol.kind == "tiers":
        ctx.error(
            "E207",
            f"`{name.text}` is a tier table, not a value",
            name.span,
            hint=f"apply it: `{name.text} on BASE` or `{name.text} at VALUE`",
        )
        return ctx.record(expr, ERROR, Level.CONST)
    if symbol.kind in ("draw", "clawback", "wage_floor"):
        ctx.error(
            "E207",
            f"`{name.text}` is {KIND_WORDS[symbol.kind]}, settled after every component; "
            "it cannot be used in an expression",
            name.span,
            hint="use the components or measures it is computed from instead",
        )
        return ctx.record(expr, ERROR, Level.PAYEE)
    node = symbol.node
    if isinstance(node, n.FieldDecl) and node.optional:
        ctx.error(
            "E447",
            f"`{name.text}` is an optional column, which may be empty; it can only date "
            "lines (`dated by`, `earn on`, `hold back … until`)",
            name.span,
            hint="declare it without `optional` to use its value",
        )
        return ctx.record(expr, ERROR, Level.LINE)
    assert symbol.type is not None and symbol.level is not None
    return ctx.record(expr, symbol.type, symbol.level)


def _binary(ctx: CheckContext, op: str, lt: Type, rt: Type, expr: n.Binary) -> Type:
    if op in _ARITHMETIC:
        if op == "of" and not lt.is_error and not lt.is_number:
            ctx.error(
                "E201",
                f"`of` takes a share: the left side must be a rate like 5%, not {lt.phrase}",
                expr.left.span,
                hint="write the rate first, then the amount: `5% of sales`",
            )
            return ERROR
        result = arithmetic(op, lt, rt)
        if isinstance(result, str):
            code = "E202" if "currencies differ" in result else "E201"
            ctx.error(code, result, expr.span, hint=arithmetic_hint(op, lt, rt))
            return ERROR
        return result
    if op in _COMPARISONS:
        problem = comparable(op, lt, rt)
        if problem:
            code = "E202" if "currencies differ" in problem else "E203"
            ctx.error(code, problem, expr.span, hint=comparison_hint(op, lt, rt))
        return BOOL
    # and / or
    for side, t in ((expr.left, lt), (expr.right, rt)):
        if t != BOOL and not t.is_error:
            ctx.error(
                "E204",
                f"`{op}` joins yes/no conditions; this is {t.phrase}",
                side.span,
                hint=condition_hint(t),
            )
    return BOOL


def _call(ctx: CheckContext, expr: n.Call) -> tuple[Type, Level]:
    types = [infer(ctx, a)[0] for a in expr.args]
    level = _combine(ctx, expr, list(expr.args), expr)
    arity = {"min": (2, None), "max": (2, None), "clamp": (3, 3), "abs": (1, 1)}[expr.function]
    low, high = arity
    if len(types) < low or (high is not None and len(types) > high):
        wanted = f"{low}" if low == high else f"at least {low}"
        ctx.error(
            "E206",
            f"`{expr.function}` takes {wanted} argument{'s' if low != 1 else ''}, not {len(types)}",
            expr.span,
            hint=_CALL_FORMS[expr.function],
        )
        return ctx.record(expr, ERROR, level)
    result: Type | None = types[0]
    for t in types[1:]:
        result = unify(result, t) if result is not None else None
    if result is None:
        ctx.error(
            "E206",
            f"the arguments of `{expr.function}` must be of one kind: "
            + ", ".join(t.phrase for t in types),
            expr.span,
            hint="give every argument the same kind of value: all amounts in one currency, "
            "or all numbers",
        )
        return ctx.record(expr, ERROR, level)
    if not result.is_numeric and not (result == DATE and expr.function in ("min", "max")):
        if not result.is_error:
            ctx.error(
                "E206",
                f"`{expr.function}` needs numbers or amounts",
                expr.span,
                hint=_CALL_FORMS[expr.function],
            )
            return ctx.record(expr, ERROR, level)
    return ctx.record(expr, result, level)


def require(
    ctx: CheckContext,
    expr: n.Expr,
    *,
    levels: tuple[Level, ...],
    where: str,
) -> None:
    """Report E105 if ``expr`` is known at a level ``where`` cannot use."""
    level = ctx.level_of(expr)
    if level in levels or ctx.type_of(expr).is_error:
        return
    if any(id(node) in ctx.mixed for node in walk(expr)):
        return  # already reported where the two kinds of value meet
    if level is Level.LINE:
        culprit = _first_of(ctx, expr, ("builtin", "column", "rate_table"))
        ctx.error(
            "E105",
            f"{culprit} has one value per ledger line and cannot be used {where}",
            expr.span,
            hint="aggregate it in a `measure` (sum, count, …) and use the measure",
        )
    else:
        culprit = _first_of(ctx, expr, ("roster", "metric", "let", "measure", "quota", "component"))
        if level is Level.TEAM and culprit == "this value":
            culprit = "a team value"
        ctx.error(
            "E105",
            f"{culprit} is a per-payee value and cannot be used {where}",
            expr.span,
            hint="only ledger columns, rate tables and constants can be used line by line",
        )


def _first_of(ctx: CheckContext, expr: n.Expr, kinds: tuple[str, ...]) -> str:
    for name in references(expr):
        symbol = ctx.symbols.get(name.text)
        if symbol is not None and symbol.kind in kinds:
            return f"`{name.text}` ({KIND_WORDS[symbol.kind]})"
    return "this value"


def _tier_application(ctx: CheckContext, expr: n.TierOn | n.TierAt) -> tuple[Type, Level]:
    """Type of ``tiers on BASE [against QUOTA]`` or ``tiers at VALUE``."""
    parts: list[n.Expr] = [expr.base] if isinstance(expr, n.TierOn) else [expr.value]
    if isinstance(expr, n.TierOn) and expr.quota is not None:
        parts.append(expr.quota)
    arg_types = [infer(ctx, p)[0] for p in parts]
    level = _combine(ctx, expr, list(parts), expr)
    symbol = ctx.lookup(expr.tiers, expect="tier table")
    if symbol is None:
        return ctx.record(expr, ERROR, level)
    name = expr.tiers.text
    if symbol.kind != "tiers":
        ctx.error(
            "E207",
            f"`{name}` is {KIND_WORDS[symbol.kind]}, not a tier table",
            expr.tiers.span,
            hint="`on` and `at` apply a table declared with `tiers`",
        )
        return ctx.record(expr, ERROR, level)
    info = ctx.tier_info.get(name)
    if info is None or any(t.is_error for t in arg_types):
        return ctx.record(expr, ERROR, level)
    bound, value = info.bound_type, info.value_type
    if isinstance(expr, n.TierAt):
        if info.kind == "marginal":
            ctx.error(
                "E306",
                f"`{name}` is marginal: it pays slices of a base, "
                "so it has no single value at a point",
                expr.span,
                hint=f"write `{name} on BASE` to pay each slice of BASE at its band's rate",
            )
            return ctx.record(expr, ERROR, level)
        problem = comparable("<", bound, arg_types[0])
        if problem:
            ctx.error(
                "E307",
                f"the bands of `{name}` are {bound.plural}, but this is {arg_types[0].phrase}",
                expr.value.span,
                hint=f"read `{name}` at {bound.phrase}",
            )
            return ctx.record(expr, ERROR, level)
        return ctx.record(expr, value, level)
    base_t = arg_types[0]
    if expr.quota is None:
        problem = comparable("<", bound, base_t)
        if problem:
            hint = f"apply `{name}` to {bound.phrase}"
            if bound.is_number and base_t.is_money:
                hint = f"bands in percent are attainment of a quota: `{name} on BASE against QUOTA`"
            ctx.error(
                "E307",
                f"the bands of `{name}` are {bound.plural}, but the base is {base_t.phrase}",
                expr.base.span,
                hint=hint,
            )
            return ctx.record(expr, ERROR, level)
    else:
        quota_t = arg_types[1]
        if not bound.is_number:
            ctx.error(
                "E307",
                f"`against` reads bands as attainment of a quota, but the bands of `{name}` "
                f"are {bound.plural}",
                expr.quota.span,
                hint="write the bands in percent of the quota, or drop `against`",
            )
            return ctx.record(expr, ERROR, level)
        if not base_t.is_money or quota_t != base_t:
            ctx.error(
                "E307",
                f"`{name} on BASE against QUOTA` needs a base and a quota in one currency, "
                f"not {base_t.phrase} and {quota_t.phrase}",
                expr.span,
                hint=f"use a base and a quota in {ctx.currency}",
            )
            return ctx.record(expr, ERROR, level)
    if info.kind == "flat":
        return ctx.record(expr, value, level)
    if value.is_money and info.kind != "marginal":
        ctx.error(
            "E306",
            f"`{name}` holds amounts, not rates; read it at a point with `{name} at VALUE`",
            expr.span,
            hint=f"write `{name} at VALUE`",
        )
        return ctx.record(expr, ERROR, level)
    result = arithmetic("*", value, base_t)
    if isinstance(result, str):
        ctx.error(
            "E201",
            f"`{name}` on this base: {result}",
            expr.span,
            hint=f"apply `{name}` to a base in the plan's currency or to a number",
        )
        return ctx.record(expr, ERROR, level)
    return ctx.record(expr, result, level)


def check_scope(ctx: CheckContext, scope: n.Scope) -> None:
    """A scope's roster field must be declared; a depth must be at least 1."""
    if scope.kind == "reports" and scope.depth is not None and scope.depth < 1:
        ctx.error(
            "E441",
            "a depth counts levels of reports and starts at 1",
            scope.span,
            hint="write a depth of 1 or more, like `across reports to depth 2`",
        )
    if scope.kind == "group" and scope.field is not None:
        symbol = ctx.lookup(scope.field, expect="roster field")
        if symbol is not None and symbol.kind != "roster":
            ctx.error(
                "E441",
                f"a group is the payees sharing a roster field; `{scope.field.text}` is "
                f"{KIND_WORDS[symbol.kind]}",
                scope.field.span,
                hint="declare it under `roster fields`",
            )


def _team(ctx: CheckContext, expr: n.TeamValue | n.Rank) -> tuple[Type, Level]:
    """``sum of X across SCOPE`` and ``rank of X across SCOPE …``: team level."""
    check_scope(ctx, expr.scope)
    symbol = ctx.lookup(expr.name)
    if symbol is None:
        return ctx.record(expr, ERROR, Level.TEAM)
    assert symbol.type is not None and symbol.level is not None
    what = "rank" if isinstance(expr, n.Rank) else expr.function
    if symbol.kind in ("tiers", "rate_table", "builtin", "column") or symbol.level is Level.LINE:
        ctx.error(
            "E440",
            f"`{what} of` gathers per-payee values; "
            f"`{expr.name.text}` is {KIND_WORDS[symbol.kind]}",
            expr.name.span,
            hint="gather a measure, a value or a component",
        )
        return ctx.record(expr, ERROR, Level.TEAM)
    t = symbol.type
    if t.is_error:
        return ctx.record(expr, ERROR, Level.TEAM)
    if isinstance(expr, n.Rank):
        if expr.scope.kind == "reports":
            ctx.error(
                "E442",
                "a rank compares a payee with their peers: rank across `everyone` or a `group`",
                expr.scope.span,
                hint="write `across everyone` or `across group FIELD`",
            )
        if not (t.is_numeric or t.kind == "date"):
            ctx.error(
                "E203",
                f"cannot rank by {t.phrase}",
                expr.name.span,
                hint="rank by an amount, a number or a date, like a measure of sales",
            )
            return ctx.record(expr, ERROR, Level.TEAM)
        if expr.tie_field is not None:
            field = ctx.lookup(expr.tie_field, expect="roster field")
            if field is not None and field.kind != "roster":
                ctx.error(
                    "E441",
                    f"ties are broken by a roster field; `{expr.tie_field.text}` is "
                    f"{KIND_WORDS[field.kind]}",
                    expr.tie_field.span,
                    hint="name a field declared under `roster fields`",
                )
        return ctx.record(expr, COUNT, Level.TEAM)
    if not t.is_numeric:
        ctx.error(
            "E203",
            f"cannot take the {expr.function} of {t.phrase}",
            expr.name.span,
            hint="gather amounts or numbers, like a measure, a value or a component",
        )
        return ctx.record(expr, ERROR, Level.TEAM)
    result = DECIMAL if expr.function == "average" and t.kind == "count" else t
    return ctx.record(expr, result, Level.TEAM)
