"""Lark parse tree → AST: the only module that turns Lark metadata into Spans.

Contract: given a parse tree produced by ``grammars/plan.lark``, return an
:class:`~incentives.ast.nodes.PlanFile` whose every node carries the span of
the text it came from. Literal text becomes exact values here (``10,000 USD``
→ ``Decimal("10000")`` with currency ``USD``; ``5%`` → ``Decimal("0.05")``).
The transformation is not recursive, so a very long expression cannot exhaust
Python's stack; :func:`expression_depth` lets the parser refuse absurd nesting
before later (recursive) stages see it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from lark import Token, Transformer_NonRecursive, Tree, v_args
from lark.tree import Meta

from incentives.ast import nodes as n
from incentives.money import MAX_DIGITS, evaluation_context, parse_decimal
from incentives.periods import parse_date
from incentives.source import Span

__all__ = ["LiteralError", "build_ast", "expression_depth"]


class LiteralError(ValueError):
    """A literal that lexes but is not a valid value (``2026-02-30``)."""

    def __init__(self, message: str, span: Span, hint: str) -> None:
        super().__init__(message)
        self.span = span
        #: What to do about it, in one line.
        self.hint = hint


_DIGITS_HINT = f"write at most {MAX_DIGITS} digits; no amount or count in a plan needs more"


def _span(file: str, item: Meta | Token) -> Span:
    return Span(
        file,
        item.line or 0,
        item.column or 0,
        item.end_line or item.line or 0,
        item.end_column or item.column or 0,
        item.start_pos or 0,
        item.end_pos or 0,
    )


def _rule(fn: Callable[..., Any]) -> Any:
    return v_args(meta=True)(fn)


class _ToAst(Transformer_NonRecursive[Token, Any]):
    def __init__(self, file: str) -> None:
        super().__init__(visit_tokens=False)
        self.file = file

    def span(self, item: Meta | Token) -> Span:
        return _span(self.file, item)

    # ------------------------------------------------------------- literals
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

    @_rule
    def money(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        span = self.span(meta)
        number, currency = text[:-3].rstrip(" \t"), text[-3:]
        value = self._number_text(number.replace(",", ""), span)
        return n.Literal("money", value, text, span, currency)

    @_rule
    def percent(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        span = self.span(meta)
        with evaluation_context():
            value = self._number_text(text[:-1], span).scaleb(-2)
        return n.Literal("percent", value, text, span)

    @_rule
    def number(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        span = self.span(meta)
        return n.Literal("number", self._number_text(text, span), text, span)

    @_rule
    def date(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        return n.Literal("date", self._date(children[0]), text, self.span(meta))

    def _date(self, token: Token) -> datetime.date:
        try:
            return parse_date(str(token))
        except ValueError as exc:
            raise LiteralError(
                str(exc),
                self.span(token),
                "write a day of the calendar as year-month-day, like 2026-02-28",
            ) from None

    @_rule
    def string(self, meta: Meta, children: list[Token]) -> n.Literal:
        text = str(children[0])
        return n.Literal("text", _unquote(text), text, self.span(meta))

    @_rule
    def true(self, meta: Meta, children: list[Token]) -> n.Literal:
        return n.Literal("bool", True, "true", self.span(meta))

    @_rule
    def false(self, meta: Meta, children: list[Token]) -> n.Literal:
        return n.Literal("bool", False, "false", self.span(meta))

    @_rule
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

    # ------------------------------------------------------------- names
    @_rule
    def name(self, meta: Meta, children: list[Token]) -> n.Name:
        tok = children[0]
        text = str(tok)
        if tok.type == "QUOTED_NAME":
            return n.Name(text[1:-1], self.span(meta), quoted=True)
        return n.Name(text, self.span(meta))

    @_rule
    def string_ident(self, meta: Meta, children: list[Token]) -> n.Ident:
        return n.Ident(_unquote(str(children[0])), self.span(meta), "string")

    @_rule
    def int_ident(self, meta: Meta, children: list[Token]) -> n.Ident:
        return n.Ident(str(children[0]), self.span(meta), "int")

    def _ident(self, item: n.Name | n.Ident) -> n.Ident:
        if isinstance(item, n.Name):
            return n.Ident(item.text, item.span, "name")
        return item

    # keyword choices (`!` rules): the words, joined by "_" ("days_active")
    def _words(self, children: list[Token]) -> str:
        return "_".join(str(c) for c in children)

    period_unit = goal_unit = horizon = rounding_mode = rounding_place = type_name = _words
    aggregate_fn = proration = months = tier_kind = hit_policy = component_kind = _words
    function = per_line = team_fn = rank_order = remainder_rule = fx_when = _words
    version_point = optional = _words

    def _date_literal(self, token: Token | None) -> n.Literal | None:
        if token is None:
            return None
        return n.Literal("date", self._date(token), str(token), self.span(token))

    # ------------------------------------------------------------ expressions
    @_rule
    def ref(self, meta: Meta, children: list[n.Name]) -> n.Ref:
        return n.Ref(children[0], self.span(meta))

    def _binary(op: n.BinaryOp) -> Callable[..., n.Binary]:  # type: ignore[misc]
        @_rule
        def build(self: _ToAst, meta: Meta, children: list[n.Expr]) -> n.Binary:
            left, right = children
            return n.Binary(op, left, right, self.span(meta))

        return cast(Callable[..., n.Binary], build)

    add = _binary("+")
    sub = _binary("-")
    mul = _binary("*")
    div = _binary("/")
    of = _binary("of")
    eq = _binary("=")
    ne = _binary("!=")
    lt = _binary("<")
    le = _binary("<=")
    gt = _binary(">")
    ge = _binary(">=")
    and_op = _binary("and")
    or_op = _binary("or")

    @_rule
    def negate(self, meta: Meta, children: list[n.Expr]) -> n.Unary:
        return n.Unary("-", children[0], self.span(meta))

    @_rule
    def not_op(self, meta: Meta, children: list[n.Expr]) -> n.Unary:
        return n.Unary("not", children[0], self.span(meta))

    @_rule
    def in_list(self, meta: Meta, children: list[Any]) -> n.InList:
        return n.InList(children[0], tuple(children[1]), False, self.span(meta))

    @_rule
    def not_in_list(self, meta: Meta, children: list[Any]) -> n.InList:
        return n.InList(children[0], tuple(children[1]), True, self.span(meta))

    def list_literal(self, children: list[n.Literal | None]) -> list[n.Literal]:
        return [c for c in children if c is not None]

    @_rule
    def if_then_else(self, meta: Meta, children: list[n.Expr]) -> n.IfElse:
        cond, then, otherwise = children
        return n.IfElse(cond, then, otherwise, self.span(meta))

    @_rule
    def call(self, meta: Meta, children: list[Any]) -> n.Call:
        return n.Call(children[0], tuple(children[1:]), self.span(meta))

    @_rule
    def round_call(self, meta: Meta, children: list[Any]) -> n.Round:
        value, unit, mode = children
        return n.Round(value, unit, mode, self.span(meta))

    @_rule
    def minor_unit(self, meta: Meta, children: list[Any]) -> n.MinorUnit:
        return n.MinorUnit(self.span(meta))

    @_rule
    def tier_on(self, meta: Meta, children: list[Any]) -> n.TierOn:
        tiers, base, quota = children
        return n.TierOn(tiers, base, quota, self.span(meta))

    @_rule
    def tier_at(self, meta: Meta, children: list[Any]) -> n.TierAt:
        tiers, value = children
        return n.TierAt(tiers, value, self.span(meta))

    # ---------------------------------------------------------------- header
    @_rule
    def start(self, meta: Meta, children: list[Any]) -> n.PlanFile:
        header, *decls = children
        return n.PlanFile(header, tuple(decls), (), self.span(meta))

    @_rule
    def plan_header(self, meta: Meta, children: list[Any]) -> n.PlanHeader:
        title, *clauses = children
        return n.PlanHeader(_unquote(str(title)), tuple(clauses), self.span(meta))

    @_rule
    def version_clause(self, meta: Meta, children: list[Token]) -> n.VersionClause:
        return n.VersionClause(_unquote(str(children[0])), self.span(meta))

    @_rule
    def contact_clause(self, meta: Meta, children: list[Token]) -> n.ContactClause:
        return n.ContactClause(_unquote(str(children[0])), self.span(meta))

    @_rule
    def description_clause(self, meta: Meta, children: list[Token]) -> n.DescriptionClause:
        return n.DescriptionClause(_unquote(str(children[0])), self.span(meta))

    @_rule
    def currency_clause(self, meta: Meta, children: list[Token]) -> n.CurrencyClause:
        return n.CurrencyClause(str(children[0]), self.span(meta))

    @_rule
    def period_clause(self, meta: Meta, children: list[Any]) -> n.PeriodClause:
        unit, anchor = children[0]
        return n.PeriodClause(unit, anchor, self.span(meta))

    def period_simple(self, children: list[str]) -> tuple[str, None]:
        return (children[0], None)

    def period_two_weeks(self, children: list[Token]) -> tuple[str, datetime.date]:
        return ("two_weeks", self._date(children[0]))

    @_rule
    def starts_clause(self, meta: Meta, children: list[Token]) -> n.StartsClause:
        day = self._date_literal(children[0])
        assert day is not None
        return n.StartsClause(day, self.span(meta))

    @_rule
    def versions_clause(self, meta: Meta, children: list[str]) -> n.VersionsClause:
        return n.VersionsClause(children[0], self.span(meta))  # type: ignore[arg-type]

    @_rule
    def rounding_clause(self, meta: Meta, children: list[Any]) -> n.RoundingClause:
        mode, unit, places = children[0]
        return n.RoundingClause(mode, unit, places, self.span(meta))

    def rounding_rule(self, children: list[Any]) -> tuple[str, Any, tuple[str, ...]]:
        mode, unit, *places = children
        return (mode, unit, tuple(places))

    def rounding_none(self, children: list[Any]) -> tuple[None, None, tuple[str, ...]]:
        return (None, None, ())

    # ---------------------------------------------------------- declarations
    def _fields(table: str) -> Callable[..., n.FieldsDecl]:  # type: ignore[misc]
        @_rule
        def build(self: _ToAst, meta: Meta, children: list[n.FieldDecl]) -> n.FieldsDecl:
            return n.FieldsDecl(table, tuple(children), self.span(meta))  # type: ignore[arg-type]

        return cast(Callable[..., n.FieldsDecl], build)

    columns_decl = _fields("ledger")
    roster_decl = _fields("roster")
    metrics_decl = _fields("metrics")

    @_rule
    def field_decl(self, meta: Meta, children: list[Any]) -> n.FieldDecl:
        name, type_name, optional, default = children
        return n.FieldDecl(name, type_name, default, self.span(meta), optional is not None)

    @_rule
    def holidays_decl(self, meta: Meta, children: list[Token]) -> n.HolidaysDecl:
        days = tuple(
            n.Literal("date", self._date(tok), str(tok), self.span(tok)) for tok in children
        )
        return n.HolidaysDecl(days, self.span(meta))

    @_rule
    def let_decl(self, meta: Meta, children: list[Any]) -> n.LetDecl:
        name, start, value = children
        return n.LetDecl(name, value, self.span(meta), self._date_literal(start))

    @_rule
    def measure_decl(self, meta: Meta, children: list[Any]) -> n.MeasureDecl:
        name, (kind, argument, agg_span), *clauses = children
        return n.MeasureDecl(name, kind, argument, agg_span, tuple(clauses), self.span(meta))

    @_rule
    def agg_value(self, meta: Meta, children: list[Any]) -> tuple[str, n.Expr, Span]:
        return (children[0], children[1], self.span(meta))

    @_rule
    def agg_count_distinct(self, meta: Meta, children: list[Any]) -> tuple[str, n.Expr, Span]:
        return ("count_distinct", children[0], self.span(meta))

    @_rule
    def agg_count(self, meta: Meta, children: list[Any]) -> tuple[str, None, Span]:
        return ("count", None, self.span(meta))

    @_rule
    def where_clause(self, meta: Meta, children: list[Any]) -> n.WhereClause:
        return n.WhereClause(children[0], self.span(meta))

    @_rule
    def over_clause(self, meta: Meta, children: list[Any]) -> n.OverClause:
        return n.OverClause(children[0], self.span(meta))

    @_rule
    def default_clause(self, meta: Meta, children: list[Any]) -> n.DefaultClause:
        return n.DefaultClause(children[0], self.span(meta))

    @_rule
    def across_clause(self, meta: Meta, children: list[Any]) -> n.AcrossClause:
        return n.AcrossClause(children[0], self.span(meta))

    @_rule
    def dated_clause(self, meta: Meta, children: list[Any]) -> n.DatedClause:
        return n.DatedClause(children[0], self.span(meta))

    @_rule
    def earn_on_clause(self, meta: Meta, children: list[Any]) -> n.EarnOn:
        return n.EarnOn(children[0], self.span(meta))

    @_rule
    def scope_reports(self, meta: Meta, children: list[Any]) -> n.Scope:
        depth = self._whole(children[0]) if children and children[0] is not None else None
        return n.Scope("reports", depth, None, self.span(meta))

    @_rule
    def scope_group(self, meta: Meta, children: list[Any]) -> n.Scope:
        return n.Scope("group", None, children[0], self.span(meta))

    @_rule
    def scope_everyone(self, meta: Meta, children: list[Any]) -> n.Scope:
        return n.Scope("everyone", None, None, self.span(meta))

    @_rule
    def team_value(self, meta: Meta, children: list[Any]) -> n.TeamValue:
        function, name, scope = children
        return n.TeamValue(function, name, scope, self.span(meta))

    @_rule
    def rank(self, meta: Meta, children: list[Any]) -> n.Rank:
        name, scope, order, (ties, field) = children
        return n.Rank(name, scope, order == "highest_first", ties, field, self.span(meta))

    def ties_by_payee(self, children: list[Any]) -> tuple[str, None]:
        return ("payee", None)

    def ties_by_field(self, children: list[Any]) -> tuple[str, n.Name]:
        return ("field", children[0])

    def ties_shared(self, children: list[Any]) -> tuple[str, None]:
        return ("shared", None)

    # crediting and currencies
    @_rule
    def crediting_decl(self, meta: Meta, children: list[Any]) -> n.CreditingDecl:
        return n.CreditingDecl(tuple(children), self.span(meta))

    @_rule
    def credit_to(self, meta: Meta, children: list[Any]) -> n.CreditTo:
        column, start = children
        start_lit = (
            n.Literal("date", self._date(start), str(start), self.span(start))
            if start is not None
            else None
        )
        return n.CreditTo(column, start_lit, self.span(meta))

    @_rule
    def split_by_splits(self, meta: Meta, children: list[Any]) -> n.SplitBySplits:
        return n.SplitBySplits(self.span(meta))

    @_rule
    def overlay_clause(self, meta: Meta, children: list[Token]) -> n.OverlayClause:
        return n.OverlayClause(tuple(_unquote(str(c)) for c in children), self.span(meta))

    @_rule
    def remainder_clause(self, meta: Meta, children: list[str]) -> n.RemainderClause:
        return n.RemainderClause(children[0], self.span(meta))  # type: ignore[arg-type]

    @_rule
    def fx_decl(self, meta: Meta, children: list[Any]) -> n.FxDecl:
        return n.FxDecl(tuple(children), self.span(meta))

    @_rule
    def fx_convert(self, meta: Meta, children: list[str]) -> n.FxConvert:
        return n.FxConvert(children[0], self.span(meta))  # type: ignore[arg-type]

    @_rule
    def fx_round(self, meta: Meta, children: list[Any]) -> n.FxRound:
        mode, unit = children
        return n.FxRound(mode, unit, self.span(meta))

    @_rule
    def fx_payout(self, meta: Meta, children: list[Any]) -> n.FxPayout:
        return n.FxPayout(self.span(meta))

    # quotas
    @_rule
    def quota_decl(self, meta: Meta, children: list[Any]) -> n.QuotaDecl:
        name, *clauses = children
        return n.QuotaDecl(name, tuple(clauses), self.span(meta))

    @_rule
    def goal_clause(self, meta: Meta, children: list[Any]) -> n.GoalClause:
        source, unit = children
        return n.GoalClause(source, unit, self.span(meta))

    def goal_from_table(self, children: list[Any]) -> None:
        return None

    def goal_amount(self, children: list[Any]) -> n.Expr:
        return cast(n.Expr, children[0])

    @_rule
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

    @_rule
    def prorate_clause(self, meta: Meta, children: list[str]) -> n.ProrateClause:
        return n.ProrateClause(tuple(children), self.span(meta))  # type: ignore[arg-type]

    @_rule
    def ramp_clause(self, meta: Meta, children: list[n.RampStep]) -> n.RampClause:
        return n.RampClause(tuple(children), self.span(meta))

    @_rule
    def ramp_step(self, meta: Meta, children: list[Any]) -> n.RampStep:
        _word, first, last, factor = children
        return n.RampStep(
            self._whole(first),
            self._whole(last) if last is not None else None,
            factor,
            self.span(meta),
        )

    @_rule
    def quota_round_clause(self, meta: Meta, children: list[Any]) -> n.QuotaRoundClause:
        mode, unit = children
        return n.QuotaRoundClause(mode, unit, self.span(meta))

    # tiers
    @_rule
    def tiers_decl(self, meta: Meta, children: list[Any]) -> n.TiersDecl:
        name, start, kind, *bands = children
        return n.TiersDecl(name, kind, tuple(bands), self.span(meta), self._date_literal(start))

    @_rule
    def band(self, meta: Meta, children: list[Any]) -> n.Band:
        (lower, upper), (value, value_to) = children
        return n.Band(lower, upper, value, value_to, self.span(meta))

    def bounds_from(self, children: list[Any]) -> tuple[n.Bound, n.Bound | None]:
        return (children[0], children[1])

    def bounds_below(self, children: list[Any]) -> tuple[None, n.Bound]:
        return (None, children[0])

    def _bound(inclusive: bool) -> Callable[..., n.Bound]:  # type: ignore[misc]
        @_rule
        def build(self: _ToAst, meta: Meta, children: list[n.Expr]) -> n.Bound:
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

    # rate tables
    @_rule
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

    @_rule
    def rate_row(self, meta: Meta, children: list[Any]) -> n.RateRow:
        *keys, value = children
        return n.RateRow(tuple(keys), value, False, self.span(meta))

    @_rule
    def rate_otherwise(self, meta: Meta, children: list[Any]) -> n.RateRow:
        return n.RateRow((), children[0], True, self.span(meta))

    def key_cell(self, children: list[Any]) -> n.Literal:
        return cast(n.Literal, children[0])

    @_rule
    def key_any(self, meta: Meta, children: list[Any]) -> n.AnyKey:
        return n.AnyKey(self.span(meta))

    # components
    @_rule
    def component_decl(self, meta: Meta, children: list[Any]) -> n.ComponentDecl:
        kind, name, label, *clauses = children
        label_text = _unquote(str(label)) if label is not None else None
        return n.ComponentDecl(kind, name, label_text, tuple(clauses), self.span(meta))

    @_rule
    def pays_clause(self, meta: Meta, children: list[Any]) -> n.PaysClause:
        return n.PaysClause(children[0], self.span(meta))

    @_rule
    def pay_amount(self, meta: Meta, children: list[Any]) -> n.PayAmount:
        return n.PayAmount(children[0], self.span(meta))

    @_rule
    def pay_per_line(self, meta: Meta, children: list[Any]) -> n.PayPerLine:
        amount, where = children
        return n.PayPerLine(amount, where, self.span(meta))

    @_rule
    def pay_per_unit(self, meta: Meta, children: list[Any]) -> n.PayPerUnit:
        amount, units, where = children
        return n.PayPerUnit(amount, units, where, self.span(meta))

    @_rule
    def when_clause(self, meta: Meta, children: list[Any]) -> n.WhenClause:
        return n.WhenClause(children[0], self.span(meta))

    @_rule
    def gate_clause(self, meta: Meta, children: list[Any]) -> n.GateClause:
        threshold, mode = children
        return n.GateClause(threshold, mode, self.span(meta))

    def gate_nothing_below(self, children: list[Any]) -> str:
        return "nothing_below"

    def gate_excess_only(self, children: list[Any]) -> str:
        return "excess_only"

    @_rule
    def cap_clause(self, meta: Meta, children: list[Any]) -> n.CapClause:
        per_line, limit = children
        return n.CapClause(per_line is not None, limit, self.span(meta))

    @_rule
    def floor_clause(self, meta: Meta, children: list[Any]) -> n.FloorClause:
        per_line, limit = children
        return n.FloorClause(per_line is not None, limit, self.span(meta))

    @_rule
    def multiplies_clause(self, meta: Meta, children: list[Any]) -> n.MultipliesClause:
        *targets, factor = children
        return n.MultipliesClause(tuple(targets), factor, self.span(meta))

    @_rule
    def hold_clause(self, meta: Meta, children: list[Any]) -> n.HoldClause:
        share, (kind, periods, day, column) = children
        return n.HoldClause(share, kind, periods, day, column, self.span(meta))

    def hold_for_periods(self, children: list[Any]) -> tuple[str, int, None, None]:
        return ("periods", self._whole(children[0]), None, None)

    def hold_until_date(self, children: list[Token]) -> tuple[str, None, n.Literal | None, None]:
        return ("date", None, self._date_literal(children[0]), None)

    def hold_until_column(self, children: list[Any]) -> tuple[str, None, None, n.Name]:
        return ("column", None, None, children[0])

    @_rule
    def true_up_clause(self, meta: Meta, children: list[Any]) -> n.TrueUpClause:
        return n.TrueUpClause(children[0], self.span(meta))

    @_rule
    def horizon_cap_clause(self, meta: Meta, children: list[Any]) -> n.HorizonCapClause:
        limit, horizon, carry = children
        return n.HorizonCapClause(limit, horizon, carry, self.span(meta))

    total_horizon_cap = horizon_cap_clause

    def excess_forfeited(self, children: list[Any]) -> bool:
        return False

    def excess_carried(self, children: list[Any]) -> bool:
        return True

    # across periods
    @_rule
    def draw_decl(self, meta: Meta, children: list[Any]) -> n.DrawDecl:
        name, label, *clauses = children
        text = _unquote(str(label)) if label is not None else None
        return n.DrawDecl(name, text, tuple(clauses), self.span(meta))

    @_rule
    def draw_guarantee(self, meta: Meta, children: list[Any]) -> n.DrawAmount:
        return n.DrawAmount("guarantee", children[0], self.span(meta))

    @_rule
    def draw_advance(self, meta: Meta, children: list[Any]) -> n.DrawAmount:
        return n.DrawAmount("advance", children[0], self.span(meta))

    @_rule
    def draw_forgiven(self, meta: Meta, children: list[Any]) -> n.DrawShortfall:
        return n.DrawShortfall(False, None, self.span(meta))

    @_rule
    def draw_recovered(self, meta: Meta, children: list[Any]) -> n.DrawShortfall:
        return n.DrawShortfall(True, children[0] if children else None, self.span(meta))

    @_rule
    def clawback_decl(self, meta: Meta, children: list[Any]) -> n.ClawbackDecl:
        name, label, *clauses = children
        text = _unquote(str(label)) if label is not None else None
        return n.ClawbackDecl(name, text, tuple(clauses), self.span(meta))

    @_rule
    def clawback_reverses(self, meta: Meta, children: list[Any]) -> n.ClawbackReverses:
        return n.ClawbackReverses(tuple(children), self.span(meta))

    @_rule
    def clawback_lines(self, meta: Meta, children: list[Any]) -> n.ClawbackLines:
        return n.ClawbackLines(children[0], self.span(meta))

    @_rule
    def clawback_matched(self, meta: Meta, children: list[Any]) -> n.ClawbackMatched:
        return n.ClawbackMatched(children[0], self.span(meta))

    @_rule
    def clawback_window(self, meta: Meta, children: list[Any]) -> n.ClawbackWindow:
        return n.ClawbackWindow(self._whole(children[0]), self.span(meta))

    @_rule
    def termination_decl(self, meta: Meta, children: list[Any]) -> n.TerminationDecl:
        return n.TerminationDecl(tuple(children), self.span(meta))

    def _termination(rule: str) -> Callable[..., n.TerminationRule]:  # type: ignore[misc]
        @_rule
        def build(self: _ToAst, meta: Meta, children: list[Any]) -> n.TerminationRule:
            return n.TerminationRule(rule, self.span(meta))  # type: ignore[arg-type]

        return cast(Callable[..., n.TerminationRule], build)

    holdbacks_released = _termination("holdbacks_released")
    holdbacks_forfeited = _termination("holdbacks_forfeited")
    draws_forgiven = _termination("draws_forgiven")
    draws_recovered = _termination("draws_recovered")

    @_rule
    def wage_floor_decl(self, meta: Meta, children: list[Any]) -> n.WageFloorDecl:
        name, label, *clauses = children
        text = _unquote(str(label)) if label is not None else None
        return n.WageFloorDecl(name, text, tuple(clauses), self.span(meta))

    @_rule
    def wage_rate(self, meta: Meta, children: list[Any]) -> n.WageRate:
        return n.WageRate(children[0], children[1], self.span(meta))

    @_rule
    def wage_topped_up(self, meta: Meta, children: list[Any]) -> n.WageShortfall:
        return n.WageShortfall(True, self.span(meta))

    @_rule
    def wage_flagged(self, meta: Meta, children: list[Any]) -> n.WageShortfall:
        return n.WageShortfall(False, self.span(meta))

    @_rule
    def total_decl(self, meta: Meta, children: list[Any]) -> n.TotalDecl:
        return n.TotalDecl(tuple(children), self.span(meta))

    @_rule
    def total_cap(self, meta: Meta, children: list[Any]) -> n.CapClause:
        return n.CapClause(False, children[0], self.span(meta))

    @_rule
    def total_floor(self, meta: Meta, children: list[Any]) -> n.FloorClause:
        return n.FloorClause(False, children[0], self.span(meta))

    # examples
    @_rule
    def example_decl(self, meta: Meta, children: list[Any]) -> n.ExampleDecl:
        title, *clauses = children
        return n.ExampleDecl(_unquote(str(title)), tuple(clauses), self.span(meta))

    @_rule
    def ex_period(self, meta: Meta, children: list[Token | None]) -> n.ExPeriod:
        first, last = children
        return n.ExPeriod(
            _unquote(str(first)), self.span(meta), _unquote(str(last)) if last else None
        )

    @_rule
    def ex_payee(self, meta: Meta, children: list[Any]) -> n.ExPayee:
        payee, *fields = children
        fields = [f for f in fields if f is not None]
        return n.ExPayee(self._ident(payee), tuple(fields), self.span(meta))

    @_rule
    def ex_quota(self, meta: Meta, children: list[Any]) -> n.ExQuota:
        payee, period, amount = children
        return n.ExQuota(self._ident(payee), _unquote(str(period)), amount, self.span(meta))

    @_rule
    def ex_metric(self, meta: Meta, children: list[Any]) -> n.ExMetric:
        payee, name, value = children
        return n.ExMetric(self._ident(payee), name, value, self.span(meta))

    @_rule
    def ex_line(self, meta: Meta, children: list[Any]) -> n.ExLine:
        txn, day, payee, amount, *fields = children
        day_lit = n.Literal("date", self._date(day), str(day), self.span(day))
        return n.ExLine(
            self._ident(txn), day_lit, self._ident(payee), amount, tuple(fields), self.span(meta)
        )

    @_rule
    def ex_field(self, meta: Meta, children: list[Any]) -> n.ExField:
        name, value = children
        return n.ExField(name, value, self.span(meta))

    @_rule
    def ex_expect(self, meta: Meta, children: list[Any]) -> n.ExExpect:
        payee, target, period, value = children
        label = _unquote(str(period)) if period is not None else None
        return n.ExExpect(self._ident(payee), target, value, self.span(meta), label)

    def expect_total(self, children: list[Any]) -> None:
        return None

    @_rule
    def ex_split(self, meta: Meta, children: list[Any]) -> n.ExSplit:
        txn, payee, share, credit = children
        credit_text = _unquote(str(credit)) if credit is not None else None
        return n.ExSplit(self._ident(txn), self._ident(payee), share, credit_text, self.span(meta))

    @_rule
    def ex_exchange(self, meta: Meta, children: list[Any]) -> n.ExExchange:
        day, source, target, rate = children
        day_lit = n.Literal("date", self._date(day), str(day), self.span(day))
        return n.ExExchange(day_lit, str(source), str(target), rate, self.span(meta))


def _unquote(text: str) -> str:
    body = text[1:-1]
    return body.replace('\\"', '"').replace("\\\\", "\\")


def build_ast(tree: Tree[Token], file: str) -> n.PlanFile:
    """Turn a parse tree into the AST.

    Raises:
        LiteralError: for a literal that is not a valid value.
    """
    return cast(n.PlanFile, _ToAst(file).transform(tree))


def expression_depth(plan: n.PlanFile) -> tuple[int, Span | None]:
    """The deepest nesting of AST nodes and where it is, without recursion."""
    deepest = 0
    where: Span | None = None
    stack: list[tuple[object, int]] = [(plan, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            where = getattr(node, "span", where)
        for child in _children(node):
            stack.append((child, depth + 1))
    return deepest, where


def _children(node: object) -> list[object]:
    if isinstance(node, tuple):
        return list(node)
    slots = getattr(type(node), "__slots__", ())
    return [
        value
        for value in (getattr(node, s) for s in slots)
        if isinstance(value, tuple)
        or (hasattr(type(value), "__dataclass_fields__") and not isinstance(value, Span))
    ]
