"""Tier tables and rate tables.

Contract: bands keep their bounds with the inclusivity written
(``at least``, ``above``, ``below``, ``at most``) and their rate or ramp;
rate table rows keep their key cells (``any`` included) and ``otherwise``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule

__all__ = ["TierRules"]


class TierRules(AstBuilder):
    @rule
    def tiers_decl(self, meta: Meta, children: list[Any]) -> n.TiersDecl:
        name, start, kind, *bands = children
        return n.TiersDecl(name, kind, tuple(bands), self.span(meta), self._date_literal(start))

    @rule
    def band(self, meta: Meta, children: list[Any]) -> n.Band:
        (lower, upper), (value, value_to) = children
        return n.Band(lower, upper, value, value_to, self.span(meta))

    def bounds_from(self, children: list[Any]) -> tuple[n.Bound, n.Bound | None]:
        return (children[0], children[1])

    def bounds_below(self, children: list[Any]) -> tuple[None, n.Bound]:
        return (None, children[0])

    def _bound(inclusive: bool) -> Callable[..., n.Bound]:  # type: ignore[misc]
        @rule
        def build(self: AstBuilder, meta: Meta, children: list[n.Expr]) -> n.Bound:
            return n.Bound(children[0], inclusive, self.span(meta))

        return cast(Callable[..., n.Bound], build)

    at_least = _bound(True)
    above = _bound(False)
    below = _bound(False)
    at_most = _bound(True)

    def band_fixed(self, children: list[Any]) -> tuple[n.Expr, None]:
        return (children[0], None)

    def band_ramp(self, children: list[Any]) -> tuple[n.Expr, n.Expr]:
        return (children[0], children[1])

    @rule
    def rate_table_decl(self, meta: Meta, children: list[Any]) -> n.RateTableDecl:
        name, start = children[0], children[1]
        keys: list[n.Name] = []
        rest = children[2:]
        while rest and isinstance(rest[0], n.Name):
            keys.append(rest.pop(0))
        policy, *rows = rest
        return n.RateTableDecl(
            name, tuple(keys), policy, tuple(rows), self.span(meta), self._date_literal(start)
        )

    @rule
    def rate_row(self, meta: Meta, children: list[Any]) -> n.RateRow:
        *keys, value = children
        return n.RateRow(tuple(keys), value, False, self.span(meta))

    @rule
    def rate_otherwise(self, meta: Meta, children: list[Any]) -> n.RateRow:
        return n.RateRow((), children[0], True, self.span(meta))

    def key_cell(self, children: list[Any]) -> n.Literal:
        return cast(n.Literal, children[0])

    @rule
    def key_any(self, meta: Meta, children: list[Any]) -> n.AnyKey:
        return n.AnyKey(self.span(meta))
