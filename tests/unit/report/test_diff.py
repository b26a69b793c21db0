"""Two plans' statements side by side: rows, missing sides, totals and the three renderings."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

import incentives
from incentives.errors import UsageError
from incentives.report.diff import (
    CSV_HEADER,
    Change,
    PlanDiff,
    check_comparable,
    compare,
    render_diff_csv,
    render_diff_json,
    render_diff_table,
)

HEADER = 'plan "T" version "{v}" currency USD period month rounding half_up to 0.01 on components\n'

OLD = (
    HEADER.format(v="1")
    + """\
measure sales = sum amount
tiers rates marginal
  band below 1,000 USD: 5%
  band at least 1,000 USD: 8%
commission c "Commission" pays rates on sales
bonus b "Big month" pays 100 USD when sales >= 1,000 USD
"""
)

NEW = (
    HEADER.format(v="2")
    + """\
measure sales = sum amount
commission c "Commission" pays 6% of sales
spiff s "Line SPIFF" pays 1 USD per line
total cap at 30 USD
"""
)


def line(txn: str, day: int, payee: str, amount: str, month: int = 3) -> dict[str, object]:
    return {
        "txn_id": txn,
        "date": date(2026, month, day),
        "payee": payee,
        "amount": Decimal(amount),
        "currency": "USD",
    }


DATA = incentives.Dataset.from_records(
    ledger=[
        line("t1", 5, "alice", "1000.00"),
        line("t2", 6, "alice", "-250.50"),
        line("t3", 7, "bob", "300.00"),
        line("t4", 2, "alice", "1200.00", month=4),
    ],
    roster=[
        {"payee": "alice", "name": "Alice"},
        {"payee": "bob", "name": "=cmd()"},
        # carol starts in April: no statement in March on either side
        {"payee": "carol", "start_date": date(2026, 4, 1)},
    ],
)


def diff_of(old: str = OLD, new: str = NEW, last: str = "2026-04") -> PlanDiff:
    a, b = incentives.load_plan(old), incentives.load_plan(new)
    check_comparable(a.ir, b.ir)
    return compare(
        a.ir,
        a.run(DATA, period="2026-03", to=last),
        b.ir,
        b.run(DATA, period="2026-03", to=last),
        old_file="old.plan",
        new_file="new.plan",
    )


def test_rows_by_period_payee_and_component() -> None:
    diff = diff_of()
    march, april = diff.periods
    assert march.period == "2026-03"
    assert (march.start, march.end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert [p.payee for p in march.payees] == ["alice", "bob"]
    assert [p.payee for p in april.payees] == ["alice", "bob", "carol"]
    alice = march.payees[0]
    rows = {c.component: c.change for c in alice.components}
    # old: 5% x 749.50 = 37.475 -> 37.48; new: 6% x 749.50 = 44.97
    assert rows["c"] == Change(Decimal("37.48"), Decimal("44.97"))
    assert rows["c"].delta == Decimal("7.49")
    # the new plan has no `b`, the old plan no `s`
    assert rows["b"] == Change(Decimal("0.00"), None)
    assert rows["b"].delta == Decimal("0.00")
    assert rows["s"] == Change(None, Decimal("2.00"))
    # 44.97 + 2.00 = 46.97 capped at 30.00: only the new side has a cap
    assert rows["total_cap"] == Change(None, Decimal("-16.97"))
    assert [c.component for c in alice.components] == ["c", "b", "s", "total_cap"]
    assert alice.total == Change(Decimal("37.48"), Decimal("30.00"))
    # bob's total is under the cap: no total_cap row
    assert [c.component for c in march.payees[1].components] == ["c", "b", "s"]


def test_totals_add_up_exactly() -> None:
    diff = diff_of()
    for period in diff.periods:
        old = sum((p.total.old or Decimal(0) for p in period.payees), Decimal(0))
        new = sum((p.total.new or Decimal(0) for p in period.payees), Decimal(0))
        assert period.total == Change(old, new)
        for payee in period.payees:
            parts = sum((c.change.delta for c in payee.components), Decimal(0))
            assert parts == payee.total.delta
    assert diff.total.old == sum((p.total.old or 0 for p in diff.periods), Decimal(0))
    assert diff.total.delta == diff.total.new - diff.total.old  # type: ignore[operator]


def test_a_payee_only_one_plan_pays() -> None:
    other = NEW.replace('plan "T"', 'plan "Other"')
    data = incentives.Dataset.from_records(
        ledger=[line("t1", 5, "alice", "100.00"), line("t2", 5, "dan", "100.00")],
        roster=[{"payee": "alice"}, {"payee": "dan", "plan": "Other"}],
    )
    a, b = incentives.load_plan(OLD), incentives.load_plan(other)
    diff = compare(a.ir, a.run(data, period="2026-03"), b.ir, b.run(data, period="2026-03"))
    dan = next(p for p in diff.periods[0].payees if p.payee == "dan")
    assert dan.total == Change(None, Decimal("7.00"))
    assert all(c.change.old is None for c in dan.components)
    assert [c.change.new for c in dan.components] == [Decimal("6.00"), None, Decimal("1.00")]


def test_plans_that_cannot_be_compared() -> None:
    weekly = NEW.replace("period month", "period week")
    euro = NEW.replace("USD", "EUR")
    a = incentives.load_plan(OLD)
    with pytest.raises(UsageError, match=r"different periods \(month and week\)"):
        check_comparable(a.ir, incentives.load_plan(weekly).ir)
    with pytest.raises(UsageError, match=r"different currencies \(USD and EUR\)"):
        check_comparable(a.ir, incentives.load_plan(euro).ir)
    b = incentives.load_plan(NEW)
    with pytest.raises(UsageError, match="different periods"):
        compare(
            a.ir,
            a.run(DATA, period="2026-03"),
            b.ir,
            b.run(DATA, period="2026-03", to="2026-04"),
        )


TABLE = """\
old: old.plan: "T" version 1
new: new.plan: "T" version 2
amounts in USD; delta = new - old

