"""Pay periods and the calendar arithmetic behind targets and proration.

Contract: a :class:`Period` is a closed range of whole days with a kind and a
canonical label. Every date belongs to exactly one period of a
:class:`PeriodScheme`, and consecutive periods of a scheme tile the calendar
with no gap and no overlap. Labels:

=========== ================= ==========================================
kind        label             notes
=========== ================= ==========================================
week        ``2026-W09``      ISO 8601 weeks, Monday to Sunday
two_weeks   ``2026-01-05``    the start date; 14 days counted from the
                              plan's anchor date (before or after it)
month       ``2026-03``
quarter     ``2026-Q1``
year        ``2026``
=========== ================= ==========================================

Everything here is whole days and integers; no decimal arithmetic happens in
this module. Dates and labels are written with the ASCII digits 0 to 9 only:
``２０２６-03-02`` (full-width digits) is not a date, whatever ``int()`` would
make of it, and the error says which character is not a digit.

The calendar has edges: Python's dates run from 0001-01-01 to 9999-12-31.
:meth:`PeriodScheme.period_of` and :func:`calendar_period` are total on that
range: a period that would cross an edge (the ISO week holding 9999-12-31
runs into the year 10000) is cut at it, so a ledger line dated on any day of
the calendar belongs to a period and never raises. Such a *cut* period cannot
be named, though: :meth:`PeriodScheme.parse` refuses it (:meth:`~PeriodScheme.is_whole`),
since goals, proration and guarantees count a period's days, so a run is
always for whole periods. The first and last periods of the calendar are
named like any other when they are whole (every month, quarter and year, and
the ISO week 0001-W01): nothing a run needs lies outside them. There is no
period before the first or after the last, and the callers that look one
ahead or back do without it: a holdback due after the calendar's end stays
held, an opening state cannot lead into the first period, and a
report on it has no opening balances.

>>> scheme = PeriodScheme(PeriodKind.MONTH)
>>> p = scheme.parse("2026-02")
>>> p.start, p.end, p.days
(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), 28)
>>> scheme.parse("2026-02-14") == p
True
>>> PeriodScheme(PeriodKind.WEEK).period_of(date(2026, 1, 1)).label
'2026-W01'
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "Period",
    "PeriodKind",
    "PeriodScheme",
    "PeriodTextError",
    "calendar_period",
    "count_working_days",
    "months_between",
    "nested_count",
    "nested_index",
    "parse_date",
    "parse_period_label",
]

_DAY = timedelta(days=1)
_FIRST = date.min.toordinal()
_LAST = date.max.toordinal()


class PeriodTextError(ValueError):
    """Text that is not a date, or not a period of a scheme.

    ``message`` says what is wrong and ``hint`` what to write instead, for a
    data diagnostic; ``str()`` is the one-line form a plan author or an API
    caller sees (usually both, joined by ``;``).
    """

    def __init__(self, message: str, hint: str, *, joined: bool = True) -> None:
        super().__init__(f"{message}; {hint}" if joined else message)
        self.message = message
        self.hint = hint


class PeriodKind(enum.StrEnum):
    """The length of a pay period."""

    WEEK = "week"
    TWO_WEEKS = "two_weeks"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def noun(self) -> str:
        """How a person says it: "two weeks", "month"."""
        return "two weeks" if self is PeriodKind.TWO_WEEKS else self.value


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A closed range of days: ``start`` and ``end`` both belong to it."""

    start: date
    end: date
    kind: PeriodKind
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlap_days(self, start: date, end: date) -> int:
        """Days shared with the closed range ``[start, end]`` (0 if none)."""
        first = max(self.start, start)
        last = min(self.end, end)
        return max((last - first).days + 1, 0)

    def __str__(self) -> str:
        return self.label


# Digits are the ASCII 0 to 9 only: ``\d`` (and ``int()``) would also take
# the full-width ``２０２６`` or the Arabic-Indic ``٢٠٢٦``, which no amount
# accepts either (see :func:`_digits_hint`).
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_YEAR = re.compile(r"([0-9]{4})")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(text: str) -> date:
    """An ISO calendar date, ``YYYY-MM-DD`` exactly.

    Raises:
        PeriodTextError: naming the text and the expected form.

    >>> parse_date("2026-02-29")
    Traceback (most recent call last):
    ...
    incentives.periods.PeriodTextError: `2026-02-29` is not a day of the calendar
    """
    match = _DATE.fullmatch(text)
    if not match:
        raise PeriodTextError(
            f"`{text}` is not a date",
            _digits_hint(text) or "write it as YYYY-MM-DD, like 2026-03-31",
        )
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodTextError(
            f"`{text}` is not a day of the calendar", _calendar_hint(year, month), joined=False
        ) from None


