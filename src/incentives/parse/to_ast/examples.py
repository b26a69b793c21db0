"""Worked examples: the data they set up and what they expect.

Contract: every clause of an example (period, payee, quota, metric, line,
field, split, exchange rate, ``expect``) becomes a node with its span, and
dates are read as exact dates.
"""

from __future__ import annotations

from typing import Any

from lark import Token
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.parse.to_ast.base import AstBuilder, rule, unquote

__all__ = ["ExampleRules"]


class ExampleRules(AstBuilder):
    @rule
    def example_decl(self, meta: Meta, children: list[Any]) -> n.ExampleDecl:
        title, *clauses = children
        return n.ExampleDecl(unquote(str(title)), tuple(clauses), self.span(meta))

    @rule
    def ex_period(self, meta: Meta, children: list[Token | None]) -> n.ExPeriod:
        first, last = children
        return n.ExPeriod(
            unquote(str(first)), self.span(meta), unquote(str(last)) if last else None
        )

    @rule
    def ex_payee(self, meta: Meta, children: list[Any]) -> n.ExPayee:
        payee, *fields = children
        fields = [f for f in fields if f is not None]
        return n.ExPayee(self._ident(payee), tuple(fields), self.span(meta))

    @rule
    def ex_quota(self, meta: Meta, children: list[Any]) -> n.ExQuota:
        payee, period, amount = children
        return n.ExQuota(self._ident(payee), unquote(str(period)), amount, self.span(meta))

    @rule
    def ex_metric(self, meta: Meta, children: list[Any]) -> n.ExMetric:
        payee, name, value = children
        return n.ExMetric(self._ident(payee), name, value, self.span(meta))

    @rule
    def ex_line(self, meta: Meta, children: list[Any]) -> n.ExLine:
        txn, day, payee, amount, *fields = children
        day_lit = n.Literal("date", self._date(day), str(day), self.span(day))
        return n.ExLine(
            self._ident(txn), day_lit, self._ident(payee), amount, tuple(fields), self.span(meta)
        )

    @rule
    def ex_field(self, meta: Meta, children: list[Any]) -> n.ExField:
        name, value = children
        return n.ExField(name, value, self.span(meta))

    @rule
    def ex_expect(self, meta: Meta, children: list[Any]) -> n.ExExpect:
        payee, target, period, value = children
        label = unquote(str(period)) if period is not None else None
        return n.ExExpect(self._ident(payee), target, value, self.span(meta), label)

    def expect_total(self, children: list[Any]) -> None:
        return None

    @rule
    def ex_split(self, meta: Meta, children: list[Any]) -> n.ExSplit:
        txn, payee, share, credit = children
        credit_text = unquote(str(credit)) if credit is not None else None
        return n.ExSplit(self._ident(txn), self._ident(payee), share, credit_text, self.span(meta))

    @rule
    def ex_exchange(self, meta: Meta, children: list[Any]) -> n.ExExchange:
        day, source, target, rate = children
        day_lit = n.Literal("date", self._date(day), str(day), self.span(day))
        return n.ExExchange(day_lit, str(source), str(target), rate, self.span(meta))
