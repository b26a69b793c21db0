"""Issue 3 invariants (INVARIANTS.md 13, 27, 28, 7): clawbacks restore, true-ups
add up, draw balances equal Σ(paid − earned), dated versions leave the past
alone, and a run split in two with a carried state equals the whole run."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

from hypothesis import given
from hypothesis import strategies as st

import incentives
from incentives.evaluate import evaluate

HEADER = (
    'plan "P" version "1" currency USD period month rounding half_up to 0.01 on components\n'
    "  starts 2026-01-01\n"
)
MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]
amounts = st.integers(1, 2_000_000).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def sales(draw: st.DrawFn, max_size: int = 12) -> list[tuple[str, date, Decimal]]:
    rows = draw(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 28), amounts),
                         max_size=max_size))  # fmt: skip
    return [(f"s{i:02d}", date(2026, m, d), a) for i, (m, d, a) in enumerate(rows)]


def dataset(
    rows: list[tuple[str, date, Decimal]], extra: list[dict[str, object]] = ()
) -> incentives.Dataset:  # type: ignore[assignment]
    ledger = [{"txn_id": t, "date": d, "payee": "a", "amount": a, "currency": "USD",
               "kind": "sale", "original": "", "paid_on": d} for t, d, a in rows]  # fmt: skip
    return incentives.Dataset.from_records(ledger=[*ledger, *extra], roster=[{"payee": "a"}])


# Exact (no rounding): INVARIANTS 27 holds to the last digit. With rounding per
# component, the original pay is rounded once per period and the reversal once
# per clawback, so they can differ by the rounding bound.
CLAWBACK = (
    HEADER.replace("half_up to 0.01 on components", "none")
    + """
ledger columns
  kind: text
  original: text
measure sales = sum amount
commission c pays 7.5% of sales
clawback refunds reverses c for lines where kind = "refund" matched by original within 400 days
"""
)


@given(sales(), amounts, st.integers(1, 6), st.integers(0, 5))
def test_a_full_refund_restores_the_payout_without_the_line(
    rows: list[tuple[str, date, Decimal]], amount: Decimal, month: int, delay: int
) -> None:
    plan = incentives.load_plan(CLAWBACK)
    refund_month = min(month + delay, 6)
    line = {"txn_id": "x", "date": date(2026, month, 15), "payee": "a", "amount": amount,
            "currency": "USD", "kind": "sale", "original": ""}  # fmt: skip
    refund = {"txn_id": "xr", "date": date(2026, refund_month, 20), "payee": "a",
              "amount": -amount, "currency": "USD", "kind": "refund", "original": "x"}  # fmt: skip
    without = plan.run(dataset(rows), period="2026-01", to="2026-06")
    with_both = plan.run(dataset(rows, [line, refund]), period="2026-01", to="2026-06")
    assert sum(s.total for s in with_both.statements) == sum(s.total for s in without.statements)


HELD_CLAWBACK = (
    HEADER.replace("half_up to 0.01 on components", "none")
    + """
ledger columns
  kind: text
  original: text
  paid_on: date optional
measure sales = sum amount
commission c
  pays 7.5% of sales
  hold back 20% until paid_on
clawback refunds reverses c for lines where kind = "refund" matched by original within 400 days
upon termination
  holdbacks forfeited
