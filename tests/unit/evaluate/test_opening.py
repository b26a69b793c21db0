"""An opening state against the plan: a state the engine wrote is accepted, and a
run continued from it (through its file) equals the whole run; one that names
what the plan does not have is refused with a typed error before anything is
computed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import incentives
from incentives.results.state import HeldItem, PayeeState, StateSnapshot, read_state, render_state
from plan_doc import ledger

ROOT = Path(__file__).resolve().parents[3]


def header(period: str) -> str:
    return (
        f'plan "Carried" version "1" currency USD period {period}\n'
        "  rounding half_up to 0.01 on components\n  starts 2026-01-01\n"
        "ledger columns\n  kind: text\n  original: text\n  paid_on: date optional\n"
        'measure sales = sum amount where kind = "sale"\n'
        'measure qtd = sum amount where kind = "sale" over quarter to date\n'
    )


BODIES = {
    "for N periods, caps, true-up, draw": """
commission c
  pays 10% of sales
  hold back 25% for 3 periods
  cap at 900 USD per quarter, excess carried over
bonus q
  pays 1% of qtd
  true up over quarter
total cap at 3,000 USD per year, excess forfeited
clawback refunds reverses c for lines where kind = "refund" matched by original within 120 days
draw g
  guarantee 300 USD
  shortfall recovered at most 100 USD per period
upon termination
  holdbacks released
  unrecovered draws recovered
""",
    "until a date, advance": """
commission c
  pays 10% of sales
  hold back 30% until 2026-05-15
  cap at 700 USD per quarter, excess forfeited
clawback refunds reverses c for lines where kind = "refund" matched by original within 90 days
draw adv
  advance 100 USD
  shortfall recovered
upon termination
  holdbacks forfeited
  unrecovered draws forgiven
""",
    "until a column": """
commission c
  pays 10% of sales
  floor at 20 USD
  hold back 50% until paid_on
clawback refunds reverses c for lines where kind = "refund" matched by original within 200 days
upon termination
  holdbacks released
