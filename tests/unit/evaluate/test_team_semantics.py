"""Teams, crediting and currencies (issue 4): splits, overlays, crediting rules,
manager overrides, team goals, ranks and FX, each checked by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import incentives
from incentives.report.statements_table import render_table
from plan_doc import HEADER, ledger, plan_doc

D = Decimal


def split(txn: str, payee: str, share: str, credit: str = "") -> dict[str, str]:
    return {"txn_id": txn, "payee": payee, "share": share, "credit": credit}


@plan_doc(header=True)
def test_split_parts_sum_exactly_with_largest_remainder(plan: incentives.Plan) -> None:
    """
    crediting
      split by splits
      remainder to largest remainder
    measure sales = sum amount
    commission c pays 10% of sales
    """
    data = ledger(
        ("t1", "2026-03-02", "a", "100.00"),
        splits=[split("t1", "a", "33.33%"), split("t1", "b", "33.33%"), split("t1", "c", "33.34%")],
        roster=[{"payee": p} for p in "abc"],
    )
    run = plan.run(data, period="2026-03")
    sales = {s.payee: D(s.values["sales"].value or "") for s in run.statements}
    # 33.33, 33.33, 33.34: exact already
    assert sales == {"a": D("33.33"), "b": D("33.33"), "c": D("33.34")}
    data = ledger(
        ("t1", "2026-03-02", "a", "0.05"),
        splits=[split("t1", "b", "50%"), split("t1", "a", "50%")],
        roster=[{"payee": p} for p in "ab"],
    )
    run = plan.run(data, period="2026-03")
    sales = {s.payee: D(s.values["sales"].value or "") for s in run.statements}
    # 0.025 each: one cent each, and the remainder cent to the lower payee id (a tie)
    assert sales == {"a": D("0.03"), "b": D("0.02")}
    assert sum(sales.values()) == D("0.05")


@plan_doc(header=True)
def test_remainder_to_seller_and_overlay_on_top(plan: incentives.Plan) -> None:
    """
    crediting
      split by splits
      overlay "engineer"
      remainder to seller
    measure sales = sum amount where credit_type != "engineer"
    measure assists = sum amount where credit_type = "engineer"
    commission c pays 10% of sales
    bonus assist pays 2% of assists
    """
    data = ledger(
        ("t1", "2026-03-02", "b", "1000.01"),
        splits=[
            split("t1", "a", "50%"),
            split("t1", "b", "50%"),
            split("t1", "e", "20%", "engineer"),
        ],
        roster=[{"payee": p} for p in "abe"],
    )
    run = plan.run(data, period="2026-03")
    assert run.statement("b").values["sales"].value == "500.01"  # the seller gets the cent
    assert run.statement("a").values["sales"].value == "500.00"
    assert run.statement("e").values["assists"].value == "200.00"  # 200.002 toward zero
    assert run.statement("a").values["sales"].value != run.statement("e").values["sales"].value


@plan_doc(header=True)
def test_a_share_of_an_inactive_payee_is_reported_not_lost(plan: incentives.Plan) -> None:
    """
    crediting
      split by splits
      remainder to largest remainder
    measure sales = sum amount
    commission c pays 10% of sales
    """
    data = ledger(
        ("t1", "2026-03-02", "a", "1000.00"),
        splits=[split("t1", "a", "60%"), split("t1", "b", "40%")],
        roster=[{"payee": "a"}, {"payee": "b", "start_date": "2026-03-16"}],
    )
    run = plan.run(data, period="2026-03")
    assert {s.payee: s.total for s in run.statements} == {"a": D("60.00"), "b": D("0.00")}
    assert run.rows.credited == 1
    (unpaid,) = run.rows.unpaid_shares
    assert (unpaid.txn_id, unpaid.payee, unpaid.share) == ("t1", "b", D("0.4"))
    assert unpaid.reason == "the payee was not active on the line's date"
    table = render_table(run)
    assert "rows: 1 read, 1 credited (1 share(s) not paid, below), 0 excluded" in table
    assert "share not paid: line t1, 40% to b (split): the payee was not active" in table


@plan_doc(header=True)
def test_shares_must_add_up(plan: incentives.Plan) -> None:
    """
    crediting
      split by splits
      remainder to largest remainder
    measure sales = sum amount
    commission c pays 10% of sales
    """
    data = ledger(
        ("t1", "2026-03-02", "a", "100"),
        splits=[split("t1", "a", "50%"), split("t1", "b", "40%")],
        roster=[{"payee": p} for p in "ab"],
    )
    with pytest.raises(incentives.DataError) as caught:
        plan.run(data, period="2026-03")
    assert [d.code for d in caught.value.diagnostics] == ["D615"]
    assert "90%" in caught.value.diagnostics[0].message


@plan_doc(header=True)
def test_credit_by_another_column_from_a_date(plan: incentives.Plan) -> None:
    """
    ledger columns
      owner: text
    crediting
      credit to payee
      credit to owner from 2026-03-15
    measure sales = sum amount
    commission c pays 10% of sales
    """
    data = ledger(
        ("t1", "2026-03-14", "a", "100", {"owner": "b"}),
        ("t2", "2026-03-15", "a", "200", {"owner": "b"}),
        roster=[{"payee": "a"}, {"payee": "b"}],
    )
    run = plan.run(data, period="2026-03")
    assert run.statement("a").amount("c") == D("10.00")
    assert run.statement("b").amount("c") == D("20.00")


@plan_doc(header=True)
def test_unknown_owner_is_a_data_error(plan: incentives.Plan) -> None:
    """
    ledger columns
      owner: text
    crediting
      credit to owner
    measure sales = sum amount
    commission c pays 10% of sales
    """
    data = ledger(("t1", "2026-03-14", "a", "100", {"owner": "zed"}), roster=[{"payee": "a"}])
    with pytest.raises(incentives.DataError) as caught:
        plan.run(data, period="2026-03")
    (d,) = caught.value.diagnostics
    assert d.code == "D605" and "zed" in d.message and "t1" in d.message


ROSTER = [
    {"payee": "boss", "manager": ""},
    {"payee": "m1", "manager": "boss"},
    {"payee": "m2", "manager": "boss"},
    {"payee": "r1", "manager": "m1"},
    {"payee": "r2", "manager": "m1"},
    {"payee": "r3", "manager": "m2"},
]


@plan_doc(header=True)
def test_team_measure_counts_a_shared_line_once(plan: incentives.Plan) -> None:
    """
    crediting
      split by splits
      remainder to largest remainder
    measure sales = sum amount
    measure team_sales = sum amount across reports
    measure direct_team = sum amount across reports to depth 1
    commission c pays 10% of sales
    commission override pays 1% of team_sales
    """
    data = ledger(
        ("t1", "2026-03-02", "r1", "1000"),
        ("t2", "2026-03-03", "r3", "500"),
        ("t3", "2026-03-04", "m1", "200"),
        splits=[split("t1", "r1", "60%"), split("t1", "r2", "40%")],
        roster=ROSTER,
    )
    run = plan.run(data, period="2026-03")
    boss = run.statement("boss")
    # boss's reports: m1, m2, r1, r2, r3 — t1 once (1000), t2 500, t3 200
    assert D(boss.values["team_sales"].value or "") == D("1700")
    assert D(boss.values["direct_team"].value or "") == D("200")  # m1 and m2 only
    team = D(run.statement("m1").values["team_sales"].value or "")
    assert team == D("1000")  # t1 once, not 600 + 400 counted separately
    assert run.statement("m1").amount("override") == D("10.00")


@plan_doc(header=True)
def test_override_on_team_commissions_equals_rate_times_team_total(
    plan: incentives.Plan,
) -> None:
    """
    measure sales = sum amount
    commission c pays 10% of sales
    commission override pays 5% of sum of c across reports to depth 1
    """
    data = ledger(
        ("t1", "2026-03-02", "r1", "1000"),
        ("t2", "2026-03-03", "r2", "330"),
        ("t3", "2026-03-04", "r3", "999"),
        roster=ROSTER,
    )
    run = plan.run(data, period="2026-03")
    # m1's direct reports r1 (100.00) and r2 (33.00): 5% of 133.00 = 6.65
    assert run.statement("m1").amount("override") == D("6.65")
    assert run.statement("boss").amount("override") == D("0.00")  # m1, m2 earn 0 themselves
    assert "r1 100.00" in (run.statement("m1").lines[1].trace.parts[0].detail or "")


@plan_doc(header=True)
def test_team_goal_bonus_split_by_contribution(plan: incentives.Plan) -> None:
    """
    roster fields
      team: text
    measure sales = sum amount
    quota target goal 1,000 USD per month
    let team_sales = sum of sales across group team
    let team_target = sum of target across group team
    let team_attainment = team_sales / team_target
    bonus team_bonus
      pays 300 USD * (sales / team_sales)
      when team_attainment >= 100%
    """
    data = ledger(
        ("t1", "2026-03-02", "a", "1500"),
        ("t2", "2026-03-03", "b", "500"),
        ("t3", "2026-03-03", "c", "900"),
        roster=[
            {"payee": "a", "team": "red"},
            {"payee": "b", "team": "red"},
            {"payee": "c", "team": "blue"},
        ],
    )
    run = plan.run(data, period="2026-03")
    assert run.statement("a").values["team_attainment"].value == "1"
    assert run.statement("a").amount("team_bonus") == D("225.00")  # 300 × 1500/2000
    assert run.statement("b").amount("team_bonus") == D("75.00")
    assert run.statement("c").amount("team_bonus") == D("0.00")  # blue at 90%


@plan_doc(header=True)
def test_rank_bonus_and_leaderboard(plan: incentives.Plan) -> None:
    """
    roster fields
      start_date: date
    measure sales = sum amount
    let position = rank of sales across everyone highest first ties by start_date
    tiers podium flat
      band below 1: 0 USD
      band at least 1 and at most 1: 300 USD
      band above 1 and at most 3: 100 USD
      band above 3: 0 USD
    bonus top3 pays podium at position
    """
    data = ledger(
        ("t1", "2026-03-02", "a", "500"),
        ("t2", "2026-03-02", "b", "900"),
        ("t3", "2026-03-02", "c", "500"),
        ("t4", "2026-03-02", "d", "100"),
        roster=[
            {"payee": "a", "start_date": "2024-05-01"},
            {"payee": "b", "start_date": "2025-01-01"},
            {"payee": "c", "start_date": "2023-01-01"},
            {"payee": "d", "start_date": "2020-01-01"},
        ],
    )
    run = plan.run(data, period="2026-03")
    positions = {s.payee: s.values["position"].value for s in run.statements}
    assert positions == {"b": "1", "c": "2", "a": "3", "d": "4"}  # c started earlier than a
    assert {s.payee: s.amount("top3") for s in run.statements} == {
        "a": D("100.00"), "b": D("300.00"), "c": D("100.00"), "d": D("0.00"),
    }  # fmt: skip
    (board,) = run.leaderboards
    assert [(r.rank, r.payee) for r in board.rows] == [(1, "b"), (2, "c"), (3, "a"), (4, "d")]


@plan_doc(header=True)
def test_shared_ranks(plan: incentives.Plan) -> None:
    """
    measure sales = sum amount
    let position = rank of sales across everyone highest first ties shared
    bonus leader pays 100 USD when position = 1
    """
    data = ledger(
        ("t1", "2026-03-02", "a", "500"),
        ("t2", "2026-03-02", "b", "500"),
        ("t3", "2026-03-02", "c", "100"),
    )
    run = plan.run(data, period="2026-03")
    assert {s.payee: s.values["position"].value for s in run.statements} == {
        "a": "1", "b": "1", "c": "3",
    }  # fmt: skip


GROUPS = """\
roster fields
  team: text
  start_date: date
