"""``incentives test``: examples as tests, directories, plans with errors, JSON."""

from __future__ import annotations

import json

from .cli_support import BAD_PLAN, DIVIDES_BY_ZERO, EXAMPLES_PLAN, PLAN, Invoke, Workspace

PASSING = EXAMPLES_PLAN.split('\nexample "Wrong on purpose"')[0]

UNRUNNABLE = (
    DIVIDES_BY_ZERO
    + """
example "Nothing big"
  period "2026-03"
  payee alice
  line t1 2026-03-05 alice: 10 USD
  expect alice total: 0 USD
"""
)


def test_pass_and_fail_with_the_expectation_location(invoke: Invoke, ws: Workspace) -> None:
    ws.write("ex.plan", EXAMPLES_PLAN)
    result = invoke("test", "ex.plan")
    assert result.exit_code == 1
    assert result.stdout == (
        "ex.plan\n"
        "  PASS March\n"
        "  FAIL Wrong on purpose\n"
        "    ex.plan:21:3: expect alice c: expected 49.00, got 50.00\n"
        "    ex.plan:22:3: expect alice total: expected 50, got 150.00\n"
        "2 examples, 1 failed\n"
    )
    assert result.stderr == ""


def test_all_passing_exits_0(invoke: Invoke, ws: Workspace) -> None:
    ws.write("ok.plan", PASSING)
    result = invoke("test", "ok.plan")
    assert result.exit_code == 0
    assert result.stdout == "ok.plan\n  PASS March\n1 example, 0 failed\n"


def test_a_plan_without_examples_is_reported_but_does_not_fail(
    invoke: Invoke, ws: Workspace
) -> None:
    result = invoke("test", "t.plan")
    assert result.exit_code == 0
    assert result.stdout == "t.plan: no examples\n0 examples, 0 failed\n"


def test_directories_are_searched_recursively_in_sorted_order(
    invoke: Invoke, ws: Workspace
) -> None:
    ws.write("plans/b.plan", PASSING)
    ws.write("plans/a.plan", PLAN)
    ws.write("plans/sub/c.plan", PASSING)
    ws.write("plans/.hidden/d.plan", BAD_PLAN)
    ws.write("plans/notes.txt", "not a plan")
    result = invoke("test", "plans")
    assert result.exit_code == 0
    assert result.stdout == (
        "plans/a.plan: no examples\n"
        "plans/b.plan\n  PASS March\n"
        "plans/sub/c.plan\n  PASS March\n"
        "2 examples, 0 failed\n"
    )


def test_a_plan_given_twice_runs_once(invoke: Invoke, ws: Workspace) -> None:
    ws.write("plans/ok.plan", PASSING)
    result = invoke("test", "plans", "plans/ok.plan")
    assert result.stdout.endswith("1 example, 0 failed\n")


def test_a_plan_with_errors_fails_and_shows_its_diagnostics(invoke: Invoke, ws: Workspace) -> None:
    ws.write("bad.plan", BAD_PLAN)
    ws.write("ok.plan", PASSING)
    result = invoke("test", "bad.plan", "ok.plan")
    assert result.exit_code == 1
    assert result.stdout.startswith("bad.plan: cannot run its examples: 1 error, 2 warnings\n")
    assert "bad.plan:4:25: error[E101]: unknown name `sale`\n    4 | commission" in result.stdout
    assert result.stdout.endswith("ok.plan\n  PASS March\n1 example, 0 failed; 1 plan has errors\n")


def test_an_example_that_cannot_run_fails_with_its_problems(invoke: Invoke, ws: Workspace) -> None:
    ws.write("odd.plan", UNRUNNABLE)
    result = invoke("test", "odd.plan")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "odd.plan",
        "  FAIL Nothing big",
        "odd.plan:4:1: error[R702]: payee `alice`, 2026-03: `per_big` divides by zero",
        "    4 | let per_big = sales / big",
        "      | ^^^^^^^^^^^^^^^^^^^^^^^^^",
    ]
    assert lines[-1] == "1 example, 1 failed"


def test_json(invoke: Invoke, ws: Workspace) -> None:
    ws.write("ex.plan", EXAMPLES_PLAN)
    result = invoke("test", "--format", "json", "ex.plan", "t.plan")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["examples"], data["failed"], data["plans_with_errors"]) == (2, 1, 0)
    assert [p["file"] for p in data["plans"]] == ["ex.plan", "t.plan"]
    march, wrong = data["plans"][0]["examples"]
    assert march == {
        "title": "March",
        "at": "ex.plan:9:1",
        "passed": True,
        "checked": 2,
        "mismatches": [],
        "problems": [],
    }
    assert wrong["mismatches"][0] == {
        "payee": "alice",
        "name": "c",
        "expected": "49.00",
        "actual": "50.00",
        "at": "ex.plan:21:3",
    }
    assert wrong["mismatches"][1]["name"] is None


def test_missing_path_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("test", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == "error: nowhere: no such plan file or directory\n"
    assert result.stdout == ""


def test_a_directory_without_plans_is_a_usage_error(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("test", "data")
    assert result.exit_code == 2
    assert result.stderr == "error: no .plan files in `data`\n"
