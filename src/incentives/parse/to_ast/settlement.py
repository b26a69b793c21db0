"""Rules that settle a period: draws, clawbacks, termination, wage floors, total.

Contract: each declaration and each of its clauses becomes a node with its
span; which clauses must be present is the checker's business.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule, unquote

__all__ = ["SettlementRules"]


class SettlementRules(AstBuilder):
    @rule
    def draw_decl(self, meta: Meta, children: list[Any]) -> n.DrawDecl:
        name, label, *clauses = children
        text = unquote(str(label)) if label is not None else None
        return n.DrawDecl(name, text, tuple(clauses), self.span(meta))

    @rule
    def draw_guarantee(self, meta: Meta, children: list[Any]) -> n.DrawAmount:
        return n.DrawAmount("guarantee", children[0], self.span(meta))

    @rule
    def draw_advance(self, meta: Meta, children: list[Any]) -> n.DrawAmount:
        return n.DrawAmount("advance", children[0], self.span(meta))

    @rule
    def draw_forgiven(self, meta: Meta, children: list[Any]) -> n.DrawShortfall:
        return n.DrawShortfall(False, None, self.span(meta))

    @rule
    def draw_recovered(self, meta: Meta, children: list[Any]) -> n.DrawShortfall:
        return n.DrawShortfall(True, children[0] if children else None, self.span(meta))

    @rule
    def clawback_decl(self, meta: Meta, children: list[Any]) -> n.ClawbackDecl:
        name, label, *clauses = children
        text = unquote(str(label)) if label is not None else None
        return n.ClawbackDecl(name, text, tuple(clauses), self.span(meta))

    @rule
    def clawback_reverses(self, meta: Meta, children: list[Any]) -> n.ClawbackReverses:
        return n.ClawbackReverses(tuple(children), self.span(meta))

    @rule
    def clawback_lines(self, meta: Meta, children: list[Any]) -> n.ClawbackLines:
        return n.ClawbackLines(children[0], self.span(meta))

    @rule
    def clawback_matched(self, meta: Meta, children: list[Any]) -> n.ClawbackMatched:
        return n.ClawbackMatched(children[0], self.span(meta))

    @rule
    def clawback_window(self, meta: Meta, children: list[Any]) -> n.ClawbackWindow:
        return n.ClawbackWindow(self._whole(children[0]), self.span(meta))

    @rule
    def termination_decl(self, meta: Meta, children: list[Any]) -> n.TerminationDecl:
        return n.TerminationDecl(tuple(children), self.span(meta))

    def _termination(which: str) -> Callable[..., n.TerminationRule]:  # type: ignore[misc]
        @rule
        def build(self: AstBuilder, meta: Meta, children: list[Any]) -> n.TerminationRule:
            return n.TerminationRule(which, self.span(meta))  # type: ignore[arg-type]

        return cast(Callable[..., n.TerminationRule], build)

    holdbacks_released = _termination("holdbacks_released")
    holdbacks_forfeited = _termination("holdbacks_forfeited")
    draws_forgiven = _termination("draws_forgiven")
    draws_recovered = _termination("draws_recovered")

    @rule
    def wage_floor_decl(self, meta: Meta, children: list[Any]) -> n.WageFloorDecl:
        name, label, *clauses = children
        text = unquote(str(label)) if label is not None else None
        return n.WageFloorDecl(name, text, tuple(clauses), self.span(meta))

    @rule
    def wage_rate(self, meta: Meta, children: list[Any]) -> n.WageRate:
        return n.WageRate(children[0], children[1], self.span(meta))

    @rule
    def wage_topped_up(self, meta: Meta, children: list[Any]) -> n.WageShortfall:
        return n.WageShortfall(True, self.span(meta))

    @rule
    def wage_flagged(self, meta: Meta, children: list[Any]) -> n.WageShortfall:
        return n.WageShortfall(False, self.span(meta))

    @rule
    def total_decl(self, meta: Meta, children: list[Any]) -> n.TotalDecl:
        return n.TotalDecl(tuple(children), self.span(meta))

    @rule
    def total_cap(self, meta: Meta, children: list[Any]) -> n.CapClause:
        return n.CapClause(False, children[0], self.span(meta))

    @rule
    def total_floor(self, meta: Meta, children: list[Any]) -> n.FloorClause:
        return n.FloorClause(False, children[0], self.span(meta))