measure sales = sum amount
let p2 = rank of sales across group team highest first ties by start_date
bonus b2 pays 100 USD when p2 = 1
"""


@pytest.mark.parametrize("empty", ["", None], ids=["empty cell", "no value"])
def test_an_empty_group_value_is_no_group_and_stops_the_run(empty: str | None) -> None:
    # zoe's team is empty: she is not the top of an unnamed group (nothing is
    # paid on missing data); the run stops with R707 naming her, the field and the row
    plan = incentives.load_plan(HEADER + GROUPS)
    data = ledger(
        ("t1", "2026-03-02", "ana", "100"),
        ("t2", "2026-03-02", "ben", "50"),
        ("t3", "2026-03-03", "zoe", "10"),
        roster=[
            {"payee": "ana", "team": "north", "start_date": "2025-01-01"},
            {"payee": "ben", "team": "north", "start_date": "2025-01-01"},
            {"payee": "zoe", "team": empty, "start_date": "2025-01-01"},
        ],
    )
    with pytest.raises(incentives.EvaluationError) as caught:
        plan.run(data, period="2026-03")
    (problem,) = caught.value.diagnostics
    assert problem.code == "R707"
    assert problem.message == (
        "payee `zoe`, 2026-03: `p2` reads `group team`, but `team` is empty in this payee's "
        "roster row (<records:roster>:3): an empty value is no group"
    )
    assert problem.span.line == 6  # the rank
    assert problem.hint == "fill in `team` for `zoe` in roster.csv"


def test_an_empty_group_value_in_a_team_measure_or_value() -> None:
    roster = [
        {"payee": "ana", "team": "north", "start_date": "2025-01-01"},
        {"payee": "zoe", "team": "", "start_date": "2025-01-01"},
    ]
    data = ledger(
        ("t1", "2026-03-02", "ana", "100"), ("t2", "2026-03-03", "zoe", "10"), roster=roster
    )
    fields = "roster fields\n  team: text\n  start_date: date\n"
    for rule, line in [
        (
            "measure team_sales = sum amount across group team\ncommission c pays 1% of team_sales",
            5,
        ),
        ("measure sales = sum amount\ncommission c pays 1% of sum of sales across group team", 6),
    ]:
        plan = incentives.load_plan(HEADER + fields + rule + "\n")
        with pytest.raises(incentives.EvaluationError) as caught:
            plan.run(data, period="2026-03")
        (problem,) = caught.value.diagnostics
        assert problem.code == "R707"
        assert problem.message.startswith("payee `zoe`, 2026-03: ")
        assert "`team` is empty in this payee's roster row (<records:roster>:2)" in problem.message
        assert problem.span.line == line
    # with the team filled in, zoe ranks in her own group and in nobody else's
    roster[1]["team"] = "south"
    data = ledger(
        ("t1", "2026-03-02", "ana", "100"), ("t2", "2026-03-03", "zoe", "10"), roster=roster
    )
    run = incentives.load_plan(HEADER + GROUPS).run(data, period="2026-03")
    assert {s.payee: s.amount("b2") for s in run.statements} == {"ana": D(100), "zoe": D(100)}
    assert [(b.group, [r.payee for r in b.rows]) for b in run.leaderboards] == [
        ("north", ["ana"]), ("south", ["zoe"]),
    ]  # fmt: skip


FX_HEADER = (
    'plan "FX" version "1" currency USD period month rounding half_up to 0.01 on components\n'
)


def fx_rate(day: str, source: str, target: str, rate: str) -> dict[str, str]:
    return {"date": day, "from": source, "to": target, "rate": rate}


def test_lines_convert_at_the_rate_in_force_on_their_date() -> None:
    plan = incentives.load_plan(
        FX_HEADER
        + "fx convert at line date\nmeasure sales = sum amount\ncommission c pays 10% of sales\n"
    )
    rates = [
        fx_rate("2026-03-01", "EUR", "USD", "1.10"),
        fx_rate("2026-03-10", "EUR", "USD", "1.20"),
    ]
    data = ledger(
        ("t1", "2026-03-05", "a", "100"),
        ("t2", "2026-03-12", "a", "100"),
        currency="EUR",
        fx=rates,
    )
    statement = plan.run(data, period="2026-03").statement("a")
    assert statement.values["sales"].value == "230.00"  # 110.00 + 120.00
    assert statement.amount("c") == D("23.00")


def test_period_end_conversion_and_missing_rate() -> None:
    plan = incentives.load_plan(
        FX_HEADER
        + "fx convert at period end\nmeasure sales = sum amount\ncommission c pays 10% of sales\n"
    )
    rates = [
        fx_rate("2026-03-01", "EUR", "USD", "1.10"),
        fx_rate("2026-03-31", "EUR", "USD", "1.25"),
    ]
    data = ledger(("t1", "2026-03-05", "a", "100"), currency="EUR", fx=rates)
    assert plan.run(data, period="2026-03").statement("a").values["sales"].value == "125.00"
    data = ledger(("t1", "2026-02-05", "a", "100"), currency="EUR", fx=rates)
    with pytest.raises(incentives.DataError) as caught:
        plan.run(data, period="2026-02")
    (d,) = caught.value.diagnostics
    assert d.code == "D617" and "2026-02-28" in d.message and "t1" in d.message


@pytest.mark.parametrize(
    ("currency", "rate", "expected"),
    [("JPY", "151.237", "15124"), ("KWD", "0.30745", "30.745"), ("EUR", "0.9234", "92.34")],
)
def test_payout_currency_rounds_to_its_minor_unit(currency: str, rate: str, expected: str) -> None:
    plan = incentives.load_plan(
        FX_HEADER
        + "fx\n  convert at line date\n  pay in payout currency\n"
        + "measure sales = sum amount\ncommission c pays 10% of sales\n"
    )
    data = ledger(
        ("t1", "2026-03-05", "a", "1000"),
        roster=[{"payee": "a", "payout_currency": currency}],
        fx=[fx_rate("2026-03-31", "USD", currency, rate)],
    )
    statement = plan.run(data, period="2026-03").statement("a")
    # 100.00 USD × rate, rounded half_up to the payout currency's minor unit
    assert str(statement.lines[0].amount) == expected
    assert statement.lines[0].computed == D("100.00")
    assert statement.currency == currency and statement.total == D(expected)
    assert statement.conversion is not None and statement.conversion.rate == D(rate)


def test_converted_traces_add_up_to_what_is_paid_and_show_every_rate() -> None:
    # The field team pays kai in JPY for deals in JPY converted to USD: every
    # step adds up, the conversion step is its one part times the rate, and
    # each converted ledger line says its rate, date and fx.csv row.
    root = Path(__file__).resolve().parents[3]
    plan = incentives.load_plan(root / "plans" / "field_team.plan")
    run = plan.run(incentives.Dataset.from_dir(root / "examples" / "team"), period="2026-03")
    kai = run.statement("kai")
    assert kai.conversion is not None
    conversions = 0
    for line in kai.lines:
        assert D(line.trace.value or "") == line.amount
        stack = [line.trace]
        while stack:
            node = stack.pop()
            stack.extend(node.parts)
            if node.kind == "conversion":
                conversions += 1
                (source,) = node.parts
                assert D(node.value or "") == D(source.value or "") * kai.conversion.rate
                assert D(source.value or "") == line.computed
            elif node.parts:
                total = sum((D(p.value or "") for p in node.parts), D(0))
                assert total == D(node.value or ""), (line.component, node.label)
            if node.kind == "line" and node.label == "line D005":
                assert node.detail is not None and "× 0.00661 (JPY→USD of 2026-03-02" in node.detail
                assert "fx.csv:6" in node.detail
    assert conversions == len(kai.lines)


def test_a_missing_payout_rate_is_a_data_error_before_anything_is_computed() -> None:
    plan = incentives.load_plan(
        FX_HEADER
        + "fx\n  convert at line date\n  pay in payout currency\n"
        + "measure sales = sum amount\ncommission c pays 10% of sales\n"
    )
    data = ledger(
        ("t1", "2026-03-05", "a", "1000"),
        roster=[{"payee": "a", "payout_currency": "EUR"}],
        fx=[fx_rate("2026-04-01", "USD", "EUR", "0.92")],  # after the period's end
    )
    with pytest.raises(incentives.DataError) as caught:
        plan.run(data, period="2026-03")
    (d,) = caught.value.diagnostics
    assert d.code == "D617" and "2026-03-31" in d.message and "`a`" in d.message
    assert (d.span.line, str(d.span)) == (1, "<records:roster>:1")


def test_payout_currency_without_conversion_is_refused() -> None:
    plan = incentives.load_plan(
        FX_HEADER + "measure sales = sum amount\ncommission c pays 10% of sales\n"
    )
    data = ledger(
        ("t1", "2026-03-05", "a", "1000"), roster=[{"payee": "a", "payout_currency": "EUR"}]
    )
    with pytest.raises(incentives.DataError) as caught:
        plan.run(data, period="2026-03")
    assert [d.code for d in caught.value.diagnostics] == ["D606"]
