"""Routing models: trained versions kept in the database, and registrars' corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoutingModel(models.Model):
    """One trained version. The serialized model lives here, not in a local file, so every web
    process and worker on every machine reads the same bytes (DESIGN: no local file as the only copy)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        READY = "ready", _("可用")
        FAILED = "failed", _("失败")

    version = models.PositiveIntegerField(_("版本"), unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    is_current = models.BooleanField(_("当前版本"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    trained_at = models.DateTimeField(_("训练完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # [{"name": "wenzheng_messages_labeled.csv", "kind": "messages", "rows": 1292, "used": 1292, "sha256": "…"}]
    training_files = models.JSONField(_("训练数据"), default=list, blank=True)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    metrics = models.JSONField(_("评估结果"), default=dict, blank=True)
    model_data = models.BinaryField(_("模型数据"), blank=True, default=b"", editable=False)
    size_bytes = models.PositiveIntegerField(_("模型大小（字节）"), default=0)
    error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("分流模型")
        verbose_name_plural = _("分流模型")
        constraints = [
            # At most one version answers predictions.
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="routingmodel_one_current"
            ),
            models.CheckConstraint(
                condition=~models.Q(is_current=True) | models.Q(status="ready"), name="routingmodel_current_is_ready"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class RoutingFeedback(models.Model):
    """What the model suggested and what the registrar chose; corrections become training samples."""

    petition = models.ForeignKey(
        "petitions.Petition", verbose_name=_("信访事项"), on_delete=models.CASCADE, related_name="routing_feedback"
    )
    model = models.ForeignKey(
        RoutingModel, verbose_name=_("模型版本"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_label = models.CharField(_("建议分类（门户一级）"), max_length=40, blank=True)
    suggested_category = models.ForeignKey(
        "petitions.Category",
        verbose_name=_("建议分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("建议单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_label = models.CharField(_("选定分类（门户一级）"), max_length=40, blank=True)
    chosen_category = models.ForeignKey(
        "petitions.Category",
        verbose_name=_("选定分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("选定单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_correction = models.BooleanField(_("修正了建议"), default=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("选择人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(_("选择时间"), auto_now_add=True)

    class Meta:
        ordering = ["-chosen_at", "-id"]
        verbose_name = _("分流反馈")
        verbose_name_plural = _("分流反馈")
        indexes = [
            # train-routing reads the latest choice per petition that maps to a portal class.
            models.Index(fields=["petition", "-chosen_at"], name="routingfeedback_petition"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.suggested_label} → {self.chosen_label}"
