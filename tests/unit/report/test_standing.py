"""report.standing: where the team stands mid-period, every figure worked out by hand."""

from __future__ import annotations

import decimal
import json
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

import incentives
from incentives.evaluate.as_of import elapsed, ledger_as_of, ledger_at_pace, round_fraction
from incentives.report.standing import render_standing_json, standing_report
from incentives.report.standing_html import render_standing_html
from incentives.results.standing import PayeeStanding, StandingReport
from plan_doc import ledger, load

D = Decimal

#: 5% up to a 10,000 USD monthly target, 10% above it, and 2 USD per unit.
PLAN = """\
plan "Mid" version "1" currency USD period month rounding half_up to 0.01 on components
ledger columns
  units: count
measure sales = sum amount
quota target
  goal 10,000 USD per month
let attainment = sales / target
tiers rates marginal
  band below 100%: 5%
  band at least 100%: 10%
commission c "Commission" pays rates on sales against target
spiff s "Units" pays 2 USD per unit of units
"""


def line(txn: str, day: str, payee: str, amount: str, units: int = 0) -> tuple:
    return (txn, day, payee, amount, {"units": D(units)})


def april() -> incentives.Dataset:
    return ledger(
        line("a1", "2026-04-02", "a", "2000.00", 1),
        line("a2", "2026-04-09", "a", "1500.00", 1),
        line("a3", "2026-04-20", "a", "9000.00", 1),  # after the date: ignored
        line("b1", "2026-04-03", "b", "4600.00"),
        line("b2", "2026-04-11", "b", "0.03"),
        line("c1", "2026-04-08", "c", "600.00"),
        roster=[
            {"payee": "a", "name": "Ann"},
            {"payee": "b", "name": "Bea"},
            {"payee": "c", "name": "Cy", "start_date": date(2026, 4, 7)},
        ],
    )


def report(as_of: str = "2026-04-12") -> StandingReport:
    return standing_report(load(PLAN), april(), date.fromisoformat(as_of))


def payee(found: StandingReport, pid: str) -> PayeeStanding:
    return next(p for p in found.payees if p.payee == pid)


# On 12 April, 12 of April's 30 days have passed: elapsed share 2/5, pace factor 5/2.


def test_period_lines_and_proration() -> None:
    found = report()
    assert (found.period, found.start, found.end) == (
        "2026-04",
        date(2026, 4, 1),
        date(2026, 4, 30),
    )
    assert found.proration.text == "prorated by calendar days: 12 of 30"
    assert (found.lines.read, found.lines.counted, found.lines.ignored) == (6, 5, 1)
    assert found.lines.credited == 5
    assert found.projection.factor == "5/2"
    assert found.primary == "sales"
    assert [(m.name, m.quota, m.paced) for m in found.measures] == [("sales", "target", True)]


def test_a_payee_below_target_to_date() -> None:
    a = payee(report(), "a")
    (sales,) = a.measures
    # sales 2,000 + 1,500 = 3,500 (the 9,000 of 20 April is after the date)
    assert sales.value == D("3500.00")
    # target to date 10,000 x 2/5 = 4,000.00; attainment 3,500 / 4,000 = 87.5%
    assert (sales.target, sales.target_to_date) == (D("10000"), D("4000.00"))
    assert sales.attainment == a.attainment == D("0.8750")
    # pace 3,500 / (2/5) = 8,750.00
    assert sales.pace == D("8750.00")
    # to date: 5% x 3,500 = 175.00, plus 2 units x 2 USD
    assert a.payout_to_date == D("179.00")
    # projected: lines 5,000.00 and 3,750.00 -> 5% x 8,750 = 437.50; units are not scaled
    assert a.projected_payout == D("441.50")
    assert [(c.component, c.to_date, c.projected) for c in a.components] == [
        ("c", D("175.00"), D("437.50")),
        ("s", D("4.00"), D("4.00")),
    ]
    assert a.bucket == "75–100%"
    assert a.note is None


