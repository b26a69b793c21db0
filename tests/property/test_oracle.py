"""Invariant 30: the engine equals an independent Fraction-based reference.

The reference is written here from DESIGN §3 ("Tiers") alone, without
calling ``incentives.evaluate.tiers``:

* marginal: each slice of the base is paid at its band's rate, so the pay is
  the signed integral of the rate from 0 to the base;
* retroactive: the band that the whole base (or base ÷ quota, for attainment
  bands) reaches sets one rate for all of the base;
* a band's edge belongs to the band whose bound is written inclusive;
* attainment bands on a money base mean the money slices between those
  fractions of the quota.

Tables are random (increasing thresholds, rates with up to two decimals of
percent, both inclusivity forms, a first band from 0 or unbounded below);
bases are random cent amounts and amounts on and next to every threshold.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from property_helpers import amounts, round_fraction, run

from strategies import (
    MU,
    ROUNDING_MODES,
    Component,
    PlanSpec,
    TierPay,
    TierTable,
    ledger_records,
    roster_records,
    tier_cases,
)

_PAYEES = tuple(f"p{i}" for i in range(10))


def reference_band(table: TierTable, x: Fraction) -> int | None:
    """Index of the band holding ``x``, from the thresholds and their stated sides."""
    if not table.open_below and x < 0:
        return None  # below the first band, which starts at 0 inclusive
    index = 0
    for t, lower_band_has_it in zip(table.thresholds, table.closed_above, strict=True):
        if x > Fraction(t) or (x == Fraction(t) and not lower_band_has_it):
            index += 1
    return index


def reference_marginal(table: TierTable, base: Fraction, scale: Fraction) -> Fraction:
    """∫ from 0 to base of the band rate, bands' bounds multiplied by ``scale``."""
    edges = [Fraction(t) * scale for t in table.thresholds]
    lows: list[Fraction | None] = [None if table.open_below else Fraction(0), *edges]
    highs: list[Fraction | None] = [*edges, None]
    a, b, sign = (Fraction(0), base, 1) if base >= 0 else (base, Fraction(0), -1)
    total = Fraction(0)
    for rate, low, high in zip(table.values, lows, highs, strict=True):
        start = a if low is None else max(a, low)
        end = b if high is None else min(b, high)
        if end > start:
            total += Fraction(rate) * (end - start)
    return sign * total


def reference_pay(table: TierTable, base: Fraction, quota: Fraction | None) -> Fraction:
    if table.kind == "marginal":
        return reference_marginal(table, base, quota if table.attainment else Fraction(1))
    point = base / quota if table.attainment and quota is not None else base
    band = reference_band(table, point)
    assert band is not None
    return Fraction(table.values[band]) * base


def _plan(table: TierTable, quota: Decimal | None, rounding: str) -> PlanSpec:
    component = Component("earned", "commission", TierPay(table.name, against=table.attainment))
    return PlanSpec(components=(component,), tables=(table,), quota=quota, rounding=rounding)


@given(tier_cases(), st.sampled_from(ROUNDING_MODES))
def test_tiers_match_the_fraction_reference(
    case: tuple[TierTable, Decimal | None, list[Decimal]], mode: str
) -> None:
    table, quota, bases = case
    payees = _PAYEES[: len(bases)]
    ledger = ledger_records(list(zip(payees, bases, strict=True)))
    roster = roster_records(payees)
    exact = amounts(run(_plan(table, quota, "none"), ledger, roster=roster))
    rounded = amounts(
        run(_plan(table, quota, f"{mode} to 0.01 on components"), ledger, roster=roster)
    )
    q = None if quota is None else Fraction(quota)
    for payee, base in zip(payees, bases, strict=True):
        expected = reference_pay(table, Fraction(base), q)
        got = exact[payee]["earned"]
        assert Fraction(got) == expected, (payee, base, got, expected)
        # Invariant 30 "exactly after final rounding": one rounding of the exact value.
        assert Fraction(rounded[payee]["earned"]) == round_fraction(expected, Fraction(MU), mode)


def test_reference_reproduces_the_design_examples() -> None:
    """The reference itself agrees with DESIGN §3's worked numbers."""
    table = TierTable(
        "rates",
        "marginal",
        (Decimal(10_000),),
        (Decimal("0.05"), Decimal("0.08")),
        (False,),
    )
    assert reference_pay(table, Fraction(15_000), None) == 900
    retro = TierTable("rates", "retroactive", table.thresholds, table.values, (False,))
    assert reference_pay(retro, Fraction(15_000), None) == 1_200
    assert reference_pay(retro, Fraction(Decimal("9999.99")), None) == Fraction(Decimal("499.9995"))
