"""Friendly syntax errors: what was found, what was expected, in words.

Contract: :func:`describe_unexpected` turns a Lark ``UnexpectedInput`` into a
message, an optional hint and a span. Terminal names never reach the author:
keywords are shown as `` `word` ``, literal classes as phrases ("an amount
like 10,000 USD"), and long lists of alternatives are grouped ("a new
declaration"). Common mistakes (a reserved word used as a name, a lowercase
currency, a thousands separator outside an amount, a float exponent) get a
specific hint.
"""

from __future__ import annotations

import re

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from incentives.money import is_currency
from incentives.source import SourceFile, Span

__all__ = ["describe_unexpected", "keywords"]

_PHRASES = {
    "NAME": "a name",
    "QUOTED_NAME": "a name",
    "STRING": 'a quoted text like "Sales"',
    "MONEY": "an amount like 10,000 USD",
    "PERCENT": "a percentage like 5%",
    "NUMBER": "a number",
    "INT": "a whole number",
    "DATE": "a date like 2026-03-31",
    "CURRENCY": "a currency code like USD",
    "$END": "the end of the plan",
}

#: Keywords that start a declaration; when all of them are possible the
#: message says "a new declaration" instead of listing them.
_DECLARATION_STARTS = {
    "ledger", "roster", "metrics", "holidays", "let", "measure", "quota", "tiers",
    "rate", "commission", "bonus", "spiff", "multiplier", "total", "example",
    "crediting", "fx", "draw", "clawback", "upon", "wage",
}  # fmt: skip
_VALUE_STARTS = {"MONEY", "PERCENT", "NUMBER", "DATE", "STRING", "true", "false", "NAME"}
_OPERATORS = {"!=", "*", "+", "-", "/", "<=", "<", "=", ">=", ">", "and", "in", "not", "of", "or"}


def keywords(parser: Lark) -> frozenset[str]:
    """Every word the grammar reserves."""
    return frozenset(
        str(t.pattern.value)
        for t in parser.terminals
        if isinstance(t.pattern, PatternStr) and str(t.pattern.value).isidentifier()
    )


def _display(name: str, parser: Lark) -> str:
    if name in _PHRASES:
        return _PHRASES[name]
    for term in parser.terminals:
        if term.name == name:
            return f"`{term.pattern.value}`"
    return name.lower()  # pragma: no cover - every terminal is in the grammar


def _expected_words(expected: set[str], parser: Lark) -> str:
    words = {_display(e, parser).strip("`") if _is_literal(e, parser) else e for e in expected}
    parts: list[str] = []
    if len(_OPERATORS & words) >= 6:
        words -= _OPERATORS
        parts.append("an operator (`+`, `*`, `>=`, `and`, …)")
    if words >= _DECLARATION_STARTS:
        words -= _DECLARATION_STARTS
        parts.append("a new declaration (`let`, `measure`, `commission`, …)")
    if {"MONEY", "PERCENT", "NUMBER", "NAME"} <= words:
        words -= _VALUE_STARTS | {"QUOTED_NAME", "LPAR", "MINUS", "if", "not", "round"}
        words -= {"min", "max", "clamp", "abs", "sum", "average", "rank"}
        parts.append("a value or a name")
    phrases = sorted(
        {
            f"`{w}`" if w in _literal_values(parser) else _display(w, parser)
            for w in words
            if w != "QUOTED_NAME"
        }
    )
    parts.extend(phrases)
    if not parts:
        return "something else"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _keyword_names(parser: Lark) -> set[str]:
    return {
        t.name
        for t in parser.terminals
        if isinstance(t.pattern, PatternStr) and str(t.pattern.value).isidentifier()
    }


def _is_literal(name: str, parser: Lark) -> bool:
    return any(t.name == name and isinstance(t.pattern, PatternStr) for t in parser.terminals)


def _literal_values(parser: Lark) -> set[str]:
    return {str(t.pattern.value) for t in parser.terminals if isinstance(t.pattern, PatternStr)}


def _token_words(token: Token, parser: Lark) -> str:
    if token.type == "$END":
        return "the end of the plan"
    text = str(token)
    if token.type in ("NAME", "QUOTED_NAME"):
        return f"name `{text}`"
    if token.type in _keyword_names(parser):
        return f"word `{text}`"
    return f"`{text}`"


