"""AST → canonical ``.plan`` text: the engine of ``incentives fmt``.

Contract: for a :class:`~incentives.ast.nodes.PlanFile` the parser produced,
``parse(format_plan(p))`` is ``p`` but for positions (:func:`same_plan`), and
formatting that again gives the same text. Every node type has a printer
(:data:`SUPPORTED_NODES`); an unknown one raises :class:`TypeError`. Layout:

* ``plan "Name"``, then each header clause on its own line indented two
  spaces. Each declaration starts at column 1, its clauses (fields, bands, rows,
  quota, component, example … clauses) one per line below it, indented two
  spaces, in the order written. ``let``, ``measure`` (with its clauses) and
  ``holidays`` are one line. No line is wrapped. One space between tokens;
  none before ``,`` and ``:``, inside ``(…)`` and ``[…]`` or after a unary ``-``.
* A blank line after the header and between declarations, except that two
  one-line declarations keep the author's choice, so groups of them stay.
* The fewest parentheses the grammar needs (``if`` < ``or`` < ``and`` <
  ``not`` < comparison < ``+ -`` < ``* / of`` < unary ``-`` < ``x on y``,
  ``x at y``, ``sum of …``, ``rank of …`` < atom), and three for the reader:
  around those last four as an operand (``500 USD * (curve at attainment)``),
  around a comparison after ``not`` (``not (a < b)``), and around an ``if``
  that more words follow (``pays (if …) per line``, ``if (if …) then``).
  Operands the grammar wants as atoms (tier bounds, aggregate arguments, goals,
  ``on``/``at``/``against`` operands, defaults, weights, ramp factors, shares
  held back, hours) get parentheses if they are not atoms.
* Literals keep their original text (``10,000 USD``, ``10000 USD``); quoted
  names keep their backticks; decoded texts (plan name, labels …) are quoted
  again with ``\\"`` and ``\\\\``. Where the AST keeps no spelling, one is
  chosen: ``month 3``/``months 1 to 2``, ``for 1 period``/``for 2 periods``, an
  example's id in backticks only if it is not a plain name (or, after another
  id, a keyword).
* Comments are kept in order, without trailing whitespace. One after code ends
  the line printed for the clause (or declaration) whose last line it was on;
  on consecutive lines they line up two spaces after the longest code. One on
  its own line stays above what follows it, indented like it (above a
  declaration, blank lines among them are kept, one at most); an indented one
  right below a declaration stays at its end; one inside a clause printed on
  one line moves just above it.
"""

from __future__ import annotations

import functools
import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from itertools import groupby
from typing import Any

from incentives.ast import nodes as n
from incentives.ast.visitor import children, walk
from incentives.source import Span

__all__ = ["SUPPORTED_NODES", "format_plan", "plan_shape", "same_plan"]

_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")
#: Where a band value or a goal starts, the lexer reads a name spelt `from`
#: as the keyword; in parentheses it is a name again.
_STARTS_WITH_FROM = re.compile(r"from\b")
#: After `(` the lexer reads a name spelt `if` or `not` as the keyword, so the
#: parentheses kept only for the reader are left out before such a name.
_KEYWORD_AFTER_PAREN = re.compile(r"(if|not)\b")


def _text(node: object) -> str:
    render = _RENDER.get(type(node))
    if render is None:
        raise TypeError(f"the plan printer cannot print a {type(node).__name__}")
    return render(node)


def _opt(prefix: str, value: str | None) -> str:
    return "" if value is None else prefix + value


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _q(prefix: str, text: str | None) -> str:
    return _opt(prefix, None if text is None else _quote(text))


def _date(day: n.Literal | None, prefix: str = " from ") -> str:
    return _opt(prefix, None if day is None else day.text)


def _words(keyword: str) -> str:
    return keyword.replace("_", " ")


def _name(name: n.Name | None) -> str:
    return "" if name is None else f"`{name.text}`" if name.quoted else name.text


def _names(names: Sequence[n.Name]) -> str:
    return ", ".join(_name(x) for x in names)


@functools.cache
def _keywords() -> frozenset[str]:
    from incentives.parse import grammar_text  # late: the AST package does not need Lark

    return frozenset(re.findall(r'"([a-z_]+)"', grammar_text()))


