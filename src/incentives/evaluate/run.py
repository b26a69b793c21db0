"""Evaluate a compiled plan over a dataset for one or more consecutive periods.

Contract: :func:`evaluate` validates the dataset against what the plan reads
(raising :class:`~incentives.errors.DataError` before computing anything),
and an opening state against the plan and the roster
(:func:`~incentives.evaluate.opening.check_opening`, likewise),
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
from datetime import date, timedelta

from incentives._version import __version__
from incentives.compile import ir
from incentives.data import DataRequirements, Dataset, LedgerLine, Payee, ValidatedData
from incentives.diagnostics import Diagnostic, sort_diagnostics
from incentives.errors import EvaluationError, UsageError
from incentives.evaluate.balances import Carry, SettleInput, settle
from incentives.evaluate.crediting import Credit, credit_lines
from incentives.evaluate.measures import PayeeLines, compile_measures, compute_measures
from incentives.evaluate.opening import check_opening
from incentives.evaluate.payee_env import CompiledPlan, PayeeEnv
from incentives.evaluate.payout import check_payout_rates, pay_out
from incentives.evaluate.problems import ComputeProblem, empty_group
from incentives.evaluate.refunds import split_refunds
from incentives.evaluate.statement import PayeeRun
from incentives.evaluate.teams import EmptyGroup, Hierarchy, TeamView, team_lines
from incentives.evaluate.tiers import NoBandError
from incentives.evaluate.trace import describe
from incentives.evaluate.wage import check_wages
from incentives.gcpause import collection_paused
from incentives.money import evaluation_context, format_decimal
from incentives.periods import Period, PeriodKind, PeriodScheme
from incentives.results.models import (
    Leaderboard,
    LeaderboardRow,
    PlanInfo,
    RowAccounting,
    RunResult,
    Statement,
    UnpaidShare,
)
from incentives.results.state import StateSnapshot
from incentives.source import Span

__all__ = [
    "EXCLUDED_BEFORE_START",
    "EXCLUDED_EARLIER",
    "EXCLUDED_INACTIVE",
    "EXCLUDED_NOT_EARNED",
    "EXCLUDED_OTHER_PLAN",
    "EXCLUDED_OUTSIDE",
    "evaluate",
    "requirements",
]

EXCLUDED_OUTSIDE = "dated outside the periods of this run"
EXCLUDED_BEFORE_START = "dated before the plan starts"
EXCLUDED_EARLIER = "dated in an earlier period: read only for the balances carried into this run"
EXCLUDED_NOT_EARNED = "not earned yet: its earning date is empty"
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
        optional_columns=plan.optional_columns,
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
    *,
    opening: StateSnapshot | None = None,
) -> RunResult:
    """Statements for every active payee on the plan in each of ``periods``.

    A plan that carries balances is evaluated from the period it ``starts`` in
    (or from ``opening``, the closing state of an earlier run that ended just
    before ``periods``), and only ``periods`` are reported.

    Raises:
        DataError: if the data does not satisfy the plan, or the opening state
            names what the plan or the roster does not have, or holds what the
            engine never writes (:mod:`incentives.evaluate.opening`); nothing
            is computed.
        EvaluationError: with every problem met while computing.
        UsageError: for periods before the plan starts, or an opening state
            that does not lead into ``periods``.
    """
    with collection_paused():
        data = dataset.validate(requirements(plan)) if isinstance(dataset, Dataset) else dataset
        with evaluation_context():
            return _Run(plan, data, list(periods), opening).result()


class _Run:
    """One evaluation: crediting, then each period's stages in order."""

    def __init__(
        self,
        plan: ir.Plan,
        data: ValidatedData,
        periods: list[Period],
        opening: StateSnapshot | None,
    ) -> None:
        self.plan = plan
        self.data = data
        self.periods = periods
        self.opening = opening
        self.problems: list[Diagnostic] = []
        self.compiled = CompiledPlan(plan)
        self.measures = compile_measures(plan)
        self.hierarchy = Hierarchy(data.roster)
        self.ledger = {line.txn_id: line for line in data.ledger}

    # ------------------------------------------------------------ set-up
    def evaluated_periods(self) -> list[Period]:
        plan, first = self.plan, self.periods[0]
        if plan.starts is not None and first.end < plan.starts:
            raise UsageError(
                f"{first.label} ends before the plan starts ({plan.starts.isoformat()})"
            )
        if not plan.stateful:
            return self.periods
        if self.opening is not None:
            if self.opening.plan != plan.name:
                raise UsageError(
                    f"the opening state is of the plan “{self.opening.plan}”, not “{plan.name}”"
                )
            if first.start == date.min:
                raise UsageError(
                    f"the opening state is as of {self.opening.after}, but {first.label} is the "
                    f"first {plan.scheme.kind.noun} of the calendar: no period comes before it, "
                    "so a run from it starts from nothing (run it without an opening state)"
                )
            before = plan.scheme.period_of(first.start - timedelta(days=1))
            if self.opening.after != before.label:
                raise UsageError(
                    f"the opening state is as of {self.opening.after}; a run from "
                    f"{first.label} needs the state as of {before.label}"
                )
            check_opening(plan, self.opening, before, self.data.roster)
            return self.periods
        assert plan.starts is not None
        return plan.scheme.span(plan.scheme.period_of(plan.starts), self.periods[-1])

    def earn_date(self, credit: Credit, column: str | None) -> date | None:
        name = column or self.plan.crediting.earn_on
        if name is None or name == "date":
            return credit.line.date
        value = credit.line.values.get(name)
        return value if isinstance(value, date) else None

    def paid_in(self, payee: Payee, period: Period) -> bool:
        """Whether the payee gets a statement for the period."""
        return on_plan(self.plan, payee) and active_in(payee, period)

    # --------------------------------------------------------------- run
    def result(self) -> RunResult:
        plan, data = self.plan, self.data
        check_payout_rates(
            plan, data, self.periods, lambda p, d: on_plan(plan, p) and active_in(p, d)
        )
        evaluated = self.evaluated_periods()
        every = credit_lines(plan, data)
        credits = [c for c in every if self._counts(c)]
        shown = {p.label for p in self.periods}
        earlier = {p.label for p in evaluated} - shown
        rows = _account(plan, data, credits, shown, earlier, self)
        # refund lines are checked against their sales whenever they are dated
        kept, refunds = split_refunds(plan, self.ledger, every, self.earn_date)
        credits = [c for c in kept if self._counts(c)]
        refunds = {k: [c for c in v if self._counts(c)] for k, v in refunds.items()}
        by_payee: dict[str, list[Credit]] = defaultdict(list)
        for credit in credits:
            if _active_on(data.roster[credit.payee], credit.line.date):
                by_payee[credit.payee].append(credit)
        carries = {
            pid: Carry.of(state)
            for pid, state in (self.opening.payees.items() if self.opening else ())
        }
        reported = {p.label for p in self.periods}
        statements: list[Statement] = []
        boards: list[Leaderboard] = []
        lines_cache: dict[tuple[str, str | None], PayeeLines] = {}
        team_cache: dict[tuple[str, ir.Scope, str | None], PayeeLines] = {}
        windows = [k.days for k in plan.clawbacks] or [0]
        for period in evaluated:
            runs = self._first_pass(period, by_payee, lines_cache, team_cache)
            if plan.team_names:
                view = TeamView(
                    plan,
                    {pid: data.roster[pid] for pid, s in runs.items() if not s.failed},
                    {pid: s.env.values for pid, s in runs.items() if not s.failed},
                    self.hierarchy,
                )
                for state in runs.values():
                    state.env.team = view
                    state.run([n for n in plan.order if n in plan.team_names], self.problems)
                if period.label in reported:
                    boards += _leaderboards(plan, period, view, data)
            for state in runs.values():
                statement = state.finish(self.problems)
                if statement is None:
                    continue
                if plan.stateful:
                    statement = self._settle(
                        state, statement, period, refunds, carries, max(windows)
                    )
                    if statement is None:
                        continue
                if plan.wage_floors:
                    try:
                        statement = check_wages(state.compiled, statement, state.env)
                    except ComputeProblem as problem:
                        self.problems.append(
                            problem.to_diagnostic(state.env.payee.id, period.label)
                        )
                        continue
                if period.label in reported:
                    statements.append(pay_out(plan, data, statement, state.env.payee))
        if self.problems:
            found = sort_diagnostics(self.problems)
            raise EvaluationError(
                f"{len(found)} problem{'s' if len(found) != 1 else ''} while computing pay", found
            )
        statements.sort(key=lambda s: (s.start, s.payee))
        closing = None
        if plan.stateful:
            closing = StateSnapshot(
                plan=plan.name,
                after=self.periods[-1].label,
                payees={pid: carries[pid].freeze() for pid in sorted(carries)},
            )
        return RunResult(
            plan=PlanInfo(name=plan.name, version=plan.version, sha256=plan.source.sha256),
            engine=f"incentives {__version__}",
            periods=[p.label for p in self.periods],
            statements=statements,
            rows=rows,
            leaderboards=boards,
            closing=closing,
        )

    def _counts(self, credit: Credit) -> bool:
        """Lines before the plan starts count for nothing (they are reported as excluded)."""
        starts = self.plan.starts
        return starts is None or credit.line.date >= starts

    def _first_pass(
        self,
        period: Period,
        by_payee: dict[str, list[Credit]],
        lines_cache: dict[tuple[str, str | None], PayeeLines],
        team_cache: dict[tuple[str, ir.Scope, str | None], PayeeLines],
    ) -> dict[str, PayeeRun]:
        plan, data = self.plan, self.data
        runs: dict[str, PayeeRun] = {}
        first = [n for n in plan.order if n not in plan.team_names]
        for payee in data.roster.values():
            if not on_plan(plan, payee) or not active_in(payee, period):
                continue

            def own(column: str | None, payee: Payee = payee) -> PayeeLines:
                key = (payee.id, column)
                if key not in lines_cache:
                    lines_cache[key] = PayeeLines.of(
                        by_payee.get(payee.id, []), lambda c: self.earn_date(c, column)
                    )
                return lines_cache[key]

            def team(scope: ir.Scope, column: str | None, payee: Payee = payee) -> PayeeLines:
                key = (payee.id, scope, column)
                if key not in team_cache:
                    team_cache[key] = team_lines(
                        scope,
                        payee,
                        data.roster,
                        self.hierarchy,
                        by_payee,
                        lambda c: self.earn_date(c, column),
                    )
                return team_cache[key]

            before = len(self.problems)
            try:
                values = compute_measures(
                    plan, own, period, True, self.problems, self.measures, team
                )
            except EmptyGroup as exc:
                # The first team measure across `group F` stopped: it is the one named.
                measure = next(
                    m for m in plan.measures if m.scope is not None and m.scope.field == exc.field
                )
                problem = empty_group(exc, measure.name, measure.span)
                self.problems.append(problem.to_diagnostic(payee.id, period.label))
                continue
            if len(self.problems) > before:
                continue
            state = PayeeRun(self.compiled, PayeeEnv(plan, payee, period, data), values)
            state.run(first, self.problems)
            runs[payee.id] = state
        return runs

    def _settle(
        self,
        state: PayeeRun,
        statement: Statement,
        period: Period,
        refunds: dict[tuple[str, str, str], list[Credit]],
        carries: dict[str, Carry],
        window: int,
    ) -> Statement | None:
        payee = state.env.payee
        mine = {
            k.name: refunds.get((payee.id, period.label, k.name), []) for k in self.plan.clawbacks
        }
        carry = carries.setdefault(payee.id, Carry())
        try:
            return settle(
                SettleInput(
                    compiled=state.compiled,
                    statement=statement,
                    env=state.env,
                    measures=state.measures,
                    period=period,
                    payee=payee,
                    refunds=mine,
                    ledger=self.ledger,
                    longest_window=window,
                ),
                carry,
            )
        except ComputeProblem as problem:
            self.problems.append(problem.to_diagnostic(payee.id, period.label))
            return None
        except NoBandError as exc:
            # Lines fill the bands in date order to say what each earned; a
            # negative line first can take the running base below every band.
            self.problems.append(
                Diagnostic(
                    "R703",
                    f"payee `{payee.id}`, {period.label}: taken line by line, the base of "
                    f"`{exc.table}` reaches {format_decimal(exc.value)}, below every band, so "
                    "what each line earned (for clawbacks and holdbacks) is not defined",
                    Span(self.plan.source.name, 1, 1, 1, 2),
                    hint=f"add a band below the first one of `{exc.table}`",
                )
            )
            return None


