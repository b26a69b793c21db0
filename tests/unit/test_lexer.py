"""The Pygments lexer for ``.plan``: every bundled and documented plan lexes cleanly."""

from __future__ import annotations

import re
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from incentives.lexer import KEYWORDS, PlanLexer, grammar_keywords
from incentives.parse.parser import _parser, grammar_text
from incentives.parse.syntax_errors import keywords

ROOT = Path(__file__).resolve().parents[2]
PLANS = sorted((ROOT / "plans").glob("*.plan"))
FENCE = re.compile(r"```plan(?:-fragment)?\n(.*?)```", re.DOTALL)


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(t, v) for t, v in PlanLexer().get_tokens(text) if t is not Whitespace]


def test_the_keywords_are_the_grammars() -> None:
    assert keywords(_parser()) == KEYWORDS
    assert grammar_keywords(grammar_text()) == KEYWORDS


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_every_bundled_plan_lexes_without_errors(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = list(PlanLexer().get_tokens(text))
    assert [v for t, v in found if t is Error] == []
    expected = text if text.endswith("\n") else text + "\n"
    assert "".join(v for _, v in found) == expected


def test_every_plan_in_the_docs_lexes_without_errors() -> None:
    blocks = [
        block
        for doc in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
        for block in FENCE.findall(doc.read_text(encoding="utf-8"))
    ]
    assert len(blocks) > 10
    for block in blocks:
        assert [v for t, v in PlanLexer().get_tokens(block) if t is Error] == [], block


def test_token_types() -> None:
    text = """\
# Field sales
plan "Field sales" currency USD
ledger columns
  `line`: text
let attainment = sales / target
tiers rates marginal
  band at least 10,000 USD and below 1,250.50 USD: 5%
commission c pays rates on sales against target when not x in ["a"] and y >= 12.5% or z
example "E" period "2026-03" line t1 2026-03-02 alex: 22,550.00 USD
  expect alex total: true
let r = round(min(1.5, 40), 0.01, half_up)
"""
    found = tokens(text)
    assert found[0] == (Comment.Single, "# Field sales")
    assert (Keyword.Declaration, "plan") in found
    assert (String.Double, '"Field sales"') in found
    assert (Keyword, "currency") in found
    assert (Name.Constant, "USD") in found
    assert (Name.Variable, "`line`") in found
    assert (Keyword.Type, "text") in found
    assert (Name, "attainment") in found
    assert (Operator, "/") in found
    assert (Operator, ">=") in found
    assert (Operator.Word, "not") in found
    assert (Operator.Word, "in") in found
    assert (Keyword, "marginal") in found
    assert (Keyword, "least") in found
    # money: the amount, then its currency code
    i = found.index((Number, "10,000"))
    assert found[i + 1] == (Name.Constant, "USD")
    assert (Number, "1,250.50") in found
    assert (Number, "22,550.00") in found
    assert (Number, "5%") in found
    assert (Number, "12.5%") in found
    assert (Literal.Date, "2026-03-02") in found
    assert (Punctuation, ":") in found
    assert (Punctuation, "[") in found
    assert (Keyword.Constant, "true") in found
    assert (Name.Builtin, "round") in found
    assert (Name.Builtin, "min") in found
    assert (Number, "1.5") in found
    assert (Number, "40") in found
    assert (Keyword, "half_up") in found
    assert not [v for t, v in found if t is Error]


def test_names_that_contain_keywords_are_names() -> None:
    assert tokens("sales_commission total_cap q1_goal lines_x") == [
        (Name, "sales_commission"),
        (Name, "total_cap"),
        (Name, "q1_goal"),
        (Name, "lines_x"),
    ]


def test_a_list_of_numbers_is_not_money() -> None:
    assert tokens("[100,200]") == [
        (Punctuation, "["),
        (Number, "100"),
        (Punctuation, ","),
        (Number, "200"),
        (Punctuation, "]"),
    ]


def test_text_outside_the_language_is_an_error() -> None:
    assert any(t is Error for t, _ in PlanLexer().get_tokens("let x = 1 ; Sales"))


def test_registered_by_entry_point_in_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["pygments.lexers"]["plan"]
    module, _, name = target.partition(":")
    assert getattr(import_module(module), name) is PlanLexer
    assert PlanLexer.name == "Plan"
    assert PlanLexer.aliases == ["plan"]
    assert PlanLexer.filenames == ["*.plan"]


def test_highlighting_is_deterministic() -> None:
    text = (ROOT / "plans" / "tiered_marginal.plan").read_text(encoding="utf-8")
    first = highlight(text, PlanLexer(), HtmlFormatter())
    assert first == highlight(text, PlanLexer(), HtmlFormatter())
    assert '<span class="kd">plan</span>' in first


def test_a_comment_ends_at_a_lone_cr_as_in_the_parser() -> None:
    # A plan saved with old Mac line ends: the bonus after the comment is code.
    found = tokens("commission c  # five percent\r  pays 5% of sales\rbonus b\r")
    assert (Comment.Single, "# five percent") in found
    assert (Keyword.Declaration, "bonus") in found


def test_a_keyword_glued_to_a_name_is_one_name_as_in_the_parser() -> None:
    assert tokens("measuresales fieldsfte") == [(Name, "measuresales"), (Name, "fieldsfte")]
