"""The data behind a payout curve: one payee whose sales in one period vary.

Contract: a :class:`Scenario` holds the records of a dataset for one payee
and pay period, all but the sales: roster rows, quota rows, metric rows,
ledger lines outside the period, split rows and fx rates, and one synthetic
ledger line in the period without its amount. Every table the plan requires
is supplied: a plan that splits by the splits table gets one even when no
line is split (its columns and no rows, which is valid), so the synthetic
line is always credited 100 % to the payee; the sales that vary are the
payee's own. :meth:`Scenario.statement` builds the dataset for given
sales with :meth:`~incentives.data.Dataset.from_records` and runs the engine
(:func:`incentives.evaluate.evaluate`) on it: the same path as real data,
never a re-implementation.

* :func:`synthetic_scenario` — a payee ``plot``, full time (``fte`` 1),
  employed since 1 January ten years before the period (fully ramped, active
  every day), with every declared roster field and ledger column at a
  neutral value of its type (0, ``0%``, empty text, ``false``, the line's
  date; dates in the roster: the start date) and every metric at its
  default; no split rows (an empty table) and no fx rates (the line is in
  the plan's currency, and so is the pay). A text field the plan groups
  payees by (``across group F``) is ``plot`` instead of empty: an empty value
  is no group (R707), and the payee is alone in its group whatever the
  value. ``fields``, ``columns`` and ``metrics`` override them with cell
  text, checked against the declared type first; a roster field the plan
  reads and the payee lacks stops the curve with R707 and a hint to set it
  with ``--field``. A goal read from the quotas table is set so that the
  plan's first quota comes out as the reference quota: a probe run with a
  goal of 10¹⁷ (the largest power of ten a quotas cell holds; the reference
  quota itself is never scaled) measures the share of the goal the period
  gets, and the goal becomes quota ÷ share, rounded down to 10 decimal
  places (exact whenever the share allows; otherwise the plan's quota is a
  hair under the reference, or equal to it after its own rounding). A goal
  the plan writes as an amount stays as written.
* :func:`payee_scenario` — a real payee of a dataset: their roster row (and
  their managers', marked as on another plan so that they get no
  statement), every quota row, the metrics of the period (``metrics``
  override them), every fx rate, and the ledger lines dated before the
  period that credit them, as their payee or through a split, with every
  split row of those lines (so that to-date measures see their history as
  the real data credits it); the other payees those lines name are in the
  roster too, on another plan, without a manager outside the scenario.
  Their lines in the period (their own, and their shares of others') are
  replaced by the synthetic line, dated on their last active day and
  credited 100 % to them. The reference quota is the plan's first quota for
  them, unless one is given.

The synthetic line is ``plot-sales``; its amount is the caller's.

The scenario's records are the engine's input, but their places
(``<records:roster>:1:2``) are not the caller's: the reference quota is
checked first (:func:`check_quota`: more than 0, at least the currency's
minor unit, at most 18 digits before the point and 12 after, and 200 % of
it an amount too), the records are validated once when the scenario is
built, and every refusal is a :class:`UsageError` naming the option that
set the cell (``--quota``, ``--field``, ``--column``, ``--metric``) and the
value as written, never a place in the records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal

from incentives.compile import ir
from incentives.data import CellError, Dataset, parse_cell
from incentives.data.tables import RawTable
from incentives.data.validate import SPLIT_COLUMNS
from incentives.errors import DataError, EvaluationError, UsageError
from incentives.evaluate import evaluate, requirements
from incentives.money import (
    MAX_INTEGER_DIGITS,
    NumberTextError,
    RoundingMode,
    evaluation_context,
    format_decimal,
    minor_unit,
    parse_fixed,
    quantize,
)
from incentives.periods import Period, PeriodScheme
from incentives.results import Statement
from incentives.values import ColumnType, Value

__all__ = [
    "STANDARD_FIELDS",
    "SYNTHETIC_PAYEE",
    "Scenario",
    "check_quota",
    "payee_scenario",
    "synthetic_scenario",
    "traced_number",
]

#: The id of the synthetic payee.
SYNTHETIC_PAYEE = "plot"
_LINE_ID = "plot-sales"
_GOAL_UNIT = Decimal("1E-10")
#: The goal of the probe run: the largest power of ten a quotas cell holds, so
#: that the quota's own rounding hardly blurs the share the period gets.
_PROBE_GOAL = Decimal(10) ** (MAX_INTEGER_DIGITS - 1)

Record = dict[str, object]
#: (table, record number from 1, column) → the option that set the cell, as written.
Given = dict[tuple[str, int, str], str]

#: The roster's standard columns and their fixed types.
STANDARD_FIELDS = {
    "name": ColumnType.TEXT,
    "role": ColumnType.TEXT,
    "manager": ColumnType.TEXT,
    "fte": ColumnType.DECIMAL,
    "start_date": ColumnType.DATE,
    "end_date": ColumnType.DATE,
    "payout_currency": ColumnType.TEXT,
    "plan": ColumnType.TEXT,
}


def traced_number(statement: Statement, name: str | None) -> Decimal | None:
    """A per-payee number the statement traced (a quota, a measure …), if any."""
    node = statement.values.get(name) if name else None
    if node is None or node.value is None:
        return None
    return Decimal(node.value)


@dataclass(frozen=True)
class Scenario:
    """One payee's data for a pay period, all but the sales that vary."""

    plan: ir.Plan
    period: Period
    payee: str
    roster: tuple[Record, ...]
    quotas: tuple[Record, ...]
    metrics: tuple[Record, ...]
    #: Ledger lines outside the period, unchanged.
    history: tuple[Record, ...]
    #: The synthetic line, without its amount.
    line: Record
    #: The sales at 100 % attainment.
    quota: Decimal
    #: The plan's first quota, whose value 100 % is meant to be.
    quota_name: str | None
    #: Split rows of history lines (a plan that splits by the splits table).
    splits: tuple[Record, ...] = ()
    #: Exchange rates (a plan with ``fx``).
    fx: tuple[Record, ...] = ()

    def dataset(self, sales: Decimal) -> Dataset:
        """The scenario's records, with ``sales`` as the amount of the synthetic line.

        A plan that splits by the splits table gets one even when no line is
        split: an empty table (its columns, no rows), so that every line is
        credited 100 % to its payee.
        """
        line = {**self.line, "amount": sales, "currency": self.plan.currency}
        data = Dataset.from_records(
            ledger=[*self.history, line],
            roster=list(self.roster),
            quotas=list(self.quotas) or None,
            metrics=list(self.metrics) or None,
            splits=list(self.splits) or None,
            fx=list(self.fx) or None,
        )
        if self.plan.crediting.splits and not self.splits:
            empty = RawTable("splits", "<records:splits>", SPLIT_COLUMNS, (), header_line=0)
            data = Dataset.from_tables(**{**data.tables, "splits": empty})
        return data

    def statement(self, sales: Decimal) -> Statement:
        """The payee's statement when their sales in the period are ``sales``.

        Raises:
            EvaluationError: if the plan cannot compute it (with a hint about the
                line's neutral column values when the plan declares columns).
            UsageError: if the payee gets no statement in the period.
        """
        try:
            result = evaluate(self.plan, self.dataset(sales), [self.period])
        except EvaluationError as exc:
            hints = []
            codes = {d.code for d in exc.diagnostics or []}
            if self.payee == SYNTHETIC_PAYEE and "R707" in codes:
                hints.append(
                    "the curve's payee has no value for a roster field the plan reads; "
                    "set it with --field NAME=VALUE"
                )
            if self.plan.ledger_columns:
                hints.append(
                    "the curve's ledger line has neutral values; set them with --column NAME=VALUE"
                )
            if not hints:
                raise
            raise EvaluationError(f"{exc} ({'; '.join(hints)})", exc.diagnostics) from None
        for statement in result.statements:
            if statement.payee == self.payee:
                return statement
        raise UsageError(f"payee `{self.payee}` gets no statement in {self.period.label}")


