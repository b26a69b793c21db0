"""Invariants 8, 12, 14 and 16: the shape of the payout as the data moves.

* 8 monotonicity: for plans that never pay less for more (non-negative
  rates, no decelerators, caps, gates, floors or clawbacks), adding a
  non-negative line or raising an amount never lowers any line or the total;
* 12 a cap is a min: ``pay ≤ C`` always, and ``pay == uncapped`` whenever
  ``uncapped ≤ C`` (component caps, per-line caps and the total cap);
* 14 zero in, zero out: an empty ledger or all-zero amounts pay 0 on every
  line except declared fixed bonuses (and multipliers of them);
* 16 scaling homogeneity: amounts, thresholds, caps, floors, gates and the
  quota all times an integer k multiply the unrounded pay by k.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from property_helpers import amounts, round_reference, run, totals, walk

import incentives
from strategies import (
    CURRENCY,
    MU,
    PAYEES,
    PERIOD_START,
    ROUNDING_MODES,
    Component,
    FixedPay,
    MultiplierPay,
    PerLinePay,
    PlanSpec,
    WhenPay,
    ledgers,
    money,
    money_text,
    off_unit_money,
    plans,
    rounding_clauses,
    scale_factors,
)

_ROUNDING = st.one_of(rounding_clauses(), st.just("none"))


def _refund_floor(spec: PlanSpec) -> int:
    """The lowest line amount the plan's tables can take (0 unless all are open below)."""
    return -2_000 if spec.accepts_negative_sales else 0


# ------------------------------------------------------------------ invariant 8


@given(plans(monotone=True, rounding=_ROUNDING), st.data())
def test_more_sales_never_pay_less(spec: PlanSpec, data: st.DataObject) -> None:
    ledger = data.draw(ledgers(min_amount=_refund_floor(spec)), label="ledger")
    delta = data.draw(money(0, 20_000), label="delta")
    grown = [dict(r) for r in ledger]
    if ledger and data.draw(st.booleans(), label="raise an existing line"):
        i = data.draw(st.integers(0, len(ledger) - 1), label="line")
        grown[i]["amount"] = ledger[i]["amount"] + delta
    else:
        payee = data.draw(st.sampled_from(PAYEES), label="payee")
        grown.append(
            {
                "txn_id": "added",
                "date": PERIOD_START,
                "payee": payee,
                "amount": delta,
                "currency": CURRENCY,
            }
        )
    plan = incentives.load_plan(spec.text())
    before, after = run(plan, ledger), run(plan, grown)
    for payee, lines in amounts(before).items():
        for component, amount in lines.items():
            assert amounts(after)[payee][component] >= amount, (payee, component)
        assert totals(after)[payee] >= totals(before)[payee], payee


# ----------------------------------------------------------------- invariant 12


_CAP_ROUNDING = st.one_of(st.just("none"), rounding_clauses(units=("0.01",)))


def _near(values: list[Decimal], lowest: Decimal) -> list[Decimal]:
    """Cap candidates just under, at and just over each value (cents, ≥ lowest)."""
    near = {
        (v + offset).quantize(MU, rounding=ROUND_FLOOR)
        for v in values
        for offset in (Decimal(-1), -MU, Decimal(0), MU)
    }
    return sorted(c for c in near if c >= lowest)


@given(plans(caps=True, rounding=_CAP_ROUNDING), st.data())
def test_a_cap_is_a_min(spec: PlanSpec, data: st.DataObject) -> None:
    ledger = data.draw(ledgers(min_amount=_refund_floor(spec)), label="ledger")
    # A component cap, set near what the component earns without it.
    capable = [
        i for i, c in enumerate(spec.components) if not isinstance(c.pay, FixedPay | WhenPay)
    ]
    if capable:
        i = data.draw(st.sampled_from(capable), label="component to cap")
        c = spec.components[i]
        free = amounts(
            run(
                replace(spec, components=_replaced(spec.components, i, replace(c, cap=None))),
                ledger,
            )
        )
        lowest = c.floor or Decimal(0)
        near = _near([lines[c.name] for lines in free.values()], lowest)
        any_cap = money(lowest, lowest + 3_000)
        cap = data.draw(st.one_of(st.sampled_from(near), any_cap) if near else any_cap, label="cap")
        spec = replace(spec, components=_replaced(spec.components, i, replace(c, cap=cap)))
        paid = amounts(run(spec, ledger))
        for payee, lines in paid.items():
            assert lines[c.name] <= cap, (payee, c.name)
            if free[payee][c.name] <= cap:
                assert lines[c.name] == free[payee][c.name], (payee, c.name)
    # The total cap, set near the totals without it.
    free_totals = totals(run(replace(spec, total_cap=None), ledger))
    lowest = spec.total_floor or Decimal(0)
    near = _near(list(free_totals.values()), lowest)
    any_cap = money(lowest, lowest + 5_000)
    total_cap = data.draw(
        st.one_of(st.sampled_from(near), any_cap) if near else any_cap, label="total cap"
    )
    capped = run(replace(spec, total_cap=total_cap), ledger)
    for payee, total in totals(capped).items():
        assert total <= total_cap, payee
        if free_totals[payee] <= total_cap:
            assert total == free_totals[payee], payee
    # Per-line caps bound each line's contribution in the trace.
    line_caps = {
        c.name: c.pay.line_cap
        for c in spec.components
        if isinstance(c.pay, PerLinePay) and c.pay.line_cap is not None
    }
    for statement in capped.statements:
        for line in statement.lines:
            if line.component in line_caps:
                for part in walk(line.trace):
                    if part.kind == "line":
                        assert part.value is not None
                        assert Decimal(part.value) <= line_caps[line.component], part.label


