"""report.explain: the statement tree, value display and input expansion."""

from __future__ import annotations

import pytest
from report_samples import computed, line, node, statement

from incentives.report.explain import (
    TreeNode,
    explain_tree,
    render_explain,
    render_tree,
    show_value,
)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("12.50", "USD", "12.50 USD"),
        ("-0.0050", "EUR", "-0.0050 EUR"),
        ("0.05", "percent", "5%"),
        ("1.10", "percent", "110%"),
        (
            "1.166513888888888888888888888888888888889",
            "percent",
            "116.651388888888888888…%",
        ),
        ("not a number", "percent", "not a number (percent)"),
        ("3", "count", "3"),
        ("1.5", "decimal", "1.5"),
        ("2026-03-01", "date", "2026-03-01"),
        ("true", "bool", "true"),
        ("east", "text", '"east"'),
        ("4.6", None, "4.6"),
        (None, "USD", "(no value)"),
    ],
)
def test_show_value(value: str | None, unit: str | None, shown: str) -> None:
    assert show_value(value, unit) == shown


def test_render_tree_guides() -> None:
    tree = TreeNode(
        "root",
        ("note",),
        (
            TreeNode("a", ("a1",), (TreeNode("a.x", ("x1",)),)),
            TreeNode("b", ("b1", "b2")),
        ),
    )
    assert render_tree(tree) == (
        "root\n"
        "│   note\n"
        "├── a\n"
        "│   │   a1\n"
        "│   └── a.x\n"
        "│           x1\n"
        "└── b\n"
        "        b1\n"
        "        b2\n"
    )
    assert render_tree(TreeNode("alone")) == "alone\n"


def test_computed_statement_shows_locations_and_ledger_lines() -> None:
    text = render_explain(computed().statements[0])
    assert text.startswith(
        "statement alice (Alice Archer), 2026-03 (2026-03-01 to 2026-03-31)\n"
        "│   total = 37.48 USD\n"
        '├── c "Commission" (commission) = 37.48 USD\n'
        "│   │   at t.plan:6:1\n"
        "│   ├── inputs\n"
        "│   │   └── measure sales = 749.50 USD\n"
        "│   │           sum amount\n"
        "│   │           at t.plan:2:1\n"
        "│   │           ledger lines: t1, t2\n"
    )
    assert "band rates: below 1,000 USD = 37.4750 USD" in text
    assert "rounded half_up to 0.01: 37.4750 → 37.48" in text


def test_each_input_is_expanded_once_per_line() -> None:
    values = {
        "sales": node("measure", "sales", "10", unit="USD", lines=["t1"]),
        "rate": node("value", "rate", "0.05", unit="percent", inputs=["sales"]),
    }
    trace = node(
        "component",
        "c",
        "0.50",
        unit="USD",
        inputs=["sales", "rate"],
        parts=[node("formula", "rate of sales", "0.50", unit="USD", inputs=["sales", "rate"])],
    )
    s = statement(
        "a", [line("c", "0.50", trace=trace), line("d", "0.50", trace=trace)], values=values
    )
    text = render_explain(s)
    # Once for each of the two lines, never twice within one.
    assert text.count("measure sales = 10 USD") == 2
    assert text.count("value rate = 5%") == 2
    c_branch = explain_tree(s).children[0]
    assert [child.text for child in c_branch.children] == [
        "inputs",
        "formula rate of sales = 0.50 USD",
    ]
    assert c_branch.children[1].children == ()


def test_inputs_that_refer_to_each_other_terminate() -> None:
    values = {
        "a": node("value", "a", "1", unit="decimal", inputs=["b"]),
        "b": node("value", "b", "2", unit="decimal", inputs=["a"]),
    }
    trace = node("component", "c", "1.00", unit="USD", inputs=["a"])
    text = render_explain(statement("p", [line("c", "1.00", trace=trace)], values=values))
    assert text.count("value a = 1") == 1
    assert text.count("value b = 2") == 1


def test_inputs_that_are_lines_or_unknown() -> None:
    trace = node("component", "kicker", "1.00", unit="USD", inputs=["c", "ghost"])
    s = statement("p", [line("c", "10.00"), line("kicker", "1.00", kind="multiplier", trace=trace)])
    text = render_explain(s)
    assert "c = 10.00 USD\n" in text
    assert "a line of this statement" in text
    assert "── ghost\n" in text
    assert "no value recorded" in text


def test_many_ledger_lines_wrap_and_single_line_nodes_stay_short() -> None:
    ids = [f"txn-{i:04d}" for i in range(20)]
    parts = [node("line", "line txn-0000", "1", unit="USD", lines=["txn-0000"])]
    trace = node("component", "c", "20", unit="USD", lines=ids, parts=parts)
    text = render_explain(statement("p", [line("c", "20", trace=trace)]))
    ledger = [row for row in text.splitlines() if "txn-" in row and "line txn-0000" not in row]
    assert ledger[0].endswith(
        "ledger lines: txn-0000, txn-0001, txn-0002, txn-0003, txn-0004, txn-0005,"
    )
    assert len(ledger) == 3
    assert all(len(row.lstrip(" │")) <= 82 for row in ledger)
    assert ledger[1] == "    │     " + ", ".join(ids[6:14]) + ","
    assert "ledger lines: txn-0000\n" not in text


def test_the_detail_is_not_repeated_when_it_is_the_label() -> None:
    trace = node("component", "c", "1.00", unit="USD", detail="Commission")
    text = render_explain(statement("p", [line("c", "1.00", label="Commission", trace=trace)]))
    assert text.count("Commission") == 1
