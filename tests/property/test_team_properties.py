"""Issue 4 invariants (INVARIANTS.md 17, 18, 21, 25): splits, overlays, overrides,
payee independence, ranks under permutation, and currency conversion."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

import incentives
from incentives.evaluate.crediting import allocate

HEADER = 'plan "P" version "1" currency USD period month rounding {rounding}\n'

SPLIT_PLAN = (
    HEADER.format(rounding="none")
    + """
crediting
  split by splits
  overlay "engineer"
  remainder to largest remainder
measure sales = sum amount where credit_type != "engineer"
measure assists = sum amount where credit_type = "engineer"
commission c pays 10% of sales
commission a pays 1% of assists
"""
)

cents = st.integers(min_value=-10_000_000, max_value=10_000_000).map(
    lambda c: Decimal(c).scaleb(-2)
)
payee_ids = ["a", "b", "c", "d", "e"]


@st.composite
def share_lists(draw: st.DrawFn) -> list[tuple[str, Decimal]]:
    """Between 1 and 5 payees whose shares (whole basis points) add up to 100%."""
    count = draw(st.integers(min_value=1, max_value=5))
    cuts = sorted(
        draw(st.lists(st.integers(1, 9_999), min_size=count - 1, max_size=count - 1, unique=True))
    )
    points = [b - a for a, b in zip([0, *cuts], [*cuts, 10_000], strict=True)]
    return [(payee_ids[i], Decimal(p).scaleb(-4)) for i, p in enumerate(points)]


@given(cents, share_lists(), st.sampled_from(["largest_remainder", "seller"]))
def test_split_parts_sum_exactly_to_the_line(
    amount: Decimal, shares: list[tuple[str, Decimal]], rule: str
) -> None:
    parts = allocate(amount, shares, Decimal("0.01"), rule, "a")
    assert sum(parts.values(), Decimal(0)) == amount
    for payee, share in shares:
        assert parts[payee] == parts[payee].quantize(Decimal("0.01"))
        error = abs(parts[payee] - amount * share)
        if rule == "largest_remainder" or payee != "a":
            # within one cent of its exact share (INVARIANTS 18)
            assert error < Decimal("0.01")
        else:
            # the seller takes every leftover cent: at most one per other payee
            assert error < Decimal("0.01") * len(shares)


def _dataset(
    amount: Decimal,
    shares: list[tuple[str, Decimal]],
    overlay: Decimal | None,
    extra: list[tuple[str, str, Decimal]] = (),
) -> incentives.Dataset:  # type: ignore[assignment]
    splits = [
        {"txn_id": "t1", "payee": p, "share": f"{(s * 100).normalize():f}%", "credit": ""}
        for p, s in shares
    ]
    if overlay is not None:
        splits.append(
            {
                "txn_id": "t1",
                "payee": "e",
                "credit": "engineer",
                "share": f"{(overlay * 100).normalize():f}%",
            }
        )
    ledger = [
        {
            "txn_id": "t1",
            "date": date(2026, 3, 5),
            "payee": "a",
            "amount": amount,
            "currency": "USD",
        }
    ]
    ledger += [
        {"txn_id": t, "date": date(2026, 3, 6), "payee": p, "amount": a, "currency": "USD"}
        for t, p, a in extra
    ]
    return incentives.Dataset.from_records(
        ledger=ledger, roster=[{"payee": p} for p in payee_ids], splits=splits
    )


@given(cents, share_lists(), st.integers(1, 100).map(lambda p: Decimal(p).scaleb(-2)))
def test_an_overlay_reduces_nobody_s_credit(
    amount: Decimal, shares: list[tuple[str, Decimal]], overlay: Decimal
) -> None:
    plan = incentives.load_plan(SPLIT_PLAN)
    without = plan.run(_dataset(amount, shares, None), period="2026-03")
    with_overlay = plan.run(_dataset(amount, shares, overlay), period="2026-03")
    for payee in payee_ids[:4]:
        assert with_overlay.statement(payee).values["sales"].value == (
            without.statement(payee).values["sales"].value
        )
    credited = sum(Decimal(s.values["sales"].value or "0") for s in with_overlay.statements)
    assert credited == amount  # the 100% is shared exactly; the overlay is on top


OVERRIDE_PLAN = (
    HEADER.format(rounding="none")
    + """