def test_projection_rounds_each_scaled_line_half_even() -> None:
    b = payee(report(), "b")
    (sales,) = b.measures
    # 4,600.03 / 4,000 = 1.1500075 -> 1.1500; pace 4,600.03 x 5/2 = 11,500.075 -> 11,500.08
    assert (sales.attainment, sales.pace) == (D("1.1500"), D("11500.08"))
    # to date: 5% x 4,600.03 = 230.0015 -> 230.00 (the plan's half_up)
    assert b.payout_to_date == D("230.00")
    # projected lines: 4,600.00 x 5/2 = 11,500.00; 0.03 x 5/2 = 0.075 -> 0.08 (half even);
    # 5% x 10,000 + 10% x 1,500.08 = 500 + 150.008 = 650.008 -> 650.01
    assert b.projected_payout == D("650.01")
    assert b.bucket == "100–125%"


def test_a_new_hire_is_prorated_over_their_own_days() -> None:
    c = payee(report(), "c")
    # active from 7 April: 6 of 24 days have passed (share 1/4, factor 4)
    assert (c.proration.elapsed, c.proration.days) == (6, 24)
    assert c.note == "prorated over the calendar days the payee is active in the period: 6 of 24"
    (sales,) = c.measures
    # target to date 10,000 x 1/4 = 2,500.00; attainment 600 / 2,500 = 24%; pace 2,400.00
    assert (sales.target_to_date, sales.attainment, sales.pace) == (
        D("2500.00"), D("0.2400"), D("2400.00"),
    )  # fmt: skip
    assert (c.payout_to_date, c.projected_payout) == (D("30.00"), D("120.00"))


def test_order_distribution_team_and_cost_share() -> None:
    found = report()
    assert [p.payee for p in found.payees] == ["b", "a", "c"]
    assert [(b.label, b.count, b.payees) for b in found.distribution] == [
        ("<50%", 1, ["c"]),
        ("50–75%", 0, []),
        ("75–100%", 1, ["a"]),
        ("100–125%", 1, ["b"]),
        ("≥125%", 0, []),
    ]
    assert found.without_attainment == []
    team = found.team
    assert team is not None
    # 3,500 + 4,600.03 + 600; targets to date 4,000 + 4,000 + 2,500
    assert (team.value, team.target, team.target_to_date) == (
        D("8700.03"), D("30000"), D("10500.00"),
    )  # fmt: skip
    # 8,700.03 / 10,500 = 0.828574...; pace 8,750 + 11,500.075 + 2,400 = 22,650.075 -> .08
    assert (team.attainment, team.pace) == (D("0.8286"), D("22650.08"))
    totals = found.totals
    assert (totals.payout_to_date, totals.projected_payout) == (D("439.00"), D("1211.51"))
    assert (totals.sales_to_date, totals.projected_sales) == (D("8700.03"), D("22650.08"))
    # 439 / 8,700.03 = 0.050459...; 1,211.51 / 22,650.08 = 0.053488...
    assert (totals.cost_share_to_date, totals.cost_share_projected) == (D("0.0505"), D("0.0535"))


def test_the_week_by_week_breakdown_of_the_monthly_target() -> None:
    team = report().team
    assert team is not None
    # April 2026 starts on a Wednesday: weeks Wed 1 - Sun 5, 6-12, 13-19, 20-26, 27-30.
    spans = [(w.start.day, w.end.day) for w in team.weeks]
    assert spans == [(1, 5), (6, 12), (13, 19), (20, 26), (27, 30)]
    # a and b: 10,000 over 30 days each; c: 10,000 over her 24 days from 7 April.
    # Week 1: 5 days of a and b = 2 x 10,000 x 5/30 = 3,333.33 (c not active yet)
    # Week 2: 7 days of a and b (4,666.67) + 6 days of c (2,500) = 7,166.67
    first, second = team.weeks[0], team.weeks[1]
    assert (first.target, first.target_cumulative) == (D("3333.33"), D("3333.33"))
    assert (second.target, second.target_cumulative) == (D("7166.67"), D("10500.00"))
    # the weeks' targets add up to the period's, and the cumulative target on
    # the week holding the report's date is the target to date (12 April)
    assert sum((w.target for w in team.weeks), D(0)) == team.target
    assert second.target_cumulative == team.target_to_date
    # what each week measured: a1, b1 in week 1; a2, c1, b2 in week 2; nothing after
    assert (first.actual, second.actual) == (D("6600.00"), D("2100.03"))
    assert second.actual_cumulative == team.value
    assert [w.actual for w in team.weeks[2:]] == [None, None, None]
    # 30,000 over April's 30 days
    assert team.target_per_day == D("1000.00")
    page = render_standing_html(report())
    assert "<h3>Week by week</h3>" in page and "2026-04-06 to 2026-04-12" in page


