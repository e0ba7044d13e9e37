"""Hot-topic runs: requested by an analyst, mined in the worker, stored for the dashboard."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.errors import NotAllowed
from minsheng.core.tasks import enqueue
from minsheng.intel.topics.mining import mine
from minsheng.intel.topics.models import HotTopic, HotTopicMember, RunStatus, TopicRun
from minsheng.intel.topics.sources import messages_from_petitions
from minsheng.orgs.roles import Role
from minsheng.petitions.access import petitions_visible_to

log = logging.getLogger(__name__)

# Who sees the dashboard, and who may start a new computation.
VIEW_ROLES = (Role.ANALYST, Role.LEADER, Role.SUPERVISOR)
RUN_ROLES = (Role.ANALYST,)
TOPICS_STORED = 20
DEFAULT_DAYS = 0  # all petitions (the newest MAX_MESSAGES): imported history has old dates
# A run still pending after this long was lost (the worker stopped): a new one may start.
STALE_AFTER = dt.timedelta(hours=1)


def topic_run_request(*, actor: Actor, days: int = DEFAULT_DAYS) -> TopicRun:
    """Queue a new computation over what the analyst's unit may see; one at a time per unit."""
    unit = actor.user.unit if actor.user is not None else None
    if not actor.has_role(*RUN_ROLES) or actor.user is None or unit is None:
        raise NotAllowed(_("只有分析员可以重新计算热点。"))
    from minsheng.intel.topics.tasks import topic_run_task

    now = timezone.now()
    with transaction.atomic():
        waiting = (
            TopicRun.objects.select_for_update()
            .filter(
                unit=unit,
                status__in=[RunStatus.PENDING, RunStatus.RUNNING],
                requested_at__gte=now - STALE_AFTER,
            )
            .first()
        )
        if waiting is not None:
            return waiting
        run = TopicRun.objects.create(unit=unit, requested_by=actor.user, requested_at=now, days=days)
        audit_append(
            actor=actor,
            action="topics.run_request",
            object_type="topic_run",
            object_id=run.pk,
            data={"unit": unit.pk, "days": days},
        )
        enqueue(topic_run_task, run.pk)
    return run


def topic_run_execute(*, run_id: int) -> None:
    """Mine the topics of one queued run and store them (the worker calls this)."""
    now = timezone.now()
    # compare-and-set: of two workers given the same run, one runs it
    if not TopicRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, started_at=now
    ):
        return
    run = TopicRun.objects.select_related("requested_by__unit").get(pk=run_id)
    started = time.perf_counter()
    try:
        if run.requested_by is None:
            raise ValueError("the requester is gone")
        messages = messages_from_petitions(petitions_visible_to(run.requested_by), days=run.days or None)
        topics = mine(messages, top=TOPICS_STORED)
        with transaction.atomic():
            for topic in topics:
                row = HotTopic.objects.create(
                    run=run,
                    rank=topic.rank,
                    heat=topic.heat,
                    size=topic.size,
                    users=topic.users,
                    peak_30d=topic.peak_30d,
                    first_at=topic.first_at,
                    last_at=topic.last_at,
                    places=[{"name": name, "count": count} for name, count in topic.places],
                    keywords=topic.keywords,
                    monthly=dict(topic.monthly),
                )
                examples = {m.petition_id: order for order, m in enumerate(topic.examples, start=1)}
                HotTopicMember.objects.bulk_create(
                    HotTopicMember(topic=row, petition_id=m.petition_id, example=examples.get(m.petition_id))
                    for m in topic.members
                    if m.petition_id is not None
                )
            TopicRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                messages=len(messages),
                seconds=round(time.perf_counter() - started, 2),
            )
    except Exception as exc:  # a failed run is recorded and shown, never silently lost
        log.exception("hot-topic run %s failed", run_id)
        TopicRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )
