"""parse: a keyword ends at a word boundary; a word is never read as two."""

from __future__ import annotations

import pytest

from incentives import PlanSyntaxError
from incentives.ast import nodes as n
from incentives.diagnostics import Diagnostic
from incentives.parse import parse

HEADER = """\
plan "Words"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

"""


def refusal(text: str) -> Diagnostic:
    with pytest.raises(PlanSyntaxError) as caught:
        parse(text)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.hint
    return diagnostic


def test_a_keyword_glued_to_a_name_is_one_unknown_word() -> None:
    found = refusal(HEADER + "measuresales = sum amount\n")
    assert (found.code, found.span.line, found.span.column) == ("E001", 7, 1)
    assert "`measuresales`" in found.message
    assert found.hint == "put a space after `measure`: `measure sales`"


def test_a_field_list_does_not_split_a_word() -> None:
    found = refusal(HEADER + "roster fieldsfte: decimal\n")
    assert (found.code, found.span.line, found.span.column) == ("E001", 7, 8)


@pytest.mark.parametrize(
    ("text", "column", "word"),
    [
        ("measure sales = sum amount\nlet a = 5of sales\n", 9, "5of"),
        ("holidays 2026-01-01and\n", 10, "2026-01-01and"),
    ],
)
def test_two_tokens_in_one_word_are_refused(text: str, column: int, word: str) -> None:
    found = refusal(HEADER + text)
    assert found.code == "E001" and found.span.column == column
    assert f"`{word}` runs two words together" == found.message


def test_a_currency_code_glued_to_a_name_is_refused() -> None:
    found = refusal(HEADER + "measure sales = sum amount\nlet a = salesUSD\n")
    assert (found.code, found.span.line, found.span.column) == ("E001", 8, 14)
    assert found.hint == "put a space before `USD`"


def test_currency_glued_to_its_keyword_is_refused() -> None:
    found = refusal('plan "x"\n  currencyUSD\n')
    assert (found.span.line, found.span.column) == (2, 3)
    assert found.hint == "put a space between `currency` and `USD`"


def test_words_separated_by_punctuation_still_parse() -> None:
    plan = parse(
        HEADER + "measure sales = sum amount\n"
        "commission c pays min(5%of sales,100 USD)\n"
        "tiers t marginal\n  band below 10 USD:1%\n  band at least 10 USD:2%\n"
    )
    assert [type(d) for d in plan.declarations] == [n.MeasureDecl, n.ComponentDecl, n.TiersDecl]


def test_a_keyword_used_as_a_name_is_still_read_as_a_name_where_one_is_expected() -> None:
    # The checker refuses it (E103) with a better message than the parser could.
    plan = parse(HEADER + "measure total = sum amount\n")
    (measure,) = plan.declarations
    assert isinstance(measure, n.MeasureDecl) and measure.name.text == "total"


def test_an_unexpected_keyword_is_called_a_word() -> None:
    found = refusal(HEADER + "measure sales = sum amount\ncommission c pays 5% total at 1\n")
    assert found.message.startswith("unexpected word `at`; expected ")