def _neutral(kind: ColumnType, day: date) -> object:
    return {
        ColumnType.MONEY: Decimal(0),
        ColumnType.DECIMAL: Decimal(0),
        ColumnType.PERCENT: "0%",
        ColumnType.COUNT: 0,
        ColumnType.TEXT: "",
        ColumnType.BOOL: False,
        ColumnType.DATE: day,
    }[kind]


def _cell(value: Value | None, kind: ColumnType) -> object:
    """A typed value as a record value that validates back to it."""
    if kind is ColumnType.PERCENT and isinstance(value, Decimal):
        with evaluation_context():
            return format_decimal(value * 100) + "%"
    return value


#: Standard text columns whose value means something else than a label.
_FIXED_TEXT = frozenset({"manager", "payout_currency", "plan"})


def _group_fields(plan: ir.Plan) -> list[str]:
    """The roster fields the plan groups payees by (``across group F``), sorted."""
    found: set[str] = set()
    seen: set[int] = set()  # a node shared by several rules is walked once
    stack: list[object] = [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, tuple | list):
            stack.extend(node)
        elif ir.is_node(node) and id(node) not in seen:
            seen.add(id(node))
            if isinstance(node, ir.Scope) and node.kind == "group" and node.field is not None:
                found.add(node.field)
            stack.extend(getattr(node, f.name) for f in fields(node))  # type: ignore[arg-type]
    return sorted(found)


