"""Credentials of the machine interfaces: staff tokens and integrating systems' API keys.

Only a SHA-256 of each secret is stored (the secrets are 256-bit random, so a plain hash is
enough); the short prefix lets people tell their keys apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit


class Scope(models.TextChoices):
    """What an integrating system's key may do (R22 Art. 21: systems share information)."""

    PETITIONS_CREATE = "petitions:create", _("提交信访事项")
    PETITIONS_READ = "petitions:read", _("查询办理状态")
    PETITIONS_UPDATE = "petitions:update", _("补充信访事项进展")
    CATALOG_READ = "catalog:read", _("读取分类和单位")


class StaffToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("工作人员令牌")
        verbose_name_plural = _("工作人员令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiClient(models.Model):
    """An integrating system: a 12345 hotline, another region's petition system."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("接收单位"),
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text=_("该系统提交的信访事项由此单位登记。"),
    )
    scopes = models.JSONField(_("权限范围"), default=list, blank=True)
    # Per-key budget of the shared intake (core/ratelimit.py): data an admin tunes per system, so a
    # busy city hotline and a small county system each get what they need without a deployment.
    rate_limit = models.PositiveIntegerField(
        _("每分钟请求上限"),
        default=120,
        help_text=_("该系统每分钟最多可调用接口的次数（含查询和提交），超过时返回 429。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对接系统")
        verbose_name_plural = _("对接系统")
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_limit__gte=1), name="apiclient_rate_limit_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def petition_source(self) -> str:
        """`Petition.source` of what this system submits: its own ids live in `source_ref`."""
        return f"api:{self.pk}"


class ApiKey(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self) -> str:
        return f"{self.client} ({self.prefix}…)"
