"""Literals and names: exact values from their text.

Contract: ``10,000 USD`` becomes ``Decimal("10000")`` with currency ``USD``;
``5%`` becomes ``Decimal("0.05")``; numbers, dates, texts and booleans keep
the text they were written as; a negative literal is folded into one
literal. Names keep their span; quoted names and whole numbers used as names
become identifiers.
"""

from __future__ import annotations

from decimal import Decimal

from lark import Token
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.money import evaluation_context
from incentives.parse.to_ast.base import AstBuilder, LiteralError, rule, unquote

__all__ = ["LiteralRules"]


class LiteralRules(AstBuilder):
    @rule
    def money(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        span = self.span(meta)
        number, currency = text[:-3].rstrip(" \t"), text[-3:]
        value = self._number_text(number.replace(",", ""), span)
        return n.Literal("money", value, text, span, currency)

    @rule
    def percent(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        span = self.span(meta)
        with evaluation_context():
            value = self._number_text(text[:-1], span).scaleb(-2)
        return n.Literal("percent", value, text, span)

    @rule
    def number(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        span = self.span(meta)
        return n.Literal("number", self._number_text(text, span), text, span)

    @rule
    def date(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        return n.Literal("date", self._date(children[0]), text, self.span(meta))

    @rule
    def string(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        return n.Literal("text", unquote(text), text, self.span(meta))

    @rule
    def true(self, meta: Meta, children: list[Token]) -> n.Literal:
        return n.Literal("bool", True, "true", self.span(meta))

    @rule
    def false(self, meta: Meta, children: list[Token]) -> n.Literal:
        return n.Literal("bool", False, "false", self.span(meta))

    @rule
    def negative(self, meta: Meta, children: list[n.Literal]) -> n.Literal:
        (lit,) = children
        span = self.span(meta)
        if not isinstance(lit.value, Decimal):
            raise LiteralError(
                f"`-{lit.text}`: only numbers and amounts can be negative",
                span,
                f"write `{lit.text}` without the `-`",
            )
        with evaluation_context():
            value = -lit.value
        return n.Literal(lit.kind, value, "-" + lit.text, span, lit.currency)

    @rule
    def name(self, meta: Meta, children: list[Token]) -> n.Name:
        tok = children[0]
        text = str(tok)
        if tok.type == "QUOTED_NAME":
            return n.Name(text[1:-1], self.span(meta), quoted=True)
        return n.Name(text, self.span(meta))

    @rule
    def string_ident(self, meta: Meta, children: list[Token]) -> n.Ident:
        return n.Ident(unquote(str(children[0])), self.span(meta), "string")

    @rule
    def int_ident(self, meta: Meta, children: list[Token]) -> n.Ident:
        return n.Ident(str(children[0]), self.span(meta), "int")
