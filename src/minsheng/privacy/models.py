"""Records of personal data leaving its mask: reveals (with their reason) and exports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit
from minsheng.petitions.models import Petition, Petitioner


class RevealLog(models.Model):
    """One look at a petitioner's full resident ID, phone and address: who, when, why.

    Its tamper-evident twin is an audit row (ids and the reason code only); the free-text detail
    lives here and is cleared by the retention purge with the rest of the case's text.
    """

    class Reason(models.TextChoices):
        VERIFY_IDENTITY = "verify_identity", _("核实信访人身份")
        CONTACT = "contact", _("联系信访人")
        SERVE_NOTICE = "serve_notice", _("送达告知书或处理意见书")
        HANDLING = "handling", _("调查办理需要")
        OTHER = "other", _("其他（须写明）")

    at = models.DateTimeField(_("时间"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("查看人单位"), on_delete=models.PROTECT, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="reveal_logs")
    petitioner = models.ForeignKey(Petitioner, on_delete=models.PROTECT, related_name="reveal_logs")
    fields = models.JSONField(default=list)
    reason = models.CharField(_("理由"), max_length=32, choices=Reason.choices)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    audit_seq = models.BigIntegerField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        indexes = [
            # the supervisors' list: newest first within a scope of petitions
            models.Index(fields=["petition", "-at"], name="reveallog_petition_idx"),
        ]


def export_path(instance: Export, filename: str) -> str:
    return f"exports/{instance.created_by_id}/{filename}"


class Export(models.Model):
    """A file of petitions (masked) made by one staff member, downloadable only by them."""

    class Kind(models.TextChoices):
        PETITIONS = "petitions", _("信访事项清单")

    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(_("生成时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("生成人单位"), on_delete=models.PROTECT, related_name="+")
    # The filters as the list page had them (the search text included): cleared when the file is.
    params = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(_("行数"))
    file = models.FileField(upload_to=export_path, max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("保留至"))
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    audit_seq = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导出文件")
        verbose_name_plural = _("导出文件")
        indexes = [
            # "my exports" page
            models.Index(fields=["created_by", "-created_at"], name="export_owner_idx"),
            # the purge of expired files
            models.Index(fields=["expires_at"], name="export_expiry_idx"),
        ]

    @property
    def filename(self) -> str:
        return f"minsheng-{self.kind}-{self.created_at:%Y%m%d-%H%M%S}.xlsx"


class PurgedCase(models.Model):
    """A case whose personal data the retention purge cleared (privacy/retention.py)."""

    petition = models.OneToOneField(Petition, on_delete=models.PROTECT, related_name="purge")
    purged_at = models.DateTimeField(_("清除时间"))
    audit_seq = models.BigIntegerField()

    class Meta:
        verbose_name = _("已清除个人信息的事项")
        verbose_name_plural = _("已清除个人信息的事项")
