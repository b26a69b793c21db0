"""A payee's statement as one self-contained HTML page.

Contract: :func:`render_statement_html` renders one
:class:`~incentives.results.Statement` of a :class:`~incentives.results.RunResult`
with the Jinja2 template ``templates/statement.html.j2`` (loaded from the
installed package with :class:`jinja2.PackageLoader`, so it ships in the
wheel). The page shows the plan's name and version, the payee's id and name,
the period and its dates, each statement line (label, kind, amount,
currency), the total, the currency conversion when the statement is paid in
another currency than the plan's (each line's amount in the plan currency,
which its trace explains, beside the amount paid; the rate, its date and
source, the rounding), and for each line the steps behind it, taken from its
trace tree: tier bands with their slices and rates, the ledger lines with
their amounts, gates, caps, floors and rounding; then the named values the
steps use. Nothing is recomputed: every amount is the exact text of the
statement's JSON form (:mod:`incentives.report.statements_json`), so the
page, the JSON and the CSV agree byte for byte on every number. (A percent
is shown as its fraction with the decimal point moved two places, an exact
shift, as ``incentives explain`` does.) A balances section (draws,
holdbacks, withheld cap excess: opening and closing amounts) is drawn only
when the statement's JSON carries a non-empty ``balances`` list, and a
minimum wage section (hours, rate, minimum, what was paid, the shortfall and
whether it was topped up or only flagged) when it carries ``wage_checks``.

Safety: autoescaping is on for every value, and every text from the plan or
the data also goes through :func:`~incentives.report._text.visible`, so a
payee name cannot inject markup or reorder the page with bidirectional
controls. The page loads nothing: no external stylesheet, script, image,
font or URL; the CSS is inline, and a ``Content-Security-Policy`` meta tag
forbids every fetch even if a browser tried one.

Determinism: the output depends only on the statement and the run's plan
information (name, version, SHA-256), never on the clock, locale or environment;
the same input renders the same bytes (UTF-8, ``\\n`` line ends, final newline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from incentives.report._text import visible
from incentives.report.explain import (
    WAGE_OUTCOMES,
    lines_of_measure,
    measure_lines,
    show_value,
)
from incentives.report.templating import html_environment
from incentives.results import RunResult, Statement, TraceNode

__all__ = ["render_statement_html"]

_TEMPLATE = "statement.html.j2"


@dataclass(frozen=True)
class _Link:
    """A name a step uses, and the anchor of its section on the page (if any)."""

    name: str
    anchor: str | None


@dataclass(frozen=True)
class _LedgerLine:
    txn_id: str
    amount: str


@dataclass(frozen=True)
class _Step:
    """One trace node, ready to print."""

    kind: str
    label: str
    value: str | None
    detail: str | None
    at: str | None
    lines: tuple[str, ...]
    inputs: tuple[_Link, ...]
    parts: tuple[_Step, ...]
    ledger: tuple[_LedgerLine, ...]
    #: "ledger lines: the 14 lines of `sales`", when the lines are a measure's.
    lines_text: str | None = None


@dataclass(frozen=True)
class _Line:
    component: str
    label: str
    kind: str
    amount: str
    currency: str
    #: The amount in the plan currency, when the statement was converted.
    computed: str | None
    anchor: str
    trace: _Step


@dataclass(frozen=True)
class _Balance:
    name: str
    kind: str
    opening: str
    closing: str
    detail: str


@dataclass(frozen=True)
class _Value:
    name: str
    anchor: str
    step: _Step


def render_statement_html(result: RunResult, statement: Statement) -> str:
    """The HTML page of one statement of ``result`` (see the module docstring)."""
    dumped = statement.model_dump(mode="json")
    anchors = _Anchors(statement)
    lines = [
        _Line(
            component=visible(line["component"]),
            label=visible(line["label"]),
            kind=visible(line["kind"]),
            amount=line["amount"],
            currency=visible(line["currency"]),
            computed=line.get("computed"),
            anchor=anchors.line(line["component"]),
            trace=_step(model.trace, anchors, skip_detail=(model.label, model.component)),
        )
        for line, model in zip(dumped["lines"], statement.lines, strict=True)
    ]
    values = [
        _Value(visible(name), anchors.value(name), _step(statement.values[name], anchors))
        for name in sorted(statement.values)
    ]
    context: dict[str, Any] = {
        "plan_name": visible(result.plan.name),
        "plan_version": visible(result.plan.version),
        "plan_sha256": result.plan.sha256,
        "payee": visible(statement.payee),
        "payee_name": visible(statement.payee_name) if statement.payee_name else None,
        "period": visible(statement.period),
        "start": dumped["start"],
        "end": dumped["end"],
        "currency": visible(statement.currency),
        "total": dumped["total"],
        "lines": lines,
        "values": values,
        "conversion": _conversion(dumped),
        "balances": _balances(dumped),
        "wage_checks": _wage_checks(dumped),
    }
    return html_environment().get_template(_TEMPLATE).render(context)


def _balances(dumped: Mapping[str, Any]) -> list[_Balance]:
    # Read from the JSON form, field by field, so that the page shows exactly
    # the text of statements.json and stays drawable as the model grows.
    found = dumped.get("balances")
    if not isinstance(found, list):
        return []

    def text(item: Mapping[str, Any], key: str) -> str:
        value = item.get(key)
        return "" if value is None else visible(str(value))

    return [
        _Balance(*(text(item, key) for key in ("name", "kind", "opening", "closing", "detail")))
        for item in found
        if isinstance(item, dict)
    ]


def _wage_checks(dumped: Mapping[str, Any]) -> list[dict[str, str]]:
    found = dumped.get("wage_checks")
    if not isinstance(found, list):
        return []
    checks = []
    for item in found:
        if isinstance(item, dict):
            check = {key: visible(str(value)) for key, value in item.items()}
            check["words"] = WAGE_OUTCOMES.get(str(item.get("outcome")), check.get("outcome", ""))
            checks.append(check)
    return checks


def _conversion(dumped: Mapping[str, Any]) -> dict[str, str] | None:
    found = dumped.get("conversion")
    if not isinstance(found, dict):
        return None
    return {key: visible(str(value)) for key, value in found.items()}


class _Anchors:
    """Anchors of the page's sections, unique per statement."""

    def __init__(self, statement: Statement) -> None:
        self._lines = {line.component for line in statement.lines}
        self._values = set(statement.values)
        self.measures = measure_lines(statement)

    @staticmethod
    def line(component: str) -> str:
        return "line-" + component

    @staticmethod
    def value(name: str) -> str:
        return "value-" + name

    def link(self, name: str) -> _Link:
        if name in self._values:
            return _Link(visible(name), self.value(name))
        if name in self._lines:
            return _Link(visible(name), self.line(name))
        return _Link(visible(name), None)