""",
}
SCHEMES = {
    "month": ("month", "2026-01", "2026-07"),
    "week": ("week", "2026-W02", "2026-W14"),
    "two weeks": ("two weeks from 2026-01-05", "2026-01-05", "2026-05-25"),
}


def _data() -> incentives.Dataset:
    rows: list[tuple[str, str, str, str, dict[str, str]]] = []
    day = date(2026, 1, 3)
    for i in range(40):
        payee = "abc"[i % 3]
        paid = "" if i % 4 == 3 else (day + timedelta(days=10 + 7 * (i % 5))).isoformat()
        extra = {"kind": "sale", "original": "", "paid_on": paid}
        # txn ids run against the dates: releases are traced in the state's order
        rows.append((f"t{99 - i}", day.isoformat(), payee, str(300 + 137 * (i % 7)), extra))
        day += timedelta(days=5)
    for n, (txn, original) in enumerate([("r1", "t98"), ("r2", "t90"), ("r3", "t80")]):
        sale = next(r for r in rows if r[0] == original)
        refund = {"kind": "refund", "original": original, "paid_on": ""}
        when = (date.fromisoformat(sale[1]) + timedelta(days=20 + 15 * n)).isoformat()
        rows.append((txn, when, sale[2], f"-{sale[3]}", refund))
    roster = [
        {"payee": "a"},
        {"payee": "b", "end_date": date(2026, 4, 20)},
        {"payee": "c", "start_date": date(2026, 2, 10)},
    ]
    return ledger(*rows, roster=roster)


def _split_equals_whole(
    plan: incentives.Plan, data: incentives.Dataset, first: str, last: str
) -> None:
    periods = plan.periods(first, last)
    whole = plan.run(data, period=first, to=last)
    for cut in range(1, len(periods)):
        before = plan.run(data, period=first, to=periods[cut - 1])
        assert before.closing is not None
        opening = read_state(render_state(before.closing), "s.json")
        rest = plan.run(data, period=periods[cut], to=last, opening=opening)
        split = [s.model_dump_json() for s in [*before.statements, *rest.statements]]
        assert split == [s.model_dump_json() for s in whole.statements], periods[cut].label
        assert rest.closing == whole.closing


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("body", BODIES)
def test_every_state_the_engine_writes_reads_back_and_continues_the_run(
    body: str, scheme: str
) -> None:
    period, first, last = SCHEMES[scheme]
    plan = incentives.load_plan(header(period) + BODIES[body])
    _split_equals_whole(plan, _data(), first, last)


def test_every_bundled_plan_that_carries_balances_continues_from_its_state() -> None:
    stateful = [
        path
        for path in sorted((ROOT / "plans").glob("*.plan"))
        if incentives.load_plan(path).ir.stateful
    ]
    assert stateful
    for path in stateful:
        data_dir = ROOT / "examples" / path.stem
        assert data_dir.is_dir(), f"{path.name} carries balances: run it on examples/{path.stem}"
        plan = incentives.load_plan(path)
        _split_equals_whole(plan, incentives.Dataset.from_dir(data_dir), "2026-01", "2026-12")


def test_held_for_no_line_and_past_the_calendar_end_are_states_the_engine_writes() -> None:
    # `until paid_on` with nothing earned line by line (the floor pays): held
    # for no line; `for 3 periods` in 9999: released past the calendar's end.
    plan = incentives.load_plan(header("month") + BODIES["until a column"])
    data = ledger(("t1", "2026-01-10", "a", "100", {"kind": "sale", "original": "", "paid_on": ""}))
    closing = plan.run(data, period="2026-01", to="2026-02").closing
    assert closing is not None
    assert any(h.txn_id is None for h in closing.payees["a"].held)
    _split_equals_whole(plan, data, "2026-01", "2026-03")
    late = incentives.load_plan(
        header("month").replace("2026-01-01", "9999-01-01")
        + BODIES["for N periods, caps, true-up, draw"]
    )
    data = ledger(
        ("t1", "9999-10-10", "a", "1000", {"kind": "sale", "original": "", "paid_on": ""})
    )
    closing = late.run(data, period="9999-10", to="9999-10").closing
    assert closing is not None and closing.payees["a"].held[0].release_period is None
    _split_equals_whole(late, data, "9999-10", "9999-11")


def test_an_api_caller_gets_a_data_error_naming_each_problem() -> None:
    plan = incentives.load_plan(header("month") + BODIES["for N periods, caps, true-up, draw"])
    item = HeldItem(
        component="refunds", amount=Decimal(-1), held_in="2026-01", release_period="2026-13",
        release_date=None, txn_id=None, waiting=False,
    )  # fmt: skip
    state = PayeeState(draws={"gg": Decimal(0)}, held=[item], caps={}, true_ups={}, earnings=[])
    opening = StateSnapshot(plan="Carried", after="2026-01", payees={"a": state, "zed": state})
    with pytest.raises(incentives.DataError) as caught:
        plan.run(_data(), period="2026-02", opening=opening)
    assert str(caught.value).startswith(
        "the opening state does not fit this plan (“Carried”) and roster (7 problems)"
    )
    assert caught.value.details == (
        "opening state: payees.a.draws.gg: `gg` is not a draw of this plan (its draws: `g`)",
        "opening state: payees.a.held[0].component: `refunds` is not a component of this plan "
        "that holds back (it holds back `c`)",
        "opening state: payees.a.held[0].amount: a held amount is more than zero; found -1",
        "opening state: payees.zed: payee `zed` is not in the roster; a payee who has left "
        "stays in it, with an end_date",
        "opening state: payees.zed.draws.gg: `gg` is not a draw of this plan (its draws: `g`)",
        "opening state: payees.zed.held[0].component: `refunds` is not a component of this "
        "plan that holds back (it holds back `c`)",
        "opening state: payees.zed.held[0].amount: a held amount is more than zero; found -1",
    )


def test_a_snapshot_read_from_a_file_equals_the_one_written() -> None:
    plan = incentives.load_plan(header("month") + BODIES["until a column"])
    closing = plan.run(_data(), period="2026-01", to="2026-02").closing
    assert closing is not None and closing.source is None
    read = read_state(render_state(closing), "s.json")
    assert read.source == "s.json"
    assert read == closing
    assert read.model_dump_json() == closing.model_dump_json()


def test_an_earning_with_no_line_or_a_line_dated_after_the_state_is_refused() -> None:
    plan = incentives.load_plan(
        'plan "P" version "1" currency USD period month rounding half_up to 0.01 on components\n'
        "  starts 2026-01-01\n"
        "ledger columns\n  kind: text\n  original: text\n"
        "measure sales = sum amount\ncommission c pays 10% of sales\n"
        'clawback refunds reverses c for lines where kind = "refund" matched by original '
        "within 90 days\n"
    )
    data = incentives.Dataset.from_records(
        ledger=[{"txn_id": "s1", "date": "2026-01-05", "payee": "a", "amount": "100",
                 "currency": "USD", "kind": "sale", "original": ""}],
        roster=[{"payee": "a"}],
    )  # fmt: skip
    first = plan.run(data, period="2026-01")
    assert first.closing is not None
    earning = first.closing.payees["a"].earnings[0]
    for change in ({"txn_id": ""}, {"line_date": date(2026, 2, 1)}):
        forged = first.closing.model_copy(
            update={
                "payees": {
                    "a": first.closing.payees["a"].model_copy(
                        update={"earnings": [earning.model_copy(update=change)]}
                    )
                }
            }
        )
        with pytest.raises(incentives.DataError):
            plan.run(data, period="2026-02", opening=forged)