def _checked(option: str, values: Mapping[str, str], types: Mapping[str, ColumnType]) -> Record:
    checked: Record = {}
    for name, text in values.items():
        if name not in types:
            known = ", ".join(sorted(types)) or "none"
            raise UsageError(f"--{option} {name}: the plan declares no such {option} ({known})")
        try:
            parse_cell(text, types[name])
        except CellError as exc:
            raise UsageError(f"--{option} {name}={text}: {exc}") from None
        checked[name] = text
    return checked


def _line(plan: ir.Plan, payee: str, day: date, columns: Mapping[str, str]) -> Record:
    declared = dict(plan.ledger_columns)
    line: Record = {"txn_id": _LINE_ID, "date": day, "payee": payee}
    line.update({name: _neutral(kind, day) for name, kind in declared.items()})
    line.update(_checked("column", columns, declared))
    return line


def _metrics(
    plan: ir.Plan, payee: str, period: Period, metrics: Mapping[str, str]
) -> dict[str, Record]:
    types = {m.name: m.column_type for m in plan.metrics}
    return {
        name: {"payee": payee, "period": period.label, "name": name, "value": text}
        for name, text in _checked("metric", metrics, types).items()
    }


def check_quota(quota: Decimal, currency: str, shown: str | None = None) -> None:
    """Refuse a reference quota no curve can be drawn for.

    The quota must be more than 0, at least the currency's minor unit (the
    curve's sales are rounded to it), a number the data could hold (at most
    18 digits before the point and 12 after) and small enough that the curve's
    last point, 200 % of it, is one too. Messages name ``--quota`` and the
    value as the caller wrote it (``shown``; by default the number).

    Raises:
        UsageError: naming the option, the value and what to give instead.
    """
    where = f"--quota {shown if shown is not None else format_decimal(quota)}"
    if quota <= 0:
        raise UsageError(f"{where}: the quota must be more than 0")
    try:
        parse_fixed(format_decimal(quota))
    except NumberTextError as exc:
        number = re.sub(r"^`[^`]*` has", "it has", exc.message)
        raise UsageError(f"{where}: {number} ({exc.hint})") from None
    unit = minor_unit(currency)
    if quota < unit:
        raise UsageError(
            f"{where}: the quota must be at least {format_decimal(unit)} {currency}, "
            f"the unit the curve's sales are rounded to"
        )
    with evaluation_context():
        top = quantize(2 * quota, unit, RoundingMode.HALF_EVEN)
    if top.adjusted() >= MAX_INTEGER_DIGITS:
        raise UsageError(
            f"{where}: the curve goes to 200% of the quota, {format_decimal(top)} {currency} "
            f"of sales, but an amount has at most {MAX_INTEGER_DIGITS} digits before the point "
            f"(give a quota under {format_decimal(Decimal(5) * 10 ** (MAX_INTEGER_DIGITS - 1))})"
        )