"""
)


@given(sales(), amounts, st.integers(1, 6), st.integers(0, 5), st.integers(0, 7))
def test_a_full_refund_of_a_line_partly_held_back_restores_the_payout(
    rows: list[tuple[str, date, Decimal]], amount: Decimal, month: int, delay: int, paid: int
) -> None:
    # The held share of the line is forfeited, the paid share clawed back (or
    # released first, if the customer paid before the refund, and then all of
    # it clawed back): either way the cancelled sale nets to nothing.
    plan = incentives.load_plan(HELD_CLAWBACK)
    refund_month = min(month + delay, 6)
    paid_on = "" if paid == 0 else date(2026, min(month + paid - 1, 6), 25)
    line = {"txn_id": "x", "date": date(2026, month, 15), "payee": "a", "amount": amount,
            "currency": "USD", "kind": "sale", "original": "", "paid_on": paid_on}  # fmt: skip
    refund = {"txn_id": "xr", "date": date(2026, refund_month, 20), "payee": "a",
              "amount": -amount, "currency": "USD", "kind": "refund", "original": "x",
              "paid_on": ""}  # fmt: skip
    without = plan.run(dataset(rows), period="2026-01", to="2026-06")
    with_both = plan.run(dataset(rows, [line, refund]), period="2026-01", to="2026-06")
    assert sum(s.total for s in with_both.statements) == sum(s.total for s in without.statements)


@given(
    sales(),
    amounts,
    st.lists(st.integers(1, 100), min_size=1, max_size=4),
    st.integers(0, 2),
)
def test_refunds_of_one_line_never_reverse_more_than_it_earned(
    rows: list[tuple[str, date, Decimal]], amount: Decimal, weights: list[int], extra: int
) -> None:
    # The line is refunded in parts that add up to all of it, then `extra`
    # more times in full (a duplicate export): what is reversed is exactly what
    # the line earned, never more.
    plan = incentives.load_plan(CLAWBACK)
    line = {"txn_id": "x", "date": date(2026, 1, 15), "payee": "a", "amount": amount,
            "currency": "USD", "kind": "sale", "original": ""}  # fmt: skip
    parts = [
        (amount * w / sum(weights)).quantize(Decimal("0.01"), rounding=ROUND_DOWN) for w in weights
    ]
    parts[-1] = amount - sum(parts[:-1], Decimal(0))
    parts += [amount] * extra
    refunds = [{"txn_id": f"xr{i}", "date": date(2026, 2 + i % 4, 20), "payee": "a",
                "amount": -part, "currency": "USD", "kind": "refund", "original": "x"}
               for i, part in enumerate(parts) if part]  # fmt: skip
    result = plan.run(dataset(rows, [line, *refunds]), period="2026-01", to="2026-06")
    reversed_ = -sum((s.amount("refunds") for s in result.statements), Decimal(0))
    earned = amount * Decimal("0.075")
    assert abs(reversed_ - earned) < Decimal("1e-80"), (reversed_, earned)


TRUE_UP = (
    HEADER
    + """
measure qtd_sales = sum amount over quarter to date
measure sales = sum amount
tiers rates marginal
  band below 20,000 USD: 2%
  band at least 20,000 USD: 5%
commission quarterly
  pays rates on qtd_sales
  true up over quarter
"""
)
QUARTER_PLAN = (
    'plan "Q" version "1" currency USD period quarter rounding half_up to 0.01 on components\n'
    """
measure sales = sum amount
tiers rates marginal
  band below 20,000 USD: 2%
  band at least 20,000 USD: 5%
commission quarterly
  pays rates on sales
"""
)


@given(sales())
def test_monthly_advances_plus_true_up_equal_the_quarter(
    rows: list[tuple[str, date, Decimal]],
) -> None:
    monthly = incentives.load_plan(TRUE_UP).run(dataset(rows), period="2026-01", to="2026-06")
    quarterly = incentives.load_plan(QUARTER_PLAN).run(
        dataset(rows), period="2026-Q1", to="2026-Q2"
    )
    for quarter, months in (("2026-Q1", MONTHS[:3]), ("2026-Q2", MONTHS[3:])):
        paid = sum(s.amount("quarterly") for s in monthly.statements if s.period in months)
        assert paid == quarterly.statement("a", quarter).amount("quarterly")


DRAW = (
    HEADER
    + """
measure sales = sum amount
commission c pays 10% of sales
draw g
  guarantee 1,500 USD
  shortfall recovered at most 400 USD per period
"""
)
ADVANCE = (
    HEADER
    + """
measure sales = sum amount
commission c pays 10% of sales
draw g
  advance 800 USD
  shortfall recovered
  when sales < 20,000 USD
