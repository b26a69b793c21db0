"""``incentives diff``: old, new and delta per payee and component; exit 0 on differences."""

from __future__ import annotations

import csv
import io
import json

from .cli_support import BAD_PLAN, DIVIDES_BY_ZERO, PLAN, Invoke, Workspace

#: The same plan at 6% flat, with a per-line SPIFF and a total cap instead of the bonus.
NEW_PLAN = """\
plan "T" version "2" currency USD period month rounding half_up to 0.01 on components
measure sales = sum amount
commission c "Commission" pays 6% of sales
spiff s "Line SPIFF" pays 1 USD per line
total cap at 30 USD
"""

MARCH = ("diff", "t.plan", "new.plan", "--data", "data", "--period", "2026-03")

TABLE = """\
old: t.plan: "T" version 1
new: new.plan: "T" version 2
amounts in USD; delta = new - old

2026-03 (2026-03-01 to 2026-03-31)
payee    name                                       component     old     new   delta
-------  -----------------------------------------  ---------  ------  ------  ------
alice    Alice Archer                               c           37.48   44.97   +7.49
                                                    b            0.00       —    0.00
                                                    s               —    2.00   +2.00
                                                    total_cap       —  -16.97  -16.97
                                                    total       37.48   30.00   -7.48
bob      Bob Baker                                  c           15.00   18.00   +3.00
                                                    b            0.00       —    0.00
                                                    s               —    1.00   +1.00
                                                    total       15.00   19.00   +4.00
mallory  =HYPERLINK("http://evil.example","click")  c          -20.00  -24.00   -4.00
                                                    b            0.00       —    0.00
                                                    s               —    1.00   +1.00
                                                    total      -20.00  -23.00   -3.00
-------  -----------------------------------------  ---------  ------  ------  ------
total                                                           32.48   26.00   -6.48
"""


def test_table(invoke: Invoke, ws: Workspace) -> None:
    ws.write("new.plan", NEW_PLAN)
    result = invoke(*MARCH)
    assert result.exit_code == 0
    assert result.stdout == TABLE
    assert result.stderr == ""


def test_the_same_plan_twice_has_no_difference(invoke: Invoke, ws: Workspace) -> None:
    ws.write("new.plan", PLAN)
    result = invoke(*MARCH, "--to", "2026-04", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    deltas = [
        c["delta"]
        for period in data["periods"]
        for payee in period["payees"]
        for c in [*payee["components"], payee["total"]]
    ]
    assert set(deltas) == {"0.00"}
    assert data["total"] == {"old": "213.48", "new": "213.48", "delta": "0.00"}


def test_several_periods_and_a_grand_total(invoke: Invoke, ws: Workspace) -> None:
    ws.write("new.plan", NEW_PLAN)
    result = invoke(*MARCH, "--to", "2026-04")
    assert result.exit_code == 0
    assert "2026-04 (2026-04-01 to 2026-04-30)" in result.stdout
    # April: alice 66.00 + 100.00 -> 72.00 + 1.00 capped at 30.00; bob 15.00 -> 18.00 + 1.00
    assert result.stdout.endswith("all periods: old 213.48, new 75.00, delta -138.48\n")


def test_json(invoke: Invoke, ws: Workspace) -> None:
    ws.write("new.plan", NEW_PLAN)
    result = invoke(*MARCH, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["old"]["file"] == "t.plan"
    assert data["new"]["version"] == "2"
    period = data["periods"][0]
    assert period["period"] == "2026-03"
    assert [p["payee"] for p in period["payees"]] == ["alice", "bob", "mallory"]
    assert period["payees"][0]["components"][2] == {
        "component": "s",
        "label": "Line SPIFF",
        "old": None,
        "new": "2.00",
        "delta": "2.00",
    }
    assert period["total"] == {"old": "32.48", "new": "26.00", "delta": "-6.48"}


def test_csv(invoke: Invoke, ws: Workspace) -> None:
    ws.write("new.plan", NEW_PLAN)
    result = invoke(*MARCH, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["period", "payee", "payee_name", "component", "label", "old", "new", "delta"]
    assert rows[-1] == ["2026-03", "", "", "total", "All payees", "32.48", "26.00", "-6.48"]
    mallory = [r for r in rows if r[1] == "mallory"]
    assert mallory[0][2].startswith("'=HYPERLINK")


def test_plans_with_different_periods_are_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    ws.write("new.plan", NEW_PLAN.replace("period month", "period quarter"))
    result = invoke(*MARCH)
    assert result.exit_code == 2
    assert "different periods (month and quarter)" in result.stderr
    assert result.stdout == ""


def test_errors_and_exit_codes(invoke: Invoke, ws: Workspace) -> None:
    ws.write("bad.plan", BAD_PLAN)
    ws.write("zero.plan", DIVIDES_BY_ZERO)
    ws.write("new.plan", NEW_PLAN)
    ws.data("bad_cells", "bad")
    assert (
        invoke("diff", "t.plan", "bad.plan", "--data", "data", "--period", "2026-03").exit_code == 1
    )
    result = invoke("diff", "t.plan", "zero.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 1
    assert "divides by zero" in result.stderr
    assert invoke(*MARCH[:-1], "March").exit_code == 2
    assert (
        invoke("diff", "t.plan", "new.plan", "--data", "bad", "--period", "2026-03").exit_code == 2
    )
    assert (
        invoke("diff", "t.plan", "missing.plan", "--data", "data", "--period", "2026-03").exit_code
        == 2
    )
    assert invoke("diff", "t.plan", "new.plan", "--period", "2026-03").exit_code == 2
