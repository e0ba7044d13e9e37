"""The working-day calendar as data: seeded from chinese-calendar, extended by admins, and every
open deadline recomputed (with its derivation) when the holidays change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from minsheng.core.errors import NotAllowed
from minsheng.workflow import services as wf
from minsheng.workflow.deadlines import derivation
from minsheng.workflow.models import CalendarDay, CalendarYear, Deadline, DeadlineStatus
from minsheng.workflow.tests.conftest import staff
from minsheng.workflow.workdays import calendar_year_set, work_calendar

pytestmark = pytest.mark.django_db
D = dt.date

# The State Council's 2027 arrangement is not in chinese-calendar; this is a plausible one for the
# tests (New Year's Day on a Friday; Spring Festival 5–11 February with two worked Sundays).
YEAR_2027 = [
    (D(2027, 1, 1), False, "元旦"),
    (D(2027, 2, 5), False, "春节"),
    (D(2027, 2, 6), False, "春节"),
    (D(2027, 2, 7), False, "春节"),
    (D(2027, 2, 8), False, "春节"),
    (D(2027, 2, 9), False, "春节"),
    (D(2027, 2, 10), False, "春节"),
    (D(2027, 2, 11), False, "春节"),
    (D(2027, 1, 31), True, "春节调休上班"),
    (D(2027, 2, 20), True, "春节调休上班"),
]


def test_the_seeded_table_is_the_chinese_calendar_for_every_published_year() -> None:
    calendar = work_calendar(2004, 2026)
    assert calendar.published == frozenset(range(2004, 2027))
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert calendar.is_working(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_years_not_yet_published_count_monday_to_friday() -> None:
    calendar = work_calendar(2027, 2027)
    assert not calendar.is_published(2027)
    assert calendar.is_working(D(2027, 1, 1))  # a Friday: New Year's Day is not known yet
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 1))  # why the table, not the package, is the source


def test_publishing_a_year_recomputes_provisional_deadlines_with_their_derivation(
    flow: Any, clock: Any, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.to("2026-12-20")
    petition = flow.registered()
    triage = Deadline.objects.get(petition=petition, step="triage")
    assert triage.due == D(2027, 1, 4) and triage.provisional  # 2027-01-04 is a Monday
    clock.to("2026-12-22")
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_set(actor=staff(org.admin), year=2027, days=YEAR_2027, note="国办发明电〔2026〕X号")
    triage.refresh_from_db()
    assert triage.due == D(2027, 1, 4) and not triage.provisional and triage.recomputed_at is not None
    assert "暂定" not in derivation(triage)


def test_changing_the_holiday_table_recomputes_the_deadlines_of_open_cases(
    flow: Any, clock: Any, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clock.to("2026-11-29")
    open_case = flow.registered()
    closed_case = flow.registered(title="已经撤回的事项")
    wf.case_withdraw(actor=staff(org.registrar_a), petition=closed_case, reason="信访人撤回。")
    triage = Deadline.objects.get(petition=open_case, step="triage")
    met = Deadline.objects.get(petition=closed_case, step="triage")
    assert triage.due == met.due == D(2026, 12, 14)
    # An admin corrects 2026: 14 December becomes a day off (as if a holiday had been missed).
    days = [(d, working, name) for d, working, name in _year(2026)] + [(D(2026, 12, 14), False, "补休")]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_set(actor=staff(org.admin), year=2026, days=days)
    triage.refresh_from_db()
    met.refresh_from_db()
    assert triage.due == D(2026, 12, 15)
    assert derivation(triage) == (
        "2026-12-15 = 收到 2026-11-29 + 15日（R22 第二十二条）；2026-12-14非工作日，顺延至2026-12-15（民法典第二百零三条）"
    )
    assert met.due == D(2026, 12, 14) and met.status == DeadlineStatus.CANCELLED  # history is not rewritten
    event = open_case.events.get(action="deadline_recompute")
    assert event.changes == {"triage": ["2026-12-14", "2026-12-15"]}
    assert not closed_case.events.filter(action="deadline_recompute").exists()


def _year(year: int) -> list[tuple[dt.date, bool, str]]:
    return [(day.date, day.is_working, day.name) for day in CalendarDay.objects.filter(year__year=year)]


def test_only_admins_change_the_holiday_table(org: Any) -> None:
    with pytest.raises(NotAllowed):
        calendar_year_set(actor=staff(org.registrar_a), year=2027, days=YEAR_2027)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_day_of_another_year_is_refused_and_nothing_changes(org: Any) -> None:
    with pytest.raises(DjangoValidationError) as raised:
        calendar_year_set(actor=staff(org.admin), year=2027, days=[(D(2028, 1, 1), False, "元旦")])
    assert "不属于 2027 年" in raised.value.message_dict["days"][0]
    assert not CalendarYear.objects.filter(year=2027).exists()