def _digits_hint(text: str) -> str | None:
    """Advice for text written with digits other than 0 to 9 (None: it has none).

    >>> _digits_hint("２０２６-03")
    'write the digits as 0 to 9 (`２` is not one of them)'
    """
    for ch in text:
        if ch.isdigit() and not "0" <= ch <= "9":
            return f"write the digits as 0 to 9 (`{ch}` is not one of them)"
    return None


def _calendar_hint(year: int, month: int) -> str:
    if not 1 <= year <= 9999:
        return "years run from 0001 to 9999"
    if not 1 <= month <= 12:
        return "months run from 01 to 12; write the date as YYYY-MM-DD"
    days = calendar.monthrange(year, month)[1]
    return f"{_MONTH_NAMES[month - 1]} {year:04d} has {days} days"


# Not calendar.month_name, which follows the process's locale.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def calendar_period(kind: PeriodKind, day: date) -> Period:
    """The calendar week, month, quarter or year containing ``day``.

    The ISO week of 9999-12-31 ends on that day (cut at the calendar's edge).
    """
    if kind is PeriodKind.WEEK:
        iso = day.isocalendar()
        monday = day.toordinal() - (iso.weekday - 1)
        return _cut(monday, monday + 6, kind, f"{iso.year:04d}-W{iso.week:02d}")
    if kind is PeriodKind.MONTH:
        end = _month_end(day.year, day.month)
        return Period(day.replace(day=1), end, kind, f"{day.year:04d}-{day.month:02d}")
    if kind is PeriodKind.QUARTER:
        quarter = (day.month - 1) // 3 + 1
        start = date(day.year, 3 * quarter - 2, 1)
        end = _month_end(day.year, 3 * quarter)
        return Period(start, end, kind, f"{day.year:04d}-Q{quarter}")
    if kind is PeriodKind.YEAR:
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), kind, f"{day.year:04d}")
    raise ValueError("two-week periods need an anchor; use PeriodScheme")


def _month_end(year: int, month: int) -> date:
    # Never computes the first day of the next month: December 9999 has none.
    return date(year, month, calendar.monthrange(year, month)[1])


def _cut(first: int, last: int, kind: PeriodKind, label: str) -> Period:
    """The period of days ``first``..``last`` (ordinals), cut at the calendar's edges."""
    start = date.fromordinal(max(first, _FIRST))
    end = date.fromordinal(min(last, _LAST))
    return Period(start, end, kind, label)


def parse_period_label(text: str) -> Period:
    """A calendar period from its canonical label (not two-week periods).

    Raises:
        ValueError: if ``text`` is not one of the label forms.

    >>> parse_period_label("2026-Q2").start
    datetime.date(2026, 4, 1)
    """
    try:
        if m := _QUARTER.fullmatch(text):
            return calendar_period(PeriodKind.QUARTER, date(int(m[1]), 3 * int(m[2]) - 2, 1))
        if m := _WEEK.fullmatch(text):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return calendar_period(PeriodKind.WEEK, monday)
        if m := _MONTH.fullmatch(text):
            return calendar_period(PeriodKind.MONTH, date(int(m[1]), int(m[2]), 1))
        if m := _YEAR.fullmatch(text):
            return calendar_period(PeriodKind.YEAR, date(int(m[1]), 1, 1))
    except ValueError:
        pass
    raise PeriodTextError(
        f"`{text}` is not a period",
        _digits_hint(text)
        or "write a month as 2026-03, a quarter as 2026-Q1, an ISO week as 2026-W09 "
        "or a year as 2026",
    )


