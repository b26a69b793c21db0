"""Lowering expressions: names resolved, constants folded, lets shared.

Contract: :class:`ExprLowering` holds the checked plan and turns any checked
expression into an :class:`~incentives.compile.ir.Expr` of the type the
checker inferred: ``x of y`` becomes ``x * y``; a constant sub-expression
becomes a constant; a name becomes what it reads (a ledger column, a roster
field, a metric, a per-payee value, or the one shared lowering of a
line-level let); a versioned constant becomes a
:class:`~incentives.compile.ir.Versioned` node. The other lowering classes
of this package build on it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from incentives.ast import nodes as n
from incentives.check import CheckedPlan, Level
from incentives.check.constants import const_value
from incentives.check.types import Type
from incentives.compile import ir
from incentives.errors import InternalError
from incentives.money import RoundingMode, evaluation_context, minor_unit
from incentives.values import Value

__all__ = ["ExprLowering"]


class ExprLowering:
    """The checked plan, and how its expressions become IR."""

    def __init__(self, checked: CheckedPlan) -> None:
        self.cp = checked
        self.ctx = checked.context
        self.text = checked.source.text
        #: Line-level lets, lowered once and shared by every expression that
        #: inlines them (see :meth:`inline_lets`).
        self.inlined: dict[str, ir.Expr] = {}

    def inline_lets(self) -> None:
        """Lower every line-level let once, dependencies first.

        Stage 1 sees a line-level let as part of each expression that uses
        it. Lowering them here, in the checker's evaluation order, means each
        use finds its let already lowered: the IR shares the one lowered
        expression instead of copying it (a let used twice by the next one,
        and so on, would otherwise double at each step), and lowering never
        recurses from one let into the next, however long the chain.
        """
        for name in self.cp.order:
            symbol = self.cp.symbols[name]
            if (
                symbol.kind == "let"
                and symbol.level is Level.LINE
                and name not in self.ctx.versions
                and isinstance(symbol.node, n.LetDecl)
            ):
                self.inlined[name] = self.expr(symbol.node.value)

    def formula(self, node: object) -> str:
        span = node.span  # type: ignore[attr-defined]
        return " ".join(self.text[span.start : span.end].split())

    def type(self, expr: object) -> Type:
        return self.cp.type_of(expr)

    def expr(self, e: n.Expr) -> ir.Expr:
        t = self.type(e)
        if self.cp.level_of(e) is Level.CONST and not isinstance(e, n.Literal):
            with evaluation_context():
                value = const_value(self.ctx, e)
            if value is not None:
                return ir.Const(value, t, e.span)
        match e:
            case n.Literal(value=literal):
                return ir.Const(literal, t, e.span)
            case n.Ref(name=name):
                return self.ref(name, t, e)
            case n.Binary(op=op, left=left, right=right):
                a, b = self.expr(left), self.expr(right)
                if op in ("+", "-", "*", "/", "of"):
                    return ir.Arith("*" if op == "of" else op, a, b, t, e.span)
                if op == "and" or op == "or":
                    return ir.Logic(op, a, b, t, e.span)
                assert op in ("=", "!=", "<", "<=", ">", ">=")
                return ir.Cmp(op, a, b, t, e.span)
            case n.Unary(op=op, operand=operand):
                inner = self.expr(operand)
                return ir.Not(inner, t, e.span) if op == "not" else ir.Neg(inner, t, e.span)
            case n.InList(operand=operand, items=items, negated=negated):
                values = tuple(item.value for item in items)
                return ir.InSet(self.expr(operand), values, negated, t, e.span)
            case n.IfElse(condition=c, then=a, otherwise=b):
                return ir.Cond(self.expr(c), self.expr(a), self.expr(b), t, e.span)
            case n.Call(function=function, args=args):
                lowered = tuple(self.expr(a) for a in args)
                return ir.Fn(function, lowered, t, e.span)  # type: ignore[arg-type]
            case n.Round(value=rounded, unit=unit, mode=mode):
                size = self.unit(unit)
                how = RoundingMode(mode) if mode else self.cp.rounding_mode
                if how is None:
                    raise InternalError("round() without a mode passed the checker")
                return ir.Round(self.expr(rounded), size, how, t, e.span)
            case n.TierOn(tiers=tiers, base=base, quota=quota):
                q = self.expr(quota) if quota is not None else None
                return ir.TierApply(tiers.text, "on", self.expr(base), q, None, t, e.span)
            case n.TierAt(tiers=tiers, value=point):
                return ir.TierApply(tiers.text, "at", self.expr(point), None, None, t, e.span)
            case n.TeamValue(function=function, name=name, scope=scope):
                return ir.TeamValue(function, name.text, self.scope(scope), t, e.span)
            case n.Rank():
                return ir.Rank(
                    e.name.text,
                    self.scope(e.scope),
                    e.descending,
                    e.ties,
                    e.tie_field.text if e.tie_field is not None else None,
                    t,
                    e.span,
                )
        raise InternalError(f"cannot lower {e!r}")  # pragma: no cover

    def ref(self, name: n.Name, t: Type, e: n.Ref) -> ir.Expr:
        symbol = self.cp.symbols[name.text]
        match symbol.kind:
            case "builtin" | "column":
                return ir.Column(name.text, t, e.span)
            case "roster" | "period":
                return ir.Field(name.text, t, e.span)
            case "metric":
                return ir.Metric(name.text, t, e.span)
            case "rate_table":
                return ir.RateLookup(name.text, t, e.span)
            case "let":
                assert isinstance(symbol.node, n.LetDecl)
                if name.text in self.ctx.versions:
                    return self.versioned(name.text, t, e)
                if symbol.level is Level.LINE:
                    # Line-level lets are inlined: stage 1 sees one expression.
                    inlined = self.inlined.get(name.text)
                    if inlined is None:
                        inlined = self.inlined[name.text] = self.expr(symbol.node.value)
                    return inlined
                return ir.Ref(name.text, t, e.span)
            case "measure" | "quota" | "component":
                return ir.Ref(name.text, t, e.span)
        raise InternalError(f"`{name.text}` cannot be read as a value")  # pragma: no cover

    def versioned(self, name: str, t: Type, e: n.Ref) -> ir.Versioned:
        base = self.cp.symbols[name].node
        assert isinstance(base, n.LetDecl)
        versions: list[tuple[date | None, Value]] = [(None, self.constant_value(base.value))]
        for key in self.ctx.versions[name]:
            decl = self.cp.symbols[key].node
            assert isinstance(decl, n.LetDecl) and decl.start is not None
            day = decl.start.value
            assert isinstance(day, date)
            versions.append((day, self.constant_value(decl.value)))
        ordered = sorted(versions[1:], key=lambda v: v[0] or date.min)
        return ir.Versioned(name, (versions[0], *ordered), t, e.span)

    def constant_value(self, e: n.Expr) -> Value:
        with evaluation_context():
            value = const_value(self.ctx, e)
        if value is None:
            raise InternalError("a constant the checker accepted did not fold")
        return value

    @staticmethod
    def scope(scope: n.Scope) -> ir.Scope:
        field = scope.field.text if scope.field is not None else None
        return ir.Scope(scope.kind, scope.depth, field)

    def unit(self, unit: n.Literal | n.MinorUnit | None) -> Decimal:
        if isinstance(unit, n.Literal):
            assert isinstance(unit.value, Decimal)
            return unit.value
        if isinstance(unit, n.MinorUnit):
            return minor_unit(self.cp.currency)
        if self.cp.rounding_unit is None:
            raise InternalError("round() without a unit passed the checker")
        return self.cp.rounding_unit

    def constant(self, e: n.Expr) -> Decimal:
        with evaluation_context():
            value = const_value(self.ctx, e)
        if not isinstance(value, Decimal):
            raise InternalError("a constant the checker accepted did not fold")
        return value
