"""parse: every syntax error has a located diagnostic with a one-line hint that fits the mistake."""

from __future__ import annotations

import pytest

from incentives import PlanSyntaxError
from incentives.diagnostics import Diagnostic
from incentives.parse import parse

HEADER = """\
plan "Errors"
  version "1"
  currency USD
  period month
  rounding half_up to 0.01 on components

measure sales = sum amount

"""


def refusal(text: str) -> Diagnostic:
    with pytest.raises(PlanSyntaxError) as caught:
        parse(text, filename="e.plan")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.hint and "\n" not in diagnostic.hint
    assert str(diagnostic.span) in str(caught.value)
    return diagnostic


@pytest.mark.parametrize(
    ("body", "code", "line", "column", "hint"),
    [
        ("commission c\n  pays 5% of sales\n  cap at 1,000 usd\n", "E001", 11, 11,
         "currency codes are written in capitals: 1,000 USD"),
        ("commission c\n  pays 5% of sales\n  cap at 100 usd\n", "E001", 11, 14,
         "currency codes are written in capitals: 100 USD"),
        ("let goal = 1,000\n", "E001", 9, 13, "thousands separators are only allowed"),
        ("commission c\n  pays =SUM(B2:B9)\n", "E001", 10, 8, "spreadsheet formulas"),
        ("commission c\n  pays = 5% of sales\n", "E001", 10, 8, "delete the `=`"),
        ("bonus b\n  pays 1 USD\n  when 0 USD < sales < 10 USD\n", "E001", 11, 22,
         "comparisons cannot be chained"),
        ("tiers t marginal\n  band below 10 USD 5%\n", "E001", 10, 21,
         "a `:` is missing before `5%`"),
        ("comission c\n  pays 5% of sales\n", "E001", 9, 1, "did you mean `commission`?"),
        ("commission c\n  pays 5% of sales\n  cap at 1e5 USD\n", "E001", 11, 11, "exponents"),
        ("commission c\n  pays 5% of\n", "E002", 10, 13, "finish the last declaration"),
        ("commission c\n  pays (5% of sales\n", "E002", 10, 20, "close every `(` with a `)`"),
        ("commission c\n  pays 5% of sales\n  cap at $1,000\n", "E003", 11, 10,
         "write the currency code after the amount"),
        ('commission c “Sales”\n  pays 5% of sales\n', "E003", 9, 14, "straight double quotes"),
        ("commission c\n  pays 5% of sales ≥ 1\n", "E003", 10, 20, "write `>=` instead"),
        ("commission c\n  pays 5% of sales;\n", "E003", 10, 19, "needs no `;`"),
        ("holidays 2026-02-30\n", "E004", 9, 10, "a day of the calendar"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 12 else None,
)  # fmt: skip
def test_the_hint_fits_the_mistake(body: str, code: str, line: int, column: int, hint: str) -> None:
    found = refusal(HEADER + body)
    assert (found.code, found.span.line, found.span.column) == (code, line, column), found
    assert hint in (found.hint or ""), found


def test_only_a_comment_is_told_how_a_plan_starts() -> None:
    found = refusal("# TODO: write the plan\n")
    assert found.code == "E002"
    assert 'plan "Name"' in (found.hint or "")


def test_an_unknown_word_gets_a_general_hint() -> None:
    found = refusal(HEADER + "commission c\n  pays 5% of sales\n  frobnicate\n")
    assert found.code == "E001"
    assert found.hint


def test_a_token_is_quoted_with_its_hidden_characters_escaped_and_cut_short() -> None:
    found = refusal(HEADER + f'measure m = sum amount "x\x1b[2J{"y" * 100}"\n')
    assert "\x1b" not in found.message and "\\u001b[2J" in found.message
    assert "…" in found.message and len(found.message) < 300


@pytest.mark.parametrize(
    "clause",
    [
        "measure team = sum amount across reports to depth {n}",
        "quota target\n  goal 1,000 USD per month\n  ramp months 1 to {n} at 50%",
        "quota target\n  goal 1,000 USD per month\n  ramp month {n} at 50%",
        "commission c\n  pays 5% of sales\n  hold back 10% for {n} periods",
        "clawback k\n  reverses c\n  for lines where amount < 0 USD\n  matched by txn_id\n"
        "  within {n} days",
    ],
    ids=["depth", "ramp range", "ramp month", "hold periods", "clawback days"],
)
@pytest.mark.parametrize("digits", [31, 5_000])
def test_a_whole_number_of_too_many_digits_is_refused_at_the_number(
    clause: str, digits: int
) -> None:
    text = HEADER + clause.format(n="9" * digits) + "\n"
    found = refusal(text)
    assert found.code == "E004"
    assert text[found.span.start : found.span.end] == "9" * digits
    assert f"has {digits} digits; at most 30 are allowed" in found.message


def test_a_whole_number_of_thirty_digits_parses() -> None:
    parse(HEADER + "measure team = sum amount across reports to depth " + "9" * 30 + "\n")


def test_a_run_of_operators_past_the_limit_is_refused_where_it_crosses_it() -> None:
    terms = " + ".join(["1% of sales"] * 150)
    text = HEADER + "measure sales = sum amount\ncommission c pays " + terms + "\n"
    found = refusal(text)
    assert found.code == "E005" and "more than 100 `+`" in found.message
    # the 101st `+` of the line
    line = text.splitlines()[found.span.line - 1]
    assert line[: found.span.column - 1].count("+") == 100


def test_a_run_of_100_operators_or_tighter_ones_in_between_is_not_counted_as_one() -> None:
    # 60 sums of 2 products each: no run is longer than 60
    terms = " + ".join(["2 * 3 * sales"] * 60)
    parse(HEADER + "measure sales = sum amount\nlet x = " + terms + "\n")


def test_ifs_nested_past_the_limit_are_refused_before_the_rest_is_read() -> None:
    body = "if sales > 0 USD then " * 120 + "1 USD" + " else 0 USD" * 120
    found = refusal(HEADER + "measure sales = sum amount\ncommission c pays " + body + "\n")
    assert found.code == "E005"