@dataclass(frozen=True, slots=True)
class PeriodScheme:
    """How a plan cuts time into pay periods."""

    kind: PeriodKind
    #: The first day of one two-week period; required for ``TWO_WEEKS`` only.
    anchor: date | None = None

    def __post_init__(self) -> None:
        if (self.kind is PeriodKind.TWO_WEEKS) != (self.anchor is not None):
            raise ValueError("an anchor date is required for two-week periods, and only there")

    def period_of(self, day: date) -> Period:
        """The pay period that ``day`` belongs to (cut at the calendar's edges)."""
        if self.kind is PeriodKind.TWO_WEEKS:
            assert self.anchor is not None
            anchor = self.anchor.toordinal()
            first = anchor + 14 * ((day.toordinal() - anchor) // 14)
            period = _cut(first, first + 13, self.kind, "")
            return Period(period.start, period.end, self.kind, period.start.isoformat())
        return calendar_period(self.kind, day)

    def parse(self, text: str, *, expected: str | None = None) -> Period:
        """A pay period from its label, or the period containing a date.

        ``expected`` says why a label of another kind is wrong, after "`2026-03`
        is a month, but …": by default "this plan pays by quarter"; the quotas
        table, whose periods are the goal's, says so instead.

        Raises:
            PeriodTextError: if ``text`` is neither, names a period of another
                kind, or names a period cut short by the calendar's edge.
        """
        if _DATE.fullmatch(text):
            period = self.period_of(parse_date(text))
        elif self.kind is PeriodKind.TWO_WEEKS:
            raise PeriodTextError(
                f"`{text}` is not a two-week period",
                _digits_hint(text) or "name it by a date inside it, like 2026-01-05",
            )
        else:
            period = parse_period_label(text)
            if period.kind is not self.kind:
                reason = expected or f"this plan pays by {self.kind.noun}"
                raise PeriodTextError(
                    f"`{text}` is a {period.kind.noun}, but {reason}",
                    f"name a {self.kind.noun} such as {self.example_label()}",
                )
        if not self.is_whole(period):
            first = period.start == date.min
            raise PeriodTextError(
                f"`{text}` is in {period.label}, the {'first' if first else 'last'} "
                f"{self.kind.noun} of the calendar, which the calendar's "
                f"{'start on 0001-01-01' if first else 'end on 9999-12-31'} cuts to "
                f"{period.days} day{'s' if period.days != 1 else ''}: pay is computed for "
                "whole periods only (goals, proration and guarantees count a period's days)",
                f"name a {self.kind.noun} inside the calendar, such as {self.example_label()}",
            )
        return period

    def is_whole(self, period: Period) -> bool:
        """Whether ``period`` has all its days (is not cut at the calendar's edge).

        Months, quarters and years are always whole; the ISO week of
        9999-12-31 and two-week periods at either edge may be cut.
        """
        full = {PeriodKind.WEEK: 7, PeriodKind.TWO_WEEKS: 14}.get(period.kind)
        return full is None or period.days == full

    def example_label(self) -> str:
        return self.period_of(date(2026, 3, 2)).label

    def following(self, period: Period) -> Period:
        """The next pay period.

        Raises:
            ValueError: if ``period`` is the last one of the calendar.
        """
        if period.end == date.max:
            raise ValueError(f"there is no {self.kind.noun} after {period}: the calendar ends")
        return self.period_of(period.end + _DAY)

    def span(self, first: Period, last: Period) -> list[Period]:
        """Consecutive periods from ``first`` to ``last`` inclusive.

        Raises:
            ValueError: if ``last`` starts before ``first``.
        """
        if last.start < first.start:
            raise ValueError(f"the range ends ({last}) before it starts ({first})")
        periods = [first]
        while periods[-1].start < last.start:
            periods.append(self.following(periods[-1]))
        return periods


def nested_count(inner: PeriodKind, outer: PeriodKind) -> int | None:
    """How many ``inner`` periods tile one ``outer`` period, or None if they don't nest.

    >>> nested_count(PeriodKind.MONTH, PeriodKind.QUARTER)
    3
    >>> nested_count(PeriodKind.WEEK, PeriodKind.MONTH) is None
    True
    """
    table = {
        (PeriodKind.MONTH, PeriodKind.QUARTER): 3,
        (PeriodKind.MONTH, PeriodKind.YEAR): 12,
        (PeriodKind.QUARTER, PeriodKind.YEAR): 4,
    }
    if inner is outer:
        return 1
    return table.get((inner, outer))


def nested_index(inner: Period, outer: Period) -> int:
    """0-based position of a nested ``inner`` period inside ``outer``."""
    if inner.kind is PeriodKind.MONTH:
        return months_between(outer.start, inner.start)
    if inner.kind is PeriodKind.QUARTER:
        return months_between(outer.start, inner.start) // 3
    return 0


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from the month of ``earlier`` to that of ``later``."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def count_working_days(start: date, end: date, holidays: frozenset[date]) -> int:
    """Monday-to-Friday days in ``[start, end]`` that are not holidays."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(rest):
        if (start + timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    count -= sum(1 for h in holidays if start <= h <= end and h.weekday() < 5)
    return count
