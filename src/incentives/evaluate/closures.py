"""IR expressions → Python closures: the one interpreter of plan expressions.

Contract: :func:`compile_expr` turns an IR expression into a function of an
:class:`Env`. Line-level expressions get an env that reads a ledger line;
payee-level ones an env that reads the payee's values for a period. The same
closures serve both stages and the trace (tier breakdowns and rate-table
hits are reported to ``env.note``), so there is no second code path. Every
operator's meaning comes from :mod:`incentives.operations`; the closures must
be called inside :func:`incentives.money.evaluation_context`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from incentives.compile import ir
from incentives.errors import InternalError
from incentives.evaluate import tiers
from incentives.operations import binary, call, compare, negate, round_value
from incentives.values import Value

__all__ = ["Closure", "Env", "compile_expr", "in_force"]

_T = TypeVar("_T")


class Env(Protocol):
    """What an expression can read while it is evaluated."""

    def column(self, name: str) -> Value: ...

    def field(self, name: str) -> Value: ...

    def metric(self, name: str) -> Value: ...

    def value(self, name: str) -> Value: ...

    def rate(self, table: str) -> Decimal: ...

    def tiers(self, name: str) -> ir.TierTable: ...

    def note(self, kind: str, node: object, payload: object) -> None:
        """Tell the tracer about a tier breakdown or a rate-table hit."""

    def team_value(self, node: ir.TeamValue) -> Value: ...

    def as_of(self) -> date:
        """The date that picks the version of a dated definition."""

    def rank(self, node: ir.Rank) -> Value: ...


Closure = Callable[[Env], Value]


def compile_expr(expr: ir.Expr) -> Closure:
    """A function computing ``expr`` from an env."""
    match expr:
        case ir.Const(value=constant):
            return lambda env: constant
        case ir.Column(name=name):
            return lambda env: env.column(name)
        case ir.Field(name=name):
            return lambda env: env.field(name)
        case ir.Metric(name=name):
            return lambda env: env.metric(name)
        case ir.Ref(name=name):
            return lambda env: env.value(name)
        case ir.RateLookup(table=table):
            return lambda env: env.rate(table)
        case ir.Arith(op=op, left=left, right=right):
            a, b = compile_expr(left), compile_expr(right)
            return lambda env: binary(op, a(env), b(env))
        case ir.Neg(operand=operand):
            f = compile_expr(operand)
            return lambda env: negate(f(env))
        case ir.Cmp(op=op, left=left, right=right):
            a, b = compile_expr(left), compile_expr(right)
            return lambda env: compare(op, a(env), b(env))
        case ir.Logic(op="and", left=left, right=right):
            a, b = compile_expr(left), compile_expr(right)
            return lambda env: bool(a(env)) and bool(b(env))
        case ir.Logic(op="or", left=left, right=right):
            a, b = compile_expr(left), compile_expr(right)
            return lambda env: bool(a(env)) or bool(b(env))
        case ir.Not(operand=operand):
            f = compile_expr(operand)
            return lambda env: not f(env)
        case ir.InSet(operand=operand, values=values, negated=negated):
            f = compile_expr(operand)
            return lambda env: (f(env) in values) != negated
        case ir.Cond(condition=c, then=t, otherwise=o):
            fc, ft, fo = compile_expr(c), compile_expr(t), compile_expr(o)
            return lambda env: ft(env) if fc(env) else fo(env)
        case ir.Fn(name=name, args=args):
            fs = [compile_expr(a) for a in args]
            return lambda env: call(name, [f(env) for f in fs])
        case ir.Round(value=rounded, unit=unit, mode=mode):
            f = compile_expr(rounded)
            return lambda env: round_value(f(env), unit, mode)
        case ir.Excess(base=base, threshold=threshold):
            fb, ft = compile_expr(base), compile_expr(threshold)

            def excess(env: Env) -> Decimal:
                b, t = fb(env), ft(env)
                assert isinstance(b, Decimal) and isinstance(t, Decimal)
                result = max(b - t, Decimal(0))
                env.note("excess", expr, (b, t, result))
                return result

            return excess
        case ir.TierApply():
            return _tier_closure(expr)
        case ir.Versioned(name=name, versions=versions):

            def versioned(env: Env) -> Value:
                day = env.as_of()
                chosen = versions[0]
                for version in versions[1:]:
                    if version[0] is not None and version[0] <= day:
                        chosen = version
                if chosen[0] is not None:
                    env.note("version", name, chosen[0])
                return chosen[1]

            return versioned
        case ir.TeamValue():
            team_value = expr
            return lambda env: env.team_value(team_value)
        case ir.Rank():
            rank = expr
            return lambda env: env.rank(rank)
    raise InternalError(f"no closure for {expr!r}")  # pragma: no cover


def _tier_closure(expr: ir.TierApply) -> Closure:
    base = compile_expr(expr.base)
    quota = compile_expr(expr.quota) if expr.quota is not None else None
    start = compile_expr(expr.start) if expr.start is not None else None

    def apply(env: Env) -> Decimal:
        table = env.tiers(expr.table)
        b = base(env)
        assert isinstance(b, Decimal)
        q = quota(env) if quota is not None else None
        s = start(env) if start is not None else None
        assert q is None or isinstance(q, Decimal)
        assert s is None or isinstance(s, Decimal)
        result = tiers.apply(table, expr.mode, b, q, s)
        env.note("tiers", expr, result)
        return result.value

    return apply


def in_force(base: _T, versions: tuple[tuple[date, _T], ...], day: date) -> tuple[_T, date | None]:
    """The version of a dated definition in force on ``day``, and its date."""
    chosen, since = base, None
    for start, version in versions:
        if start <= day:
            chosen, since = version, start
    return chosen, since
