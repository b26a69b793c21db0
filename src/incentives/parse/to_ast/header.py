"""The plan header: name, version, currency, period, rounding, starts.

Contract: the whole file becomes a :class:`~incentives.ast.nodes.PlanFile`
(comments are attached later by the parser); each header clause becomes its
own node, in the order written.
"""

from __future__ import annotations

import datetime
from typing import Any

from lark import Token
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule, unquote

__all__ = ["HeaderRules"]


class HeaderRules(AstBuilder):
    @rule
    def start(self, meta: Meta, children: list[Any]) -> n.PlanFile:
        header, *decls = children
        return n.PlanFile(header, tuple(decls), (), self.span(meta))

    @rule
    def plan_header(self, meta: Meta, children: list[Any]) -> n.PlanHeader:
        title, *clauses = children
        return n.PlanHeader(unquote(str(title)), tuple(clauses), self.span(meta))

    @rule
    def version_clause(self, meta: Meta, children: list[Token]) -> n.VersionClause:
        return n.VersionClause(unquote(str(children[0])), self.span(meta))

    @rule
    def contact_clause(self, meta: Meta, children: list[Token]) -> n.ContactClause:
        return n.ContactClause(unquote(str(children[0])), self.span(meta))

    @rule
    def description_clause(self, meta: Meta, children: list[Token]) -> n.DescriptionClause:
        return n.DescriptionClause(unquote(str(children[0])), self.span(meta))

    @rule
    def currency_clause(self, meta: Meta, children: list[Token]) -> n.CurrencyClause:
        return n.CurrencyClause(str(children[0]), self.span(meta))

    @rule
    def period_clause(self, meta: Meta, children: list[Any]) -> n.PeriodClause:
        unit, anchor = children[0]
        return n.PeriodClause(unit, anchor, self.span(meta))

    def period_simple(self, children: list[str]) -> tuple[str, None]:
        return (children[0], None)

    def period_two_weeks(self, children: list[Token]) -> tuple[str, datetime.date]:
        return ("two_weeks", self._date(children[0]))

    @rule
    def starts_clause(self, meta: Meta, children: list[Token]) -> n.StartsClause:
        day = self._date_literal(children[0])
        assert day is not None
        return n.StartsClause(day, self.span(meta))

    @rule
    def versions_clause(self, meta: Meta, children: list[str]) -> n.VersionsClause:
        return n.VersionsClause(children[0], self.span(meta))  # type: ignore[arg-type]

    @rule
    def rounding_clause(self, meta: Meta, children: list[Any]) -> n.RoundingClause:
        mode, unit, places = children[0]
        return n.RoundingClause(mode, unit, places, self.span(meta))

    def rounding_rule(self, children: list[Any]) -> tuple[str, Any, tuple[str, ...]]:
        mode, unit, *places = children
        return (mode, unit, tuple(places))

    def rounding_none(self, children: list[Any]) -> tuple[None, None, tuple[str, ...]]:
        return (None, None, ())
