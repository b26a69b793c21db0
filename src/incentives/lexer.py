"""A Pygments lexer for ``.plan`` files, for documentation and ``incentives doc``.

Contract: :class:`PlanLexer` (name ``Plan``, alias ``plan``, files
``*.plan``) splits any text the plan grammar (``grammars/plan.lark``)
accepts into tokens without an ``Error`` token, and gives:

============================================== ===============================
text                                           token type
============================================== ===============================
``# …`` to the end of the line (LF, CR)        ``Comment.Single``
declarations (``plan``, ``measure``, …)        ``Keyword.Declaration``
column types (``money``, ``count``, …)         ``Keyword.Type``
``true``, ``false``                            ``Keyword.Constant``
``and``, ``or``, ``not``, ``in``, ``of``       ``Operator.Word``
``min``, ``max``, ``clamp``, ``abs``, ``round`` ``Name.Builtin``
every other keyword of the grammar             ``Keyword``
``10,000 USD``                                 ``Number`` ``Whitespace`` ``Name.Constant``
``5%``, ``12.5%``                              ``Number``
``2026-03-31``                                 ``Literal.Date``
``1.5``, ``40``                                ``Number``
``"text"``                                     ``String.Double``
names, `` `quoted names` ``                    ``Name``, ``Name.Variable``
a currency code alone (``currency USD``)       ``Name.Constant``
``= != < <= > >= + - * /``                     ``Operator``
``: , ( ) [ ]``                                ``Punctuation``
============================================== ===============================

The keywords are read from the grammar's text when this module is imported
(every word its rules quote), so a keyword added to ``plan.lark`` is
highlighted without a change here, and highlighting never builds the Lark
parser; ``tests/unit/test_lexer.py`` checks the list against the parser's
own keywords. The four keywords that are also column names (``date``,
``payee``, ``currency``, ``fte``) are keywords here too: a lexer cannot tell
the column from the keyword, and a keyword colour reads well in both places.
Keywords the table above does not place are ``Keyword``.

pyproject.toml registers the lexer with Pygments through the entry point
``pygments.lexers: plan = "incentives.lexer:PlanLexer"``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, words  # type: ignore[import-untyped]
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

from incentives.parse.parser import grammar_text

__all__ = ["KEYWORDS", "PlanLexer", "grammar_keywords"]

_DECLARATIONS = frozenset({
    "plan", "ledger", "roster", "metrics", "holidays", "let", "measure", "quota",
    "tiers", "rate", "commission", "bonus", "spiff", "multiplier", "total", "example",
    "crediting", "fx",
})  # fmt: skip
_TYPES = frozenset({"money", "decimal", "count", "percent", "text", "bool", "date"})
_CONSTANTS = frozenset({"true", "false"})
_WORD_OPERATORS = frozenset({"and", "or", "not", "in", "of"})
_BUILTINS = frozenset({"min", "max", "clamp", "abs", "round"})

_COMMENT = re.compile(r"//[^\n]*")
_QUOTED_WORD = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')


def grammar_keywords(grammar: str) -> frozenset[str]:
    """The words a Lark grammar's rules quote: its keywords.

    >>> sorted(grammar_keywords('start: "plan" NAME // "not" a keyword\\nNAME: /[a-z]+/'))
    ['plan']
    """
    return frozenset(_QUOTED_WORD.findall(_COMMENT.sub("", grammar)))


#: Every keyword of the plan grammar, read from ``plan.lark`` when this module loads.
KEYWORDS: frozenset[str] = grammar_keywords(grammar_text())
_OTHER = KEYWORDS - _DECLARATIONS - _TYPES - _CONSTANTS - _WORD_OPERATORS - _BUILTINS

_WORD_END = r"(?![A-Za-z0-9_])"


def _keywords(names: frozenset[str]) -> str:
    found = sorted(names & KEYWORDS)
    return str(words(found, prefix=r"(?<![A-Za-z0-9_])", suffix=_WORD_END).get())


class PlanLexer(RegexLexer):  # type: ignore[misc]
    """Highlights the ``.plan`` language of incentives."""

    name = "Plan"
    aliases: ClassVar[list[str]] = ["plan"]
    filenames: ClassVar[list[str]] = ["*.plan"]
    mimetypes: ClassVar[list[str]] = ["text/x-incentives-plan"]

    tokens: ClassVar[dict[str, list[tuple[str, object]]]] = {
        "root": [
            (r"[ \t\r\n]+", Whitespace),
            (r"#[^\r\n]*", Comment.Single),
            (r'"(?:[^"\\\r\n]|\\["\\])*"', String.Double),
            (r"`[^`\r\n]+`", Name.Variable),
            (r"\d{4}-\d{2}-\d{2}" + _WORD_END, Literal.Date),
            (
                r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([ \t]*)([A-Z]{3})" + _WORD_END,
                bygroups(Number, Whitespace, Name.Constant),
            ),
            (r"\d+(?:\.\d+)?%", Number),
            (r"\d+(?:\.\d+)?", Number),
            (r"[A-Z]{3}" + _WORD_END, Name.Constant),
            (_keywords(_DECLARATIONS), Keyword.Declaration),
            (_keywords(_TYPES), Keyword.Type),
            (_keywords(_CONSTANTS), Keyword.Constant),
            (_keywords(_WORD_OPERATORS), Operator.Word),
            (_keywords(_BUILTINS), Name.Builtin),
            (_keywords(_OTHER), Keyword),
            (r"[a-z_][a-z0-9_]*", Name),
            (r"!=|<=|>=|[=<>+\-*/]", Operator),
            (r"[:,()\[\]]", Punctuation),
        ],
    }
