"""Where the team stands part-way through a pay period (``incentives report``).

Contract: :func:`standing_report` takes a loaded plan, a dataset and a date
and returns a :class:`~incentives.results.standing.StandingReport`; it is
pure (no I/O, no clock) and runs only the ordinary evaluator, twice:

1. **to date**: the pay period containing the date, on the ledger lines
   dated on or before it (:func:`~incentives.evaluate.as_of.ledger_as_of`;
   later lines are ignored and counted). The payout to date is what the plan
   pays on those lines, with the period's full quotas, exactly as ``run``
   would if the ledger ended on the date. A plan that carries balances
   (draws, holdbacks, clawbacks …) is evaluated from the day it starts, as
   ``run`` does, so its opening balances are those of the last completed
   period and the period itself is settled as if it ended on the date.
2. **projected**: the same, on that ledger with the money columns of the
   period's lines scaled by the pace factor (days of the period ÷ days
   elapsed; :func:`~incentives.evaluate.as_of.ledger_at_pace`), exact
   Decimal arithmetic with each scaled amount rounded to the currency's
   minor unit, half to even. Counts are not scaled, so pay per unit or per
   line is projected at its value to date. This is a projection, labelled
   so everywhere.

**Elapsed share** (:func:`~incentives.evaluate.as_of.elapsed`): calendar
days from the period's first day through the date, over the period's days;
**working days** (Monday to Friday less the plan's ``holidays``) instead when
one of the plan's quotas splits its goal by working days, because that is
how the plan itself spreads a target over time. Each payee counts only the
days they are active (between ``start_date`` and ``end_date``), so a new
hire is measured against the days they have worked; the team's share is
stated as "prorated by calendar days: 12 of 31". A line's pace factor is
that of the payee the ledger line names (the team's for anyone else).

**Measures** shown are the plan's named measures that its pay reads,
directly or through ``let`` values (numbers and amounts only). A measure is
compared with a quota when the plan does so itself: ``TIERS on M against
Q``, ``M / Q``, or a comparison such as ``M >= Q``. The first such measure,
in plan order, is the **primary** measure: attainment to date, the order of
payees (highest attainment first, ties by payee id; payees without an
attainment last) and the distribution (buckets ``<50%``, ``50–75%``,
``75–100%``, ``100–125%``, ``≥125%``, each including its lower bound) are
its. A pace is computed for sums and counts over the pay period, not for
averages, minima or maxima, nor for measures over a longer horizon
(quarter to date …).

**Week by week** (the daily and weekly breakdown of the period's goal):
for the team's primary measure, each calendar week of the period (Monday to
Sunday, cut to the period) gets the target the days of the week carry (each
payee's target spread over their active days on the report's basis, so the
weeks add up to the period's target) and what the week measured: the
primary measure on the lines dated through the week's end (through the
report's date for its week; none for later weeks), by running the
evaluator once per week end. The target per day is the team's target over
the period's days on the same basis.

**Sales** for the cost share is the primary measure if it is a sum of money
over the payee's own lines, else the first such measure the pay reads; the
team's figure is the sum over its payees. Payouts are in the plan currency
(before any conversion to a payee's payout currency).

Rounding (all half to even, from exact fractions): targets to date and
paces to the currency's minor unit (0.01 for numbers that are not money);
attainments and cost shares to 0.0001 (0.01 %).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from incentives.compile import ir
from incentives.data import Dataset, ValidatedData
from incentives.evaluate.as_of import (
    Elapsed,
    elapsed,
    ledger_as_of,
    ledger_at_pace,
    round_fraction,
)
from incentives.money import evaluation_context
from incentives.periods import Period
from incentives.pipeline import Plan
from incentives.report.standing_shape import Shape, paced, step_of
from incentives.report.statements_json import dump_json
from incentives.results import RunResult, Statement
from incentives.results.standing import (
    Bucket,
    ComponentStanding,
    LineCount,
    MeasureStanding,
    PayeeStanding,
    Projection,
    Proration,
    StandingReport,
    TeamStanding,
    Totals,
    WeekStanding,
)

__all__ = ["BUCKETS", "render_standing_json", "standing_report"]

#: The distribution of attainment: (label, lower bound included, upper bound excluded).
BUCKETS: tuple[tuple[str, Fraction | None, Fraction | None], ...] = (
    ("<50%", None, Fraction(1, 2)),
    ("50–75%", Fraction(1, 2), Fraction(3, 4)),
    ("75–100%", Fraction(3, 4), Fraction(1)),
    ("100–125%", Fraction(1), Fraction(5, 4)),
    ("≥125%", Fraction(5, 4), None),
)

_RATIO = Decimal("0.0001")
_NUMBER = Decimal("0.01")


def render_standing_json(report: StandingReport) -> str:
    """The report as canonical JSON (sorted keys, amounts as strings, final newline)."""
    return dump_json(report.model_dump(mode="json"))


def standing_report(plan: Plan, dataset: Dataset | ValidatedData, as_of: date) -> StandingReport:
    """Where the team stands in the pay period containing ``as_of`` (see the module).

    Raises:
        DataError: if the data is invalid for the plan (nothing is computed).
        EvaluationError: if a value cannot be computed, to date or projected.
        UsageError: if the period ends before the plan starts.
    """
    data = plan.validate(dataset) if isinstance(dataset, Dataset) else dataset
    # Sums of amounts run in the engine's context, never the caller's.
    with evaluation_context():
        return _report(plan, data, as_of)


def _report(plan: Plan, data: ValidatedData, as_of: date) -> StandingReport:
    program = plan.ir
    period = program.scheme.period_of(as_of)
    counted, ignored = ledger_as_of(data, as_of)
    to_date = plan.run(counted, period=period)
    team = elapsed(program, period, as_of)
    own = {
        s.payee: elapsed(program, period, as_of, data.roster[s.payee]) for s in to_date.statements
    }
    projected: RunResult | None = None
    if team.factor is not None:
        factors = {pid: e.factor for pid, e in own.items() if e.factor is not None}
        default = team.factor
        scaled = ledger_at_pace(
            program, counted, period, lambda line: factors.get(line.payee, default)
        )
        projected = plan.run(scaled, period=period)
    shape = Shape.of(program)
    later = {s.payee: s for s in projected.statements} if projected else {}
    payees = [_payee(shape, s, later.get(s.payee), own[s.payee], team) for s in to_date.statements]
    attained = {p.payee: _exact(p.attainment) for p in payees}
    payees.sort(key=lambda p: _order(attained[p.payee], p.payee))
    distribution = _distribution(payees, attained)
    totals = _totals(shape, to_date, projected)
    lines = LineCount(
        read=len(data.ledger),
        counted=len(counted.ledger),
        ignored=ignored,
        credited=to_date.rows.credited,
    )
    return StandingReport(
        plan=to_date.plan,
        engine=to_date.engine,
        as_of=as_of,
        period=period.label,
        start=period.start,
        end=period.end,
        currency=program.currency,
        proration=_proration(team),
        lines=lines,
        measures=[shape.info(m) for m in shape.measures],
        primary=shape.primary,
        payees=payees,
        leaderboards=list(to_date.leaderboards),
        distribution=distribution,
        without_attainment=sorted(p.payee for p in payees if p.attainment is None),
        team=_with_weeks(_team(shape, to_date, own), plan, shape, counted, period, as_of, to_date),
        totals=totals,
        projection=Projection(
            factor=_fraction_text(team.factor) if team.factor is not None else None,
            text=_projection_text(period, team),
        ),
        notes=_notes(shape, program, period, as_of, team, own, to_date, lines),
    )


# -------------------------------------------------------------------- payees


def _value(statement: Statement, name: str) -> Decimal | None:
    node = statement.values.get(name)
    if node is None or node.value is None:
        return None
    return Decimal(node.value)


def _payout(statement: Statement) -> Decimal:
    """The statement's total in the plan currency (before any payout conversion)."""
    return sum(
        (line.computed if line.computed is not None else line.amount for line in statement.lines),
        Decimal(0),
    )


