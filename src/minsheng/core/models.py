from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One row of the tamper-evident audit trail (see core/audit.py).

    Rows carry ids and codes, never personal data, so they survive the retention purge. Database
    triggers refuse UPDATE and DELETE; `hash` chains each row to the one before it.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"))
    actor_kind = models.CharField(_("操作者类型"), max_length=16)
    actor_id = models.BigIntegerField(_("操作者"), null=True, blank=True)
    actor_label = models.CharField(_("操作者标识"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, default="ok")
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            # "what happened to this object" (case page audit tab, access reviews)
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The single row that names the chain's last link; writers lock it to append in order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audithead_single_row")]


class Sequence(models.Model):
    """Named gap-free counters (case numbers per year), advanced under a row lock."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)


class RateCounter(models.Model):
    """Requests counted per key (an address, a phone, an API key) in fixed time windows.

    In the database so that every web process on every machine counts the same requests.
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # window start, in seconds since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="ratecounter_key_window")]