def synthetic_scenario(
    plan: ir.Plan,
    period: Period,
    quota: Decimal,
    *,
    metrics: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    fields: Mapping[str, str] | None = None,
    quota_text: str | None = None,
) -> Scenario:
    """A synthetic payee whose quota is ``quota`` (see the module docstring).

    ``quota_text`` is ``quota`` as the caller wrote it, for messages.

    Raises:
        UsageError: for a bad quota (:func:`check_quota`) or override, a
            metric without a default and no value, or a quota the plan cannot
            be given; each names the option and the value as given.
    """
    check_quota(quota, plan.currency, quota_text)
    since = date(period.start.year - 10, 1, 1)
    types = {**STANDARD_FIELDS, **dict(plan.roster_fields)}
    roster: Record = {"payee": SYNTHETIC_PAYEE, "fte": Decimal(1), "start_date": since}
    for name, kind in plan.roster_fields:
        roster.setdefault(name, _neutral(kind, since))
    for name in _group_fields(plan):
        if types.get(name) is ColumnType.TEXT and name not in _FIXED_TEXT:
            roster[name] = SYNTHETIC_PAYEE  # an empty value is no group (R707)
    roster.update(_checked("field", fields or {}, types))
    given = _metrics(plan, SYNTHETIC_PAYEE, period, metrics or {})
    for spec in plan.metrics:
        if spec.default is None and spec.name not in given:
            raise UsageError(
                f"metric `{spec.name}` has no default: give it with --metric {spec.name}=VALUE"
            )
    scenario = Scenario(
        plan=plan,
        period=period,
        payee=SYNTHETIC_PAYEE,
        roster=(roster,),
        quotas=(),
        metrics=tuple(given.values()),
        history=(),
        line=_line(plan, SYNTHETIC_PAYEE, period.end, columns or {}),
        quota=quota,
        quota_name=next(iter(plan.quotas), None),
    )
    options = _given(scenario, fields=fields or {}, metrics=metrics or {}, columns=columns or {})
    shown = f"--quota {quota_text if quota_text is not None else format_decimal(quota)}"
    return _fit_goal(scenario, options, shown)


def _given(
    scenario: Scenario,
    *,
    fields: Mapping[str, str],
    metrics: Mapping[str, str],
    columns: Mapping[str, str],
) -> Given:
    """Where each override went in the scenario's records, and how it was written."""
    given: Given = {}
    for name, text in fields.items():
        given["roster", 1, name] = f"--field {name}={text}"
    for row, record in enumerate(scenario.metrics, start=1):
        name = str(record["name"])
        if name in metrics:
            given["metrics", row, "value"] = f"--metric {name}={metrics[name]}"
    line = len(scenario.history) + 1
    for name, text in columns.items():
        given["ledger", line, name] = f"--column {name}={text}"
    return given


_COLUMN = re.compile(r"column `([^`]+)`: ")
_TABLE = re.compile(r"<records:(\w+)>")


def _refuse_bad_records(scenario: Scenario, given: Given) -> None:
    """Validate the scenario's records once; a refusal names the option behind it.

    The records are the scenario's own, so the data layer's places
    (``<records:roster>:1:2``) mean nothing to the caller: a problem in a
    cell an option set is told as that option, as written; any other is told
    without a place.

    Raises:
        UsageError: for the first problem found.
    """
    try:
        scenario.dataset(Decimal(0)).validate(requirements(scenario.plan))
    except DataError as exc:
        problems = exc.diagnostics or []
        for diagnostic in problems:
            table = _TABLE.fullmatch(diagnostic.span.file)
            column = _COLUMN.match(diagnostic.message)
            if table is None or column is None:
                continue
            option = given.get((table[1], diagnostic.span.line, column[1]))
            if option is not None:
                hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
                raise UsageError(f"{option}: {diagnostic.message[column.end() :]}{hint}") from None
        first = problems[0] if problems else None
        reason = first.message if first is not None else str(exc)
        raise UsageError(f"the curve's data for `{scenario.payee}` is refused: {reason}") from None


