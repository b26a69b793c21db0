"""Evaluate a compiled plan over a dataset for one or more consecutive periods.

Contract: :func:`evaluate` validates the dataset against what the plan reads
(raising :class:`~incentives.errors.DataError` before computing anything),
then, inside the engine's decimal context, runs stage 1 (measures) and stage 2
(statements) for every payee on the plan who is active in each period, and
returns a :class:`~incentives.results.RunResult`. The result depends only on
the plan and the data's content: not on row order, hash seed, locale, time
zone or the caller's decimal context. Problems met while computing are all
collected and raised together as one
:class:`~incentives.errors.EvaluationError`; no partial result is returned.

Who is paid: a roster payee is on the plan unless their ``plan`` cell names
another plan; they get a statement for each period in which they are active
(between ``start_date`` and ``end_date``, both inclusive). A ledger line is
credited to its payee's statement for the period of its date, unless that
payee is on another plan or was not active on that day; such lines, and lines
outside the periods of the run, are excluded and counted by reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from incentives._version import __version__
from incentives.compile import ir
from incentives.data import DataRequirements, Dataset, LedgerLine, Payee, ValidatedData
from incentives.diagnostics import Diagnostic, sort_diagnostics
from incentives.errors import EvaluationError
from incentives.evaluate.measures import PayeeLines, compile_measures, compute_measures
from incentives.evaluate.statement import CompiledPlan, evaluate_statement
from incentives.money import evaluation_context
from incentives.periods import Period, PeriodKind, PeriodScheme
from incentives.results.models import PlanInfo, RowAccounting, RunResult, Statement

__all__ = [
    "EXCLUDED_INACTIVE",
    "EXCLUDED_OTHER_PLAN",
    "EXCLUDED_OUTSIDE",
    "evaluate",
    "requirements",
]

EXCLUDED_OUTSIDE = "dated outside the periods of this run"
EXCLUDED_OTHER_PLAN = "the payee is on another plan"
EXCLUDED_INACTIVE = "the payee was not active on the line's date"


def requirements(plan: ir.Plan) -> DataRequirements:
    """What the plan reads from the data, for :meth:`Dataset.validate`."""
    goal_kind = plan.quota_goal_kind
    quota_scheme = None
    if goal_kind is not None:
        anchor = plan.scheme.anchor if goal_kind is PeriodKind.TWO_WEEKS else None
        quota_scheme = PeriodScheme(goal_kind, anchor)
    quotas = plan.quotas.values()
    return DataRequirements(
        currency=plan.currency,
        scheme=plan.scheme,
        ledger_columns=dict(plan.ledger_columns),
        roster_fields=dict(plan.roster_fields),
        metrics={m.name: (m.column_type, m.default) for m in plan.metrics},
        quota_scheme=quota_scheme,
        needs_fte=any(q.prorate_fte for q in quotas),
        needs_start_date=any(q.prorate_days or q.ramp for q in quotas),
    )


def on_plan(plan: ir.Plan, payee: Payee) -> bool:
    return payee.plan is None or payee.plan == plan.name


def active_in(payee: Payee, period: Period) -> bool:
    return (payee.start_date is None or payee.start_date <= period.end) and (
        payee.end_date is None or payee.end_date >= period.start
    )


def _active_on(payee: Payee, line: LedgerLine) -> bool:
    return (payee.start_date is None or payee.start_date <= line.date) and (
        payee.end_date is None or payee.end_date >= line.date
    )


def evaluate(
    plan: ir.Plan,
    dataset: Dataset | ValidatedData,
    periods: Sequence[Period],
) -> RunResult:
    """Statements for every active payee on the plan in each of ``periods``.

    Raises:
        DataError: if the data does not satisfy the plan (nothing is computed).
        EvaluationError: with every problem met while computing.
    """
    data = dataset.validate(requirements(plan)) if isinstance(dataset, Dataset) else dataset
    with evaluation_context():
        return _evaluate(plan, data, list(periods))


def _evaluate(plan: ir.Plan, data: ValidatedData, periods: list[Period]) -> RunResult:
    labels = {p.label for p in periods}
    excluded: Counter[str] = Counter()
    credited = 0
    by_payee: dict[str, list[LedgerLine]] = defaultdict(list)
    for line in data.ledger:
        payee = data.roster[line.payee]
        if not on_plan(plan, payee):
            excluded[EXCLUDED_OTHER_PLAN] += 1
        elif not _active_on(payee, line):
            excluded[EXCLUDED_INACTIVE] += 1
        else:
            by_payee[line.payee].append(line)
            if plan.scheme.period_of(line.date).label in labels:
                credited += 1
            else:
                excluded[EXCLUDED_OUTSIDE] += 1
    compiled = CompiledPlan(plan)
    measures = compile_measures(plan)
    problems: list[Diagnostic] = []
    statements: list[Statement] = []
    for period in periods:
        for payee in data.roster.values():
            if not on_plan(plan, payee) or not active_in(payee, period):
                continue
            lines = PayeeLines.of(by_payee.get(payee.id, []))
            before = len(problems)
            values = compute_measures(plan, lines, period, True, problems, measures)
            if len(problems) > before:
                continue
            statement = evaluate_statement(compiled, payee, period, data, values, problems)
            if statement is not None:
                statements.append(statement)
    if problems:
        found = sort_diagnostics(problems)
        raise EvaluationError(
            f"{len(found)} problem{'s' if len(found) != 1 else ''} while computing pay", found
        )
    statements.sort(key=lambda s: (s.start, s.payee))
    return RunResult(
        plan=PlanInfo(name=plan.name, version=plan.version, sha256=plan.source.sha256),
        engine=f"incentives {__version__}",
        periods=[p.label for p in periods],
        statements=statements,
        rows=RowAccounting(
            read=len(data.ledger),
            credited=credited,
            excluded=dict(sorted(excluded.items())),
        ),
    )
