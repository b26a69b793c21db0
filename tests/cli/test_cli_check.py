"""``incentives check``: diagnostics text (golden), JSON, --strict and exit codes."""

from __future__ import annotations

import json

from .cli_support import BAD_PLAN, GOLDEN, WARNING_ONLY, Golden, Invoke, Workspace


def test_clean_plan_exits_0(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("check", "t.plan")
    assert result.exit_code == 0
    assert result.stdout == "t.plan: no problems\n"
    assert result.stderr == ""


def test_errors_exit_1_with_golden_text(invoke: Invoke, ws: Workspace, golden: Golden) -> None:
    ws.write("bad.plan", BAD_PLAN)
    result = invoke("check", "t.plan", "bad.plan")
    assert result.exit_code == 1
    golden(GOLDEN / "check_bad.txt", result.stdout)
    assert result.stdout.endswith("bad.plan: 1 error, 2 warnings\n")


def test_warnings_pass_unless_strict(invoke: Invoke, ws: Workspace, golden: Golden) -> None:
    ws.write("warn.plan", WARNING_ONLY)
    relaxed = invoke("check", "warn.plan")
    assert relaxed.exit_code == 0
    golden(GOLDEN / "check_warning.txt", relaxed.stdout)
    strict = invoke("check", "--strict", "warn.plan")
    assert strict.exit_code == 1
    assert strict.stdout == relaxed.stdout


def test_json_is_one_array_across_files(invoke: Invoke, ws: Workspace) -> None:
    ws.write("bad.plan", BAD_PLAN)
    ws.write("warn.plan", WARNING_ONLY)
    result = invoke("check", "--format", "json", "bad.plan", "t.plan", "warn.plan")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [(d["file"], d["code"], d["line"], d["column"]) for d in items] == [
        ("bad.plan", "W110", 2, 9),
        ("bad.plan", "W110", 3, 9),
        ("bad.plan", "E101", 4, 25),
        ("warn.plan", "W110", 3, 9),
    ]
    assert items[2]["hint"] == "did you mean `sales`?"
    assert result.stdout.endswith("]\n")


def test_json_of_clean_plans_is_an_empty_array(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("check", "--format", "json", "t.plan")
    assert result.exit_code == 0
    assert result.stdout == "[]\n"


def test_missing_file_is_exit_2_and_other_files_are_still_checked(
    invoke: Invoke, ws: Workspace
) -> None:
    ws.write("bad.plan", BAD_PLAN)
    result = invoke("check", "nope.plan", "bad.plan")
    assert result.exit_code == 2
    assert result.stderr == "error: nope.plan: no such plan file\n"
    assert "bad.plan: 1 error, 2 warnings" in result.stdout


def test_a_directory_is_not_a_plan(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("check", "data")
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_not_utf8_is_a_finding_rendered_as_a_diagnostic(invoke: Invoke, ws: Workspace) -> None:
    (ws.root / "latin1.plan").write_bytes(b'plan "Caf\xe9" version "1"\n')
    result = invoke("check", "latin1.plan")
    assert result.exit_code == 1
    assert result.stdout.startswith("latin1.plan:1:10: error[E006]: the plan is not UTF-8 text")
    assert result.stdout.endswith("latin1.plan: 1 error\n")


def test_no_plan_given_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("check")
    assert result.exit_code == 2