def _goal_labels(plan: ir.Plan, period: Period) -> list[str]:
    kind = plan.quota_goal_kind
    if kind is None:
        return []
    if kind is plan.scheme.kind:
        return [period.label]
    scheme = PeriodScheme(kind)
    return sorted({scheme.period_of(period.start).label, scheme.period_of(period.end).label})


def _fit_goal(scenario: Scenario, given: Given, shown: str) -> Scenario:
    plan, name = scenario.plan, scenario.quota_name
    labels = _goal_labels(plan, scenario.period)

    def with_goal(goal: Decimal) -> Scenario:
        rows = tuple(
            {"payee": scenario.payee, "period": label, "amount": goal, "currency": plan.currency}
            for label in labels
        )
        return replace(scenario, quotas=rows)

    target = scenario.quota
    # The reference quota itself is a cell the data can hold (check_quota), so
    # any problem in these records is an override's.
    for row in range(1, len(labels) + 1):
        given["quotas", row, "amount"] = shown
    _refuse_bad_records(with_goal(target), given)
    if not labels or name is None or plan.quotas[name].goal is not None:
        return with_goal(target)
    # Probe with a large goal, so that the quota's own rounding hardly blurs
    # the share of the goal that the pay period gets; the reference quota is
    # never scaled into the records.
    got = traced_number(with_goal(_PROBE_GOAL).statement(Decimal(0)), name)
    if got is None or got <= 0:
        raise UsageError(f"the plan's quota `{name}` is 0 in {scenario.period.label}")
    with evaluation_context():
        goal = quantize(target * _PROBE_GOAL / got, _GOAL_UNIT, RoundingMode.DOWN).normalize()
        if goal.as_tuple().exponent > 0:  # type: ignore[operator]
            goal = goal.quantize(Decimal(1))  # 25000, not 2.5E+4
        share = got / _PROBE_GOAL
    if goal.adjusted() >= MAX_INTEGER_DIGITS:
        with evaluation_context():
            percent = quantize(share * 100, Decimal("0.01"), RoundingMode.HALF_EVEN).normalize()
            percent = percent.quantize(Decimal(1)) if percent.as_tuple().exponent > 0 else percent  # type: ignore[operator]
        raise UsageError(
            f"{shown}: the plan's quota `{name}` is {format_decimal(percent)}% of its goal in "
            f"{scenario.period.label}, so the goal would be {format_decimal(goal)} "
            f"{plan.currency}, more than {MAX_INTEGER_DIGITS} digits before the point "
            "(give a smaller quota)"
        )
    return with_goal(goal)


