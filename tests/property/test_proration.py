"""Invariant 29: proration is linear and exact.

* a quota prorated by FTE f is exactly f × the full quota (read from the
  ``target`` value and from a ``let`` that reads it);
* f == 1 reproduces the unprorated statements exactly;
* days active: a payee active a of the N days of the month gets exactly
  a/N of the quota (hired on day 11 of a 30-day month: 20/30), quantized
  once when the quota has a ``round`` clause; FTE and days multiply;
* two partial periods that make up the month add up to the full quota
  within the rounding bound.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from property_helpers import amounts, round_fraction, run, totals

from incentives import RunResult
from strategies import (
    ROUNDING_MODES,
    TierTable,
    ftes,
    hires,
    ledgers,
    money,
    money_text,
    tier_tables,
)


def _plan(goal: Decimal, table: TierTable, prorate: str | None, round_clause: str = "") -> str:
    prorate_clause = f"\n  prorate by {prorate}" if prorate else ""
    round_text = f"\n  round {round_clause}" if round_clause else ""
    return (
        'plan "Q" version "1" currency USD period month rounding none\n'
        "measure sales = sum amount\n"
        f"quota target goal {money_text(goal)}{prorate_clause}{round_text}\n"
        "let seen = target\n"
        f"{table.text()}\n"
        "commission earned pays rates on sales against target\n"
        "bonus quota_bonus pays 1% of seen\n"
    )


def _target(result: RunResult, payee: str) -> tuple[Fraction, Fraction]:
    values = result.statement(payee).values
    target, seen = values["target"].value, values["seen"].value
    assert target is not None and seen is not None
    return Fraction(target), Fraction(seen)


_ATTAINMENT_TABLES = tier_tables(
    "rates", kinds=("marginal", "retroactive"), attainment=True, open_below=False
)


@given(money(1, 200_000), ftes(), _ATTAINMENT_TABLES, ledgers(payees=("ana",), max_size=5))
def test_fte_proration_is_exactly_f_times_the_quota(
    goal: Decimal, fte: Decimal, table: TierTable, ledger: list[dict[str, object]]
) -> None:
    result = run(_plan(goal, table, "fte"), ledger, roster=[{"payee": "ana", "fte": fte}])
    target, seen = _target(result, "ana")
    assert target == Fraction(fte) * Fraction(goal)
    assert seen == target


@given(money(1, 200_000), _ATTAINMENT_TABLES, ledgers(payees=("ana",), max_size=5))
def test_fte_one_reproduces_the_unprorated_result(
    goal: Decimal, table: TierTable, ledger: list[dict[str, object]]
) -> None:
    roster = [{"payee": "ana", "fte": Decimal(1)}]
    prorated = run(_plan(goal, table, "fte"), ledger, roster=roster)
    full = run(_plan(goal, table, None), ledger, roster=roster)
    assert _target(prorated, "ana") == _target(full, "ana")
    assert amounts(prorated) == amounts(full)
    assert totals(prorated) == totals(full)


_FIVE_PERCENT = TierTable("rates", "retroactive", (), (Decimal("0.05"),), (), attainment=True)


@given(hires(), money(1, 200_000), _ATTAINMENT_TABLES, st.sampled_from(ROUNDING_MODES))
def test_days_active_proration_is_exact_and_quantized_once(
    hire: tuple[int, int, int], goal: Decimal, table: TierTable, mode: str
) -> None:
    month, days, day = hire
    active = days - day + 1
    roster = [{"payee": "ana", "start_date": date(2026, month, day)}]
    period = f"2026-{month:02d}"
    exact = Fraction(goal) * active / days
    # `round half_even to 0.01`: the exact share, rounded once.
    rounded = run(
        _plan(goal, table, "days active", f"{mode} to 0.01"), [], roster=roster, period=period
    )
    target, seen = _target(rounded, "ana")
    assert target == round_fraction(exact, Fraction(1, 100), mode)
    assert seen == target
    # No round clause: exactly a/N of the goal whenever that is a finite decimal.
    unrounded = run(_plan(goal, table, "days active"), [], roster=roster, period=period)
    target, _ = _target(unrounded, "ana")
    if _terminates(exact):
        assert target == exact
    else:
        assert abs(target - exact) < Fraction(1, 10**25) * max(exact, Fraction(1))


def _terminates(x: Fraction) -> bool:
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


@given(hires(), st.integers(1, 20_000), ftes())
def test_fte_and_days_active_multiply(hire: tuple[int, int, int], cents: int, fte: Decimal) -> None:
    month, days, day = hire
    active = days - day + 1
    # A goal divisible by the month's length keeps every share a finite decimal.
    goal = Decimal(cents * days).scaleb(-2)
    table = _FIVE_PERCENT
    result = run(
        _plan(goal, table, "fte and days active"),
        [],
        roster=[{"payee": "ana", "fte": fte, "start_date": date(2026, month, day)}],
        period=f"2026-{month:02d}",
    )
    target, _ = _target(result, "ana")
    assert target == Fraction(goal) * Fraction(fte) * active / days


def test_hired_on_day_11_of_a_30_day_month_gets_20_30() -> None:
    table = _FIVE_PERCENT
    roster = [{"payee": "ana", "start_date": date(2026, 4, 11)}]
    result = run(_plan(Decimal(9_000), table, "days active"), [], roster=roster, period="2026-04")
    assert _target(result, "ana")[0] == 6_000
    result = run(
        _plan(Decimal(10_000), table, "days active", "half_even to 0.01"),
        [],
        roster=roster,
        period="2026-04",
    )
    assert _target(result, "ana")[0] == Fraction(Decimal("6666.67"))
    half = run(
        _plan(Decimal(10_000), table, "fte"), [], roster=[{"payee": "ana", "fte": Decimal("0.5")}]
    )
    assert _target(half, "ana")[0] == 5_000


@given(
    hires(min_day=2),
    money(1, 200_000),
    st.sampled_from(["half_even", "half_up"]),
)
def test_two_partial_periods_add_up_to_the_full_quota(
    hire: tuple[int, int, int], goal: Decimal, mode: str
) -> None:
    month, days, day = hire
    table = _FIVE_PERCENT
    roster = [
        # ana leaves the day before bo starts: between them, the whole month.
        {"payee": "ana", "start_date": None, "end_date": date(2026, month, day - 1)},
        {"payee": "bo", "start_date": date(2026, month, day), "end_date": None},
    ]
    period = f"2026-{month:02d}"
    rounded = run(
        _plan(goal, table, "days active", f"{mode} to 0.01"), [], roster=roster, period=period
    )
    both = _target(rounded, "ana")[0] + _target(rounded, "bo")[0]
    assert abs(both - Fraction(goal)) <= Fraction(1, 100)
    exact = run(_plan(goal, table, "days active"), [], roster=roster, period=period)
    shares = [Fraction(goal) * (day - 1) / days, Fraction(goal) * (days - day + 1) / days]
    if all(_terminates(share) for share in shares):
        parts = [_target(exact, p)[0] for p in ("ana", "bo")]
        assert parts == shares
        assert sum(parts) == Fraction(goal)
