"""People's suggestions (人民建议征集, R22 Art. 29; SH-RJ): campaigns a unit publishes with a
window, suggestions citizens make, co-signs (附议), and the unit's official answer."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.crypto import EncryptedTextField
from minsheng.orgs.models import Unit


class Campaign(models.Model):
    """A topic a unit asks the public about (专项征集, SH-RJ Art. 8 ¶2-3): published with its
    explanation, how to take part, and the window in which suggestions are received."""

    unit = models.ForeignKey(Unit, verbose_name=_("征集单位"), on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("征集议题"), max_length=200)
    description = models.TextField(_("议题说明"))
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("征集活动")
        verbose_name_plural = _("征集活动")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="campaign_window_order"
            )
        ]
        indexes = [
            # the public list of open campaigns: opens_on <= today <= closes_on
            models.Index(fields=["closes_on", "opens_on"], name="campaign_window_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, today: dt.date) -> str:
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"


class Adoption(models.TextChoices):
    """R22 Art. 29 ¶1: reasonable and feasible suggestions are adopted or partly adopted."""

    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class Suggestion(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待答复")
        ANSWERED = "answered", _("已答复")

    number = models.CharField(_("建议编号"), max_length=32, unique=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("征集活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("办理单位"), on_delete=models.PROTECT, related_name="suggestions")
    # SH-RJ Art. 10: topic, grounds, proposed measures, the proposer's basic information.
    title = models.CharField(_("建议主题"), max_length=200)
    grounds = models.TextField(_("主要事由"))
    measures = models.TextField(_("对策建议"))
    proposer_name = EncryptedTextField(_("建议人姓名"))
    proposer_phone = EncryptedTextField(_("建议人电话"))
    proposer_org = models.CharField(_("建议人单位或组织"), max_length=120, blank=True)
    allow_public = models.BooleanField(_("同意公开"), default=False)
    # What the public list shows as the proposer: their name if they chose so, else nothing.
    public_name = models.CharField(_("公开署名"), max_length=60, blank=True)
    query_code_hash = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    answer = models.TextField(_("答复"), blank=True)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True)
    # R22 Art. 29 ¶2, SH-RJ Art. 16: valuable suggestions are rewarded under the rules.
    reward_note = models.TextField(_("奖励说明"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosign_count = models.PositiveIntegerField(_("附议人数"), default=0)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("人民建议")
        verbose_name_plural = _("人民建议")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(allow_public=True),
                name="suggestion_published_only_if_allowed",
            ),
            models.CheckConstraint(
                condition=models.Q(status="submitted", answered_at__isnull=True)
                | (
                    models.Q(status="answered", answered_at__isnull=False)
                    & ~models.Q(adoption="")
                    & ~models.Q(answer="")
                ),
                name="suggestion_answer_complete",
            ),
        ]
        indexes = [
            # the staff list: a unit's suggestions, newest first
            models.Index(fields=["unit", "-submitted_at"], name="suggestion_unit_idx"),
            # the public list: published suggestions, newest first
            models.Index(fields=["-published_at"], name="suggestion_published_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CoSign(models.Model):
    """One co-sign (附议) per person per suggestion; a person is a keyed hash of a verified phone."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigns")
    person_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["suggestion", "person_hash"], name="cosign_one_per_person")]