def _payee(
    shape: Shape,
    statement: Statement,
    projected: Statement | None,
    own: Elapsed,
    team: Elapsed,
) -> PayeeStanding:
    measures = []
    attainment: Decimal | None = None
    for measure in shape.measures:
        standing = _measure(shape, measure, statement, own.share)
        if standing is None:
            continue
        measures.append(standing)
        if measure.name == shape.primary:
            attainment = standing.attainment
    note = None
    if own.days != team.days or own.elapsed != team.elapsed:
        note = (
            f"prorated over the {own.words} the payee is active in the period: "
            f"{own.elapsed} of {own.days}"
        )
    if note is not None and own.elapsed == 0:
        note += ", not started yet"
    return PayeeStanding(
        payee=statement.payee,
        payee_name=statement.payee_name,
        proration=_proration(own),
        measures=measures,
        attainment=attainment,
        bucket=_bucket(_exact(attainment)),
        payout_to_date=_payout(statement),
        projected_payout=_payout(projected) if projected is not None else None,
        components=_components(statement, projected),
        balances=list(statement.balances),
        note=note,
    )


def _measure(
    shape: Shape, measure: ir.Measure, statement: Statement, share: Fraction | None
) -> MeasureStanding | None:
    value = _value(statement, measure.name)
    if value is None:
        return None
    step = step_of(measure.type)
    pace = None
    if paced(measure) and share:
        pace = round_fraction(Fraction(value) / share, step)
    quota = shape.quotas.get(measure.name)
    target = _value(statement, quota) if quota is not None else None
    if target is None or share is None:
        return MeasureStanding(name=measure.name, value=value, target=target, pace=pace)
    expected = Fraction(target) * share
    return MeasureStanding(
        name=measure.name,
        value=value,
        target=target,
        target_to_date=round_fraction(expected, step),
        attainment=round_fraction(Fraction(value) / expected, _RATIO) if expected else None,
        pace=pace,
    )


