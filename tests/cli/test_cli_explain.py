"""``incentives explain``: the trace tree (golden), JSON, and unknown payees or periods."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import incentives.cli.explain as explain_module
from incentives.cli import _console

from .cli_support import GOLDEN, Golden, Invoke, Workspace

ALICE = ("explain", "t.plan", "--data", "data", "--period", "2026-03", "--payee", "alice")


def test_tree_of_a_statement(invoke: Invoke, ws: Workspace, golden: Golden) -> None:
    result = invoke(*ALICE)
    assert result.exit_code == 0
    assert result.stderr == ""
    golden(GOLDEN / "explain_alice_2026-03.txt", result.stdout)
    assert "ledger lines: t1, t2" in result.stdout
    assert "at t.plan:4:3" in result.stdout


def test_tree_with_a_bonus_paid(invoke: Invoke, ws: Workspace, golden: Golden) -> None:
    result = invoke(
        "explain", "t.plan", "--data", "data", "--period", "2026-04", "--payee", "alice"
    )
    assert result.exit_code == 0
    golden(GOLDEN / "explain_alice_2026-04.txt", result.stdout)


def test_a_date_names_its_period(invoke: Invoke, ws: Workspace) -> None:
    by_label = invoke(*ALICE)
    by_date = invoke(
        "explain", "t.plan", "--data", "data", "--period", "2026-03-17", "--payee", "alice"
    )
    assert by_date.exit_code == 0
    assert by_date.stdout == by_label.stdout


def test_names_are_made_visible(invoke: Invoke, ws: Workspace) -> None:
    Path("data/roster.csv").write_text(
        'payee,name\nalice,"Al\x1b[2Jice"\nbob,Bob\nmallory,Mal\n', encoding="utf-8"
    )
    result = invoke(*ALICE)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert result.stdout.startswith("statement alice (Al\\u001b[2Jice), 2026-03")


def test_json_is_the_statement_with_traces(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(*ALICE, "--format", "json")
    assert result.exit_code == 0
    statement = json.loads(result.stdout)
    assert statement["payee"] == "alice"
    assert statement["total"] == "37.48"
    assert statement["lines"][0]["trace"]["parts"][0]["label"] == "rates on sales"
    assert statement["values"]["sales"]["lines"] == ["t1", "t2"]
    assert result.stdout.endswith("}\n")


def test_on_a_terminal_the_tree_is_drawn_with_rich(
    invoke: Invoke, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.StringIO()
    console = _console.Console(file=buffer, force_terminal=True, no_color=True, width=120)
    monkeypatch.setattr(explain_module, "is_terminal", lambda: True)
    monkeypatch.setattr(explain_module, "terminal_console", lambda: console)
    result = invoke(*ALICE)
    assert result.exit_code == 0
    drawn = buffer.getvalue()
    assert "statement alice (Alice Archer)" in drawn
    assert "ledger lines: t1, t2" in drawn


def test_unknown_payee_suggests_close_ids(invoke: Invoke, ws: Workspace) -> None:
    result = invoke(
        "explain", "t.plan", "--data", "data", "--period", "2026-03", "--payee", "alcie"
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: no statement for payee `alcie` in 2026-03; did you mean `alice`?\n"
    )


def test_payee_in_another_case_is_suggested(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("explain", "t.plan", "--data", "data", "--period", "2026-03", "--payee", "BOB")
    assert result.exit_code == 2
    assert "did you mean `bob`?" in result.stderr


def test_unrelated_payee_lists_the_ids(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("explain", "t.plan", "--data", "data", "--period", "2026-03", "--payee", "zz")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no statement for payee `zz` in 2026-03; "
        "payees with a statement: `alice`, `bob`, `mallory`\n"
    )


ROOT = Path(__file__).resolve().parents[2]
PLANS, EXAMPLES = ROOT / "plans", ROOT / "examples"
RETAIL = ("explain", str(PLANS / "retail_floor.plan"), "--data", str(EXAMPLES / "retail"))


@pytest.mark.parametrize(
    ("period", "payee", "message"),
    [
        # hana left on 20 February: not a typo of `ana`
        (
            "2026-03",
            "hana",
            "payee `hana` is not active in 2026-03 (employed from 2024-01-08 to 2026-02-20): "
            "their last active month is 2026-02",
        ),
        (
            "2026-02",
            "emma",
            "payee `emma` is not active in 2026-02 (employed from 2026-03-11): "
            "their first active month is 2026-03",
        ),
        ("2026-03", "gus", "payee `gus` is on another plan (Store managers), not on "),
        ("2026-03", "anna", "no statement for payee `anna` in 2026-03; did you mean `ana`?"),
    ],
)
def test_a_roster_payee_without_a_statement_is_told_why(
    invoke: Invoke, ws: Workspace, period: str, payee: str, message: str
) -> None:
    result = invoke(*RETAIL, "--period", period, "--payee", payee)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {message}")
    assert payee == "anna" or "did you mean" not in result.stderr


def test_bad_period_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("explain", "t.plan", "--data", "data", "--period", "March", "--payee", "alice")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: `March` is not a period")
