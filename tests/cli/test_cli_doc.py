"""``incentives doc``: the written plan on stdout or in a file, Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cli_support import BAD_PLAN, EXAMPLES_PLAN, Invoke, Workspace

ROOT = Path(__file__).resolve().parents[2]


def test_markdown_on_stdout(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("doc", "t.plan")
    assert result.exit_code == 0
    assert result.stdout.startswith("# T\n")
    assert "### Commission\n\ncommission `c`\n\nPays `rates on sales`." in result.stdout
    assert "| below 1,000 USD | 5% |" in result.stdout
    assert "This plan carries no examples." in result.stdout
    assert result.stdout.endswith("```\n")
    assert result.stderr == ""


def test_html_to_a_file_by_its_suffix(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("doc", "t.plan", "--output", "out/plan.html")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "wrote out/plan.html\n"
    html = (ws.root / "out" / "plan.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert invoke("doc", "t.plan", "--format", "html").stdout == html


@pytest.mark.parametrize("name", ["plan.pdf", "plan", "plan.txt"])
def test_a_file_name_that_names_no_format_is_refused(
    invoke: Invoke, ws: Workspace, name: str
) -> None:
    # as plot does, instead of writing Markdown into plan.pdf
    result = invoke("doc", "t.plan", "-o", name)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: `{name}`: name a .md, .markdown, .html or .htm file, or give --format\n"
    )
    assert not (ws.root / name).exists()
    assert invoke("doc", "t.plan", "-o", name, "--format", "markdown").exit_code == 0
    assert (ws.root / name).read_text(encoding="utf-8").startswith("# T\n")
    assert invoke("doc", "t.plan", "-o", "plan.MD").exit_code == 0


def test_the_same_bytes_every_time(invoke: Invoke, ws: Workspace) -> None:
    assert invoke("doc", "t.plan", "-o", "a.md").exit_code == 0
    assert invoke("doc", "t.plan", "-o", "b.md").exit_code == 0
    assert (ws.root / "a.md").read_bytes() == (ws.root / "b.md").read_bytes()


def test_data_lists_the_payees_on_the_plan(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("doc", "t.plan", "--data", "data")
    assert result.exit_code == 0
    assert "| alice | Alice Archer |  |  |  |  |" in result.stdout
    assert "=HYPERLINK" in result.stdout  # escaped text, never a formula in Markdown
    assert invoke("doc", "t.plan", "--data", "nowhere").exit_code == 2


def test_a_failing_example_is_written_and_exits_1(invoke: Invoke, ws: Workspace) -> None:
    ws.write("examples.plan", EXAMPLES_PLAN)
    result = invoke("doc", "examples.plan", "-o", "examples.md")
    assert result.exit_code == 1
    assert "error: 1 of 2 examples fail" in result.stderr
    text = (ws.root / "examples.md").read_text(encoding="utf-8")
    assert "Checked: all 2 expected values match the computation." in text
    assert (
        "FAILS: alice c: expected 49.00, computed 50.00; alice total: expected 50, computed 150.00."
        in text
    )


def test_errors(invoke: Invoke, ws: Workspace) -> None:
    ws.write("bad.plan", BAD_PLAN)
    assert invoke("doc", "bad.plan").exit_code == 1
    assert invoke("doc", "missing.plan").exit_code == 2
    assert invoke("doc", "t.plan", "--format", "pdf").exit_code == 2


def test_a_bundled_plan(invoke: Invoke, ws: Workspace) -> None:
    result = invoke("doc", str(ROOT / "plans" / "weekly_part_time.plan"), "--format", "html")
    assert result.exit_code == 0
    assert "weekly: ISO weeks, Monday to Sunday" in result.stdout
    assert "Holidays (not working days):" in result.stdout
