"""periods: every day of the calendar has a period; one cut by the calendar's edge has no name."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incentives.periods import (
    Period,
    PeriodKind,
    PeriodScheme,
    PeriodTextError,
    calendar_period,
    parse_date,
    parse_period_label,
)

SCHEMES = [
    PeriodScheme(PeriodKind.WEEK),
    PeriodScheme(PeriodKind.TWO_WEEKS, date(2026, 1, 5)),
    PeriodScheme(PeriodKind.MONTH),
    PeriodScheme(PeriodKind.QUARTER),
    PeriodScheme(PeriodKind.YEAR),
]
IDS = [s.kind.value for s in SCHEMES]


@pytest.mark.parametrize("scheme", SCHEMES, ids=IDS)
@pytest.mark.parametrize("day", [date.min, date(1, 1, 14), date(9999, 12, 1), date.max])
def test_every_day_of_the_calendar_has_a_period(scheme: PeriodScheme, day: date) -> None:
    # December 9999 has no "first day of the next month"; that used to raise
    # "year 10000 is out of range" for any ledger line dated in it.
    period = scheme.period_of(day)
    assert period.contains(day)
    assert date.min <= period.start <= period.end <= date.max


@given(st.dates(), st.sampled_from(SCHEMES))
def test_periods_tile_the_calendar(day: date, scheme: PeriodScheme) -> None:
    period = scheme.period_of(day)
    assert period.contains(day)
    assert scheme.period_of(period.start) == period == scheme.period_of(period.end)
    if period.end < date.max:
        following = scheme.following(period)
        assert (following.start - period.end).days == 1


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        (PeriodKind.MONTH, date(9999, 12, 31), ("9999-12-01", "9999-12-31", "9999-12")),
        (PeriodKind.QUARTER, date(9999, 12, 31), ("9999-10-01", "9999-12-31", "9999-Q4")),
        # The ISO week of 9999-12-31 (a Friday) would end in the year 10000: cut.
        (PeriodKind.WEEK, date(9999, 12, 31), ("9999-12-27", "9999-12-31", "9999-W52")),
        (PeriodKind.MONTH, date(1, 1, 1), ("0001-01-01", "0001-01-31", "0001-01")),
        (PeriodKind.WEEK, date(1, 1, 1), ("0001-01-01", "0001-01-07", "0001-W01")),
        (PeriodKind.YEAR, date(42, 6, 1), ("0042-01-01", "0042-12-31", "0042")),
    ],
)
def test_edge_periods_are_cut_at_the_calendar_and_labelled_in_full(
    kind: PeriodKind, day: date, expected: tuple[str, str, str]
) -> None:
    period = calendar_period(kind, day)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == expected
    if kind is not PeriodKind.WEEK or day.year > 1:
        assert parse_period_label(period.label) == period


def test_two_week_periods_before_and_after_the_anchor_are_cut_too() -> None:
    scheme = PeriodScheme(PeriodKind.TWO_WEEKS, date(2026, 1, 5))
    first, last = scheme.period_of(date.min), scheme.period_of(date.max)
    assert first.start == date.min and first.label == "0001-01-01" and first.days <= 14
    assert last.end == date.max and last.days <= 14


@pytest.mark.parametrize(
    ("scheme", "text", "label"),
    [
        (PeriodScheme(PeriodKind.MONTH), "9999-12-31", "9999-12"),
        (PeriodScheme(PeriodKind.MONTH), "9999-12", "9999-12"),
        (PeriodScheme(PeriodKind.MONTH), "0001-01-01", "0001-01"),
        (PeriodScheme(PeriodKind.QUARTER), "9999-Q4", "9999-Q4"),
        (PeriodScheme(PeriodKind.QUARTER), "0001-01-01", "0001-Q1"),
        (PeriodScheme(PeriodKind.YEAR), "9999", "9999"),
        (PeriodScheme(PeriodKind.YEAR), "0001-01-01", "0001"),
        (PeriodScheme(PeriodKind.WEEK), "0001-W01", "0001-W01"),  # 0001-01-01 is a Monday
        (PeriodScheme(PeriodKind.TWO_WEEKS, date(2026, 1, 5)), "0001-01-01", "0001-01-01"),
    ],
)
def test_whole_edge_periods_can_be_named(scheme: PeriodScheme, text: str, label: str) -> None:
    # nothing a run needs lies outside them: the last month is run and reported on
    period = scheme.parse(text)
    assert period.label == label and scheme.is_whole(period)
    assert period.start == date.min or period.end == date.max


@pytest.mark.parametrize(
    ("scheme", "text", "message"),
    [
        (
            PeriodScheme(PeriodKind.WEEK),
            "9999-12-31",
            "`9999-12-31` is in 9999-W52, the last week of the calendar, which the calendar's "
            "end on 9999-12-31 cuts to 5 days",
        ),
        (
            PeriodScheme(PeriodKind.TWO_WEEKS, date(2026, 1, 5)),
            "9999-12-31",
            "`9999-12-31` is in 9999-12-27, the last two weeks of the calendar, which the "
            "calendar's end on 9999-12-31 cuts to 5 days",
        ),
        (
            PeriodScheme(PeriodKind.TWO_WEEKS, date(2026, 1, 6)),
            "0001-01-01",
            "`0001-01-01` is in 0001-01-01, the first two weeks of the calendar, which the "
            "calendar's start on 0001-01-01 cuts to 1 day",
        ),
    ],
)
def test_a_period_cut_by_the_calendars_edge_cannot_be_named(
    scheme: PeriodScheme, text: str, message: str
) -> None:
    with pytest.raises(PeriodTextError) as caught:
        scheme.parse(text)
    assert caught.value.message == (
        f"{message}: pay is computed for whole periods only (goals, proration and guarantees "
        "count a period's days)"
    )
    assert scheme.example_label() in caught.value.hint
    assert str(caught.value) == f"{caught.value.message}; {caught.value.hint}"


def test_the_periods_next_to_the_edges_can_be_named() -> None:
    month = PeriodScheme(PeriodKind.MONTH)
    assert month.parse("9999-11").end == date(9999, 11, 30)
    assert month.parse("0001-02").start == date(1, 2, 1)
    assert month.following(month.parse("9999-11")).label == "9999-12"


def test_there_is_no_period_after_the_last() -> None:
    month = PeriodScheme(PeriodKind.MONTH)
    with pytest.raises(ValueError, match="no month after 9999-12"):
        month.following(month.period_of(date.max))


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("2026-02-30", "`2026-02-30` is not a day of the calendar", "February 2026 has 28 days"),
        ("2026-13-01", "`2026-13-01` is not a day of the calendar", "months run from 01 to 12"),
        ("0000-01-01", "`0000-01-01` is not a day of the calendar", "years run from 0001"),
        ("2026/03/01", "`2026/03/01` is not a date", "write it as YYYY-MM-DD"),
    ],
)
def test_date_errors_split_message_and_hint(text: str, message: str, hint: str) -> None:
    with pytest.raises(PeriodTextError) as caught:
        parse_date(text)
    assert caught.value.message == message
    assert hint in caught.value.hint


def test_str_of_date_errors_is_unchanged_for_plan_authors() -> None:
    # The plan checker shows str(): "not a day of the calendar" stands alone.
    with pytest.raises(ValueError) as caught:
        parse_date("2026-02-30")
    assert str(caught.value) == "`2026-02-30` is not a day of the calendar"
    with pytest.raises(ValueError) as caught:
        parse_period_label("2026-13")
    assert str(caught.value) == (
        "`2026-13` is not a period; write a month as 2026-03, a quarter as 2026-Q1, "
        "an ISO week as 2026-W09 or a year as 2026"
    )


def test_period_is_still_a_value() -> None:
    p = PeriodScheme(PeriodKind.MONTH).parse("2026-02")
    assert p == Period(date(2026, 2, 1), date(2026, 2, 28), PeriodKind.MONTH, "2026-02")


@pytest.mark.parametrize(
    "text", ["２０２６-03-02", "2026-０３-02", "٢٠٢٦-03-02", "2026-03-0２", "２０２６-０３-０２"]
)
def test_dates_are_written_with_ascii_digits(text: str) -> None:
    # `\d` and int() take full-width and other scripts' digits; an amount
    # refuses them, so a date must too.
    with pytest.raises(PeriodTextError) as caught:
        parse_date(text)
    assert caught.value.message == f"`{text}` is not a date"
    assert caught.value.hint.startswith("write the digits as 0 to 9")


@pytest.mark.parametrize("scheme", SCHEMES, ids=IDS)
@pytest.mark.parametrize(
    "text", ["２０２６-03", "2026-Q１", "2026-W０9", "２０２６", "２０２６-01-05"]
)
def test_periods_are_written_with_ascii_digits(scheme: PeriodScheme, text: str) -> None:
    with pytest.raises(PeriodTextError):
        scheme.parse(text)
    with pytest.raises(PeriodTextError):
        parse_period_label(text)
