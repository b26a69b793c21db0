"""The minimum wage for hours worked (issue 5, item 8): topped up or flagged, checked last."""

from __future__ import annotations

from decimal import Decimal

import pytest

import incentives
from incentives.report.explain import render_explain
from incentives.report.html import render_statement_html
from incentives.report.statements_table import render_table
from plan_doc import diagnostics, ledger, load

D = Decimal


def wage_plan(rule: str = "shortfall topped up", extra: str = "", rounding: str = "half_up") -> str:
    return (
        f'plan "W" version "1" currency USD period month rounding {rounding} to 0.01 on '
        "components\n"
        "metrics\n  hours_worked: decimal\n"
        "measure sales = sum amount\n"
        "commission c\n  pays 5% of sales\n"
        f"{extra}"
        'wage floor minimum_wage "Minimum wage"\n'
        f"  at 16.00 USD per hour of hours_worked\n  {rule}\n"
    )


def hours(**by_payee: str) -> list[dict[str, object]]:
    return [
        {"payee": p, "period": "2026-03", "name": "hours_worked", "value": D(h)}
        for p, h in by_payee.items()
    ]


def statement(result: incentives.RunResult, payee: str) -> incentives.Statement:
    return next(s for s in result.statements if s.payee == payee)


def test_a_shortfall_is_topped_up_to_the_minimum() -> None:
    plan = load(wage_plan())
    data = ledger(
        ("t1", "2026-03-02", "ana", "5000"),  # 250.00 < 16 × 20 = 320.00
        ("t2", "2026-03-03", "ben", "10000"),  # 500.00 ≥ 320.00
        metrics=hours(ana="20", ben="20"),
    )
    result = plan.run(data, period="2026-03")
    ana, ben = statement(result, "ana"), statement(result, "ben")
    assert ana.amount("minimum_wage") == D("70.00")
    assert ana.total == D("320.00")
    (check,) = ana.wage_checks
    assert (check.minimum, check.paid, check.shortfall, check.outcome) == (
        D("320.00"), D("250.00"), D("70.00"), "topped_up",
    )  # fmt: skip
    assert [line.component for line in ben.lines] == ["c"]
    assert ben.wage_checks[0].outcome == "met"
    assert ben.wage_checks[0].shortfall == D("0")
    # the trace adds up to the line: minimum − paid
    trace = ana.lines[-1].trace
    assert sum(D(p.value or "0") for p in trace.parts) == D("70.00")
    assert trace.inputs == ["hours_worked"]


def test_a_flagged_shortfall_is_reported_not_paid() -> None:
    plan = load(wage_plan("shortfall flagged"))
    data = ledger(("t1", "2026-03-02", "ana", "5000"), metrics=hours(ana="20"))
    result = plan.run(data, period="2026-03")
    ana = statement(result, "ana")
    assert ana.total == D("250.00")
    assert [line.component for line in ana.lines] == ["c"]
    assert ana.wage_checks[0].outcome == "below_minimum"
    assert ana.wage_checks[0].shortfall == D("70.00")
    table = render_table(result)
    assert "below the minimum wage: ana 2026-03 `minimum_wage`: paid 250.00 of 320.00 USD" in table
    assert "BELOW THE MINIMUM" in render_explain(ana)
    assert "BELOW THE MINIMUM" in render_statement_html(result, ana)


@pytest.mark.parametrize("mode", ["half_up", "half_even", "down"])
def test_rounding_never_leaves_pay_below_the_minimum(mode: str) -> None:
    # 16.00 × 7.3333 = 117.3328; paid 0: the top-up rounds to 117.34 whatever the mode
    plan = load(wage_plan(rounding=mode))
    data = ledger(("t1", "2026-03-02", "ana", "0"), metrics=hours(ana="7.3333"))
    ana = statement(plan.run(data, period="2026-03"), "ana")
    assert ana.amount("minimum_wage") == D("117.34")
    assert ana.total >= ana.wage_checks[0].minimum
    parts = ana.lines[-1].trace.parts
    assert sum(D(p.value or "0") for p in parts) == D("117.34")
    assert parts[-1].kind == "rounding"


