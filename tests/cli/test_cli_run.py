"""``incentives run`` to stdout: table, JSON and CSV, and the error exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

import incentives.cli.run as run_module
from incentives.cli import _console

from .cli_support import BAD_PLAN, DIVIDES_BY_ZERO, PLAN, WARNING_ONLY, Invoke, Workspace

MARCH = ("run", "t.plan", "--data", "data", "--period", "2026-03")

TABLE = """\
2026-03 (2026-03-01 to 2026-03-31)
payee    name                                            c     b   total  currency
-------  -----------------------------------------  ------  ----  ------  --------
alice    Alice Archer                                37.48  0.00   37.48  USD
bob      Bob Baker                                   15.00  0.00   15.00  USD
mallory  =HYPERLINK("http://evil.example","click")  -20.00  0.00  -20.00  USD
-------  -----------------------------------------  ------  ----  ------  --------
total                                                32.48  0.00   32.48  USD

rows: 6 read, 4 credited, 2 excluded: 2 dated outside the periods of this run
"""


def test_table_is_plain_text_when_not_a_terminal(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*MARCH)
    assert result.exit_code == 0
    assert result.stdout == TABLE
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_table_for_a_range_of_periods(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*MARCH, "--to", "2026-04")
    assert result.exit_code == 0
    assert "2026-04 (2026-04-01 to 2026-04-30)" in result.stdout
    assert "alice    Alice Archer" in result.stdout
    assert "total                                               81.00  100.00  181.00  USD" in (
        result.stdout
    )
    assert result.stdout.endswith("rows: 6 read, 6 credited, 0 excluded\n")


def test_table_on_a_terminal_uses_rich(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.StringIO()
    console = _console.Console(file=buffer, force_terminal=True, no_color=True, width=120)
    monkeypatch.setattr(run_module, "is_terminal", lambda: True)
    monkeypatch.setattr(run_module, "terminal_console", lambda: console)
    result = invoke(*MARCH)
    assert result.exit_code == 0
    assert result.stdout == ""
    drawn = buffer.getvalue()
    assert "Alice Archer" in drawn
    assert "32.48" in drawn
    assert "rows: 6 read, 4 credited, 2 excluded" in drawn


def test_json_money_is_text_and_traces_are_left_out(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*MARCH, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    alice = data["statements"][0]
    assert alice["payee"] == "alice"
    assert alice["total"] == "37.48"
    assert alice["lines"][0] == {
        "amount": "37.48",
        "component": "c",
        "computed": None,
        "currency": "USD",
        "kind": "commission",
        "label": "Commission",
    }
    assert "values" not in alice
    assert data["statements"][2]["total"] == "-20.00"
    assert data["rows"] == {
        "credited": 4,
        "excluded": {"dated outside the periods of this run": 2},
        "read": 6,
        "unpaid_shares": [],
        "ignored_metrics": {},
    }
    assert result.stdout.startswith('{\n  "closing": null,\n  "engine": "incentives ')
    assert result.stdout.endswith("}\n")


def test_json_with_trace_is_complete_and_stable(invoke: Invoke, ws: Workspace) -> None:
    first = invoke(*MARCH, "--format", "json", "--trace")
    second = invoke(*MARCH, "--format", "json", "--trace")
    assert first.stdout_bytes == second.stdout_bytes
    alice = json.loads(first.stdout)["statements"][0]
    assert alice["values"]["sales"]["value"] == "749.50"
    assert alice["values"]["sales"]["lines"] == ["t1", "t2"]
    assert alice["lines"][0]["trace"]["at"] == "t.plan:6:1"


def test_csv_rows_and_injection_safety(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*MARCH, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "period",
        "payee",
        "payee_name",
        "component",
        "label",
        "kind",
        "amount",
        "currency",
    ]
    assert rows[1] == [
        "2026-03",
        "alice",
        "Alice Archer",
        "c",
        "Commission",
        "commission",
        "37.48",
        "USD",
    ]
    assert rows[3] == [
        "2026-03",
        "alice",
        "Alice Archer",
        "total",
        "Total",
        "total",
        "37.48",
        "USD",
    ]
    mallory = [row for row in rows if row[1] == "mallory"]
    assert {row[2] for row in mallory} == {'\'=HYPERLINK("http://evil.example","click")'}
    assert [row[6] for row in mallory] == ["-20.00", "0.00", "-20.00"]
    assert len(rows) == 1 + 3 * 3
    assert "\r" not in result.stdout


def test_bad_period_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "t.plan", "--data", "data", "--period", "2026-13")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: `2026-13` is not a period")


def test_the_calendars_first_and_last_months_can_be_run_and_reported_on(
    invoke: Invoke, ws: Workspace
) -> None:
    # no period after 9999-12 or before 0001-01 is needed to pay or report them
    result = invoke("run", "t.plan", "--data", "data", "--period", "9999-11", "--to", "9999-12")
    assert result.exit_code == 0, result.stderr
    assert "9999-12 (9999-12-01 to 9999-12-31)" in result.stdout
    for day in ("9999-12-31", "0001-01-01"):
        result = invoke("report", "t.plan", "--data", "data", "--as-of", day)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["period"] == day[:7]
    # a week the calendar's end cuts short is still refused, saying why
    ws.write("w.plan", PLAN.replace("period month", "period week"))
    result = invoke("run", "w.plan", "--data", "data", "--period", "9999-12-31")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: `9999-12-31` is in 9999-W52, the last week of the calendar, which the "
        "calendar's end on 9999-12-31 cuts to 5 days: pay is computed for whole periods only"
    )


def test_period_range_backwards_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*MARCH, "--to", "2026-01")
    assert result.exit_code == 2
    assert result.stderr == "error: the range ends (2026-01) before it starts (2026-03)\n"


def test_missing_plan_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "nope.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 2
    assert result.stderr == "error: nope.plan: no such plan file\n"


def test_invalid_data_is_an_input_error_naming_file_row_and_column(
    invoke: Invoke, ws: Workspace
) -> None:
    ws.data("bad_cells", "bad")
    result = invoke("run", "t.plan", "--data", "bad", "--period", "2026-03")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("bad/ledger.csv:2:4: error[D603]: column `amount`: `12.3.4`")
    assert "bad/ledger.csv:3:3: error[D605]: column `payee`: `zed` is not a payee" in result.stderr
    assert lines[-1] == "error: 2 problems in the data"
    assert "Traceback" not in result.stderr


def test_plan_errors_are_findings_shown_with_the_plan_line(invoke: Invoke, ws: Workspace) -> None:
    ws.write("bad.plan", BAD_PLAN)
    result = invoke("run", "bad.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 1
    assert "bad.plan:4:25: error[E101]: unknown name `sale`" in result.stderr
    assert "    4 | commission c pays 5% of sale\n      |                         ^^^^\n" in (
        result.stderr
    )
    assert result.stderr.endswith("error: bad.plan: 1 error, 2 warnings\n")


def test_evaluation_errors_are_findings_shown_with_the_rule(invoke: Invoke, ws: Workspace) -> None:
    ws.write("zero.plan", DIVIDES_BY_ZERO)
    result = invoke("run", "zero.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "zero.plan:4:1: error[R702]: payee `alice`, 2026-03: `per_big` divides by zero" in (
        result.stderr
    )
    assert "    4 | let per_big = sales / big\n" in result.stderr
    assert result.stderr.endswith("error: 3 problems while computing pay\n")


def test_plan_warnings_are_noted_on_stderr(invoke: Invoke, ws: Workspace) -> None:
    ws.write("warn.plan", WARNING_ONLY)
    result = invoke("run", "warn.plan", "--data", "data", "--period", "2026-03")
    assert result.exit_code == 0
    assert result.stderr == "note: warn.plan: 1 warning; `incentives check` lists them\n"


def test_a_period_with_full_width_digits_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("run", "t.plan", "--data", "data", "--period", "２０２６-０３")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: `２０２６-０３` is not a period")
    assert "write the digits as 0 to 9" in result.stderr
