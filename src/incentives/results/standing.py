"""Where the team stands part-way through a pay period: the report's pydantic models.

Contract: a :class:`StandingReport` is computed by
:func:`incentives.report.standing.standing_report` and holds only exact
values: amounts, targets and paces as fixed-point strings in the plan
currency (rounded to its minor unit, half to even), attainments, shares and
cost ratios as fractions (``0.3871`` is 38.71 %, rounded to 0.0001, half to
even), counts of days and lines as integers. Lists are in a stated order
(payees by attainment to date, highest first, ties by payee id; measures in
plan order; buckets from low to high), so the JSON form is the same bytes for
the same inputs.

Words used throughout:

* *to date*: computed from the ledger lines dated on or before ``as_of``;
* *elapsed share*: the days of the period that have passed (see
  :class:`Proration`);
* *target to date*: the period's quota × elapsed share;
* *attainment to date*: measure to date ÷ target to date;
* *pace*: measure to date ÷ elapsed share (where the period ends if the
  current pace holds);
* *projected*: the plan evaluated on the ledger to date with the money of the
  period's lines scaled to the pace (a projection, not a payout).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from incentives.results.models import Amount, Balance, Leaderboard, PlanInfo

__all__ = [
    "Bucket",
    "ComponentStanding",
    "LineCount",
    "MeasureInfo",
    "MeasureStanding",
    "PayeeStanding",
    "Projection",
    "Proration",
    "StandingReport",
    "TeamStanding",
    "Totals",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Proration(_Model):
    """How much of the period has passed on the report's date."""

    #: calendar_days, or working_days (Monday to Friday less the plan's holidays)
    #: when a quota of the plan splits its goal by working days.
    basis: Literal["calendar_days", "working_days"]
    #: Days passed, the report's date included.
    elapsed: int
    #: Days in the period (for a payee: the days they are active in it).
    days: int
    #: "prorated by calendar days: 12 of 31".
    text: str


class LineCount(_Model):
    """What happened to the ledger's lines."""

    #: Lines in the ledger.
    read: int
    #: Lines dated on or before the report's date: the report reads these.
    counted: int
    #: Lines dated after the report's date: ignored.
    ignored: int
    #: Lines credited to a statement of the period (to date).
    credited: int


class MeasureInfo(_Model):
    """A measure the plan's pay reads, and how the report treats it."""

    name: str
    #: sum, count, average, min, max, count_distinct.
    aggregate: str
    #: A currency code, or count, decimal, percent.
    unit: str
    #: The quota the plan compares the measure with, if any.
    quota: str | None
    #: Whether a pace is computed (sums and counts over the pay period only).
    paced: bool
    #: A longer horizon the measure is read over (quarter to date …), if any.
    horizon: str | None


class MeasureStanding(_Model):
    """One measure of one payee, to date."""

    name: str
    value: Amount
    #: The period's quota compared with the measure (the plan's value).
    target: Amount | None = None
    target_to_date: Amount | None = None
    attainment: Amount | None = None
    pace: Amount | None = None


class ComponentStanding(_Model):
    """One line of the payee's statement: to date, and projected."""

    component: str
    label: str
    kind: str
    #: None when the line appears only on the other statement.
    to_date: Amount | None
    projected: Amount | None


class PayeeStanding(_Model):
    """One payee part-way through the period."""

    payee: str
    payee_name: str | None
    #: The payee's own elapsed share (their active days only).
    proration: Proration
    measures: list[MeasureStanding]
    #: Attainment to date of the report's primary measure (None without a target).
    attainment: Amount | None
    #: The distribution bucket of ``attainment``.
    bucket: str | None
    #: What the plan pays on the lines to date, in the plan currency.
    payout_to_date: Amount
    #: A projection: what the plan would pay if the period ended at the current pace.
    projected_payout: Amount | None
    components: list[ComponentStanding]
    #: Balances carried (plans with draws, holdbacks …): opening as of the end
    #: of the last completed period, closing as if the period ended on the date.
    balances: list[Balance] = Field(default_factory=list)
    #: Why the payee's share differs from the team's, if it does.
    note: str | None = None


class Bucket(_Model):
    """Payees whose attainment to date is at least ``lower`` and below ``upper``."""

    label: str
    lower: Amount | None
    upper: Amount | None
    count: int
    payees: list[str]


class WeekStanding(_Model):
    """One week of the period (Monday to Sunday, cut to the period) for the team."""

    start: date
    end: date
    #: The team's target for the week: each payee's target spread over their
    #: active days in the period, on the report's basis (calendar or working days).
    target: Amount
    #: The target from the period's start through the week's end.
    target_cumulative: Amount
    #: The primary measure on the week's lines (through the report's date);
    #: None for a week that starts after it.
    actual: Amount | None
    actual_cumulative: Amount | None


class TeamStanding(_Model):
    """The primary measure summed over the team's payees."""

    measure: str
    value: Amount
    target: Amount
    target_to_date: Amount
    attainment: Amount | None
    pace: Amount | None
    #: The period's target over its days, on average: the team's target per
    #: day (calendar or working day, as the report's proration says). The
    #: weeks spread each payee's target over their own active days, so a
    #: week's target differs from 7 × this when someone joins or leaves.
    target_per_day: Amount | None = None
    #: The weekly breakdown of the period's target, and what each week measured.
    weeks: list[WeekStanding] = Field(default_factory=list)


class Totals(_Model):
    """Payout across the team, and its cost as a share of sales."""

    payout_to_date: Amount
    #: A projection (see :class:`Projection`).
    projected_payout: Amount | None
    #: The measure taken as sales (None if the plan has no money measure to use).
    sales_measure: str | None
    sales_to_date: Amount | None
    #: Sales of the projection run.
    projected_sales: Amount | None
    #: payout to date ÷ sales to date.
    cost_share_to_date: Amount | None
    #: projected payout ÷ projected sales.
    cost_share_projected: Amount | None


class Projection(_Model):
    """How the projected figures were made."""

    #: The team's pace factor, period days ÷ elapsed days, as an exact fraction ("31/12").
    factor: str | None
    #: The method, in words.
    text: str


class StandingReport(_Model):
    """Where the team stands in a pay period on a date."""

    plan: PlanInfo
    engine: str
    as_of: date
    period: str
    start: date
    end: date
    #: The plan currency: every amount of the report is in it.
    currency: str
    proration: Proration
    lines: LineCount
    measures: list[MeasureInfo]
    #: The measure attainment is taken from (the first the plan compares with a quota).
    primary: str | None
    payees: list[PayeeStanding]
    #: The plan's rankings, to date (empty if the plan ranks nobody).
    leaderboards: list[Leaderboard]
    distribution: list[Bucket]
    #: Payees without an attainment to date (no target, or no day elapsed yet).
    without_attainment: list[str]
    team: TeamStanding | None
    totals: Totals
    projection: Projection
    #: How the figures were made, in sentences for the reader.
    notes: list[str]
