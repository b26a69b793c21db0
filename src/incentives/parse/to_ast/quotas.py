"""Quotas: goals, how they split, proration, ramps, rounding.

Contract: a quota's goal (from the quotas table or an amount), its split
over a longer horizon (evenly, by calendar or working days, by weights),
proration, ramp steps by tenure month and rounding become nodes.
"""

from __future__ import annotations

from typing import Any, cast

from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule

__all__ = ["QuotaRules"]


class QuotaRules(AstBuilder):
    @rule
    def quota_decl(self, meta: Meta, children: list[Any]) -> n.QuotaDecl:
        name, *clauses = children
        return n.QuotaDecl(name, tuple(clauses), self.span(meta))

    @rule
    def goal_clause(self, meta: Meta, children: list[Any]) -> n.GoalClause:
        source, unit = children
        return n.GoalClause(source, unit, self.span(meta))

    def goal_from_table(self, children: list[Any]) -> None:
        return None

    def goal_amount(self, children: list[Any]) -> n.Expr:
        return cast(n.Expr, children[0])

    @rule
    def split_clause(self, meta: Meta, children: list[Any]) -> n.SplitClause:
        method, weights = children[0]
        return n.SplitClause(method, weights, self.span(meta))

    def split_evenly(self, children: list[Any]) -> tuple[str, tuple[()]]:
        return ("evenly", ())

    def split_calendar_days(self, children: list[Any]) -> tuple[str, tuple[()]]:
        return ("calendar_days", ())

    def split_working_days(self, children: list[Any]) -> tuple[str, tuple[()]]:
        return ("working_days", ())

    def split_weights(self, children: list[Any]) -> tuple[str, tuple[n.Expr, ...]]:
        return ("weights", tuple(children))

    @rule
    def prorate_clause(self, meta: Meta, children: list[str]) -> n.ProrateClause:
        return n.ProrateClause(tuple(children), self.span(meta))  # type: ignore[arg-type]

    @rule
    def ramp_clause(self, meta: Meta, children: list[n.RampStep]) -> n.RampClause:
        return n.RampClause(tuple(children), self.span(meta))

    @rule
    def ramp_step(self, meta: Meta, children: list[Any]) -> n.RampStep:
        _word, first, last, factor = children
        return n.RampStep(
            self._whole(first),
            self._whole(last) if last is not None else None,
            factor,
            self.span(meta),
        )

    @rule
    def quota_round_clause(self, meta: Meta, children: list[Any]) -> n.QuotaRoundClause:
        mode, unit = children
        return n.QuotaRoundClause(mode, unit, self.span(meta))
