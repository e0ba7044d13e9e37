"""Admin pages for what admins edit: deadline policies (versioned) and the holiday calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from minsheng.core.actors import Actor
from minsheng.core.errors import DomainError, ValidationError
from minsheng.workflow.models import (
    CalendarDay,
    CalendarYear,
    DeadlinePolicy,
    Notice,
    RegionPolicy,
    Rule,
    RuleSet,
)
from minsheng.workflow.policies import ruleset_copy, ruleset_in_use, ruleset_publish
from minsheng.workflow.workdays import calendar_changed


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "is_default")
    search_fields = ("code", "name", "name_en")


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ("step", "nature", "length", "day_kind", "start_event", "article", "article_en")

    def _editable(self, obj: RuleSet | None) -> bool:
        # A published version is frozen: a case may be counting under it.
        return obj is None or obj.published_at is None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("policy", "version", "effective_from", "published_at", "case_count")
    list_filter = ("policy",)
    inlines = [RuleInline]
    actions = ["copy_as_draft", "publish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RuleSet]:
        return super().get_queryset(request).annotate(case_total=Count("cases"))

    @admin.display(description=_("适用案卷数"))
    def case_count(self, obj: Any) -> int:
        return int(getattr(obj, "case_total", 0))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.published_at is not None:
            return (
                "policy",
                "version",
                "effective_from",
                "published_at",
                "roll_forward",
                "due_soon_days",
                "long_overdue_days",
            )
        return ("published_at",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (obj.published_at is not None or ruleset_in_use(obj)):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("复制为新的草稿版本"))
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        for ruleset in queryset:
            draft = ruleset_copy(actor=Actor.staff(request.user), ruleset=ruleset)  # type: ignore[arg-type]
            self.message_user(request, _("已创建草稿 %(name)s，修改后发布。") % {"name": draft}, messages.SUCCESS)

    @admin.action(description=_("发布所选草稿"))
    def publish(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        done = 0
        for ruleset in queryset:
            try:
                ruleset_publish(actor=Actor.staff(request.user), ruleset=ruleset)  # type: ignore[arg-type]
                done += 1
            except (DomainError, ValidationError) as exc:
                self.message_user(request, f"{ruleset}: {getattr(exc, 'message', exc)}", messages.ERROR)
        if done:
            self.message_user(request, ngettext("已发布 %(n)d 个版本。", "已发布 %(n)d 个版本。", done) % {"n": done})


@admin.register(RegionPolicy)
class RegionPolicyAdmin(admin.ModelAdmin):
    list_display = ("region", "policy")


class CalendarDayFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
            if day is not None and not form.cleaned_data.get("DELETE") and day.year != year:
                form.add_error("date", _("%(day)s 不属于 %(year)s 年。") % {"day": day.isoformat(), "year": year})


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 3
    fields = ("date", "is_working", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "note", "days_off", "updated_at")
    inlines = [CalendarDayInline]
    readonly_fields = ("updated_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return super().get_queryset(request).annotate(exceptions=Count("days"))

    @admin.display(description=_("例外日数"))
    def days_off(self, obj: Any) -> int:
        return int(getattr(obj, "exceptions", 0))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Every open deadline touching this year is recomputed once the change commits.
        calendar_changed(actor=Actor.staff(request.user), years=[form.instance.year])  # type: ignore[arg-type]
        self.message_user(request, _("节假日已保存；涉及该年份的未完成期限将重新计算。"), messages.INFO)

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        year = obj.year
        super().delete_model(request, obj)
        calendar_changed(actor=Actor.staff(request.user), years=[year])  # type: ignore[arg-type]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("petition", "kind", "channel", "status", "created_at", "sent_at", "attempts")
    list_filter = ("status", "kind", "channel")
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
