"""Invariants 9, 10 and 11: the shape of tier payouts near and across thresholds.

* 9 marginal continuity: ``|pay(s+δ) − pay(s)| ≤ r_max·δ + mu`` with the
  components rounded to 0.01, in every mode for s ≥ 0 (an attainment), and
  for net-negative sales too except under ``up``: rounding away from zero
  lets a pay that crosses zero move by up to 2·mu more than r·δ, which the
  invariant's bound does not allow for;
* 10 retroactive jump: across threshold ``t_k`` the pay jumps by exactly
  ``t_k·(r_k − r_{k−1})`` (rounding none), and the trace names the band
  reached on each side;
* 11 band edges: at ``t−mu``, ``t`` and ``t+mu`` the band is the one the plan's
  wording says (``below``/``at least`` and ``at most``/``above``), and a table
  with a gap or an overlap at an edge is refused.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from property_helpers import amounts, run

import incentives
from incentives import RunResult
from strategies import (
    MU,
    ROUNDING_MODES,
    Component,
    PlanSpec,
    TierPay,
    TierTable,
    ledger_records,
    money,
    tier_tables,
)


def _plan(table: TierTable, rounding: str = "none") -> PlanSpec:
    return PlanSpec(
        components=(Component("earned", "commission", TierPay(table.name)),),
        tables=(table,),
        rounding=rounding,
    )


def _band_labels(result: RunResult, payee: str) -> list[str]:
    line = result.statement(payee).lines[0]
    (formula,) = line.trace.parts
    return [part.label for part in formula.parts]


# ------------------------------------------------------------------ invariant 9


@given(
    tier_tables("rates", kinds=("marginal",), open_below=None),
    st.data(),
    st.sampled_from(ROUNDING_MODES),
)
def test_marginal_pay_has_no_cliff(table: TierTable, data: st.DataObject, mode: str) -> None:
    # Invariant 9 speaks of attainment, s ≥ 0. Net-negative sales (refunds) are
    # tested too where the bound still holds (see the module docstring on `up`).
    negative_ok = table.open_below and mode != "up"
    floor = Decimal(-5_000) if negative_ok else Decimal(0)
    edges = [t + d for t in table.thresholds for d in (-MU, Decimal(0), MU)]
    anywhere = money(floor, 60_000)
    start = data.draw(st.one_of(anywhere, st.sampled_from(edges)) if edges else anywhere)
    assume(start >= floor)
    delta = data.draw(st.one_of(money(0, 1), money(0, 30_000)), label="delta")
    # s as a few lines; s + δ adds one more line of δ for the same payee.
    parts = data.draw(st.lists(money(0, 1_000), max_size=3), label="other lines")
    rest = start - sum(parts, Decimal(0))
    before = [("ana", p) for p in parts] + [("ana", rest)]
    after = [*before, ("ana", delta)]
    plan = incentives.load_plan(_plan(table, f"{mode} to 0.01 on components").text())
    pay_s = amounts(run(plan, ledger_records(before)))["ana"]["earned"]
    pay_sd = amounts(run(plan, ledger_records(after)))["ana"]["earned"]
    r_max = max(table.values)
    assert abs(pay_sd - pay_s) <= r_max * delta + MU, (start, delta, pay_s, pay_sd)


# ----------------------------------------------------------------- invariant 10


@given(
    tier_tables(
        "rates",
        kinds=("retroactive",),
        open_below=None,
        min_thresholds=1,
        min_gap=Decimal("0.03"),
    ),
    st.data(),
)
def test_retroactive_jump_is_exactly_threshold_times_rate_step(
    table: TierTable, data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(table.thresholds) - 1), label="threshold index")
    t = table.thresholds[k]
    lower_rate, upper_rate = table.values[k], table.values[k + 1]
    # The jump sits just after t (`at most t`) or just before it (`below t`).
    a, b = (t, t + MU) if table.closed_above[k] else (t - MU, t)
    result = run(_plan(table), ledger_records([("ana", a), ("bo", b)]))
    pay = amounts(result)
    pay_a, pay_b = pay["ana"]["earned"], pay["bo"]["earned"]
    # Take away the slope on each side of t; what is left is the jump at t.
    left_limit = pay_a + lower_rate * (t - a)
    right_value = pay_b - upper_rate * (b - t)
    assert right_value - left_limit == t * (upper_rate - lower_rate)
    # The trace reports the band reached on each side, with the whole base at its rate.
    bands = table.bands()
    assert _band_labels(result, "ana") == [f"rates: {table.band_text(bands[k])}"]
    assert _band_labels(result, "bo") == [f"rates: {table.band_text(bands[k + 1])}"]
    for payee, base, rate in (("ana", a, lower_rate), ("bo", b, upper_rate)):
        (formula,) = result.statement(payee).lines[0].trace.parts
        assert Decimal(formula.parts[0].value) == base * rate


# ----------------------------------------------------------------- invariant 11


@given(
    tier_tables(
        "rates",
        kinds=("retroactive", "flat"),
        open_below=None,
        min_thresholds=1,
        min_gap=Decimal("0.03"),
        distinct_values=True,
    ),
    st.data(),
)
def test_band_edges_follow_the_stated_inclusivity(table: TierTable, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(table.thresholds) - 1), label="threshold index")
    t = table.thresholds[k]
    points = {"below": t - MU, "at": t, "above": t + MU}
    expected = {
        "below": k,  # t − mu is inside the band under t (thresholds are ≥ 0.03 apart)
        "at": k if table.closed_above[k] else k + 1,  # as written: `at most`/`above` or not
        "above": k + 1,
    }
    payees = {"below": "ana", "at": "bo", "above": "chen"}
    result = run(
        _plan(table),
        ledger_records([(payees[where], x) for where, x in points.items()]),
    )
    pay = amounts(result)
    bands = table.bands()
    for where, x in points.items():
        band = expected[where]
        value = table.values[band]
        want = value if table.kind == "flat" else value * x
        assert pay[payees[where]]["earned"] == want, (where, x, band)
        assert _band_labels(result, payees[where]) == [f"rates: {table.band_text(bands[band])}"]


@given(
    tier_tables("rates", kinds=("marginal", "retroactive", "flat"), min_thresholds=1),
    st.data(),
)
def test_a_gap_or_an_overlap_at_an_edge_is_refused(table: TierTable, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(table.thresholds) - 1), label="threshold index")
    bands = table.bands()
    lower, upper = bands[k], bands[k + 1]
    # Gap: neither band holds t. Overlap: both do.
    gap = data.draw(st.booleans(), label="gap")
    side = not gap
    broken = list(bands)
    broken[k] = replace(lower, upper_inclusive=side)
    broken[k + 1] = replace(upper, lower_inclusive=side)
    body = "\n".join(f"  band {table.band_text(b)}: {table.value_text(b.value)}" for b in broken)
    text = _plan(table).text().replace(table.text(), f"tiers rates {table.kind}\n{body}")
    with pytest.raises(incentives.PlanCheckError) as raised:
        incentives.load_plan(text)
    codes = {d.code for d in raised.value.diagnostics}
    assert ("E301" if gap else "E302") in codes, codes