def test_the_payout_to_date_is_the_evaluator_on_the_truncated_ledger() -> None:
    plan = load(PLAN)
    data = plan.validate(april())
    truncated, dropped = ledger_as_of(data, date(2026, 4, 12))
    assert dropped == 1
    run = plan.run(truncated, period="2026-04")
    found = standing_report(plan, data, date(2026, 4, 12))
    assert {p.payee: p.payout_to_date for p in found.payees} == {
        s.payee: s.total for s in run.statements
    }


def test_on_the_last_day_the_projection_is_the_payout() -> None:
    found = report("2026-04-30")
    assert found.proration.text == "prorated by calendar days: 30 of 30"
    assert found.lines.ignored == 0
    for p in found.payees:
        assert p.projected_payout == p.payout_to_date
        assert p.measures[0].pace == p.measures[0].value


def test_bound_of_a_bucket_belongs_to_the_higher_bucket() -> None:
    data = ledger(line("t1", "2026-04-01", "a", "3000.00"))  # 3,000 / 4,000 = 75%
    found = standing_report(load(PLAN), data, date(2026, 4, 12))
    assert found.payees[0].attainment == D("0.7500")
    assert found.payees[0].bucket == "75–100%"


# ------------------------------------------------------------ working days

WEEKLY = """\
plan "Week" version "1" currency USD period week rounding half_up to 0.01 on components
holidays 2026-03-09, 2026-03-13
measure sales = sum amount
quota weekly
  goal from quotas per month
  split by working days
commission c pays 5% of sales
bonus b pays 50 USD when sales >= weekly
"""


def weekly_data() -> incentives.Dataset:
    return ledger(
        ("t1", "2026-03-10", "a", "600.00"),
        ("t2", "2026-03-11", "a", "300.00"),
        ("t3", "2026-03-12", "a", "5000.00"),
        quotas=[{"payee": "a", "period": "2026-03", "amount": D("7600.00"), "currency": "USD"}],
    )


def test_a_quota_split_by_working_days_prorates_by_working_days() -> None:
    # March 2026 has 22 weekdays, less 2 holidays: 20. Week 11 (9-15 March) has
    # 3 working days (the 9th and 13th are holidays): target 7,600 x 3/20 = 1,140.
    # On Wednesday 11 March, 2 of its 3 working days have passed.
    found = standing_report(load(WEEKLY), weekly_data(), date(2026, 3, 11))
    assert found.period == "2026-W11"
    assert found.proration.text == "prorated by working days: 2 of 3"
    assert "Monday to Friday, less the plan's holidays" in found.notes[0]
    (a,) = found.payees
    (sales,) = a.measures
    # 900 / (1,140 x 2/3 = 760.00) = 1.184210... ; pace 900 x 3/2 = 1,350.00
    assert (sales.target, sales.target_to_date) == (D("1140"), D("760.00"))
    assert (sales.attainment, sales.pace) == (D("1.1842"), D("1350.00"))
    # to date: 5% x 900 = 45.00, no bonus (900 < 1,140); projected: lines x 3/2 =
    # 900 + 450 = 1,350 -> 67.50 + the 50 USD bonus
    assert (a.payout_to_date, a.projected_payout) == (D("45.00"), D("117.50"))


