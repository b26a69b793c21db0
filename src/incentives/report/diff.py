"""What-if: two plans' statements on the same data, side by side (``incentives diff``).

Contract: :func:`compare` takes the results of running an *old* and a *new*
plan over the same dataset and periods and returns a :class:`PlanDiff`: per
period (run order), per payee (sorted by id), per component, the old amount,
the new amount and ``delta = new − old``, then each payee's total, each
period's total over every payee, and a grand total over every period. All
sums are exact (the engine's decimal context); nothing is recomputed from
the plans, every amount is a statement's.

Rows and missing sides:

* components are listed in the old plan's order, then those only the new
  plan has, in its order; then the ``total_cap`` / ``total_floor``
  adjustment lines, only for a payee whose statement on either side has one;
* a side whose plan does not define a component, or whose run has no
  statement for the payee (not on that plan, or not active), has no amount:
  ``None``, shown as ``—`` in the table, ``null`` in JSON and an empty cell in
  CSV; in sums and deltas it counts as 0. A component the plan defines but
  the statement lacks (a total cap that did not bite) is 0.

Renderers: :func:`render_diff_table` (plain text, columns aligned, amounts
right-aligned, deltas signed ``+1.00``), :func:`render_diff_json` (canonical
JSON, amounts as fixed-point strings, see
:mod:`incentives.report.statements_json`) and :func:`render_diff_csv` (one
row per payee and component, a ``total`` row per payee and one per period
with an empty payee; text cells guarded against spreadsheet formulas as in
:mod:`incentives.report.statements_csv`). Each is a pure function: the same
diff renders the same bytes.

:func:`check_comparable` refuses two plans that cannot be compared period by
period (different pay periods or currencies) with a
:class:`~incentives.errors.UsageError`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from incentives.compile import ir
from incentives.errors import UsageError
from incentives.money import evaluation_context, format_decimal
from incentives.report._text import cell_width, pad, visible
from incentives.report.statements_csv import safe_text
from incentives.report.statements_json import dump_json
from incentives.results import RunResult, Statement

__all__ = [
    "CSV_HEADER",
    "Change",
    "ComponentDiff",
    "PayeeDiff",
    "PeriodDiff",
    "PlanDiff",
    "PlanSide",
    "check_comparable",
    "compare",
    "render_diff_csv",
    "render_diff_json",
    "render_diff_table",
]

CSV_HEADER = ("period", "payee", "payee_name", "component", "label", "old", "new", "delta")

_MISSING = "—"
_ADJUSTMENTS = (("total_cap", "Total cap"), ("total_floor", "Total floor"))


@dataclass(frozen=True)
class Change:
    """An old and a new amount (None: that side has none) and their difference."""

    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal:
        with evaluation_context():
            return _zero_if_none(self.new) - _zero_if_none(self.old)


def _zero_if_none(amount: Decimal | None) -> Decimal:
    # Not `amount or 0`: Decimal("0.00") is falsy, and its exponent matters.
    return Decimal(0) if amount is None else amount


@dataclass(frozen=True)
class ComponentDiff:
    component: str
    label: str
    change: Change


@dataclass(frozen=True)
class PayeeDiff:
    payee: str
    name: str | None
    components: tuple[ComponentDiff, ...]
    total: Change


@dataclass(frozen=True)
class PeriodDiff:
    period: str
    #: The period's first and last day, when either run has a statement in it.
    start: date | None
    end: date | None
    payees: tuple[PayeeDiff, ...]
    total: Change


@dataclass(frozen=True)
class PlanSide:
    """Which plan one side ran: the file as given, its name, version and digest."""

    file: str
    name: str
    version: str
    sha256: str


@dataclass(frozen=True)
class PlanDiff:
    old: PlanSide
    new: PlanSide
    currency: str
    periods: tuple[PeriodDiff, ...]
    total: Change


def check_comparable(old: ir.Plan, new: ir.Plan) -> None:
    """Raise :class:`UsageError` unless both plans pay by the same periods in one currency."""
    if old.scheme != new.scheme:
        raise UsageError(
            f"the plans pay by different periods ({_scheme_words(old)} and "
            f"{_scheme_words(new)}); diff compares the same pay periods"
        )
    if old.currency != new.currency:
        raise UsageError(
            f"the plans pay in different currencies ({old.currency} and {new.currency}); "
            "diff compares amounts in one currency"
        )


def _scheme_words(plan: ir.Plan) -> str:
    scheme = plan.scheme
    if scheme.anchor is not None:
        return f"two weeks from {scheme.anchor.isoformat()}"
    return scheme.kind.noun


def compare(
    old_plan: ir.Plan,
    old: RunResult,
    new_plan: ir.Plan,
    new: RunResult,
    *,
    old_file: str = "",
    new_file: str = "",
) -> PlanDiff:
    """The diff of two runs over the same periods (see the module docstring).

    Raises:
        UsageError: if the runs cover different periods.
    """
    if old.periods != new.periods:
        raise UsageError("the two runs cover different periods")
    components = _components(old_plan, new_plan)
    periods = tuple(
        _period(period, old_plan, old, new_plan, new, components) for period in old.periods
    )
    return PlanDiff(
        old=PlanSide(old_file, old.plan.name, old.plan.version, old.plan.sha256),
        new=PlanSide(new_file, new.plan.name, new.plan.version, new.plan.sha256),
        currency=old_plan.currency,
        periods=periods,
        total=_sum(p.total for p in periods),
    )


def _components(old: ir.Plan, new: ir.Plan) -> list[tuple[str, str]]:
    labels = {c.name: c.label for c in old.components}
    labels.update({c.name: c.label for c in new.components})
    names = [c.name for c in old.components]
    names += [c.name for c in new.components if c.name not in names]
    return [(name, labels[name]) for name in names]


def _period(
    period: str,
    old_plan: ir.Plan,
    old: RunResult,
    new_plan: ir.Plan,
    new: RunResult,
    components: Sequence[tuple[str, str]],
) -> PeriodDiff:
    olds = {s.payee: s for s in old.statements if s.period == period}
    news = {s.payee: s for s in new.statements if s.period == period}
    payees = tuple(
        _payee(olds.get(payee), old_plan, news.get(payee), new_plan, components)
        for payee in sorted(olds.keys() | news.keys())
    )
    any_statement = next(iter([*olds.values(), *news.values()]), None)
    return PeriodDiff(
        period=period,
        start=any_statement.start if any_statement else None,
        end=any_statement.end if any_statement else None,
        payees=payees,
        total=_sum(p.total for p in payees),
    )


def _payee(
    old: Statement | None,
    old_plan: ir.Plan,
    new: Statement | None,
    new_plan: ir.Plan,
    components: Sequence[tuple[str, str]],
) -> PayeeDiff:
    some = new or old
    assert some is not None
    rows = [
        ComponentDiff(
            name,
            label,
            Change(_amount(old, old_plan, name), _amount(new, new_plan, name)),
        )
        for name, label in components
    ]
    for name, label in _ADJUSTMENTS:
        if _has_line(old, name) or _has_line(new, name):
            change = Change(_amount(old, old_plan, name), _amount(new, new_plan, name))
            rows.append(ComponentDiff(name, label, change))
    total = Change(old.total if old else None, new.total if new else None)
    shown = new.payee_name if new and new.payee_name else old.payee_name if old else None
    return PayeeDiff(some.payee, shown, tuple(rows), total)


def _has_line(statement: Statement | None, component: str) -> bool:
    return statement is not None and any(line.component == component for line in statement.lines)


def _amount(statement: Statement | None, plan: ir.Plan, component: str) -> Decimal | None:
    if statement is None:
        return None
    defined = {c.name for c in plan.components}
    if plan.total.cap is not None:
        defined.add("total_cap")
    if plan.total.floor is not None:
        defined.add("total_floor")
    if component not in defined:
        return None
    return statement.amount(component)


def _sum(changes: Iterable[Change]) -> Change:
    old = new = Decimal(0)
    with evaluation_context():
        for change in changes:
            old += _zero_if_none(change.old)
            new += _zero_if_none(change.new)
    return Change(old, new)


# ---------------------------------------------------------------- rendering


def _text(amount: Decimal | None) -> str:
    return _MISSING if amount is None else format_decimal(amount)


def _signed(delta: Decimal) -> str:
    text = format_decimal(delta)
    return "+" + text if delta > 0 else text


def _json_amount(amount: Decimal | None) -> str | None:
    return None if amount is None else format_decimal(amount)


def _change_json(change: Change) -> dict[str, str | None]:
    return {
        "old": _json_amount(change.old),
        "new": _json_amount(change.new),
        "delta": format_decimal(change.delta),
    }


def _side_json(side: PlanSide) -> dict[str, str]:
    return {"file": side.file, "name": side.name, "version": side.version, "sha256": side.sha256}


def render_diff_json(diff: PlanDiff) -> str:
    """The diff as canonical JSON: amounts as strings, a missing side as ``null``."""
    data: dict[str, Any] = {
        "old": _side_json(diff.old),
        "new": _side_json(diff.new),
        "currency": diff.currency,
        "periods": [
            {
                "period": p.period,
                "start": p.start.isoformat() if p.start else None,
                "end": p.end.isoformat() if p.end else None,
                "payees": [
                    {
                        "payee": payee.payee,
                        "payee_name": payee.name,
                        "components": [
                            {"component": c.component, "label": c.label, **_change_json(c.change)}
                            for c in payee.components
                        ],
                        "total": _change_json(payee.total),
                    }
                    for payee in p.payees
                ],
                "total": _change_json(p.total),
            }
            for p in diff.periods
        ],
        "total": _change_json(diff.total),
    }
    return dump_json(data)


def render_diff_csv(diff: PlanDiff) -> str:
    """The diff as CSV rows (see the module docstring); a missing side is an empty cell."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)

    def amounts(change: Change) -> list[str]:
        return [
            "" if change.old is None else format_decimal(change.old),
            "" if change.new is None else format_decimal(change.new),
            format_decimal(change.delta),
        ]

    for p in diff.periods:
        for payee in p.payees:
            who = [safe_text(p.period), safe_text(payee.payee), safe_text(payee.name or "")]
            for c in payee.components:
                label = [safe_text(c.component), safe_text(c.label)]
                writer.writerow([*who, *label, *amounts(c.change)])
            writer.writerow([*who, "total", "Total", *amounts(payee.total)])
        writer.writerow([safe_text(p.period), "", "", "total", "All payees", *amounts(p.total)])
    return buffer.getvalue()


