"""The data behind a payout curve: one payee whose sales in one period vary.

Contract: a :class:`Scenario` holds the records of a dataset for one payee
and pay period, all but the sales: roster rows, quota rows, metric rows,
ledger lines outside the period, and one synthetic ledger line in the period
without its amount. :meth:`Scenario.statement` builds the dataset for given
sales with :meth:`~incentives.data.Dataset.from_records` and runs the engine
(:func:`incentives.evaluate.evaluate`) on it: the same path as real data,
never a re-implementation.

* :func:`synthetic_scenario` — a payee ``plot``, full time (``fte`` 1),
  employed since 1 January ten years before the period (fully ramped, active
  every day), with every declared roster field and ledger column at a
  neutral value of its type (0, ``0%``, empty text, ``false``, the line's
  date; dates in the roster: the start date) and every metric at its
  default. ``fields``, ``columns`` and ``metrics`` override them with cell
  text, checked against the declared type first. A goal read from the quotas
  table is set so that the plan's first quota comes out as the reference
  quota: a probe run with a goal of 10⁹ × the quota measures the share of the
  goal the period gets, and the goal becomes quota ÷ share, rounded down to
  10 decimal places (exact whenever the share allows; otherwise the plan's
  quota is a hair under the reference, or equal to it after its own
  rounding). A goal the plan writes as an amount stays as written.
* :func:`payee_scenario` — a real payee of a dataset: their roster row (and
  their managers', marked as on another plan so that they get no
  statement), every quota row, the metrics of the period (``metrics``
  override them) and their ledger lines dated before the period (so that
  to-date measures see their history); their lines in the period are
  replaced by the synthetic line, dated on their last active day. The
  reference quota is the plan's first quota for them, unless one is given.

The synthetic line is ``plot-sales``; its amount is the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from incentives.compile import ir
from incentives.data import CellError, Dataset, parse_cell
from incentives.errors import EvaluationError, UsageError
from incentives.evaluate import evaluate, requirements
from incentives.money import RoundingMode, evaluation_context, format_decimal, quantize
from incentives.periods import Period, PeriodScheme
from incentives.results import Statement
from incentives.values import ColumnType, Value

__all__ = [
    "STANDARD_FIELDS",
    "SYNTHETIC_PAYEE",
    "Scenario",
    "payee_scenario",
    "synthetic_scenario",
    "traced_number",
]

#: The id of the synthetic payee.
SYNTHETIC_PAYEE = "plot"
_LINE_ID = "plot-sales"
_GOAL_UNIT = Decimal("1E-10")
_PROBE_SCALE = Decimal(10) ** 9

Record = dict[str, object]

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

    def statement(self, sales: Decimal) -> Statement:
        """The payee's statement when their sales in the period are ``sales``.

        Raises:
            EvaluationError: if the plan cannot compute it (with a hint about the
                line's neutral column values when the plan declares columns).
            UsageError: if the payee gets no statement in the period.
        """
        line = {**self.line, "amount": sales, "currency": self.plan.currency}
        dataset = Dataset.from_records(
            ledger=[*self.history, line],
            roster=list(self.roster),
            quotas=list(self.quotas) or None,
            metrics=list(self.metrics) or None,
        )
        try:
            result = evaluate(self.plan, dataset, [self.period])
        except EvaluationError as exc:
            if not self.plan.ledger_columns:
                raise
            hint = "the curve's ledger line has neutral values; set them with --column NAME=VALUE"
            raise EvaluationError(f"{exc} ({hint})", exc.diagnostics) from None
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


def synthetic_scenario(
    plan: ir.Plan,
    period: Period,
    quota: Decimal,
    *,
    metrics: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> Scenario:
    """A synthetic payee whose quota is ``quota`` (see the module docstring).

    Raises:
        UsageError: for a bad override, a metric without a default and no
            value, or a quota the plan cannot be given.
    """
    if quota <= 0:
        raise UsageError(f"the quota must be more than 0, not {format_decimal(quota)}")
    since = date(period.start.year - 10, 1, 1)
    types = {**STANDARD_FIELDS, **dict(plan.roster_fields)}
    roster: Record = {"payee": SYNTHETIC_PAYEE, "fte": Decimal(1), "start_date": since}
    for name, kind in plan.roster_fields:
        roster.setdefault(name, _neutral(kind, since))
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
    return _fit_goal(scenario)


def _goal_labels(plan: ir.Plan, period: Period) -> list[str]:
    kind = plan.quota_goal_kind
    if kind is None:
        return []
    if kind is plan.scheme.kind:
        return [period.label]
    scheme = PeriodScheme(kind)
    return sorted({scheme.period_of(period.start).label, scheme.period_of(period.end).label})


def _fit_goal(scenario: Scenario) -> Scenario:
    plan, name = scenario.plan, scenario.quota_name
    labels = _goal_labels(plan, scenario.period)
    if not labels:
        return scenario

    def with_goal(goal: Decimal) -> Scenario:
        rows = tuple(
            {"payee": scenario.payee, "period": label, "amount": goal, "currency": plan.currency}
            for label in labels
        )
        return replace(scenario, quotas=rows)

    target = scenario.quota
    if name is None or plan.quotas[name].goal is not None:
        return with_goal(target)
    # Probe with a large goal, so that the quota's own rounding hardly blurs
    # the share of the goal that the pay period gets.
    with evaluation_context():
        probe_goal = target * _PROBE_SCALE
    got = traced_number(with_goal(probe_goal).statement(Decimal(0)), name)
    if got is None or got <= 0:
        raise UsageError(f"the plan's quota `{name}` is 0 in {scenario.period.label}")
    with evaluation_context():
        goal = quantize(target * probe_goal / got, _GOAL_UNIT, RoundingMode.DOWN).normalize()
        if goal.as_tuple().exponent > 0:  # type: ignore[operator]
            goal = goal.quantize(Decimal(1))  # 25000, not 2.5E+4
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
) -> Scenario:
    """A real payee of ``dataset`` whose sales in ``period`` vary.

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
    types = {**STANDARD_FIELDS, **dict(plan.roster_fields)}
    roster: list[Record] = []
    seen: set[str] = set()
    current: str | None = payee
    while current is not None and current not in seen and current in data.roster:
        seen.add(current)
        row = data.roster[current]
        record: Record = {"payee": row.id}
        for name, kind in types.items():
            value = getattr(row, name) if name in STANDARD_FIELDS else row.fields.get(name)
            record[name] = _cell(value, kind)
        if current != payee:
            record["plan"] = f"{plan.name} (not this plan)"
        roster.append(record)
        current = row.manager
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
        for line in data.ledger
        if line.payee == payee and line.date < period.start
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
    )
    if {str(h["txn_id"]) for h in history} & {_LINE_ID}:
        raise UsageError(f"the ledger already has a line `{_LINE_ID}`")
    if quota is not None:
        if quota <= 0:
            raise UsageError(f"the quota must be more than 0, not {format_decimal(quota)}")
        return scenario
    if scenario.quota_name is None:
        raise UsageError("the plan has no quota: give --quota AMOUNT as 100% attainment")
    value = traced_number(scenario.statement(Decimal(0)), scenario.quota_name)
    if value is None or value <= 0:
        raise UsageError(f"payee `{payee}` has a quota of 0 in {period.label}: give --quota AMOUNT")
    return replace(scenario, quota=value)