def _step(node: TraceNode, anchors: _Anchors, skip_detail: Sequence[str] = ()) -> _Step:
    ledger = _ledger(node.parts)
    parts: Sequence[TraceNode] = () if ledger else node.parts
    lines: Sequence[str] = node.lines
    if ledger or (node.kind == "line" and len(lines) == 1 and node.label == f"line {lines[0]}"):
        lines = ()  # the ledger table (or the label) already names them
    detail = node.detail
    if not detail or detail == node.label or detail in skip_detail:
        detail = None
    return _Step(
        kind=visible(node.kind),
        label=visible(node.label),
        value=None if node.value is None else visible(show_value(node.value, node.unit)),
        detail=visible(detail) if detail else None,
        at=visible(node.at) if node.at else None,
        lines=tuple(visible(i) for i in lines),
        lines_text=_visible_or_none(lines_of_measure(node, anchors.measures)),
        inputs=tuple(anchors.link(name) for name in node.inputs),
        parts=tuple(_step(part, anchors) for part in parts),
        ledger=ledger,
    )


def _visible_or_none(text: str | None) -> str | None:
    return None if text is None else visible(text)


def _ledger(parts: Sequence[TraceNode]) -> tuple[_LedgerLine, ...]:
    """The parts as ledger lines, if every part is one ledger line and nothing more."""
    if not parts or any(
        p.kind != "line" or len(p.lines) != 1 or p.parts or p.inputs or p.detail or p.at
        for p in parts
    ):
        return ()
    return tuple(
        _LedgerLine(visible(p.lines[0]), visible(show_value(p.value, p.unit))) for p in parts
    )
