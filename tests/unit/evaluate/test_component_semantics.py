"""Components: payment → when → gate → cap → floor → rounding; totals and lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

import incentives
from plan_doc import ledger, plan_doc


def run(plan: incentives.Plan, *rows: tuple[str, ...], **tables: object) -> incentives.Statement:
    result = plan.run(ledger(*rows, **tables), period="2026-03")  # type: ignore[arg-type]
    return result.statement("a")


@plan_doc(header=True)
def test_gate_nothing_below(plan: incentives.Plan) -> None:
    """
    measure sales = sum amount
    commission c
      pays 4% of sales
      gate at 5,000 USD, nothing below
    """
    assert run(plan, ("t1", "2026-03-02", "a", "4999.99")).amount("c") == Decimal("0.00")
    assert run(plan, ("t1", "2026-03-02", "a", "5000")).amount("c") == Decimal("200.00")


@plan_doc(header=True)
def test_gate_excess_only_with_a_rate(plan: incentives.Plan) -> None:
    """
    measure sales = sum amount
    commission c
      pays 4% of sales
      gate at 5,000 USD, excess only
    """
    assert run(plan, ("t1", "2026-03-02", "a", "4000")).amount("c") == Decimal("0.00")
    assert run(plan, ("t1", "2026-03-02", "a", "8000")).amount("c") == Decimal("120.00")


@plan_doc(header=True)
def test_gate_excess_only_with_marginal_tiers(plan: incentives.Plan) -> None:
    """
    measure sales = sum amount
    tiers rates marginal
      band at least 0 USD and below 10,000 USD: 5%
      band at least 10,000 USD: 8%
    commission c
      pays rates on sales
      gate at 6,000 USD, excess only
    """
    # slices above 6,000: 4,000 × 5% + 5,000 × 8% = 200 + 400
    assert run(plan, ("t1", "2026-03-02", "a", "15000")).amount("c") == Decimal("600.00")


@plan_doc(header=True)
def test_when_cap_floor_order(plan: incentives.Plan) -> None:
    """
    measure sales = sum amount
    measure deals = count
    commission c
      pays 10% of sales
      when deals >= 2
      cap at 500 USD
    bonus minimum
      pays 0 USD
      floor at 50 USD
    """
    one = run(plan, ("t1", "2026-03-02", "a", "9000"))
    assert one.amount("c") == Decimal("0.00")
    assert one.amount("minimum") == Decimal("50.00")
    two = run(plan, ("t1", "2026-03-02", "a", "9000"), ("t2", "2026-03-03", "a", "1"))
    assert two.amount("c") == Decimal("500.00")
    kinds = [p.kind for p in two.lines[0].trace.parts]
    assert kinds == ["formula", "cap"]


@plan_doc(header=True)
def test_multiplier_is_its_own_line(plan: incentives.Plan) -> None:
    """
    metrics csat: decimal
    measure sales = sum amount
    commission c pays 5% of sales
    bonus b pays 100 USD
    multiplier kicker
      multiplies c, b by if csat >= 4.5 then 110% else 100%
    """
    metrics = [{"payee": "a", "period": "2026-03", "name": "csat", "value": Decimal("4.6")}]
    statement = run(plan, ("t1", "2026-03-02", "a", "1000"), metrics=metrics)
    # (50 + 100) × 10%
    assert statement.amount("kicker") == Decimal("15.00")
    assert statement.total == Decimal("165.00")


@plan_doc(header=True)
def test_missing_metric_without_default_is_an_error(plan: incentives.Plan) -> None:
    """
    metrics csat: decimal
    measure sales = sum amount
    commission c pays 5% of sales when csat > 3
    """
    with pytest.raises(incentives.EvaluationError) as caught:
        run(plan, ("t1", "2026-03-02", "a", "1000"))
    assert [d.code for d in caught.value.diagnostics] == ["R704"]


@plan_doc(header=True)
def test_metric_default(plan: incentives.Plan) -> None:
    """
    metrics csat: decimal default 5
    measure sales = sum amount
    commission c pays 5% of sales when csat > 3
    """
    assert run(plan, ("t1", "2026-03-02", "a", "1000")).amount("c") == Decimal("50.00")


@plan_doc(header=True)
def test_spiff_per_unit_and_per_line(plan: incentives.Plan) -> None:
    """
    ledger columns
      units: count
      product: text
    spiff warranty pays 5 USD per unit of units where product = "warranty"
    spiff big pays 20 USD per line where amount >= 1,000 USD
    """
    statement = run(
        plan,
        ("t1", "2026-03-02", "a", "1500", {"units": 3, "product": "warranty"}),
        ("t2", "2026-03-03", "a", "200", {"units": 2, "product": "warranty"}),
        ("t3", "2026-03-04", "a", "2000", {"units": 1, "product": "tv"}),
    )
    assert statement.amount("warranty") == Decimal("25.00")
    assert statement.amount("big") == Decimal("40.00")
    lines = [p.lines for p in statement.lines[0].trace.parts[0].parts]
    assert lines == [["t1"], ["t2"]]


@plan_doc(header=True)
def test_rate_table_per_line_with_cap_and_margin_base(plan: incentives.Plan) -> None:
    """
    ledger columns
      product: text
      region: text
      cost: money
    rate table rates by product, region
      "hardware", "east": 5%
      "hardware", "west": 4%
      "software", any: 10%
    commission c
      pays rates of (amount - cost) per line
      cap per line at 150 USD
    """
    statement = run(
        plan,
        ("t1", "2026-03-02", "a", "1000", {"product": "hardware", "region": "east", "cost": 400}),
        ("t2", "2026-03-03", "a", "5000", {"product": "software", "region": "west", "cost": 0}),
    )
    # t1: 5% × 600 = 30; t2: 10% × 5,000 = 500, capped per line at 150
    assert statement.amount("c") == Decimal("180.00")


@plan_doc(header=True)
def test_rate_table_without_a_match_names_the_line(plan: incentives.Plan) -> None:
    """
    ledger columns
      product: text
    rate table rates by product
      "hardware": 5%
    commission c pays rates of amount per line
    """
    with pytest.raises(incentives.EvaluationError) as caught:
        run(plan, ("t9", "2026-03-02", "a", "100", {"product": "toys"}))
    (d,) = caught.value.diagnostics
    assert d.code == "R705" and "t9" in d.message and "toys" in d.message


@plan_doc(header=True)
def test_total_cap_and_floor_are_adjustment_lines(plan: incentives.Plan) -> None:
    """
    measure sales = sum amount
    commission c pays 10% of sales
    total
      cap at 1,000 USD
      floor at 100 USD
    """
    high = run(plan, ("t1", "2026-03-02", "a", "25000"))
    assert [(line.component, line.amount) for line in high.lines] == [
        ("c", Decimal("2500.00")),
        ("total_cap", Decimal("-1500.00")),
    ]
    assert high.total == Decimal("1000.00")
    low = run(plan, ("t1", "2026-03-02", "a", "500"))
    assert low.total == Decimal("100.00")


@plan_doc(header=True)
def test_to_date_measure(plan: incentives.Plan) -> None:
    """
    measure qtd = sum amount over quarter to date
    measure sales = sum amount
    bonus b pays 100 USD when qtd >= 10,000 USD
    commission c pays 1% of sales
    """
    statement = run(
        plan,
        ("t1", "2026-01-10", "a", "6000"),
        ("t2", "2026-03-02", "a", "5000"),
        ("t3", "2025-12-31", "a", "9000"),
    )
    assert statement.amount("b") == Decimal("100.00")
    assert statement.amount("c") == Decimal("50.00")


@plan_doc(header=True)
def test_row_accounting_and_eligibility(plan: incentives.Plan) -> None:
    """
    measure sales = sum amount
    commission c pays 1% of sales
    """
    data = ledger(
        ("t1", "2026-03-02", "a", "100"),
        ("t2", "2026-02-02", "a", "100"),
        ("t3", "2026-03-02", "other", "100"),
        ("t4", "2026-03-30", "late", "100"),
        roster=[
            {"payee": "a"},
            {"payee": "other", "plan": "Another plan"},
            {"payee": "late", "end_date": "2026-03-15"},
        ],
    )
    result = plan.run(data, period="2026-03")
    assert result.rows.read == 4
    assert result.rows.credited == 1
    assert sum(result.rows.excluded.values()) == 3
    assert [s.payee for s in result.statements] == ["a", "late"]
