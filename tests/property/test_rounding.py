"""Invariants 23 and 24: rounding once per line, with the plan's one mode.

* 23 rounding bound: with n components rounded half-even to 0.01, the
  printed total (Σ round(x_i)) is within n·mu/2 of round(Σ x_i), where the
  x_i come from the same plan with ``rounding none``;
* 24 single rounding mode: every amount printed is a whole multiple of the
  plan's unit, written in fixed point with no negative zero, and each
  rounded line equals Python's ``decimal`` rounding of the unrounded line in
  the plan's mode, checked on random plans and on a fixed table of ties
  (.5 cases) and negative values.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from property_helpers import DECIMAL_MODES, amounts, round_reference, run, totals

from strategies import (
    CURRENCY,
    MU,
    PERIOD_START,
    ROUNDING_MODES,
    MultiplierPay,
    PlanSpec,
    ledgers,
    plans,
)

_NO_MULTIPLIERS = ("tiers", "rate", "per_line", "fixed", "when")
_FIXED_POINT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_UNITS = {
    "0.01": "0.01",
    "minor unit": "0.01",
    "0.05": "0.05",
    "0.1": "0.1",
    "1": "1",
    "100": "100",
}


def _ledger_floor(spec: PlanSpec) -> int:
    return -2_000 if spec.accepts_negative_sales else 0


# ----------------------------------------------------------------- invariant 23


@given(
    plans(
        max_components=6,
        pay_kinds=_NO_MULTIPLIERS,
        totals=False,
        rounding=st.just("none"),
    ),
    st.data(),
)
def test_rounding_each_line_stays_within_n_half_units_of_rounding_the_sum(
    spec: PlanSpec, data: st.DataObject
) -> None:
    ledger = data.draw(ledgers(min_amount=_ledger_floor(spec)), label="ledger")
    exact = run(spec, ledger)
    rounded = run(spec.with_rounding("half_even to 0.01 on components"), ledger)
    n = len(spec.components)
    for payee, x in amounts(exact).items():
        printed_total = totals(rounded)[payee]
        round_of_sum = round_reference(sum(x.values(), Decimal(0)), MU, "half_even")
        assert abs(printed_total - round_of_sum) <= n * MU / 2, payee
        for component, value in x.items():
            assert amounts(rounded)[payee][component] == round_reference(value, MU, "half_even")


# ----------------------------------------------------------------- invariant 24


@given(
    plans(max_components=5, rounding=st.just("none")),
    st.sampled_from(ROUNDING_MODES),
    st.sampled_from(sorted(_UNITS)),
    st.data(),
)
def test_every_amount_is_rounded_once_in_the_plans_mode(
    spec: PlanSpec, mode: str, unit_text: str, data: st.DataObject
) -> None:
    unit = Decimal(_UNITS[unit_text])
    # A cap and a floor with no whole unit between them are refused (E409).
    assume(
        all(
            c.cap is None or c.floor is None or _grid(c.floor, unit, up=True) <= c.cap
            for c in spec.components
        )
    )
    ledger = data.draw(ledgers(min_amount=_ledger_floor(spec)), label="ledger")
    rounded = run(spec.with_rounding(f"{mode} to {unit_text} on components"), ledger)
    # Every line and total is a whole number of units.
    for statement in rounded.statements:
        for value in [statement.total, *(line.amount for line in statement.lines)]:
            assert (Fraction(value) / Fraction(unit)).denominator == 1, (statement.payee, value)
    # Printed amounts are plain fixed-point text, never -0 or an exponent.
    document = json.loads(rounded.model_dump_json())
    for statement in document["statements"]:
        for text in [statement["total"], *(line["amount"] for line in statement["lines"])]:
            assert _FIXED_POINT.fullmatch(text), text
            assert not (text.startswith("-") and Fraction(text) == 0), text
    # Lines that do not read other lines are the unrounded value, rounded once,
    # except that rounding never takes an amount past its own cap or floor: it
    # then stops at the nearest whole unit inside the limit.
    exact = amounts(run(spec, ledger))
    plain = [c for c in spec.components if not isinstance(c.pay, MultiplierPay)]
    for payee, lines in amounts(rounded).items():
        for component in plain:
            want = round_reference(exact[payee][component.name], unit, mode)
            if component.cap is not None and want > component.cap:
                want = _grid(component.cap, unit, up=False)
            if component.floor is not None and want < component.floor:
                want = _grid(component.floor, unit, up=True)
            assert lines[component.name] == want, (
                payee,
                component.name,
                exact[payee][component.name],
            )


def _grid(value: Decimal, unit: Decimal, *, up: bool) -> Decimal:
    steps = Fraction(value) / Fraction(unit)
    whole = (
        -((-steps.numerator) // steps.denominator) if up else steps.numerator // steps.denominator
    )
    return Decimal(whole) * unit


_VALUES = [
    "0.0050", "0.0150", "0.0250", "0.0350", "1.2350", "1.2450", "123.4550",
    "-0.0050", "-0.0150", "-0.0250", "-1.2350", "-123.4550",
    "0.0149", "0.0151", "-0.0149", "-0.0151", "0.0099", "-0.0099",
    "0.0001", "-0.0001", "0.0000", "2.5000", "-2.5000", "0.0750", "-0.0750",
]  # fmt: skip


def _one_value_plan(mode: str, unit: str) -> str:
    # 1% of sales: a sale of 100·x pays exactly x before rounding.
    return (
        f'plan "R" version "1" currency {CURRENCY} period month\n'
        f"  rounding {mode} to {unit} on components\n"
        "measure sales = sum amount\n"
        "commission c pays 1% of sales\n"
    )


@pytest.mark.parametrize("unit", ["0.01", "0.05", "1"])
@pytest.mark.parametrize("mode", ROUNDING_MODES)
def test_known_ties_and_negatives_round_like_python_decimal(mode: str, unit: str) -> None:
    values = [Decimal(v) for v in _VALUES]
    payees = [f"p{i:02d}" for i in range(len(values))]
    ledger = [
        {
            "txn_id": f"t{i:02d}",
            "date": PERIOD_START,
            "payee": payee,
            "amount": (x * 100).quantize(MU),
            "currency": CURRENCY,
        }
        for i, (payee, x) in enumerate(zip(payees, values, strict=True))
    ]
    result = run(_one_value_plan(mode, unit), ledger, roster=[{"payee": p} for p in payees])
    step = Decimal(unit)
    for payee, x in zip(payees, values, strict=True):
        # The reference: the decimal module's own rounding in that mode.
        if unit == "0.05":
            want = (x / step).quantize(Decimal(1), rounding=DECIMAL_MODES[mode]) * step
        else:
            want = x.quantize(step, rounding=DECIMAL_MODES[mode])
        line = result.statement(payee).lines[0]
        assert line.amount == want, (mode, unit, x, line.amount)
        assert (Fraction(line.amount) / Fraction(step)).denominator == 1


@pytest.mark.parametrize(
    ("mode", "x", "printed"),
    [
        ("half_even", "0.0250", "0.02"),
        ("half_even", "0.0350", "0.04"),
        ("half_even", "-0.0250", "-0.02"),
        ("half_even", "-0.0001", "0.00"),
        ("half_up", "0.0250", "0.03"),
        ("half_up", "-0.0250", "-0.03"),
        ("half_up", "-0.0049", "0.00"),
        ("down", "0.0199", "0.01"),
        ("down", "-0.0199", "-0.01"),
        ("up", "0.0101", "0.02"),
        ("up", "-0.0101", "-0.02"),
        ("up", "0.0001", "0.01"),
    ],
)
def test_known_values_print_as_expected(mode: str, x: str, printed: str) -> None:
    ledger = [
        {
            "txn_id": "t1",
            "date": PERIOD_START,
            "payee": "ana",
            "amount": (Decimal(x) * 100).quantize(MU),
            "currency": CURRENCY,
        }
    ]
    result = run(_one_value_plan(mode, "0.01"), ledger, roster=[{"payee": "ana"}])
    (statement,) = json.loads(result.model_dump_json())["statements"]
    assert statement["lines"][0]["amount"] == printed
    assert statement["total"] == printed
