"""Deadline arithmetic (CC Art. 201, 203; DESIGN.md "Counting periods") over the real holiday
calendar: Spring Festival, National Day, adjusted working weekends and the 2026 → 2027 boundary."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.workflow.periods import Period, WorkCalendar, period_end
from minsheng.workflow.seed import calendar_rows

D = dt.date
ROWS = calendar_rows()
CALENDAR = WorkCalendar(
    overrides={day: working for rows in ROWS.values() for day, working, _name in rows},
    published=frozenset(ROWS),
)
LAST_PUBLISHED = max(ROWS)  # 2026: chinese-calendar raises for later years

# Dates the rules are most likely to get wrong: around each Spring Festival and National Day,
# and across the end of the last published year.
ANCHORS = sorted(
    {min(d for d, n in chinese_calendar.holidays.items() if n == "Spring Festival" and d.year == y) for y in ROWS}
    | {D(y, 10, 1) for y in ROWS}
    | {D(LAST_PUBLISHED, 12, 31)}
)
near_holidays = st.builds(
    lambda anchor, offset: max(anchor + dt.timedelta(days=offset), D(2004, 1, 1)),
    st.sampled_from(ANCHORS),
    st.integers(-45, 10),
)
any_day = st.dates(min_value=D(2004, 1, 1), max_value=D(2027, 6, 30))
start_days = st.one_of(near_holidays, any_day)
lengths = st.integers(min_value=1, max_value=90)


def oracle_is_working(day: dt.date) -> bool:
    """chinese-calendar itself for published years, Monday–Friday after them."""
    if day.year > LAST_PUBLISHED:
        return day.weekday() < 5
    return chinese_calendar.is_workday(day)


# --- Worked examples (one per rule) ---------------------------------------------------------------


def test_the_trigger_day_is_not_counted_cc_art_201() -> None:
    # The example of DESIGN.md: received 2026-11-29, 15 days (R22 Art. 22).
    end = period_end(Period(start=D(2026, 11, 29), length=15), CALENDAR)
    assert end.due == D(2026, 12, 14) and not end.rolled and not end.provisional


def test_a_last_day_on_a_weekend_moves_to_the_next_working_day_cc_art_203() -> None:
    end = period_end(Period(start=D(2026, 11, 13), length=15), CALENDAR)  # 2026-11-28 is a Saturday
    assert end.counted_end == D(2026, 11, 28) and end.due == D(2026, 11, 30)


def test_a_last_day_in_the_spring_festival_moves_past_the_holiday_cc_art_203() -> None:
    # 2026 Spring Festival: 15–23 February off; 14 and 28 February (Saturdays) are worked.
    end = period_end(Period(start=D(2026, 1, 24), length=25), CALENDAR)
    assert end.counted_end == D(2026, 2, 18) and end.due == D(2026, 2, 24)


def test_a_last_day_on_an_adjusted_working_saturday_does_not_move() -> None:
    end = period_end(Period(start=D(2026, 2, 13), length=15), CALENDAR)
    assert end.due == end.counted_end == D(2026, 2, 28)  # a Saturday, but worked (调休)


def test_the_roll_forward_is_a_per_policy_switch() -> None:
    end = period_end(Period(start=D(2026, 1, 24), length=25, roll_forward=False), CALENDAR)
    assert end.due == D(2026, 2, 18)


def test_working_days_skip_national_day_and_count_the_adjusted_weekends() -> None:
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked.
    end = period_end(Period(start=D(2025, 9, 26), length=5, working_days=True), CALENDAR)
    # 28 Sep (worked Sunday), 29, 30 Sep, then 9, 10 Oct
    assert end.due == D(2025, 10, 10)


def test_an_extension_lengthens_the_period_and_the_extended_end_rolls_r22_art_34() -> None:
    extended = period_end(Period(start=D(2026, 1, 5), length=60, extension=30), CALENDAR)
    assert extended == period_end(Period(start=D(2026, 1, 5), length=90), CALENDAR)
    assert extended.counted_end == D(2026, 4, 5) and extended.due == D(2026, 4, 7)  # Qingming 4–6 April


def test_hearing_days_are_not_counted_r22_art_36() -> None:
    plain = period_end(Period(start=D(2026, 3, 2), length=30), CALENDAR)
    paused = period_end(Period(start=D(2026, 3, 2), length=30, pauses=((D(2026, 3, 11), D(2026, 3, 20)),)), CALENDAR)
    assert paused.paused_days == 10 and paused.counted_end == plain.counted_end + dt.timedelta(days=10)


def test_a_period_reaching_into_an_unpublished_year_is_provisional() -> None:
    end = period_end(Period(start=D(2026, 12, 20), length=15), CALENDAR)
    assert end.due == D(2027, 1, 4) and end.provisional  # 2027's New Year holiday is not yet known
    working = period_end(Period(start=D(2026, 12, 20), length=15, working_days=True), CALENDAR)
    assert working.provisional and working.due.year == 2027
    inside = period_end(Period(start=D(2026, 11, 1), length=15, working_days=True), CALENDAR)
    assert not inside.provisional


def test_an_unpublished_year_counts_monday_to_friday() -> None:
    end = period_end(Period(start=D(2027, 1, 29), length=5, working_days=True), CALENDAR)
    assert end.due == D(2027, 2, 5) and end.provisional


@pytest.mark.parametrize("length", [0, -1])
def test_a_period_lasts_at_least_one_day(length: int) -> None:
    with pytest.raises(ValueError):
        Period(start=D(2026, 1, 1), length=length)


# --- Properties ---------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(start=start_days, length=lengths, extension=st.integers(0, 60))
def test_calendar_day_periods_end_on_the_first_working_day_on_or_after_the_counted_end(
    start: dt.date, length: int, extension: int
) -> None:
    end = period_end(Period(start=start, length=length, extension=extension), CALENDAR)
    assert end.counted_end == start + dt.timedelta(days=length + extension)
    assert oracle_is_working(end.due)
    day = end.counted_end
    while day < end.due:
        assert not oracle_is_working(day)
        day += dt.timedelta(days=1)
    assert end.provisional == (end.due.year > LAST_PUBLISHED)


@settings(max_examples=300, deadline=None)
@given(start=start_days, length=lengths)
def test_without_the_roll_forward_a_calendar_period_is_plain_date_arithmetic(start: dt.date, length: int) -> None:
    end = period_end(Period(start=start, length=length, roll_forward=False), CALENDAR)
    assert end.due == start + dt.timedelta(days=length) and not end.provisional


@settings(max_examples=400, deadline=None)
@given(start=start_days, length=st.integers(1, 30))
def test_working_day_periods_count_exactly_their_length_of_working_days(start: dt.date, length: int) -> None:
    end = period_end(Period(start=start, length=length, working_days=True), CALENDAR)
    assert oracle_is_working(end.due)
    counted = sum(oracle_is_working(start + dt.timedelta(days=i)) for i in range(1, (end.due - start).days + 1))
    assert counted == length
    assert end.provisional == (end.due.year > LAST_PUBLISHED)


@settings(max_examples=300, deadline=None)
@given(start=start_days, length=lengths, extension=st.integers(0, 60), working=st.booleans())
def test_an_extension_is_the_same_as_a_longer_period(
    start: dt.date, length: int, extension: int, working: bool
) -> None:
    extended = period_end(Period(start=start, length=length, extension=extension, working_days=working), CALENDAR)
    longer = period_end(Period(start=start, length=length + extension, working_days=working), CALENDAR)
    assert extended == longer


@settings(max_examples=300, deadline=None)
@given(start=start_days, length=lengths, working=st.booleans())
def test_a_longer_period_never_ends_earlier(start: dt.date, length: int, working: bool) -> None:
    shorter = period_end(Period(start=start, length=length, working_days=working), CALENDAR)
    longer = period_end(Period(start=start, length=length + 1, working_days=working), CALENDAR)
    assert longer.due >= shorter.due
    if working:
        assert longer.due > shorter.due


@settings(max_examples=300, deadline=None)
@given(start=start_days, length=lengths, first=st.integers(1, 40), days=st.integers(1, 20))
def test_paused_days_push_the_counted_end_by_exactly_the_days_paused_inside_the_period(
    start: dt.date, length: int, first: int, days: int
) -> None:
    pause = (start + dt.timedelta(days=first), start + dt.timedelta(days=first + days - 1))
    plain = period_end(Period(start=start, length=length, roll_forward=False), CALENDAR)
    paused = period_end(Period(start=start, length=length, roll_forward=False, pauses=(pause,)), CALENDAR)
    assert paused.counted_end == plain.counted_end + dt.timedelta(days=paused.paused_days)
    assert paused.paused_days == (days if first <= length else 0)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=D(2026, 11, 1), max_value=D(2027, 2, 28)), length=st.integers(1, 40))
def test_across_the_2026_to_2027_boundary_only_unpublished_dates_are_provisional(day: dt.date, length: int) -> None:
    end = period_end(Period(start=day, length=length, working_days=True), CALENDAR)
    assert end.provisional == (end.due.year >= 2027)
