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
from datetime import date
from decimal import Decimal

from incentives._version import __version__
from incentives.compile import ir
from incentives.data import DataRequirements, Dataset, Payee, ValidatedData
from incentives.diagnostics import Diagnostic, sort_diagnostics
from incentives.errors import EvaluationError
from incentives.evaluate.crediting import Credit, credit_lines, fx_rate
from incentives.evaluate.measures import PayeeLines, compile_measures, compute_measures
from incentives.evaluate.statement import CompiledPlan, PayeeEnv, PayeeRun
from incentives.evaluate.teams import Hierarchy, TeamView, team_lines
from incentives.evaluate.trace import describe
from incentives.money import evaluation_context, format_decimal, minor_unit, quantize
from incentives.periods import Period, PeriodKind, PeriodScheme
from incentives.results.models import (
    Conversion,
    Leaderboard,
    LeaderboardRow,
    PlanInfo,
    RowAccounting,
    RunResult,
    Statement,
)
from incentives.source import Span

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
        fx=plan.fx is not None,
        payout_conversion=plan.fx is not None and plan.fx.payout,
        splits=plan.crediting.splits,
        overlays=plan.crediting.overlays,
    )


def on_plan(plan: ir.Plan, payee: Payee) -> bool:
    return payee.plan is None or payee.plan == plan.name


def active_in(payee: Payee, period: Period) -> bool:
    return (payee.start_date is None or payee.start_date <= period.end) and (
        payee.end_date is None or payee.end_date >= period.start
    )


def _active_on(payee: Payee, day: date) -> bool:
    return (payee.start_date is None or payee.start_date <= day) and (
        payee.end_date is None or payee.end_date >= day
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
    credits = credit_lines(plan, data)
    labels = {p.label for p in periods}
    rows = _account(plan, data, credits, labels)
    # Credits dated while their payee was active, by payee (any plan: team
    # measures read the lines of every payee in their scope).
    by_payee: dict[str, list[Credit]] = defaultdict(list)
    for credit in credits:
        if _active_on(data.roster[credit.payee], credit.line.date):
            by_payee[credit.payee].append(credit)
    hierarchy = Hierarchy(data.roster)
    compiled = CompiledPlan(plan)
    measures = compile_measures(plan)
    first = [n for n in plan.order if n not in plan.team_names]
    second = [n for n in plan.order if n in plan.team_names]
    problems: list[Diagnostic] = []
    statements: list[Statement] = []
    boards: list[Leaderboard] = []
    team_cache: dict[tuple[str, ir.Scope], PayeeLines] = {}
    for period in periods:
        runs: dict[str, PayeeRun] = {}
        for payee in data.roster.values():
            if not on_plan(plan, payee) or not active_in(payee, period):
                continue

            def team(scope: ir.Scope, payee: Payee = payee) -> PayeeLines:
                key = (payee.id, scope)
                if key not in team_cache:
                    team_cache[key] = team_lines(scope, payee, data.roster, hierarchy, by_payee)
                return team_cache[key]

            lines = PayeeLines.of(by_payee.get(payee.id, []))
            before = len(problems)
            values = compute_measures(plan, lines, period, True, problems, measures, team)
            if len(problems) > before:
                continue
            state = PayeeRun(compiled, PayeeEnv(plan, payee, period, data), values)
            state.run(first, problems)
            runs[payee.id] = state
        if second:
            view = TeamView(
                plan,
                {pid: data.roster[pid] for pid, s in runs.items() if not s.failed},
                {pid: s.env.values for pid, s in runs.items() if not s.failed},
                hierarchy,
            )
            for state in runs.values():
                state.env.team = view
                state.run(second, problems)
            boards += _leaderboards(plan, period, view, data)
        for state in runs.values():
            statement = state.finish(problems)
            if statement is not None:
                statements.append(_payout(plan, data, statement, state.env.payee, problems))
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
        rows=rows,
        leaderboards=boards,
    )


def _account(
    plan: ir.Plan, data: ValidatedData, credits: list[Credit], labels: set[str]
) -> RowAccounting:
    """Every ledger row: credited to a statement of this run, or excluded with a reason.

    A split line counts as credited if any of its credits is; otherwise it
    takes the reason of its credit that came closest to counting.
    """
    best: dict[str, int] = {}
    for credit in credits:
        payee = data.roster[credit.payee]
        if not on_plan(plan, payee):
            status = 0
        elif not _active_on(payee, credit.line.date):
            status = 1
        elif plan.scheme.period_of(credit.line.date).label not in labels:
            status = 2
        else:
            status = 3
        txn = credit.line.txn_id
        best[txn] = max(best.get(txn, -1), status)
    reasons = {0: EXCLUDED_OTHER_PLAN, 1: EXCLUDED_INACTIVE, 2: EXCLUDED_OUTSIDE}
    excluded: Counter[str] = Counter(reasons[s] for s in best.values() if s < 3)
    return RowAccounting(
        read=len(data.ledger),
        credited=sum(1 for s in best.values() if s == 3),
        excluded=dict(sorted(excluded.items())),
    )


def _leaderboards(
    plan: ir.Plan, period: Period, view: TeamView, data: ValidatedData
) -> list[Leaderboard]:
    boards = []
    for (node_id, group), entries in view.boards.items():
        node = view.rank_nodes[node_id]
        ranking = " ".join(plan.source.text[node.span.start : node.span.end].split())
        rows = [
            LeaderboardRow(
                rank=e.rank,
                payee=e.payee,
                payee_name=data.roster[e.payee].name,
                value=describe(e.value),
            )
            for e in entries
        ]
        boards.append(
            Leaderboard(
                period=period.label,
                ranking=ranking,
                group=None if group is None else describe(group),  # type: ignore[arg-type,unused-ignore]
                rows=rows,
            )
        )
    boards.sort(key=lambda b: (b.ranking, b.group or ""))
    return boards


def _payout(
    plan: ir.Plan,
    data: ValidatedData,
    statement: Statement,
    payee: Payee,
    problems: list[Diagnostic],
) -> Statement:
    """The statement in the payee's payout currency, if the plan pays in it."""
    target = payee.payout_currency
    if plan.fx is None or not plan.fx.payout or target is None or target == plan.currency:
        return statement
    rate = fx_rate(data.fx, plan.currency, target, statement.end)
    if rate is None:
        problems.append(
            Diagnostic(
                "D617",
                f"payee `{payee.id}` is paid in {target}, and the fx table has no "
                f"{plan.currency}→{target} rate on or before {statement.end.isoformat()}",
                Span(payee.ref.source, payee.ref.row, 0, payee.ref.row, 1),
                hint=f"add a row `{statement.end.isoformat()},{plan.currency},{target},<rate>` "
                "to fx.csv",
            )
        )
        return statement
    unit = minor_unit(target)
    mode = plan.rounding.mode if plan.rounding is not None else None
    lines = []
    total = Decimal(0)
    for line in statement.lines:
        converted = line.amount * rate.rate
        if mode is not None:
            converted = quantize(converted, unit, mode)
        total += converted
        lines.append(
            line.model_copy(
                update={"amount": converted, "currency": target, "computed": line.amount}
            )
        )
    rounding = (
        f"rounded {mode.value} to {format_decimal(unit)} {target}"
        if mode is not None
        else "not rounded"
    )
    conversion = Conversion(
        source=plan.currency,
        target=target,
        rate=rate.rate,
        date=rate.date,
        at=f"{rate.ref.source}:{rate.ref.row}",
        rounding=rounding,
    )
    return statement.model_copy(
        update={"lines": lines, "total": total, "currency": target, "conversion": conversion}
    )