def _row_span(line: LedgerLine) -> Span:
    return Span(line.ref.source, line.ref.row, 0, line.ref.row, 1)


def _account(
    plan: ir.Plan,
    data: ValidatedData,
    credits: list[Credit],
    labels: set[str],
    earlier: set[str],
    run: _Run,
) -> RowAccounting:
    """Every ledger row: credited to a statement of this run, or excluded with a reason.

    ``earlier`` are the periods evaluated before the run's own only to derive
    the carried state (a stateful plan run without an opening state); a line
    in one of them is not on a statement of this run, and says why.

    A split line counts as credited if any of its credits is; otherwise it
    takes the reason of its credit that came closest to counting.
    """
    best: dict[str, int] = {line.txn_id: -2 for line in data.ledger}
    statuses: list[tuple[Credit, int]] = []
    for credit in credits:
        payee = data.roster[credit.payee]
        day = run.earn_date(credit, None)
        if not on_plan(plan, payee):
            status = 0
        elif not _active_on(payee, credit.line.date):
            status = 1
        elif day is None:
            status = -1
        elif (label := plan.scheme.period_of(day).label) in earlier:
            status = 3
        elif label not in labels:
            status = 2
        else:
            status = 4
        txn = credit.line.txn_id
        best[txn] = max(best[txn], status)
        statuses.append((credit, status))
    reasons = {
        -2: EXCLUDED_BEFORE_START,
        -1: EXCLUDED_NOT_EARNED,
        0: EXCLUDED_OTHER_PLAN,
        1: EXCLUDED_INACTIVE,
        2: EXCLUDED_OUTSIDE,
        3: EXCLUDED_EARLIER,
    }
    excluded: Counter[str] = Counter(reasons[s] for s in best.values() if s < 4)
    unpaid = [
        UnpaidShare(
            txn_id=credit.line.txn_id,
            payee=credit.payee,
            share=credit.share,
            credit_type=credit.credit_type,
            reason=reasons[status],
        )
        for credit, status in statuses
        if status < 4 and best[credit.line.txn_id] == 4
    ]
    unpaid.sort(key=lambda u: (u.txn_id, u.payee, u.credit_type))
    return RowAccounting(
        read=len(data.ledger),
        credited=sum(1 for s in best.values() if s == 4),
        excluded=dict(sorted(excluded.items())),
        unpaid_shares=unpaid,
        ignored_metrics=dict(sorted(data.ignored_metrics.items())),
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