def test_when_limits_the_check_to_some_payees() -> None:
    plan = load(wage_plan(extra="roster fields\n  role: text\n") + '  when role = "associate"\n')
    data = ledger(
        ("t1", "2026-03-02", "ana", "1000"),
        ("t2", "2026-03-02", "max", "1000"),
        roster=[{"payee": "ana", "role": "associate"}, {"payee": "max", "role": "manager"}],
        metrics=hours(ana="20", max="20"),
    )
    result = plan.run(data, period="2026-03")
    assert statement(result, "ana").total == D("320.00")
    assert statement(result, "max").total == D("50.00")
    assert statement(result, "max").wage_checks == []


def test_the_check_comes_after_draws_and_other_balances() -> None:
    # A recovered draw takes 100 back from a payee whose commission is 400; the
    # minimum (16 × 20 = 320) then tops the 300 left up to 320.
    text = wage_plan(
        extra='draw d "Advance"\n  advance 100 USD\n  shortfall recovered\n'
        "  when period_start < 2026-03-01\n"
    ).replace("rounding half_up", "starts 2026-02-01 rounding half_up")
    plan = load(text)
    february = {"payee": "ana", "period": "2026-02", "name": "hours_worked", "value": D("0")}
    data = ledger(("t1", "2026-03-02", "ana", "8000"), metrics=[*hours(ana="20"), february])
    march = plan.run(data, period="2026-02", to="2026-03").statements[-1]
    assert march.amount("d_recovery") == D("-100.00")
    assert march.amount("minimum_wage") == D("20.00")
    assert march.total == D("320.00")


def test_missing_hours_is_a_run_time_error_not_a_pass() -> None:
    plan = load(wage_plan())
    data = ledger(("t1", "2026-03-02", "ana", "5000"))
    with pytest.raises(incentives.EvaluationError) as caught:
        plan.run(data, period="2026-03")
    assert [d.code for d in caught.value.diagnostics] == ["R704"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("wage floor w\n  at 16.00 USD per hour of hours_worked\n", "E456"),
        ("wage floor w\n  shortfall flagged\n", "E456"),
        ("wage floor w\n  at 16% per hour of hours_worked\n  shortfall flagged\n", "E456"),
        ("wage floor w\n  at 16.00 USD per hour of sales\n  shortfall flagged\n", "E456"),
        ("wage floor w\n  at 16.00 USD per hour of amount\n  shortfall flagged\n", "E105"),
        (
            "wage floor w\n  at 16.00 USD per hour of hours_worked\n  shortfall flagged\n"
            "  shortfall topped up\n",
            "E456",
        ),
    ],
)
def test_an_incomplete_or_ill_typed_wage_floor_is_refused(body: str, code: str) -> None:
    text = (
        "metrics\n  hours_worked: decimal\nmeasure sales = sum amount\n"
        "commission c\n  pays 5% of sales\n" + body
    )
    assert code in {d.code for d in diagnostics(text, header=True)}


def test_converted_and_rounded_down_pay_never_falls_below_the_minimum() -> None:
    text = wage_plan(rounding="down").replace(
        "metrics\n", "fx\n  convert at line date\n  pay in payout currency\nmetrics\n", 1
    )
    plan = load(text)
    data = ledger(
        ("t1", "2026-03-02", "ana", "5000"),  # 250.00 USD, topped up by 70.00 to 320.00
        roster=[{"payee": "ana", "payout_currency": "JPY"}],
        metrics=hours(ana="20"),
        fx=[{"date": "2026-03-31", "from": "USD", "to": "JPY", "rate": "151.237"}],
    )
    s = statement(plan.run(data, period="2026-03"), "ana")
    # 250 x 151.237 = 37,809.25 -> 37,809 and 70 x 151.237 = 10,586.59 -> 10,586 (down):
    # 48,395 JPY, below the minimum 320 x 151.237 = 48,395.84; the top-up pays 1 more
    assert s.currency == "JPY"
    assert s.amount("c") == D("37809")
    assert s.amount("minimum_wage") == D("10587")
    assert s.total == D("48396")
    wage = next(line for line in s.lines if line.component == "minimum_wage")
    assert D(wage.trace.value or "") == wage.amount
    assert sum((D(p.value or "") for p in wage.trace.parts), D(0)) == wage.amount
