"""Expressions: operators, lists, conditionals, calls, tier lookups.

Contract: every operator node keeps the span of its whole expression;
``x of y`` stays ``of`` (the compiler rewrites it); lists keep their items
in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule

__all__ = ["ExpressionRules"]


class ExpressionRules(AstBuilder):
    @rule
    def ref(self, meta: Meta, children: list[n.Name]) -> n.Ref:
        return n.Ref(children[0], self.span(meta))

    def _binary(op: n.BinaryOp) -> Callable[..., n.Binary]:  # type: ignore[misc]
        @rule
        def build(self: AstBuilder, meta: Meta, children: list[n.Expr]) -> n.Binary:
            left, right = children
            return n.Binary(op, left, right, self.span(meta))

        return cast(Callable[..., n.Binary], build)

    add = _binary("+")
    sub = _binary("-")
    mul = _binary("*")
    div = _binary("/")
    of = _binary("of")
    eq = _binary("=")
    ne = _binary("!=")
    lt = _binary("<")
    le = _binary("<=")
    gt = _binary(">")
    ge = _binary(">=")
    and_op = _binary("and")
    or_op = _binary("or")

    @rule
    def negate(self, meta: Meta, children: list[n.Expr]) -> n.Unary:
        return n.Unary("-", children[0], self.span(meta))

    @rule
    def not_op(self, meta: Meta, children: list[n.Expr]) -> n.Unary:
        return n.Unary("not", children[0], self.span(meta))

    @rule
    def in_list(self, meta: Meta, children: list[Any]) -> n.InList:
        return n.InList(children[0], tuple(children[1]), False, self.span(meta))

    @rule
    def not_in_list(self, meta: Meta, children: list[Any]) -> n.InList:
        return n.InList(children[0], tuple(children[1]), True, self.span(meta))

    def list_literal(self, children: list[n.Literal | None]) -> list[n.Literal]:
        return [c for c in children if c is not None]

    @rule
    def if_then_else(self, meta: Meta, children: list[n.Expr]) -> n.IfElse:
        cond, then, otherwise = children
        return n.IfElse(cond, then, otherwise, self.span(meta))

    @rule
    def call(self, meta: Meta, children: list[Any]) -> n.Call:
        return n.Call(children[0], tuple(children[1:]), self.span(meta))

    @rule
    def round_call(self, meta: Meta, children: list[Any]) -> n.Round:
        value, unit, mode = children
        return n.Round(value, unit, mode, self.span(meta))

    @rule
    def minor_unit(self, meta: Meta, children: list[Any]) -> n.MinorUnit:
        return n.MinorUnit(self.span(meta))

    @rule
    def tier_on(self, meta: Meta, children: list[Any]) -> n.TierOn:
        tiers, base, quota = children
        return n.TierOn(tiers, base, quota, self.span(meta))

    @rule
    def tier_at(self, meta: Meta, children: list[Any]) -> n.TierAt:
        tiers, value = children
        return n.TierAt(tiers, value, self.span(meta))
