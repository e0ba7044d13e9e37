"""The daily job: lapsed review windows close their cases, failed notices are retried, and
provisional deadlines are settled once their year is published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from minsheng.workflow.models import Case, Closure, Deadline
from minsheng.workflow.tasks import workflow_daily_task

pytestmark = pytest.mark.django_db


def test_the_daily_job_closes_lapsed_cases_and_settles_provisional_deadlines(flow: Any, clock: Any) -> None:
    decided = flow.decided(delivered_on=dt.date(2026, 3, 2))
    clock.to("2026-12-20")
    late = flow.registered()
    assert Deadline.objects.get(petition=late, step="triage").provisional
    from minsheng.workflow.models import CalendarYear

    CalendarYear.objects.create(year=2027, source="admin")  # published without the recompute hook
    workflow_daily_task.call_local()
    assert Case.objects.get(petition=decided).closure == Closure.NO_REVIEW
    assert not Deadline.objects.get(petition=late, step="triage").provisional
