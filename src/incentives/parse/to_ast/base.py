"""What every part of the parse-tree transformer shares.

Contract: :class:`AstBuilder` is a Lark transformer that is not recursive
(a very long expression cannot exhaust Python's stack) and knows the plan's
file name, so :meth:`AstBuilder.span` turns Lark's metadata into a
:class:`~incentives.source.Span`, the only place that happens. It reads
literal text into exact values (numbers, whole numbers, dates), raising
:class:`LiteralError` with a span and a hint for one that lexes but is not a
valid value. :func:`rule` marks a method that receives the rule's metadata.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lark import Token, Transformer_NonRecursive, v_args
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.money import MAX_DIGITS, parse_decimal
from incentives.periods import parse_date
from incentives.source import Span

__all__ = ["AstBuilder", "LiteralError", "rule", "span_of", "unquote"]


class LiteralError(ValueError):
    """A literal that lexes but is not a valid value (``2026-02-30``)."""

    def __init__(self, message: str, span: Span, hint: str) -> None:
        super().__init__(message)
        self.span = span
        #: What to do about it, in one line.
        self.hint = hint


_DIGITS_HINT = f"write at most {MAX_DIGITS} digits; no amount or count in a plan needs more"


def span_of(file: str, item: Meta | Token) -> Span:
    """The span of a token or of a rule's metadata in ``file``."""
    return Span(
        file,
        item.line or 0,
        item.column or 0,
        item.end_line or item.line or 0,
        item.end_column or item.column or 0,
        item.start_pos or 0,
        item.end_pos or 0,
    )


def rule(fn: Callable[..., Any]) -> Any:
    """Mark a transformer method that receives the rule's metadata first."""
    return v_args(meta=True)(fn)


class AstBuilder(Transformer_NonRecursive[Token, Any]):
    """The transformer's state and the readers of literal text its rules share."""

    def __init__(self, file: str) -> None:
        super().__init__(visit_tokens=False)
        self.file = file

    def span(self, item: Meta | Token) -> Span:
        return span_of(self.file, item)

    def _number_text(self, text: str, span: Span) -> Decimal:
        try:
            return parse_decimal(text)
        except ValueError as exc:
            raise LiteralError(str(exc), span, _DIGITS_HINT) from None

    def _whole(self, token: Token) -> int:
        """A whole number (a depth, a month, a count of periods or days).

        Checked before ``int()``, which refuses more than 4,300 digits.
        """
        text = str(token)
        digits = len(text.lstrip("0")) or 1
        if digits > MAX_DIGITS:
            raise LiteralError(
                f"`{text[:20]}…` has {digits} digits; at most {MAX_DIGITS} are allowed",
                self.span(token),
                _DIGITS_HINT,
            )
        return int(text)

    def _date(self, token: Token) -> datetime.date:
        try:
            return parse_date(str(token))
        except ValueError as exc:
            raise LiteralError(
                str(exc),
                self.span(token),
                "write a day of the calendar as year-month-day, like 2026-02-28",
            ) from None

    def _ident(self, item: n.Name | n.Ident) -> n.Ident:
        if isinstance(item, n.Name):
            return n.Ident(item.text, item.span, "name")
        return item

    def _words(self, children: list[Token]) -> str:
        """A keyword choice (a `!` rule): its words joined by "_" ("days_active")."""
        return "_".join(str(c) for c in children)

    period_unit = goal_unit = horizon = rounding_mode = rounding_place = type_name = _words
    aggregate_fn = proration = months = tier_kind = hit_policy = component_kind = _words
    function = per_line = team_fn = rank_order = remainder_rule = fx_when = _words
    version_point = optional = _words

    def _date_literal(self, token: Token | None) -> n.Literal | None:
        if token is None:
            return None
        return n.Literal("date", self._date(token), str(token), self.span(token))


def unquote(text: str) -> str:
    """The text inside a quoted literal, with its escapes (``\\"``, ``\\\\``) read."""
    body = text[1:-1]
    return body.replace('\\"', '"').replace("\\\\", "\\")