measure sales = sum amount
measure team_sales = sum amount across reports
commission c pays 7% of sales
commission on_sales pays 1.5% of team_sales
commission on_commission pays 3% of sum of c across reports to depth 1
"""
)

MANAGERS = {"r1": "m1", "r2": "m1", "r3": "m2", "m1": "boss", "m2": "boss", "boss": ""}


@given(st.lists(st.tuples(st.sampled_from(sorted(MANAGERS)), cents), max_size=15))
def test_an_override_equals_the_rate_times_the_team_total(
    sales: list[tuple[str, Decimal]],
) -> None:
    plan = incentives.load_plan(OVERRIDE_PLAN)
    ledger = [
        {"txn_id": f"t{i}", "date": date(2026, 3, 3), "payee": p, "amount": a, "currency": "USD"}
        for i, (p, a) in enumerate(sales)
    ]
    roster = [{"payee": p, "manager": m} for p, m in MANAGERS.items()]
    run = plan.run(incentives.Dataset.from_records(ledger=ledger, roster=roster), period="2026-03")
    own = {p: sum((a for q, a in sales if q == p), Decimal(0)) for p in MANAGERS}

    def below(manager: str, depth: int | None) -> set[str]:
        found, level, steps = set(), {manager}, 0
        while level and (depth is None or steps < depth):
            level = {p for p, m in MANAGERS.items() if m in level}
            found |= level
            steps += 1
        return found

    for manager in ("m1", "m2", "boss"):
        team = sum((own[p] for p in below(manager, None)), Decimal(0))
        direct = sum((own[p] * Decimal("0.07") for p in below(manager, 1)), Decimal(0))
        statement = run.statement(manager)
        assert statement.amount("on_sales") == team * Decimal("0.015")
        assert statement.amount("on_commission") == direct * Decimal("0.03")


@given(cents, cents, share_lists())
def test_a_payee_unrelated_to_a_line_is_unaffected_by_it(
    first: Decimal, second: Decimal, shares: list[tuple[str, Decimal]]
) -> None:
    # "e" is in no share; adding a second line shared among a..d leaves e unchanged.
    plan = incentives.load_plan(SPLIT_PLAN)
    base = _dataset(first, shares, None, [("t9", "e", Decimal("500"))])
    more = incentives.Dataset.from_records(
        ledger=[
            *_records(base, "ledger"),
            {
                "txn_id": "t2",
                "date": date(2026, 3, 7),
                "payee": "b",
                "amount": second,
                "currency": "USD",
            },
        ],
        roster=[{"payee": p} for p in payee_ids],
        splits=_records(base, "splits"),
    )
    before = plan.run(base, period="2026-03").statement("e")
    after = plan.run(more, period="2026-03").statement("e")
    assert before.model_dump_json() == after.model_dump_json()


def _records(data: incentives.Dataset, table: str) -> list[dict[str, object]]:
    raw = data.tables[table]
    return [dict(zip(raw.columns, row.cells, strict=True)) for row in raw.rows]


RANK_PLAN = (
    HEADER.format(rounding="half_up to 0.01 on components")
    + """
roster fields
  team: text
measure sales = sum amount
let position = rank of sales across group team highest first ties by payee
let shared_position = rank of sales across everyone lowest first ties shared
bonus top pays 100 USD when position <= 2
"""
)


@given(
    st.lists(st.tuples(st.sampled_from(payee_ids), st.integers(0, 50)), min_size=1, max_size=20),
    st.randoms(),
)
def test_ranks_do_not_depend_on_row_order(rows: list[tuple[str, int]], rnd: random.Random) -> None:
    plan = incentives.load_plan(RANK_PLAN)
    ledger = [
        {
            "txn_id": f"t{i:02d}",
            "date": date(2026, 3, 4),
            "payee": p,
            "amount": Decimal(a * 100),
            "currency": "USD",
        }
        for i, (p, a) in enumerate(rows)
    ]
    roster = [{"payee": p, "team": "x" if p in "abc" else "y"} for p in payee_ids]
    shuffled = ledger[:]
    rnd.shuffle(shuffled)
    one = plan.run(incentives.Dataset.from_records(ledger=ledger, roster=roster), period="2026-03")
    two = plan.run(
        incentives.Dataset.from_records(ledger=shuffled, roster=roster[::-1]), period="2026-03"
    )
    assert one.model_dump_json() == two.model_dump_json()
    ranks = sorted(int(s.values["position"].value or 0) for s in one.statements if s.payee in "abc")
    assert ranks == [1, 2, 3]  # ties by payee: a strict order within each team


FX_PLAN = (
    HEADER.format(rounding="half_up to 0.01 on components")
    + """
fx
  convert at line date
  round half_up to 0.01
measure sales = sum amount
commission c pays 6% of sales
"""
)


@given(
    st.lists(
        st.integers(1, 10_000_000).map(lambda c: Decimal(c).scaleb(-2)), min_size=1, max_size=6
    ),
    st.integers(1, 10**6).map(lambda r: Decimal(r).scaleb(-5)),
)
def test_converting_then_paying_equals_the_hand_calculation(
    amounts: list[Decimal], rate: Decimal
) -> None:
    plan = incentives.load_plan(FX_PLAN)
    ledger = [
        {"txn_id": f"t{i}", "date": date(2026, 3, 10), "payee": "a", "amount": a, "currency": "EUR"}
        for i, a in enumerate(amounts)
    ]
    fx = [{"date": date(2026, 3, 1), "from": "EUR", "to": "USD", "rate": rate}]
    data = incentives.Dataset.from_records(ledger=ledger, roster=[{"payee": "a"}], fx=fx)
    statement = plan.run(data, period="2026-03").statement("a")
    cent = Decimal("0.01")
    converted = sum(((a * rate).quantize(cent, ROUND_HALF_UP) for a in amounts), Decimal(0))
    assert Decimal(statement.values["sales"].value or "") == converted
    assert statement.amount("c") == (converted * Decimal("0.06")).quantize(cent, ROUND_HALF_UP)
