"""Rich output for an interactive terminal; plain text everywhere else.

Contract: the report modules render deterministic plain text, which is what
a pipe, a file or a test receives. When stdout is a terminal the same
layouts (:class:`~incentives.report.statements_table.PeriodTable`,
:class:`~incentives.report.explain.TreeNode`) are drawn with rich instead:
boxed tables and guide lines, colour only if the terminal and ``NO_COLOR``
allow it. Nothing computed differs between the two; only the drawing does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from incentives.report._text import visible
from incentives.report.explain import TreeNode
from incentives.report.statements_table import PeriodTable

__all__ = ["print_tables", "print_tree", "rich_table", "rich_tree", "terminal_console"]


def terminal_console() -> Console:
    """A console on stdout for an interactive terminal."""
    return Console(highlight=False, emoji=False, markup=False)


def rich_table(table: PeriodTable) -> Table:
    """A period's statements as a rich table."""
    out = Table(title=visible(table.title), title_justify="left", show_footer=False)
    for header, numeric in zip(table.headers, table.numeric, strict=True):
        out.add_column(visible(header), justify="right" if numeric else "left")
    for row in table.rows:
        out.add_row(*(Text(visible(cell)) for cell in row))
    if table.totals:
        out.add_section()
        out.add_row(*(Text(visible(cell), style="bold") for cell in table.totals))
    return out


def print_tables(
    tables: Sequence[PeriodTable],
    rows_lines: Sequence[str],
    console: Console,
    below: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Print the period tables (each with the lines ``below`` it), then the row accounting."""
    for table in tables:
        if table.rows:
            console.print(rich_table(table))
        else:
            console.print(Text(f"{visible(table.title)}: no statements"))
        for line in (below or {}).get(table.period, ()):
            console.print(Text(visible(line)))
    for line in rows_lines:
        console.print(Text(line))


def rich_tree(node: TreeNode) -> Tree:
    """A text tree as a rich tree: the heading in bold, its notes dimmed below it."""
    tree = Tree(_label(node), guide_style="dim")
    _add_children(tree, node)
    return tree


def _label(node: TreeNode) -> Text:
    label = Text(visible(node.text), style="bold")
    for note in node.notes:
        label.append("\n" + visible(note), style="dim")
    return label


def _add_children(tree: Tree, node: TreeNode) -> None:
    for child in node.children:
        _add_children(tree.add(_label(child)), child)


def print_tree(node: TreeNode, console: Console) -> None:
    """Print a text tree."""
    console.print(rich_tree(node))
