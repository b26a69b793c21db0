"""cli._console: the rich drawings used on a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from incentives.cli._console import print_tables, print_tree, terminal_console
from incentives.report.explain import TreeNode
from incentives.report.statements_table import PeriodTable


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, no_color=True, width=100), buffer


def test_tables_with_and_without_statements() -> None:
    console, buffer = _console()
    full = PeriodTable(
        period="2026-03",
        title="2026-03 (2026-03-01 to 2026-03-31)",
        headers=("payee", "name", "c", "total", "currency"),
        numeric=(False, False, True, True, False),
        rows=(("a", "\x1b[2J", "1.00", "1.00", "USD"),),
        totals=("total", "", "1.00", "1.00", "USD"),
    )
    empty = PeriodTable("2026-04", "2026-04", full.headers, full.numeric, (), None)
    below = {"2026-03": ["balances:", "  a  d  draw  0.00  ->  5.00  USD"]}
    print_tables([full, empty], ["rows: 1 read, 1 credited, 0 excluded"], console, below)
    drawn = buffer.getvalue()
    assert drawn.index("a  d  draw  0.00  ->  5.00  USD") < drawn.index("2026-04: no statements")
    assert "2026-03 (2026-03-01 to 2026-03-31)" in drawn
    assert "\\u001b[2J" in drawn
    assert "\x1b[2J" not in drawn
    assert "2026-04: no statements" in drawn
    assert drawn.rstrip().endswith("rows: 1 read, 1 credited, 0 excluded")


def test_tree_shows_headings_notes_and_children() -> None:
    console, buffer = _console()
    print_tree(
        TreeNode("root", ("total = 1.00 USD",), (TreeNode("child", ("at t.plan:3:1",)),)), console
    )
    drawn = buffer.getvalue()
    for text in ("root", "total = 1.00 USD", "child", "at t.plan:3:1"):
        assert text in drawn


def test_terminal_console_writes_to_stdout() -> None:
    console = terminal_console()
    assert console.file is not None
