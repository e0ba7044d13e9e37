"""Notices the regulation owes the petitioner, kept on the case and delivered through a channel."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.petitions.models import Petition, PetitionEvent


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理告知")
    NON_ACCEPTANCE = "non_acceptance", _("不予受理告知")
    FORWARDING = "forwarding", _("转送交办告知")
    EXTENSION = "extension", _("延期告知")
    DECISION = "decision", _("信访处理意见书")
    REVIEW = "review", _("复查意见")
    REREVIEW = "rereview", _("复核意见")
    HEARING = "hearing", _("听证通知")
    REPLY = "reply", _("答复")
    SETTLEMENT = "settlement", _("调解和解协议")
    WITHDRAWAL = "withdrawal", _("撤回确认")


class NoticeChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    POST = "post", _("邮寄或当面送达")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    TO_POST = "to_post", _("待邮寄或当面送达")
    # Art. 23 ¶2: no written notice is owed when the name or address is unclear; the decision not
    # to send one is still recorded.
    NOT_OWED = "not_owed", _("无须告知")


class Notice(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("告知类型"), max_length=20, choices=NoticeKind.choices)
    channel = models.CharField(_("送达方式"), max_length=10, choices=NoticeChannel.choices)
    # The text as sent (always Chinese: it is addressed to the petitioner).
    body = models.TextField(_("告知内容"))
    article = models.CharField(_("依据"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED)
    backend = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("生成时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    event = models.ForeignKey(PetitionEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("告知")
        verbose_name_plural = _("告知")
        indexes = [
            # the delivery retry scan: notices still queued or failed
            models.Index(fields=["status", "created_at"], name="notice_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.petition_id}"
