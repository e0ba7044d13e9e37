"""The workflow's scheduled jobs."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.workflow.engine import Ctx, TransitionRefused, execute
from minsheng.workflow.models import (
    Closure,
)
from minsheng.workflow.states import Status
from minsheng.workflow.steps import Step


def cases_conclude_lapsed(*, today: dt.date | None = None) -> int:
    """Close every decided case whose review or re-review window closed unused (the daily job)."""
    from minsheng.workflow.models import Deadline, DeadlineStatus

    today = today or timezone.localdate()
    lapsed = Deadline.objects.filter(
        status=DeadlineStatus.OPEN,
        step__in=[Step.REVIEW_REQUEST, Step.REREVIEW_REQUEST],
        due__lt=today,
        petition__status__in=[Status.DECIDED, Status.REVIEWED],
    ).values_list("petition_id", flat=True)
    closed = 0
    for petition_id in sorted(set(lapsed)):
        try:
            with transaction.atomic():
                execute(actor=Actor.system("daily"), petition=petition_id, action="conclude", apply=_system_conclude)
        except (TransitionRefused, ValidationError):
            continue
        closed += 1
    return closed


def _system_conclude(ctx: Ctx) -> None:
    ctx.case.closure = Closure.NO_REVIEW
    ctx.case.closed_at = ctx.now
