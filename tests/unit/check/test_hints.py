"""Every name and type error says what to do, in one line (docs/robustness.md)."""

from __future__ import annotations

import pytest

from incentives.check.header import currency_hint
from plan_doc import diagnostics

HEADER = (
    'plan "T" version "1" currency EUR period month rounding half_up to 0.01 on components\n'
    "ledger columns\n  region: text\n  units: count\n"
    "roster fields\n  grade: decimal\n"
    "measure sales = sum amount\n"
)

#: A plan body → the code it must produce.
BROKEN = {
    "commission c pays 5% of xyzzy\n": "E101",
    "commission c pays 5% of sales\n  when qqqq > 1\n": "E101",
    "tiers t marginal\n  band at least 0 EUR: 5%\ncommission c pays nope on sales\n": "E101",
    "measure m = sum amount across group nosuch\ncommission c pays 5% of m\n": "E101",
    "multiplier m multiplies ghost by 110%\ncommission c pays 5% of sales\n": "E101",
    "commission c pays sales * sales\n": "E201",
    "commission c pays - region\n": "E201",
    "commission c pays sales of 5%\n": "E201",
    "commission c pays 5% of sales + 3\n": "E201",
    "commission c pays 5% of sales\n  when sales > 1000\n": "E203",
    'commission c pays 5% of sales\n  when grade = "A"\n': "E203",
    "commission c pays 5% of sales\n  when sales\n": "E204",
    "commission c pays 5% of sales\n  when not sales\n": "E204",
    "commission c pays 5% of sales\n  when grade and grade\n": "E204",
    "commission c pays if sales then 1 EUR else 0 EUR\n": "E204",
    "measure m = sum amount where units\ncommission c pays 5% of m\n": "E204",
    "commission c pays clamp(sales, 0 EUR)\n": "E206",
    "commission c pays min(sales, 5%)\n": "E206",
    "commission c pays 5%\n": "E205",
    'commission c pays "text"\n': "E205",
}


@pytest.mark.parametrize("body", list(BROKEN), ids=list(BROKEN.values()))
def test_each_finding_has_a_one_line_hint(body: str) -> None:
    found = diagnostics(HEADER + body)
    assert BROKEN[body] in {d.code for d in found}, found
    for diagnostic in found:
        assert diagnostic.hint and diagnostic.hint.strip(), diagnostic
        assert "\n" not in diagnostic.hint


def _hint(body: str, code: str) -> str:
    found = [d for d in diagnostics(HEADER + body) if d.code == code]
    assert found, diagnostics(HEADER + body)
    return found[0].hint or ""


def test_an_unknown_name_close_to_a_declared_one_is_suggested() -> None:
    assert _hint("commission c pays 5% of sale\n", "E101") == "did you mean `sales`?"


def test_an_unknown_name_like_nothing_says_how_to_declare_it() -> None:
    hint = _hint("commission c pays 5% of xyzzy\n", "E101")
    assert "declare `xyzzy`" in hint and "measure" in hint


def test_an_unknown_roster_field_says_where_to_declare_it() -> None:
    hint = _hint("measure m = sum amount across group nosuch\ncommission c pays 5% of m\n", "E101")
    assert "roster fields" in hint


def test_comparing_an_amount_with_a_number_shows_the_plan_currency() -> None:
    hint = _hint("commission c pays 5% of sales\n  when sales > 1000\n", "E203")
    assert hint == "write the number as an amount with its currency, like `1,000 EUR`"


def test_a_condition_hint_shows_a_comparison() -> None:
    hint = _hint("commission c pays 5% of sales\n  when sales\n", "E204")
    assert hint == "compare it with something, like `sales >= 1,000 EUR`"


ANY_CODE = "use the ISO 4217 code of a currency: three capital letters, like USD, EUR or JPY"


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("usd", "currency codes are written in capitals: `USD`"),
        ("Eur", "currency codes are written in capitals: `EUR`"),
        ("USF", "did you mean `USD`?"),
        ("JYP", "did you mean `JPY`?"),
        ("EUD", "did you mean `EUR`?"),
        ("GBR", "did you mean `GBP`?"),
        ("XYZ", ANY_CODE),
        ("DOLLARS", ANY_CODE),
    ],
)
def test_an_unknown_currency_gets_the_nearest_real_code(code: str, hint: str) -> None:
    assert currency_hint(code) == hint


def test_an_unknown_currency_in_the_header_has_a_hint() -> None:
    found = diagnostics(
        'plan "T" version "1" currency USF period month rounding half_up to 0.01 on components\n'
        "measure sales = sum amount\ncommission c pays 5% of sales\n"
    )
    (e104,) = [d for d in found if d.code == "E104"]
    assert e104.hint == "did you mean `USD`?"
