"""The working-day calendar read from the database, and the service admins use to change it.

A change to the holidays of a year recomputes every open deadline (a task queued on commit), so
no date shown anywhere rests on a calendar that is no longer true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.errors import ValidationError
from minsheng.core.tasks import enqueue
from minsheng.workflow.models import CalendarDay, CalendarYear
from minsheng.workflow.periods import WorkCalendar

# A batch job (the demo's replay) may hold the calendar for its whole run; nothing else caches it.
_batch_cache: ContextVar[dict[tuple[int, int], WorkCalendar] | None] = ContextVar("work_calendar_cache", default=None)


@contextmanager
def calendar_held() -> Iterator[None]:
    """Read each span of the calendar once within the block (for batch jobs that change no holidays)."""
    token = _batch_cache.set({})
    try:
        yield
    finally:
        _batch_cache.reset(token)


def work_calendar(first_year: int, last_year: int) -> WorkCalendar:
    """The calendar of [first_year, last_year] (two queries)."""
    cache = _batch_cache.get()
    if cache is not None:
        if (first_year, last_year) not in cache:
            cache[(first_year, last_year)] = _read_calendar(first_year, last_year)
        return cache[(first_year, last_year)]
    return _read_calendar(first_year, last_year)


def _read_calendar(first_year: int, last_year: int) -> WorkCalendar:
    published = frozenset(
        CalendarYear.objects.filter(year__gte=first_year, year__lte=last_year).values_list("year", flat=True)
    )
    overrides = dict(
        CalendarDay.objects.filter(date__year__gte=first_year, date__year__lte=last_year).values_list(
            "date", "is_working"
        )
    )
    return WorkCalendar(overrides=overrides, published=published)


def work_calendar_around(day: dt.date, *, years_after: int = 1) -> WorkCalendar:
    """Enough calendar to count any statutory period (at most a few months) from `day`."""
    return work_calendar(day.year, day.year + years_after)


def calendar_year_set(
    *,
    actor: Actor,
    year: int,
    days: Sequence[tuple[dt.date, bool, str]],
    note: str = "",
    source: str = CalendarYear.Source.ADMIN,
) -> CalendarYear:
    """Publish (or replace) the holiday arrangement of `year`: its days off and worked weekends."""
    actor.require_role("admin")
    errors: list[str] = []
    if not 2000 <= year <= 2100:
        errors.append(_("年份不正确。"))
    seen: set[dt.date] = set()
    for day, _working, _name in days:
        if day.year != year:
            errors.append(_("%(day)s 不属于 %(year)s 年。") % {"day": day.isoformat(), "year": year})
        if day in seen:
            errors.append(_("%(day)s 重复。") % {"day": day.isoformat()})
        seen.add(day)
    if errors:
        raise ValidationError({"days": errors})
    with transaction.atomic():
        row, _created = CalendarYear.objects.update_or_create(year=year, defaults={"note": note, "source": source})
        CalendarDay.objects.filter(year=row).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(year=row, date=day, is_working=working, name=name[:40]) for day, working, name in days]
        )
        calendar_changed(actor=actor, years=[year])
    return row


def calendar_changed(*, actor: Actor, years: Iterable[int]) -> None:
    """Record a change of the holiday table and recompute the open deadlines once it commits."""
    from minsheng.workflow.tasks import deadlines_recompute_task

    changed = sorted(set(years))
    audit_append(actor=actor, action="calendar.change", object_type="calendar_year", data={"years": changed})
    enqueue(deadlines_recompute_task, changed)
