"""The case's documents: extension requests, written decisions and agreements, hearings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit
from minsheng.workflow.models.case import Case


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Extension(models.Model):
    """An extension of the handling period, asked by the handler, decided by the unit head (R22 Art. 34)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.CheckConstraint(condition=models.Q(days__gte=1), name="extension_days_positive"),
            # the unit head decides one request at a time
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="pending"), name="extension_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.days} ({self.status})"


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("信访处理意见书")
    REVIEW = "review", _("复查意见书")
    REREVIEW = "rereview", _("复核意见书")
    REPLY = "reply", _("答复意见")
    SETTLEMENT = "settlement", _("调解（和解）协议书")


class Outcome(models.TextChoices):
    # R22 Art. 32
    SUPPORT = "support", _("予以支持")
    EXPLAIN = "explain", _("解释说明")
    NOT_SUPPORT = "not_support", _("不予支持")
    # review and re-review of the decision below
    UPHOLD = "uphold", _("维持原处理意见")
    CHANGE = "change", _("变更原处理意见")
    REVOKE = "revoke", _("撤销原处理意见，责令重新办理")
    # suggestions (R22 Art. 29) and accusations (Art. 30)
    ADOPTED = "adopted", _("采纳")
    PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")
    FEEDBACK = "feedback", _("已反馈办理结果")
    # Art. 33
    MEDIATION = "mediation", _("调解协议")
    SETTLEMENT = "settlement", _("和解协议")


class Decision(models.Model):
    """A written document issued to the petitioner: the 处理意见书 (R22 Art. 32) and its kin."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("文书类型"), max_length=12, choices=DecisionKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("出具单位"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices)
    request = models.TextField(_("信访人投诉请求"))
    facts = models.TextField(_("事实和理由"))
    opinion = models.TextField(_("处理意见"))
    legal_basis = models.TextField(_("法律法规依据"), blank=True)
    parties = models.TextField(_("当事人"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("出具时间"))
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("处理文书")
        verbose_name_plural = _("处理文书")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Hearing(models.Model):
    """A hearing in re-review (R22 Art. 31(6), 36 ¶2). Its time is not counted in the period."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    decided_on = models.DateField(_("决定听证日期"))
    scheduled_at = models.DateTimeField(_("听证时间"))
    place = models.CharField(_("听证地点"), max_length=200)
    host = models.CharField(_("主持人"), max_length=100)
    participants = models.TextField(_("参加人"))
    record = models.TextField(_("听证记录"), blank=True)
    conclusion = models.TextField(_("听证结论"), blank=True)
    concluded_on = models.DateField(_("听证结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("听证")
        verbose_name_plural = _("听证")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(concluded_on__isnull=True) | models.Q(concluded_on__gte=models.F("decided_on")),
                name="hearing_concludes_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"hearing {self.scheduled_at:%Y-%m-%d}"
