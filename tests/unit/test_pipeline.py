"""pipeline: the library's front door turns every misuse into a UsageError."""

from __future__ import annotations

import gc
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import incentives
from incentives.errors import UsageError
from incentives.periods import PeriodKind, calendar_period
from incentives.report.standing import standing_report

PLAN = """\
plan "Api"
  version "1"
  currency USD
  period {period}
  rounding half_even to 0.01 on components

measure sales = sum amount

commission c
  pays 5% of sales
"""


def plan(period: str = "month") -> incentives.Plan:
    return incentives.load_plan(PLAN.format(period=period))


def dataset(*days: str) -> incentives.Dataset:
    ledger = [
        {
            "txn_id": f"t{i}",
            "date": day,
            "payee": "kim",
            "amount": Decimal("100"),
            "currency": "USD",
        }
        for i, day in enumerate(days)
    ]
    return incentives.Dataset.from_records(ledger=ledger, roster=[{"payee": "kim"}])


@pytest.mark.parametrize(
    "period", [2026.03, 202603, None, Decimal("2026.03"), b"2026-03", ["2026-03"]], ids=repr
)
def test_a_period_that_is_not_text_is_a_usage_error(period: object) -> None:
    with pytest.raises(UsageError, match=r"^a period is text, like '2026-03'; got "):
        plan().run(dataset("2026-03-02"), period=period)  # type: ignore[arg-type]
    if period is not None:  # to=None: a run of one period
        with pytest.raises(UsageError, match="a period is text"):
            plan().run(dataset("2026-03-02"), period="2026-03", to=period)  # type: ignore[arg-type]


def test_a_period_whose_repr_fails_is_still_a_usage_error() -> None:
    with pytest.raises(UsageError, match="got int"):
        plan().run(dataset("2026-03-02"), period=10**5000)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("period", "to", "labels"),
    [
        ("9999-12-31", None, ["9999-12"]),
        ("9999-11", "9999-12", ["9999-11", "9999-12"]),
        ("0001-01", None, ["0001-01"]),
    ],
)
def test_the_edge_months_of_the_calendar_are_run(
    period: str, to: str | None, labels: list[str]
) -> None:
    # no period after 9999-12 or before 0001-01 is needed to pay them
    day = "9999-12-31" if period.startswith("9999") else "0001-01-01"
    result = plan().run(dataset(day), period=period, to=to)
    assert [s.period for s in result.statements] == labels
    assert result.statements[-1].total == Decimal("5.00")  # 5% of the line on its day


#: A plan that carries balances from the calendar's first day.
CARRYING = """\
plan "Carry" version "1" currency USD period month rounding half_up to 0.01 on components
  starts 0001-01-01
measure sales = sum amount
commission c
  pays 5% of sales
  hold back 50% for 3 periods
upon termination
  holdbacks released
"""


def test_balances_at_the_calendars_edges() -> None:
    carrying = incentives.load_plan(CARRYING)
    first = carrying.run(dataset("0001-01-10"), period="0001-01")
    assert first.statements[0].total == Decimal("2.50")  # half of 5% held back
    # no period comes before 0001-01, so no opening state leads into it
    with pytest.raises(UsageError, match="0001-01 is the first month of the calendar: no period"):
        carrying.run(dataset("0001-01-10"), period="0001-01", opening=first.closing)
    report = standing_report(carrying, dataset("0001-01-10"), date(1, 1, 20))
    assert any("there are no opening balances (0001-01 is the calendar's first)" in n
               for n in report.notes)  # fmt: skip
    # held in 9999-11, due three months later, past the calendar's end: still held
    last = incentives.load_plan(CARRYING.replace("0001-01-01", "9999-11-01"))
    result = last.run(dataset("9999-11-10"), period="9999-11", to="9999-12")
    assert [s.total for s in result.statements] == [Decimal("2.50"), Decimal("0.00")]


def test_a_period_object_of_another_kind_is_refused() -> None:
    quarter = calendar_period(PeriodKind.QUARTER, date(2026, 3, 2))
    with pytest.raises(UsageError, match="2026-Q1 is not a pay period of this plan"):
        plan().run(dataset("2026-03-02"), period=quarter)
    edge = calendar_period(PeriodKind.MONTH, date.max)
    assert plan().run(dataset("2026-03-02"), period=edge).periods == ["9999-12"]
    cut = calendar_period(PeriodKind.WEEK, date.max)
    with pytest.raises(UsageError, match="which the calendar's end on 9999-12-31 cuts to 5 days"):
        plan("week").run(dataset("2026-03-02"), period=cut)


@pytest.mark.parametrize("kind", ["week", "month", "quarter", "year"])
def test_lines_at_the_edges_of_the_calendar_are_excluded_not_a_crash(kind: str) -> None:
    result = plan(kind).run(
        dataset("0001-01-01", "9999-12-31", "9999-12-27", "2026-03-02"), period="2026-03-02"
    )
    assert (result.rows.read, result.rows.credited) == (4, 1)
    assert result.rows.excluded == {"dated outside the periods of this run": 3}


def test_an_opening_state_of_the_wrong_type_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="got dict"):
        plan().run(dataset("2026-03-02"), period="2026-03", opening={})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("a\x00b.plan", "contains a NUL character"),
        (b"flat.plan", "got bytes"),
        (42, "got int"),
        (None, "got NoneType"),
    ],
    ids=repr,
)
def test_a_plan_that_is_not_a_usable_path_is_a_usage_error(given: object, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        incentives.load_plan(given)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)


def test_a_nul_in_a_plan_path_object_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="NUL"):
        incentives.load_plan(tmp_path / "a\x00b.plan")


def test_loading_a_plan_leaves_the_garbage_collector_as_it_was() -> None:
    text = 'plan "P" version "1" currency USD period month rounding none\ncommission c pays 1 USD\n'
    assert gc.isenabled()
    incentives.load_plan(text)
    assert gc.isenabled()
    with pytest.raises(incentives.PlanSyntaxError):
        incentives.load_plan('plan "P" version\n')
    assert gc.isenabled()
    gc.disable()
    try:
        incentives.load_plan(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
