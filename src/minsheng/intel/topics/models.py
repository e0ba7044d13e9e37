"""Stored hot-topic runs: mined in the worker, read by the dashboard (fast, and within a scope).

A run is mined over the petitions visible to the staff of one unit (the requester's: visibility
depends on the unit alone), so every figure in it (size, places, keywords) comes only from what
that unit may see; the page shows a unit's latest finished run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit
from minsheng.petitions.models import Petition


class RunStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class TopicRun(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("范围单位"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("请求时间"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    days = models.PositiveIntegerField(_("统计天数"), default=0)
    messages = models.PositiveIntegerField(_("信访事项数"), default=0)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("热点计算")
        verbose_name_plural = _("热点计算")
        indexes = [
            # the dashboard: a unit's latest runs
            models.Index(fields=["unit", "status", "-finished_at"], name="topicrun_unit_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"


class HotTopic(models.Model):
    run = models.ForeignKey(TopicRun, on_delete=models.CASCADE, related_name="topics")
    rank = models.PositiveSmallIntegerField(_("排名"))
    heat = models.FloatField(_("热度"))
    size = models.PositiveIntegerField(_("件数"))
    users = models.PositiveIntegerField(_("人数"))
    peak_30d = models.PositiveIntegerField(_("30日内最多"))
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    places = models.JSONField(default=list)  # [{"name": "A5区", "count": 12}, ...]
    keywords = models.JSONField(default=list)
    monthly = models.JSONField(default=dict)  # {"2019-07": 4, ...}
    petitions = models.ManyToManyField(Petition, through="HotTopicMember", related_name="+")

    class Meta:
        ordering = ["run", "rank"]
        verbose_name = _("热点")
        verbose_name_plural = _("热点")
        constraints = [models.UniqueConstraint(fields=["run", "rank"], name="hottopic_rank_unique")]

    def __str__(self) -> str:
        return f"topic {self.rank} of run {self.run_id}"


class HotTopicMember(models.Model):
    topic = models.ForeignKey(HotTopic, on_delete=models.CASCADE, related_name="members")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    # 1.. for the example titles shown, in order of centrality; null for the others
    example = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "petition"], name="hottopicmember_unique")]
