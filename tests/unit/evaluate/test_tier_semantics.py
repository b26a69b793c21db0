"""DESIGN §3 "Tiers", checked to the digit with the worked numbers it gives."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plan_doc import ledger, load

BANDS = """
tiers rates {kind}
  band at least 0 USD and below 10,000 USD: 5%
  band at least 10,000 USD: 8%
"""


def pay(kind: str, amount: str, *, rounding: str = "none") -> Decimal:
    plan = load(
        f'plan "T" version "1" currency USD period month rounding {rounding}\n'
        "measure sales = sum amount\n"
        + BANDS.format(kind=kind)
        + "commission c pays rates on sales\n"
    )
    result = plan.run(ledger(("t1", "2026-03-05", "a", amount)), period="2026-03")
    return result.statement("a").amount("c")


def test_marginal_pays_each_slice_at_its_rate() -> None:
    assert pay("marginal", "15000") == Decimal("900")  # 500 + 400


def test_retroactive_pays_the_reached_rate_on_everything() -> None:
    assert pay("retroactive", "15000") == Decimal("1200")


def test_retroactive_just_below_the_threshold_is_unrounded() -> None:
    assert str(pay("retroactive", "9999.99")) == "499.9995"


def test_rounding_only_where_the_plan_says() -> None:
    assert str(pay("retroactive", "9999.99", rounding="half_up to 0.01 on components")) == "500.00"
    assert (
        str(pay("retroactive", "9999.99", rounding="half_even to 0.01 on components")) == "500.00"
    )
    assert str(pay("retroactive", "9999.99", rounding="down to 0.01 on components")) == "499.99"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("9999.99", "499.9995"), ("10000", "800"), ("10000.01", "800.0008")],
)
def test_retroactive_threshold_is_lower_bound_inclusive(amount: str, expected: str) -> None:
    assert pay("retroactive", amount) == Decimal(expected)


def test_marginal_attainment_bands_pay_money_slices_of_the_quota() -> None:
    plan = load(
        """
        measure sales = sum amount
        quota target goal 20,000 USD per month
        tiers rates marginal
          band at least 0% and below 50%: 2%
          band at least 50% and below 100%: 4%
          band at least 100%: 10%
        commission c pays rates on sales against target
        """,
        header=True,
    )
    result = plan.run(ledger(("t1", "2026-03-05", "a", "25000")), period="2026-03")
    # 10,000 × 2% + 10,000 × 4% + 5,000 × 10% = 200 + 400 + 500
    assert result.statement("a").amount("c") == Decimal("1100.00")


def test_flat_pays_the_amount_of_the_band_reached() -> None:
    plan = load(
        """
        measure sales = sum amount
        quota target goal 10,000 USD per month
        let attainment = sales / target
        tiers steps flat
          band below 80%: 0 USD
          band at least 80% and below 100%: 250 USD
          band at least 100%: 600 USD
        bonus b pays steps at attainment
        """,
        header=True,
    )
    run = plan.run(ledger(("t1", "2026-03-05", "a", "8000")), period="2026-03")
    assert run.statement("a").amount("b") == Decimal("250.00")
    run = plan.run(ledger(("t1", "2026-03-05", "a", "7999.99")), period="2026-03")
    assert run.statement("a").amount("b") == Decimal("0.00")


def test_interpolated_moves_linearly_inside_a_band() -> None:
    plan = load(
        """
        measure sales = sum amount
        quota target goal 10,000 USD per month
        let attainment = sales / target
        tiers curve interpolated
          band below 50%: 0%
          band at least 50% and below 100%: from 25% to 100%
          band at least 100%: 100%
        bonus b pays 1,000 USD * (curve at attainment)
        """,
        header=True,
    )
    run = plan.run(ledger(("t1", "2026-03-05", "a", "7500")), period="2026-03")
    # 75% attainment: 25% + (100% − 25%) × (75 − 50)/(100 − 50) = 62.5% of 1,000
    assert run.statement("a").amount("b") == Decimal("625.00")


def test_marginal_trace_slices_add_up_to_the_amount() -> None:
    plan = load("measure sales = sum amount\n" + BANDS.format(kind="marginal")
                + "commission c pays rates on sales\n", header=True)  # fmt: skip
    line = (
        plan.run(ledger(("t1", "2026-03-05", "a", "15000")), period="2026-03")
        .statement("a")
        .lines[0]
    )
    formula = line.trace.parts[0]
    assert [p.value for p in formula.parts] == ["500.00", "400.00"]
    assert sum(Decimal(p.value or "0") for p in line.trace.parts) == line.amount


def test_each_band_slice_names_the_ledger_lines_behind_its_base() -> None:
    plan = load("measure sales = sum amount\nlet base = sales\n" + BANDS.format(kind="marginal")
                + "commission c pays rates on base\n", header=True)  # fmt: skip
    data = ledger(("t1", "2026-03-05", "a", "9000"), ("t2", "2026-03-06", "a", "6000"),
                  ("t3", "2026-03-07", "b", "100"))  # fmt: skip
    line = plan.run(data, period="2026-03").statement("a").lines[0]
    formula = line.trace.parts[0]
    # through the let to the measure: t1 and t2, never b's t3
    assert [p.lines for p in formula.parts] == [["t1", "t2"], ["t1", "t2"]]