def payee_scenario(
    plan: ir.Plan,
    dataset: Dataset,
    period: Period,
    payee: str,
    *,
    quota: Decimal | None = None,
    metrics: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    quota_text: str | None = None,
) -> Scenario:
    """A real payee of ``dataset`` whose sales in ``period`` vary.

    ``quota_text`` is ``quota`` as the caller wrote it, for messages.

    Raises:
        DataError: if the dataset is invalid for the plan.
        UsageError: for an unknown payee, one not on the plan or not active in
            the period, a bad override, or no quota to measure attainment by.
    """
    data = dataset.validate(requirements(plan))
    person = data.roster.get(payee)
    if person is None:
        raise UsageError(f"no payee `{payee}` in the roster")
    if person.plan is not None and person.plan != plan.name:
        raise UsageError(f"payee `{payee}` is on another plan ({person.plan})")
    first = max(period.start, person.start_date or period.start)
    last = min(period.end, person.end_date or period.end)
    if first > last:
        raise UsageError(f"payee `{payee}` is not active in {period.label}")
    # History: the lines dated before the period that credit the payee, as
    # their payee or through a split, with every split row of those lines.
    history_lines = [
        line
        for line in data.ledger
        if line.date < period.start
        and (line.payee == payee or any(e.payee == payee for e in data.splits.get(line.txn_id, ())))
    ]
    split_rows = [e for line in history_lines for e in data.splits.get(line.txn_id, ())]
    types = {**STANDARD_FIELDS, **dict(plan.roster_fields)}
    people: list[str] = []
    current: str | None = payee
    while current is not None and current not in people and current in data.roster:
        people.append(current)
        current = data.roster[current].manager
    # Whoever else those lines name (their payee, a co-seller), for the records to hold.
    others = sorted(
        ({line.payee for line in history_lines} | {e.payee for e in split_rows}) - set(people)
    )
    kept = set(people) | set(others)
    roster: list[Record] = []
    for who in [*people, *others]:
        row = data.roster[who]
        record: Record = {"payee": row.id}
        for name, kind in types.items():
            value = getattr(row, name) if name in STANDARD_FIELDS else row.fields.get(name)
            record[name] = _cell(value, kind)
        if who in others and row.manager not in kept:
            record["manager"] = None
        if who != payee:
            record["plan"] = f"{plan.name} (not this plan)"
        roster.append(record)
    quotas = tuple(
        {"payee": q.payee, "period": q.period, "amount": q.amount, "currency": q.currency}
        for (who, _), q in data.quotas.items()
        if who == payee
    )
    kinds = {m.name: m.column_type for m in plan.metrics}
    rows: dict[str, Record] = {
        name: {"payee": payee, "period": label, "name": name, "value": _cell(e.value, kinds[name])}
        for (who, label, name), e in data.metrics.items()
        if who == payee and label == period.label and name in kinds
    }
    rows.update(_metrics(plan, payee, period, metrics or {}))
    columns_types = dict(plan.ledger_columns)
    history = tuple(
        {
            "txn_id": line.txn_id,
            "date": line.date,
            "payee": line.payee,
            "amount": line.amount,
            "currency": line.currency,
            **{name: _cell(line.values.get(name), kind) for name, kind in columns_types.items()},
        }
        for line in history_lines
    )
    splits = tuple(
        {
            "txn_id": e.txn_id,
            "payee": e.payee,
            "share": _cell(e.share, ColumnType.PERCENT),
            "credit": "" if e.credit == "split" else e.credit,
        }
        for e in split_rows
    )
    fx = tuple(
        {"date": r.date, "from": r.source, "to": r.target, "rate": r.rate}
        for rates in data.fx.values()
        for r in rates
    )
    scenario = Scenario(
        plan=plan,
        period=period,
        payee=payee,
        roster=tuple(roster),
        quotas=quotas,
        metrics=tuple(rows.values()),
        history=history,
        line=_line(plan, payee, last, columns or {}),
        quota=quota if quota is not None else Decimal(1),
        quota_name=next(iter(plan.quotas), None),
        splits=splits,
        fx=fx,
    )
    if {str(h["txn_id"]) for h in history} & {_LINE_ID}:
        raise UsageError(f"the ledger already has a line `{_LINE_ID}`")
    if quota is not None:
        check_quota(quota, plan.currency, quota_text)
    _refuse_bad_records(
        scenario, _given(scenario, fields={}, metrics=metrics or {}, columns=columns or {})
    )
    if quota is not None:
        return scenario
    if scenario.quota_name is None:
        raise UsageError("the plan has no quota: give --quota AMOUNT as 100% attainment")
    value = traced_number(scenario.statement(Decimal(0)), scenario.quota_name)
    if value is None or value <= 0:
        raise UsageError(f"payee `{payee}` has a quota of 0 in {period.label}: give --quota AMOUNT")
    try:
        check_quota(value, plan.currency)
    except UsageError as exc:
        reason = str(exc).partition(": ")[2]
        raise UsageError(
            f"payee `{payee}` has a quota of {format_decimal(value)} in {period.label}: {reason}; "
            "give --quota AMOUNT"
        ) from None
    return replace(scenario, quota=value)
