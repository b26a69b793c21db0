"""One payee's statement as a readable tree (``incentives explain``).

Contract: :func:`explain_tree` turns a :class:`~incentives.results.Statement`
into a :class:`TreeNode` tree: the statement at the root (its total as a
note), a branch per statement line, and under each line its trace, parts
nested in trace order; then, when the statement has them, a ``balances``
branch (each carried amount, opening → closing) and a ``minimum wage``
branch (each check: the minimum, what was paid, the shortfall, and whether
it was topped up or only flagged). Every node shows its value with its unit
(``41994.50 USD``; percents as ``116.5%``), and as notes its detail, its plan
location (``at plans/x.plan:12:3``) and the ledger ``txn_id``\\ s behind it.

A trace node's ``inputs`` name per-payee values; they are expanded, with
their own traces, under an ``inputs`` branch placed before the node's parts,
so a line reads top-down as "from these values, these steps". Each name is
expanded at most once per line: a later reference to it is dropped. A name
that is not among the statement's ``values`` but is a line of the statement
(a multiplier refers to the components it multiplies) is shown with that
line's amount; any other name is shown as not recorded.

:func:`render_tree` writes a tree as text with ``├──``/``└──`` guides, every
text passed through :func:`~incentives.report._text.visible`, no trailing
spaces, and a final newline. The output depends only on the statement.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from incentives.money import evaluation_context, format_decimal
from incentives.report._text import visible, wrap_words
from incentives.results import Statement, StatementLine, TraceNode, WageCheck
from incentives.results.models import Balance

__all__ = [
    "WAGE_OUTCOMES",
    "TreeNode",
    "explain_tree",
    "render_explain",
    "render_tree",
    "show_value",
]

#: Units shown by their value alone.
_PLAIN_UNITS = frozenset({"decimal", "count", "date", "bool"})
#: Ledger ids per note line: wrap the list at this many columns.
_IDS_WIDTH = 80


@dataclass(frozen=True)
class TreeNode:
    """One node of a text tree: a heading, notes under it, and children."""

    text: str
    notes: tuple[str, ...] = ()
    children: tuple[TreeNode, ...] = ()


def show_value(value: str | None, unit: str | None) -> str:
    """A trace value with its unit, as a person reads it.

    A value with more than :data:`SHOWN_FRACTION_DIGITS` digits after the
    point (the result of a division that does not end) is cut there and
    marked with an ellipsis; the JSON trace keeps every digit.

    >>> show_value("12.50", "USD"), show_value("1.05", "percent"), show_value("3", "count")
    ('12.50 USD', '105%', '3')
    >>> show_value("0.66666666666666666666666666666666666667", "percent")
    '66.666666666666666666…%'
    """
    if value is None:
        return "(no value)"
    if unit == "percent":
        shown = _percent(value)
        return _shorten(shown[:-1]) + "%" if shown.endswith("%") else shown
    if unit == "text":
        return f'"{value}"'
    if unit is None or unit in _PLAIN_UNITS:
        return _shorten(value)
    return f"{_shorten(value)} {unit}"


#: Digits after the point shown to a person; more are cut and marked with "…".
SHOWN_FRACTION_DIGITS = 18


def _shorten(text: str) -> str:
    whole, point, fraction = text.partition(".")
    if not point or len(fraction) <= SHOWN_FRACTION_DIGITS or not fraction.isdigit():
        return text
    return f"{whole}.{fraction[:SHOWN_FRACTION_DIGITS]}…"


def _percent(value: str) -> str:
    # A percent is kept as a fraction (1.05); shifting the exponent by two
    # places is exact, unlike multiplying by 100 under a limited precision.
    try:
        with evaluation_context():
            return format_decimal(Decimal(value).scaleb(2)) + "%"
    except (decimal.InvalidOperation, ArithmeticError):
        return f"{value} (percent)"


def explain_tree(statement: Statement) -> TreeNode:
    """The tree of one statement (see the module docstring)."""
    s = statement
    title = f"statement {s.payee}"
    if s.payee_name:
        title += f" ({s.payee_name})"
    title += f", {s.period} ({s.start.isoformat()} to {s.end.isoformat()})"
    total = f"total = {format_decimal(s.total)} {s.currency}"
    branches = [_LineTree(s).build(line) for line in s.lines]
    if s.balances:
        branches.append(TreeNode("balances", (), tuple(_balance(s, b) for b in s.balances)))
    if s.wage_checks:
        checks = tuple(_wage_check(w) for w in s.wage_checks)
        branches.append(TreeNode("minimum wage", (), checks))
    return TreeNode(title, (total,), tuple(branches))


def _balance(s: Statement, b: Balance) -> TreeNode:
    text = (
        f"{b.name} ({b.kind}): {format_decimal(b.opening)} → {format_decimal(b.closing)} "
        f"{s.currency}"
    )
    return TreeNode(text, (b.detail,) if b.detail else ())


#: Each outcome of a minimum wage check, in words (also on the HTML statement).
WAGE_OUTCOMES = {
    "met": "met",
    "topped_up": "topped up by the statement line of the same name",
    "below_minimum": "BELOW THE MINIMUM: flagged by the plan, not paid",
}


def _wage_check(w: WageCheck) -> TreeNode:
    money = f" {w.currency}"
    notes = (
        f"{format_decimal(w.rate)}{money} per hour × {format_decimal(w.hours)} hours = "
        f"{format_decimal(w.minimum)}{money}",
        f"paid before the check: {format_decimal(w.paid)}{money}",
        f"shortfall: {format_decimal(w.shortfall)}{money}",
        f"at {w.at}",
    )
    return TreeNode(f"{w.name}: {WAGE_OUTCOMES[w.outcome]}", notes)


class _LineTree:
    """Builds the tree of one statement line, expanding each input once."""

    def __init__(self, statement: Statement) -> None:
        self._values = statement.values
        self._lines = {line.component: line for line in statement.lines}
        self._measures = measure_lines(statement)
        # Membership only; never iterated, so output order cannot depend on it.
        self._seen: set[str] = set()

    def build(self, line: StatementLine) -> TreeNode:
        heading = line.component
        if line.label != line.component:
            heading += f' "{line.label}"'
        heading += f" ({line.kind}) = {format_decimal(line.amount)} {line.currency}"
        return self._node(line.trace, heading, skip_detail=(line.label, line.component))

    def _node(
        self, trace: TraceNode, heading: str | None = None, skip_detail: Sequence[str] = ()
    ) -> TreeNode:
        children: list[TreeNode] = []
        inputs = self._inputs(trace.inputs)
        if inputs:
            children.append(TreeNode("inputs", (), tuple(inputs)))
        children.extend(self._node(part) for part in trace.parts)
        notes = _notes(trace, skip_detail, self._measures)
        return TreeNode(heading or _heading(trace), notes, tuple(children))

    def _inputs(self, names: Sequence[str]) -> list[TreeNode]:
        found = []
        for name in names:
            if name in self._seen:
                continue
            self._seen.add(name)
            value = self._values.get(name)
            line = self._lines.get(name)
            if value is not None:
                found.append(self._node(value))
            elif line is not None:
                amount = f"{format_decimal(line.amount)} {line.currency}"
                found.append(TreeNode(f"{name} = {amount}", ("a line of this statement",)))
            else:
                found.append(TreeNode(name, ("no value recorded",)))
        return found


def _heading(trace: TraceNode) -> str:
    if trace.label == trace.kind or trace.label.startswith(trace.kind + " "):
        head = trace.label
    else:
        head = f"{trace.kind} {trace.label}"
    if trace.value is None:
        return head
    return f"{head} = {show_value(trace.value, trace.unit)}"


def measure_lines(statement: Statement) -> dict[tuple[str, ...], str]:
    """The ledger lines of each measure on the statement, to name them by the measure."""
    found: dict[tuple[str, ...], str] = {}
    for name in sorted(statement.values):
        value = statement.values[name]
        if value.kind == "measure" and value.lines:
            found.setdefault(tuple(value.lines), name)
    return found


def lines_of_measure(trace: TraceNode, measures: Mapping[tuple[str, ...], str]) -> str | None:
    """ "the 14 ledger lines of `sales`" when a step's lines are exactly a measure's."""
    if trace.kind == "measure" or not trace.lines:
        return None
    name = measures.get(tuple(trace.lines))
    if name is None:
        return None
    count = len(trace.lines)
    return f"ledger lines: the {count} line{'s' if count != 1 else ''} of `{name}`"


def _notes(
    trace: TraceNode,
    skip_detail: Sequence[str],
    measures: Mapping[tuple[str, ...], str] | None = None,
) -> tuple[str, ...]:
    notes = []
    if trace.detail and trace.detail != trace.label and trace.detail not in skip_detail:
        notes.append(trace.detail)
    if trace.at:
        notes.append(f"at {trace.at}")
    ids = trace.lines
    named = lines_of_measure(trace, measures or {})
    if named is not None:
        notes.append(named)
    elif ids and not (trace.kind == "line" and len(ids) == 1 and trace.label == f"line {ids[0]}"):
        wrapped = wrap_words([f"ledger lines: {ids[0]}", *ids[1:]], _IDS_WIDTH)
        notes.append(wrapped[0])
        notes.extend("  " + more for more in wrapped[1:])
    return tuple(notes)


def render_tree(root: TreeNode) -> str:
    """A tree as text with box-drawing guides; ends with a newline."""
    out = [visible(root.text)]
    _render_body(root, "", out)
    return "\n".join(out) + "\n"


def _render_body(node: TreeNode, prefix: str, out: list[str]) -> None:
    note_prefix = prefix + ("│   " if node.children else "    ")
    out.extend(note_prefix + visible(note) for note in node.notes)
    for index, child in enumerate(node.children):
        last = index == len(node.children) - 1
        out.append(prefix + ("└── " if last else "├── ") + visible(child.text))
        _render_body(child, prefix + ("    " if last else "│   "), out)


def render_explain(statement: Statement) -> str:
    """The text tree of one statement."""
    return render_tree(explain_tree(statement))