def _components(statement: Statement, projected: Statement | None) -> list[ComponentStanding]:
    later = {} if projected is None else {line.component: line for line in projected.lines}
    rows = []
    for line in statement.lines:
        other = later.pop(line.component, None)
        rows.append(
            ComponentStanding(
                component=line.component,
                label=line.label,
                kind=line.kind,
                to_date=_plan_amount(line.amount, line.computed),
                projected=None if other is None else _plan_amount(other.amount, other.computed),
            )
        )
    for line in later.values():
        rows.append(
            ComponentStanding(
                component=line.component,
                label=line.label,
                kind=line.kind,
                to_date=None,
                projected=_plan_amount(line.amount, line.computed),
            )
        )
    return rows


def _plan_amount(amount: Decimal, computed: Decimal | None) -> Decimal:
    return computed if computed is not None else amount


def _exact(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _order(attainment: Fraction | None, payee: str) -> tuple[bool, Fraction, str]:
    return (attainment is None, -(attainment or Fraction(0)), payee)


def _bucket(attainment: Fraction | None) -> str | None:
    if attainment is None:
        return None
    for label, lower, upper in BUCKETS:
        if (lower is None or attainment >= lower) and (upper is None or attainment < upper):
            return label
    raise AssertionError(attainment)  # pragma: no cover - the buckets cover every value


def _distribution(
    payees: Sequence[PayeeStanding], attained: Mapping[str, Fraction | None]
) -> list[Bucket]:
    buckets = []
    for label, lower, upper in BUCKETS:
        members = sorted(p.payee for p in payees if p.bucket == label)
        buckets.append(
            Bucket(
                label=label,
                lower=None if lower is None else round_fraction(lower, _NUMBER),
                upper=None if upper is None else round_fraction(upper, _NUMBER),
                count=len(members),
                payees=members,
            )
        )
    assert sum(b.count for b in buckets) == sum(1 for a in attained.values() if a is not None)
    return buckets


# ---------------------------------------------------------------------- team


def _team(shape: Shape, run: RunResult, own: Mapping[str, Elapsed]) -> TeamStanding | None:
    primary = next((m for m in shape.measures if m.name == shape.primary), None)
    if primary is None or primary.scope is not None:
        return None
    quota = shape.quotas[primary.name]
    value = target = Decimal(0)
    expected = pace = Fraction(0)
    is_paced = paced(primary)
    for statement in run.statements:
        measured, goal = _value(statement, primary.name), _value(statement, quota)
        if measured is None or goal is None:
            continue
        value += measured
        target += goal
        share = own[statement.payee].share
        if share is None:
            continue
        expected += Fraction(goal) * share
        if share:
            pace += Fraction(measured) / share
    step = step_of(primary.type)
    return TeamStanding(
        measure=primary.name,
        value=value,
        target=target,
        target_to_date=round_fraction(expected, step),
        attainment=round_fraction(Fraction(value) / expected, _RATIO) if expected else None,
        pace=round_fraction(pace, step) if is_paced else None,
    )


def _with_weeks(
    team: TeamStanding | None,
    plan: Plan,
    shape: Shape,
    counted: ValidatedData,
    period: Period,
    as_of: date,
    to_date: RunResult,
) -> TeamStanding | None:
    """The team's standing with its target per day and its week-by-week breakdown."""
    if team is None:
        return None
    program = plan.ir
    primary = next(m for m in shape.measures if m.name == shape.primary)
    quota = shape.quotas[primary.name]
    step = step_of(primary.type)
    goals = {}
    for statement in to_date.statements:
        goal = _value(statement, quota)
        if goal is not None and _value(statement, primary.name) is not None:
            goals[statement.payee] = Fraction(goal)
    roster = counted.roster

    def target_through(day: date) -> Fraction:
        total = Fraction(0)
        for payee, goal in goals.items():
            share = elapsed(program, period, day, roster[payee]).share
            total += goal * share if share is not None else 0
        return total

    def actual_through(day: date) -> Decimal:
        run = to_date if day >= as_of else plan.run(ledger_as_of(counted, day)[0], period=period)
        found = (_value(s, primary.name) for s in run.statements if s.payee in goals)
        return sum((v for v in found if v is not None), Decimal(0))

    weeks = []
    start, before, measured = period.start, Fraction(0), Decimal(0)
    while start <= period.end:
        end = min(start + timedelta(days=6 - start.weekday()), period.end)
        through = target_through(end)
        actual = actual_cumulative = None
        if start <= as_of:
            actual_cumulative = actual_through(min(end, as_of))
            actual = actual_cumulative - measured
            measured = actual_cumulative
        weeks.append(
            WeekStanding(
                start=start,
                end=end,
                target=round_fraction(through, step) - round_fraction(before, step),
                target_cumulative=round_fraction(through, step),
                actual=actual,
                actual_cumulative=actual_cumulative,
            )
        )
        start, before = end + timedelta(days=1), through
    days = elapsed(program, period, period.end).days
    per_day = round_fraction(Fraction(team.target) / days, step) if days else None
    return team.model_copy(update={"weeks": weeks, "target_per_day": per_day})


def _totals(shape: Shape, to_date: RunResult, projected: RunResult | None) -> Totals:
    paid = sum((_payout(s) for s in to_date.statements), Decimal(0))
    will_pay = (
        None if projected is None else sum((_payout(s) for s in projected.statements), Decimal(0))
    )
    sales = _sum(to_date, shape.sales)
    projected_sales = None if projected is None else _sum(projected, shape.sales)
    return Totals(
        payout_to_date=paid,
        projected_payout=will_pay,
        sales_measure=shape.sales,
        sales_to_date=sales,
        projected_sales=projected_sales,
        cost_share_to_date=_ratio(paid, sales),
        cost_share_projected=None if will_pay is None else _ratio(will_pay, projected_sales),
    )


def _sum(run: RunResult, measure: str | None) -> Decimal | None:
    if measure is None:
        return None
    found = [_value(s, measure) for s in run.statements]
    return sum((v for v in found if v is not None), Decimal(0))


def _ratio(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if whole is None or whole <= 0:
        return None
    return round_fraction(Fraction(part) / Fraction(whole), _RATIO)


# --------------------------------------------------------------------- words


def _proration(share: Elapsed) -> Proration:
    return Proration(
        basis=share.basis,
        elapsed=share.elapsed,
        days=share.days,
        text=f"prorated by {share.words}: {share.elapsed} of {share.days}",
    )


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value}"


def _projection_text(period: Period, team: Elapsed) -> str:
    if team.factor is None:
        return (
            f"no projection: no {team.words} of {period.label} have passed yet, so there is "
            "no pace to project"
        )
    return (
        f"a projection, not a payout: the plan evaluated on the ledger to date with the money "
        f"columns of each line dated in {period.label} multiplied by the pace factor "
        f"({team.words} of the period ÷ {team.words} elapsed: {team.days}/{team.elapsed} for "
        "the team; a payee active only part of the period has their own) and rounded to the "
        "currency's minor unit, half to even, line by line; counts are not scaled, so pay per "
        "unit or per line is projected at its value to date"
    )


def _notes(
    shape: Shape,
    plan: ir.Plan,
    period: Period,
    as_of: date,
    team: Elapsed,
    own: Mapping[str, Elapsed],
    run: RunResult,
    lines: LineCount,
) -> list[str]:
    notes = [
        f"Targets to date are the period's quota × the elapsed share, {_proration(team).text}"
        + (
            " (Monday to Friday, less the plan's holidays, because the plan splits its quota "
            "by working days)."
            if team.basis == "working_days"
            else " (the plan splits no quota by working days)."
        ),
        f"The ledger has {lines.read} lines: {lines.counted} dated on or before "
        f"{as_of.isoformat()} are read, {lines.ignored} dated later are ignored.",
    ]
    if any((e.elapsed, e.days) != (team.elapsed, team.days) for e in own.values()):
        notes.append(
            "A payee who starts or leaves during the period is prorated over their own active "
            "days, for targets to date, pace and projection."
        )
    if shape.primary is not None:
        quota = shape.quotas[shape.primary]
        notes.append(
            f"Attainment to date is {shape.primary} to date ÷ ({quota} × elapsed share); pace is "
            f"{shape.primary} to date ÷ elapsed share, where the period ends if the pace holds."
        )
    else:
        notes.append(
            "The plan compares no measure with a quota, so there is no attainment to date; "
            "payees are listed by payee id."
        )
    unpaced = [m.name for m in shape.measures if not paced(m)]
    if unpaced:
        notes.append(
            "Not paced (averages, minima, maxima and longer horizons are shown to date only): "
            + ", ".join(unpaced)
            + "."
        )
    notes.append("Payout to date is what the plan pays on the lines to date, with full quotas.")
    notes.append("Projected figures are " + _projection_text(period, team) + ".")
    if shape.sales is not None:
        notes.append(
            f"Cost share is payout ÷ {shape.sales}, summed over the team: to date, and projected."
        )
    if plan.metrics:
        names = ", ".join(m.name for m in plan.metrics)
        notes.append(f"Metrics ({names}) are read as recorded for {period.label}.")
    if plan.stateful:
        if period.start == date.min:  # no period before the calendar's first
            opening = f"there are no opening balances ({period.label} is the calendar's first)"
        else:
            before = plan.scheme.period_of(period.start - timedelta(days=1)).label
            opening = f"opening balances are as of the end of the last completed period ({before})"
        notes.append(
            "This plan carries balances from one period to the next, derived from the day it "
            f"starts ({plan.starts.isoformat() if plan.starts else 'its start'}): {opening}; "
            f"closing balances are as if {period.label} ended on {as_of.isoformat()}."
        )
    if any(s.conversion is not None for s in run.statements):
        notes.append(
            f"Amounts are in {plan.currency}, the plan currency, before conversion to any "
            "payee's payout currency."
        )
    if run.leaderboards:
        notes.append("Rankings are the plan's own, computed on the lines to date.")
    return notes