def test_before_the_first_working_day_there_is_no_pace() -> None:
    # Monday 9 March is a holiday: no working day of the week has passed.
    found = standing_report(load(WEEKLY), weekly_data(), date(2026, 3, 9))
    assert found.proration.text == "prorated by working days: 0 of 3"
    assert found.projection.factor is None
    assert found.projection.text.startswith("no projection")
    (a,) = found.payees
    assert a.attainment is None and a.projected_payout is None
    assert a.measures[0].pace is None
    assert found.without_attainment == ["a"]
    assert found.totals.projected_payout is None
    assert render_standing_html(found).count("—") >= 3


# ------------------------------------------------------------ carried balances

DRAW = """\
plan "Draw" version "1" currency USD period month rounding half_up to 0.01 on components
  starts 2026-01-01
measure sales = sum amount
commission c pays 10% of sales
draw floor_pay "Guarantee"
  guarantee 1,000 USD
  shortfall recovered
"""


def test_a_stateful_plan_carries_balances_from_its_start() -> None:
    data = ledger(
        ("t1", "2026-01-10", "a", "5000"),  # January earns 500: paid 1,000, owes 500
        ("t2", "2026-02-05", "a", "3000"),
        ("t3", "2026-02-20", "a", "20000"),  # after the date: ignored
    )
    found = standing_report(load(DRAW), data, date(2026, 2, 10))
    (a,) = found.payees
    # to date February earns 300: the guarantee pays 1,000 and the balance grows by 700
    assert a.payout_to_date == D("1000.00")
    (draw,) = a.balances
    assert (draw.opening, draw.closing) == (D("500.00"), D("1200.00"))
    # projected: 3,000 x 28/10 = 8,400 earns 840: still the guarantee
    assert a.projected_payout == D("1000.00")
    assert found.primary is None and a.attainment is None
    assert any("last completed period (2026-01)" in note for note in found.notes)
    page = render_standing_html(found)
    assert "Opening balances are as of the end of the last completed period" in page


# ------------------------------------------------------------ leaderboards

RANKED = """\
plan "Ranked" version "1" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
let position = rank of sales across everyone highest first ties by payee
bonus top pays 100 USD when position = 1
"""


def test_a_plan_that_ranks_shows_its_leaderboard_to_date() -> None:
    data = ledger(
        ("t1", "2026-03-02", "a", "500"),
        ("t2", "2026-03-03", "b", "400"),
        ("t3", "2026-03-20", "b", "900"),  # after the date: b is second to date
    )
    found = standing_report(load(RANKED), data, date(2026, 3, 10))
    (board,) = found.leaderboards
    assert [(r.rank, r.payee, r.value) for r in board.rows] == [(1, "a", "500"), (2, "b", "400")]
    # no quota: no attainment, payees by id
    assert [p.payee for p in found.payees] == ["a", "b"]
    assert found.team is None
    assert payee(found, "a").payout_to_date == D("100.00")
    assert "Leaderboards" in render_standing_html(found)


# ------------------------------------------------------------ determinism, output


def test_the_same_inputs_in_any_order_give_the_same_bytes() -> None:
    plan = load(PLAN)
    rows = [
        line("b2", "2026-04-11", "b", "0.03"),
        line("a1", "2026-04-02", "a", "2000.00", 1),
        line("c1", "2026-04-08", "c", "600.00"),
        line("a3", "2026-04-20", "a", "9000.00", 1),
        line("b1", "2026-04-03", "b", "4600.00"),
        line("a2", "2026-04-09", "a", "1500.00", 1),
    ]
    roster = [
        {"payee": "c", "name": "Cy", "start_date": date(2026, 4, 7)},
        {"payee": "b", "name": "Bea"},
        {"payee": "a", "name": "Ann"},
    ]
    shuffled = standing_report(plan, ledger(*rows, roster=roster), date(2026, 4, 12))
    ordered = standing_report(plan, april(), date(2026, 4, 12))
    assert render_standing_json(shuffled) == render_standing_json(ordered)
    assert render_standing_html(shuffled) == render_standing_html(ordered)


