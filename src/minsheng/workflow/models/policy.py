"""Deadline policies as data: a policy has versioned rule sets; regions choose a policy.

A case keeps the rule set it started under (Case.ruleset), so a published rule set is never
edited in place: admins copy it to a new draft version, change the draft, and publish it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Region
from minsheng.petitions.models import Nature
from minsheng.workflow.steps import DayKind, StartEvent, Step


class DeadlinePolicy(models.Model):
    code = models.CharField(_("代码"), max_length=16, unique=True, help_text=_("在期限依据中引用，例如 R22、R05、ZJ。"))
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    is_default = models.BooleanField(
        _("默认政策"), default=False, help_text=_("未为所在区划（及其上级区划）指定政策时使用。")
    )
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("期限政策")
        verbose_name_plural = _("期限政策")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="deadlinepolicy_one_default"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class RuleSet(models.Model):
    """One version of a policy's rules. Published versions are frozen once a case uses them."""

    policy = models.ForeignKey(
        DeadlinePolicy, verbose_name=_("期限政策"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("生效日期"), help_text=_("收到日期在此日期及以后的信访事项适用本版本。"))
    published_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("未发布的版本是草稿，不会被使用。")
    )
    # CC Art. 203: a calendar-day period ending on a day off ends on the next working day.
    roll_forward = models.BooleanField(
        _("期间末日顺延"),
        default=True,
        help_text=_("按日计算的期间，最后一日为节假日或休息日的，以其后第一个工作日为最后一日（民法典第二百零三条）。"),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("即将到期提醒（日）"), default=3, help_text=_("距到期日不超过此天数的期限列入“即将到期”。")
    )
    long_overdue_days = models.PositiveSmallIntegerField(
        _("严重超期阈值（日）"), default=30, help_text=_("超过到期日此天数仍未办理的，显示为“严重超期”。")
    )
    note = models.TextField(_("修订说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy__code", "-version"]
        verbose_name = _("期限规则版本")
        verbose_name_plural = _("期限规则版本")
        constraints = [
            models.UniqueConstraint(fields=["policy", "version"], name="ruleset_unique_version"),
            models.CheckConstraint(condition=models.Q(long_overdue_days__gte=1), name="ruleset_long_overdue_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Rule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    # Blank applies to every nature; a row for one nature overrides it for that nature.
    nature = models.CharField(_("适用性质"), max_length=20, choices=Nature.choices, blank=True)
    length = models.PositiveSmallIntegerField(_("期限长度"))
    day_kind = models.CharField(_("计算单位"), max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)
    start_event = models.CharField(_("起算事件"), max_length=24, choices=StartEvent.choices)
    article = models.CharField(_("依据条款"), max_length=60, help_text=_("例如：第二十二条"))
    article_en = models.CharField(_("依据条款（英文）"), max_length=60, help_text=_("例如：Art. 22"))

    class Meta:
        ordering = ["ruleset", "id"]
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "step", "nature"], name="rule_unique_step_nature"),
            models.CheckConstraint(condition=models.Q(length__gte=1), name="rule_length_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.length}{self.get_day_kind_display()}"

    @property
    def article_display(self) -> str:
        return self.article_en if get_language() == "en" and self.article_en else self.article


class RegionPolicy(models.Model):
    """The policy a region uses; regions below it inherit it unless they name their own."""

    region = models.OneToOneField(Region, verbose_name=_("行政区划"), on_delete=models.CASCADE, related_name="+")
    policy = models.ForeignKey(
        DeadlinePolicy, verbose_name=_("期限政策"), on_delete=models.PROTECT, related_name="regions"
    )

    class Meta:
        verbose_name = _("区划适用政策")
        verbose_name_plural = _("区划适用政策")

    def __str__(self) -> str:
        return f"{self.region} → {self.policy.code}"
