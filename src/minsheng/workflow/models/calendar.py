"""The working-day calendar as data: the holidays and adjusted working days of each published year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose holiday arrangement (国务院办公厅放假安排) is known.

    Years without a row are counted Monday–Friday and the deadlines they touch are provisional.
    """

    class Source(models.TextChoices):
        PACKAGE = "chinese-calendar", _("chinese-calendar 程序包")
        ADMIN = "admin", _("管理员录入")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.ADMIN)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("例如国务院办公厅通知的文号。"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="calendaryear_plausible")
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a day off on a weekday, or a worked weekend (调休)."""

    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("上班"), help_text=_("勾选表示调休上班；不勾选表示放假。"))
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("例如：春节、国庆节调休上班"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日或调休日")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