def test_the_callers_decimal_context_does_not_matter() -> None:
    expected = render_standing_json(report())
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert render_standing_json(report()) == expected


def test_chart_coordinates_are_exact_short_decimals() -> None:
    page = render_standing_html(report())
    numbers = re.findall(r' (?:x|y|x1|y1|x2|y2|width|height)="([^"]*)"', page)
    assert numbers
    assert all(re.fullmatch(r"-?[0-9]+(\.[0-9]{1,2})?", n) for n in numbers), numbers
    # b's bar: 115% of a 150% scale 420 wide = 322; a's: 87.5% -> 245
    assert '<rect x="170" y="33" width="322" height="14"' in page
    assert '<rect x="170" y="57" width="245" height="14"' in page


def test_json_has_amounts_as_strings_and_sorted_keys() -> None:
    text = render_standing_json(report())
    data = json.loads(text)
    assert text.endswith("}\n")
    assert list(data) == sorted(data)
    assert data["totals"]["payout_to_date"] == "439.00"
    assert data["payees"][0]["attainment"] == "1.1500"
    assert StandingReport.model_validate_json(report().model_dump_json()) == report()


def test_html_is_self_contained_and_escapes_names() -> None:
    evil = '<script>alert(1)</script> "http://x.example"'
    data = ledger(
        line("t1", "2026-04-02", "a", "1000.00"),
        roster=[{"payee": "a", "name": evil}],
    )
    page = render_standing_html(standing_report(load(PLAN), data, date(2026, 4, 12)))
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for needle in ('href="http', "src=", "<link", "url(", "@import", "https://"):
        assert needle not in page
    assert page.count("<svg") == 3
    assert "prorated by calendar days: 12 of 30" in page
    assert "projected payout (a projection)" in page


# ------------------------------------------------------------ the helpers


def test_ledger_at_pace_scales_only_the_period_and_only_money() -> None:
    plan = load(PLAN)
    data = plan.validate(
        ledger(
            line("m1", "2026-03-31", "a", "100.00", 3),
            line("a1", "2026-04-01", "a", "0.01", 3),
            line("a2", "2026-04-02", "a", "0.03", 3),
        )
    )
    period = plan.ir.scheme.parse("2026-04")
    scaled = ledger_at_pace(plan.ir, data, period, lambda _: Fraction(5, 2))
    by_id = {x.txn_id: x for x in scaled.ledger}
    assert by_id["m1"].amount == D("100.00")  # March: not scaled
    # 0.025 -> 0.02 and 0.075 -> 0.08: half to even
    assert (by_id["a1"].amount, by_id["a2"].amount) == (D("0.02"), D("0.08"))
    assert by_id["a1"].values["units"] == D(3)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Fraction(1, 8), "0.01", "0.12"),
        (Fraction(3, 8), "0.01", "0.38"),
        (Fraction(-5, 2), "1", "-2"),
        (Fraction(-1, 1000), "0.01", "0.00"),
        (Fraction(100, 3), "0.0001", "33.3333"),
    ],
)
def test_round_fraction_is_exact_half_even(value: Fraction, unit: str, expected: str) -> None:
    assert str(round_fraction(value, D(unit))) == expected


def test_elapsed_days_for_a_payee_who_left() -> None:
    plan = load(PLAN)
    data = plan.validate(
        ledger(
            line("t1", "2026-04-02", "a", "1.00"),
            roster=[{"payee": "a", "end_date": date(2026, 4, 5)}],
        )
    )
    period = plan.ir.scheme.parse("2026-04")
    gone = elapsed(plan.ir, period, date(2026, 4, 12), data.roster["a"])
    assert (gone.elapsed, gone.days, gone.factor) == (5, 5, 1)
