"""Components: what they pay and the clauses that shape it.

Contract: ``pays`` (an amount, per line, per unit), ``when``, ``gate``,
``cap``, ``floor``, ``multiplies``, ``hold back``, ``true up`` and caps over
a horizon become nodes, in the order written.
"""

from __future__ import annotations

from typing import Any

from lark import Token
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule, unquote

__all__ = ["PayRules"]


class PayRules(AstBuilder):
    @rule
    def component_decl(self, meta: Meta, children: list[Any]) -> n.ComponentDecl:
        kind, name, label, *clauses = children
        label_text = unquote(str(label)) if label is not None else None
        return n.ComponentDecl(kind, name, label_text, tuple(clauses), self.span(meta))

    @rule
    def pays_clause(self, meta: Meta, children: list[Any]) -> n.PaysClause:
        return n.PaysClause(children[0], self.span(meta))

    @rule
    def pay_amount(self, meta: Meta, children: list[Any]) -> n.PayAmount:
        return n.PayAmount(children[0], self.span(meta))

    @rule
    def pay_per_line(self, meta: Meta, children: list[Any]) -> n.PayPerLine:
        amount, where = children
        return n.PayPerLine(amount, where, self.span(meta))

    @rule
    def pay_per_unit(self, meta: Meta, children: list[Any]) -> n.PayPerUnit:
        amount, units, where = children
        return n.PayPerUnit(amount, units, where, self.span(meta))

    @rule
    def when_clause(self, meta: Meta, children: list[Any]) -> n.WhenClause:
        return n.WhenClause(children[0], self.span(meta))

    @rule
    def gate_clause(self, meta: Meta, children: list[Any]) -> n.GateClause:
        threshold, mode = children
        return n.GateClause(threshold, mode, self.span(meta))

    def gate_nothing_below(self, children: list[Any]) -> str:
        return "nothing_below"

    def gate_excess_only(self, children: list[Any]) -> str:
        return "excess_only"

    @rule
    def cap_clause(self, meta: Meta, children: list[Any]) -> n.CapClause:
        per_line, limit = children
        return n.CapClause(per_line is not None, limit, self.span(meta))

    @rule
    def floor_clause(self, meta: Meta, children: list[Any]) -> n.FloorClause:
        per_line, limit = children
        return n.FloorClause(per_line is not None, limit, self.span(meta))

    @rule
    def multiplies_clause(self, meta: Meta, children: list[Any]) -> n.MultipliesClause:
        *targets, factor = children
        return n.MultipliesClause(tuple(targets), factor, self.span(meta))

    @rule
    def hold_clause(self, meta: Meta, children: list[Any]) -> n.HoldClause:
        share, (kind, periods, day, column) = children
        return n.HoldClause(share, kind, periods, day, column, self.span(meta))

    def hold_for_periods(self, children: list[Any]) -> tuple[str, int, None, None]:
        return ("periods", self._whole(children[0]), None, None)

    def hold_until_date(self, children: list[Token]) -> tuple[str, None, n.Literal | None, None]:
        return ("date", None, self._date_literal(children[0]), None)

    def hold_until_column(self, children: list[Any]) -> tuple[str, None, None, n.Name]:
        return ("column", None, None, children[0])

    @rule
    def true_up_clause(self, meta: Meta, children: list[Any]) -> n.TrueUpClause:
        return n.TrueUpClause(children[0], self.span(meta))

    @rule
    def horizon_cap_clause(self, meta: Meta, children: list[Any]) -> n.HorizonCapClause:
        limit, horizon, carry = children
        return n.HorizonCapClause(limit, horizon, carry, self.span(meta))

    total_horizon_cap = horizon_cap_clause

    def excess_forfeited(self, children: list[Any]) -> bool:
        return False

    def excess_carried(self, children: list[Any]) -> bool:
        return True