"""
)


@given(sales(), st.sampled_from([DRAW, ADVANCE]))
def test_a_draw_balance_is_the_sum_of_paid_minus_earned(
    rows: list[tuple[str, date, Decimal]], text: str
) -> None:
    result = incentives.load_plan(text).run(dataset(rows), period="2026-01", to="2026-06")
    difference = Decimal(0)
    for statement in result.statements:
        earned = statement.amount("c")
        difference += statement.total - earned
        balance = next(b for b in statement.balances if b.name == "g")
        assert balance.closing == difference
        assert statement.total >= 0


VERSIONED = (
    HEADER
    + """
let base_rate = 4%
tiers rates marginal
  band below 10,000 USD: 2%
  band at least 10,000 USD: 6%
measure sales = sum amount
commission c pays base_rate of sales
commission t pays rates on sales
"""
)


@given(sales(), st.integers(2, 6), st.integers(1, 9))
def test_a_version_from_a_date_leaves_earlier_periods_unchanged(
    rows: list[tuple[str, date, Decimal]], month: int, percent: int
) -> None:
    start = f"2026-{month:02d}-01"
    changed = VERSIONED + (
        f"let base_rate from {start} = {percent}%\n"
        f"tiers rates from {start} marginal\n  band below 5,000 USD: 1%\n"
        "  band at least 5,000 USD: 8%\n"
    )
    before = incentives.load_plan(VERSIONED).run(dataset(rows), period="2026-01", to="2026-06")
    after = incentives.load_plan(changed).run(dataset(rows), period="2026-01", to="2026-06")
    for old, new in zip(before.statements, after.statements, strict=True):
        if old.end < date(2026, month, 1):
            assert old.model_dump_json() == new.model_dump_json()


STATEFUL = (
    HEADER
    + """
ledger columns
  kind: text
  original: text
measure sales = sum amount
measure qtd = sum amount over quarter to date
commission c
  pays 10% of sales
  hold back 25% for 2 periods
  cap at 6,000 USD per year, excess carried over
commission q
  pays 1% of qtd
  true up over quarter
clawback refunds reverses c for lines where kind = "refund" matched by original within 120 days
draw g
  guarantee 700 USD
  shortfall recovered at most 300 USD per period
upon termination
  holdbacks released
  unrecovered draws recovered
"""
)


@given(sales(), st.integers(1, 5), st.lists(st.integers(0, 11), max_size=3, unique=True))
def test_a_run_split_in_two_equals_the_whole(
    rows: list[tuple[str, date, Decimal]], cut: int, refunded: list[int]
) -> None:
    extra = [
        {"txn_id": f"r{i}", "date": date(2026, 6, 28), "payee": "a", "amount": -rows[i][2],
         "currency": "USD", "kind": "refund", "original": rows[i][0]}
        for i in refunded if i < len(rows)
    ]  # fmt: skip
    plan = incentives.load_plan(STATEFUL)
    data = dataset(rows, extra)
    whole = plan.run(data, period="2026-01", to="2026-06")
    first = plan.run(data, period="2026-01", to=MONTHS[cut - 1])
    rest = evaluate(plan.ir, data, plan.periods(MONTHS[cut], "2026-06"), opening=first.closing)
    assert [s.model_dump_json() for s in [*first.statements, *rest.statements]] == [
        s.model_dump_json() for s in whole.statements
    ]
    assert rest.closing == whole.closing


@given(sales(), st.lists(st.integers(0, 11), max_size=3, unique=True))
def test_periods_one_by_one_with_carried_balances_equal_the_whole(
    rows: list[tuple[str, date, Decimal]], refunded: list[int]
) -> None:
    extra = [
        {"txn_id": f"r{i}", "date": date(2026, 6, 28), "payee": "a", "amount": -rows[i][2],
         "currency": "USD", "kind": "refund", "original": rows[i][0]}
        for i in refunded if i < len(rows)
    ]  # fmt: skip
    plan = incentives.load_plan(STATEFUL)
    data = dataset(rows, extra)
    whole = plan.run(data, period="2026-01", to="2026-06")
    statements = []
    opening = None
    for month in MONTHS:
        one = evaluate(plan.ir, data, plan.periods(month), opening=opening)
        statements += one.statements
        opening = one.closing
    assert [s.model_dump_json() for s in statements] == [
        s.model_dump_json() for s in whole.statements
    ]
    assert opening == whole.closing
