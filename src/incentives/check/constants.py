"""Constant folding for the checks that need a value before any data exists.

Contract: :func:`const_value` returns the exact value of an expression whose
level is ``CONST`` (literals, constant ``let``s, and operators over them), or
None if it is not constant, has a type error, or is a form folding does not
cover (tier lookups). It computes with :mod:`incentives.operations` in the
engine's decimal context, so a folded constant equals what the evaluator
would compute. A division by zero in a constant is reported here (E430).

Folding is remembered per expression (in the context), so a ``let`` is
folded once however many constants use it; since the checker resolves a
plan's definitions dependencies first, folding a chain of thousands of
constant ``let``s never goes deeper than one ``let`` at a time.
"""

from __future__ import annotations

from decimal import Decimal, DivisionByZero, InvalidOperation

from incentives.ast import nodes as n
from incentives.check.context import CheckContext, Level
from incentives.money import RoundingMode, evaluation_context, is_currency, minor_unit
from incentives.operations import binary, call, compare, negate, round_value
from incentives.values import Value

__all__ = ["const_value"]


def const_value(ctx: CheckContext, expr: n.Expr) -> Value | None:
    """The value of a constant expression, or None (see module docstring)."""
    if ctx.level_of(expr) is not Level.CONST or ctx.type_of(expr).is_error:
        return None
    try:
        with evaluation_context():
            return _remembered(ctx, expr)
    except (DivisionByZero, InvalidOperation):
        ctx.error(
            "E430",
            "this constant divides by zero",
            expr.span,
            hint="divide by a value that is never zero",
        )
        return None
    except ValueError as exc:
        ctx.error(
            "E430", str(exc), expr.span, hint="change the constant so that it can be computed"
        )
        return None


class _Failed:
    """A fold that raised: raised again, the same way, each time it is asked for."""

    __slots__ = ("error",)

    def __init__(self, error: ArithmeticError | ValueError) -> None:
        self.error = error


def _remembered(ctx: CheckContext, expr: n.Expr) -> Value | None:
    """``_fold(expr)``, computed once per expression node."""
    key = id(expr)
    if key in ctx.folded:
        known = ctx.folded[key]
        if isinstance(known, _Failed):
            raise known.error.with_traceback(None)
        return known  # type: ignore[return-value]
    try:
        value = _fold(ctx, expr)
    except (ArithmeticError, ValueError) as exc:
        ctx.folded[key] = _Failed(exc)
        raise
    ctx.folded[key] = value
    return value


def _fold(ctx: CheckContext, expr: n.Expr) -> Value | None:
    match expr:
        case n.Literal(value=value):
            return value
        case n.Ref(name=name):
            symbol = ctx.symbols.get(name.text)
            if symbol is None or symbol.kind != "let" or not isinstance(symbol.node, n.LetDecl):
                return None
            if name.text in ctx.versions:
                return None  # its value depends on the date it is used on
            return _remembered(ctx, symbol.node.value)
        case n.Binary(op=op, left=left, right=right):
            a, b = _fold(ctx, left), _fold(ctx, right)
            if a is None or b is None:
                return None
            if op in ("and", "or"):
                return (a and b) if op == "and" else (a or b)
            if op in ("=", "!=", "<", "<=", ">", ">="):
                return compare(op, a, b)
            return binary(op, a, b)
        case n.Unary(op=op, operand=operand):
            v = _fold(ctx, operand)
            if v is None:
                return None
            return (not v) if op == "not" else negate(v)
        case n.IfElse(condition=cond, then=then, otherwise=otherwise):
            c = _fold(ctx, cond)
            if c is None:
                return None
            return _fold(ctx, then if c else otherwise)
        case n.InList(operand=operand, items=items, negated=negated):
            v = _fold(ctx, operand)
            if v is None:
                return None
            found = any(compare("=", v, item.value) for item in items)
            return found != negated
        case n.Call(function=function, args=args):
            values = [_fold(ctx, a) for a in args]
            if any(v is None for v in values):
                return None
            return call(function, values)  # type: ignore[arg-type]
        case n.Round(value=value, unit=unit, mode=mode):
            v = _fold(ctx, value)
            size = _unit(ctx, unit)
            how = RoundingMode(mode) if mode else ctx.rounding_mode
            if v is None or size is None or how is None:
                return None
            return round_value(v, size, how)
    return None


def _unit(ctx: CheckContext, unit: n.Literal | n.MinorUnit | None) -> Decimal | None:
    if isinstance(unit, n.Literal):
        return unit.value if isinstance(unit.value, Decimal) and unit.value > 0 else None
    if isinstance(unit, n.MinorUnit):
        return minor_unit(ctx.currency) if is_currency(ctx.currency) else None
    return ctx.rounding_unit