def _ident(ident: n.Ident, *, after_id: bool = False) -> str:
    # The AST does not say whether an id was in backticks. After another id
    # (`split t1 kim`) the lexer also takes keywords, so there one needs them.
    if ident.form == "string":
        return _quote(ident.text)
    plain = _PLAIN_NAME.fullmatch(ident.text) and not (after_id and ident.text in _keywords())
    return ident.text if ident.form == "int" or plain else f"`{ident.text}`"


_IF, _OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _NEGATE, _APPLY, _ATOM = range(10)
_BINARY = {"or": _OR, "and": _AND, "+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT}
_BINARY |= {"of": _PRODUCT} | dict.fromkeys(("=", "!=", "<", "<=", ">", ">="), _COMPARE)
_LEVELS = {n.IfElse: _IF, n.InList: _COMPARE, n.TierOn: _APPLY, n.TierAt: _APPLY}
_LEVELS |= {n.TeamValue: _APPLY, n.Rank: _APPLY}


def _level(e: object) -> int:
    if isinstance(e, n.Binary):
        return _BINARY[e.op]
    if isinstance(e, n.Unary):
        return _NOT if e.op == "not" else _NEGATE
    return _LEVELS.get(type(e), _ATOM)


def _expr(e: n.Expr, need: int = _IF, *, operand: bool = False) -> str:
    """``e`` in parentheses if its level is below ``need`` (or, as an operand, a tier use)."""
    text = _text(e)
    level = _level(e)
    readable = operand and level == _APPLY and not _KEYWORD_AFTER_PAREN.match(text)
    return f"({text})" if level < need or readable else text


def _atom(e: n.Expr) -> str:
    return _expr(e, _ATOM)


def _not_from(text: str) -> str:
    return f"({text})" if _STARTS_WITH_FROM.match(text) else text


def _binary(e: n.Binary) -> str:
    level = _BINARY[e.op]
    left, right = (_SUM, _SUM) if level == _COMPARE else (level, level + 1)
    return f"{_expr(e.left, left, operand=True)} {e.op} {_expr(e.right, right, operand=True)}"


def _unary(e: n.Unary) -> str:
    if e.op == "-":
        return "-" + _expr(e.operand, _NEGATE, operand=True)
    text = _expr(e.operand, _NOT, operand=True)
    # `not (a < b)` rather than `not a < b`, which reads as `(not a) < b`.
    if _level(e.operand) == _COMPARE and not _KEYWORD_AFTER_PAREN.match(text):
        text = f"({text})"
    return "not " + text


def _inner(e: n.Expr) -> str:  # an `if` that more words follow: `(if a then b else c) per line`
    return f"({_expr(e)})" if isinstance(e, n.IfElse) else _expr(e)


def _scope(s: n.Scope) -> str:
    depth = _opt(" to depth ", None if s.depth is None else str(s.depth))
    return {"reports": f"reports{depth}", "group": f"group {_name(s.field)}"}.get(s.kind, s.kind)


def _band(b: n.Band) -> str:
    bounds = [] if b.lower is None else [f"{_LOWER[b.lower.inclusive]} {_atom(b.lower.value)}"]
    bounds += [] if b.upper is None else [f"{_UPPER[b.upper.inclusive]} {_atom(b.upper.value)}"]
    value = f"from {_atom(b.value)} to {_atom(b.value_to)}" if b.value_to else None
    return f"band {' and '.join(bounds)}: {value or _not_from(_expr(b.value))}"


_LOWER, _UPPER = ("above", "at least"), ("below", "at most")


def _where(condition: n.Expr | None) -> str:
    return _opt(" where ", None if condition is None else _expr(condition))


def _ramp_step(s: n.RampStep) -> str:
    months = f"month {s.first}" if s.last is None else f"months {s.first} to {s.last}"
    return f"{months} at {_atom(s.factor)}"


#: Node type → its text (a clause without its indentation).
_RENDER: dict[type[Any], Callable[[Any], str]] = {
    n.Literal: lambda e: e.text,
    n.Name: _name,
    n.Ident: _ident,
    n.MinorUnit: lambda _: "minor unit",
    n.AnyKey: lambda _: "any",
    n.Scope: _scope,
    n.Ref: lambda e: _name(e.name),
    n.Binary: _binary,
    n.Unary: _unary,
    n.InList: lambda e: (
        f"{_expr(e.operand, _SUM, operand=True)} {'not in' if e.negated else 'in'} "
        f"[{', '.join(item.text for item in e.items)}]"
    ),
    n.IfElse: lambda e: f"if {_inner(e.condition)} then {_inner(e.then)} else {_expr(e.otherwise)}",
    n.Call: lambda e: f"{e.function}({', '.join(_expr(a) for a in e.args)})",
    n.Round: lambda e: (
        f"round({_expr(e.value)}{_opt(', ', e.unit and _text(e.unit))}{_opt(', ', e.mode)})"
    ),
    n.TierOn: lambda e: (
        f"{_name(e.tiers)} on {_atom(e.base)}{_opt(' against ', e.quota and _atom(e.quota))}"
    ),
    n.TierAt: lambda e: f"{_name(e.tiers)} at {_atom(e.value)}",
    n.TeamValue: lambda e: f"{e.function} of {_name(e.name)} across {_scope(e.scope)}",
    n.Rank: lambda e: (
        f"rank of {_name(e.name)} across {_scope(e.scope)} "
        f"{'highest' if e.descending else 'lowest'} first ties "
        + {"payee": "by payee", "shared": "shared"}.get(e.ties, f"by {_name(e.tie_field)}")
    ),
    n.VersionClause: lambda c: f"version {_quote(c.version)}",
    n.DescriptionClause: lambda c: f"description {_quote(c.text)}",
    n.CurrencyClause: lambda c: f"currency {c.code}",
    n.PeriodClause: lambda c: (
        f"period {c.unit}" if c.anchor is None else f"period two weeks from {c.anchor}"
    ),
    n.RoundingClause: lambda c: (
        "rounding none"
        if c.mode is None or c.unit is None
        else f"rounding {c.mode} to {_text(c.unit)} on {' and '.join(c.places)}"
    ),
    n.StartsClause: lambda c: f"starts {c.day.text}",
    n.VersionsClause: lambda c: f"versions at {_words(c.point)}",
    n.ContactClause: lambda c: f"contact {_quote(c.text)}",
    n.FieldDecl: lambda f: (
        f"{_name(f.name)}: {f.type_name}{' optional' if f.optional else ''}"
        + _opt(" default ", f.default and _atom(f.default))
    ),
    n.WhereClause: lambda c: f"where {_inner(c.condition)}",
    n.OverClause: lambda c: f"over {c.horizon} to date",
    n.DefaultClause: lambda c: f"default {_atom(c.value)}",
    n.AcrossClause: lambda c: f"across {_scope(c.scope)}",
    n.DatedClause: lambda c: f"dated by {_name(c.column)}",
    n.GoalClause: lambda c: (
        f"goal {'from quotas' if c.source is None else _not_from(_atom(c.source))}"
        + _opt(" per ", c.unit)
    ),
    n.SplitClause: lambda c: (
        f"split by weights {', '.join(map(_atom, c.weights))}"
        if c.method == "weights"
        else ("split " if c.method == "evenly" else "split by ") + _words(c.method)
    ),
    n.ProrateClause: lambda c: "prorate by " + " and ".join(_words(f) for f in c.factors),
    n.RampStep: _ramp_step,
    n.RampClause: lambda c: "ramp " + ", ".join(_ramp_step(s) for s in c.steps),
    n.QuotaRoundClause: lambda c: f"round {c.mode} to {_text(c.unit)}",
    n.Band: _band,
    n.RateRow: lambda r: (
        f"{'otherwise' if r.otherwise else ', '.join(_text(k) for k in r.keys)}: {r.value.text}"
    ),
    n.PayAmount: lambda p: _expr(p.amount),
    n.PayPerLine: lambda p: f"{_inner(p.amount)} per line{_where(p.where)}",
    n.PayPerUnit: lambda p: f"{_inner(p.amount)} per unit of {_atom(p.units)}{_where(p.where)}",
    n.PaysClause: lambda c: f"pays {_text(c.spec)}",
    n.WhenClause: lambda c: f"when {_expr(c.condition)}",
    n.GateClause: lambda c: f"gate at {_inner(c.threshold)}, {_words(c.mode)}",
    n.CapClause: lambda c: f"cap{' per line' if c.per_line else ''} at {_expr(c.limit)}",
    n.FloorClause: lambda c: f"floor{' per line' if c.per_line else ''} at {_expr(c.limit)}",
    n.MultipliesClause: lambda c: f"multiplies {_names(c.targets)} by {_expr(c.factor)}",
    n.HoldClause: lambda c: (
        f"hold back {_atom(c.share)} for {c.periods} period{'' if c.periods == 1 else 's'}"
        if c.release == "periods"
        else f"hold back {_atom(c.share)} until {c.day.text if c.day else _name(c.column)}"
    ),
    n.TrueUpClause: lambda c: f"true up over {c.horizon}",
    n.HorizonCapClause: lambda c: (
        f"cap at {_inner(c.limit)} per {c.horizon}, "
        f"excess {'carried over' if c.carry else 'forfeited'}"
    ),
    n.DrawAmount: lambda c: f"{c.kind} {_expr(c.amount)}",
    n.DrawShortfall: lambda c: (
        "shortfall recovered" + _opt(" at most ", c.limit and f"{_inner(c.limit)} per period")
        if c.recovered
        else "shortfall forgiven"
    ),
    n.ClawbackReverses: lambda c: f"reverses {_names(c.targets)}",
    n.ClawbackLines: lambda c: f"for lines where {_expr(c.condition)}",
    n.ClawbackMatched: lambda c: f"matched by {_name(c.column)}",
    n.ClawbackWindow: lambda c: f"within {c.days} days",
    n.WageRate: lambda c: f"at {_inner(c.rate)} per hour of {_atom(c.hours)}",
    n.WageShortfall: lambda c: f"shortfall {'topped up' if c.topped_up else 'flagged'}",
    n.TerminationRule: lambda c: ("unrecovered " if "draws" in c.rule else "") + _words(c.rule),
    n.CreditTo: lambda c: f"credit to {_name(c.column)}{_date(c.start)}",
    n.SplitBySplits: lambda _: "split by splits",
    n.OverlayClause: lambda c: "overlay " + ", ".join(_quote(t) for t in c.types),
    n.RemainderClause: lambda c: f"remainder to {_words(c.rule)}",
    n.EarnOn: lambda c: f"earn on {_name(c.column)}",
    n.FxConvert: lambda c: f"convert at {_words(c.when)}",
    n.FxRound: lambda c: f"round {c.mode} to {_text(c.unit)}",
    n.FxPayout: lambda _: "pay in payout currency",
    n.ExPeriod: lambda c: f"period {_quote(c.label)}{_q(' to ', c.last)}",
    n.ExField: lambda f: f"{_name(f.name)} {f.value.text}",
    n.ExPayee: lambda c: (
        f"payee {_ident(c.payee)}" + _opt(": ", ", ".join(map(_text, c.fields)) or None)
    ),
    n.ExQuota: lambda c: f"quotas {_ident(c.payee)} {_quote(c.period)}: {c.amount.text}",
    n.ExMetric: lambda c: f"metric {_ident(c.payee)} {_name(c.name)}: {c.value.text}",
    n.ExLine: lambda c: (
        f"line {_ident(c.txn_id)} {c.day.text} {_ident(c.payee)}: {c.amount.text}"
        + "".join(f", {_text(f)}" for f in c.fields)
    ),
    n.ExExpect: lambda c: (
        f"expect {_ident(c.payee)} {'total' if c.target is None else _name(c.target)}"
        f"{_q(' in ', c.period)}: {c.value.text}"
    ),
    n.ExSplit: lambda c: (
        f"split {_ident(c.txn_id)} {_ident(c.payee, after_id=True)}: {c.share.text}"
        + _q(" as ", c.credit)
    ),
    n.ExExchange: lambda c: f"exchange {c.day.text} {c.source} {c.target}: {c.rate.text}",
}

_TABLES = {"ledger": "ledger columns", "roster": "roster fields", "metrics": "metrics"}

#: Declaration type → its first line and the clauses printed below it.
_BLOCKS: dict[type[Any], Callable[[Any], tuple[str, Sequence[Any]]]] = {
    n.PlanHeader: lambda d: (f"plan {_quote(d.name)}", d.clauses),
    n.FieldsDecl: lambda d: (_TABLES[d.table], d.fields),
    n.HolidaysDecl: lambda d: ("holidays " + ", ".join(x.text for x in d.days), ()),
    n.LetDecl: lambda d: (f"let {_name(d.name)}{_date(d.start)} = {_expr(d.value)}", ()),
    n.MeasureDecl: lambda d: (
        f"measure {_name(d.name)} = {_words(d.aggregate)}"
        + "".join(f" {x}" for x in (d.argument and _atom(d.argument), *map(_text, d.clauses)) if x),
        (),
    ),
    n.QuotaDecl: lambda d: (f"quota {_name(d.name)}", d.clauses),
    n.TiersDecl: lambda d: (f"tiers {_name(d.name)}{_date(d.start)} {d.kind}", d.bands),
    n.RateTableDecl: lambda d: (
        f"rate table {_name(d.name)}{_date(d.start)} by {_names(d.keys)}"
        + _opt(" using ", d.policy and f"{d.policy} match"),
        d.rows,
    ),
    n.ComponentDecl: lambda d: (f"{d.kind} {_name(d.name)}{_q(' ', d.label)}", d.clauses),
    n.DrawDecl: lambda d: (f"draw {_name(d.name)}{_q(' ', d.label)}", d.clauses),
    n.ClawbackDecl: lambda d: (f"clawback {_name(d.name)}{_q(' ', d.label)}", d.clauses),
    n.WageFloorDecl: lambda d: (f"wage floor {_name(d.name)}{_q(' ', d.label)}", d.clauses),
    n.TotalDecl: lambda d: ("total", d.clauses),
    n.CreditingDecl: lambda d: ("crediting", d.clauses),
    n.FxDecl: lambda d: ("fx", d.clauses),
    n.TerminationDecl: lambda d: ("upon termination", d.clauses),
    n.ExampleDecl: lambda d: (f"example {_quote(d.title)}", d.clauses),
}

#: Every node type printed (a ``Bound`` in its ``Band``, the rest by :func:`format_plan`).
SUPPORTED_NODES = frozenset({*_RENDER, *_BLOCKS, n.Bound, n.Comment, n.PlanFile})


@dataclass
class _Line:  # a declaration's first line or a clause, and where it was
    text: str
    indent: int
    line: int  # source line of its first token
    start: int  # source offset of its first token
    end: int  # source offset after its last token known (a node's end)
    end_line: int
    before: list[n.Comment] = field(default_factory=list)
    trailing: n.Comment | None = None


@dataclass
class _Block:  # the header or a declaration, with the comments above and below
    lines: list[_Line]
    one_line: bool
    above: list[n.Comment] = field(default_factory=list)
    below: list[n.Comment] = field(default_factory=list)


def _block(node: object) -> _Block:
    build = _BLOCKS.get(type(node))
    if build is None:
        raise TypeError(f"the plan printer cannot print a {type(node).__name__}")
    head, clauses = build(node)
    span: Span = getattr(node, "span")  # noqa: B009 - every declaration has one
    if isinstance(node, n.LetDecl | n.MeasureDecl | n.HolidaysDecl):
        return _Block([_Line(head, 0, span.line, span.start, span.end, span.end_line)], True)
    # The first line's words end at the last of its nodes (name, date, keys), if any.
    ids = {id(c) for c in clauses}
    known = [c.span for c in children(node) if id(c) not in ids and hasattr(c, "span")]
    last = max(known, key=lambda s: s.end, default=Span("", span.line, 0, span.line, 0))
    end = last.end if known else span.start
    lines = [_Line(head, 0, span.line, span.start, end, last.end_line)]
    for clause in clauses:
        s: Span = getattr(clause, "span")  # noqa: B009
        lines.append(_Line(_text(clause), 2, s.line, s.start, s.end, s.end_line))
    return _Block(lines, False)


def format_plan(plan: n.PlanFile) -> str:
    """The canonical text of a plan (see the module docstring), ending in one newline."""
    blocks = [_block(plan.header)] + [_block(d) for d in plan.declarations]
    where = [(k, i) for k, b in enumerate(blocks) for i in range(len(b.lines))]
    starts = [blocks[k].lines[i].start for k, i in where]
    code: dict[int, int] = {}  # source line → leftmost column known to hold code
    for node in walk(plan):
        for s in (getattr(node, slot) for slot in getattr(type(node), "__slots__", ())):
            if isinstance(s, Span) and s.line > 0 and not isinstance(node, n.Comment):
                for line_no, column in ((s.line, s.column), (s.end_line, s.end_column - 1)):
                    code[line_no] = min(code.get(line_no, sys.maxsize), column)
    first: list[n.Comment] = []
    gaps: dict[int, list[n.Comment]] = {}
    for c in sorted(plan.comments, key=lambda c: c.span.start):
        found = bisect_right(starts, c.span.start) - 1
        if found < 0:
            first.append(c)
            continue
        k, i = where[found]
        line = blocks[k].lines[i]
        after_code = code.get(c.span.line, sys.maxsize) < c.span.column
        if after_code and c.span.line == line.end_line and c.span.start >= line.end:
            line.trailing = c
        elif c.span.start < line.end:
            line.before.append(c)  # inside a clause printed on one line
        elif i + 1 < len(blocks[k].lines):
            blocks[k].lines[i + 1].before.append(c)
        else:
            gaps.setdefault(k, []).append(c)
    last: list[n.Comment] = []
    for k, gap in gaps.items():
        end_line = blocks[k].lines[-1].end_line
        while gap and gap[0].span.column > 1 and gap[0].span.line - end_line <= 1:
            end_line = gap[0].span.line
            blocks[k].below.append(gap.pop(0))
        (blocks[k + 1].above if k + 1 < len(blocks) else last).extend(gap)
    return _layout(blocks, first, last)


_Row = tuple[str, "str | None"]  # code, trailing comment
_BLANK: _Row = ("", None)


def _own_lines(comments: Sequence[n.Comment], indent: int, blanks: bool) -> list[_Row]:
    """Comments on their own lines; with ``blanks``, blank lines where the source had some."""
    rows: list[_Row] = []
    for k, c in enumerate(comments):
        if blanks and k and c.span.line - comments[k - 1].span.line > 1:
            rows.append(_BLANK)
        rows.append((" " * indent + c.text.rstrip(), None))
    return rows


def _layout(blocks: list[_Block], first: list[n.Comment], last: list[n.Comment]) -> str:
    rows = _own_lines(first, 0, blanks=True)
    if first and blocks[0].lines[0].line - first[-1].span.line > 1:
        rows.append(_BLANK)
    previous: _Block | None = None
    for block in [*blocks, _Block([], True, above=last)] if last else blocks:
        if previous is not None:
            begins = block.above[0].span.line if block.above else block.lines[0].line
            together = previous.one_line and block.one_line and not previous.below
            if not together or begins - previous.lines[-1].end_line > 1:
                rows.append(_BLANK)
        rows += _own_lines(block.above, 0, blanks=True)
        if block.above and block.lines and block.lines[0].line - block.above[-1].span.line > 1:
            rows.append(_BLANK)
        for line in block.lines:
            rows += _own_lines(line.before, line.indent, blanks=False)
            comment = None if line.trailing is None else line.trailing.text.rstrip()
            rows.append((" " * line.indent + line.text, comment))
        rows += _own_lines(block.below, 2, blanks=False)
        previous = block
    out: list[str] = []
    for commented, group in groupby(rows, key=lambda row: row[1] is not None):
        run = list(group)
        width = max(len(code) for code, _ in run) + 2
        out += [code.ljust(width) + (c or "") if commented else code for code, c in run]
    return "\n".join(out) + "\n"


def plan_shape(node: object) -> object:
    """A node as nested tuples: every field but spans; a comment as its stripped text."""
    if isinstance(node, tuple):
        return tuple(plan_shape(item) for item in node)
    if isinstance(node, n.Comment):
        return node.text.rstrip()
    if is_dataclass(node) and not isinstance(node, type | Span):
        values = ((f.name, getattr(node, f.name)) for f in fields(node))
        kept = ((k, plan_shape(v)) for k, v in values if not isinstance(v, Span))
        return (type(node).__name__, *kept)
    return node


def same_plan(a: n.PlanFile, b: n.PlanFile) -> bool:
    """Whether two plans are the same tree, ignoring positions (comments by text, in order)."""
    return plan_shape(a) == plan_shape(b)
