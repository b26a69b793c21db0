"""Declarations of fields, holidays, lets and measures, with their clauses.

Contract: ledger, roster and metric field lists, holiday lists, lets and
measures (aggregate, ``where``, ``over``, ``default``, ``across``, ``dated
by``, ``earn on``) become nodes; team scopes, team values and ranks with
their tie rules are read here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from lark import Token
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule
from incentives.source import Span

__all__ = ["DefinitionRules"]


class DefinitionRules(AstBuilder):
    def _fields(table: str) -> Callable[..., n.FieldsDecl]:  # type: ignore[misc]
        @rule
        def build(self: AstBuilder, meta: Meta, children: list[n.FieldDecl]) -> n.FieldsDecl:
            return n.FieldsDecl(table, tuple(children), self.span(meta))  # type: ignore[arg-type]

        return cast(Callable[..., n.FieldsDecl], build)

    columns_decl = _fields("ledger")
    roster_decl = _fields("roster")
    metrics_decl = _fields("metrics")

    @rule
    def field_decl(self, meta: Meta, children: list[Any]) -> n.FieldDecl:
        name, type_name, optional, default = children
        return n.FieldDecl(name, type_name, default, self.span(meta), optional is not None)

    @rule
    def holidays_decl(self, meta: Meta, children: list[Token]) -> n.HolidaysDecl:
        days = tuple(
            n.Literal("date", self._date(tok), str(tok), self.span(tok)) for tok in children
        )
        return n.HolidaysDecl(days, self.span(meta))

    @rule
    def let_decl(self, meta: Meta, children: list[Any]) -> n.LetDecl:
        name, start, value = children
        return n.LetDecl(name, value, self.span(meta), self._date_literal(start))

    @rule
    def measure_decl(self, meta: Meta, children: list[Any]) -> n.MeasureDecl:
        name, (kind, argument, agg_span), *clauses = children
        return n.MeasureDecl(name, kind, argument, agg_span, tuple(clauses), self.span(meta))

    @rule
    def agg_value(self, meta: Meta, children: list[Any]) -> tuple[str, n.Expr, Span]:
        return (children[0], children[1], self.span(meta))

    @rule
    def agg_count_distinct(self, meta: Meta, children: list[Any]) -> tuple[str, n.Expr, Span]:
        return ("count_distinct", children[0], self.span(meta))

    @rule
    def agg_count(self, meta: Meta, children: list[Any]) -> tuple[str, None, Span]:
        return ("count", None, self.span(meta))

    @rule
    def where_clause(self, meta: Meta, children: list[Any]) -> n.WhereClause:
        return n.WhereClause(children[0], self.span(meta))

    @rule
    def over_clause(self, meta: Meta, children: list[Any]) -> n.OverClause:
        return n.OverClause(children[0], self.span(meta))

    @rule
    def default_clause(self, meta: Meta, children: list[Any]) -> n.DefaultClause:
        return n.DefaultClause(children[0], self.span(meta))

    @rule
    def across_clause(self, meta: Meta, children: list[Any]) -> n.AcrossClause:
        return n.AcrossClause(children[0], self.span(meta))

    @rule
    def dated_clause(self, meta: Meta, children: list[Any]) -> n.DatedClause:
        return n.DatedClause(children[0], self.span(meta))

    @rule
    def earn_on_clause(self, meta: Meta, children: list[Any]) -> n.EarnOn:
        return n.EarnOn(children[0], self.span(meta))

    @rule
    def scope_reports(self, meta: Meta, children: list[Any]) -> n.Scope:
        depth = self._whole(children[0]) if children and children[0] is not None else None
        return n.Scope("reports", depth, None, self.span(meta))

    @rule
    def scope_group(self, meta: Meta, children: list[Any]) -> n.Scope:
        return n.Scope("group", None, children[0], self.span(meta))

    @rule
    def scope_everyone(self, meta: Meta, children: list[Any]) -> n.Scope:
        return n.Scope("everyone", None, None, self.span(meta))

    @rule
    def team_value(self, meta: Meta, children: list[Any]) -> n.TeamValue:
        function, name, scope = children
        return n.TeamValue(function, name, scope, self.span(meta))

    @rule
    def rank(self, meta: Meta, children: list[Any]) -> n.Rank:
        name, scope, order, (ties, field) = children
        return n.Rank(name, scope, order == "highest_first", ties, field, self.span(meta))

    def ties_by_payee(self, children: list[Any]) -> tuple[str, None]:
        return ("payee", None)

    def ties_by_field(self, children: list[Any]) -> tuple[str, n.Name]:
        return ("field", children[0])

    def ties_shared(self, children: list[Any]) -> tuple[str, None]:
        return ("shared", None)