def _replaced(components: tuple[Component, ...], i: int, new: Component) -> tuple[Component, ...]:
    return (*components[:i], new, *components[i + 1 :])


@given(
    st.lists(money(-3_000, 20_000), min_size=1, max_size=8),
    money(0, 500),
    st.sampled_from(["2%", "7.5%", "12.25%"]),
)
def test_a_per_line_cap_is_a_min_on_each_line(
    line_amounts: list[Decimal], cap: Decimal, rate: str
) -> None:
    text = (
        f'plan "P" version "1" currency {CURRENCY} period month rounding none\n'
        f"commission c pays {rate} of amount per line\n"
        f"  cap per line at {cap} {CURRENCY}\n"
        f"commission u pays {rate} of amount per line\n"
    )
    ledger = [
        {"txn_id": f"t{i}", "date": PERIOD_START, "payee": "ana", "amount": a, "currency": CURRENCY}
        for i, a in enumerate(line_amounts)
    ]
    statement = run(text, ledger).statement("ana")
    (capped,) = (line for line in statement.lines if line.component == "c")
    (free,) = (line for line in statement.lines if line.component == "u")
    capped_lines = {n.label: Decimal(n.value or "") for n in walk(capped.trace) if n.kind == "line"}
    free_lines = {n.label: Decimal(n.value or "") for n in walk(free.trace) if n.kind == "line"}
    assert capped_lines.keys() == free_lines.keys()
    for label, value in capped_lines.items():
        assert value <= cap
        if free_lines[label] <= cap:
            assert value == free_lines[label]
    assert capped.amount == sum((min(v, cap) for v in free_lines.values()), Decimal(0))


@given(
    st.sampled_from(ROUNDING_MODES),
    st.sampled_from(["0.05", "0.1", "1", "100"]),
    st.data(),
)
def test_a_cap_holds_when_the_rounding_unit_is_coarser_than_the_cap(
    mode: str, unit: str, data: st.DataObject
) -> None:
    """Invariant 12 where the cap is not a whole number of rounding units.

    Rounding after the cap must not lift the pay above the cap (nor, for a
    floor, drop it below the floor), and amounts stay whole units
    (invariant 24). A plan that makes this impossible to honour may instead
    be refused by the checker.
    """
    step = Decimal(unit)
    off_unit = off_unit_money(step)
    cap, floor = data.draw(off_unit, label="cap"), data.draw(off_unit, label="floor")
    total_cap = data.draw(off_unit, label="total cap")
    ledger = data.draw(ledgers(min_size=1, max_amount=50_000), label="ledger")
    text = (
        f'plan "P" version "1" currency {CURRENCY} period month\n'
        f"  rounding {mode} to {unit} on components\n"
        "measure sales = sum amount\n"
        "commission c0 pays 10% of sales\n"
        f"  cap at {money_text(cap)}\n"
        "commission c1 pays 0.1% of sales\n"
        f"  floor at {money_text(floor)}\n"
        f"total\n  cap at {money_text(total_cap)}\n"
    )
    try:
        plan = incentives.load_plan(text)
    except incentives.PlanCheckError:
        return  # refusing a cap the rounding cannot honour is a fix too
    result = run(plan, ledger)
    for statement in result.statements:
        assert statement.amount("c0") <= cap, (statement.payee, statement.amount("c0"), cap)
        assert statement.amount("c1") >= floor, (statement.payee, statement.amount("c1"), floor)
        assert statement.total <= total_cap, (statement.payee, statement.total, total_cap)
        for value in [statement.total, *(line.amount for line in statement.lines)]:
            assert (Fraction(value) / Fraction(step)).denominator == 1, value