def describe_unexpected(
    exc: UnexpectedInput, source: SourceFile, parser: Lark
) -> tuple[str, str | None, Span]:
    """Message, hint and span for a Lark parse error."""
    text = source.text
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        span = Span(source.name, exc.line, exc.column, exc.line, exc.column + 1, pos, pos + 1)
        return _unexpected_character(char, text, pos, exc, parser, span)
    if isinstance(exc, UnexpectedEOF):
        end = len(text)
        line = text.count("\n", 0, end) + 1
        col = end - (text.rfind("\n", 0, end) + 1) + 1
        span = Span(source.name, line, col, line, col + 1, end, end)
        expected = _expected_words(set(exc.expected), parser)
        return (f"the plan ends too early; expected {expected}", None, span)
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    expected_set = set(exc.accepts or exc.expected)
    expected = _expected_words(expected_set, parser)
    if token.type == "$END":
        end = len(text.rstrip())
        line = text.count("\n", 0, end) + 1
        col = end - (text.rfind("\n", 0, end) + 1) + 1
        span = Span(source.name, line, col, line, col + 1, end, end)
        return (f"the plan ends too early; expected {expected}", None, span)
    span = Span(
        source.name,
        token.line or 1,
        token.column or 1,
        token.end_line or token.line or 1,
        token.end_column or (token.column or 1) + 1,
        token.start_pos or 0,
        token.end_pos or 0,
    )
    message = f"unexpected {_token_words(token, parser)}; expected {expected}"
    before = text[: token.start_pos or 0]
    return message, _hint_for_token(token, expected_set, before, parser), span


_NUMBER_BEFORE = re.compile(r"(\d[\d.]*)[ \t]*$")


def _hint_for_token(token: Token, expected: set[str], before: str, parser: Lark) -> str | None:
    text = str(token)
    number = _NUMBER_BEFORE.search(before)
    if token.type in _keyword_names(parser) and "NAME" in expected:
        return (
            f"`{text}` is a reserved word; choose another name, or write a data column "
            f"with that name in backticks: `{text}`"
        )
    if token.type == "NAME" and number and is_currency(text.upper()):
        return f"currency codes are written in capitals: {number.group(1)} {text.upper()}"
    if token.type == "NAME" and number and re.fullmatch(r"e[+-]?\d*", text):
        return "numbers are written in full; exponents like 1e5 are not allowed"
    if token.type == "COMMA" and number:
        return (
            "thousands separators are only allowed in amounts with a currency "
            "(10,000 USD); write other numbers without them (10000)"
        )
    if token.type == "NAME" and "CURRENCY" in expected and is_currency(text.upper()):
        return f"currency codes are written in capitals: {text.upper()}"
    expected_values = {
        str(t.pattern.value)
        for t in parser.terminals
        if t.name in expected and isinstance(t.pattern, PatternStr)
    }
    if text in ("<", "<=", ">", ">=", "=", "!=") and text not in expected_values:
        return "comparisons cannot be chained; join two comparisons with `and`"
    if token.type == "STRING" and "COLON" in expected:
        return "a `:` is missing before the value"
    return None


def _unexpected_character(
    char: str,
    text: str,
    pos: int,
    exc: UnexpectedCharacters,
    parser: Lark,
    span: Span,
) -> tuple[str, str | None, Span]:
    shown = char if char.isprintable() and char.strip() else f"\\u{ord(char):04x}"
    expected = _expected_words(set(exc.allowed or ()), parser)
    message = f"unexpected character `{shown}`; expected {expected}"
    hint: str | None = None
    word = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[pos:])
    if char == "'":
        hint = 'texts are written in double quotes: "like this"'
    elif char == '"':
        hint = 'this text is not closed: end it with `"` on the same line'
    elif (
        not char.isprintable()
        or char in "\u200b\u200c\u200d\u2060\ufeff"
        or ("\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069")
    ):
        hint = "remove this invisible or direction-changing character"
    elif word and word.group().upper() == word.group() and is_currency(word.group()):
        hint = "a currency code follows an amount directly, like 10,000 USD"
    elif word and any(c.isupper() for c in word.group()):
        hint = (
            f"names use lowercase letters, digits and `_` (`{word.group().lower()}`); "
            "write a data column with capitals in backticks"
        )
    elif char == "\t":
        hint = "tabs are allowed between words, not here"
    return message, hint, span
