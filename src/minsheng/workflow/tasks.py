"""Background work of the workflow (Huey): thin wrappers over services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from minsheng.workflow.deadlines import deadlines_recompute
from minsheng.workflow.notices import notice_deliver, notices_retry


@db_task()
def notice_deliver_task(notice_id: int) -> None:
    notice_deliver(notice_id)


@db_task()
def deadlines_recompute_task(years: list[int] | None) -> None:
    deadlines_recompute(years=years)


@db_periodic_task(crontab(hour="1", minute="10"))
def workflow_daily_task() -> None:
    """Once a day: close cases whose review window ran out unused, retry failed notices, and
    recompute provisional deadlines (a year's holidays may have been published since)."""
    from minsheng.workflow.services import cases_conclude_lapsed

    cases_conclude_lapsed()
    notices_retry()
    deadlines_recompute(years=[])
