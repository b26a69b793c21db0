"""Pay across periods (issue 3): draws, clawbacks, holdbacks, true-ups, caps over a
horizon, dated versions, earning dates and termination — each checked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

import incentives
from incentives.report.statements_table import render_table
from plan_doc import ledger, load

D = Decimal
HEADER = (
    'plan "P" version "1" currency USD period month rounding half_up to 0.01 on components\n'
    "  starts 2026-01-01\n"
)


def plan_of(body: str) -> incentives.Plan:
    return load(HEADER + body)


def run(
    plan: incentives.Plan, data: incentives.Dataset, first: str, last: str
) -> dict[str, incentives.Statement]:
    result = plan.run(data, period=first, to=last)
    return {s.period: s for s in result.statements if s.payee == "a"}


DRAW = """
measure sales = sum amount
commission c pays 10% of sales
draw floor_pay "Guarantee"
  guarantee 1,000 USD
  shortfall recovered
"""


def test_the_worked_draw_example() -> None:
    # draw 1,000 a month, earnings 500, 700, 400 -> paid 1,000 each month,
    # balance 500, 800, 1,400
    plan = plan_of(DRAW)
    data = ledger(
        ("t1", "2026-01-10", "a", "5000"),
        ("t2", "2026-02-10", "a", "7000"),
        ("t3", "2026-03-10", "a", "4000"),
    )
    months = run(plan, data, "2026-01", "2026-03")
    assert [months[m].total for m in ("2026-01", "2026-02", "2026-03")] == [D("1000.00")] * 3
    closing = [months[m].balances[0].closing for m in ("2026-01", "2026-02", "2026-03")]
    assert closing == [D("500.00"), D("800.00"), D("1400.00")]


def test_the_run_table_shows_each_period_s_balances() -> None:
    plan = plan_of(DRAW)
    data = ledger(
        ("t1", "2026-01-10", "a", "5000"),
        ("t2", "2026-02-10", "a", "7000"),
        ("t3", "2026-03-10", "a", "4000"),
    )
    table = render_table(plan.run(data, period="2026-01", to="2026-03"))
    balances = [line.split() for line in table.splitlines() if line.startswith("  a ")]
    assert balances == [
        ["a", "floor_pay", "draw", "0.00", "->", "500.00", "USD"],
        ["a", "floor_pay", "draw", "500.00", "->", "800.00", "USD"],
        ["a", "floor_pay", "draw", "800.00", "->", "1400.00", "USD"],
    ]


def test_recovery_never_pushes_pay_below_the_draw() -> None:
    plan = plan_of(DRAW)
    data = ledger(
        ("t1", "2026-01-10", "a", "5000"),  # earns 500: paid 1,000, balance 500
        ("t2", "2026-02-10", "a", "13000"),  # earns 1,300: recovers 300 of it, paid 1,000
        ("t3", "2026-03-10", "a", "20000"),  # earns 2,000: recovers the last 200, paid 1,800
    )
    months = run(plan, data, "2026-01", "2026-03")
    assert [months[m].total for m in ("2026-01", "2026-02", "2026-03")] == [
        D("1000.00"), D("1000.00"), D("1800.00"),
    ]  # fmt: skip
    assert months["2026-03"].balances[0].closing == D("0.00")
    # every draw: the sum of (paid - earned) is the balance
    earned = [D("500"), D("1300"), D("2000")]
    paid = [months[m].total for m in ("2026-01", "2026-02", "2026-03")]
    assert sum(p - e for p, e in zip(paid, earned, strict=True)) == D("0")


def test_forgiven_guarantee_and_recovery_limit() -> None:
    plan = plan_of(DRAW.replace("shortfall recovered", "shortfall forgiven"))
    data = ledger(("t1", "2026-01-10", "a", "5000"), ("t2", "2026-02-10", "a", "20000"))
    months = run(plan, data, "2026-01", "2026-02")
    assert months["2026-01"].total == D("1000.00")
    assert months["2026-02"].total == D("2000.00")  # the January shortfall was forgiven
    limited = plan_of(
        DRAW.replace("shortfall recovered", "shortfall recovered at most 100 USD per period")
    )
    months = run(limited, data, "2026-01", "2026-02")
    assert months["2026-02"].total == D("1900.00")
    assert months["2026-02"].balances[0].closing == D("400.00")


def test_recoverable_advance() -> None:
    plan = plan_of(
        "measure sales = sum amount\ncommission c pays 10% of sales\n"
        "draw adv advance 600 USD shortfall recovered when sales >= 0 USD\n"
    )
    data = ledger(("t1", "2026-01-10", "a", "2000"), ("t2", "2026-02-10", "a", "15000"))
    months = run(plan, data, "2026-01", "2026-02")
    # January: advance 600, earns 200, 200 repaid: paid 600, balance 400
    jan = {line.component: line.amount for line in months["2026-01"].lines}
    assert jan == {"c": D("200.00"), "adv": D("600.00"), "adv_recovery": D("-200.00")}
    assert months["2026-01"].balances[0].closing == D("400.00")
    # February: advance 600 again; earnings 1,500 repay the 1,000 owed: paid 1,100
    assert months["2026-02"].total == D("1100.00")
    assert months["2026-02"].balances[0].closing == D("0.00")


CLAWBACK = """
ledger columns
  kind: text
  original: text