2026-03 (2026-03-01 to 2026-03-31)
payee  name    component    old     new   delta
-----  ------  ---------  -----  ------  ------
alice  Alice   c          37.48   44.97   +7.49
               b           0.00       —    0.00
               s              —    2.00   +2.00
               total_cap      —  -16.97  -16.97
               total      37.48   30.00   -7.48
bob    =cmd()  c          15.00   18.00   +3.00
               b           0.00       —    0.00
               s              —    1.00   +1.00
               total      15.00   19.00   +4.00
-----  ------  ---------  -----  ------  ------
total                     52.48   49.00   -3.48
"""


def test_table() -> None:
    text = render_diff_table(diff_of(last="2026-03"))
    assert text == TABLE


def test_table_of_several_periods_ends_with_the_grand_total() -> None:
    text = render_diff_table(diff_of())
    assert "2026-04 (2026-04-01 to 2026-04-30)" in text
    # April: alice 66.00 + 100.00 -> 30.00 (72.00 + 1.00, capped); bob and carol: zeros
    assert "carol" in text
    assert text.endswith("all periods: old 218.48, new 79.00, delta -139.48\n")


def test_json_amounts_are_strings_and_missing_sides_null() -> None:
    data = json.loads(render_diff_json(diff_of()))
    assert data["old"] == {
        "file": "old.plan",
        "name": "T",
        "version": "1",
        "sha256": data["old"]["sha256"],
    }
    assert data["currency"] == "USD"
    alice = data["periods"][0]["payees"][0]
    assert alice["payee"] == "alice"
    assert alice["components"][1] == {
        "component": "b",
        "label": "Big month",
        "old": "0.00",
        "new": None,
        "delta": "0.00",
    }
    assert alice["total"] == {"old": "37.48", "new": "30.00", "delta": "-7.48"}
    assert data["total"] == {"old": "218.48", "new": "79.00", "delta": "-139.48"}
    assert render_diff_json(diff_of()) == render_diff_json(diff_of())


def test_csv_rows_and_injection_safety() -> None:
    text = render_diff_csv(diff_of(last="2026-03"))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1] == ["2026-03", "alice", "Alice", "c", "Commission", "37.48", "44.97", "7.49"]
    assert rows[2] == ["2026-03", "alice", "Alice", "b", "Big month", "0.00", "", "0.00"]
    assert rows[5] == ["2026-03", "alice", "Alice", "total", "Total", "37.48", "30.00", "-7.48"]
    assert rows[6][2] == "'=cmd()"
    assert rows[-1] == ["2026-03", "", "", "total", "All payees", "52.48", "49.00", "-3.48"]
    assert text.endswith("\n") and "\r" not in text
