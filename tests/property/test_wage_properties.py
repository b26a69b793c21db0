"""The minimum wage for hours worked (INVARIANTS 13, 22): a topped-up floor never
leaves pay below rate × hours and adds nothing when pay is above it; a flagged
floor never changes pay; the trace of a top-up adds up to it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import incentives

PLAN = """\
plan "W" version "1" currency USD period month rounding {mode} to {unit} on components
metrics
  hours_worked: decimal
measure sales = sum amount
commission c
  pays {rate} of sales
wage floor w
  at {hourly} USD per hour of hours_worked
  shortfall {rule}
"""

cents = st.integers(0, 5_000_000).map(lambda c: Decimal(c).scaleb(-2))
hours = st.integers(0, 20_000).map(lambda q: Decimal(q).scaleb(-2))  # to 0.01 h
hourly = st.integers(100, 10_000).map(lambda c: Decimal(c).scaleb(-2))
rates = st.integers(0, 2_000).map(lambda b: Decimal(b).scaleb(-2))  # 0%–20%, to 0.01%
modes = st.sampled_from(["half_up", "half_even", "down", "up"])
units = st.sampled_from(["0.01", "0.05", "1"])


def run(text: str, sold: Decimal, worked: Decimal) -> incentives.Statement:
    plan = incentives.load_plan(text, filename="w.plan")
    data = incentives.Dataset.from_records(
        ledger=[{"txn_id": "t1", "date": date(2026, 3, 2), "payee": "a", "amount": sold,
                 "currency": "USD"}],
        roster=[{"payee": "a"}],
        metrics=[{"payee": "a", "period": "2026-03", "name": "hours_worked", "value": worked}],
    )  # fmt: skip
    (statement,) = plan.run(data, period="2026-03").statements
    return statement


@given(cents, hours, hourly, rates, modes, units)
def test_a_topped_up_floor_pays_at_least_the_minimum_and_no_more_than_needed(
    sold: Decimal, worked: Decimal, per_hour: Decimal, rate: Decimal, mode: str, unit: str
) -> None:
    text = PLAN.format(mode=mode, unit=unit, rate=f"{rate}%", hourly=per_hour, rule="topped up")
    s = run(text, sold, worked)
    minimum = per_hour * worked
    commission = s.amount("c")
    top_up = s.amount("w")
    assert s.total == commission + top_up
    assert s.total >= minimum
    if commission >= minimum:
        assert top_up == 0
    else:
        # the smallest amount on the unit's grid that reaches the minimum
        assert top_up - Decimal(unit) < minimum - commission <= top_up
        parts = s.lines[-1].trace.parts
        assert sum(Decimal(p.value or "0") for p in parts) == top_up
    (check,) = s.wage_checks
    assert check.minimum == minimum
    assert check.shortfall == max(minimum - commission, Decimal(0))


@given(cents, hours, hourly, rates)
def test_a_flagged_floor_never_changes_pay(
    sold: Decimal, worked: Decimal, per_hour: Decimal, rate: Decimal
) -> None:
    text = PLAN.format(mode="half_up", unit="0.01", rate=f"{rate}%", hourly=per_hour,
                       rule="flagged")  # fmt: skip
    s = run(text, sold, worked)
    assert [line.component for line in s.lines] == ["c"]
    assert s.total == s.amount("c")
    (check,) = s.wage_checks
    expected = "below_minimum" if s.total < per_hour * worked else "met"
    assert check.outcome == expected
