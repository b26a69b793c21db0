"""Friendly syntax errors: what was found, what was expected, in words, and what to do.

Contract: :func:`describe_unexpected` turns a Lark ``UnexpectedInput`` into a
message, a one-line hint and a span. Terminal names never reach the author:
keywords are shown as `` `word` ``, literal classes as phrases ("an amount
like 10,000 USD"), and long lists of alternatives are grouped ("a new
declaration"). What the plan holds is quoted with its hidden characters
escaped (``\\u001b``) and cut short when long. Common mistakes get a specific
hint: a reserved word used as a name, a misspelt keyword (the closest
keyword), a keyword glued to a name, a missing `:`, a lowercase currency, a
thousands separator outside an amount, a float exponent, a chained
comparison, a spreadsheet formula, `$`, smart quotes, a backslash a text
does not allow (only ``\\"`` and ``\\\\`` are escapes; the message points at
the backslash, not at the opening quote); every other error gets a general
one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from incentives.money import is_currency
from incentives.source import HIDDEN, SourceFile, Span, escape_hidden, hidden_escape

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
_VALUE_STARTS = {"MONEY", "PERCENT", "NUMBER", "INT", "DATE", "STRING", "true", "false", "NAME"}
_OPERATORS = {"!=", "*", "+", "-", "/", "<=", "<", "=", ">=", ">", "and", "in", "not", "of", "or"}
_COMPARISONS = ("<", "<=", ">", ">=", "=", "!=")
_VALUES = {"MONEY", "PERCENT", "NUMBER", "INT", "DATE", "STRING", "NAME", "QUOTED_NAME"}
#: Longest piece of plan text quoted in a message.
_QUOTE_LIMIT = 40


def keywords(parser: Lark) -> frozenset[str]:
    """Every word the grammar reserves."""
    return frozenset(
        str(t.pattern.value)
        for t in parser.terminals
        if isinstance(t.pattern, PatternStr) and str(t.pattern.value).isidentifier()
    )


def _quoted(text: str) -> str:
    """Plan text as a message shows it: hidden characters escaped, long text cut."""
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1] + "…"
    return escape_hidden(text)


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


def _expected_keywords(expected: set[str], parser: Lark) -> list[str]:
    """The keywords among the expected terminals, as words."""
    return sorted(
        str(t.pattern.value)
        for t in parser.terminals
        if t.name in expected
        and isinstance(t.pattern, PatternStr)
        and str(t.pattern.value).isidentifier()
    )


def _token_words(token: Token, parser: Lark) -> str:
    if token.type == "$END":
        return "the end of the plan"
    text = str(token)
    if token.type == "NAME" and text in keywords(parser):
        return f"word `{text}`"
    if token.type in ("NAME", "QUOTED_NAME"):
        return f"name `{_quoted(text)}`"
    if token.type in _keyword_names(parser):
        return f"word `{text}`"
    return f"`{_quoted(text)}`"


def _acceptable(exc: UnexpectedCharacters, parser: Lark) -> set[str]:
    """What the parser could take where a character was not understood.

    The lexer's own list is no guide: it tries ``NAME`` everywhere (so that
    keywords end at a word boundary). The parse table says what could really
    come here; where a name could, the keywords are left out of the list (a
    message that names every keyword helps no one).
    """
    state = exc.state
    try:
        accepts = set(state.parse_conf.parse_table.states[state.position])
    except (AttributeError, KeyError):  # pragma: no cover - Lark always gives the state
        return set(exc.allowed or ())
    terminals = {t.name for t in parser.terminals} | {"$END"}
    found = accepts & terminals
    if "NAME" in found:
        found -= _keyword_names(parser)
    return found


def describe_unexpected(
    exc: UnexpectedInput, source: SourceFile, parser: Lark
) -> tuple[str, str, Span]:
    """Message, hint and span for a Lark parse error."""
    text = source.text
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        if text[pos : pos + 1] == '"':
            escape = _bad_escape(text, pos)
            if escape is not None:
                return escape[0], escape[1], source.span(escape[2], escape[2] + escape[3])
        allowed = _acceptable(exc, parser)
        return _unexpected_character(text, pos, allowed, parser, source.span(pos, pos + 1))
    if isinstance(exc, UnexpectedEOF):
        return _ends_early(source, len(text), {str(e) for e in exc.expected}, parser)
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    expected_set = {str(e) for e in (exc.accepts or exc.expected)}
    if token.type == "$END":
        return _ends_early(source, len(text.rstrip()), expected_set, parser)
    start = token.start_pos or 0
    span = source.span(start, token.end_pos or start + len(str(token)))
    expected = _expected_words(expected_set, parser)
    message = f"unexpected {_token_words(token, parser)}; expected {expected}"
    hint = _hint_for_token(token, expected_set, text, parser) or _general_hint(
        token, expected_set, parser
    )
    return message, hint, span


def _ends_early(
    source: SourceFile, end: int, expected_set: set[str], parser: Lark
) -> tuple[str, str, Span]:
    line, column = source.position(end)
    span = Span(source.name, line, column, line, column + 1, end, end)
    expected = _expected_words(expected_set, parser)
    if "plan" in _expected_keywords(expected_set, parser):
        hint = (
            'a plan starts with `plan "Name"` followed by its version, currency, '
            "period and rounding"
        )
    elif "RPAR" in expected_set:
        hint = "close every `(` with a `)`"
    elif "RSQB" in expected_set:
        hint = "close the list with a `]`"
    else:
        hint = "finish the last declaration, or delete what is left of it"
    return f"the plan ends too early; expected {expected}", hint, span


_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
_NUMBER_BEFORE = re.compile(r"(\d[\d.]*)[ \t]*$")
_LOWERCASE_AMOUNT_AFTER = re.compile(
    r"(\d{3}(?:,\d{3})*(?:\.\d+)?)[ \t]*([a-z]{3})(?![A-Za-z0-9_])"
)
_FORMULA_AFTER = re.compile(r"[ \t]*(?:[A-Za-z][A-Za-z.]*[ \t]*\(|\$?[A-Z]{1,3}\$?\d)")
_COMPARISON_BEFORE = re.compile(r"(?:<|>|=|!=)[^<>=!#\n\r]*$")


def _hint_for_token(token: Token, expected: set[str], text: str, parser: Lark) -> str | None:
    value = str(token)
    start = token.start_pos or 0
    before = text[max(0, start - 200) : start]
    after = text[token.end_pos or start : (token.end_pos or start) + 200]
    number = _NUMBER_BEFORE.search(before)
    expected_values = {
        str(t.pattern.value)
        for t in parser.terminals
        if t.name in expected and isinstance(t.pattern, PatternStr)
    }
    is_keyword = token.type in _keyword_names(parser) or (
        token.type == "NAME" and value in keywords(parser)
    )
    if is_keyword and "NAME" in expected:
        return (
            f"`{value}` is a reserved word; choose another name, or write a data column "
            f"with that name in backticks: `{value}`"
        )
    if token.type == "NAME" and number and is_currency(value.upper()):
        return f"currency codes are written in capitals: {number.group(1)} {value.upper()}"
    if token.type == "NAME" and number and re.fullmatch(r"e[+-]?\d*", value):
        return "numbers are written in full; exponents like 1e5 are not allowed"
    if token.type == "COMMA" and number:
        amount = _LOWERCASE_AMOUNT_AFTER.match(after)
        if amount and is_currency(amount.group(2).upper()):
            whole = f"{number.group(1)},{amount.group(1)}"
            return f"currency codes are written in capitals: {whole} {amount.group(2).upper()}"
        return (
            "thousands separators are only allowed in amounts with a currency "
            "(10,000 USD); write other numbers without them (10000)"
        )
    if token.type == "NAME" and "CURRENCY" in expected and is_currency(value.upper()):
        return f"currency codes are written in capitals: {value.upper()}"
    if value == "=" and _FORMULA_AFTER.match(after):
        return (
            "spreadsheet formulas are not plan expressions; write the calculation "
            "with the plan's names, like `pays 5% of sales`"
        )
    if value in _COMPARISONS and value not in expected_values:
        if _COMPARISON_BEFORE.search(before):
            return "comparisons cannot be chained; join two comparisons with `and`"
        return f"delete the `{value}`, or write a value before it"
    if "COLON" in expected and token.type in _VALUES:
        return f"a `:` is missing before `{_quoted(value)}`"
    if token.type == "NAME":
        return _misspelt_keyword(value, expected, parser)
    if _WORD_CHAR.match(before[-1:]) and _WORD_CHAR.match(value):
        return f"put a space before `{_quoted(value)}`"
    return None


def _misspelt_keyword(word: str, expected: set[str], parser: Lark) -> str | None:
    words = _expected_keywords(expected, parser)
    glued = [k for k in words if word.startswith(k) and len(word) > len(k)]
    if glued:
        keyword = max(glued, key=len)
        return f"put a space after `{keyword}`: `{keyword} {word[len(keyword) :]}`"
    close = difflib.get_close_matches(word, words, n=1, cutoff=0.75)
    if close:
        return f"did you mean `{close[0]}`?"
    return None


def _general_hint(token: Token, expected: set[str], parser: Lark) -> str:
    if expected <= {"COLON"}:
        return "write `:` here"
    if token.type == "STRING":
        return "texts in quotes go only where the plan expects a label or a value"
    if expected & _VALUES and not _expected_keywords(expected, parser):
        return "a value or a name is missing here, or the word before it is misspelt"
    return "check the words just before this one: one is missing, misspelt or out of order"


_UNICODE_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2}))")


def _bad_escape(text: str, quote: int) -> tuple[str, str, int, int] | None:
    """What keeps the text opened at ``quote`` from lexing, if it is a backslash.

    A text allows two escapes, ``\\"`` (a quote) and ``\\\\`` (a backslash). In
    a text closed on its line, a backslash before anything else (``\\b``,
    ``\\u00e9``, ``C:\\x``) is what keeps it from lexing; a text whose last
    quote is escaped (``"C:\\"``) is not closed. Returns the message, the
    hint, and where the backslash is and how much to underline; None when no
    backslash is to blame.
    """
    pos = quote + 1
    escaped_quote: int | None = None
    bad: int | None = None
    while pos < len(text) and text[pos] not in '"\r\n':
        if text[pos] == "\\" and text[pos + 1 : pos + 2] not in ("", "\r", "\n"):
            if text[pos + 1] == '"':
                escaped_quote = pos if escaped_quote is None else escaped_quote
            elif text[pos + 1] != "\\" and bad is None:
                bad = pos
            pos += 2
            continue
        pos += 1
    closed = text[pos : pos + 1] == '"'
    if not closed:
        if escaped_quote is None:
            return None
        message = 'this text is not closed: `\\"` is a quote inside it, not its end'
        hint = 'to end a text with a backslash, write `\\\\` before the closing `"`'
        return message, hint, escaped_quote, 2
    if bad is None:
        return None  # pragma: no cover - a closed text without a bad escape lexes
    code = _UNICODE_ESCAPE.match(text, bad)
    if code is not None:
        number = int(next(g for g in code.groups() if g is not None), 16)
        char = chr(number) if number <= 0x10FFFF else ""
        if char and not HIDDEN.match(char) and char.isprintable():
            hint = f"write the character itself, `{char}`: a text may hold any character"
        else:
            hint = "write the character itself: a text may hold any visible character"
        message = f"`{_quoted(code.group())}` is not an escape a text allows; {_ESCAPES}"
        return message, hint, bad, len(code.group())
    shown = _quoted(text[bad + 1])
    message = f"`\\{shown}` is not an escape a text allows; {_ESCAPES}"
    hint = f"for a backslash followed by `{shown}`, write `\\\\{shown}`"
    if shown in ("n", "r"):
        hint = f"a text is one line and holds no line break; {hint}"
    elif shown == "t":
        hint = f"type the tab itself; {hint}"
    return message, hint, bad, 2


#: Which escapes a text allows, for messages.
_ESCAPES = 'only `\\"` (a quote) and `\\\\` (a backslash) may follow a backslash'


_SMART_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_SMART_SINGLE = "\u2018\u2019\u201a\u201b\u2032"
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_LOOKALIKES = {"≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/", "−": "-", "–": "-"}


def _unexpected_character(
    text: str,
    pos: int,
    allowed: set[str],
    parser: Lark,
    span: Span,
) -> tuple[str, str, Span]:
    char = text[pos] if pos < len(text) else ""
    shown = hidden_escape(char) if HIDDEN.match(char) or not char.isprintable() else char
    expected = _expected_words(allowed, parser)
    message = f"unexpected character `{shown}`; expected {expected}"
    word = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[pos:])
    if char == "'" or char in _SMART_SINGLE:
        hint = 'texts are written in straight double quotes: "like this"'
    elif char in _SMART_QUOTES:
        hint = 'texts are written in straight double quotes ("), not typographic ones'
    elif char == '"':
        hint = 'this text is not closed: end it with `"` on the same line'
    elif char in _CURRENCY_SIGNS:
        hint = f"write the currency code after the amount, like 1,000 {_CURRENCY_SIGNS[char]}"
    elif char in _LOOKALIKES:
        hint = f"write `{_LOOKALIKES[char]}` instead"
    elif char == "\t":
        hint = "tabs are allowed between words, not here"
    elif unicodedata.category(char) == "Zs":
        hint = "replace it with an ordinary space"
    elif HIDDEN.match(char) or not char.isprintable() or char.isspace():
        hint = "remove this invisible or direction-changing character"
    elif word and word.group().upper() == word.group() and is_currency(word.group()):
        hint = "a currency code follows an amount directly, like 10,000 USD"
    elif word and any(c.isupper() for c in word.group()):
        hint = (
            f"names use lowercase letters, digits and `_` (`{word.group().lower()}`); "
            "write a data column with capitals in backticks"
        )
    elif char == ";":
        hint = "a plan needs no `;`: start the next clause or declaration with its keyword"
    elif word or char.isalnum():
        hint = "names use lowercase letters a-z, digits and `_`; write other names in backticks"
    else:
        hint = f"delete `{shown}`, or put it inside a quoted text"
    return message, hint, span
