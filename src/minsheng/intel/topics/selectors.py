"""Reads for the hot-topic dashboard: a unit's latest run, shown only through what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from minsheng.intel.topics.models import HotTopic, HotTopicMember, RunStatus, TopicRun
from minsheng.orgs.models import User
from minsheng.petitions.access import petitions_visible_to
from minsheng.petitions.models import Petition


@dataclass
class TopicView:
    topic: HotTopic
    examples: list[Petition]
    more: int  # members beyond the examples that the user may open


@dataclass
class Dashboard:
    run: TopicRun | None
    waiting: TopicRun | None
    failed: TopicRun | None
    topics: list[TopicView] = field(default_factory=list)
    chart: dict[str, Any] = field(default_factory=dict)


def dashboard_for(user: User, *, chart_topics: int = 10) -> Dashboard:
    if user.unit_id is None:
        return Dashboard(run=None, waiting=None, failed=None)
    runs = TopicRun.objects.filter(unit_id=user.unit_id)
    run = runs.filter(status=RunStatus.DONE).order_by("-finished_at", "-id").first()
    latest = runs.order_by("-requested_at", "-id").first()
    waiting = latest if latest and latest.status in {RunStatus.PENDING, RunStatus.RUNNING} else None
    failed = latest if latest and latest.status == RunStatus.FAILED else None
    board = Dashboard(run=run, waiting=waiting, failed=failed)
    if run is None:
        return board
    visible = petitions_visible_to(user)
    examples = HotTopicMember.objects.filter(example__isnull=False, petition__in=visible).select_related("petition")
    topics = run.topics.prefetch_related(
        Prefetch("members", queryset=examples.order_by("example"), to_attr="shown")
    ).order_by("rank")
    for topic in topics:
        shown = [m.petition for m in topic.shown]  # type: ignore[attr-defined]
        board.topics.append(TopicView(topic=topic, examples=shown, more=max(topic.size - len(shown), 0)))
    months = sorted({month for view in board.topics[:chart_topics] for month in view.topic.monthly})
    board.chart = {
        "months": months,
        "series": [
            {
                "name": " ".join(
                    [f"#{view.topic.rank}", *(p["name"] for p in view.topic.places[:1]), *view.topic.keywords[:2]]
                ),
                "data": [view.topic.monthly.get(month, 0) for month in months],
            }
            for view in board.topics[:chart_topics]
        ],
    }
    return board