@given(
    st.sampled_from(ROUNDING_MODES),
    st.sampled_from(["0.05", "0.1", "1"]),
    money(1, 500),
    money(0, 2),
    st.data(),
)
def test_a_cap_and_a_floor_on_one_component_both_hold_after_rounding(
    mode: str, unit: str, floor: Decimal, gap: Decimal, data: st.DataObject
) -> None:
    """Invariant 12 with a floor under the cap, rounding to a coarser unit.

    When no whole unit lies between floor and cap, no amount can honour the
    cap, the floor and invariant 24 together; such a plan must be refused.
    Otherwise the pay stays within [floor, cap] and is a whole number of units.
    """
    step = Decimal(unit)
    cap = floor + gap
    ledger = data.draw(ledgers(min_size=1, max_amount=50_000), label="ledger")
    text = (
        f'plan "P" version "1" currency {CURRENCY} period month\n'
        f"  rounding {mode} to {unit} on components\n"
        "measure sales = sum amount\n"
        "commission c0 pays 10% of sales\n"
        f"  cap at {money_text(cap)}\n"
        f"  floor at {money_text(floor)}\n"
    )
    lowest = (Fraction(floor) / Fraction(step)).__ceil__() * step
    if lowest > cap:
        with pytest.raises(incentives.PlanCheckError) as refused:
            incentives.load_plan(text)
        assert {d.code for d in refused.value.diagnostics} == {"E409"}
        return
    plan = incentives.load_plan(text)
    for statement in run(plan, ledger).statements:
        paid = statement.amount("c0")
        assert floor <= paid <= cap, (statement.payee, floor, paid, cap)
        assert (Fraction(paid) / Fraction(step)).denominator == 1, paid


# ----------------------------------------------------------------- invariant 14


def _rounding_of(spec: PlanSpec) -> tuple[str, Decimal] | None:
    if spec.rounding == "none":
        return None
    mode, _, rest = spec.rounding.partition(" to ")
    return mode, Decimal(rest.split()[0])


def _expected_at_zero(spec: PlanSpec) -> dict[str, Decimal]:
    """What each component pays on no sales: only declared fixed amounts."""
    rounding = _rounding_of(spec)
    paid: dict[str, Decimal] = {}
    for c in spec.components:
        if isinstance(c.pay, FixedPay):
            value = c.pay.amount
        elif isinstance(c.pay, MultiplierPay):
            value = (c.pay.factor - 1) * sum((paid[t] for t in c.pay.targets), Decimal(0))
        else:
            value = Decimal(0)  # rates, tiers from 0, unmet conditions, step bonuses from 0
        if c.cap is not None:
            value = min(value, c.cap)
        if rounding is not None:
            value = round_reference(value, rounding[1], rounding[0])
        paid[c.name] = value
    return paid


@given(plans(floors=False, totals=False, rounding=_ROUNDING), st.data())
def test_zero_in_zero_out(spec: PlanSpec, data: st.DataObject) -> None:
    if data.draw(st.booleans(), label="empty ledger"):
        ledger: list[dict[str, object]] = []
    else:
        ledger = data.draw(ledgers(min_amount=0, max_amount=0, min_size=1), label="zero lines")
    result = run(spec, ledger)
    expected = _expected_at_zero(spec)
    assert {s.payee for s in result.statements} == set(PAYEES)
    for statement in result.statements:
        got = {line.component: line.amount for line in statement.lines}
        assert got == expected, statement.payee
        assert statement.total == sum(expected.values(), Decimal(0))
        if not any(isinstance(c.pay, FixedPay) for c in spec.components):
            assert statement.total == 0


# ----------------------------------------------------------------- invariant 16


@given(plans(rounding=st.just("none")), scale_factors(), st.data())
def test_scaling_all_money_by_k_scales_pay_by_k(
    spec: PlanSpec, k: int, data: st.DataObject
) -> None:
    # Small ledgers too: a hard-coded constant shows where k moves a value across it.
    size = data.draw(st.sampled_from([20_000, 1_000, 100, 10]), label="largest line")
    floor = max(_refund_floor(spec), -size)
    ledger = data.draw(ledgers(min_amount=floor, max_amount=size), label="ledger")
    scaled_ledger = [{**r, "amount": r["amount"] * k} for r in ledger]
    base = run(spec, ledger)
    scaled = run(spec.scaled(k), scaled_ledger)
    for payee, lines in amounts(base).items():
        for component, amount in lines.items():
            got = amounts(scaled)[payee][component]
            assert Fraction(got) == Fraction(amount) * k, (payee, component, amount, got)
    for payee, total in totals(base).items():
        assert Fraction(totals(scaled)[payee]) == Fraction(total) * k, payee