def render_diff_table(diff: PlanDiff) -> str:
    """The diff as plain-text tables, one per period, then the grand total."""
    out = [
        f"old: {_describe(diff.old)}",
        f"new: {_describe(diff.new)}",
        f"amounts in {visible(diff.currency)}; delta = new - old",
    ]
    for p in diff.periods:
        out.append("")
        out.extend(_period_table(p))
    if len(diff.periods) > 1:
        t = diff.total
        out.append("")
        out.append(f"all periods: old {_text(t.old)}, new {_text(t.new)}, delta {_signed(t.delta)}")
    return "\n".join(out) + "\n"


def _describe(side: PlanSide) -> str:
    where = f"{visible(side.file)}: " if side.file else ""
    return f'{where}"{visible(side.name)}" version {visible(side.version)}'


def _period_table(p: PeriodDiff) -> list[str]:
    title = visible(p.period)
    if p.start and p.end:
        title += f" ({p.start.isoformat()} to {p.end.isoformat()})"
    if not p.payees:
        return [f"{title}: no statements"]
    headers = ("payee", "name", "component", "old", "new", "delta")
    numeric = (False, False, False, True, True, True)
    body: list[tuple[str, ...]] = []
    for payee in p.payees:
        first = True
        for c in (*payee.components, ComponentDiff("total", "Total", payee.total)):
            who = (visible(payee.payee), visible(payee.name or "")) if first else ("", "")
            change = c.change
            row = (*who, visible(c.component), _text(change.old), _text(change.new))
            body.append((*row, _signed(change.delta)))
            first = False
    footer = ("total", "", "", _text(p.total.old), _text(p.total.new), _signed(p.total.delta))
    every = [headers, *body, footer]
    widths = [max(cell_width(row[i]) for row in every) for i in range(len(headers))]
    rule = tuple("-" * w for w in widths)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(pad(c, widths[i], right=numeric[i]) for i, c in enumerate(cells)).rstrip()

    return [title, line(headers), line(rule), *(line(r) for r in body), line(rule), line(footer)]
