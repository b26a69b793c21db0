"""Crediting and currencies: who is credited with a line, and FX.

Contract: ``credit … to``, splits, overlays and remainder rules, and the FX
declaration (when rates are read, how conversions round, payout currency)
become nodes.
"""

from __future__ import annotations

from typing import Any

from lark import Token
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule, unquote

__all__ = ["CreditingRules"]


class CreditingRules(AstBuilder):
    @rule
    def crediting_decl(self, meta: Meta, children: list[Any]) -> n.CreditingDecl:
        return n.CreditingDecl(tuple(children), self.span(meta))

    @rule
    def credit_to(self, meta: Meta, children: list[Any]) -> n.CreditTo:
        column, start = children
        start_lit = (
            n.Literal("date", self._date(start), str(start), self.span(start))
            if start is not None
            else None
        )
        return n.CreditTo(column, start_lit, self.span(meta))

    @rule
    def split_by_splits(self, meta: Meta, children: list[Any]) -> n.SplitBySplits:
        return n.SplitBySplits(self.span(meta))

    @rule
    def overlay_clause(self, meta: Meta, children: list[Token]) -> n.OverlayClause:
        return n.OverlayClause(tuple(unquote(str(c)) for c in children), self.span(meta))

    @rule
    def remainder_clause(self, meta: Meta, children: list[str]) -> n.RemainderClause:
        return n.RemainderClause(children[0], self.span(meta))  # type: ignore[arg-type]

    @rule
    def fx_decl(self, meta: Meta, children: list[Any]) -> n.FxDecl:
        return n.FxDecl(tuple(children), self.span(meta))

    @rule
    def fx_convert(self, meta: Meta, children: list[str]) -> n.FxConvert:
        return n.FxConvert(children[0], self.span(meta))  # type: ignore[arg-type]

    @rule
    def fx_round(self, meta: Meta, children: list[Any]) -> n.FxRound:
        mode, unit = children
        return n.FxRound(mode, unit, self.span(meta))

    @rule
    def fx_payout(self, meta: Meta, children: list[Any]) -> n.FxPayout:
        return n.FxPayout(self.span(meta))
