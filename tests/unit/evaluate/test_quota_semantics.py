"""DESIGN §3 "Periods, quotas, proration": splits, FTE, days active, ramps."""

from __future__ import annotations

from decimal import Decimal

import pytest

import incentives
from plan_doc import ledger, load

PLAN = """
measure sales = sum amount
quota target
  goal from quotas per quarter
  {clauses}
let attainment = sales / target
commission c pays 1% of sales
"""


def target(clauses: str, period: str, roster: dict[str, object] | None = None,
           quota: str = "90000", header: str | None = None) -> str:  # fmt: skip
    text = PLAN.format(clauses=clauses)
    if header:
        text = header + text
    plan = load(text, header=header is None)
    data = ledger(
        ("t1", plan.period(period).start.isoformat(), "a", "100"),
        roster=[{"payee": "a", **(roster or {})}],
        quotas=[
            {"payee": "a", "period": q, "amount": Decimal(quota), "currency": "USD"}
            for q in ("2026-Q1", "2026-Q2")
        ],
    )
    statement = plan.run(data, period=period).statement("a")
    value = statement.values["target"].value
    assert value is not None
    return value


def test_quarterly_goal_split_evenly_is_exact() -> None:
    assert Decimal(target("split evenly", "2026-02")) == Decimal("30000")


def test_weights_follow_the_month_inside_the_quarter() -> None:
    weights = "split by weights 30%, 30%, 40%"
    assert Decimal(target(weights, "2026-01")) == Decimal("27000")
    assert Decimal(target(weights, "2026-03")) == Decimal("36000")
    assert Decimal(target(weights, "2026-04")) == Decimal("27000")


def test_calendar_days_split() -> None:
    # Q1 2026 has 90 days; February has 28.
    assert Decimal(target("split by calendar days", "2026-02")) == Decimal("28000")


def test_working_days_split() -> None:
    # Q1 2026: 64 weekdays; March 2026: 22 weekdays.
    expected = Decimal(90000) * 22 / 64
    assert Decimal(target("split by working days", "2026-03")) == expected


def test_fte_proration() -> None:
    value = target("split evenly prorate by fte", "2026-02", {"fte": Decimal("0.5")})
    assert Decimal(value) == Decimal("15000")


def test_days_active_proration_hired_on_day_11_of_a_30_day_month() -> None:
    # April has 30 days; hired on the 11th → 20 active days.
    value = target("split evenly prorate by days active", "2026-04",
                   {"start_date": "2026-04-11"})  # fmt: skip
    assert Decimal(value) * 30 == Decimal(30000) * 20


def test_fte_and_days_active_together() -> None:
    value = target("split evenly prorate by fte and days active", "2026-04",
                   {"start_date": "2026-04-11", "fte": Decimal("0.5")})  # fmt: skip
    assert Decimal(value) * 30 == Decimal(15000) * 20


@pytest.mark.parametrize(("period", "factor"), [("2026-01", "0.5"), ("2026-02", "0.5"),
                                                ("2026-03", "0.75"), ("2026-05", "1")])  # fmt: skip
def test_ramp_by_tenure_month(period: str, factor: str) -> None:
    value = target("split evenly ramp months 1 to 2 at 50%, month 3 at 75%", period,
                   {"start_date": "2026-01-20"})  # fmt: skip
    assert Decimal(value) == Decimal(30000) * Decimal(factor)


def test_missing_quota_row_names_payee_and_period() -> None:
    plan = load(PLAN.format(clauses="split evenly"), header=True)
    data = ledger(("t1", "2026-02-03", "a", "100"), quotas=[])
    with pytest.raises(incentives.EvaluationError) as caught:
        plan.run(data, period="2026-02")
    (d,) = caught.value.diagnostics
    assert d.code == "R701"
    assert "`a`" in d.message and "2026-Q1" in d.message


def test_missing_quota_hint_says_which_row_to_add() -> None:
    plan = load(PLAN.format(clauses="split evenly"), header=True)
    data = ledger(("t1", "2026-02-03", "a", "100"), quotas=[])
    with pytest.raises(incentives.EvaluationError) as caught:
        plan.run(data, period="2026-02")
    (d,) = caught.value.diagnostics
    assert d.hint == "add a row `a,2026-Q1,<amount>,<currency>` to quotas.csv"


@pytest.mark.parametrize(("period", "goal"), [("9999-W51", "9999-12"), ("0001-W02", "0001-01")])
def test_the_goal_of_the_calendars_first_or_last_month_can_be_given(period: str, goal: str) -> None:
    # A weekly plan whose goal is per month: the week needs the goal of the
    # calendar's first or last month, which a quotas row names like any other.
    text = PLAN.replace("per quarter", "per month").format(clauses="split by calendar days")
    header = (
        'plan "W" version "1" currency USD period week rounding half_up to 0.01 on components\n'
    )
    plan = load(header + text, header=False)
    day = plan.period(period).start.isoformat()
    data = ledger(("t1", day, "a", "100"), quotas=[])
    with pytest.raises(incentives.EvaluationError) as caught:
        plan.run(data, period=period)
    (d,) = caught.value.diagnostics
    assert d.code == "R701" and goal in d.message
    assert d.hint == f"add a row `a,{goal},<amount>,<currency>` to quotas.csv"
    given = ledger(
        ("t1", day, "a", "100"),
        quotas=[{"payee": "a", "period": goal, "amount": Decimal(3100), "currency": "USD"}],
    )
    # 3,100 over the month's 31 days: 700 for the week's 7
    assert plan.run(given, period=period).statement("a").values["target"].value == "700"


def test_zero_quota_is_an_error_not_a_silent_division() -> None:
    plan = load(PLAN.format(clauses="split evenly"), header=True)
    data = ledger(
        ("t1", "2026-02-03", "a", "100"),
        quotas=[{"payee": "a", "period": "2026-Q1", "amount": Decimal("0"), "currency": "USD"}],
    )
    with pytest.raises(incentives.EvaluationError) as caught:
        plan.run(data, period="2026-02")
    assert [d.code for d in caught.value.diagnostics] == ["R702"]
    assert "attainment" in caught.value.diagnostics[0].message


def test_weekly_plan_monthly_goal_by_working_days() -> None:
    header = (
        'plan "W" version "1" currency USD period week rounding half_up to 0.01 on components\n'
    )
    text = """
    measure sales = sum amount
    quota target
      goal from quotas per month
      split by working days
    commission c pays 1% of sales
    """
    plan = load(header + text)
    data = ledger(
        ("t1", "2026-03-31", "a", "100"),
        quotas=[
            {"payee": "a", "period": "2026-03", "amount": Decimal("22000"), "currency": "USD"},
            {"payee": "a", "period": "2026-04", "amount": Decimal("22000"), "currency": "USD"},
        ],
    )
    statement = plan.run(data, period="2026-W14").statement("a")
    # ISO week 14 of 2026: Mon 30 Mar – Sun 5 Apr. March has 22 weekdays (2 in this
    # week: 30, 31), April has 22 weekdays (3 in this week: 1, 2, 3).
    value = Decimal(statement.values["target"].value or "0")
    assert value == Decimal(22000) * 2 / 22 + Decimal(22000) * 3 / 22