measure sales = sum amount
commission c pays 10% of sales
clawback refunds "Refund clawback"
  reverses c
  for lines where kind = "refund"
  matched by original
  within 90 days
"""


def sale(txn: str, day: str, amount: str, kind: str = "sale", original: str = "") -> tuple:
    return (txn, day, "a", amount, {"kind": kind, "original": original})


def test_full_refund_reverses_the_commission_at_its_rate() -> None:
    plan = plan_of(CLAWBACK)
    data = ledger(
        sale("s1", "2026-01-10", "3000"),
        sale("r1", "2026-02-05", "-3000", "refund", "s1"),
    )
    months = run(plan, data, "2026-01", "2026-02")
    assert months["2026-01"].amount("c") == D("300.00")
    assert months["2026-02"].amount("refunds") == D("-300.00")
    assert months["2026-02"].amount("c") == D("0.00")  # the refund is not a sale
    total = sum(s.total for s in months.values())
    assert total == D("0.00")  # as if the sale never happened


def test_partial_refund_is_pro_rata_and_outside_the_window_reverses_nothing() -> None:
    plan = plan_of(CLAWBACK)
    data = ledger(
        sale("s1", "2026-01-10", "3000"),
        sale("s2", "2026-01-11", "1000"),
        sale("r1", "2026-02-05", "-750", "refund", "s1"),
        sale("r2", "2026-05-01", "-1000", "refund", "s2"),  # 110 days later
    )
    months = run(plan, data, "2026-01", "2026-05")
    assert months["2026-02"].amount("refunds") == D("-75.00")  # 25% of 300
    assert months["2026-05"].amount("refunds") == D("0.00")
    detail = months["2026-05"].lines[-1].trace.parts[0].detail or ""
    assert "outside the 90-day window" in detail


def test_marginal_clawback_uses_the_band_the_line_was_paid_in() -> None:
    plan = plan_of(
        CLAWBACK.replace(
            "commission c pays 10% of sales",
            "tiers rates marginal\n  band below 5,000 USD: 5%\n  band at least 5,000 USD: 10%\n"
            "commission c pays rates on sales",
        )
    )
    data = ledger(
        sale("s1", "2026-01-10", "4000"),  # fills 0-4,000 at 5%: 200
        sale("s2", "2026-01-20", "4000"),  # fills 4,000-8,000: 50 + 300 = 350
        sale("r2", "2026-02-01", "-4000", "refund", "s2"),
    )
    months = run(plan, data, "2026-01", "2026-02")
    assert months["2026-01"].amount("c") == D("550.00")
    assert months["2026-02"].amount("refunds") == D("-350.00")


def test_holdback_released_after_two_periods() -> None:
    plan = plan_of(
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  hold back 20% for 2 periods\n"
        "upon termination holdbacks forfeited\n"
    )
    data = ledger(("t1", "2026-01-10", "a", "10000"))
    months = run(plan, data, "2026-01", "2026-03")
    jan = {line.component: line.amount for line in months["2026-01"].lines}
    assert jan == {"c": D("1000.00"), "c_held": D("-200.00")}
    assert months["2026-02"].total == D("0.00")
    assert months["2026-03"].amount("c_released") == D("200.00")


def test_a_release_past_the_calendar_end_stays_held_until_termination() -> None:
    plan = plan_of(
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  hold back 20% for 3 periods\n"
        "upon termination holdbacks released\n"
    )
    data = ledger(
        ("t1", "9999-10-10", "a", "10000"),
        roster=[{"payee": "a", "end_date": "9999-11-30"}],
    )
    months = run(plan, data, "9999-10", "9999-11")
    october = months["9999-10"]
    assert october.amount("c_held") == D("-200.00")
    held = next(line for line in october.lines if line.component == "c_held")
    assert "past the calendar's end" in (held.trace.detail or "")
    # the payee leaves in November: the termination rule releases what is held
    assert months["9999-11"].amount("c_released") == D("200.00")


@pytest.mark.parametrize("periods", [0, 1001])
def test_a_holdback_is_released_after_1_to_1000_periods(periods: int) -> None:
    source = incentives.SourceFile(
        "p.plan",
        HEADER
        + "measure sales = sum amount\n"
        + f"commission c\n  pays 10% of sales\n  hold back 20% for {periods} periods\n"
        + "upon termination holdbacks released\n",
    )
    _, found = incentives.check_source(source)
    assert [(d.code, d.span.line) for d in found] == [("E450", 6)]
    assert f"not {periods:,}" in found[0].message


def test_holdback_until_the_customer_pays_and_forfeited_on_refund() -> None:
    plan = plan_of(
        "ledger columns\n  kind: text\n  original: text\n  paid_on: date optional\n"
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  hold back 50% until paid_on\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 365 days\n"
        "upon termination holdbacks released\n"
    )
    rows = [
        (
            "s1",
            "2026-01-10",
            "a",
            "1000",
            {"kind": "sale", "original": "", "paid_on": "2026-03-02"},
        ),
        ("s2", "2026-01-12", "a", "3000", {"kind": "sale", "original": "", "paid_on": ""}),
        ("r2", "2026-02-15", "a", "-3000", {"kind": "refund", "original": "s2", "paid_on": ""}),
    ]
    months = run(plan, ledger(*rows), "2026-01", "2026-03")
    assert months["2026-01"].amount("c_held") == D("-200.00")  # half of 400
    # s2 refunded in February: it earned 300, of which 150 was paid and 150 held
    # back; the held 150 is forfeited and the paid 150 clawed back, so the
    # cancelled sale nets to nothing
    assert months["2026-02"].amount("refunds") == D("-150.00")
    held = months["2026-02"].balances[0]
    assert (held.opening, held.closing) == (D("200.00"), D("50.00"))
    assert held.detail == "150.00 USD forfeited: line s2 refunded"
    s2_paid = D("300.00") - D("150.00")
    assert s2_paid + months["2026-02"].amount("refunds") == 0
    # s1 paid on 2026-03-02: its 50 is released in March
    assert months["2026-03"].amount("c_released") == D("50.00")
    assert months["2026-03"].balances[0].closing == D("0.00")


def test_quarterly_true_up_of_monthly_advances() -> None:
    plan = plan_of(
        "measure qtd_sales = sum amount over quarter to date\n"
        "tiers rates retroactive\n  band below 30,000 USD: 2%\n  band at least 30,000 USD: 4%\n"
        "commission quarterly\n  pays rates on qtd_sales\n  true up over quarter\n"
    )
    data = ledger(
        ("t1", "2026-01-10", "a", "10000"),
        ("t2", "2026-02-10", "a", "15000"),
        ("t3", "2026-03-10", "a", "10000"),
    )
    months = run(plan, data, "2026-01", "2026-03")
    paid = [months[m].amount("quarterly") for m in ("2026-01", "2026-02", "2026-03")]
    # to date: 200, 500, then 35,000 × 4% = 1,400; payments add up to the quarter's pay
    assert paid == [D("200.00"), D("300.00"), D("900.00")]
    assert sum(paid) == D("1400.00")


def test_annual_cap_with_excess_carried_over() -> None:
    plan = plan_of(
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  cap at 1,000 USD per year, excess carried over\n"
    ).ir
    data = ledger(
        ("t1", "2026-11-10", "a", "8000"),
        ("t2", "2026-12-10", "a", "5000"),
        ("t3", "2027-01-10", "a", "1000"),
    )
    result = incentives.pipeline.Plan(plan).run(data, period="2026-11", to="2027-01")
    paid = [s.amount("c") for s in result.statements]
    assert paid == [D("800.00"), D("200.00"), D("400.00")]  # 300 withheld, paid in 2027


def test_dated_version_applies_from_its_date_and_leaves_earlier_periods() -> None:
    base = "let base_rate = 5%\nmeasure sales = sum amount\ncommission c pays base_rate of sales\n"
    changed = base + "let base_rate from 2026-03-01 = 6%\n"
    data = ledger(("t1", "2026-02-10", "a", "1000"), ("t2", "2026-03-10", "a", "1000"))
    before = run(plan_of(base), data, "2026-01", "2026-03")
    after = run(plan_of(changed), data, "2026-01", "2026-03")
    assert after["2026-02"].model_dump_json() == before["2026-02"].model_dump_json()
    assert after["2026-03"].amount("c") == D("60.00")
    assert "the version from 2026-03-01" in (after["2026-03"].lines[0].trace.parts[0].detail or "")


def test_earned_on_payment_date() -> None:
    plan = plan_of(
        "ledger columns\n  paid_on: date optional\n"
        "crediting\n  earn on paid_on\n"
        "measure sales = sum amount\ncommission c pays 10% of sales\n"
    )
    data = ledger(
        ("t1", "2026-01-10", "a", "1000", {"paid_on": "2026-02-03"}),
        ("t2", "2026-01-20", "a", "500", {"paid_on": ""}),
    )
    result = plan.run(data, period="2026-01", to="2026-02")
    by_period = {s.period: s.amount("c") for s in result.statements}
    assert by_period == {"2026-01": D("0.00"), "2026-02": D("100.00")}
    assert result.rows.excluded == {"not earned yet: its earning date is empty": 1}


def test_termination_forgives_the_draw() -> None:
    plan = plan_of(DRAW + "upon termination unrecovered draws forgiven\n")
    data = ledger(
        ("t1", "2026-01-10", "a", "5000"),
        ("t2", "2026-02-10", "a", "1000"),
        roster=[{"payee": "a", "end_date": "2026-02-20"}],
    )
    months = run(plan, data, "2026-01", "2026-02")
    assert months["2026-02"].balances[0].closing == D("0.00")
    assert "forgiven on termination" in (months["2026-02"].balances[0].detail or "")


def test_opening_state_continues_a_run() -> None:
    plan = plan_of(DRAW)
    data = ledger(
        ("t1", "2026-01-10", "a", "5000"),
        ("t2", "2026-02-10", "a", "13000"),
        ("t3", "2026-03-10", "a", "20000"),
    )
    whole = plan.run(data, period="2026-01", to="2026-03")
    first = plan.run(data, period="2026-01", to="2026-02")
    rest = incentives.evaluate.evaluate(
        plan.ir, data, plan.periods("2026-03"), opening=first.closing
    )
    assert rest.statements[0].model_dump_json() == whole.statements[-1].model_dump_json()
    assert rest.closing == whole.closing
    with pytest.raises(incentives.UsageError):
        incentives.evaluate.evaluate(plan.ir, data, plan.periods("2026-02"), opening=first.closing)


def test_a_stateful_plan_must_say_when_it_starts() -> None:
    source = incentives.SourceFile("p.plan", DRAW_PLAN_WITHOUT_START)
    _, found = incentives.check_source(source)
    assert "E455" in {d.code for d in found}


DRAW_PLAN_WITHOUT_START = (
    'plan "P" version "1" currency USD period month rounding half_up to 0.01 on components\n' + DRAW
)


def test_a_held_line_waiting_for_its_date_is_released_when_a_later_ledger_has_it() -> None:
    plan = plan_of(
        "ledger columns\n  paid_on: date optional\n"
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  hold back 50% until paid_on\n"
        "upon termination holdbacks forfeited\n"
    )
    unpaid = ledger(("s1", "2026-01-10", "a", "1000", {"paid_on": ""}))
    january = plan.run(unpaid, period="2026-01")
    (item,) = january.closing.payees["a"].held
    assert item.waiting and item.release_date is None
    # In March the customer has paid (on 2026-02-20): the March run, continuing
    # from January's closing state, releases the 50 held back.
    paid = ledger(("s1", "2026-01-10", "a", "1000", {"paid_on": "2026-02-20"}))
    rest = incentives.evaluate.evaluate(
        plan.ir, paid, plan.periods("2026-02", "2026-03"), opening=january.closing
    )
    released = {s.period: s.amount("c_released") for s in rest.statements}
    assert released == {"2026-02": D("50.00"), "2026-03": D("0")}
    assert rest.closing.payees["a"].held == []


def test_lines_read_only_for_carried_balances_are_accounted_as_such() -> None:
    plan = plan_of(DRAW)
    data = ledger(
        ("t1", "2026-01-10", "a", "5000"),
        ("t2", "2026-02-10", "a", "13000"),
        ("t3", "2026-03-10", "a", "20000"),
    )
    rows = plan.run(data, period="2026-02").rows
    assert (rows.read, rows.credited) == (3, 1)
    assert rows.excluded == {
        incentives.evaluate.run.EXCLUDED_EARLIER: 1,
        incentives.evaluate.run.EXCLUDED_OUTSIDE: 1,
    }


def test_a_draw_amount_that_cannot_be_computed_is_a_run_time_error() -> None:
    plan = plan_of(
        "roster fields\n  fte: decimal\n"
        "measure sales = sum amount\ncommission c pays 10% of sales\n"
        "draw d\n  guarantee 400 USD * fte\n  shortfall forgiven\n"
    )
    data = ledger(("t1", "2026-01-10", "a", "100"), roster=[{"payee": "a", "fte": None}])
    with pytest.raises(incentives.EvaluationError) as caught:
        plan.run(data, period="2026-01")
    (problem,) = caught.value.diagnostics
    assert problem.code == "R707"
    assert "`fte`" in problem.message
    assert problem.span.line == 8  # the draw's amount, not an internal error


CAPPED_CLAWBACK = (
    "ledger columns\n  kind: text\n  original: text\n"
    "measure sales = sum amount\n"
    "commission c\n  pays 10% of sales\n  {clause}\n"
    'clawback refunds reverses c for lines where kind = "refund" matched by original '
    "within 90 days\n"
)


@pytest.mark.parametrize(
    ("clause", "paid"),
    [
        ("cap at 50 USD", D("50.00")),
        ("gate at 5,000 USD, nothing below", D("0.00")),
        ("when sales > 5,000 USD", D("0.00")),
    ],
)
def test_a_refund_reverses_what_its_line_was_paid_not_what_the_formula_said(
    clause: str, paid: Decimal
) -> None:
    plan = plan_of(CAPPED_CLAWBACK.format(clause=clause))
    rows = [
        ("s1", "2026-01-10", "a", "1000", {"kind": "sale", "original": ""}),
        ("r1", "2026-02-10", "a", "-1000", {"kind": "refund", "original": "s1"}),
    ]
    months = run(plan, ledger(*rows), "2026-01", "2026-02")
    assert months["2026-01"].total == paid
    # the sale was cancelled: what it was paid comes back, never more
    assert months["2026-02"].amount("refunds") == -paid


def test_a_quarterly_cap_holds_on_what_the_quarter_earned_and_a_forfeit_is_shown() -> None:
    plan = plan_of(
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  cap at 1,000 USD per quarter, excess forfeited\n"
    )
    data = ledger(
        ("t1", "2026-01-10", "a", "15000"),  # earns 1,500: 1,000 paid, 500 withheld
        ("t2", "2026-02-10", "a", "-8000"),  # -800: uses up the 500 withheld, takes back 300
        ("t3", "2026-03-10", "a", "2000"),  # +200
        ("t4", "2026-04-10", "a", "100"),  # a new quarter
    )
    months = run(plan, data, "2026-01", "2026-04")
    paid = [months[m].amount("c") for m in ("2026-01", "2026-02", "2026-03")]
    assert paid == [D("1000.00"), D("-300.00"), D("200.00")]
    assert sum(paid) == D("900.00")  # what Q1 earned, under its cap
    assert str(months["2026-01"].amount("c")) == "1000.00"
    only = ledger(("t1", "2026-01-10", "a", "15000"), ("t4", "2026-04-10", "a", "100"))
    april = run(plan, only, "2026-01", "2026-04")["2026-04"]
    (withheld,) = april.balances
    assert (withheld.opening, withheld.closing) == (D("500.00"), D("0"))
    assert withheld.detail is not None
    assert "500.00 USD withheld in 2026-Q1 forfeited" in withheld.detail


def test_refunding_a_split_sale_reverses_every_share() -> None:
    plan = incentives.load_plan(
        HEADER
        + "crediting\n  split by splits\n  remainder to largest remainder\n"
        + CAPPED_CLAWBACK.format(clause="when sales > 0 USD")
    )
    rows = [
        ("s1", "2026-01-10", "a", "1000", {"kind": "sale", "original": ""}),
        ("r1", "2026-02-10", "a", "-1000", {"kind": "refund", "original": "s1"}),
    ]
    splits = [
        {"txn_id": "s1", "payee": "a", "share": "50%", "credit": ""},
        {"txn_id": "s1", "payee": "b", "share": "50%", "credit": ""},
    ]
    data = ledger(*rows, splits=splits, roster=[{"payee": "a"}, {"payee": "b"}])
    result = plan.run(data, period="2026-01", to="2026-02")
    # the refund line names only a; b's half is reversed all the same
    totals = {(s.payee, s.period): s.total for s in result.statements}
    assert totals == {
        ("a", "2026-01"): D("50.00"), ("b", "2026-01"): D("50.00"),
        ("a", "2026-02"): D("-50.00"), ("b", "2026-02"): D("-50.00"),
    }  # fmt: skip


def test_a_refund_dated_before_its_sale_is_refused() -> None:
    plan = plan_of(CAPPED_CLAWBACK.format(clause="when sales > 0 USD"))
    rows = [
        ("s1", "2026-03-01", "a", "1000", {"kind": "sale", "original": ""}),
        ("r1", "2026-02-15", "a", "-1000", {"kind": "refund", "original": "s1"}),
    ]
    with pytest.raises(incentives.DataError) as caught:
        plan.run(ledger(*rows), period="2026-01", to="2026-03")
    (d,) = caught.value.diagnostics
    assert d.code == "D621" and "`r1`" in d.message and "2026-03-01" in d.message


def test_a_refund_forfeits_its_line_s_share_of_a_holdback_for_n_periods() -> None:
    plan = plan_of(
        "ledger columns\n  kind: text\n  original: text\n"
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  hold back 50% for 3 periods\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 365 days\n"
        "upon termination holdbacks forfeited\n"
    )
    rows = [
        ("s1", "2026-01-05", "a", "10000", {"kind": "sale", "original": ""}),
        ("r1", "2026-02-05", "a", "-10000", {"kind": "refund", "original": "s1"}),
    ]
    months = run(plan, ledger(*rows), "2026-01", "2026-04")
    # 1,000 earned: 500 paid, 500 held; the refund takes back the 500 paid and
    # forfeits the 500 held, which is never released in April
    assert months["2026-02"].amount("refunds") == D("-500.00")
    assert sum(m.total for m in months.values()) == D("0.00")
    assert months["2026-04"].amount("c_released") == D("0")


def test_a_refund_under_a_cap_over_a_horizon_uses_up_what_is_withheld_first() -> None:
    plan = plan_of(
        "ledger columns\n  kind: text\n  original: text\n"
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  cap at 100 USD per year, excess forfeited\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 90 days\n"
    )
    rows = [
        ("s1", "2026-01-05", "a", "3000", {"kind": "sale", "original": ""}),
        ("r1", "2026-02-05", "a", "-1000", {"kind": "refund", "original": "s1"}),
        ("r2", "2026-03-05", "a", "-2000", {"kind": "refund", "original": "s1"}),
    ]
    months = run(plan, ledger(*rows), "2026-01", "2026-03")
    # earned 300, paid 100, 200 withheld; a third refunded: earned 200, still
    # over the cap, pay unchanged; the rest refunded: earned 0, the 100 comes back
    assert [months[m].total for m in ("2026-01", "2026-02", "2026-03")] == [
        D("100.00"), D("0.00"), D("-100.00"),
    ]  # fmt: skip
    assert [months[m].balances[0].closing for m in ("2026-02", "2026-03")] == [
        D("100.00"), D("0.00"),
    ]  # fmt: skip


def test_a_clawback_of_a_component_gated_excess_only_is_refused() -> None:
    source = incentives.SourceFile(
        "p.plan",
        HEADER
        + CAPPED_CLAWBACK.format(clause="gate at 5,000 USD, excess only").replace(
            "within 90 days", "within 365 days"
        ),
    )
    _, found = incentives.check_source(source)
    (e453,) = [d for d in found if d.code == "E453"]
    assert "excess over a gate" in e453.message


def test_a_refund_earned_before_its_sale_is_refused() -> None:
    plan = plan_of(
        "ledger columns\n  kind: text\n  original: text\n  paid_on: date optional\n"
        "crediting\n  earn on paid_on\n"
        "measure sales = sum amount\ncommission c pays 10% of sales\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 90 days\n"
    )
    rows = [
        ("s1", "2026-01-05", "a", "1000",
         {"kind": "sale", "original": "", "paid_on": "2026-03-20"}),
        ("r1", "2026-02-10", "a", "-1000",
         {"kind": "refund", "original": "s1", "paid_on": "2026-02-10"}),
    ]  # fmt: skip
    with pytest.raises(incentives.DataError) as caught:
        plan.run(ledger(*rows), period="2026-01", to="2026-03")
    (d,) = caught.value.diagnostics
    assert d.code == "D621" and "earned later (2026-03-20)" in d.message


QUARTER_CAP_CLAWBACK = (
    "ledger columns\n  kind: text\n  original: text\n"
    "measure sales = sum amount\n"
    "commission c\n  pays 10% of sales\n  {cap}\n"
    'clawback refunds reverses c for lines where kind = "refund" matched by original '
    "within 365 days\n{total}"
)


@pytest.mark.parametrize(
    ("cap", "total"),
    [
        ("cap at 1,000 USD per quarter, excess forfeited", ""),
        ("when sales > 0 USD", "total\n  cap at 1,000 USD per quarter, excess forfeited\n"),
    ],
)
def test_refunds_under_a_quarterly_cap(cap: str, total: str) -> None:
    plan = plan_of(QUARTER_CAP_CLAWBACK.format(cap=cap, total=total))
    same_quarter = [
        ("a1", "2026-01-05", "a", "15000", {"kind": "sale", "original": ""}),
        ("r1", "2026-02-05", "a", "-8000", {"kind": "refund", "original": "a1"}),
        ("a2", "2026-03-05", "a", "2000", {"kind": "sale", "original": ""}),
    ]
    months = run(plan, ledger(*same_quarter), "2026-01", "2026-06")
    # Q1 earns 1,500 - 800 + 200 = 900, under the cap: it pays 1,000, -300, 200
    assert [m.total for m in months.values()][:3] == [D("1000.00"), D("-300.00"), D("200.00")]
    later_quarter = [
        ("b1", "2026-02-05", "a", "15000", {"kind": "sale", "original": ""}),
        ("rb", "2026-04-05", "a", "-15000", {"kind": "refund", "original": "b1"}),
    ]
    months = run(plan, ledger(*later_quarter), "2026-01", "2026-06")
    # 1,500 earned, 1,000 paid, 500 forfeited with Q1: the refund takes back 1,000
    assert sum(m.total for m in months.values()) == D("0.00")


def test_refunding_every_line_reverses_exactly_what_was_paid() -> None:
    plan = plan_of(CAPPED_CLAWBACK.format(clause="when sales > 0 USD"))
    rows = [(f"s{i}", "2026-01-05", "a", "10.05", {"kind": "sale", "original": ""})
            for i in range(3)]  # fmt: skip
    rows += [(f"r{i}", f"2026-0{2 + i}-05", "a", "-10.05", {"kind": "refund", "original": f"s{i}"})
             for i in range(3)]  # fmt: skip
    months = run(plan, ledger(*rows), "2026-01", "2026-04")
    # 10% of 30.15 = 3.015, paid 3.02: the lines earned 1.01, 1.01 and 1.00
    assert months["2026-01"].total == D("3.02")
    assert sum(m.total for m in months.values()) == D("0.00")


def test_a_refund_in_another_currency_than_its_sale_is_refused() -> None:
    plan = incentives.load_plan(
        HEADER
        + "fx\n  convert at line date\n"
        + CAPPED_CLAWBACK.format(clause="when sales > 0 USD")
    )
    rows = [
        ("s1", "2026-01-05", "a", "1000", {"kind": "sale", "original": "", "currency": "EUR"}),
        ("r1", "2026-02-05", "a", "-1000", {"kind": "refund", "original": "s1"}),
    ]
    data = ledger(*rows, fx=[{"date": "2026-01-01", "from": "EUR", "to": "USD", "rate": "1.1"}])
    with pytest.raises(incentives.DataError) as caught:
        plan.run(data, period="2026-01", to="2026-02")
    (d,) = caught.value.diagnostics
    assert d.code == "D623" and "`r1`" in d.message


def test_a_refund_not_earned_yet_waits_and_one_before_the_start_is_still_checked() -> None:
    plan = plan_of(
        "ledger columns\n  kind: text\n  original: text\n  paid_on: date optional\n"
        "crediting\n  earn on paid_on\n"
        "measure sales = sum amount\ncommission c pays 10% of sales\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 90 days\n"
    )
    rows = [
        ("s1", "2026-01-05", "a", "1000",
         {"kind": "sale", "original": "", "paid_on": "2026-01-10"}),
        ("r1", "2026-02-01", "a", "-1000", {"kind": "refund", "original": "s1", "paid_on": ""}),
    ]  # fmt: skip
    months = run(plan, ledger(*rows), "2026-01", "2026-03")
    # the refund has no earning date yet: it reverses nothing until it has one
    assert [m.total for m in months.values()] == [D("100.00"), D("0.00"), D("0.00")]
    before_start = [
        ("s1", "2026-01-05", "a", "1000",
         {"kind": "sale", "original": "", "paid_on": "2026-01-05"}),
        ("r1", "2025-12-05", "a", "-500",
         {"kind": "refund", "original": "s1", "paid_on": "2025-12-05"}),
    ]  # fmt: skip
    with pytest.raises(incentives.DataError) as caught:
        plan.run(ledger(*before_start), period="2026-01")
    assert [d.code for d in caught.value.diagnostics] == ["D621"]


@pytest.mark.parametrize("mode", ["down", "up", "half_up"])
def test_refunds_after_a_forfeited_quarter_reverse_exactly_what_it_paid(mode: str) -> None:
    plan = incentives.load_plan(
        HEADER.replace("half_up", mode)
        + QUARTER_CAP_CLAWBACK.format(
            cap="cap at 1,000 USD per quarter, excess forfeited", total=""
        )
    )
    rows = [
        ("s1", "2026-01-10", "a", "7000", {"kind": "sale", "original": ""}),
        ("s2", "2026-02-10", "a", "8000", {"kind": "sale", "original": ""}),
        ("r1", "2026-04-10", "a", "-7000", {"kind": "refund", "original": "s1"}),
        ("r2", "2026-04-11", "a", "-8000", {"kind": "refund", "original": "s2"}),
    ]
    months = run(plan, ledger(*rows), "2026-01", "2026-04")
    assert months["2026-04"].total == D("-1000.00")


def test_a_refund_in_a_later_quarter_uses_up_what_is_carried_over() -> None:
    plan = plan_of(
        QUARTER_CAP_CLAWBACK.format(
            cap="cap at 1,000 USD per quarter, excess carried over", total=""
        )
    )
    rows = [
        ("s1", "2026-01-10", "a", "50000", {"kind": "sale", "original": ""}),
        ("r1", "2026-04-10", "a", "-50000", {"kind": "refund", "original": "s1"}),
    ]
    months = run(plan, ledger(*rows), "2026-01", "2026-12")
    # 5,000 earned, 1,000 paid in Q1, 4,000 carried; April pays 1,000 more of it,
    # then the refund uses up the 3,000 still carried and takes back the 2,000 paid
    assert months["2026-04"].total == D("-1000.00")
    assert sum(m.total for m in months.values()) == D("0.00")
    assert all(months[m].total == 0 for m in ("2026-07", "2026-10"))


def test_a_held_share_forfeited_by_a_refund_is_not_counted_as_paid_under_a_cap() -> None:
    plan = plan_of(
        "ledger columns\n  kind: text\n  original: text\n  paid_on: date optional\n"
        "measure sales = sum amount\n"
        "commission c\n  pays 10% of sales\n  cap at 1,000 USD per quarter, excess forfeited\n"
        "  hold back 25% until paid_on\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 365 days\n"
        "upon termination holdbacks released\n"
    )
    rows = [
        ("s0", "2026-07-05", "a", "4000", {"kind": "sale", "original": "", "paid_on": ""}),
        ("r0", "2026-07-20", "a", "-4000", {"kind": "refund", "original": "s0", "paid_on": ""}),
        ("s2", "2026-08-10", "a", "20000",
         {"kind": "sale", "original": "", "paid_on": "2026-08-20"}),
        ("r2", "2026-10-10", "a", "-20000", {"kind": "refund", "original": "s2", "paid_on": ""}),
    ]  # fmt: skip
    months = run(plan, ledger(*rows), "2026-07", "2026-10")
    # s0 nets to zero in July; s2 is paid the quarter's 1,000 and refunded 1,000
    assert [m.total for m in months.values()] == [D("0.00"), D("1000.00"), D("0.00"), D("-1000.00")]
