"""Counting statutory periods over China's working-day calendar. Pure functions, no database.

The rules (DESIGN.md "Counting periods"; Civil Code Art. 201, 203):

* the day of the triggering event is not counted: counting starts the next day (CC Art. 201);
* a period in days ends at 24:00 of its last day (CC Art. 203 ¶2), so a deadline is a date;
* a calendar-day period whose last day is not a working day (a weekend that is not an adjusted
  working day 调休, or a holiday) ends on the next working day (CC Art. 203 ¶1) — a per-policy
  switch, `roll_forward`;
* an extension lengthens the period itself (60 + 30 days from acceptance), and the roll-forward
  applies to the extended end;
* working-day periods (工作日) skip weekends and holidays but count adjusted working weekends;
* days in a pause (a hearing, R22 Art. 36 ¶2) are not counted at all.

A year whose holidays are not yet published falls back to Monday–Friday; a result that depended
on such a year is `provisional` and is recomputed when the year is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)
# Longest run of non-working days we accept before calling the calendar broken (the longest real
# one, Spring Festival plus weekends, is under two weeks).
MAX_NON_WORKING_RUN = 60


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: weekday rule plus the published exceptions of each year.

    `overrides` maps a date to True (an adjusted working day, usually a weekend) or False (a day
    off: a holiday or a day in lieu); `published` lists the years whose exceptions are known.
    """

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    published: frozenset[int] = frozenset()

    def is_published(self, year: int) -> bool:
        return year in self.published

    def is_working(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override
        return day.weekday() < 5

    def next_working(self, day: dt.date) -> dt.date:
        """`day` itself when it is worked, else the first working day after it."""
        for _ in range(MAX_NON_WORKING_RUN):
            if self.is_working(day):
                return day
            day += ONE_DAY
        raise ValueError(f"no working day within {MAX_NON_WORKING_RUN} days of {day}: check the holiday table")

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days in [first, last], both included."""
        count, day = 0, first
        while day <= last:
            count += self.is_working(day)
            day += ONE_DAY
        return count


@dataclass(frozen=True)
class Period:
    """A period to count: `length` (+ `extension`) days after the trigger day `start`."""

    start: dt.date
    length: int
    working_days: bool = False
    extension: int = 0
    roll_forward: bool = True
    # Inclusive ranges of days that are not counted (hearing time, R22 Art. 36 ¶2).
    pauses: tuple[tuple[dt.date, dt.date], ...] = ()

    def __post_init__(self) -> None:
        if self.length < 1:
            raise ValueError("a period lasts at least one day")
        if self.extension < 0:
            raise ValueError("an extension cannot shorten a period")
        for first, last in self.pauses:
            if last < first:
                raise ValueError("a pause ends before it starts")


@dataclass(frozen=True)
class PeriodEnd:
    """The last day of a period and how it was reached."""

    due: dt.date
    # The last counted day before any roll-forward (== due when nothing rolled).
    counted_end: dt.date
    provisional: bool
    paused_days: int

    @property
    def rolled(self) -> bool:
        return self.due != self.counted_end


def _paused(day: dt.date, pauses: Iterable[tuple[dt.date, dt.date]]) -> bool:
    return any(first <= day <= last for first, last in pauses)


def period_end(period: Period, calendar: WorkCalendar) -> PeriodEnd:
    """The last day of `period` (it ends at 24:00 of that day)."""
    need = period.length + period.extension
    day, counted, paused, provisional = period.start, 0, 0, False
    while counted < need:
        day += ONE_DAY
        if _paused(day, period.pauses):
            paused += 1
            continue
        if period.working_days:
            provisional |= not calendar.is_published(day.year)
            if not calendar.is_working(day):
                continue
        counted += 1
    counted_end = due = day
    if not period.working_days and period.roll_forward:
        # CC Art. 203: a last day that is not worked moves to the next working day. Whether the
        # last day is worked is only known for a published year.
        provisional |= not calendar.is_published(due.year)
        due = calendar.next_working(due)
        provisional |= not calendar.is_published(due.year)
    return PeriodEnd(due=due, counted_end=counted_end, provisional=provisional, paused_days=paused)
